#!/bin/sh
# login.sh: 50 logins running `true` with mp against mps and with ssh against a private sshd (loopback, default algorithms), and the memory of one idle interactive session of each; medians and ratios.
set -u

: "${MP_BUILD_DIR:?run through make bench (MP_BUILD_DIR unset)}"
B="$MP_BUILD_DIR/bin"
. "$(dirname "$0")/mps-setup"
N=${LOGIN_BENCH_RUNS:-50}
SSHD=/usr/sbin/sshd

if [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null || ! command -v tmux >/dev/null; then
	echo "login: needs openssh-server, openssh-client and tmux (scripts/install-deps --bench)" >&2
	exit 1
fi

# StrictModes (both servers) refuses key files under /tmp: work in the build tree.
D=$(mktemp -d "${BENCH_DIR:-$MP_BUILD_DIR}/bench-login.XXXXXX")
chmod 755 "$D"
TM="mp-bench-$$"
MPS_PID=""
SSHD_PID=""
cleanup() {
	tmux -L "$TM" kill-server 2>/dev/null
	[ -n "$MPS_PID" ] && kill "$MPS_PID" 2>/dev/null
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---- mps ------------------------------------------------------------------
MPS_PORT=$(free_port)
bench_mps_setup "$MPS_PORT" 47000-47999 || exit 1
"$B/mps" -e -c "$D/mps.toml" 2>"$D/mps.log" &
MPS_PID=$!

# ---- sshd -----------------------------------------------------------------
mkdir -p -m 700 "$D/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$D/ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$D/ssh/id"
install -m 600 "$D/ssh/id.pub" "$D/ssh/authorized_keys"
SSH_PORT=$(free_port)
cat >"$D/ssh/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $D/ssh/host_key
AuthorizedKeysFile $D/ssh/authorized_keys
PidFile none
UsePAM yes
PermitRootLogin prohibit-password
LogLevel ERROR
EOF
[ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd
"$SSHD" -D -e -f "$D/ssh/sshd_config" 2>"$D/sshd.log" &
SSHD_PID=$!

ssh_cmd() {
	ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=accept-new \
	    -o UserKnownHostsFile="$D/ssh/known_hosts" -i "$D/ssh/id" \
	    -p "$SSH_PORT" 127.0.0.1 "$@"
}
mp_cmd() {
	HOME="$D/home" "$B/mp" -s "$MPS_PORT" --host-key-checking accept-new \
	    127.0.0.1 -- "$@"
}

# Both servers answer before timing starts.
i=0
until mp_cmd true </dev/null 2>/dev/null && ssh_cmd true </dev/null 2>/dev/null; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then
		echo "login: a server did not come up: $(mp_cmd true </dev/null 2>&1 | tail -1) / $(ssh_cmd true </dev/null 2>&1 | tail -1)" >&2
		cat "$D/mps.log" "$D/sshd.log" >&2
		exit 1
	fi
	sleep 0.1
done

# time_logins NAME COMMAND...: N sequential logins, one ms figure per line.
time_logins() {
	name=$1; shift
	: >"$D/$name.times"
	i=0
	while [ $i -lt "$N" ]; do
		t0=$(date +%s%N)
		if ! "$@" true </dev/null >/dev/null 2>>"$D/$name.err"; then
			echo "login: $name login failed: $(tail -1 "$D/$name.err")" >&2
			exit 1
		fi
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000)) >>"$D/$name.times"
		i=$((i + 1))
	done
}

median_us() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

time_logins mp mp_cmd
time_logins ssh ssh_cmd
mp_med=$(median_us "$D/mp.times")
ssh_med=$(median_us "$D/ssh.times")

# ---- memory of one idle interactive session ------------------------------
# sum_mem PIDS...: "RSS PSS" in kB from smaps_rollup.
sum_mem() {
	for p in "$@"; do cat "/proc/$p/smaps_rollup"; done 2>/dev/null |
	    awk '/^Rss:/ { r += $2 } /^Pss:/ { p += $2 } END { print r + 0, p + 0 }'
}

# children PID: direct children.
children() {
	ps -o pid= --ppid "$1" | tr -d ' '
}

# The shell is the user's, the same on both sides: the server's own
# processes are mps (monitor, net child) and sshd (monitor, session child).
server_of() {
	for p in "$@"; do
		case "$(cat /proc/"$p"/comm 2>/dev/null)" in
		mps*|sshd*) echo "$p" ;;
		esac
	done
}
# tree PID: PID and its descendants (two levels: enough for both servers).
tree() {
	echo "$1"
	for k in $(children "$1"); do
		echo "$k"
		children "$k"
	done
}

# The user's login shell, as /proc/PID/comm shows it.
LOGIN_SHELL=$(basename "$(getent passwd "$(id -un)" | cut -d: -f7)")

# wait_session LISTENER: the monitor of the one session under the
# listener, once the login shell runs (not some helper PAM started).
wait_session() {
	i=0
	while [ $i -lt 100 ]; do
		for m in $(children "$1"); do
			for p in $(tree "$m"); do
				if [ "$(cat /proc/"$p"/comm 2>/dev/null)" = \
				    "$LOGIN_SHELL" ]; then
					echo "$m"
					return 0
				fi
			done
		done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

tmux -L "$TM" -f /dev/null new-session -d -s mp -x 80 -y 24 \
    "HOME='$D/home' '$B/mp' -s $MPS_PORT 127.0.0.1"
mp_mon=$(wait_session "$MPS_PID") || { echo "login: no mp session" >&2; exit 1; }
sleep 1
tmux -L "$TM" new-session -d -s ssh -x 80 -y 24 \
    "ssh -F /dev/null -tt -o BatchMode=yes -o UserKnownHostsFile='$D/ssh/known_hosts' -i '$D/ssh/id' -p $SSH_PORT 127.0.0.1"
ssh_mon=$(wait_session "$SSHD_PID") || { echo "login: no ssh session" >&2; exit 1; }
sleep 1
mp_pids=$(tree "$mp_mon")
ssh_pids=$(tree "$ssh_mon")

# shellcheck disable=SC2086
set -- $(sum_mem $(server_of $mp_pids)); mp_rss=$1; mp_pss=$2
# shellcheck disable=SC2086
set -- $(sum_mem $mp_pids); mp_rss_all=$1; mp_pss_all=$2
# shellcheck disable=SC2086
set -- $(sum_mem $(server_of $ssh_pids)); ssh_rss=$1; ssh_pss=$2
# shellcheck disable=SC2086
set -- $(sum_mem $ssh_pids); ssh_rss_all=$1; ssh_pss_all=$2

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

echo "login: $N sequential logins running 'true' on loopback (median)"
printf '  mp  -> mps : %6d us\n' "$mp_med"
printf '  ssh -> sshd: %6d us\n' "$ssh_med"
printf '  ratio mp/ssh: %s (target < 0.25)\n' "$(ratio "$mp_med" "$ssh_med")"
echo "memory of one idle interactive session, server processes (kB)"
echo "  mps  (monitor + net child): RSS $mp_rss PSS $mp_pss; with the shell: RSS $mp_rss_all PSS $mp_pss_all"
echo "  sshd (monitor + session)  : RSS $ssh_rss PSS $ssh_pss; with the shell: RSS $ssh_rss_all PSS $ssh_pss_all"
printf '  PSS ratio mps/sshd: %s (target < 1); with the shell: %s\n' \
    "$(ratio "$mp_pss" "$ssh_pss")" "$(ratio "$mp_pss_all" "$ssh_pss_all")"

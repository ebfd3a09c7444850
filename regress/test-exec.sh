# test-exec.sh: shared driver sourced by every regress/t/*.sh script (one behaviour per script).
# Provides the build's binaries, a private scratch directory, assertion helpers, a running mps
# on 127.0.0.1 (start_mps), mp in command mode (mp_cmd) and in a tmux terminal (mp_interactive).
set -u

: "${MP_BUILD_DIR:?run regress scripts through make check (MP_BUILD_DIR unset)}"
TEST_NAME=$(basename "$0" .sh)

# A hung program must fail the script, not hang make check: the whole
# script runs under timeout(1) (MP_TEST_TIMEOUT seconds, default 180).
if [ -z "${MP_TEST_WATCHED:-}" ] && command -v timeout >/dev/null 2>&1; then
	MP_TEST_WATCHED=1
	export MP_TEST_WATCHED
	exec timeout -k 10 "${MP_TEST_TIMEOUT:-180}" sh "$0" "$@"
fi

MP_KEYGEN="$MP_BUILD_DIR/bin/mp-keygen"
MP="$MP_BUILD_DIR/bin/mp"
MPS="$MP_BUILD_DIR/bin/mps"
MPS_NET="$MP_BUILD_DIR/bin/mps-net"

# The scratch directory. authorized_keys and the config live here, so it
# must pass mps's StrictModes checks: not below a directory that others
# can write (except a root-owned sticky one like /tmp). MP_BUILD_DIR is
# tried first; if it is not writable (a copy run by another user), TMPDIR.
REGRESS_TMP="$MP_BUILD_DIR/regress-tmp"
if mkdir -p "$REGRESS_TMP" 2>/dev/null && chmod 0755 "$REGRESS_TMP" 2>/dev/null &&
    OBJ=$(mktemp -d "$REGRESS_TMP/$TEST_NAME.XXXXXX" 2>/dev/null); then
	:
else
	OBJ=$(mktemp -d "${TMPDIR:-/tmp}/mp-regress.$TEST_NAME.XXXXXX")
fi
chmod 700 "$OBJ"
# Programs under test must not see the developer's own keys or config.
export HOME="$OBJ/home"
mkdir -p "$HOME"
chmod 700 "$HOME"
unset MOSHPIT_CONFIG MOSHPITS_CONFIG MP_ASKPASS MP_ASKPASS_REQUIRE \
    MPS_TEST_NET_VIOLATION MOSHPIT_AGENT_SOCK 2>/dev/null || true
for _v in $(env | sed -n 's/^\(MOSHPITS\{0,1\}_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$_v"
done

test_failures=0
MPS_PID=""
MPS_LOG="$OBJ/srv/mps.log"
MPS_LOG_MARK=0
TM_SOCK="mp-regress-$$"
TM_USED=""
CLEANUP_HOOKS=""

# on_exit COMMAND: run COMMAND (eval'd) in cleanup, whatever happens.
on_exit() {
	CLEANUP_HOOKS="$CLEANUP_HOOKS
$1"
}

cleanup() {
	trap - EXIT INT TERM HUP
	stop_mps
	if [ -n "$TM_USED" ]; then
		tmux -L "$TM_SOCK" kill-server 2>/dev/null
		rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TM_SOCK"
	fi
	eval "$CLEANUP_HOOKS"
	if [ -n "${MP_KEEP_OBJ:-}" ]; then
		echo "  $TEST_NAME: scratch directory kept in $OBJ"
	else
		rm -rf "$OBJ"
		rmdir "$REGRESS_TMP" 2>/dev/null
	fi
	return 0
}
trap cleanup EXIT
trap 'echo "not ok $TEST_NAME (killed: timed out or interrupted)"; [ -f "$MPS_LOG" ] && tail -n 30 "$MPS_LOG" | sed "s/^/  mps.log: /"; exit 1' INT TERM HUP

verbose() {
	echo "  $TEST_NAME: $*"
}

fail() {
	echo "  FAIL $TEST_NAME: $*"
	test_failures=$((test_failures + 1))
}

# expect_ok DESCRIPTION COMMAND...: the command must exit 0.
expect_ok() {
	desc=$1; shift
	if ! "$@" >"$OBJ/out" 2>"$OBJ/err"; then
		fail "$desc: exited non-zero: $(head -c 500 "$OBJ/err")"
		return 1
	fi
	return 0
}

# expect_fail DESCRIPTION PATTERN COMMAND...: the command must exit non-zero
# and print PATTERN (an extended regular expression) on stderr.
expect_fail() {
	desc=$1; pattern=$2; shift 2
	if "$@" >"$OBJ/out" 2>"$OBJ/err"; then
		fail "$desc: succeeded but should have failed"
		return 1
	fi
	if ! grep -Eq -- "$pattern" "$OBJ/err"; then
		fail "$desc: error message did not match /$pattern/: $(head -c 500 "$OBJ/err")"
		return 1
	fi
	return 0
}

# finish: report and exit with the script's verdict; call at the end.
finish() {
	if [ "$test_failures" -ne 0 ]; then
		if [ -s "$MPS_LOG" ]; then
			echo "  $TEST_NAME: last lines of mps.log:"
			tail -n 30 "$MPS_LOG" | sed 's/^/  mps.log: /'
		fi
		echo "not ok $TEST_NAME ($test_failures failures)"
		exit 1
	fi
	echo "ok $TEST_NAME"
	exit 0
}

# require_root: skip the script (a pass) unless run as root.
require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "ok $TEST_NAME # skip not root"
		exit 0
	fi
}

# require_programs: fail the script at once if the server or client is missing.
require_programs() {
	for _p in "$MPS" "$MPS_NET" "$MP" "$MP_KEYGEN"; do
		if [ ! -x "$_p" ]; then
			fail "$_p is not built"
			finish
		fi
	done
}

# ---- processes ---------------------------------------------------------

# proc_table: "PID PPID COMM" for every process.
proc_table() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk '{
		s = $0; c = s; r = s
		sub(/^[0-9]+ \(/, "", c); sub(/\) [A-Za-z] [-0-9].*$/, "", c)
		sub(/^.*\) /, "", r); split(r, f, " ")
		gsub(/ /, "_", c)
		print $1, f[2], c
	}'
}

# proc_descendants PID: every descendant of PID, one per line.
proc_descendants() {
	proc_table | awk -v root="$1" '
		{ parent[$1] = $2; pids[n++] = $1 }
		END {
			want[root] = 1
			do {
				more = 0
				for (i = 0; i < n; i++) {
					p = pids[i]
					if (!(p in want) && (parent[p] in want)) {
						want[p] = 1; more = 1; print p
					}
				}
			} while (more)
		}'
}

# net_children: PIDs of the mps-net processes whose parent is an mps: one of
# this script's mps (descendants of MPS_PID) while it runs, so that other
# servers on the machine (a parallel run) do not count.
net_children() {
	proc_table | awk -v root="${MPS_PID:-}" '
		{ parent[$1] = $2; comm[$1] = $3 }
		function ours(p, n) {
			if (root == "")
				return 1
			for (n = 0; p != "" && p != 0 && n < 64; n++) {
				if (p == root)
					return 1
				p = parent[p]
			}
			return 0
		}
		END { for (p in comm) if (comm[p] == "mps-net" && comm[parent[p]] == "mps" && ours(parent[p])) print p }' |
	    sort -n
}

# proc_status PID FIELD: a field of /proc/PID/status ("Seccomp", "Uid", ...).
proc_status() {
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^[ \t]+/, ""); print; exit }' "/proc/$1/status" 2>/dev/null
}

# wait_until SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds.
wait_until() {
	_n=$(($1 * 10)); shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# ---- the server -----------------------------------------------------------

SRV="$OBJ/srv"		# host key, config, authorized_keys, chroot, PAM, log
# What start_mps writes into the config; set any of these before calling it.
MPS_AUTHKEYS="$SRV/authorized_keys"	# authorized_keys_file (%h, %u work)
MPS_GRACE=20				# login_grace_time
MPS_PAM_ACCOUNT=pam_permit.so		# the module of the PAM account line
MPS_FLAGS="-e -v"			# mps's flags besides -c
MPS_ENV=""				# VAR=value words for mps's environment
MPS_PRIVSEP_USER=mpsd
MPS_IP=127.0.0.1			# the address start_mps listens on (ip)
if [ "$(id -u)" -eq 0 ]; then MPS_USE_PAM=true; else MPS_USE_PAM=false; fi

# The client's key: ~/.mp/id_ed25519, as mp finds it by default.
client_key() {
	[ -f "$HOME/.mp/id_ed25519" ] ||
	    "$MP_KEYGEN" generate -n -C "regress-client" >/dev/null 2>"$OBJ/keygen.err" ||
	    fail "cannot generate the client key: $(cat "$OBJ/keygen.err")"
}

# new_host_key: a fresh host key for the server (replacing any).
new_host_key() {
	"$MP_KEYGEN" generate -s -n -f -C "regress-host" -o "$SRV/mps_host_ed25519_key" \
	    >/dev/null 2>"$OBJ/keygen.err" ||
	    fail "cannot generate the host key: $(cat "$OBJ/keygen.err")"
}

# mps_setup: the server's directory, keys, authorized_keys (once).
mps_setup() {
	[ -d "$SRV" ] && return 0
	mkdir -m 0755 "$SRV" "$SRV/empty" "$SRV/pam.d"
	new_host_key
	client_key
	if [ "$MPS_AUTHKEYS" = "$SRV/authorized_keys" ]; then
		cp "$HOME/.mp/id_ed25519.pub" "$SRV/authorized_keys"
		chmod 0600 "$SRV/authorized_keys"
	fi
	if [ "$(id -u)" -eq 0 ] && ! getent passwd "$MPS_PRIVSEP_USER" >/dev/null; then
		useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin "$MPS_PRIVSEP_USER" ||
		    fail "cannot create the privsep user $MPS_PRIVSEP_USER"
	fi
}

# pam_service_file: the test PAM stack (pam_confdir) for service "mps".
pam_service_file() {
	cat >"$SRV/pam.d/mps" <<EOF
auth     required pam_permit.so
account  required $MPS_PAM_ACCOUNT
session  required pam_permit.so
password required pam_permit.so
EOF
}

# random_port LOW HIGH: a number in [LOW, HIGH].
random_port() {
	_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $(($1 + _r % ($2 - $1 + 1)))
}

# mps_write_config FILE PORT [LINE...]: the test configuration; each LINE
# ("key = value", or "[table]" and what follows) replaces a default key of
# the same name or is added at the end.
mps_write_config() {
	_file=$1; _port=$2; shift 2
	_udp=$((42000 + (_port % 1000) * 16))
	{
		echo "ip = \"$MPS_IP\""
		echo "port = $_port"
		echo "private_key_path = \"$SRV/mps_host_ed25519_key\""
		echo "authorized_keys_file = \"$MPS_AUTHKEYS\""
		echo "udp_port_range = \"$_udp-$((_udp + 15))\""
		echo "mps_net_path = \"$MPS_NET\""
		echo "login_grace_time = $MPS_GRACE"
		# Failed logins of one test must not lock out the next login.
		# (Only if this mps knows the key: server-config-check checks it.)
		if [ -z "${MPS_HAS_PENALTIES:-}" ]; then
			: >"$OBJ/empty.toml"
			MPS_HAS_PENALTIES=no
			"$MPS" -T -c "$OBJ/empty.toml" 2>/dev/null |
			    grep -q '^per_source_penalties' && MPS_HAS_PENALTIES=yes
		fi
		[ "$MPS_HAS_PENALTIES" = no ] || echo "per_source_penalties = false"
		echo "use_pam = $MPS_USE_PAM"
		if [ "$(id -u)" -eq 0 ]; then
			echo "privsep_user = \"$MPS_PRIVSEP_USER\""
			echo "privsep_chroot = \"$SRV/empty\""
			echo "pam_service = \"mps\""
			echo "pam_confdir = \"$SRV/pam.d\""
		fi
	} >"$OBJ/config.base"
	: >"$OBJ/config.extra"
	for _l in "$@"; do
		printf '%s\n' "$_l" >>"$OBJ/config.extra"
	done
	{
		echo "# $TEST_NAME"
		echo "[mps]"
		awk -v extra="$OBJ/config.extra" '
		    BEGIN { while ((getline l < extra) > 0) { split(l, f, /[ =]/); over[f[1]] = 1 } }
		    !($1 in over)' "$OBJ/config.base"
		cat "$OBJ/config.extra"
	} >"$_file"
	chmod 0644 "$_file"
}

# start_mps [LINE...]: start mps in the background on $MPS_IP with the test
# configuration ($SRV/mps.toml) and its log in $MPS_LOG; sets MPS_PORT and
# MPS_PID. A restart keeps the port of the previous start. 1 on failure.
start_mps() {
	mps_setup
	[ "$MPS_USE_PAM" = true ] && pam_service_file
	_tries=0
	while [ $_tries -lt 6 ]; do
		_tries=$((_tries + 1))
		[ -n "${MPS_PORT:-}" ] || MPS_PORT=$(random_port 20000 39999)
		mps_write_config "$SRV/mps.toml" "$MPS_PORT" "$@"
		touch "$MPS_LOG"
		MPS_LOG_MARK=$(wc -l <"$MPS_LOG")
		# Its own session and process group, so that stop_mps finds it all.
		# shellcheck disable=SC2086
		env $MPS_ENV setsid "$MPS" $MPS_FLAGS -c "$SRV/mps.toml" \
		    </dev/null >/dev/null 2>>"$MPS_LOG" &
		MPS_PID=$!
		wait_until 5 mps_listening_or_gone
		if log_has "listening on $MPS_IP port $MPS_PORT"; then
			export MPS_PORT MPS_PID
			log_mark
			return 0
		fi
		if kill -0 "$MPS_PID" 2>/dev/null; then
			fail "mps did not report \"listening on $MPS_IP port $MPS_PORT\" within 5 s"
			stop_mps
			return 1
		fi
		wait "$MPS_PID" 2>/dev/null
		MPS_PID=""
		if ! tail -n "+$((MPS_LOG_MARK + 1))" "$MPS_LOG" | grep -q "cannot listen on"; then
			fail "mps exited at start: $(tail -n "+$((MPS_LOG_MARK + 1))" "$MPS_LOG" | head -c 800)"
			return 1
		fi
		# The port is taken: another one, unless restarting on a fixed port.
		if [ -n "${MPS_FIXED_PORT:-}" ]; then
			sleep 0.5
		else
			MPS_PORT=""
		fi
	done
	fail "mps found no free port"
	return 1
}

mps_listening_or_gone() {
	log_has "listening on $MPS_IP port $MPS_PORT" ||
	    ! kill -0 "$MPS_PID" 2>/dev/null
}

# stop_mps: stop the server and everything it started (monitors, net
# children, sessions). Safe to call when it is not running.
stop_mps() {
	[ -n "$MPS_PID" ] || return 0
	_pids=$(proc_descendants "$MPS_PID")
	kill -TERM "-$MPS_PID" 2>/dev/null
	kill -TERM "$MPS_PID" $_pids 2>/dev/null
	_n=30
	while [ $_n -gt 0 ] && kill -0 "$MPS_PID" 2>/dev/null; do
		sleep 0.1
		_n=$((_n - 1))
	done
	for _p in $_pids; do
		kill -0 "$_p" 2>/dev/null && kill -HUP "$_p" 2>/dev/null
	done
	sleep 0.2
	kill -KILL "-$MPS_PID" 2>/dev/null
	kill -KILL "$MPS_PID" $_pids 2>/dev/null
	wait "$MPS_PID" 2>/dev/null
	MPS_PID=""
	MPS_FIXED_PORT=1	# a restart reuses the port (known_hosts names it)
	return 0
}

# restart_mps [LINE...]: stop, then start again on the same port.
restart_mps() {
	stop_mps
	start_mps "$@"
}

# log_mark: wait_log and log_has look only at lines logged after this.
log_mark() {
	MPS_LOG_MARK=$(wc -l <"$MPS_LOG")
}

# log_since: the log lines after the mark.
log_since() {
	tail -n "+$((MPS_LOG_MARK + 1))" "$MPS_LOG"
}

# log_has TEXT: the log shows TEXT (a fixed string) since the mark.
log_has() {
	log_since | grep -qF -- "$1"
}

# wait_log TEXT [SECONDS]: wait (default 10 s) until the log shows TEXT
# since the mark; a failure if it never does.
wait_log() {
	wait_until "${2:-10}" log_has "$1" && return 0
	fail "mps never logged \"$1\""
	return 1
}

# reload_mps [LINE...]: rewrite the configuration as start_mps would (same
# port, these LINEs) and send mps SIGHUP; returns once mps logged it. Lines
# logged by the reload are after the mark.
reload_mps() {
	mps_write_config "$SRV/mps.toml" "$MPS_PORT" "$@"
	log_mark
	kill -HUP "$MPS_PID" 2>/dev/null || { fail "mps is not running"; return 1; }
	wait_log "received SIGHUP; reloading the configuration" 5
}

# net_monitor NET_PID: the monitor (parent) of an mps-net process.
net_monitor() {
	proc_table | awk -v p="$1" '$1 == p { print $2 }'
}

# ---- a throwaway user (root only) -------------------------------------------

# test_user: create user mpt<pid> with a home and /bin/sh, removed (with its
# processes) in cleanup; sets TEST_USER, TEST_HOME, TEST_UID, TEST_GID.
test_user() {
	TEST_USER="mpt$$"
	on_exit "pkill -KILL -u $TEST_USER 2>/dev/null; userdel -r $TEST_USER 2>/dev/null"
	useradd -m -s /bin/sh "$TEST_USER" || { fail "useradd $TEST_USER failed"; return 1; }
	TEST_HOME=$(getent passwd "$TEST_USER" | cut -d: -f6)
	TEST_UID=$(id -u "$TEST_USER")
	TEST_GID=$(id -g "$TEST_USER")
}

# test_user_authorize: the client key in the test user's own
# ~/.mp/authorized_keys (use MPS_AUTHKEYS="%h/.mp/authorized_keys").
test_user_authorize() {
	client_key
	install -d -m 0700 -o "$TEST_USER" -g "$TEST_GID" "$TEST_HOME/.mp" &&
	install -m 0600 -o "$TEST_USER" -g "$TEST_GID" "$HOME/.mp/id_ed25519.pub" \
	    "$TEST_HOME/.mp/authorized_keys" ||
	    fail "cannot install $TEST_USER's authorized_keys"
}

# ---- the client -------------------------------------------------------------

# mp_cmd ARGS...: mp against the test server (give the destination, e.g.
# 127.0.0.1), at most 20 s.
mp_cmd() {
	timeout -k 5 20 "$MP" -s "$MPS_PORT" --host-key-checking accept-new "$@"
}

# tcp_probe HEX SECONDS: connect to the server, send the bytes (hex), then
# read until the server closes or SECONDS pass. Prints "closed T N" (after
# T seconds, N bytes received) or "open N".
tcp_probe() {
	perl -e '
		use IO::Socket::INET; use Time::HiRes qw(time);
		my ($port, $hex, $wait) = @ARGV;
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port, Proto => "tcp") or die "connect: $!\n";
		my $t0 = time; my $got = 0;
		my $data = pack("H*", $hex);
		syswrite($s, $data) if length $data;
		my $rin = ""; vec($rin, fileno($s), 1) = 1;
		for (;;) {
			my $left = $wait - (time - $t0);
			if ($left <= 0) { print "open $got\n"; exit 0 }
			next if select(my $rout = $rin, undef, undef, $left) <= 0;
			my $n = sysread($s, my $buf, 65536);
			if (!$n) { printf "closed %.1f %d\n", time - $t0, $got; exit 0 }
			$got += $n;
		}' "$MPS_PORT" "$1" "$2"
}

# tcp_hold SECONDS: in the background, a connection to the server that sends
# nothing and stays open for SECONDS (an unauthenticated startup); sets
# HOLD_PID. tcp_release closes it early. $OBJ/hold.out says "connected".
tcp_hold() {
	perl -e '
		use IO::Socket::INET;
		$| = 1;
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $ARGV[0], Proto => "tcp") or die "connect: $!\n";
		print "connected\n";
		sleep $ARGV[1];' "$MPS_PORT" "$1" >"$OBJ/hold.out" 2>&1 &
	HOLD_PID=$!
	on_exit '[ -z "$HOLD_PID" ] || kill "$HOLD_PID" 2>/dev/null'
	wait_until 5 grep -q connected "$OBJ/hold.out"
}

tcp_release() {
	[ -n "${HOLD_PID:-}" ] || return 0
	kill "$HOLD_PID" 2>/dev/null
	wait "$HOLD_PID" 2>/dev/null
	HOLD_PID=""
	return 0
}

# ---- a terminal (tmux) --------------------------------------------------------

# tm ARGS...: tmux on this script's private server.
tm() {
	if [ -z "$TM_USED" ]; then
		TM_USED=1
		echo "set -g status off" >"$OBJ/tmux.conf"
	fi
	tmux -L "$TM_SOCK" -f "$OBJ/tmux.conf" "$@"
}

# tm_start NAME COLS ROWS COMMAND: a detached tmux session running COMMAND
# (by sh) in a COLS x ROWS pane; later tm_* calls use it.
tm_start() {
	TM_TARGET=$1
	tm new-session -d -s "$1" -x "$2" -y "$3" "$4"
}

# tm_screen: the pane's text into $OBJ/screen.
tm_screen() {
	tm capture-pane -p -J -t "$TM_TARGET" >"$OBJ/screen" 2>/dev/null
}

screen_has() {
	tm_screen
	grep -qF -- "$1" "$OBJ/screen"
}

# wait_for TEXT [SECONDS]: poll the pane (default 10 s) until it shows TEXT;
# a failure (with the screen) if it never does.
wait_for() {
	wait_until "${2:-10}" screen_has "$1" && return 0
	fail "screen never showed \"$1\": $(cat "$OBJ/screen")"
	return 1
}

# tm_type TEXT: type TEXT, then Enter.
tm_type() {
	tm send-keys -t "$TM_TARGET" -l -- "$1" && tm send-keys -t "$TM_TARGET" Enter
}

# tm_run COMMAND TEXT: type COMMAND until the pane shows TEXT (3 tries of 5 s:
# the first may be typed before the remote shell reads its terminal).
tm_run() {
	for _try in 1 2 3; do
		tm_type "$1"
		wait_until 5 screen_has "$2" && return 0
	done
	fail "\"$1\" never showed \"$2\": $(cat "$OBJ/screen")"
	return 1
}

# no_net_children: no session net child of this mps is left.
no_net_children() {
	[ -z "$(net_children)" ]
}

# mp_end_session WHAT: exit the remote shell of mp_interactive, expect
# status 0, and wait until the session is gone on the server (WHAT names
# it in failures); then mark the log.
mp_end_session() {
	tm_type exit
	wait_for "MP-EXIT=0" 10
	tm kill-session -t mp
	wait_until 15 no_net_children || { fail "$1: the session did not end"; return 1; }
	log_mark
}

# mp_interactive [MP ARGS...]: mp in tmux session "mp" (80x24), destination
# 127.0.0.1 unless given; its exit status appears as "MP-EXIT=N". Returns
# once mps logged the session and the remote shell runs commands.
mp_interactive() {
	[ $# -gt 0 ] || set -- 127.0.0.1
	_args=""
	for _a in "$@"; do
		_args="$_args '$_a'"
	done
	tm_start mp 80 24 "cd '$OBJ' && '$MP' -s '$MPS_PORT' --host-key-checking accept-new$_args; echo MP-EXIT=\$?; sleep 120"
	wait_log "session opened for" 15 || return 1
	tm_run 'echo ready-$((6*7))x' "ready-42x"
}

# ---- a lossy network (regress/tools/netsim) -----------------------------------

NETSIM="$MP_BUILD_DIR/tools/netsim"
NETSIM_PID=""
NETSIM_FWD_PID=""
NETSIM_STATS="$OBJ/netsim.stats"

# Stop the process with that pid (SIGTERM, then SIGKILL after 5 s).
stop_pid() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	wait_until 5 sh -c "! kill -0 $1 2>/dev/null" || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# netsim_mps [MPS CONFIG LINES...]: mps on 127.0.0.1 with a one-port UDP
# range ($NETSIM_PORT) and a TCP forwarder from 127.0.0.2, so that mp
# pointed at 127.0.0.2 sends its UDP to netsim (netsim_start) there.
netsim_mps() {
	NETSIM_PORT=$(random_port 40000 41999)
	start_mps "udp_port_range = \"$NETSIM_PORT-$NETSIM_PORT\"" "$@" || return 1
	perl "$(dirname "$0")/../helpers/tcpfwd" 127.0.0.2 "$MPS_PORT" \
	    127.0.0.1 "$MPS_PORT" "$OBJ/tcpfwd.log" 2>"$OBJ/tcpfwd.err" &
	NETSIM_FWD_PID=$!
	on_exit 'stop_pid "$NETSIM_FWD_PID"'
	wait_until 5 grep -q ready "$OBJ/tcpfwd.log" 2>/dev/null && return 0
	fail "the TCP forwarder did not start: $(cat "$OBJ/tcpfwd.err")"
	return 1
}

# netsim_start [NETSIM ARGS...]: netsim on 127.0.0.2:$NETSIM_PORT relaying
# to mps's UDP port with those impairments; counts in $NETSIM_STATS.
netsim_start() {
	rm -f "$NETSIM_STATS"
	"$NETSIM" --listen "127.0.0.2:$NETSIM_PORT" \
	    --server "127.0.0.1:$NETSIM_PORT" --stats "$NETSIM_STATS" "$@" \
	    2>"$OBJ/netsim.err" &
	NETSIM_PID=$!
	on_exit 'stop_pid "$NETSIM_PID"'
	wait_until 5 grep -q "^netsim: listening" "$OBJ/netsim.err" 2>/dev/null && return 0
	fail "netsim $*: did not start: $(cat "$OBJ/netsim.err")"
	return 1
}

# netsim_stop: stop netsim (it writes its counts).
netsim_stop() {
	stop_pid "$NETSIM_PID"
	NETSIM_PID=""
}

# netsim_count up|down WHAT: a count from the stats file.
netsim_count() {
	awk -v d="$1" -v w="$2" '$1 == d && $2 == w { print $3 }' "$NETSIM_STATS"
}

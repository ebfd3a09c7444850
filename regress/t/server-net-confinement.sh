# server-net-confinement.sh: the net child of a session and of a login in progress runs with no_new_privs, a seccomp filter, no capabilities, and (as root) the privsep user in the empty chroot.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

# confined PID WHAT: check the process's confinement from /proc.
confined() {
	[ -r "/proc/$1/status" ] || { fail "$2: process $1 is gone"; return; }
	# A child just started confines itself within moments.
	wait_until 3 sh -c "grep -q '^Seccomp:[[:space:]]*2' /proc/$1/status"
	v=$(proc_status "$1" NoNewPrivs)
	[ "$v" = 1 ] || fail "$2: NoNewPrivs $v"
	v=$(proc_status "$1" Seccomp)
	[ "$v" = 2 ] || fail "$2: Seccomp $v (2 is a filter)"
	caps="CapEff CapPrm CapInh CapAmb"
	[ "$(id -u)" -eq 0 ] && caps="$caps CapBnd"	# only root can empty it
	for cap in $caps; do
		v=$(proc_status "$1" $cap)
		[ "$v" = 0000000000000000 ] || fail "$2: $cap $v"
	done
	if [ "$(id -u)" -eq 0 ]; then
		want=$(id -u "$MPS_PRIVSEP_USER")
		set -- "$1" "$2" $(proc_status "$1" Uid)
		[ "$3 $4 $5 $6" = "$want $want $want $want" ] ||
		    fail "$2: Uid $3 $4 $5 $6, expected $want everywhere"
		root=$(readlink "/proc/$1/root")
		[ "$root" = "$SRV/empty" ] || fail "$2: root $root, expected $SRV/empty"
		cwd=$(readlink "/proc/$1/cwd")
		[ "$cwd" = "$SRV/empty" ] || fail "$2: cwd $cwd, expected $SRV/empty"
		[ "$(proc_status "$1" Groups)" = "" ] || fail "$2: supplementary groups $(proc_status "$1" Groups)"
	else
		set -- "$1" "$2" $(proc_status "$1" Uid)
		[ "$3" = "$(id -u)" ] || fail "$2: Uid $3"
	fi
}

mp_interactive || finish
session_net=$(net_children)
[ -n "$session_net" ] || fail "no mps-net process during the session"
[ "$(echo "$session_net" | wc -l)" = 1 ] || fail "more than one mps-net: $session_net"
for p in $session_net; do
	confined "$p" "session net child"
done

# A login in progress: a silent connection keeps its preauth child waiting.
tcp_probe "" 6 >/dev/null &
probe=$!
preauth=""
i=0
while [ -z "$preauth" ] && [ $i -lt 50 ]; do
	for p in $(net_children); do
		echo "$session_net" | grep -qx "$p" || preauth=$p
	done
	[ -n "$preauth" ] || sleep 0.1
	i=$((i + 1))
done
if [ -n "$preauth" ]; then
	confined "$preauth" "preauth net child"
else
	fail "no preauth mps-net appeared for a new connection"
fi
kill "$probe" 2>/dev/null
wait "$probe" 2>/dev/null
finish

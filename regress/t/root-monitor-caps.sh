# root-monitor-caps.sh: as root, the per-connection monitor (before and after login) gives up the capabilities it does not use (CAP_NET_RAW, CAP_SYS_MODULE, CAP_SYS_PTRACE among them) but keeps the bounding set whole, so that root's session keeps its powers and setuid programs work in sessions.
. "$(dirname "$0")/../test-exec.sh"
require_root
require_programs
start_mps || finish
FULL=000001ffffffffff
l_eff=$(proc_status "$MPS_PID" CapEff)
l_bnd=$(proc_status "$MPS_PID" CapBnd)
[ -n "$l_eff" ] && [ -n "$l_bnd" ] || { fail "cannot read the listener's capabilities"; finish; }

# bit MASK N: 1 if capability N is in the hex MASK.
bit() {
	echo $(((0x$1 >> $2) & 1))
}

# monitor_caps PID WHAT: the capabilities of a monitor process.
monitor_caps() {
	[ -r "/proc/$1/status" ] || { fail "$2: process $1 is gone"; return; }
	set -- "$1" "$2" "$(proc_status "$1" CapEff)" "$(proc_status "$1" CapPrm)" "$(proc_status "$1" CapBnd)"
	[ "$3" != "$FULL" ] && [ "$3" != "$l_eff" ] ||
	    fail "$2: CapEff $3 is the full set (the listener's is $l_eff)"
	for cap in 13:CAP_NET_RAW 16:CAP_SYS_MODULE 19:CAP_SYS_PTRACE; do
		[ "$(bit "$3" "${cap%%:*}")" = 0 ] || fail "$2: ${cap#*:} is in CapEff $3"
		[ "$(bit "$4" "${cap%%:*}")" = 0 ] || fail "$2: ${cap#*:} is in CapPrm $4 (it could be raised again)"
	done
	[ "$5" = "$l_bnd" ] || fail "$2: CapBnd $5, expected the listener's $l_bnd"
}

# An interactive session: its monitor is the parent of the session's
# mps-net and a child of the listener.
mp_interactive || finish
tm_run 'echo shell-pid=$$=$((3*3))' "=9" || finish
shell=$(sed -n 's/^shell-pid=\([0-9]*\)=9.*/\1/p' "$OBJ/screen" | head -n 1)
net=$(net_children)
[ "$(echo "$net" | grep -c .)" = 1 ] || { fail "expected one mps-net, got: $net"; finish; }
monitor=$(net_monitor "$net")
[ "$(proc_table | awk -v p="$monitor" '$1 == p { print $2, $3 }')" = "$MPS_PID mps" ] ||
    fail "the monitor $monitor is not an mps child of the listener $MPS_PID"
[ "$(proc_status "$monitor" Uid | awk '{ print $1 }')" = 0 ] || fail "the monitor is not root"
monitor_caps "$monitor" "session monitor"

# root's shell in the session keeps root's capabilities and bounding set.
if [ -n "$shell" ] && [ -r "/proc/$shell/status" ]; then
	[ "$(proc_status "$shell" CapBnd)" = "$l_bnd" ] ||
	    fail "root's session shell: CapBnd $(proc_status "$shell" CapBnd), expected $l_bnd"
	[ "$(proc_status "$shell" CapEff)" = "$l_eff" ] ||
	    fail "root's session shell: CapEff $(proc_status "$shell" CapEff), expected $l_eff"
else
	fail "no pid for the session's shell: $(cat "$OBJ/screen")"
fi
# The session still works as root.
tm_run 'echo id=$(id -u)=$((2*2))' "id=0=4"

# A connection that has not logged in: its monitor too.
tcp_hold 10 || { fail "cannot hold a connection: $(cat "$OBJ/hold.out")"; finish; }
pre_net=""
find_preauth() {
	for p in $(net_children); do
		[ "$p" = "$net" ] || pre_net=$p
	done
	[ -n "$pre_net" ]
}
if wait_until 5 find_preauth; then
	monitor_caps "$(net_monitor "$pre_net")" "preauth monitor"
else
	fail "no preauth mps-net appeared for a new connection"
fi
tcp_release
# The listener itself is left as it was.
[ "$(proc_status "$MPS_PID" CapEff)" = "$l_eff" ] || fail "the listener's CapEff changed"
finish

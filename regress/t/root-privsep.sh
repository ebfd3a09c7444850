# root-privsep.sh: as root, mps refuses a missing privsep user or an unsafe chroot, and a session's processes are listener and monitor as root, net child as the privsep user in the chroot, shell as the user.
. "$(dirname "$0")/../test-exec.sh"
require_root
require_programs
exec </dev/null
mps_setup

mps_write_config "$SRV/t.toml" 23457 'privsep_user = "nosuchuser'$$'"'
expect_fail "missing privsep user" "privilege separation user nosuchuser$$ does not exist" "$MPS" -t -c "$SRV/t.toml"
mkdir -m 0775 "$SRV/gw"
mps_write_config "$SRV/t.toml" 23457 "privsep_chroot = \"$SRV/gw\""
expect_fail "group-writable chroot" "privilege separation directory $SRV/gw must" "$MPS" -t -c "$SRV/t.toml"
mkdir -m 0755 "$SRV/notroot"
chown "$MPS_PRIVSEP_USER" "$SRV/notroot"
mps_write_config "$SRV/t.toml" 23457 "privsep_chroot = \"$SRV/notroot\""
expect_fail "chroot not owned by root" "privilege separation directory $SRV/notroot must" "$MPS" -t -c "$SRV/t.toml"

start_mps || finish
mp_interactive || finish
tm_run 'echo shell-pid=$$=$((3*3))' "=9" || finish
shell=$(sed -n 's/^shell-pid=\([0-9]*\)=9.*/\1/p' "$OBJ/screen" | head -n 1)
[ -n "$shell" ] && [ -r "/proc/$shell/status" ] || { fail "no shell pid"; finish; }

uid_of() {
	proc_status "$1" Uid | awk '{ print $1 }'
}
privsep=$(id -u "$MPS_PRIVSEP_USER")
[ "$(uid_of "$MPS_PID")" = 0 ] || fail "the listener is not root"
net=$(net_children)
[ "$(echo "$net" | grep -c .)" = 1 ] || fail "expected one mps-net, got: $net"
monitor=$(proc_table | awk -v p="$net" '$1 == p { print $2 }')
[ "$(uid_of "$monitor")" = 0 ] || fail "the monitor $monitor is not root"
[ "$(uid_of "$net")" = "$privsep" ] || fail "the net child runs as uid $(uid_of "$net")"
[ "$(readlink "/proc/$net/root")" = "$SRV/empty" ] || fail "the net child's root is $(readlink "/proc/$net/root")"
[ "$(readlink "/proc/$monitor/root")" = / ] || fail "the monitor is chrooted"
[ "$(uid_of "$shell")" = "$(id -u)" ] || fail "the shell runs as uid $(uid_of "$shell")"
# The shell descends from the monitor, not from the net child.
proc_descendants "$monitor" | grep -qx "$shell" || fail "the shell is not below the monitor"
proc_descendants "$net" | grep -qx "$shell" && fail "the shell is below the net child"
# The net child holds no PTY slave, no files outside what it was given.
ls -l "/proc/$net/fd" 2>/dev/null | grep -q "$HOME\|/etc/" && fail "the net child has files open: $(ls -l /proc/$net/fd)"
finish

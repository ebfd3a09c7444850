# session-authkeys-modes.sh: StrictModes: a group-writable authorized_keys (or its directory) is refused and the log names the check; fixed, the key is accepted.
. "$(dirname "$0")/../test-exec.sh"
require_programs
MPS_AUTHKEYS="$OBJ/keys/authorized_keys"
mkdir -m 0755 "$OBJ/keys"
start_mps || finish
cp "$HOME/.mp/id_ed25519.pub" "$MPS_AUTHKEYS"

# try DESCRIPTION EXPECTED_LOG: a login must be refused, with that reason.
refused() {
	log_mark
	mp_cmd 127.0.0.1 -- echo should-not-run </dev/null >"$OBJ/out" 2>"$OBJ/err"
	rc=$?
	[ $rc = 255 ] || fail "$1: exit status $rc, expected 255"
	grep -q "Permission denied (publickey)\." "$OBJ/err" || fail "$1: client message: $(cat "$OBJ/err")"
	wait_log "$2"
}

chmod 0620 "$MPS_AUTHKEYS"
refused "group-writable file" "cannot use $MPS_AUTHKEYS: bad ownership or modes for file $MPS_AUTHKEYS"
chmod 0602 "$MPS_AUTHKEYS"
refused "world-writable file" "bad ownership or modes for file $MPS_AUTHKEYS"
chmod 0600 "$MPS_AUTHKEYS"
chmod 0775 "$OBJ/keys"
refused "group-writable directory" "bad ownership or modes for directory $OBJ/keys"
chmod 0755 "$OBJ/keys"

log_mark
out=$(mp_cmd 127.0.0.1 -- echo in-\$\(\(5+5\)\) </dev/null 2>"$OBJ/err")
[ "$out" = in-10 ] || fail "fixed modes: not accepted: $(cat "$OBJ/err")"
wait_log "accepted key SHA256:"

# strict_modes = false accepts the group-writable file.
chmod 0620 "$MPS_AUTHKEYS"
restart_mps "strict_modes = false" || finish
out=$(mp_cmd 127.0.0.1 -- echo in-\$\(\(6+6\)\) </dev/null 2>"$OBJ/err")
[ "$out" = in-12 ] || fail "strict_modes = false: not accepted: $(cat "$OBJ/err")"
finish

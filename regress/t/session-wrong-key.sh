# session-wrong-key.sh: a client key that is not in authorized_keys gets "Permission denied (publickey).", status 255, and mps logs why.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

"$MP_KEYGEN" generate -n -o "$OBJ/other_key" >/dev/null 2>&1 || fail "cannot generate a key"
mp_cmd -i "$OBJ/other_key" 127.0.0.1 -- echo should-not-run </dev/null >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 255 ] || fail "exit status $rc, expected 255"
grep -q "Permission denied (publickey)\." "$OBJ/err" || fail "client message: $(cat "$OBJ/err")"
[ -s "$OBJ/out" ] && fail "the command ran: $(cat "$OBJ/out")"
wait_log "refused key for user $(id -un) from 127.0.0.1"
log_has "key not in $MPS_AUTHKEYS" || fail "log does not say the key is not in $MPS_AUTHKEYS"

# The right key still works afterwards.
out=$(mp_cmd 127.0.0.1 -- echo ok-\$\(\(2+2\)\) </dev/null 2>"$OBJ/err")
[ "$out" = ok-4 ] || fail "the authorized key was refused: $(cat "$OBJ/err")"
finish

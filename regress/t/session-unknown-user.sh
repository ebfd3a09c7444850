# session-unknown-user.sh: a login as a user that does not exist is refused like a wrong key, and mps logs the unknown user.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

mp_cmd nosuchuser@127.0.0.1 true </dev/null >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 255 ] || fail "exit status $rc, expected 255"
grep -q "Permission denied (publickey)\." "$OBJ/err" || fail "client message: $(cat "$OBJ/err")"
wait_log "refused login of unknown user nosuchuser from 127.0.0.1"
# Same with -l.
mp_cmd -l nosuchuser2 127.0.0.1 true </dev/null >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 255 ] || fail "-l: exit status $rc, expected 255"
grep -q "Permission denied (publickey)\." "$OBJ/err" || fail "-l: client message: $(cat "$OBJ/err")"
wait_log "refused login of unknown user nosuchuser2 from 127.0.0.1"
finish

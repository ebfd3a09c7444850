# session-login-echo.sh: interactive mp in a terminal logs in, runs a typed command, and `exit` ends mp with a message and status 0.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

mp_interactive || finish
tm_run "echo hello-\$(($$ + 1))" "hello-$(($$ + 1))"
wait_log "session opened for $(id -un)" 1
tm_type "exit"
wait_for "MP-EXIT=0" || finish
grep -q "connection to 127.0.0.1 closed" "$OBJ/screen" ||
    fail "no closing message: $(cat "$OBJ/screen")"
wait_log "session of $(id -un) from 127.0.0.1" 5
log_has "ended: exit status 0" || fail "mps did not log the exit status 0: $(log_since | tail -n 3)"
finish

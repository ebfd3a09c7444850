# server-monitor-stop.sh: SIGTERM to a session's monitor ends that session cleanly (the shell is hung up, the net child stopped, the end logged) while mps and other sessions go on.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

mp_interactive || finish
tm_type 'echo shell-pid-$$'
wait_for "shell-pid-" || finish
shell=$(tm_screen; sed -n 's/.*shell-pid-\([0-9][0-9]*\).*/\1/p' "$OBJ/screen" | tail -1)
net=$(net_children | head -1)
[ -n "$net" ] || { fail "no session net child"; finish; }
monitor=$(net_monitor "$net")
[ -n "$monitor" ] && [ "$monitor" != "$MPS_PID" ] ||
    { fail "no monitor for net child $net"; finish; }

log_mark
kill -TERM "$monitor"
wait_log "asked to stop; ending the session" 5
wait_log "ended: signal 1" 10
wait_for "MP-EXIT=129" || fail "mp did not end with the status of the hung-up shell"
wait_until 5 sh -c "! kill -0 $monitor 2>/dev/null" || fail "the monitor $monitor is still there"
[ -n "$shell" ] && kill -0 "$shell" 2>/dev/null && fail "the shell $shell survived"
kill -0 "$net" 2>/dev/null && fail "the net child $net survived"

# The server is untouched and serves on.
kill -0 "$MPS_PID" || fail "mps is gone"
out=$(mp_cmd 127.0.0.1 -- 'echo after-$((3*3))' </dev/null 2>"$OBJ/err")
[ "$out" = after-9 ] || fail "login after the stop: $(cat "$OBJ/err")"
finish

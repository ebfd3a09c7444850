# session-timeout.sh: with session_timeout set, a session whose client stopped answering ends after that long: the server logs why and hangs up the shell; a client that comes back is told the session is gone.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps "session_timeout = 3" || finish
mp_interactive || finish
tm_run 'echo "she""ll=$$"' "shell=" || finish
shell=$(sed -n 's/.*shell=\([0-9]*\).*/\1/p' "$OBJ/screen" | tail -n 1)
kill -0 "$shell" 2>/dev/null || fail "the remote shell $shell is not running"
mp=$(pgrep -f "^$MP -s $MPS_PORT" | head -n 1)
[ -n "$mp" ] || fail "mp is not running"

# The client stops (as a laptop asleep): after 3 s the session ends.
kill -STOP "$mp"
on_exit "kill -CONT $mp 2>/dev/null"
wait_log "no word from the client for 3 s (session_timeout); ending the session" 15 || finish
wait_until 10 sh -c "! kill -0 $shell 2>/dev/null" || fail "the shell $shell outlived the session"
wait_log "ended" 10

# The client wakes up: after its silence it tries to resume, and learns
# the session is gone.
kill -CONT "$mp"
wait_for "MP-EXIT=255" 40 || finish
grep -q "no longer has the session" "$OBJ/screen" ||
    fail "mp did not say the session is gone: $(cat "$OBJ/screen")"
finish

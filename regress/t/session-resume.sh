# session-resume.sh: mp killed outright and started again in the same terminal resumes the same shell (a background job is still there), and a resume with a wrong secret is refused, logged, and starts a new session instead.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

# mp in a loop in one terminal: when it dies, the same terminal starts it
# again (as a user would), until the file "stop" appears.
tm_start mp 80 24 "cd '$OBJ' && while [ ! -e stop ]; do '$MP' -v -s '$MPS_PORT' --host-key-checking accept-new 127.0.0.1 2>>mp.err; echo MP-EXIT=\$?; sleep 1; done; sleep 60"
on_exit 'touch "$OBJ/stop"'
wait_log "session opened for" 15 || finish
tm_run 'echo ready-$((6*7))x' "ready-42x" || finish
tm_run 'sleep 300 & echo "jo""b=$! shell=$$"' "job=" || finish
job=$(sed -n 's/.*job=\([0-9]*\) shell=\([0-9]*\).*/\1 \2/p' "$OBJ/screen" | tail -n 1)
[ -n "$job" ] || fail "no job line: $(cat "$OBJ/screen")"
[ "$(find "$HOME/.mp/sessions" -type f | wc -l)" -eq 1 ] ||
    fail "no saved session: $(ls -la "$HOME/.mp/sessions" 2>&1)"
perm=$(stat -c %a "$(find "$HOME/.mp/sessions" -type f)")
[ "$perm" = 600 ] || fail "the saved session has mode $perm, not 600"

mp_pid() {
	pgrep -f "^$MP -v -s $MPS_PORT" | head -n 1
}

# kill -9: the server keeps the session; the restarted mp resumes it.
pid=$(mp_pid)
[ -n "$pid" ] || fail "mp is not running"
log_mark
kill -KILL "$pid"
wait_log "session of root resumed from 127.0.0.1" 20 || finish
tm_run 'echo "jo""bs=$(jobs -p | tr "\n" " ")now=$$"' "jobs=" || finish
got=$(sed -n 's/.*jobs=\([0-9]*\) *now=\([0-9]*\).*/\1 \2/p' "$OBJ/screen" | tail -n 1)
set -- $job
case "$got" in
"$1 $2") ;;
*) fail "after the resume: jobs and shell \"$got\", expected \"$1 $2\"" ;;
esac
log_has "session opened for" && fail "a new session was opened instead of a resume"

# A wrong secret: refused and logged; mp says so and starts a new session.
f=$(find "$HOME/.mp/sessions" -type f)
sed -i 's/^secret .*/secret 0000000000000000000000000000000000000000000000000000000000000000/' "$f"
log_mark
kill -KILL "$(mp_pid)"
wait_log "refused to resume the session of root for root from 127.0.0.1" 20
log_has "wrong proof" || fail "the refusal does not say why" || finish
wait_log "session opened for" 20 || finish
grep -q "the session saved for this terminal is gone; starting a new one" "$OBJ/mp.err" ||
    fail "mp did not say the saved session is gone: $(tail -n 5 "$OBJ/mp.err")"
tm_run 'echo "no""w=$$"' "now=" || finish
new=$(sed -n 's/.*now=\([0-9]*\).*/\1/p' "$OBJ/screen" | tail -n 1)
[ "$new" != "$2" ] || fail "the shell did not change after a refused resume"

# The old session (still running, its client gone) and the new one end
# with the server.
touch "$OBJ/stop"
tm_type 'exit'
wait_for "MP-EXIT=0" 15
[ -z "$(find "$HOME/.mp/sessions" -type f)" ] ||
    fail "the saved session was not removed when the session ended"
finish

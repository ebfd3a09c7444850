# server-sandbox-violation.sh: a net child that makes a forbidden system call (test hook MPS_TEST_NET_VIOLATION) is killed by seccomp, logged, and mps goes on serving.
. "$(dirname "$0")/../test-exec.sh"
require_programs
SIGSYS_TEXT="killed by signal 31 (a forbidden system call)"

# Preauth: every login dies at once; the listener survives them.
MPS_ENV="MPS_TEST_NET_VIOLATION=preauth"
start_mps || finish
for i in 1 2; do
	log_mark
	mp_cmd 127.0.0.1 -- echo should-not-run </dev/null >"$OBJ/out" 2>"$OBJ/err"
	rc=$?
	[ $rc = 255 ] || fail "preauth violation $i: mp exit status $rc, expected 255"
	[ -s "$OBJ/out" ] && fail "preauth violation $i: the command ran"
	wait_log "net child for 127.0.0.1 port"
	wait_log "$SIGSYS_TEXT"
done
kill -0 "$MPS_PID" 2>/dev/null || fail "mps died with its net child"

# Session: the session's net child dies; the session is hung up.
MPS_ENV="MPS_TEST_NET_VIOLATION=session"
restart_mps || finish
timeout -k 2 8 "$MP" -s "$MPS_PORT" --host-key-checking accept-new 127.0.0.1 -- \
    'sleep 20; echo should-not-finish' </dev/null >"$OBJ/out" 2>"$OBJ/err" &
client=$!
wait_log "session opened for"
wait_log "session net child for 127.0.0.1 port"
wait_log "$SIGSYS_TEXT"
wait_log "session of $(id -un) from 127.0.0.1"
wait "$client"
grep -q should-not-finish "$OBJ/out" && fail "the session's command finished"
kill -0 "$MPS_PID" 2>/dev/null || fail "mps died with the session net child"
[ -z "$(net_children)" ] || fail "a net child is left: $(net_children)"

# Without the hook, logins work again.
MPS_ENV=""
restart_mps || finish
out=$(mp_cmd 127.0.0.1 -- echo in-\$\(\(8+1\)\) </dev/null 2>"$OBJ/err")
[ "$out" = in-9 ] || fail "login without the hook: $(cat "$OBJ/err")"
log_has "forbidden system call" && fail "a net child was killed without the hook"
finish

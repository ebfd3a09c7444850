# session-exit-status.sh: mp exits with the remote command's status (0, 1, 42), 128+N for a command killed by signal N, and the shell's status after `exit 3` in a terminal.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

# status COMMAND: mp's exit status for the remote COMMAND (no terminal).
status() {
	mp_cmd 127.0.0.1 -- "$1" </dev/null >"$OBJ/out" 2>"$OBJ/err"
	echo $?
}

for want in 0 1 42; do
	got=$(status "exit $want")
	[ "$got" = "$want" ] || fail "exit $want: mp exited $got ($(cat "$OBJ/err"))"
done
got=$(status true)
[ "$got" = 0 ] || fail "true: mp exited $got ($(cat "$OBJ/err"))"
got=$(status false)
[ "$got" = 1 ] || fail "false: mp exited $got ($(cat "$OBJ/err"))"

# Killed by a signal: 128 + N (docs/mp.md), and mps logs the signal.
log_mark
got=$(status 'echo before; kill -TERM $$; echo after')
[ "$got" = 143 ] || fail "kill -TERM \$\$: mp exited $got, expected 128+15 ($(cat "$OBJ/err"))"
grep -qx before "$OBJ/out" || fail "kill -TERM: output before the signal lost: $(cat "$OBJ/out")"
grep -q after "$OBJ/out" && fail "kill -TERM: the command went on after the signal"
wait_log "ended: signal 15" 5
got=$(status 'kill -KILL $$')
[ "$got" = 137 ] || fail "kill -KILL \$\$: mp exited $got, expected 128+9 ($(cat "$OBJ/err"))"

# Interactive: the login shell's `exit 3`.
log_mark
mp_interactive || finish
tm_type "exit 3"
wait_for "MP-EXIT=3" || finish
wait_log "ended: exit status 3" 5
finish

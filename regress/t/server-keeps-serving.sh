# server-keeps-serving.sh: while an interactive session runs a command, another login (command mode) is served in parallel.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

mp_interactive || finish
tm_type 'sleep 30; echo slept-$((5*5))'
sleep 1
out=$(mp_cmd 127.0.0.1 -- 'echo parallel-$((7*6))' </dev/null 2>"$OBJ/err")
rc=$?
[ $rc = 0 ] || fail "the parallel login failed ($rc): $(cat "$OBJ/err")"
[ "$out" = "parallel-42" ] || fail "the parallel login printed \"$out\""
tm_screen
grep -q "slept-25" "$OBJ/screen" && fail "the interactive command ended early"
n=$(log_since | grep -c "session opened for")
[ "$n" -ge 2 ] || fail "mps logged $n sessions, expected 2"
# The interactive session is still alive and answers.
tm send-keys -t mp C-c
tm_run 'echo alive-$((8*8))' "alive-64"
finish

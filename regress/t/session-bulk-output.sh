# session-bulk-output.sh: a command's large output (seq 1 200000, 1.2 MB) arrives whole and in order, and a terminal session shows all of seq 1 20000 and then the prompt.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

seq 1 200000 >"$OBJ/expect"
mp_cmd 127.0.0.1 -- seq 1 200000 </dev/null >"$OBJ/out" 2>"$OBJ/err" ||
    fail "seq 1 200000: exit status $? ($(cat "$OBJ/err"))"
cmp "$OBJ/expect" "$OBJ/out" >"$OBJ/cmp" 2>&1 ||
    fail "seq 1 200000: output differs: $(cat "$OBJ/cmp"); got $(wc -c <"$OBJ/out") of $(wc -c <"$OBJ/expect") bytes, last line $(tail -n 1 "$OBJ/out")"
# Output on stderr too, interleaved with stdout, each stream intact.
mp_cmd 127.0.0.1 -- 'seq 1 50000; seq 1 50000 >&2' </dev/null >"$OBJ/out" 2>"$OBJ/err" ||
    fail "stdout and stderr: exit status $?"
seq 1 50000 >"$OBJ/expect"
cmp -s "$OBJ/expect" "$OBJ/out" || fail "stdout of seq 1 50000 differs ($(wc -l <"$OBJ/out") lines)"
cmp -s "$OBJ/expect" "$OBJ/err" || fail "stderr of seq 1 50000 differs ($(wc -l <"$OBJ/err") lines)"

# A terminal: the last lines are 19999, 20000 and a prompt that takes a
# command.
mp_interactive || finish
tm_type 'seq 1 20000; echo done-$((10*10))'
wait_for "done-100" 30 || finish
tm_screen
# The screen's last non-empty lines: 19998, 19999, 20000, done-100, prompt.
grep -v '^$' "$OBJ/screen" | tail -n 5 >"$OBJ/tail"
sed -n 1,4p "$OBJ/tail" | tr '\n' ' ' | grep -q '^19998 19999 20000 done-100 $' ||
    fail "the screen does not end with 19998 19999 20000 done-100: $(cat "$OBJ/tail")"
tm_run 'echo after-$((6*6))' "after-36"
finish

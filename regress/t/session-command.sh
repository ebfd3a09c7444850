# session-command.sh: command mode carries stdin, stdout, stderr and the exit status like ssh, with and without -T, and 1 MB intact.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

echo "line one of $$" >"$OBJ/in"
mp_cmd 127.0.0.1 -- 'cat; echo err >&2; exit 7' <"$OBJ/in" >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 7 ] || fail "exit status $rc, expected 7 (stderr: $(cat "$OBJ/err"))"
cmp -s "$OBJ/in" "$OBJ/out" || fail "stdout is not stdin: $(head -c 300 "$OBJ/out")"
grep -qx "err" "$OBJ/err" || fail "stderr lacks \"err\": $(cat "$OBJ/err")"
grep -q "err" "$OBJ/out" && fail "stderr leaked into stdout"

# -T, and a command with nothing on stdin.
mp_cmd -T 127.0.0.1 -- 'echo $((6*7)); exit 3' </dev/null >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 3 ] || fail "-T: exit status $rc, expected 3 (stderr: $(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = 42 ] || fail "-T: stdout \"$(cat "$OBJ/out")\", expected 42"
mp_cmd 127.0.0.1 -- 'cat; echo done' </dev/null >"$OBJ/out" 2>"$OBJ/err" ||
    fail "no stdin: exit status $? (stderr: $(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = done ] || fail "no stdin: stdout \"$(cat "$OBJ/out")\""

# 1 MB round trip.
seq 1 200000 | head -c 1048576 >"$OBJ/big"
mp_cmd 127.0.0.1 -- cat <"$OBJ/big" >"$OBJ/big.out" 2>"$OBJ/err" ||
    fail "1 MB: exit status $? (stderr: $(cat "$OBJ/err"))"
cmp "$OBJ/big" "$OBJ/big.out" >"$OBJ/cmp" 2>&1 ||
    fail "1 MB did not round-trip: $(cat "$OBJ/cmp"); got $(wc -c <"$OBJ/big.out") bytes"
finish

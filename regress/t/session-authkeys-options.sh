# session-authkeys-options.sh: authorized_keys options: from= limits where a key may log in from; command= forces the command whatever the client asks.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish
pub=$(cat "$HOME/.mp/id_ed25519.pub")

echo "from=\"10.0.0.0/8\" $pub" >"$MPS_AUTHKEYS"
mp_cmd 127.0.0.1 -- echo should-not-run </dev/null >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 255 ] || fail "from=10.0.0.0/8: exit status $rc, expected 255"
grep -q "Permission denied (publickey)\." "$OBJ/err" || fail "from=10.0.0.0/8: client message: $(cat "$OBJ/err")"
[ -s "$OBJ/out" ] && fail "from=10.0.0.0/8: the command ran"
wait_log "from="

echo "from=\"127.0.0.1\" $pub" >"$MPS_AUTHKEYS"
out=$(mp_cmd 127.0.0.1 -- echo in-\$\(\(1+6\)\) </dev/null 2>"$OBJ/err")
[ "$out" = in-7 ] || fail "from=127.0.0.1: refused: $(cat "$OBJ/err")"

echo "command=\"echo forced\" $pub" >"$MPS_AUTHKEYS"
out=$(mp_cmd 127.0.0.1 -- echo asked </dev/null 2>"$OBJ/err")
[ "$out" = forced ] || fail "command=: output \"$out\" ($(cat "$OBJ/err"))"
out=$(mp_cmd -T 127.0.0.1 </dev/null 2>"$OBJ/err")
[ "$out" = forced ] || fail "command=, no command asked: output \"$out\" ($(cat "$OBJ/err"))"
wait_log "running the command forced by"
finish

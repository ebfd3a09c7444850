# session-hostkey-changed.sh: after the server's host key changes, mp refuses to connect with the warning and the remove command, and leaves known_hosts alone.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish
KH="$HOME/.mp/known_hosts"

mp_cmd 127.0.0.1 true </dev/null 2>"$OBJ/err" || fail "first login: $(cat "$OBJ/err")"
grep -q "^\[127\.0\.0\.1\]:$MPS_PORT " "$KH" 2>/dev/null ||
    fail "host key not recorded: $(cat "$KH" 2>&1)"
cp "$KH" "$OBJ/kh.before"

new_host_key
restart_mps || finish
mp_cmd 127.0.0.1 -- echo should-not-run </dev/null >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 255 ] || fail "exit status $rc, expected 255"
grep -q "REMOTE HOST IDENTIFICATION HAS CHANGED" "$OBJ/err" || fail "no warning: $(cat "$OBJ/err")"
grep -q "mp-keygen known-hosts remove" "$OBJ/err" || fail "no remove command: $(cat "$OBJ/err")"
[ -s "$OBJ/out" ] && fail "the command ran: $(cat "$OBJ/out")"
cmp -s "$KH" "$OBJ/kh.before" || fail "known_hosts changed"
# --host-key-checking accept-new does not override a changed key either
# (mp_cmd passes it), nor does strict.
mp_cmd --host-key-checking strict 127.0.0.1 true </dev/null 2>"$OBJ/err" &&
    fail "strict accepted a changed key"

# The command it prints fixes it.
cmd=$(sed -n 's/^ *\(mp-keygen known-hosts remove .*\)$/\1/p' "$OBJ/err" | head -n 1)
( PATH="$MP_BUILD_DIR/bin:$PATH"; eval "$cmd" ) >/dev/null 2>&1 || fail "\"$cmd\" failed"
mp_cmd 127.0.0.1 true </dev/null 2>"$OBJ/err" || fail "login after the remove: $(cat "$OBJ/err")"
finish

# keygen-known-hosts.sh: known-hosts remove drops only the host's lines, keeps a .old backup and the mode, and reports absent hosts and bad names.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

status() {
	"$@" >/dev/null 2>&1
	echo $?
}

# The "moshpit BASE64" part of a new key's .pub file.
blob() {
	"$MP_KEYGEN" generate -n -o "$OBJ/$1" -C "c" >/dev/null 2>&1 ||
	    fail "generate $1"
	cut -d' ' -f1,2 "$OBJ/$1.pub"
}

A=$(blob a)
B=$(blob b)
C=$(blob c)
D=$(blob d)
KH="$OBJ/known_hosts"

# The file, and what must be left of it after removing alpha.example.
{
	echo "# known hosts for the test"
	echo "alpha.example $A"
	echo ""
	echo "beta.example $B"
	echo "[alpha.example]:2222 $C"
	echo "alpha.example $B"
	echo "  # indented comment	with a tab"
	echo "[::1]:40405 $D"
	echo "gamma.example,10.0.0.1 $C"
	echo "this line is not valid"
} >"$KH"
grep -v '^alpha\.example ' "$KH" >"$OBJ/expect"
cp "$KH" "$OBJ/orig"
chmod 640 "$KH"

expect_ok "remove alpha.example" "$MP_KEYGEN" known-hosts remove alpha.example -f "$KH"
grep -q "^# Host alpha.example found: removed 2 line(s)$" "$OBJ/out" ||
    fail "remove: output '$(cat "$OBJ/out")'"
grep -q "$KH updated\.$" "$OBJ/err" || fail "remove: no 'updated' message"
grep -q "Original contents retained as $KH.old$" "$OBJ/err" ||
    fail "remove: no backup message"
cmp -s "$KH" "$OBJ/expect" || fail "other lines not kept byte for byte"
cmp -s "$KH.old" "$OBJ/orig" || fail "backup differs from the original"
[ "$(stat -c %a "$KH")" = 640 ] || fail "mode not kept: $(stat -c %a "$KH")"
[ "$(ls "$OBJ" | grep -c '^known_hosts\.')" = 1 ] ||
    fail "temporary file left behind: $(ls "$OBJ")"

expect_fail "absent host" "alpha\.example not found in $KH" \
    "$MP_KEYGEN" known-hosts remove alpha.example -f "$KH"
[ "$(status "$MP_KEYGEN" known-hosts remove alpha.example -f "$KH")" = 1 ] ||
    fail "absent host: exit status"
cmp -s "$KH" "$OBJ/expect" || fail "absent host changed the file"

grep -v '^\[::1\]:40405 ' "$OBJ/expect" >"$OBJ/expect2"
expect_ok "remove [::1]:40405" "$MP_KEYGEN" known-hosts remove "[::1]:40405" -f "$KH"
grep -q "removed 1 line(s)" "$OBJ/out" || fail "[::1]:40405: output"
cmp -s "$KH" "$OBJ/expect2" || fail "[::1]:40405: wrong lines removed"
cmp -s "$KH.old" "$OBJ/expect" || fail "[::1]:40405: backup not refreshed"

grep -v '^\[alpha\.example\]:2222 ' "$OBJ/expect2" >"$OBJ/expect3"
expect_ok "remove host:port" "$MP_KEYGEN" known-hosts remove alpha.example:2222 -f "$KH"
cmp -s "$KH" "$OBJ/expect3" || fail "alpha.example:2222: wrong lines removed"

mkdir -p "$HOME/.mp"
echo "delta.example $A" >"$HOME/.mp/known_hosts"
echo "epsilon.example $B" >>"$HOME/.mp/known_hosts"
expect_ok "default file" "$MP_KEYGEN" known-hosts remove delta.example
[ "$(cat "$HOME/.mp/known_hosts")" = "epsilon.example $B" ] ||
    fail "default file: contents"

expect_fail "missing file" "cannot open $OBJ/nothere: No such file" \
    "$MP_KEYGEN" known-hosts remove beta.example -f "$OBJ/nothere"
[ "$(status "$MP_KEYGEN" known-hosts remove beta.example -f "$OBJ/nothere")" = 1 ] ||
    fail "missing file: exit status"
head -c 1100000 /dev/zero | tr '\0' '#' >"$OBJ/big"
expect_fail "huge file" "big is larger than" \
    "$MP_KEYGEN" known-hosts remove beta.example -f "$OBJ/big"

for bad in "beta.example:0" "beta.example:65536" "beta.example:x" \
    "beta.example:" "[::1" "[::1]x" "a*b" ""; do
	expect_fail "bad host '$bad'" "bad host" \
	    "$MP_KEYGEN" known-hosts remove "$bad" -f "$KH"
	[ "$(status "$MP_KEYGEN" known-hosts remove "$bad" -f "$KH")" = 2 ] ||
	    fail "bad host '$bad': exit status"
done
[ "$(status "$MP_KEYGEN" known-hosts remove)" = 2 ] || fail "no host: exit status"
[ "$(status "$MP_KEYGEN" known-hosts frob x)" = 2 ] || fail "bad verb: exit status"
cmp -s "$KH" "$OBJ/expect3" || fail "bad arguments changed the file"
finish

# keygen-verify.sh: verify accepts the key's own fingerprint or randomart (argument or stdin) and rejects others with exit 1.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

expect_ok "key a" "$MP_KEYGEN" generate -n -o "$OBJ/a"
expect_ok "key b" "$MP_KEYGEN" generate -n -t ecdsa-p384 -o "$OBJ/b"
expect_ok "fingerprint a" "$MP_KEYGEN" fingerprint --randomart "$OBJ/a"
fp_a=$(head -n 1 "$OBJ/out" | cut -d' ' -f2)
tail -n 11 "$OBJ/out" >"$OBJ/art_a"
expect_ok "fingerprint b" "$MP_KEYGEN" fingerprint "$OBJ/b"
fp_b=$(cut -d' ' -f2 "$OBJ/out")

expect_ok "fingerprint matches" "$MP_KEYGEN" verify "$fp_a" -k "$OBJ/a"
grep -q "^fingerprint matches\$" "$OBJ/out" || fail "no 'fingerprint matches'"
expect_ok "matches via the .pub" "$MP_KEYGEN" verify "$fp_a" -k "$OBJ/a.pub"
rm -f "$OBJ/a.pub"
expect_ok "matches without a .pub" "$MP_KEYGEN" verify "$fp_a" -k "$OBJ/a"
expect_fail "fingerprint mismatch" "fingerprint mismatch" \
    "$MP_KEYGEN" verify "$fp_a" -k "$OBJ/b" &&
grep -qF "the key in $OBJ/b has $fp_b, not $fp_a" "$OBJ/err" ||
    fail "mismatch message: $(cat "$OBJ/err")"
"$MP_KEYGEN" verify "$fp_a" -k "$OBJ/b" >/dev/null 2>&1
[ $? -eq 1 ] || fail "mismatch exit status is not 1"
expect_fail "case matters" "mismatch|not a fingerprint" \
    "$MP_KEYGEN" verify "$(echo "$fp_a" | tr a-z A-Z)" -k "$OBJ/a"
expect_fail "not a fingerprint" "is not a fingerprint" \
    "$MP_KEYGEN" verify "MD5:00" -k "$OBJ/a"

expect_ok "randomart argument" "$MP_KEYGEN" verify --randomart "$(cat "$OBJ/art_a")" -k "$OBJ/a"
grep -q "^fingerprint matches\$" "$OBJ/out" || fail "randomart: no 'fingerprint matches'"
from_stdin() {
	"$MP_KEYGEN" verify --randomart - -k "$1" <"$OBJ/art_a"
}
expect_ok "randomart on stdin" from_stdin "$OBJ/a"
expect_fail "randomart mismatch" "randomart mismatch" from_stdin "$OBJ/b"
expect_fail "verify without -k" "usage: mp-keygen verify" "$MP_KEYGEN" verify "$fp_a"
finish

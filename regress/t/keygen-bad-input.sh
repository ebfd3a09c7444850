# keygen-bad-input.sh: garbage, damaged, missing, unprotected files and bad arguments give clear messages and non-zero exits.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

status() {
	"$@" >/dev/null 2>&1
	echo $?
}

echo "not a key" >"$OBJ/garbage"
chmod 600 "$OBJ/garbage"
expect_fail "garbage file" "garbage: not a moshpit key file" "$MP_KEYGEN" fingerprint "$OBJ/garbage"
expect_fail "garbage to public" "not a moshpit key file" "$MP_KEYGEN" public "$OBJ/garbage"
expect_fail "missing file" "nothere: no such file" "$MP_KEYGEN" fingerprint "$OBJ/nothere"
expect_fail "a directory" "Is a directory" "$MP_KEYGEN" public "$OBJ"

expect_ok "a key" "$MP_KEYGEN" generate -n -o "$OBJ/k"
# Damage one base64 character in the middle of the private key.
sed '3s/^\(.....\)./\1#/' "$OBJ/k" >"$OBJ/damaged"
chmod 600 "$OBJ/damaged"
expect_fail "damaged key" "damaged: not a moshpit key file, or a damaged one" "$MP_KEYGEN" public "$OBJ/damaged"
head -n 3 "$OBJ/k" >"$OBJ/truncated"
chmod 600 "$OBJ/truncated"
expect_fail "truncated key" "not a moshpit key file" "$MP_KEYGEN" public "$OBJ/truncated"

chmod 644 "$OBJ/k"
expect_fail "unprotected key" "k: bad permissions 0644: private key files must not be accessible by others; run chmod 600 " \
    "$MP_KEYGEN" public "$OBJ/k"
expect_fail "unprotected key, change-passphrase" "bad permissions 0644" \
    "$MP_KEYGEN" change-passphrase -n "$OBJ/k"

expect_fail "unknown type" "unknown key type \"rsa\"" "$MP_KEYGEN" generate -n -t rsa -o "$OBJ/r"
[ -e "$OBJ/r" ] && fail "unknown type wrote a file"
[ "$(status "$MP_KEYGEN" generate -n -t rsa -o "$OBJ/r")" = 2 ] || fail "unknown type: exit status"
expect_fail "unknown command" "unknown command" "$MP_KEYGEN" frobnicate
[ "$(status "$MP_KEYGEN" frobnicate)" = 2 ] || fail "unknown command: exit status"
[ "$(status "$MP_KEYGEN" generate --bogus)" = 2 ] || fail "bad option: exit status"
[ "$(status "$MP_KEYGEN")" = 2 ] || fail "no arguments: exit status"
[ "$(status "$MP_KEYGEN" fingerprint)" = 2 ] || fail "fingerprint without a file: exit status"
[ "$(status "$MP_KEYGEN" fingerprint "$OBJ/nothere")" = 1 ] || fail "missing file: exit status"
expect_fail "-n with --passphrase-stdin" "exclude each other" \
    "$MP_KEYGEN" generate -n --passphrase-stdin -o "$OBJ/x"
expect_fail "control character in comment" "comment" \
    "$MP_KEYGEN" generate -n -o "$OBJ/x" -C "$(printf 'a\tb')"
expect_ok "--help" "$MP_KEYGEN" --help
grep -q "^usage: mp-keygen generate" "$OBJ/out" || fail "--help output"
expect_ok "--version" "$MP_KEYGEN" --version
grep -q "^mp-keygen [0-9]" "$OBJ/out" || fail "--version output"
finish

# keygen-change-passphrase.sh: change-passphrase re-encrypts, removes (-n) and adds a passphrase, keeping the key and mode 0600.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

key="$OBJ/id"
feed() {
	input=$1; shift
	printf "$input" | "$MP_KEYGEN" "$@"
}

expect_ok "generate" feed 'one\n' generate --passphrase-stdin -t ecdsa-p256 -o "$key" -C keep
expect_ok "fingerprint before" "$MP_KEYGEN" fingerprint "$key"
before=$(cat "$OBJ/out")

expect_ok "change one to two" feed 'one\ntwo\n' change-passphrase --passphrase-stdin "$key"
expect_fail "old passphrase no longer works" "incorrect passphrase" \
    feed 'one\nx\n' change-passphrase --passphrase-stdin "$key"
expect_ok "remove it with -n" feed 'two\n' change-passphrase -n --passphrase-stdin "$key"
grep -q "without a passphrase" "$OBJ/out" || fail "no 'without a passphrase'"
# Unencrypted now: the comment is readable without a passphrase.
expect_ok "public after -n" "$MP_KEYGEN" public "$key"
[ "$(cat "$OBJ/out")" = "$(cat "$key.pub")" ] || fail "public line after -n"
expect_ok "add one again" feed '\nthree\n' change-passphrase --passphrase-stdin "$key"
expect_fail "needs it again" "incorrect passphrase" \
    feed 'nope\n' change-passphrase -n --passphrase-stdin "$key"

[ "$(stat -c %a "$key")" = 600 ] || fail "mode after rewrite: $(stat -c %a "$key")"
ls "$OBJ" | grep -v '^id\.pub$' | grep -q '^id\.' &&
    fail "temporary file left behind: $(ls "$OBJ")"
rm -f "$key.pub"
expect_ok "fingerprint after" "$MP_KEYGEN" fingerprint "$key"
[ "$(cut -d' ' -f2 "$OBJ/out")" = "$(echo "$before" | cut -d' ' -f2)" ] ||
    fail "key changed: $before / $(cat "$OBJ/out")"
finish

# keygen-passphrase-stdin.sh: a key generated with --passphrase-stdin is encrypted and opens with that passphrase only.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

key="$OBJ/id"

gen() {
	printf '%s\n' "$1" | "$MP_KEYGEN" generate --passphrase-stdin -o "$2" -C secretive
}
change() {
	printf '%s\n%s\n' "$1" "$2" | "$MP_KEYGEN" change-passphrase --passphrase-stdin "$key"
}

expect_ok "generate with a passphrase" gen "correct horse" "$key"
[ "$(stat -c %a "$key")" = 600 ] || fail "private key mode"
# The comment is inside the encrypted part: public shows the key alone.
expect_ok "public of an encrypted key" "$MP_KEYGEN" public "$key"
[ "$(cat "$OBJ/out")" = "$(cut -d' ' -f1-2 "$key.pub")" ] ||
    fail "public line: $(cat "$OBJ/out")"
expect_ok "right passphrase opens it" change "correct horse" "correct horse"
expect_fail "wrong passphrase" "incorrect passphrase" change "wrong horse" "x"
expect_fail "no passphrase line" "passphrase line" "$MP_KEYGEN" change-passphrase --passphrase-stdin "$key"

# An empty line means no passphrase: the comment is then in clear.
expect_ok "empty passphrase" gen "" "$OBJ/plain"
expect_ok "public of an unencrypted key" "$MP_KEYGEN" public "$OBJ/plain"
[ "$(cat "$OBJ/out")" = "$(cat "$OBJ/plain.pub")" ] || fail "empty passphrase encrypted the key"
finish

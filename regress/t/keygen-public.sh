# keygen-public.sh: public prints the private key's public line, the same as its .pub file, without a passphrase.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

for t in ed25519 ecdsa-p256 ecdsa-p384; do
	expect_ok "generate $t" "$MP_KEYGEN" generate -n -t "$t" -o "$OBJ/$t" -C "with spaces in it" || continue
	expect_ok "public $t" "$MP_KEYGEN" public "$OBJ/$t"
	[ "$(cat "$OBJ/out")" = "$(cat "$OBJ/$t.pub")" ] ||
	    fail "$t: '$(cat "$OBJ/out")' != '$(cat "$OBJ/$t.pub")'"
done
finish

# keygen-generate.sh: generate -n makes each key type with the right file modes, output and fingerprint format.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

mode() {
	stat -c %a "$1"
}

for t in ed25519 ecdsa-p256 ecdsa-p384; do
	f=$(echo "$t" | tr - _)
	key="$HOME/.mp/id_$f"
	expect_ok "generate $t" "$MP_KEYGEN" generate -n -t "$t" -C "test $t" || continue
	grep -q "^Your identification has been saved in $key\$" "$OBJ/out" ||
	    fail "$t: no 'saved in' line"
	grep -q "^Your public key has been saved in $key.pub\$" "$OBJ/out" ||
	    fail "$t: no public key line"
	grep -Eq "^SHA256:[A-Za-z0-9+/]{43} test $t\$" "$OBJ/out" ||
	    fail "$t: no fingerprint line"
	grep -q "^+----\[SHA256\]-----+\$" "$OBJ/out" || fail "$t: no randomart"
	[ "$(mode "$key")" = 600 ] || fail "$t: private key mode $(mode "$key")"
	[ "$(mode "$key.pub")" = 644 ] || fail "$t: public key mode $(mode "$key.pub")"
	head -n 1 "$key" | grep -q '^-----BEGIN MOSHPIT PRIVATE KEY-----$' ||
	    fail "$t: private key armour"
	grep -Eq "^moshpit [A-Za-z0-9+/]+=* test $t\$" "$key.pub" ||
	    fail "$t: public key line: $(cat "$key.pub")"

	bits=256
	[ "$t" = ecdsa-p384 ] && bits=384
	label=$(echo "$t" | tr a-z A-Z)
	expect_ok "fingerprint $t" "$MP_KEYGEN" fingerprint "$key" &&
	grep -Eq "^$bits SHA256:[A-Za-z0-9+/]{43} test $t \($label\)\$" "$OBJ/out" ||
	    fail "$t: fingerprint output: $(cat "$OBJ/out")"
done
[ "$(mode "$HOME/.mp")" = 700 ] || fail "~/.mp mode $(mode "$HOME/.mp")"

# Host keys: -s names the file mps_host_TYPE_key (in /etc/mps as root).
expect_ok "generate -s" "$MP_KEYGEN" generate -s -n -o "$OBJ/mps_host_ed25519_key"
if [ "$(id -u)" -ne 0 ]; then
	expect_ok "generate -s default path" "$MP_KEYGEN" generate -s -n -t ecdsa-p256
	[ -f "$HOME/.mp/mps_host_ecdsa_p256_key" ] || fail "-s default path"
fi

# The default comment is user@host.
expect_ok "generate default comment" "$MP_KEYGEN" generate -n -o "$OBJ/dflt"
grep -Eq "^moshpit [^ ]+ [^ @]+@[^ ]+\$" "$OBJ/dflt.pub" ||
    fail "default comment: $(cat "$OBJ/dflt.pub")"
finish

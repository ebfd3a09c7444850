# keygen-seed-names.sh: the seed's key types x25519, p256, p384 make the signature key on the same curve and say so.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

for pair in x25519:ed25519:ED25519 p256:ecdsa-p256:ECDSA-P256 p384:ecdsa-p384:ECDSA-P384; do
	seed=${pair%%:*}; rest=${pair#*:}; alg=${rest%%:*}; label=${rest#*:}
	expect_ok "generate -t $seed" "$MP_KEYGEN" generate -n -t "$seed" -o "$OBJ/$seed" || continue
	grep -q "^mp-keygen: key type $seed is a key-exchange curve; generating an $alg signature key on the same curve\$" "$OBJ/err" ||
	    fail "$seed: message: $(cat "$OBJ/err")"
	expect_ok "fingerprint $seed" "$MP_KEYGEN" fingerprint "$OBJ/$seed"
	grep -q "($label)\$" "$OBJ/out" || fail "$seed: made $(cat "$OBJ/out")"
	grep -q "^moshpit " "$OBJ/$seed.pub" || fail "$seed: public key file"
done
# The seed spelled the option -k.
expect_ok "generate -k p256" "$MP_KEYGEN" generate -n -k p256 -o "$OBJ/k"
expect_ok "fingerprint -k key" "$MP_KEYGEN" fingerprint "$OBJ/k"
grep -q "(ECDSA-P256)\$" "$OBJ/out" || fail "-k p256 made $(cat "$OBJ/out")"
finish

# keygen-no-terminal.sh: without a terminal, generate needs -n or --passphrase-stdin and says so.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

expect_fail "no terminal, no flag" "use -n .*--passphrase-stdin" \
    "$MP_KEYGEN" generate -o "$OBJ/id"
[ -e "$OBJ/id" ] && fail "a key was written"
expect_ok "encrypted key" sh -c "echo pw | '$MP_KEYGEN' generate --passphrase-stdin -o '$OBJ/enc'"
expect_fail "change-passphrase of an encrypted key" "use --passphrase-stdin" \
    "$MP_KEYGEN" change-passphrase "$OBJ/enc"
finish

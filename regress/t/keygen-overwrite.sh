# keygen-overwrite.sh: generate refuses an existing key (or .pub) without -f, and -f replaces both.
. "$(dirname "$0")/../test-exec.sh"
exec </dev/null

key="$OBJ/id"
expect_ok "first key" "$MP_KEYGEN" generate -n -o "$key"
old=$(cat "$key.pub")
expect_fail "refuses an existing key" "already exists; use -f" \
    "$MP_KEYGEN" generate -n -o "$key"
[ "$(cat "$key.pub")" = "$old" ] || fail "refused run changed the key"

expect_ok "-f overwrites" "$MP_KEYGEN" generate -n -f -o "$key"
[ "$(cat "$key.pub")" != "$old" ] || fail "-f left the old key"
[ "$(stat -c %a "$key")" = 600 ] || fail "mode after -f"
[ "$(stat -c %a "$key.pub")" = 644 ] || fail "pub mode after -f"

rm -f "$key"
expect_fail "refuses an existing .pub" "id.pub already exists" \
    "$MP_KEYGEN" generate -n -o "$key"
ln -s "$OBJ/elsewhere" "$OBJ/link"
expect_fail "refuses a dangling symlink" "already exists" \
    "$MP_KEYGEN" generate -n -o "$OBJ/link"
[ -e "$OBJ/elsewhere" ] && fail "wrote through a symlink"
finish

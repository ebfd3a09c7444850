# keygen-interactive.sh: on a real terminal (tmux), generate asks for the path and a passphrase twice with echo off, like ssh-keygen.
. "$(dirname "$0")/../test-exec.sh"

tm_start kg 100 30 \
    "HOME='$HOME' '$MP_KEYGEN' generate -C typed; echo EXIT=\$?; sleep 30"
wait_for "Enter file in which to save the key ($HOME/.mp/id_ed25519):" &&
    tm send-keys -t kg Enter
wait_for "Enter passphrase (empty for no passphrase):" &&
    tm send-keys -t kg "sesame" Enter
wait_for "Enter same passphrase again:" && tm send-keys -t kg "sesame" Enter
wait_for "EXIT=0"
grep -q sesame "$OBJ/screen" && fail "the passphrase was echoed"
[ -f "$HOME/.mp/id_ed25519" ] || fail "key not saved at the default path"

# The passphrase typed on the terminal protects the key.
printf 'wrong\n' | "$MP_KEYGEN" change-passphrase -n --passphrase-stdin \
    "$HOME/.mp/id_ed25519" >/dev/null 2>"$OBJ/err" &&
    fail "a wrong passphrase was accepted"
grep -q "incorrect passphrase" "$OBJ/err" || fail "wrong passphrase: $(cat "$OBJ/err")"
expect_ok "typed passphrase" sh -c "printf 'sesame\n' | '$MP_KEYGEN' \
    change-passphrase -n --passphrase-stdin '$HOME/.mp/id_ed25519'"

# A mismatch is refused and saves nothing.
tm kill-session -t kg
tm_start kg 100 30 \
    "HOME='$HOME' '$MP_KEYGEN' generate -o '$OBJ/other'; echo EXIT=\$?; sleep 30"
wait_for "Enter passphrase" && tm send-keys -t kg "one" Enter
wait_for "Enter same passphrase again:" && tm send-keys -t kg "two" Enter
wait_for "EXIT=1"
grep -q "Passphrases do not match" "$OBJ/screen" || fail "no mismatch message"
[ -e "$OBJ/other" ] && fail "a key was saved after a mismatch"
finish

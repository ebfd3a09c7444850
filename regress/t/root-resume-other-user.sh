# root-resume-other-user.sh: as root, a session of one user cannot be resumed by another user who has its identifier and secret: the server refuses and logs why, the other user gets a session of their own, and the owner's session goes on untouched.
. "$(dirname "$0")/../test-exec.sh"
require_root
require_programs
test_user || finish
client_key
MPS_AUTHKEYS="$OBJ/keys/%u"
mkdir -p "$OBJ/keys"
chmod 0755 "$OBJ" "$OBJ/keys"
install -m 0600 "$HOME/.mp/id_ed25519.pub" "$OBJ/keys/root"
install -m 0600 -o "$TEST_USER" -g "$TEST_GID" "$HOME/.mp/id_ed25519.pub" \
    "$OBJ/keys/$TEST_USER"
start_mps || finish

# root's session, saved for its terminal.
mp_interactive || finish
saved=$(find "$HOME/.mp/sessions" -type f)
[ -n "$saved" ] || { fail "no saved session"; finish; }

# In another terminal, the test user presents root's identifier and
# secret (copied under the name mp looks for there).
log_mark
tm new-window -t mp -n thief "cd '$OBJ' && f=\"$HOME/.mp/sessions/${TEST_USER}@127.0.0.1_${MPS_PORT}_\$(tty | sed 's,^/dev/,,; s,/,%2F,g')\" && cp '$saved' \"\$f\" && chmod 600 \"\$f\" && '$MP' -s '$MPS_PORT' -l '$TEST_USER' --host-key-checking accept-new 127.0.0.1 2>thief.err; echo MP-EXIT=\$?; sleep 60"
wait_log "refused to resume the session of root for $TEST_USER from 127.0.0.1" 20 || finish
log_has "the session belongs to another user" || fail "the refusal does not say why"
wait_log "session opened for $TEST_USER" 20 || finish
grep -q "the session saved for this terminal is gone; starting a new one" "$OBJ/thief.err" ||
    fail "the other user's mp did not say why it starts anew: $(cat "$OBJ/thief.err")"

# root's session is untouched.
TM_TARGET=mp:0
tm_run 'echo "own""er=$(id -un)"' "owner=root"
log_has "session of root resumed" && fail "root's session was resumed by $TEST_USER"
finish

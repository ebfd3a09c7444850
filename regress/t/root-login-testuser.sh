# root-login-testuser.sh: as root, mps logs in another user with its own ~/.mp/authorized_keys: the session has that user's uid, groups, home and shell.
. "$(dirname "$0")/../test-exec.sh"
require_root
require_programs
test_user || finish
user=$TEST_USER home=$TEST_HOME uid=$TEST_UID gid=$TEST_GID

MPS_AUTHKEYS="%h/.mp/authorized_keys"
start_mps || finish
test_user_authorize

mp_cmd -l "$user" 127.0.0.1 -- 'id -un; echo $HOME; echo $SHELL; pwd; grep -E "^(Uid|Gid):" /proc/self/status' \
    </dev/null >"$OBJ/out" 2>"$OBJ/err" || fail "login as $user: status $? ($(cat "$OBJ/err"))"
printf '%s\n' "$user" "$home" /bin/sh "$home" >"$OBJ/expect"
printf 'Uid:\t%s\t%s\t%s\t%s\nGid:\t%s\t%s\t%s\t%s\n' $uid $uid $uid $uid $gid $gid $gid $gid >>"$OBJ/expect"
diff "$OBJ/expect" "$OBJ/out" >"$OBJ/diff" || fail "the session as $user: $(cat "$OBJ/diff")"
wait_log "accepted key SHA256:"
log_has "for $user from 127.0.0.1 port" || fail "accepted line does not name $user"
wait_log "session opened for $user"

# user@host works the same, and the key is the user's own: root's file does not count.
out=$(mp_cmd "$user@127.0.0.1" -- id -u </dev/null 2>"$OBJ/err")
[ "$out" = "$uid" ] || fail "$user@127.0.0.1: \"$out\" ($(cat "$OBJ/err"))"
chown root "$home/.mp/authorized_keys"
mp_cmd -l "$user" 127.0.0.1 true </dev/null 2>"$OBJ/err" && fail "a root-owned authorized_keys of $user was used"
chown "$user" "$home/.mp/authorized_keys"
chmod 0770 "$home/.mp"
mp_cmd -l "$user" 127.0.0.1 true </dev/null 2>"$OBJ/err" && fail "a group-writable ~/.mp of $user was accepted"
wait_log "bad ownership or modes for directory $home/.mp"
finish

# root-nologin.sh: as root with use_pam = false, /etc/nologin keeps users other than root out and mp shows its message; root still logs in; once it is removed, users log in again.
. "$(dirname "$0")/../test-exec.sh"
require_root
require_programs
exec </dev/null
NOLOGIN=/etc/nologin
if [ -e "$NOLOGIN" ]; then
	echo "ok $TEST_NAME # skip $NOLOGIN exists already (logins are disabled on this machine)"
	exit 0
fi
test_user || finish
MPS_AUTHKEYS="%h/.mp/authorized_keys"
start_mps "use_pam = false" || finish
test_user_authorize

# user_login: the test user's command-mode login; its status.
user_login() {
	mp_cmd -l "$TEST_USER" 127.0.0.1 -- echo in-\$\(\(6+1\)\) >"$OBJ/out" 2>"$OBJ/err"
}

user_login || fail "$TEST_USER before $NOLOGIN: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-7 ] || fail "$TEST_USER before $NOLOGIN: output \"$(cat "$OBJ/out")\""

on_exit "rm -f $NOLOGIN"
msg="Down for maintenance until 18:00 (regress $$)"
printf '%s\nsecond line\n' "$msg" >"$NOLOGIN"
log_mark
user_login
rc=$?
[ $rc = 255 ] || fail "$TEST_USER with $NOLOGIN: exit status $rc, expected 255"
[ -s "$OBJ/out" ] && fail "$TEST_USER with $NOLOGIN: the command ran"
grep -qF "the server refused the session: $msg" "$OBJ/err" || fail "$TEST_USER with $NOLOGIN: the message is not shown: $(cat "$OBJ/err")"
grep -q "second line" "$OBJ/err" && fail "more than the first line of $NOLOGIN was shown"
wait_log "refused login of user $TEST_USER: $NOLOGIN exists" 5
log_has "session opened for $TEST_USER" && fail "a session was opened despite $NOLOGIN"

# An empty file: a standard message.
: >"$NOLOGIN"
user_login && fail "$TEST_USER with an empty $NOLOGIN: logged in"
grep -q "logins are currently disabled" "$OBJ/err" || fail "empty $NOLOGIN: message: $(cat "$OBJ/err")"

# root is not kept out (its key in a file of the scratch directory).
printf '%s\n' "$msg" >"$NOLOGIN"
install -m 0600 "$HOME/.mp/id_ed25519.pub" "$SRV/authorized_keys"
restart_mps "use_pam = false" "authorized_keys_file = \"$SRV/authorized_keys\"" || finish
out=$(mp_cmd -l root 127.0.0.1 -- echo root-\$\(\(2*4\)\) 2>"$OBJ/err")
[ "$out" = root-8 ] || fail "root with $NOLOGIN: \"$out\" ($(cat "$OBJ/err"))"

# Removed: users log in again.
restart_mps "use_pam = false" || finish
rm -f "$NOLOGIN"
user_login || fail "$TEST_USER after removing $NOLOGIN: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-7 ] || fail "$TEST_USER after removing $NOLOGIN: output \"$(cat "$OBJ/out")\""
finish

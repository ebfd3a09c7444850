# root-pam-deny.sh: as root, a PAM account stack that denies the user refuses the login and the log says PAM; permitting it again lets the user in.
. "$(dirname "$0")/../test-exec.sh"
require_root
require_programs
MPS_PAM_ACCOUNT=pam_deny.so
start_mps || finish
grep -q '^account *required pam_deny.so' "$SRV/pam.d/mps" || fail "test PAM stack not written"

mp_cmd 127.0.0.1 -- echo should-not-run </dev/null >"$OBJ/out" 2>"$OBJ/err"
rc=$?
[ $rc = 255 ] || fail "exit status $rc, expected 255"
grep -q "Permission denied" "$OBJ/err" || fail "client message: $(cat "$OBJ/err")"
[ -s "$OBJ/out" ] && fail "the command ran: $(cat "$OBJ/out")"
wait_log "refused login of user $(id -un) from 127.0.0.1 port"
log_has "PAM account check" || fail "log does not mention PAM: $(log_since | tail -n 3)"

# PAM reads the stack for each login: no restart needed.
log_mark
sed -i 's/pam_deny\.so/pam_permit.so/' "$SRV/pam.d/mps"
out=$(mp_cmd 127.0.0.1 -- echo in-\$\(\(2*8\)\) </dev/null 2>"$OBJ/err")
[ "$out" = in-16 ] || fail "PAM permit: login failed: $(cat "$OBJ/err")"
wait_log "session opened for"

# A PAM session stack that fails refuses the session.
sed -i 's/^session .*/session  required pam_deny.so/' "$SRV/pam.d/mps"
mp_cmd 127.0.0.1 -- echo should-not-run </dev/null >"$OBJ/out" 2>"$OBJ/err" &&
    fail "a denying PAM session stack let the command run"
[ -s "$OBJ/out" ] && fail "PAM session deny: the command ran"
wait_log "refused session of user $(id -un) from 127.0.0.1 port"
finish

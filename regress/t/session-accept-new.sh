# session-accept-new.sh: accept-new records an unknown host key and later logins are silent; strict refuses an unknown host; ask without a terminal refuses with advice.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish
KH="$HOME/.mp/known_hosts"

# mp_hkc MODE: a login with that host-key-checking mode and no terminal.
mp_hkc() {
	setsid -w timeout -k 5 20 "$MP" -s "$MPS_PORT" --host-key-checking "$1" \
	    127.0.0.1 -- echo in-\$\(\(3*3\)\) </dev/null >"$OBJ/out" 2>"$OBJ/err"
}

mp_hkc strict
rc=$?
[ $rc = 255 ] || fail "strict, unknown host: exit status $rc, expected 255"
grep -q "requested strict checking" "$OBJ/err" || fail "strict: message $(cat "$OBJ/err")"
[ -s "$OBJ/out" ] && fail "strict: the command ran"

mp_hkc ask
rc=$?
[ $rc = 255 ] || fail "ask without a terminal: exit status $rc, expected 255"
grep -q "no terminal to ask" "$OBJ/err" && grep -q -- "--host-key-checking accept-new" "$OBJ/err" ||
    fail "ask without a terminal: message $(cat "$OBJ/err")"
[ -s "$KH" ] && fail "known_hosts written by a refused login: $(cat "$KH")"

mp_hkc accept-new || fail "accept-new: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-9 ] || fail "accept-new: output \"$(cat "$OBJ/out")\""
grep -q "^Warning: Permanently added '\[127\.0\.0\.1\]:$MPS_PORT' (ED25519) to the list of known hosts\.\$" "$OBJ/err" ||
    fail "accept-new: message $(cat "$OBJ/err")"
host_key=$(cut -d' ' -f1,2 "$SRV/mps_host_ed25519_key.pub")
grep -qxF "[127.0.0.1]:$MPS_PORT $host_key" "$KH" 2>/dev/null ||
    fail "known_hosts lacks the host key: $(cat "$KH" 2>&1)"
[ "$(stat -c %a "$KH")" = 600 ] || [ "$(stat -c %a "$KH")" = 644 ] ||
    fail "known_hosts mode $(stat -c %a "$KH")"

# Now known: silent, in every mode.
for mode in accept-new strict ask; do
	mp_hkc $mode || fail "$mode, known host: exit status $? ($(cat "$OBJ/err"))"
	[ "$(cat "$OBJ/out")" = in-9 ] || fail "$mode, known host: output \"$(cat "$OBJ/out")\""
	[ -s "$OBJ/err" ] && fail "$mode, known host: not silent: $(cat "$OBJ/err")"
done
[ "$(grep -c . "$KH")" = 1 ] || fail "known_hosts has $(grep -c . "$KH") lines"

# ask on a terminal: the question, answered yes (the host made unknown again).
cp "$KH" "$OBJ/kh.saved"
: >"$KH"
tm_start ask 100 30 "'$MP' -s '$MPS_PORT' --host-key-checking ask 127.0.0.1 -- echo in-\$((4*4)) </dev/null; echo MP-EXIT=\$?; sleep 60"
wait_for "Are you sure you want to continue connecting (yes/no)?" &&
    tm_type yes
wait_for "MP-EXIT=0"
grep -q "in-16" "$OBJ/screen" || fail "ask, yes: the command did not run: $(cat "$OBJ/screen")"
grep -qxF "[127.0.0.1]:$MPS_PORT $host_key" "$KH" || fail "ask, yes: key not recorded"
finish

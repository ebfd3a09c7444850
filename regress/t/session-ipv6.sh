# session-ipv6.sh: mps listening on ::1 serves mp over IPv6 ([::1] and bare ::1): the command runs, MP_CONNECTION and the log show ::1, known_hosts names [::1]:PORT.
. "$(dirname "$0")/../test-exec.sh"
require_programs
if ! grep -qi '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
	echo "ok $TEST_NAME # skip ::1 is not configured on lo (IPv6 disabled)"
	exit 0
fi
MPS_IP="::1"
start_mps || finish

out=$(mp_cmd "[::1]" -- 'echo in-$((5*5)); echo "$MP_CONNECTION"' </dev/null 2>"$OBJ/err")
rc=$?
[ $rc = 0 ] || fail "mp [::1]: exit status $rc ($(cat "$OBJ/err"))"
echo "$out" | grep -qx "in-25" || fail "mp [::1]: output \"$out\""
echo "$out" | grep -Eqx "::1 [0-9]+ ::1 $MPS_PORT" ||
    fail "MP_CONNECTION over IPv6: \"$(echo "$out" | tail -n 1)\""
wait_log "connection from ::1 port"
wait_log "session opened for $(id -un) from ::1 port"
grep -qF "Permanently added '[::1]:$MPS_PORT'" "$OBJ/err" || fail "no known_hosts message for [::1]:$MPS_PORT: $(cat "$OBJ/err")"
grep -q "^\[::1\]:$MPS_PORT moshpit " "$HOME/.mp/known_hosts" ||
    fail "known_hosts: $(cat "$HOME/.mp/known_hosts")"

# The bare address, and [::1]:PORT, reach the same server with the same key.
out=$(timeout -k 5 20 "$MP" -s "$MPS_PORT" --host-key-checking strict ::1 -- echo bare-\$\(\(2*3\)\) </dev/null 2>"$OBJ/err")
[ "$out" = bare-6 ] || fail "mp ::1: \"$out\" ($(cat "$OBJ/err"))"
out=$(timeout -k 5 20 "$MP" --host-key-checking strict "[::1]:$MPS_PORT" -- echo port-\$\(\(3*3\)\) </dev/null 2>"$OBJ/err")
[ "$out" = port-9 ] || fail "mp [::1]:$MPS_PORT: \"$out\" ($(cat "$OBJ/err"))"

# IPv4 is not served by this server.
mp_cmd 127.0.0.1 true </dev/null >/dev/null 2>"$OBJ/err" && fail "mps on ::1 answered on 127.0.0.1"
grep -q "Connection refused" "$OBJ/err" || fail "127.0.0.1: $(cat "$OBJ/err")"

# A terminal session over IPv6.
mp_interactive "[::1]" || finish
tm_run 'echo conn=$MP_CONNECTION=$((1+1))' "=2" || finish
grep -Eq "^conn=::1 [0-9]+ ::1 $MPS_PORT=2" "$OBJ/screen" || fail "interactive MP_CONNECTION: $(cat "$OBJ/screen")"
tm_type exit
wait_for "MP-EXIT=0"
finish

# server-max-startups.sh: max_startups = "1:100:1": while one connection sits unauthenticated, a new login is dropped and logged; once it closes, logins work; an open session does not count.
. "$(dirname "$0")/../test-exec.sh"
require_programs
exec </dev/null
start_mps 'max_startups = "1:100:1"' || finish
grep -q '^max_startups = "1:100:1"' "$SRV/mps.toml" || fail "config not written"

login() {
	mp_cmd 127.0.0.1 -- echo in-\$\(\(2+5\)\) >"$OBJ/out" 2>"$OBJ/err"
}

login || fail "first login: $(cat "$OBJ/err")"
[ "$(cat "$OBJ/out")" = in-7 ] || fail "first login: output \"$(cat "$OBJ/out")\""

# One silent connection: the one startup allowed.
log_mark
tcp_hold 15 || { fail "cannot hold a connection: $(cat "$OBJ/hold.out")"; finish; }
wait_log "connection from 127.0.0.1 port" 5
held_net=$(net_children)
[ "$(echo "$held_net" | grep -c .)" = 1 ] || fail "expected one preauth mps-net, got: $held_net"
held_monitor=$(net_monitor "$held_net")

log_mark
login
rc=$?
[ $rc = 255 ] || fail "login while full: exit status $rc, expected 255"
[ -s "$OBJ/out" ] && fail "login while full: the command ran"
grep -Eq "Connection closed by 127\.0\.0\.1 port $MPS_PORT|Connection reset by peer" "$OBJ/err" ||
    fail "login while full: message: $(cat "$OBJ/err")"
wait_log "dropping a connection: 1 unauthenticated connections (max_startups 1:100:1)" 5
log_has "connection from 127.0.0.1" && fail "a monitor was started for the dropped connection"
grep -q connected "$OBJ/hold.out" && kill -0 "$HOLD_PID" 2>/dev/null ||
    fail "the held connection was closed by the drop: $(cat "$OBJ/hold.out")"

# Close it: once its monitor is gone, logins work again.
tcp_release
gone() {
	[ ! -d "/proc/$held_monitor" ]
}
wait_until 5 gone || fail "the held connection's monitor $held_monitor is still there"
log_mark
login || fail "login after the close: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-7 ] || fail "login after the close: output \"$(cat "$OBJ/out")\""
log_has "dropping a connection" && fail "a connection was dropped after the close"

# An open session is not an unauthenticated connection.
mp_interactive || finish
log_mark
login || fail "login during a session: exit status $? ($(cat "$OBJ/err"))"
log_has "dropping a connection" && fail "the open session counted against max_startups"
tm_run 'echo still-$((9*9))' "still-81"
finish

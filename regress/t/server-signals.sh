# server-signals.sh: SIGHUP reloads the configuration for new connections (open sessions go on), a new port is listened on, a configuration with an error is logged and the running one kept; a SIGHUP to mps's whole process group leaves the sessions alone; SIGTERM stops listening (new connections refused) while open sessions go on and end normally.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

login() {
	mp_cmd 127.0.0.1 -- echo in-\$\(\(1+2\)\) </dev/null >"$OBJ/out" 2>"$OBJ/err"
}
n=0
# still: the open session still runs what is typed.
still() {
	n=$((n + 1))
	tm_run "echo still-\$(($$ + $n))" "still-$(($$ + n))" || fail "the open session stopped answering ($1)"
}

login || fail "first login: $(cat "$OBJ/err")"
mp_interactive || finish

# A second authorized_keys without the client's key.
"$MP_KEYGEN" generate -n -o "$OBJ/other_key" >/dev/null 2>&1 || fail "cannot generate a key"
install -m 0600 "$OBJ/other_key.pub" "$SRV/authorized_keys2"
reload_mps "authorized_keys_file = \"$SRV/authorized_keys2\"" || finish
login
rc=$?
[ $rc = 255 ] || fail "after the reload to authorized_keys2: exit status $rc, expected 255"
grep -q "Permission denied (publickey)\." "$OBJ/err" || fail "after the reload: message: $(cat "$OBJ/err")"
wait_log "key not in $SRV/authorized_keys2" 5
still "after SIGHUP to authorized_keys2"

# Back to the first file.
reload_mps || finish
login || fail "after the reload back: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-3 ] || fail "after the reload back: output \"$(cat "$OBJ/out")\""

# A configuration with an error (which would also switch files): logged,
# and the running configuration kept.
reload_mps "authorized_keys_file = \"$SRV/authorized_keys2\"" "bogus_key = 1" || finish
line=$(grep -n '^bogus_key' "$SRV/mps.toml" | cut -d: -f1)
wait_log "$SRV/mps.toml:$line: [mps] bogus_key: unknown key" 5
kill -0 "$MPS_PID" 2>/dev/null || { fail "mps died of a bad configuration on SIGHUP"; finish; }
login || fail "after a bad reload: exit status $? ($(cat "$OBJ/err"))"
[ "$(cat "$OBJ/out")" = in-3 ] || fail "after a bad reload: output \"$(cat "$OBJ/out")\""
log_has "key not in $SRV/authorized_keys2" && fail "the bad configuration was partly applied"
# A missing host key is an error on reload too.
mps_write_config "$SRV/mps.toml" "$MPS_PORT" "private_key_path = \"$SRV/nothere\""
log_mark
kill -HUP "$MPS_PID"
wait_log "no host key at $SRV/nothere" 5
login || fail "after a reload without a host key: exit status $? ($(cat "$OBJ/err"))"
still "after the bad reloads"

# A new port on SIGHUP: mps listens there, and no longer on the old one.
old_port=$MPS_PORT
MPS_PORT=$((old_port + 1))
reload_mps || finish
if wait_until 5 log_has "listening on 127.0.0.1 port $MPS_PORT"; then
	login || fail "on the new port $MPS_PORT: exit status $? ($(cat "$OBJ/err"))"
	mp_cmd -s "$old_port" 127.0.0.1 true </dev/null >/dev/null 2>"$OBJ/err" &&
	    fail "the old port $old_port still serves after the move"
	grep -q "Connection refused" "$OBJ/err" || fail "the old port: $(cat "$OBJ/err")"
elif log_has "cannot listen on 127.0.0.1 port $MPS_PORT"; then
	verbose "port $MPS_PORT is taken; the move is not checked"
else
	fail "mps did not move to port $MPS_PORT: $(log_since)"
fi
MPS_PORT=$old_port
reload_mps || finish
wait_log "listening on 127.0.0.1 port $MPS_PORT" 5
login || fail "back on port $MPS_PORT: exit status $? ($(cat "$OBJ/err"))"
still "after the port moves"

# A move to a port something else holds: mps keeps listening where it was.
perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr =>
    "127.0.0.1:$ARGV[0]", Listen => 1, ReuseAddr => 1) or exit 1;
    open(F, ">", $ARGV[1]); close(F); sleep 30' "$((old_port + 2))" \
    "$OBJ/squatting" &
squat=$!
on_exit "kill $squat 2>/dev/null"
wait_until 5 test -e "$OBJ/squatting" || fail "cannot hold port $((old_port + 2))"
MPS_PORT=$((old_port + 2))
reload_mps || finish
MPS_PORT=$old_port
wait_log "still listening on the old ones" 5
login || fail "after a failed move: exit status $? ($(cat "$OBJ/err"))"
kill "$squat" 2>/dev/null

# A hangup of mps's process group (the terminal a foreground mps runs
# on goes away) reloads the listener and does not touch the sessions:
# each connection's processes are in a session of their own.
log_mark
kill -HUP "-$MPS_PID"
wait_log "received SIGHUP; reloading the configuration" 5
still "after SIGHUP to mps's process group"

# SIGTERM: no longer listening; the session goes on.
left=$(proc_descendants "$MPS_PID")
[ -n "$left" ] || fail "no processes of the open session found"
log_mark
kill -TERM "$MPS_PID"
wait_log "received a signal to stop; no longer listening (sessions continue)" 5
exited() {
	[ ! -d "/proc/$MPS_PID" ] || grep -q '^[^ ]* ([^)]*) Z' "/proc/$MPS_PID/stat" 2>/dev/null
}
wait_until 5 exited || fail "mps is still running 5 s after SIGTERM"
wait "$MPS_PID"
rc=$?
[ $rc = 0 ] || fail "mps exited with $rc after SIGTERM, expected 0"
res=$(tcp_probe "" 1 2>&1)
echo "$res" | grep -q "Connection refused" || fail "a TCP connection after SIGTERM: $res"
login
rc=$?
[ $rc = 255 ] || fail "login after SIGTERM: exit status $rc, expected 255"
grep -q "connect to host 127.0.0.1 port $MPS_PORT: Connection refused" "$OBJ/err" ||
    fail "login after SIGTERM: message: $(cat "$OBJ/err")"
still "after SIGTERM"
tm_type "exit"
wait_for "MP-EXIT=0" || finish
grep -q "connection to 127.0.0.1 closed\." "$OBJ/screen" || fail "no closing message: $(cat "$OBJ/screen")"
wait_log "session of $(id -un) from 127.0.0.1 port" 5
log_has "ended: exit status 0" || fail "the session's end was not logged: $(log_since | tail -n 3)"
# Nothing of mps is left once the session is over.
all_gone() {
	for _p in $left; do
		kill -0 "$_p" 2>/dev/null && return 1
	done
	return 0
}
wait_until 5 all_gone || fail "mps processes are left after the session: $(for _p in $left; do kill -0 "$_p" 2>/dev/null && echo "$_p"; done)"
finish

# server-penalties.sh: per_source_penalties: a crashed login (90 s) gets its source refused at once and logged as penalised, through a SIGHUP too; repeated failed authentication (5 s each) does the same past 15 s; successful logins cost nothing; off, nothing is refused.
. "$(dirname "$0")/../test-exec.sh"
require_programs
exec </dev/null
SIGSYS_TEXT="killed by signal 31 (a forbidden system call)"

# login [DEST [MP ARGS...]]: a command-mode login; its status.
login() {
	_dest=${1:-127.0.0.1}
	[ $# -gt 0 ] && shift
	mp_cmd "$@" "$_dest" -- echo in-\$\(\(4+4\)\) >"$OBJ/out" 2>"$OBJ/err"
}

# Successful logins cost nothing.
start_mps "per_source_penalties = true" || finish
for i in 1 2 3 4 5; do
	login || fail "login $i with penalties on: $(cat "$OBJ/err")"
done
log_has "penalised" && fail "successful logins were penalised"

# A crash: the net child is killed by seccomp (test hook), 90 s. (Another
# source is not checked: mp cannot choose its source address, and the
# kernel uses 127.0.0.1 for every 127.0.0.0/8 destination.)
MPS_ENV="MPS_TEST_NET_VIOLATION=preauth"
restart_mps "per_source_penalties = true" || finish
login
[ $? = 255 ] || fail "crashing login: exit status, expected 255"
wait_log "$SIGSYS_TEXT" 5
log_mark
start=$(date +%s)
login
rc=$?
[ $rc = 255 ] || fail "login after a crash: exit status $rc, expected 255"
[ $(($(date +%s) - start)) -le 3 ] || fail "login after a crash: not refused at once"
grep -q "Connection closed by 127\.0\.0\.1 port $MPS_PORT\|Connection reset by peer" "$OBJ/err" ||
    fail "login after a crash: message: $(cat "$OBJ/err")"
wait_log "refusing a connection: its source is penalised for" 5
owed=$(log_since | sed -n 's/.*penalised for \([0-9]*\) more seconds.*/\1/p' | head -n 1)
[ -n "$owed" ] && [ "$owed" -gt 80 ] && [ "$owed" -le 90 ] ||
    fail "penalty after a crash: $owed s, expected about 90"
log_has "connection from 127.0.0.1" && fail "a refused connection got a monitor"

# The penalty survives a SIGHUP; a restart forgets it.
reload_mps "per_source_penalties = true" || finish
log_mark
login
wait_log "refusing a connection: its source is penalised" 5
MPS_ENV=""
restart_mps "per_source_penalties = true" || finish
login || fail "login after a restart: $(cat "$OBJ/err")"

# Failed authentication: 5 s a time; refused once more than 15 s are owed:
# three failures (15 s) are not enough, the fourth is.
"$MP_KEYGEN" generate -n -o "$OBJ/other_key" >/dev/null 2>&1 || fail "cannot generate a key"
log_mark
start=$(date +%s)
for i in 1 2 3 4; do
	login 127.0.0.1 -i "$OBJ/other_key"
	grep -q "Permission denied (publickey)\." "$OBJ/err" ||
	    fail "wrong key $i: not refused for the key: $(cat "$OBJ/err")"
done
log_has "penalised" && fail "penalised before 4 failed authentications"
login
rc=$?
[ $rc = 255 ] || fail "the right key after 4 failures in $(($(date +%s) - start)) s: exit status $rc, expected 255 (refused)"
wait_log "refusing a connection: its source is penalised" 5

# per_source_penalties = false: no refusals at all.
restart_mps "per_source_penalties = false" || finish
for i in 1 2 3 4 5; do
	login 127.0.0.1 -i "$OBJ/other_key"
done
login || fail "penalties off: the right key was refused: $(cat "$OBJ/err")"
log_has "penalised" && fail "penalties off, but a source was penalised"
finish

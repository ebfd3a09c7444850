# server-monitor-table.sh: a net child that breaks the monitor's per-phase request table (a request before its phase, a second signature, an unknown message) or floods it with requests whose answers it never reads loses its connection, and the log says why; a closed log pipe does not make the monitor spin.
. "$(dirname "$0")/../test-exec.sh"
require_programs

# The rogue child runs from the scratch directory, as mps-net would.
cp "$(dirname "$0")/../helpers/rogue-net-child" "$OBJ/rogue"
chmod 755 "$OBJ/rogue"
start_mps "mps_net_path = \"$OBJ/rogue\"" || finish

# run_plan STEPS...: one connection whose child sends these requests.
run_plan() {
	echo "$*" >"$OBJ/rogue.plan"
	: >"$OBJ/rogue.out"
	log_mark
	tcp_probe "" 3 >/dev/null
}

# Permitted: the host key, as often as asked, then one signature.
run_plan hostkey hostkey sign
grep -q "^sign answered 13$" "$OBJ/rogue.out" ||
    fail "a first signature was not answered: $(cat "$OBJ/rogue.out")"

# The monitor kills the child at once: no answer, and it says why.
run_plan sign sign
[ "$(grep -c "^sign answered" "$OBJ/rogue.out")" = 1 ] ||
    fail "a second signature was answered: $(cat "$OBJ/rogue.out")"
wait_log "request not permitted in this phase (message 12)"

run_plan request
grep -q "^request answered" "$OBJ/rogue.out" &&
    fail "a session request before authentication was answered"
wait_log "request not permitted in this phase (message 20)"

run_plan keyallowed
grep -q "^keyallowed answered" "$OBJ/rogue.out" &&
    fail "a key query before the signature was answered"
wait_log "request not permitted in this phase (message 14)"

run_plan sign verify
grep -q "^verify answered" "$OBJ/rogue.out" &&
    fail "a signature check for a key the monitor never allowed was answered"
wait_log "(message 16)"

run_plan unknown
grep -q "^unknown answered" "$OBJ/rogue.out" && fail "an unknown request was answered"
wait_log "unknown request from the net child (message 99)"

# A child that sends requests without reading the answers cannot hold
# the monitor in a blocked send, out of reach of its deadlines: the
# monitor's end never waits, and the connection is killed.
run_plan hostkey flood
grep -q "^flood sent" "$OBJ/rogue.out" && fail "the monitor waited on a child that read no answers"
wait_log "cannot answer the net child (message 10)"

# A closed log pipe is the end of the log, not a reason to spin until
# the login grace time.
run_plan closelog hostkey
cpu=$(sed -n 's/^closelog monitor cpu \([0-9]*\)$/\1/p' "$OBJ/rogue.out")
[ -n "$cpu" ] && [ "$cpu" -lt 50 ] ||
    fail "the monitor used ${cpu:-?} ticks of CPU in 2 s after the log pipe closed: $(cat "$OBJ/rogue.out")"
grep -q "^hostkey answered 11$" "$OBJ/rogue.out" ||
    fail "no answer once the log pipe was closed: $(cat "$OBJ/rogue.out")"

# The listener itself serves on.
kill -0 "$MPS_PID" || fail "mps is gone"
finish

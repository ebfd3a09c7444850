# session-nat-warmup.sh: mp --nat-warmup sends its keepalives and waits for the server's answer before the session, and mps's warmup_delay_ms holds the server's first datagram; the session works with both.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps "warmup_delay_ms = 300" || finish
tm_start mp 80 24 "cd '$OBJ' && '$MP' -v -s '$MPS_PORT' --host-key-checking accept-new --nat-warmup --nat-warmup-count 4 127.0.0.1 2>mp.err; echo MP-EXIT=\$?; sleep 60"
wait_log "session opened for" 15 || finish
tm_run 'echo warm-$((40+2))' "warm-42"
grep -q "NAT warm-up: the server answered" "$OBJ/mp.err" ||
    fail "no answer during the warm-up: $(cat "$OBJ/mp.err")"
# An unknown count is refused with the setting's name.
mp_cmd --nat-warmup-count 0 127.0.0.1 true </dev/null 2>"$OBJ/err" &&
    fail "--nat-warmup-count 0 was accepted"
grep -q "nat-warmup-count" "$OBJ/err" || fail "no clear error: $(cat "$OBJ/err")"
finish

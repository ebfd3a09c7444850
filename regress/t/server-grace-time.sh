# server-grace-time.sh: a connection that never logs in is closed after login_grace_time, and the log says so.
. "$(dirname "$0")/../test-exec.sh"
require_programs
MPS_GRACE=2
start_mps || finish

res=$(tcp_probe "" 8) || fail "cannot connect"
set -- $res
if [ "${1:-}" != closed ]; then
	fail "a silent connection is still open after 8 s ($res)"
else
	t=${2%.*}
	[ "$t" -ge 2 ] && [ "$t" -le 5 ] || fail "closed after $2 s, expected 2 to 5"
	[ "$3" = 0 ] || fail "the server sent $3 bytes to a silent peer"
fi
wait_log "login grace time exceeded for 127.0.0.1 port"

# A client that sends its version line and then stalls is cut off too.
res=$(tcp_probe "$(printf 'MOSHPIT-1-regress_0\r\n' | od -An -tx1 | tr -d ' \n')" 8)
set -- $res
[ "${1:-}" = closed ] || fail "a stalled handshake is still open after 8 s ($res)"

# The server still serves a normal login.
out=$(mp_cmd 127.0.0.1 -- echo in-\$\(\(9+9\)\) </dev/null 2>"$OBJ/err")
[ "$out" = in-18 ] || fail "login after the grace timeouts: $(cat "$OBJ/err")"
finish

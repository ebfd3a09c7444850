# session-roaming.sh: while netsim changes the client's source port every 2 s, a counter printed every 200 ms keeps moving on the screen (never still for more than 1.5 s) and reaches its end: the server follows the client to each new port.
. "$(dirname "$0")/../test-exec.sh"
require_programs
[ -x "$NETSIM" ] || { fail "$NETSIM is not built"; finish; }

netsim_mps || finish
netsim_start --rebind-every 2 --seed 5 || finish
mp_interactive --diff-mode statesync 127.0.0.2 || finish

# The newest tick on the screen (0 if none).
newest_tick() {
	tm capture-pane -p -t mp 2>/dev/null |
	    sed -n 's/^tick-\([0-9][0-9]*\) *$/\1/p' | sort -n | tail -n 1
}
# netsim's upstream port (the source port mps sees), if ss can tell.
upstream_port() {
	ss -uanp 2>/dev/null | awk -v p="pid=$NETSIM_PID," -v l="127.0.0.2:$NETSIM_PORT" \
	    'index($0, p) && $4 != l { n = split($4, a, ":"); print a[n] }' | sort -n | tr '\n' ' '
}
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

tm_type 'clear; i=0; while [ $i -lt 60 ]; do i=$((i+1)); echo tick-$i; sleep 0.2; done; echo loop-$((7*7))'
# Sample about every 100 ms for at most 25 s, until tick-60.
start=$(now_ms)
: >"$OBJ/samples"
: >"$OBJ/ports"
n=0
while [ $n -lt 250 ]; do
	n=$((n + 1))
	t=$(($(now_ms) - start))
	v=$(newest_tick)
	echo "$t ${v:-0}" >>"$OBJ/samples"
	[ $((n % 5)) -ne 1 ] || upstream_port >>"$OBJ/ports"
	[ "${v:-0}" -ge 60 ] && break
	[ "$t" -lt 25000 ] || break
	sleep 0.1
done
# The longest time the counter stood still once it had started, and when.
awk '
	NR == 1 { lt = $1; lv = $2 }
	$2 != lv { if (lv > 0 && $1 - lt > max) { max = $1 - lt; at = lv } lt = $1; lv = $2 }
	END { if (lv > 0 && lv < 60 && $1 - lt > max) { max = $1 - lt; at = lv }
	    printf "%d %d %d\n", max, at, NR }' "$OBJ/samples" >"$OBJ/stall"
read -r stall stall_at samples <"$OBJ/stall"
verbose "$samples samples; the counter stood still at most $stall ms (at tick-$stall_at)"
[ "$stall" -le 1500 ] ||
    fail "the counter stood still for $stall ms at tick-$stall_at: $(tr '\n' ' ' <"$OBJ/samples")"
# The source ports mps saw (none if ss shows no process names).
nports=$(tr ' ' '\n' <"$OBJ/ports" | grep . | sort -u | wc -l)
verbose "netsim's upstream ports seen: $nports"
[ "$nports" -eq 0 ] || [ "$nports" -ge 4 ] ||
    fail "netsim did not change its source port every 2 s: $(cat "$OBJ/ports")"
[ "$(newest_tick)" = 60 ] || fail "the counter did not reach tick-60: $(tm_screen; cat "$OBJ/screen")"
wait_for "loop-49" 5
# Still following after the last rebind: a command typed now runs.
sleep 2
tm_run 'echo moved-$((8*8))' "moved-64"
netsim_stop
# Every 2 s a new port: the server's replies reached the client through
# them (they are relayed from the previous port only until the next one).
[ "$(netsim_count down forwarded)" -gt 60 ] ||
    fail "few replies reached the client: $(tr '\n' ';' <"$NETSIM_STATS")"
finish

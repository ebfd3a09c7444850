# session-modes-loss.sh: in each delivery mode (statesync, reliable, datagram), through netsim with 0, 10 and 30 % loss, the terminal ends showing the last lines of seq 1 100000 and then the prompt, and mp -v names the mode.
. "$(dirname "$0")/../test-exec.sh"
require_programs
[ -x "$NETSIM" ] || { fail "$NETSIM is not built"; finish; }

# Every wait ends by this time, so that a failing run stays well within
# the driver's limit: each (mode, loss) gets at most 60 s.
DEADLINE=$(($(date +%s) + 150))

# mp -v: its log, which names the mode the server chose, in $OBJ/mp.err.
REAL_MP=$MP
MP="$OBJ/mp-v"
printf '#!/bin/sh\nexec "%s" -v "$@" 2>>"%s/mp.err"\n' "$REAL_MP" "$OBJ" >"$MP"
chmod 755 "$MP"

netsim_mps || finish

# budget SECONDS: SECONDS, or what is left before the deadline if less.
budget() {
	_left=$((DEADLINE - $(date +%s)))
	[ "$_left" -gt 1 ] || _left=1
	[ "$_left" -lt "$1" ] && echo "$_left" || echo "$1"
}

# prompt_last: the screen's last non-empty line is a prompt; into $prompt.
prompt_last() {
	tm_screen
	prompt=$(grep -v '^$' "$OBJ/screen" | tail -n 1 | sed 's/ *$//')
	case $prompt in
	*'#'|*'$') return 0 ;;
	esac
	return 1
}

# tail_is N WORDS: the screen's last N non-empty lines are WORDS.
tail_is() {
	tm_screen
	[ "$(grep -v '^$' "$OBJ/screen" | tail -n "$1" | sed 's/ *$//' | tr '\n' ' ')" = "$2" ]
}

elapsed() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# After a failure: what netsim counted so far, whether a new command
# repairs the screen, then a fresh mps (its one UDP port is free again).
after_failure() {
	kill -USR1 "$NETSIM_PID" 2>/dev/null && sleep 0.3
	verbose "$1/$2: netsim so far: $(tr '\n' ';' <"$NETSIM_STATS" 2>/dev/null)"
	tm_type 'echo again-$((5*5))'
	if wait_until "$(budget 5)" screen_has "again-25"; then
		verbose "$1/$2: after another command the screen is right again: $(grep -v '^$' "$OBJ/screen" | tail -n 3 | tr '\n' '|')"
	fi
	tm kill-session -t mp 2>/dev/null
	netsim_stop
	restart_mps "udp_port_range = \"$NETSIM_PORT-$NETSIM_PORT\""
}

# one MODE LOSS SEED: a session in that mode through netsim with that
# loss (and 10 ms each way); 1 if it failed.
one() {
	_t0=$(date +%s.%N)
	: >"$OBJ/mp.err"
	netsim_start --loss "$2" --delay 10 --seed "$3" || return 1
	mp_interactive --diff-mode "$1" 127.0.0.2 || { after_failure "$@"; return 1; }
	grep -q "$1 mode" "$OBJ/mp.err" ||
	    fail "$1/$2: mp -v did not say \"$1 mode\": $(cat "$OBJ/mp.err")"
	if ! wait_until 10 prompt_last; then
		fail "$1/$2: no prompt after ready-42x: $(cat "$OBJ/screen")"
		after_failure "$@"
		return 1
	fi
	tm_type 'clear; seq 1 100000'
	if ! wait_until "$(budget 60)" tail_is 4 "99998 99999 100000 $prompt "; then
		fail "$1/$2: after $(elapsed "$_t0") s the screen does not end with 99998 99999 100000 and the prompt \"$prompt\": $(grep -v '^$' "$OBJ/screen" | tail -n 4 | tr '\n' '|')"
		after_failure "$@"
		return 1
	fi
	_t1=$(elapsed "$_t0")
	tm_type exit
	if ! wait_until "$(budget 20)" screen_has "MP-EXIT="; then
		fail "$1/$2: mp did not exit after exit: $(cat "$OBJ/screen")"
		after_failure "$@"
		return 1
	fi
	grep -q "MP-EXIT=0" "$OBJ/screen" ||
	    fail "$1/$2: mp exited with $(grep -o 'MP-EXIT=[0-9]*' "$OBJ/screen")"
	tm kill-session -t mp
	wait_until 15 no_net_children || fail "$1/$2: the session's net child is still there"
	netsim_stop
	[ "$(netsim_count up forwarded)" -gt 0 ] && [ "$(netsim_count down forwarded)" -gt 0 ] ||
	    fail "$1/$2: the UDP did not go through netsim: $(tr '\n' ';' <"$NETSIM_STATS")"
	verbose "$1 loss $2: $(elapsed "$_t0") s (output shown after $_t1 s); datagrams up $(netsim_count up received) (lost $(netsim_count up dropped)), down $(netsim_count down received) (lost $(netsim_count down dropped))"
	return 0
}

seed=1
for mode in statesync datagram reliable; do
	for loss in 0 10 30; do
		seed=$((seed + 1))
		if [ "$(date +%s)" -ge "$DEADLINE" ]; then
			fail "no time left for $mode with $loss % loss"
			break 2
		fi
		# After a failure, the mode's higher losses are not tried.
		one "$mode" "$loss" "$seed" || break
	done
done
finish

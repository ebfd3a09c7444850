# session-blackout.sh: during a 20 s UDP blackout (netsim) a statesync session shows the "last contact N s ago, reconnecting..." bar on the top row after about 5 s over the last remote screen, which stays shown; when the network returns the bar goes, the screen is the remote's, and what was typed during the blackout and after it runs.
. "$(dirname "$0")/../test-exec.sh"
require_programs
[ -x "$NETSIM" ] || { fail "$NETSIM is not built"; finish; }

netsim_mps || finish
# The blackout: from 6 s after netsim starts, for 20 s.
netsim_start --blackout 6:20 --seed 3 || finish
T0=$(date +%s)
mp_interactive --diff-mode statesync 127.0.0.2 || finish

# top_row: the pane's first row, into $top.
top_row() {
	tm_screen
	top=$(head -n 1 "$OBJ/screen" | sed 's/ *$//')
}
bar_shown() {
	top_row
	case $top in
	"mp: last contact "*" s ago, reconnecting..."*) return 0 ;;
	esac
	return 1
}
bar_gone() {
	! bar_shown
}
# at SECONDS: sleep until SECONDS after netsim started.
at() {
	_d=$(($1 - $(date +%s) + T0))
	[ "$_d" -le 0 ] || sleep "$_d"
}

# A known screen: after clear, before-2 on the top row, then the prompt.
tm_run 'clear; echo before-$((1+1))' "before-2" || finish
prompt_second() {
	tm_screen
	prompt=$(sed -n 2p "$OBJ/screen" | sed 's/ *$//')
	case $prompt in
	*'#'|*'$') return 0 ;;
	esac
	return 1
}
wait_until 5 prompt_second || fail "no prompt on the second row: $(cat "$OBJ/screen")"
top_row
[ "$top" = before-2 ] || fail "the top row after clear is not before-2: \"$top\""
[ "$(($(date +%s) - T0))" -lt 5 ] || { fail "the session took too long to start"; finish; }

# The blackout starts at 6 s. The server is silent for at most 3 s before
# it (keepalives), so the bar is due between 8 and 11 s; not before 6.
at 5
bar_shown && fail "the status bar is shown before the blackout: $(cat "$OBJ/screen")"
if wait_until 10 bar_shown; then
	t=$(($(date +%s) - T0))
	verbose "the status bar appeared $t s after netsim started: \"$top\""
	[ "$t" -ge 8 ] || fail "the status bar appeared $t s after netsim started, less than 5 s into the blackout"
	n1=$(echo "$top" | sed 's/^mp: last contact \([0-9]*\) s ago.*/\1/')
	[ "$n1" -ge 5 ] 2>/dev/null || fail "the bar says $n1 s: \"$top\""
	# Typed during the blackout: runs once the network is back.
	at 12
	tm_type 'echo during-$((2+2))'
	# Later (before mp's resume handshake after 15 s of silence), the
	# count has gone up; the rest of the screen is unchanged.
	at 16
	top_row
	n2=$(echo "$top" | sed 's/^mp: last contact \([0-9]*\) s ago.*/\1/')
	[ "$n2" -gt "$n1" ] 2>/dev/null || fail "the bar's count did not go up from $n1: \"$top\""
	sed -n 2p "$OBJ/screen" | grep -qF -- "$prompt" ||
	    fail "at 16 s, the screen under the bar is not the remote's: $(cat "$OBJ/screen")"
	grep -q '^during-4' "$OBJ/screen" &&
	    fail "during-4 shown during the blackout: $(cat "$OBJ/screen")"
else
	fail "no status bar on the top row within 10 s into the blackout: $(cat "$OBJ/screen")"
fi
# Still in the blackout, after mp's resume handshake (TCP reaches the
# server; the UDP is still dropped): the last remote screen stays shown.
at 24
top_row
case $top in
before-2|"mp: last contact "*) ;;
*) fail "at 24 s, the top row is neither the bar nor the remote's: \"$top\"" ;;
esac
sed -n 2p "$OBJ/screen" | grep -qF -- "$prompt" ||
    fail "at 24 s, the remote screen is no longer shown: $(cat "$OBJ/screen")"

# The blackout ends at 26 s. Within a few seconds (the backed-off resends
# and keepalives) the bar goes and the command typed during it runs.
at 26
if wait_until 8 bar_gone; then
	verbose "the status bar went $(($(date +%s) - T0)) s after netsim started"
else
	fail "the status bar is still there 8 s after the blackout: $(cat "$OBJ/screen")"
fi
# Its prompt, before typing more (typeahead would be echoed twice).
prompt_after_during() {
	tm_screen
	[ "$(grep -v '^$' "$OBJ/screen" | tail -n 2 | sed 's/ *$//' | tr '\n' '|')" = "during-4|$prompt|" ]
}
during=""
if wait_until 5 prompt_after_during; then
	during=yes
else
	fail "the command typed during the blackout did not run: $(cat "$OBJ/screen")"
fi
top_row
[ "$top" = before-2 ] ||
    fail "after the blackout the top row is \"$top\", not before-2"
tm_run 'echo after-$((3+3))' "after-6"
ends_with_prompt() {
	tm_screen
	[ "$(grep -v '^$' "$OBJ/screen" | tail -n 1 | sed 's/ *$//')" = "$prompt" ]
}
wait_until 5 ends_with_prompt
tm_screen
grep -v '^$' "$OBJ/screen" | sed 's/ *$//' >"$OBJ/lines"
# The whole screen: the commands typed during the blackout and after it,
# each once with its output.
{
	echo before-2
	[ -z "$during" ] || printf '%s\n' "$prompt echo during-\$((2+2))" during-4
	printf '%s\n' "$prompt echo after-\$((3+3))" after-6 "$prompt"
} >"$OBJ/want"
cmp -s "$OBJ/lines" "$OBJ/want" ||
    fail "the screen after the blackout is not right: $(cat "$OBJ/screen")"
# mp resumes the session over a new handshake after 15 s of silence.
log_has "resumed" && verbose "mps: $(log_since | grep resumed | head -n 1)"
netsim_stop
[ "$(netsim_count up dropped)" -gt 0 ] && [ "$(netsim_count down dropped)" -gt 0 ] ||
    fail "netsim dropped nothing in the blackout: $(tr '\n' ';' <"$NETSIM_STATS")"
finish

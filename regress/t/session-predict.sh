# session-predict.sh: over a 400 ms round trip (netsim), mp --predict always shows typed characters at once, long before their echo, both in a program reading lines (cat) and at the shell's prompt (readline); never shows what is typed at a password prompt; and mp --predict never shows them only after the round trip.
. "$(dirname "$0")/../test-exec.sh"
require_programs
[ -x "$NETSIM" ] || { fail "$NETSIM is not built"; finish; }

netsim_mps || finish
# 200 ms each way.
netsim_start --delay 200 --seed 9 || finish

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# shown_within MS TEXT: the pane shows TEXT within MS ms (polled as fast
# as tmux answers); how long it took in $took (ms).
shown_within() {
	_t0=$(now_ms)
	while :; do
		took=$(($(now_ms) - _t0))
		screen_has "$2" && return 0
		[ "$took" -lt "$1" ] || return 1
	done
}

# last_line: the screen's last non-empty line, into $last.
last_line() {
	tm_screen
	last=$(grep -v '^$' "$OBJ/screen" | tail -n 1 | sed 's/ *$//')
}
prompt_last() {
	last_line
	case $last in
	*'#'|*'$') prompt=$last; return 0 ;;
	esac
	return 1
}

# proven_then_type LINE_START FIRST REST: type FIRST and wait for its
# echo (after a line ends, predictions show only once one has been
# confirmed), then type REST (no Enter); 0 if LINE_START FIRST REST shows
# within 150 ms, with the time in $took.
proven_then_type() {
	tm send-keys -t mp -l "$2"
	wait_for "$1$2" 5 || return 1
	sleep 1
	tm send-keys -t mp -l "$3"
	shown_within 150 "$1$2$3"
}

# 1. --predict always.
mp_interactive --predict always --diff-mode statesync 127.0.0.2 || finish

# In cat (the terminal echoes, line by line).
tm_run 'clear; echo cat-$((2*2)); cat' "cat-4" || finish
sleep 0.5
if proven_then_type "" "x" "yz abc"; then
	verbose "always, cat: the typed text showed after $took ms"
else
	fail "always, cat: \"xyz abc\" was not shown within 150 ms (round trip 400 ms): $(cat "$OBJ/screen")"
fi
tm send-keys -t mp Enter
# Echoed, then written back by cat.
twice() {
	tm_screen
	[ "$(grep -c '^xyz abc *$' "$OBJ/screen")" -eq 2 ]
}
wait_until 5 twice || fail "always, cat: the line did not come back from cat: $(cat "$OBJ/screen")"
tm send-keys -t mp C-d

# At the shell's prompt (its line editor turns the terminal's echo off
# and echoes by itself).
tm_run 'clear; echo shell-$((3*3))' "shell-9" || finish
wait_until 5 prompt_last || { fail "no prompt: $(cat "$OBJ/screen")"; finish; }
if proven_then_type "$prompt " "e" "cho typed-\$((3*1))"; then
	verbose "always, prompt: the typed text showed after $took ms"
else
	fail "always, prompt: \"echo typed-\$((3*1))\" was not shown within 150 ms (round trip 400 ms): $(cat "$OBJ/screen")"
fi
tm send-keys -t mp Enter
wait_for "typed-3" 5

# A password prompt (echo off, line by line): nothing typed shows, not
# even after the round trip; the program gets it all.
tm_type "clear; read -rs -p 'pw: ' x; echo got-\${#x}-\$((1+1))"
pw_alone() {
	tm_screen
	[ "$(grep -v '^$' "$OBJ/screen" | sed 's/ *$//' | tr '\n' '|')" = "pw:|" ]
}
wait_until 5 pw_alone || { fail "no password prompt: $(cat "$OBJ/screen")"; finish; }
# Typed at once: the echo would be due 400 ms later; watch for 1 s.
tm send-keys -t mp -l 'Secret7x'
n=0
while [ $n -lt 10 ]; do
	n=$((n + 1))
	if ! pw_alone; then
		fail "password prompt: the screen changed while typing: $(cat "$OBJ/screen")"
		break
	fi
	sleep 0.1
done
tm send-keys -t mp Enter
wait_for "got-8-2" 5
grep -q 'Secret7x' "$OBJ/screen" && fail "password prompt: what was typed shows: $(cat "$OBJ/screen")"

# The same on a line where typing was just confirmed (no Enter since, so
# predictions are showing): a program sleeps while "abc" is typed and
# echoed, then turns the echo off and asks. Only the server's word that
# the echo is off keeps the secret from being predicted.
tm_type "clear; sh -c 'sleep 3; stty -echo; printf \"pw2: \"; IFS= read -r l; stty echo; echo; echo got2=\${#l}-\$((2+2))'"
blank() {
	tm_screen
	! grep -q '[^ ]' "$OBJ/screen"
}
wait_until 5 blank || fail "the screen was not cleared: $(cat "$OBJ/screen")"
tm send-keys -t mp -l abc
wait_for "abc" 5
wait_for "abcpw2: " 5 || finish
tm send-keys -t mp -l 'Secret7x'
n=0
while [ $n -lt 10 ]; do
	n=$((n + 1))
	tm_screen
	if grep -q 'Secret7x\|abcpw2: *[^ ]' "$OBJ/screen"; then
		fail "password prompt after confirmed typing: what was typed shows: $(cat "$OBJ/screen")"
		break
	fi
	sleep 0.1
done
tm send-keys -t mp Enter
wait_for "got2=11-4" 5
grep -q 'Secret7x' "$OBJ/screen" && fail "password prompt after confirmed typing: what was typed shows: $(cat "$OBJ/screen")"

tm_type exit
wait_for "MP-EXIT=0" 10
tm kill-session -t mp
wait_until 15 no_net_children || { fail "the first session did not end"; finish; }
log_mark

# 2. --predict never, in cat: nothing shows before the echo, which comes
# after the round trip.
mp_interactive --predict never --diff-mode statesync 127.0.0.2 || finish
tm_run 'clear; echo cat-$((2*3)); cat' "cat-6" || finish
sleep 0.5
if proven_then_type "" "x" "yz abc"; then
	fail "never: \"xyz abc\" showed after $took ms, before its echo could come back"
fi
if shown_within 3000 "xyz abc"; then
	verbose "never: the typed text showed after $((took + 150)) ms"
else
	fail "never: the echo never showed: $(cat "$OBJ/screen")"
fi
tm send-keys -t mp Enter C-d
finish

# session-term-modes.sh: terminal modes the remote sets (application cursor keys, bracketed paste, mouse, title, cursor shape) reach the local terminal, and when the remote shell exits with them set, mp leaves the local terminal with them reset and its line discipline sane.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

flags() {
	tm display-message -p -t mp '#{keypad_cursor_flag} #{mouse_standard_flag} #{mouse_any_flag}'
}
flags_are() {
	[ "$(flags)" = "$1" ]
}
title() {
	tm display-message -p -t mp '#{pane_title}'
}
# pasted N: paste "hello-N" as a terminal does (brackets only if the
# application asked for bracketed paste), then Enter.
pasted() {
	tm set-buffer -b mptest "hello-$1"
	tm paste-buffer -p -d -b mptest -t mp
	tm send-keys -t mp Enter
}

twice() {
	tm_screen
	[ "$(grep -c '^hello-2 *$' "$OBJ/screen")" -eq 2 ]
}
for mode in statesync reliable datagram; do
	# mp in tmux as mp_interactive runs it, but with cat -v in the pane
	# once mp has ended, to see what the local terminal then does with a
	# paste.
	tm_start mp 80 24 "cd '$OBJ' && '$MP' -s '$MPS_PORT' --host-key-checking accept-new --diff-mode $mode 127.0.0.1; echo MP-EXIT=\$?; exec cat -v"
	# Every byte mp writes to the terminal.
	tm pipe-pane -t mp -o "cat >>'$OBJ/pane.$mode'"
	wait_log "session opened for" 15 || finish
	tm_run 'echo ready-$((6*7))x' "ready-42x" || finish

	[ "$(flags)" = "0 0 0" ] || fail "$mode: the modes are set before the remote asks: $(flags)"

	# The remote sets the modes, then cat -v shows what it is sent.
	tm_type "clear; printf '\\033[?1h\\033[?2004h\\033[?1000h\\033]2;mp-title-test\\007\\033[5 q'; echo modes-\$((2*4)); cat -v"
	wait_for "modes-8" || finish
	wait_until 5 flags_are "1 1 1" ||
	    fail "$mode: the local pane's keypad cursor and mouse flags are \"$(flags)\", not \"1 1 1\""
	t=$(title)
	[ "$t" = "mp-title-test" ] || fail "$mode: the local pane's title is \"$t\""
	# Bracketed paste: the local terminal brackets the paste, mp passes
	# the brackets on, the remote cat -v shows them (echoed, then written).
	pasted 1
	wait_for '^[[200~hello-1^[[201~' 5 ||
	    fail "$mode: the paste was not bracketed: $(cat "$OBJ/screen")"
	# The cursor shape (tmux 3.3 has no format for it): what mp wrote.
	grep -q "$(printf '\033\\[5 q')" "$OBJ/pane.$mode" ||
	    fail "$mode: mp did not write the cursor shape (CSI 5 SP q) to the terminal"

	# End cat; the shell sets the modes again and exits: only mp can
	# reset them.
	tm send-keys -t mp C-d
	tm_run "clear; printf '\\033[?1h\\033[?2004h\\033[?1000h\\033[5 q'; exit" "MP-EXIT=" || finish
	grep -q "MP-EXIT=0" "$OBJ/screen" || fail "$mode: mp exited with $(grep -o 'MP-EXIT=[0-9]*' "$OBJ/screen")"
	sleep 0.3
	[ "$(flags)" = "0 0 0" ] ||
	    fail "$mode: after mp ended, the keypad cursor and mouse flags are \"$(flags)\", not \"0 0 0\""
	# No brackets now, and the line discipline echoes again (cat -v shows
	# the line twice: the echo, then cat's copy).
	pasted 2
	wait_until 5 twice ||
	    fail "$mode: after mp ended, a paste is not plain text echoed and read back: $(cat "$OBJ/screen")"
	# The last cursor shape mp wrote is the default (CSI 0 SP q or CSI SP q).
	last_shape=$(grep -ao "$(printf '\033')\\[[0-9]* q" "$OBJ/pane.$mode" | tail -n 1 | cut -c2-)
	case $last_shape in
	'[0 q'|'[ q') ;;
	*) fail "$mode: the last cursor shape mp wrote is \"$last_shape\", not the default" ;;
	esac
	tm send-keys -t mp C-d
	wait_until 15 no_net_children || { fail "$mode: the session did not end"; finish; }
	tm kill-session -t mp 2>/dev/null
	log_mark
done
finish

# session-term-queries.sh: a remote program that asks the terminal for the cursor position (CSI 6 n) and its device attributes (CSI c) gets one answer to each, from the server's emulator (row;col of the cursor, ?62;22), in statesync, reliable and datagram modes.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

# The queries, each answer read once, then one more read that must time
# out: a second answer to either would show up in da= or in more=. The
# terminal's echo is off first, as programs that ask do: the server's
# emulator answers at once, before a read -s could turn it off.
QUERY="clear; stty -echo; printf '\\033[7;12H\\033[6n'; IFS= read -rs -t 2 -d R pos; printf '\\033[c'; IFS= read -rs -t 2 -d c da; IFS= read -rs -t 1 -n 1 more; printf '\\033[10;1Hpos=%s da=%s more=%s end-%s\\n' \"\${pos#*[}\" \"\${da#*[}\" \"\${#more}\" \$((4*5)); stty echo"

for mode in statesync reliable datagram; do
	mp_interactive --diff-mode "$mode" 127.0.0.1 || finish
	tm_type "$QUERY"
	if wait_for "end-20" 10; then
		line=$(grep 'end-20' "$OBJ/screen" | sed 's/ *$//')
		[ "$line" = "pos=7;12 da=?62;22 more=0 end-20" ] ||
		    fail "$mode: the answers were not one \"7;12\" and one \"?62;22\": \"$line\""
		# Nothing else on the screen: the answers were not echoed.
		[ "$(grep -v '^$' "$OBJ/screen" | sed 's/ *$//' | head -n 1)" = "$line" ] ||
		    fail "$mode: more than the result on the screen: $(cat "$OBJ/screen")"
	fi
	tm_run 'echo still-$((6*6))' "still-36"
	mp_end_session "$mode" || finish
done
finish

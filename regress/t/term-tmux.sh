# term-tmux.sh: each corpus recording, cut at each of its pauses, shown by tmux (cat into an 80x24 pane) and by vtreplay: the text of every row, the cursor and the colours and attributes of the shown text agree, except the documented differences.
. "$(dirname "$0")/../test-exec.sh"

VTREPLAY="$MP_BUILD_DIR/tools/vtreplay"
CORPUS=$(cd "$(dirname "$0")/../term-corpus" && pwd)
ROWS=24
[ -x "$VTREPLAY" ] || { fail "$VTREPLAY is not built"; finish; }
command -v tmux >/dev/null || { fail "tmux is not installed"; finish; }

# Where tmux is the one that is wrong: "NAME CUT FIELD" (FIELD text,
# cursor or style). Each one must still be seen; the reasons are in
# regress/term-corpus/README.md, "Known differences".
KNOWN='vttest 13227 text
vttest 14002 text
vttest 14811 text
vttest 33757 text'

is_known() {
	printf '%s\n' "$KNOWN" | grep -qx "$1 $2 $3" || return 1
	echo "$1 $2 $3" >>"$OBJ/known.seen"
}

# One pane per cut, all at once. The pane's terminal passes the bytes
# through untouched (-opost: no CR added before LF) and does not echo
# tmux's answers to the stream's queries.
n=0
: >"$OBJ/list"
: >"$OBJ/known.seen"
for f in "$CORPUS"/*.vt; do
	name=$(basename "$f" .vt)
	while read -r cut; do
		n=$((n + 1))
		echo "$n $name $cut" >>"$OBJ/list"
		tm new-session -d -s "c$n" -x 80 -y "$ROWS" "stty -opost -echo; \
		    head -c $cut '$f'; touch '$OBJ/done.$n'; exec sleep 170" ||
		    fail "cannot start tmux for $name"
	done <"$CORPUS/$name.cuts"
done
[ "$n" -ge 100 ] || fail "only $n cuts in $CORPUS"

all_done() {
	[ "$(ls "$OBJ" | grep -c '^done\.')" -eq "$n" ]
}
wait_until 60 all_done || fail "the panes did not all finish writing"

# capture_all DIR: each pane's rows with their SGR sequences
# (capture-pane -e), then its cursor, into DIR/I.
capture_all() {
	mkdir -p "$1"
	_i=1
	while [ "$_i" -le "$n" ]; do
		{
			tm capture-pane -p -e -t "c$_i"
			tm display -p -t "c$_i" '#{cursor_x},#{cursor_y}'
		} >"$1/$_i"
		_i=$((_i + 1))
	done
}

# tmux has taken in all the output once two captures agree.
capture_all "$OBJ/a"
for _try in 1 2 3 4 5 6 7 8 9 10; do
	sleep 0.3
	capture_all "$OBJ/b"
	diff -r "$OBJ/a" "$OBJ/b" >/dev/null && break
	rm -rf "$OBJ/a"
	mv "$OBJ/b" "$OBJ/a"
done
diff -r "$OBJ/a" "$OBJ/b" >/dev/null || fail "the panes never settled"

# differ NAME CUT WHAT WANT GOT: a failure unless the difference is known.
differ() {
	is_known "$1" "$2" "$3" && return 0
	fail "$1 up to byte $2: $3 differs (- tmux, + vtreplay):
$(diff "$4" "$5" | grep '^[<>]' | sed 's/^</-/; s/^>/+/' | head -n 12)"
}

# The rows of capture-pane -e, replayed: tmux writes each row's text
# with SGR sequences (the state carries over rows, trailing blanks left
# out) and DEC line-drawing cells between SO and SI (G1 is DEC special
# graphics). So the replay has tmux's text, and the colours and
# attributes of the cells the text shows (vtreplay --clip on both sides).
replay_capture() {
	head -n "$ROWS" "$1" |
	    awk 'BEGIN { printf "\033)0" } NR > 1 { printf "\r\n" } { printf "%s", $0 }' |
	    "$VTREPLAY" --attrs --clip
}

compare() {
	_cap="$OBJ/a/$1"
	[ "$(wc -l <"$_cap")" -eq $((ROWS + 1)) ] ||
	    { fail "$2 up to byte $3: bad capture: $(head -c 300 "$_cap")"; return; }
	replay_capture "$_cap" >"$OBJ/tmux.out"
	"$VTREPLAY" --attrs --clip --bytes "$3" "$CORPUS/$2.vt" >"$OBJ/vt.out"

	head -n "$ROWS" "$OBJ/tmux.out" >"$OBJ/tmux.text"
	head -n "$ROWS" "$OBJ/vt.out" >"$OBJ/vt.text"
	cmp -s "$OBJ/tmux.text" "$OBJ/vt.text" ||
	    differ "$2" "$3" text "$OBJ/tmux.text" "$OBJ/vt.text"

	# tmux keeps the cursor one past the last column while a wrap is
	# pending; term.h (like xterm and libvterm) says the last column.
	tail -n 1 "$_cap" | sed 's/^80,/79,/' >"$OBJ/tmux.cursor"
	sed -n 's/^cursor \([0-9]*,[0-9]*\) .*/\1/p' "$OBJ/vt.out" >"$OBJ/vt.cursor"
	cmp -s "$OBJ/tmux.cursor" "$OBJ/vt.cursor" ||
	    differ "$2" "$3" cursor "$OBJ/tmux.cursor" "$OBJ/vt.cursor"

	grep '^row' "$OBJ/tmux.out" >"$OBJ/tmux.style"
	grep '^row' "$OBJ/vt.out" >"$OBJ/vt.style"
	cmp -s "$OBJ/tmux.style" "$OBJ/vt.style" ||
	    differ "$2" "$3" style "$OBJ/tmux.style" "$OBJ/vt.style"
}

while read -r i name cut <&3; do
	compare "$i" "$name" "$cut" </dev/null
done 3<"$OBJ/list"

printf '%s\n' "$KNOWN" | while read -r k; do
	grep -qx "$k" "$OBJ/known.seen" ||
	    echo "known difference no longer seen: $k"
done >"$OBJ/stale"
[ -s "$OBJ/stale" ] && fail "$(cat "$OBJ/stale")"

finish

# term-vtreplay.sh: vtreplay prints the screen, its attributes and the diff check in its documented format, and refuses bad arguments.
. "$(dirname "$0")/../test-exec.sh"

VTREPLAY="$MP_BUILD_DIR/tools/vtreplay"
[ -x "$VTREPLAY" ] || { fail "$VTREPLAY is not built"; finish; }

# check DESCRIPTION EXPECTED-FILE ACTUAL-FILE
check() {
	if ! cmp -s "$2" "$3"; then
		fail "$1: $(diff -u "$2" "$3" | tail -n +3 | head -n 30)"
	fi
}

# replay NAME BYTES-FOR-PRINTF VTREPLAY-ARGS...: the output into $OBJ/NAME.out.
replay() {
	_name=$1 _bytes=$2
	shift 2
	printf "$_bytes" >"$OBJ/$_name.in"
	"$VTREPLAY" "$@" "$OBJ/$_name.in" >"$OBJ/$_name.out" 2>"$OBJ/$_name.err" ||
	    fail "$_name: vtreplay exited non-zero: $(cat "$OBJ/$_name.err")"
}

# The text: trailing blanks trimmed (coloured ones too), wide and
# combining characters, one line per row.
replay text 'hello   \r\n\033[31mred\033[0m\r\n\033[44m\033[K\033[0m\r\nwide:\346\274\242\345\255\227|\r\ncomb:e\314\201|' \
    --size 12x6 --attrs
printf 'hello\nred\n\nwide:\346\274\242\345\255\227|\ncomb:e\314\201|\n\n' >"$OBJ/text.want"
cat >>"$OBJ/text.want" <<'EOF'
cursor 7,4 shown shape 0
modes
mouse none encoding default
title
icon
bells 0
row 1 col 0-2 fg 1 bg default
row 2 col 0-11 fg default bg 4
EOF
check "text and attributes" "$OBJ/text.want" "$OBJ/text.out"

# Lines wrap at the width; the same from standard input and "-".
replay wrap 'abcdefghijklmnop' --size 10x2
printf 'abcdefghij\nklmnop\n' >"$OBJ/wrap.want"
check "wrapping" "$OBJ/wrap.want" "$OBJ/wrap.out"
"$VTREPLAY" --size 10x2 <"$OBJ/wrap.in" >"$OBJ/stdin.out" 2>&1 ||
    fail "stdin: exited non-zero"
check "standard input" "$OBJ/wrap.want" "$OBJ/stdin.out"
"$VTREPLAY" --size 10x2 - <"$OBJ/wrap.in" >"$OBJ/dash.out" 2>&1 ||
    fail "\"-\": exited non-zero"
check "\"-\" for standard input" "$OBJ/wrap.want" "$OBJ/dash.out"

# --bytes replays a prefix; --chunk does not change the result.
replay prefix 'abcdef' --size 10x1 --bytes 3
printf 'abc\n' >"$OBJ/prefix.want"
check "--bytes" "$OBJ/prefix.want" "$OBJ/prefix.out"
replay chunked '\033[1;31mab\033[0m\303\251\033]2;t\007' --size 10x1 --attrs --chunk 1
replay whole '\033[1;31mab\033[0m\303\251\033]2;t\007' --size 10x1 --attrs
check "--chunk 1" "$OBJ/whole.out" "$OBJ/chunked.out"

# Modes, mouse, cursor shape and visibility, titles (escaped), bells.
replay modes '\033[?1h\033=\033[?2004h\033[?1004h\033[?1002h\033[?1006h\033[?25l\033[4 q\033]0;a\\b \303\251\007\033]1;icon\007\a\a\033[?1049h\033[?5h' \
    --size 4x1 --attrs
cat >"$OBJ/modes.want" <<'EOF'

cursor 0,0 hidden shape 4
modes cursor_keys keypad bracketed focus reverse altscreen
mouse button encoding sgr
title a\x5cb é
icon icon
bells 2
EOF
check "modes" "$OBJ/modes.want" "$OBJ/modes.out"

# Every attribute and colour kind in one run.
replay style '\033[1;2;3;5;7;8;9;4:3;38;2;1;2;3;48;5;200mXY\033[0mZ' --size 4x1 --attrs
cat >"$OBJ/style.want" <<'EOF'
XYZ
cursor 3,0 shown shape 0
modes
mouse none encoding default
title
icon
bells 0
row 0 col 0-1 fg #010203 bg 200 bold faint italic blink inverse invisible strike underline=curly
EOF
check "style runs" "$OBJ/style.want" "$OBJ/style.out"

# --clip leaves out the runs past the text.
replay unclipped 'ab\033[41m   \033[0m' --size 6x1 --attrs
replay clipped 'ab\033[41m   \033[0m' --size 6x1 --attrs --clip
grep -qx 'row 0 col 2-4 fg default bg 1' "$OBJ/unclipped.out" ||
    fail "unclipped run missing: $(cat "$OBJ/unclipped.out")"
grep -q '^row' "$OBJ/clipped.out" &&
    fail "--clip kept a run past the text: $(cat "$OBJ/clipped.out")"

# The diff check reports success on stderr.
replay diffck 'one\r\n\033[32mtwo\033[m\r\n\033[?1049h\033[2Jalt\033[?1049l\033[Hx\a' \
    --size 10x4 --diff-check --chunk 3
grep -q "diff-check ok" "$OBJ/diffck.err" ||
    fail "no diff-check verdict: $(cat "$OBJ/diffck.err")"

# Bad arguments: a message and status 1.
printf 'x' >"$OBJ/x.in"
X="$OBJ/x.in"
for _a in "--size 0x5 $X" "--size 10 $X" "--size 10x $X" "--size 4097x1 $X" \
    "--size 2000x2000 $X" "--size 80x24x $X" "--size x24 $X" \
    "--chunk abc $X" "--bytes -1 $X" "--bogus $X" "$X $X" "$OBJ/missing"; do
	# shellcheck disable=SC2086
	"$VTREPLAY" $_a >"$OBJ/bad.out" 2>"$OBJ/bad.err"
	_rc=$?
	[ "$_rc" -eq 1 ] || fail "vtreplay $_a: status $_rc, want 1"
	[ -s "$OBJ/bad.err" ] || fail "vtreplay $_a: no message"
done

finish

# term-corpus-diff.sh: every corpus recording gives the same screen whatever the write sizes, and term_diff keeps a second emulator in step through it (vtreplay --diff-check at several chunk sizes).
. "$(dirname "$0")/../test-exec.sh"

VTREPLAY="$MP_BUILD_DIR/tools/vtreplay"
CORPUS="$(dirname "$0")/../term-corpus"
[ -x "$VTREPLAY" ] || { fail "$VTREPLAY is not built"; finish; }

n=0
for f in "$CORPUS"/*.vt; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	name=$(basename "$f" .vt)
	"$VTREPLAY" --attrs "$f" >"$OBJ/whole" 2>&1 ||
	    fail "$name: vtreplay failed: $(head -c 300 "$OBJ/whole")"
	"$VTREPLAY" --attrs --chunk 1 "$f" >"$OBJ/bytes" 2>&1 ||
	    fail "$name: vtreplay --chunk 1 failed"
	cmp -s "$OBJ/whole" "$OBJ/bytes" ||
	    fail "$name: one byte per write differs: $(diff "$OBJ/whole" "$OBJ/bytes" | head -n 10)"
	for chunk in 5 61 4096; do
		if ! "$VTREPLAY" --diff-check --chunk "$chunk" "$f" \
		    >/dev/null 2>"$OBJ/err"; then
			fail "$name: --diff-check --chunk $chunk: $(head -c 600 "$OBJ/err")"
		fi
	done
done
[ "$n" -ge 8 ] || fail "only $n recordings in $CORPUS"

finish

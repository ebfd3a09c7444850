# session-scrollback.sh: lines that scroll off the remote screen reach the local terminal's scrollback: after seq 1 300 the pane's history and screen hold 1 to 300 in order, each once, in statesync and reliable modes.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

seq 1 300 >"$OBJ/want"
for mode in statesync reliable; do
	mp_interactive --diff-mode "$mode" 127.0.0.1 || finish
	# 300 lines: under statesync's default cap of 500 lines per second.
	tm_run 'seq 1 300; echo seq-$((5*5))' "seq-25" || finish
	# The whole pane: history, then screen.
	tm capture-pane -p -J -S - -t mp >"$OBJ/all"
	grep -E '^[0-9]+ *$' "$OBJ/all" | sed 's/ *$//' >"$OBJ/got"
	if ! cmp -s "$OBJ/want" "$OBJ/got"; then
		fail "$mode: the pane's history and screen do not hold 1 to 300 once each, in order: $(wc -l <"$OBJ/got") number lines, first $(head -n 1 "$OBJ/got"), last $(tail -n 1 "$OBJ/got"), $(diff "$OBJ/want" "$OBJ/got" | head -n 10 | tr '\n' ' ')"
	fi
	hist=$(tm display-message -p -t mp '#{history_size}')
	[ "${hist:-0}" -ge 277 ] || fail "$mode: only ${hist:-0} lines in the pane's history"
	mp_end_session "$mode" || finish
done
finish

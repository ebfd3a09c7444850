# session-escape.sh: in a terminal session, ctrl-^ ctrl-^ at the start of a line sends one ctrl-^, ctrl-^ elsewhere is plain input, and ctrl-^ . disconnects: "connection to HOST closed.", status 255, the session ended on the server.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

mp_interactive || finish

# od -c shows the bytes the remote terminal got. After the Enter that
# ran od, C-^ C-^ is at a line start: one 036. Then "a C-^ x": mid-line,
# sent as typed. Then C-^ x at a line start: both bytes.
tm_type 'od -c; echo od-done-$((2+3))'
od_runs() {
	proc_table | awk '$3 == "od" { found = 1 } END { exit !found }'
}
wait_until 5 od_runs || { fail "od -c did not start: $(tm_screen; cat "$OBJ/screen")"; finish; }
tm send-keys -t mp C-^ C-^ Enter
tm send-keys -t mp a C-^ x Enter
tm send-keys -t mp C-^ y Enter
tm send-keys -t mp C-d
wait_for "od-done-5" || finish
tm_screen
grep -Eq '^0000000 +036 +\\n +a +036 +x +\\n +036 +y +\\n *$' "$OBJ/screen" ||
    fail "od -c did not show 036 \\n a 036 x \\n 036 y \\n: $(cat "$OBJ/screen")"

# Disconnect: after an Enter (a line start; the C-d before was not one).
tm_run 'echo line-$((4*4))' "line-16" || finish
log_mark
tm send-keys -t mp C-^ .
wait_for "MP-EXIT=" 10 || finish
grep -q "MP-EXIT=255" "$OBJ/screen" || fail "mp exited with $(grep -o 'MP-EXIT=[0-9]*' "$OBJ/screen"), expected 255"
grep -q "connection to 127.0.0.1 closed\." "$OBJ/screen" ||
    fail "no \"connection to 127.0.0.1 closed.\": $(cat "$OBJ/screen")"
wait_log "session of $(id -un) from 127.0.0.1 port" 15
log_has "ended: exit status" || log_has "ended: signal" ||
    fail "mps did not log how the session ended: $(log_since | tail -n 3)"
wait_until 5 no_net_children || fail "the session's net child is still there: $(net_children)"
finish

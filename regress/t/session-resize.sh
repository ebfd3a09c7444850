# session-resize.sh: the remote terminal has the local window's size, and follows it when the window is resized.
. "$(dirname "$0")/../test-exec.sh"
require_programs
start_mps || finish

mp_interactive || finish
# stty prints "rows cols"; the arithmetic keeps the typed line from matching.
tm_run 'echo size=$(stty size)=$((1+1))' "size=24 80=2"
tm resize-window -t mp -x 100 -y 30; sleep 0.5
size=$(tm display-message -p -t mp '#{pane_height} #{pane_width}')
[ "$size" = "30 100" ] || fail "tmux did not resize the pane: $size"
tm_run 'echo size=$(stty size)=$((2+1))' "size=30 100=3"
tm resize-window -t mp -x 60 -y 20; sleep 0.5
tm_run 'echo size=$(stty size)=$((3+1))' "size=20 60=4"
finish

# server-session-start-failure.sh: when the session net child cannot be started once the session process is (mps-net made unusable by an upgrade), the monitor ends the session process and, as root, writes the utmp logout and closes the PAM session before it exits, instead of leaving them behind.
. "$(dirname "$0")/../test-exec.sh"
require_programs

# A net child program that works once, for the preauth child, and then
# cannot be run: the session's net child cannot start.
cat >"$OBJ/net-once" <<EOF
#!/bin/sh
/bin/chmod 0644 "\$0"
exec "$MPS_NET" "\$@"
EOF
chmod 0755 "$OBJ/net-once"
start_mps "mps_net_path = \"$OBJ/net-once\"" || finish
if [ "$(id -u)" -eq 0 ]; then
	# The PAM session's open and close, as pam_exec sees them.
	cat >"$OBJ/pam-note" <<EOF
#!/bin/sh
echo "\$PAM_TYPE" >>"$OBJ/pam.log"
EOF
	chmod 0755 "$OBJ/pam-note"
	echo "session  optional pam_exec.so $OBJ/pam-note" >>"$SRV/pam.d/mps"
fi

# login FLAG MARK: log in with -T or -t to run "sleep MARK" (in the
# background: the session never starts), until the monitor gives up.
login() {
	chmod 0755 "$OBJ/net-once"
	log_mark
	timeout -k 2 10 "$MP" -s "$MPS_PORT" --host-key-checking accept-new \
	    "$1" 127.0.0.1 -- sleep "$2" </dev/null >/dev/null 2>"$OBJ/err" &
	client=$!
	wait_log "cannot start the session net child" 8
}
gone() {
	! pgrep -f "^sleep $1\$" >/dev/null
}

# Without a PTY nothing else would end the command.
login -T 2717
wait_until 5 gone 2717 || fail "the command of a session that could not start still runs"
kill "$client" 2>/dev/null
wait "$client" 2>/dev/null

[ "$(id -u)" -eq 0 ] || finish
UTMP=/var/run/utmp
if [ ! -e "$UTMP" ]; then	# no init system made it (containers)
	install -m 0664 -g utmp /dev/null "$UTMP" 2>/dev/null || install -m 0664 /dev/null "$UTMP"
	on_exit "rm -f $UTMP"
fi
: >"$OBJ/pam.log"
login -t 2718
line=$(log_since | sed -n 's|.*session opened for .* on /dev/\(pts/[0-9]*\)$|\1|p' | head -n 1)
[ -n "$line" ] || fail "no PTY in the log: $(log_since | tail -n 3)"
wait_until 5 gone 2718 || fail "the shell of a session that could not start still runs"
kill "$client" 2>/dev/null
wait "$client" 2>/dev/null
if [ -n "$line" ]; then
	who >"$OBJ/who"
	grep -E "^$(id -un) +$line " "$OBJ/who" >/dev/null &&
	    fail "a session that could not start is left in utmp: $(cat "$OBJ/who")"
fi
wait_until 5 grep -q close_session "$OBJ/pam.log" ||
    fail "the PAM session was not closed: $(cat "$OBJ/pam.log")"
finish

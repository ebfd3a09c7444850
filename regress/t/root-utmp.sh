# root-utmp.sh: as root, an interactive session is in utmp (who) on its pts line with host 127.0.0.1 and in wtmp; after exit it is gone from who.
. "$(dirname "$0")/../test-exec.sh"
require_root
require_programs
UTMP=/var/run/utmp
if [ ! -e "$UTMP" ]; then	# no init system made it (containers)
	install -m 0664 -g utmp /dev/null "$UTMP" 2>/dev/null || install -m 0664 /dev/null "$UTMP"
	on_exit "rm -f $UTMP"
fi
[ -e /var/log/wtmp ] && wtmp_lines=$(utmpdump /var/log/wtmp 2>/dev/null | wc -l)
start_mps || finish

mp_interactive || finish
tm_run 'echo tty=$(tty)=$((2*2))' "=4" || finish
line=$(sed -n 's|^tty=/dev/\(pts/[0-9]*\)=4.*|\1|p' "$OBJ/screen" | head -n 1)
[ -n "$line" ] || { fail "no pts line: $(cat "$OBJ/screen")"; finish; }
who >"$OBJ/who"
grep -E "^$(id -un) +$line .*\(127\.0\.0\.1\)" "$OBJ/who" >/dev/null ||
    fail "who does not show $(id -un) on $line from 127.0.0.1: $(cat "$OBJ/who")"
if [ -n "${wtmp_lines:-}" ]; then
	utmpdump /var/log/wtmp 2>/dev/null | tail -n "+$((wtmp_lines + 1))" >"$OBJ/wtmp"
	grep -F "[$(id -un)" "$OBJ/wtmp" | grep -F "[$line" | grep -qF "[127.0.0.1" ||
	    fail "wtmp has no login record: $(cat "$OBJ/wtmp")"
fi

tm_type exit
wait_for "MP-EXIT=0"
wait_log "ended: exit status 0"
who >"$OBJ/who"
grep -E "^$(id -un) +$line " "$OBJ/who" >/dev/null && fail "still in who after exit: $(cat "$OBJ/who")"
if [ -n "${wtmp_lines:-}" ]; then
	utmpdump /var/log/wtmp 2>/dev/null | tail -n "+$((wtmp_lines + 1))" >"$OBJ/wtmp"
	[ "$(grep -cF "[$line" "$OBJ/wtmp")" -ge 2 ] || fail "wtmp has no logout record: $(cat "$OBJ/wtmp")"
fi
finish

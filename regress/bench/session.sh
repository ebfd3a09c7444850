#!/bin/sh
# session.sh: what a user of an interactive session sees and costs, mp against mps in each --diff-mode beside stock mosh, through netsim on loopback: keystroke latency, bulk output under loss, idle and typing traffic, server memory; one table with ratios.
set -u
#
# Environment: MP_BUILD_DIR (set by make bench) holds bin/ and tools/
# (ttylat, netsim); BENCH_QUICK=1 a smoke run (8 keystrokes, seq 1 30000,
# 5 s idle, 20 typed characters; under 3 minutes); BENCH_DIR the scratch
# parent (default MP_BUILD_DIR: StrictModes-friendly); BENCH_KEEP=1 keeps
# the scratch directory (ttylat's output and the clients' logs per
# session); BENCH_VERBOSE=1 prints them for failed sessions; BENCH_BUDGET
# the seconds after which no new session starts (165 quick, 840 full);
# BENCH_PARTS the parts to run (default "echo seq idle"); BENCH_CLIENTS
# the clients (default all: mp-statesync mp-reliable mp-datagram mosh).

: "${MP_BUILD_DIR:?run through make bench (MP_BUILD_DIR unset)}"

# The run is bounded twice: no session starts once BUDGET seconds have
# passed (the table shows "-" for what was skipped), and the script runs
# under timeout(1) with some more time for the session under way.
if [ -n "${BENCH_QUICK:-}" ]; then BUDGET=${BENCH_BUDGET:-165}; else BUDGET=${BENCH_BUDGET:-840}; fi
if [ -z "${SESSION_BENCH_WATCHED:-}" ] && command -v timeout >/dev/null 2>&1; then
	SESSION_BENCH_WATCHED=1 exec timeout -k 10 $((BUDGET + 120)) sh "$0" "$@"
fi
T_START=$(date +%s)
SKIPPED=0

B="$MP_BUILD_DIR/bin"
. "$(dirname "$0")/mps-setup"
TTYLAT="$MP_BUILD_DIR/tools/ttylat"
NETSIM="$MP_BUILD_DIR/tools/netsim"
MODES="statesync reliable datagram"
CLIENTS=${BENCH_CLIENTS:-mp-statesync mp-reliable mp-datagram mosh}
PARTS=${BENCH_PARTS:-echo seq idle}

if [ -n "${BENCH_QUICK:-}" ]; then
	LAT_N=8 SEQ_N=30000 SEQ_RUNS=1 IDLE_S=5 TYPE_N=20 SEQ_TIMEOUT=15
else
	LAT_N=40 SEQ_N=300000 SEQ_RUNS=5 IDLE_S=20 TYPE_N=100 SEQ_TIMEOUT=60
fi

for p in "$B/mps" "$B/mps-net" "$B/mp" "$B/mp-keygen" "$TTYLAT" "$NETSIM"; do
	if [ ! -x "$p" ]; then
		echo "session: $p is not built" >&2
		exit 1
	fi
done
for p in mosh-server mosh-client perl python3; do
	if ! command -v $p >/dev/null; then
		echo "session: needs $p (scripts/install-deps --bench)" >&2
		exit 1
	fi
done

# StrictModes refuses key files under a directory others can write: work
# in the build tree, as login.sh does.
D=$(mktemp -d "${BENCH_DIR:-$MP_BUILD_DIR}/bench-session.XXXXXX") || exit 1
chmod 755 "$D"
MPS_PID=""
FWD_PID=""
NS_PID=""
MOSH_PID=""

# stop_group PID: TERM to the process group PID leads (started by setsid)
# and to PID, KILL after 3 s.
stop_group() {
	[ -n "$1" ] || return 0
	kill -TERM "-$1" "$1" 2>/dev/null
	i=0
	while [ $i -lt 30 ] && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "-$1" "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# descendants PID: every process below PID. (sh has no local variables:
# _d is its own, the callers' loops use other names.)
descendants() {
	for _d in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$_d"
		descendants "$_d"
	done
}

stop_mps() {
	[ -n "$MPS_PID" ] || return 0
	kids=$(descendants "$MPS_PID")
	stop_group "$MPS_PID"
	# shellcheck disable=SC2086
	[ -z "$kids" ] || kill -KILL $kids 2>/dev/null
	MPS_PID=""
}

stop_mosh_server() {
	[ -n "$MOSH_PID" ] || return 0
	i=0
	while [ $i -lt 30 ] && kill -0 "$MOSH_PID" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -TERM "$MOSH_PID" 2>/dev/null
	sleep 0.2
	kill -KILL "$MOSH_PID" 2>/dev/null
	MOSH_PID=""
}

cleanup() {
	trap - EXIT INT TERM HUP
	stop_group "$NS_PID"
	stop_mosh_server
	stop_mps
	stop_group "$FWD_PID"
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "session: scratch directory kept in $D"
	else
		rm -rf "$D"
	fi
}
trap cleanup EXIT
trap 'echo "session: interrupted or timed out" >&2; exit 1' INT TERM HUP

die() {
	echo "session: $*" >&2
	exit 1
}

free_port() {	# free_port tcp|udp: a port free on 127.0.0.1 and 127.0.0.2
	python3 -c '
import socket, sys
kind = socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM
for _ in range(100):
    a = socket.socket(socket.AF_INET, kind); a.bind(("127.0.0.1", 0))
    port = a.getsockname()[1]
    b = socket.socket(socket.AF_INET, kind)
    try:
        b.bind(("127.0.0.2", port))
    except OSError:
        continue
    print(port); break' "$1"
}

# ---- mps, and a TCP forwarder 127.0.0.2 -> 127.0.0.1 (docs/netsim.md) ------
TCP_PORT=$(free_port tcp)
UDP_PORT=$(free_port udp)
if [ -z "$TCP_PORT" ] || [ -z "$UDP_PORT" ]; then die "no free port"; fi
bench_mps_setup "$TCP_PORT" "$UDP_PORT-$UDP_PORT" || exit 1
setsid "$B/mps" -e -c "$D/mps.toml" </dev/null >/dev/null 2>"$D/mps.log" &
MPS_PID=$!

setsid perl "$(dirname "$0")/../helpers/tcpfwd" 127.0.0.2 "$TCP_PORT" \
    127.0.0.1 "$TCP_PORT" "$D/fwd.out" >/dev/null 2>&1 </dev/null &
FWD_PID=$!

i=0
until grep -q "listening on 127.0.0.1 port $TCP_PORT" "$D/mps.log" 2>/dev/null &&
    grep -q ready "$D/fwd.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || die "mps or the forwarder did not start: $(tail -3 "$D/mps.log" "$D/fwd.out")"
	sleep 0.1
done

# ---- helpers the sessions run (ttylat --exec) --------------------------------
# snap.sh DEST: netsim's counts now, into DEST.
cat >"$D/snap.sh" <<EOF
rm -f "$D/ns.stats"
kill -USR1 "\$(cat "$D/ns.pid")" || exit 1
i=0
while [ ! -f "$D/ns.stats" ] && [ \$i -lt 300 ]; do sleep 0.01; i=\$((i + 1)); done
mv "$D/ns.stats" "\$1"
EOF
# mem.sh DEST: "RSS PSS" (kB) of the server processes of the session: for
# mps the per-connection monitor and its net child (the mps* processes
# below the listener, as login.sh counts them), for mosh the mosh-server.
cat >"$D/mem.sh" <<'EOF'
descendants() {
	for c in $(ps -o pid= --ppid "$1"); do echo "$c"; descendants "$c"; done
}
set -- "$1" $(cat "$(dirname "$1")/server")
case $2 in
mp)	pids=""
	for p in $(descendants "$3"); do
		case "$(cat /proc/"$p"/comm 2>/dev/null)" in
		mps*) pids="$pids $p" ;;
		esac
	done ;;
mosh)	pids=$3 ;;
esac
[ -n "$pids" ] || exit 1
for p in $pids; do cat "/proc/$p/smaps_rollup"; done 2>/dev/null |
    awk '/^Rss:/ { r += $2 } /^Pss:/ { p += $2 } END { print r + 0, p + 0 }' >"$1"
EOF

# ---- one session -------------------------------------------------------------
start_netsim() {	# start_netsim NETSIM-OPTIONS...
	rm -f "$D/ns.stats" "$D/ns.err"
	setsid "$NETSIM" --listen "127.0.0.2:$UDP_PORT" --server "127.0.0.1:$UDP_PORT" \
	    --stats "$D/ns.stats" "$@" 2>"$D/ns.err" </dev/null &
	NS_PID=$!
	echo "$NS_PID" >"$D/ns.pid"
	i=0
	until grep -q "^netsim: listening" "$D/ns.err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || die "netsim did not start: $(cat "$D/ns.err")"
		sleep 0.1
	done
}

stop_netsim() {
	stop_group "$NS_PID"
	NS_PID=""
}

# start_mosh_server: a mosh-server on 127.0.0.1:UDP_PORT; sets MOSH_KEY, MOSH_PID.
start_mosh_server() {
	LANG=C.UTF-8 MOSH_SERVER_NETWORK_TMOUT=120 mosh-server new -i 127.0.0.1 \
	    -p "$UDP_PORT" -l LANG=C.UTF-8 -- env PS1='$ ' bash --norc --noprofile \
	    </dev/null >"$D/mosh.out" 2>"$D/mosh.err"
	MOSH_KEY=$(awk '$1 == "MOSH" && $2 == "CONNECT" { print $4 }' "$D/mosh.out")
	MOSH_PID=$(sed -n 's/.*mosh-server detached, pid = \([0-9]*\).*/\1/p' "$D/mosh.err")
	if [ -z "$MOSH_KEY" ] || [ -z "$MOSH_PID" ]; then
		die "mosh-server did not start: $(cat "$D/mosh.out" "$D/mosh.err")"
	fi
	[ "$(awk '$1 == "MOSH" { print $3 }' "$D/mosh.out")" = "$UDP_PORT" ] ||
	    die "mosh-server did not take port $UDP_PORT: $(cat "$D/mosh.out")"
}

# mps_idle: the previous session is gone from mps (its UDP port is free).
mps_idle() {
	i=0
	while [ -n "$(ps -o pid= --ppid "$MPS_PID")" ]; do
		i=$((i + 1))
		if [ $i -eq 50 ] || [ $i -eq 80 ]; then
			[ $i -eq 50 ] && sig=HUP || sig=KILL
			# shellcheck disable=SC2046
			kill -"$sig" $(descendants "$MPS_PID") 2>/dev/null
		elif [ $i -ge 100 ]; then
			die "a session of mps does not end"
		fi
		sleep 0.1
	done
}

# session NAME CLIENT PREDICT TIMEOUT NETSIM-OPTIONS -- TTYLAT-STEPS...:
# one session of CLIENT (mp-MODE or mosh) through netsim, driven by
# ttylat; its results in $D/NAME.out, its log in $D/NAME.log. The shell
# is bash without rc files and with PS1='$ ' on both sides.
session() {
	name=$1 client=$2 predict=$3 tmo=$4
	if [ $(($(date +%s) - T_START)) -ge "$BUDGET" ]; then
		SKIPPED=$((SKIPPED + 1))
		return 0
	fi
	shift 4
	nsopts=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		nsopts="$nsopts $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	start_netsim $nsopts
	case $client in
	mosh)
		start_mosh_server
		echo "mosh $MOSH_PID" >"$D/server"
		LANG=C.UTF-8 MOSH_KEY=$MOSH_KEY MOSH_PREDICTION_DISPLAY=$predict \
		    "$TTYLAT" --timeout "$tmo" --stderr "$D/$name.log" "$@" -- \
		    mosh-client 127.0.0.2 "$UDP_PORT" >"$D/$name.out" 2>"$D/$name.err"
		rc=$?
		stop_mosh_server
		;;
	mp-*)
		mps_idle
		echo "mp $MPS_PID" >"$D/server"
		LANG=C.UTF-8 HOME="$D/home" "$TTYLAT" --timeout "$tmo" \
		    --stderr "$D/$name.log" "$@" -- \
		    "$B/mp" -v -s "$TCP_PORT" --host-key-checking accept-new \
		    --diff-mode "${client#mp-}" --predict "$predict" 127.0.0.2 -- \
		    "env PS1='\$ ' bash --norc --noprofile" >"$D/$name.out" 2>"$D/$name.err"
		rc=$?
		mps_idle
		;;
	esac
	stop_netsim
	if [ "$rc" -ne 0 ]; then
		echo "session: $name: ttylat exited $rc: $(head -1 "$D/$name.err")" >&2
		[ -z "${BENCH_VERBOSE:-}" ] || cat "$D/$name.err" "$D/$name.log" >&2
	fi
	return 0
}

# The shell is ready, the screen cleared and quiet, the prompt on row 2.
# (Words split on spaces: a space in typed text is \x20.)
START="--wait \$ --type clear;\x20echo\x20RE''ADY\r --wait READY\n\$ --sleep 500"
# shellcheck disable=SC2089
END="--type exit\r --expect-exit"

# counts A B: "BYTES PACKETS" netsim received from both sides between two
# snapshots of its counts.
counts() {
	[ -s "$1" ] && [ -s "$2" ] || return 1
	awk 'FNR == NR && $2 == "received" { b -= $4; p -= $3 }
	    FNR != NR && $2 == "received" { b += $4; p += $3 }
	    END { print b, p }' "$1" "$2"
}

# latency field FILE: a field (median, p90) of the echo-latency line.
latency() {
	sed -n "s/^echo-latency .* $1=\([0-9.]*\) .*/\1/p" "$2" | head -1
}

put() {	# put KEY VALUE: an empty VALUE or "-" is no result
	case $2 in
	""|-)	rm -f "$D/res.$1" ;;
	*)	echo "$2" >"$D/res.$1" ;;
	esac
}

get() {	# get KEY: the value, or "-"
	if [ -s "$D/res.$1" ]; then cat "$D/res.$1"; else echo -; fi
}

# ---- the runs ----------------------------------------------------------------
echo "session: mp (--diff-mode $MODES) against mps, and mosh $(mosh-client -v 2>&1 | sed -n '1s/.*(mosh \([^)]*\)).*/\1/p'), through netsim on loopback"
[ -z "${BENCH_QUICK:-}" ] || echo "session: BENCH_QUICK: $LAT_N keystrokes, seq 1 $SEQ_N, ${IDLE_S} s idle, $TYPE_N typed characters"

# part NAME: NAME is one of BENCH_PARTS.
part() {
	case " $PARTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# Keystroke to screen: LAT_N characters, 100 ms apart, each once the
# previous one shows.
part echo && for delay in 0 50; do
	for predict in never always; do
		for c in $CLIENTS; do
			n=lat-$predict-$delay-$c
			# shellcheck disable=SC2086,SC2090
			session "$n" "$c" "$predict" 30 --delay "$delay" -- \
			    $START --echo-latency "$LAT_N" $END
			put "$n.median" "$(latency median "$D/$n.out")"
			put "$n.p90" "$(latency p90 "$D/$n.out")"
			case $c in
			mp-*)	[ -s "$D/res.mode.$c" ] || put "mode.$c" "$(sed -n \
				    's/.*logged in; session on UDP port [0-9]*, \([a-z]*\) mode.*/\1/p' \
				    "$D/$n.log" | head -1)" ;;
			esac
		done
	done
done

# median COLUMN FILE: the median of a column of numbers (the lower middle
# one of an even count); nothing for an empty file.
median() {
	sort -n -k "$1,$1" "$2" | awk -v c="$1" '{ v[NR] = $c }
	    END { if (NR > 0) print v[int((NR + 1) / 2)] }'
}

# Bulk output: seq 1 SEQ_N until its last line and the prompt show, SEQ_RUNS
# times per client and loss rate (each client sees the same netsim seeds);
# the medians of the time, bytes and packets.
part seq && for loss in 0 10 30; do
	for c in $CLIENTS; do
		n=seq-$loss-$c
		: >"$D/$n.runs"
		r=1
		while [ $r -le $SEQ_RUNS ]; do
			# shellcheck disable=SC2086,SC2090
			session "$n-$r" "$c" never "$SEQ_TIMEOUT" --loss "$loss" \
			    --seed $((loss * 100 + r)) -- \
			    $START --exec "sh $D/snap.sh $D/$n-$r.s0" \
			    --run "seq 1 $SEQ_N" --until "$SEQ_N\\n\$" \
			    --exec "sh $D/snap.sh $D/$n-$r.s1" $END
			secs=$(sed -n 's/^run seconds=//p' "$D/$n-$r.out" 2>/dev/null)
			# shellcheck disable=SC2046
			set -- $(counts "$D/$n-$r.s0" "$D/$n-$r.s1")
			[ -z "$secs" ] || [ $# -ne 2 ] || echo "$secs $1 $2" >>"$D/$n.runs"
			r=$((r + 1))
		done
		put "$n.secs" "$(median 1 "$D/$n.runs")"
		put "$n.bytes" "$(median 2 "$D/$n.runs")"
		put "$n.pkts" "$(median 3 "$D/$n.runs")"
	done
done

# Idle traffic, server memory of the idle session, then typing.
part idle && for c in $CLIENTS; do
	n=idle-$c
	# shellcheck disable=SC2086,SC2090
	session "$n" "$c" adaptive 30 -- \
	    $START --sleep 1500 --exec "sh $D/snap.sh $D/$n.s0" \
	    --sleep $((IDLE_S * 1000)) --exec "sh $D/snap.sh $D/$n.s1" \
	    --exec "sh $D/mem.sh $D/$n.mem" \
	    --echo-latency "$TYPE_N" --exec "sh $D/snap.sh $D/$n.s2" $END
	# shellcheck disable=SC2046
	set -- $(counts "$D/$n.s0" "$D/$n.s1") -
	[ "$1" = - ] || put "$n.bytes" $(($1 * 60 / IDLE_S))
	# shellcheck disable=SC2046
	set -- $(counts "$D/$n.s1" "$D/$n.s2") -
	[ "$1" = - ] || put "type-$c.bytes" $(($1 * 100 / TYPE_N))
	# shellcheck disable=SC2046
	set -- $(cat "$D/$n.mem" 2>/dev/null) - -
	put "mem-$c.rss" "$1"
	put "mem-$c.pss" "$2"
done

# ---- the table -----------------------------------------------------------------
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b + 0 == 0) print "-"
		else printf "%.2f", a / b }'
}

human() {	# human N: bytes as B, kB, MB
	awk -v n="$1" 'BEGIN {
		if (n == "-") print "-"
		else if (n >= 10e6) printf "%.1fM", n / 1e6
		else if (n >= 10e3) printf "%.1fk", n / 1e3
		else printf "%d", n }'
}

# row LABEL KEY [human]: the four clients' values and mp/mosh per mode.
row() {
	line=$(printf '%-38s' "$1")
	for c in $CLIENTS; do
		v=$(get "$2$c$3")
		[ "${4:-}" != human ] || v=$(human "$v")
		line="$line$(printf ' %10s' "$v")"
	done
	r=""
	for m in $MODES; do
		r="$r $(ratio "$(get "$2mp-$m$3")" "$(get "$2mosh$3")")"
	done
	printf '%s  %s\n' "$line" "$r"
}

echo
printf '%-38s %10s %10s %10s %10s  %s\n' "" "mp" "mp" "mp" "mosh" "mp/mosh"
# shellcheck disable=SC2086
printf '%-38s %10s %10s %10s %10s  %s\n' "asked --diff-mode" $MODES "" "s r d"
printf '%-38s %10s %10s %10s %10s\n' "granted (mp -v)" \
    "$(get mode.mp-statesync)" "$(get mode.mp-reliable)" "$(get mode.mp-datagram)" ""
for delay in 0 50; do
	for predict in never always; do
		row "echo ms median, predict $predict, ${delay}ms" "lat-$predict-$delay-" .median
		row "echo ms p90,    predict $predict, ${delay}ms" "lat-$predict-$delay-" .p90
	done
done
for loss in 0 10 30; do
	row "seq 1 $SEQ_N s, loss $loss%" "seq-$loss-" .secs
	row "  bytes (both ways)" "seq-$loss-" .bytes human
	row "  packets (both ways)" "seq-$loss-" .pkts
done
row "idle bytes/min (${IDLE_S}s scaled to 60s)" "idle-" .bytes
if [ "$TYPE_N" -eq 100 ]; then
	row "bytes typing 100 chars" "type-" .bytes
else
	row "bytes typing 100 chars (${TYPE_N} scaled)" "type-" .bytes
fi
row "server RSS kB, idle session" "mem-" .rss
row "server PSS kB, idle session" "mem-" .pss
echo "(mp/mosh: one ratio per mode s(tatesync) r(eliable) d(atagram); echo: keystroke"
echo " to screen through netsim, one-way delay; seq: until the last line and the prompt"
echo " show, median of $SEQ_RUNS runs; bytes and packets: both directions, as netsim"
echo " received them, median of the same runs; memory: mps"
echo " monitor + net child, mosh-server; typing: ${TYPE_N} characters as for echo, then"
echo " erased, with the idle traffic of those seconds; - : no result; $(($(date +%s) - T_START)) s in all)"
[ "$SKIPPED" -eq 0 ] || echo "session: $SKIPPED sessions skipped: over the time budget of $BUDGET s"

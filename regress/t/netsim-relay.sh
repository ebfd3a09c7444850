# netsim-relay.sh: netsim relays UDP both ways in order, and its loss, delay, rebinding and blackout do what docs/netsim.md says.
. "$(dirname "$0")/../test-exec.sh"

[ -x "$NETSIM" ] || { fail "$NETSIM is not built"; finish; }
command -v perl >/dev/null 2>&1 && perl -MIO::Socket::INET -e 1 2>/dev/null || {
	echo "ok $TEST_NAME # skip no perl with IO::Socket::INET"
	exit 0
}

ECHO_PID=""
NS_PID=""
on_exit 'stop_pid "$NS_PID"; stop_pid "$ECHO_PID"'

# The UDP echo server ("echo PORT LOG": logs "from SRCPORT" per datagram)
# and client ("client PORT COUNT INTERVAL_MS WAIT_S": prints "sent SEQ MS"
# and "recv SEQ RTT_MS").
cat >"$OBJ/udp.pl" <<'EOF'
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Time::HiRes qw(time);

my $mode = shift;
alarm 150;
if ($mode eq 'echo') {
	my ($port, $log) = @ARGV;
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
	    LocalPort => $port, Proto => 'udp') or die "bind: $!";
	open(my $fh, ">>", $log) or die "$log: $!";
	$fh->autoflush(1);
	print $fh "ready\n";
	my $buf;
	while (defined(my $peer = $s->recv($buf, 65536))) {
		my ($pport) = sockaddr_in($peer);
		print $fh "from $pport\n";
		$s->send($buf, 0, $peer);
	}
	exit 0;
}
my ($port, $count, $ival, $wait) = @ARGV;
my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
    Proto => 'udp') or die "socket: $!";
my $sel = IO::Select->new($s);
my $t0 = time;
my ($next, $seq, $last, %sent) = ($t0, 0, $t0);
$| = 1;
for (;;) {
	my $now = time;
	if ($seq < $count && $now >= $next) {
		$sent{$seq} = $now;
		$s->send("$seq");
		printf "sent %d %d\n", $seq, ($now - $t0) * 1000;
		$seq++;
		$next += $ival / 1000;
		$last = $now;
		next;
	}
	last if $seq >= $count && ($now - $last > $wait || keys(%sent) == 0);
	my $to = $seq < $count ? $next - $now : $last + $wait - $now;
	$to = 0 if $to < 0;
	next unless $sel->can_read($to);
	my $buf;
	defined($s->recv($buf, 65536)) or next;
	next unless exists $sent{$buf};
	printf "recv %d %d\n", $buf, (time - $sent{$buf}) * 1000;
	delete $sent{$buf};
}
EOF

ECHO_PORT=$(random_port 20000 29999)
NS_PORT=$(random_port 30000 39999)

start_echo() {
	perl "$OBJ/udp.pl" echo "$ECHO_PORT" "$OBJ/echo.log" 2>"$OBJ/echo.err" &
	ECHO_PID=$!
	wait_until 5 grep -q ready "$OBJ/echo.log" 2>/dev/null ||
	    fail "the echo server did not start: $(cat "$OBJ/echo.err")"
}

# start_netsim ARGS...: netsim between the client and the echo server.
start_netsim() {
	rm -f "$OBJ/stats"
	"$NETSIM" --listen "127.0.0.1:$NS_PORT" --server "127.0.0.1:$ECHO_PORT" \
	    --stats "$OBJ/stats" "$@" 2>"$OBJ/netsim.err" &
	NS_PID=$!
	wait_until 5 grep -q "^netsim: listening on 127.0.0.1:$NS_PORT, relaying to 127.0.0.1:$ECHO_PORT" \
	    "$OBJ/netsim.err" || fail "netsim $*: did not start: $(cat "$OBJ/netsim.err")"
}

stop_netsim() {
	stop_pid "$NS_PID"
	NS_PID=""
}

# client COUNT INTERVAL_MS WAIT_S: output into $OBJ/client.out.
client() {
	perl "$OBJ/udp.pl" client "$NS_PORT" "$@" >"$OBJ/client.out" 2>"$OBJ/client.err" ||
	    fail "the client failed: $(cat "$OBJ/client.err")"
}

# stat DIR WHAT: the count from the stats file.
stat() {
	awk -v d="$1" -v w="$2" '$1 == d && $2 == w { print $3 }' "$OBJ/stats"
}

start_echo

# No impairment: every datagram comes back, in order, and the counts agree.
start_netsim
client 50 5 2
got=$(awk '$1 == "recv" { printf "%s ", $2 }' "$OBJ/client.out")
want=$(seq 0 49 | tr '\n' ' ')
[ "$got" = "$want" ] || fail "plain relay: got '$got'"
stop_netsim
for d in up down; do
	[ "$(stat $d received)" = 50 ] && [ "$(stat $d forwarded)" = 50 ] &&
	    [ "$(stat $d dropped)" = 0 ] ||
	    fail "plain relay: stats $d: $(grep "^$d" "$OBJ/stats" | tr '\n' ';')"
done

# --loss 30: about 30% lost each way, as the stats say.
start_netsim --loss 30 --seed 1
client 300 2 1
stop_netsim
for d in up down; do
	rx=$(stat $d received); dr=$(stat $d dropped); fw=$(stat $d forwarded)
	if [ -z "$rx" ] || [ "$rx" -eq 0 ] || [ $((dr * 100 / rx)) -lt 20 ] ||
	    [ $((dr * 100 / rx)) -gt 40 ] ||
	    [ $((dr + fw + $(stat $d queued))) -ne "$rx" ]; then
		fail "loss 30: $d received $rx dropped $dr forwarded $fw"
	fi
done
back=$(grep -c '^recv' "$OBJ/client.out")
[ "$back" -eq "$(stat down forwarded)" ] ||
    fail "loss 30: the client got $back, netsim forwarded $(stat down forwarded)"

# --delay 200: each round trip takes at least 350 ms (and not forever).
start_netsim --delay 200
client 5 50 2
n=$(awk '$1 == "recv" && $3 >= 350 && $3 < 3000' "$OBJ/client.out" | wc -l)
[ "$n" -eq 5 ] || fail "delay 200: round trips $(awk '$1 == "recv" { printf "%s ", $3 }' "$OBJ/client.out")"
stop_netsim

# --rebind-every 1: the server sees at least two source ports within 3 s.
: >"$OBJ/echo.log"
start_netsim --rebind-every 1
client 30 100 1
ports=$(awk '$1 == "from" { print $2 }' "$OBJ/echo.log" | sort -u | wc -l)
[ "$ports" -ge 2 ] || fail "rebind-every 1: the server saw $ports source port(s)"
[ "$(grep -c '^recv' "$OBJ/client.out")" -ge 25 ] ||
    fail "rebind-every 1: only $(grep -c '^recv' "$OBJ/client.out") of 30 came back"
stop_netsim

# --blackout 1:1: what is sent between 1 s and 2 s is lost; what is sent
# well before or after comes back. The client starts at most a few hundred
# ms after netsim, hence the margins.
start_netsim --blackout 1:1
client 30 100 1
awk '
	$1 == "sent" { t[$2] = $3 }
	$1 == "recv" { r[$2] = 1 }
	END {
		for (s in t) {
			if (t[s] >= 1300 && t[s] <= 1600 && (s in r))
				print "sent at " t[s] " ms came back"
			if ((t[s] <= 600 || t[s] >= 2400) && !(s in r))
				print "sent at " t[s] " ms was lost"
		}
	}' "$OBJ/client.out" >"$OBJ/blackout.bad"
[ -s "$OBJ/blackout.bad" ] && fail "blackout 1:1: $(tr '\n' ';' <"$OBJ/blackout.bad")"
stop_netsim
[ "$(stat up dropped)" -ge 5 ] || fail "blackout 1:1: up dropped $(stat up dropped)"

# A real session through netsim, if mp and mps are built: mp's TCP goes to
# 127.0.0.2 (a forwarder to mps on 127.0.0.1), so its UDP goes to
# 127.0.0.2 and the announced port, where netsim listens; mps's UDP socket
# is on 127.0.0.1, the TCP connection's local address. Loss and delay in
# both directions; the command's output must still arrive whole.
if [ -x "$MP" ] && [ -x "$MPS" ] && [ -x "$MPS_NET" ] && [ -x "$MP_KEYGEN" ]; then
	if netsim_mps && netsim_start --delay 20 --jitter 5 --loss 5 --seed 7; then
		seq 1 2000 >"$OBJ/in"
		mp_cmd 127.0.0.2 -- cat <"$OBJ/in" >"$OBJ/sess.out" 2>"$OBJ/sess.err" ||
		    fail "session: mp exited $? (stderr: $(head -c 500 "$OBJ/sess.err"))"
		cmp -s "$OBJ/in" "$OBJ/sess.out" ||
		    fail "session: output differs: $(wc -c <"$OBJ/sess.out") bytes"
		netsim_stop
		[ "$(netsim_count up forwarded)" -gt 0 ] &&
		    [ "$(netsim_count down forwarded)" -gt 0 ] ||
		    fail "session: the UDP did not go through netsim: $(tr '\n' ';' <"$NETSIM_STATS")"
		for d in up down; do
			[ $(($(netsim_count $d received) + $(netsim_count $d duplicated))) -eq \
			    $(($(netsim_count $d forwarded) + $(netsim_count $d dropped) + $(netsim_count $d queued))) ] ||
			    fail "session: $d counts do not add up: $(tr '\n' ';' <"$NETSIM_STATS")"
		done
	fi
else
	verbose "mp or mps not built: no session through netsim"
fi

# Bad arguments are refused.
expect_fail "no --server" "usage" "$NETSIM" --listen 127.0.0.1:1
expect_fail "bad loss" "bad loss" "$NETSIM" --listen 127.0.0.1:1 --server 127.0.0.1:2 --loss 101
expect_fail "bad burst-loss" "bad burst-loss" "$NETSIM" --listen 127.0.0.1:1 --server 127.0.0.1:2 --burst-loss 5

finish

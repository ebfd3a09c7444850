/* netsim.c: a UDP relay between mp and mps that delays, loses, duplicates, reorders and roams datagrams for tests. */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * netsim --listen HOST:PORT --server HOST:PORT [--delay MS] [--jitter MS]
 *     [--loss PCT] [--burst-loss PCT:LEN] [--dup PCT] [--reorder PCT]
 *     [--up-* ...] [--down-* ...] [--blackout START_S:DUR_S]
 *     [--rebind-every S] [--seed N] [--duration S] [--stats FILE]
 *
 * "up" is client to server, "down" server to client. See docs/netsim.md.
 */

#define NS_MAXQ		4096		/* datagrams queued at once, both ways */
#define NS_SLOTSZ	65536		/* bytes per queue slot */
#define NS_HOLD_US	500000		/* longest a held-back datagram waits */
#define NS_NEVER	UINT64_MAX

enum { UP, DOWN };

struct imp {
	uint64_t	 delay_us;
	uint64_t	 jitter_us;
	double		 loss;		/* probabilities, 0 to 1 */
	double		 burst;
	double		 dup;
	double		 reorder;
	unsigned int	 burst_len;
};

struct count {
	uint64_t	 n;
	uint64_t	 bytes;
};

struct dir {
	struct imp	 imp;
	unsigned int	 burst_left;
	int		 held;		/* slot held back, -1 for none */
	uint64_t	 held_until;
	struct count	 rx, fwd, drop, dup, reord;
};

struct slot {
	uint64_t	 at;
	uint64_t	 seq;
	size_t		 len;
	int		 dir;
};

struct ns {
	struct dir		 d[2];
	struct sockaddr_storage	 listen, server, client;
	socklen_t		 listenlen, serverlen, clientlen;
	int			 lsock, usock, uold;
	struct slot		 slots[NS_MAXQ];
	unsigned char		*arena;
	int			 freel[NS_MAXQ];
	int			 nfree;
	int			 heap[NS_MAXQ];
	int			 nheap;
	uint64_t		 seq, rng, start, end;
	uint64_t		 rebind_us, next_rebind;
	uint64_t		 bo_start, bo_end;	/* absolute; 0 = none */
	const char		*stats;
	unsigned char		 buf[NS_SLOTSZ];
};

static struct ns ns;
static volatile sig_atomic_t quit, dump;

static void usage(void) __attribute__((__noreturn__));
static void die(const char *, const char *) __attribute__((__noreturn__));

static void
usage(void)
{
	fprintf(stderr, "usage: netsim --listen HOST:PORT --server HOST:PORT "
	    "[--[up-|down-]delay MS] [--[up-|down-]jitter MS]\n"
	    "\t[--[up-|down-]loss PCT] [--[up-|down-]burst-loss PCT:LEN] "
	    "[--[up-|down-]dup PCT]\n"
	    "\t[--[up-|down-]reorder PCT] [--blackout START_S:DUR_S] "
	    "[--rebind-every S]\n"
	    "\t[--seed N] [--duration S] [--stats FILE]\n");
	exit(2);
}

static void
die(const char *what, const char *arg)
{
	fprintf(stderr, "netsim: %s%s%s\n", what, arg ? ": " : "",
	    arg ? arg : "");
	exit(1);
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* splitmix64: small, fast and deterministic for a given --seed. */
static uint64_t
rng_next(void)
{
	uint64_t z = (ns.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
chance(double p)
{
	if (p <= 0)
		return 0;
	return (double)(rng_next() >> 11) / 9007199254740992.0 < p;
}

/* ---- arguments ------------------------------------------------------- */

static double
parse_num(const char *s, double lo, double hi, const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
		die(what, s);
	return v;
}

/* "A:B" into two numbers. */
static void
parse_pair(const char *s, double *a, double *b, double hia, double hib,
    const char *what)
{
	char tmp[64], *colon;

	if (strlen(s) >= sizeof(tmp))
		die(what, s);
	strcpy(tmp, s);
	if ((colon = strchr(tmp, ':')) == NULL)
		die(what, s);
	*colon = '\0';
	*a = parse_num(tmp, 0, hia, what);
	*b = parse_num(colon + 1, 0, hib, what);
}

/* "HOST:PORT" or "[HOST]:PORT", numeric or a name. */
static void
parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256], *port;
	struct addrinfo hints, *res;
	size_t n;

	if (strlen(s) >= sizeof(host) || (port = strrchr(s, ':')) == NULL)
		die("bad address", s);
	n = (size_t)(port - s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		memcpy(host, s + 1, n - 2);
		host[n - 2] = '\0';
	} else {
		memcpy(host, s, n);
		host[n] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, port + 1, &hints, &res) != 0)
		die("cannot resolve", s);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
}

enum { P_DELAY, P_JITTER, P_LOSS, P_BURST, P_DUP, P_REORDER, P_NPARAM };
enum { O_LISTEN = 1000, O_SERVER, O_BLACKOUT, O_REBIND, O_SEED,
	O_DURATION, O_STATS };
/* Impairments: val = 100 * (0 both, 1 up, 2 down) + P_*. */
#define IMP(name, p)	{ name, required_argument, NULL, (p) }, \
	{ "up-" name, required_argument, NULL, 100 + (p) }, \
	{ "down-" name, required_argument, NULL, 200 + (p) }

static const struct option longopts[] = {
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "server", required_argument, NULL, O_SERVER },
	{ "blackout", required_argument, NULL, O_BLACKOUT },
	{ "rebind-every", required_argument, NULL, O_REBIND },
	{ "seed", required_argument, NULL, O_SEED },
	{ "duration", required_argument, NULL, O_DURATION },
	{ "stats", required_argument, NULL, O_STATS },
	IMP("delay", P_DELAY),
	IMP("jitter", P_JITTER),
	IMP("loss", P_LOSS),
	IMP("burst-loss", P_BURST),
	IMP("dup", P_DUP),
	IMP("reorder", P_REORDER),
	{ NULL, 0, NULL, 0 }
};

static void
set_imp(struct imp *im, int p, const char *arg)
{
	double a, b;

	switch (p) {
	case P_DELAY:
		im->delay_us = (uint64_t)(parse_num(arg, 0, 3600000,
		    "bad delay") * 1000);
		break;
	case P_JITTER:
		im->jitter_us = (uint64_t)(parse_num(arg, 0, 3600000,
		    "bad jitter") * 1000);
		break;
	case P_LOSS:
		im->loss = parse_num(arg, 0, 100, "bad loss") / 100;
		break;
	case P_BURST:
		parse_pair(arg, &a, &b, 100, 1000000, "bad burst-loss");
		if (b < 1)
			die("bad burst-loss", arg);
		im->burst = a / 100;
		im->burst_len = (unsigned int)b;
		break;
	case P_DUP:
		im->dup = parse_num(arg, 0, 100, "bad dup") / 100;
		break;
	case P_REORDER:
		im->reorder = parse_num(arg, 0, 100, "bad reorder") / 100;
		break;
	}
}

struct times {
	double	 bo_start, bo_len, rebind, duration;
	int	 have_listen, have_server, have_seed;
};

static void
parse_opt(int c, const char *arg, struct times *t)
{
	switch (c) {
	case O_LISTEN:
		parse_addr(arg, &ns.listen, &ns.listenlen);
		t->have_listen = 1;
		break;
	case O_SERVER:
		parse_addr(arg, &ns.server, &ns.serverlen);
		t->have_server = 1;
		break;
	case O_BLACKOUT:
		parse_pair(arg, &t->bo_start, &t->bo_len, 1e6, 1e6,
		    "bad blackout");
		break;
	case O_REBIND:
		t->rebind = parse_num(arg, 0.001, 1e6, "bad rebind-every");
		break;
	case O_SEED:
		ns.rng = (uint64_t)parse_num(arg, 0, 1e18, "bad seed");
		t->have_seed = 1;
		break;
	case O_DURATION:
		t->duration = parse_num(arg, 0.001, 1e6, "bad duration");
		break;
	case O_STATS:
		ns.stats = arg;
		break;
	default:
		if (c < P_DELAY || c >= 200 + P_NPARAM || c % 100 >= P_NPARAM)
			usage();
		if (c / 100 != 2)
			set_imp(&ns.d[UP].imp, c % 100, arg);
		if (c / 100 != 1)
			set_imp(&ns.d[DOWN].imp, c % 100, arg);
	}
}

static void
parse_args(int argc, char **argv, struct times *t)
{
	int c;

	memset(t, 0, sizeof(*t));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == '?' || c == ':')
			usage();
		parse_opt(c, optarg, t);
	}
	if (optind != argc || !t->have_listen || !t->have_server)
		usage();
	if (!t->have_seed)
		ns.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

/* ---- the queue --------------------------------------------------------- */

static int
slot_before(int a, int b)
{
	if (ns.slots[a].at != ns.slots[b].at)
		return ns.slots[a].at < ns.slots[b].at;
	return ns.slots[a].seq < ns.slots[b].seq;
}

static void
heap_swap(int i, int j)
{
	int t = ns.heap[i];

	ns.heap[i] = ns.heap[j];
	ns.heap[j] = t;
}

static void
heap_push(int s)
{
	int i = ns.nheap++;

	ns.heap[i] = s;
	while (i > 0 && slot_before(ns.heap[i], ns.heap[(i - 1) / 2])) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static int
heap_pop(void)
{
	int top = ns.heap[0], i = 0, l, m;

	ns.heap[0] = ns.heap[--ns.nheap];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < ns.nheap && slot_before(ns.heap[l], ns.heap[m]))
			m = l;
		if (l + 1 < ns.nheap && slot_before(ns.heap[l + 1], ns.heap[m]))
			m = l + 1;
		if (m == i)
			break;
		heap_swap(i, m);
		i = m;
	}
	return top;
}

static unsigned char *
slot_data(int s)
{
	return ns.arena + (size_t)s * NS_SLOTSZ;
}

static void
count(struct count *c, size_t len)
{
	c->n++;
	c->bytes += len;
}

/* ---- impairments ------------------------------------------------------- */

static int
in_blackout(uint64_t now)
{
	return ns.bo_end != 0 && now >= ns.bo_start && now < ns.bo_end;
}

/* Whether a datagram received now survives blackout, bursts and loss. */
static int
admit(struct dir *d, uint64_t now)
{
	if (in_blackout(now))
		return 0;
	if (d->burst_left > 0) {
		d->burst_left--;
		return 0;
	}
	if (chance(d->imp.burst)) {
		d->burst_left = d->imp.burst_len - 1;
		return 0;
	}
	return !chance(d->imp.loss);
}

static uint64_t
release_time(const struct imp *im, uint64_t now)
{
	uint64_t at = now + im->delay_us, span;

	if (im->jitter_us == 0)
		return at;
	span = 2 * im->jitter_us + 1;
	at += rng_next() % span;
	return at > im->jitter_us ? at - im->jitter_us : 0;
}

/* A copy of the datagram in ns.buf into a slot; -1 when the queue is full. */
static int
slot_fill(int dir, size_t len, uint64_t at)
{
	int s;

	if (ns.nfree == 0)
		return -1;
	s = ns.freel[--ns.nfree];
	memcpy(slot_data(s), ns.buf, len);
	ns.slots[s].len = len;
	ns.slots[s].dir = dir;
	ns.slots[s].at = at;
	ns.slots[s].seq = ns.seq++;
	return s;
}

/* Releases the held-back datagram of d just behind slot s. */
static void
release_held(struct dir *d, int s)
{
	struct slot *h = &ns.slots[d->held];

	if (h->at < ns.slots[s].at)
		h->at = ns.slots[s].at;
	h->seq = ns.seq++;
	heap_push(d->held);
	d->held = -1;
}

static void
enqueue(int dir, size_t len, uint64_t now)
{
	struct dir *d = &ns.d[dir];
	int s, copies, i;

	copies = 1;
	if (chance(d->imp.dup)) {
		copies = 2;
		count(&d->dup, len);
	}
	for (i = 0; i < copies; i++) {
		if ((s = slot_fill(dir, len, release_time(&d->imp, now))) < 0) {
			count(&d->drop, len);
			continue;
		}
		if (d->held < 0 && i == 0 && chance(d->imp.reorder)) {
			d->held = s;
			d->held_until = now + NS_HOLD_US;
			count(&d->reord, len);
			continue;
		}
		heap_push(s);
		if (d->held >= 0 && d->held != s)
			release_held(d, s);
	}
}

/* ---- sockets ----------------------------------------------------------- */

static int
udp_socket(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd, sz = 4 << 20;

	if ((fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		die("socket", strerror(errno));
	/* Bursts of large datagrams: best effort, the kernel caps it. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (len > 0 && bind(fd, (const struct sockaddr *)ss, len) == -1)
		die("bind", strerror(errno));
	return fd;
}

/* A fresh upstream source port; the old socket drains late replies. */
static void
rebind(void)
{
	if (ns.uold != -1)
		close(ns.uold);
	ns.uold = ns.usock;
	ns.usock = udp_socket(&ns.server, 0);
}

static void
send_slot(int s)
{
	struct slot *sl = &ns.slots[s];
	struct dir *d = &ns.d[sl->dir];
	ssize_t r;

	if (in_blackout(now_us())) {
		count(&d->drop, sl->len);
		return;
	}
	if (sl->dir == UP)
		r = sendto(ns.usock, slot_data(s), sl->len, 0,
		    (struct sockaddr *)&ns.server, ns.serverlen);
	else
		r = sendto(ns.lsock, slot_data(s), sl->len, 0,
		    (struct sockaddr *)&ns.client, ns.clientlen);
	if (r == (ssize_t)sl->len)
		count(&d->fwd, sl->len);
	else
		count(&d->drop, sl->len);
}

static void
receive(int fd, int dir, uint64_t now)
{
	struct sockaddr_storage from;
	socklen_t fromlen;
	ssize_t r;
	int n;

	for (n = 0; n < 64; n++) {
		fromlen = sizeof(from);
		r = recvfrom(fd, ns.buf, sizeof(ns.buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (r < 0)
			return;
		count(&ns.d[dir].rx, (size_t)r);
		if (dir == UP) {
			memcpy(&ns.client, &from, fromlen);
			ns.clientlen = fromlen;
		}
		if ((dir == DOWN && ns.clientlen == 0) ||
		    !admit(&ns.d[dir], now))
			count(&ns.d[dir].drop, (size_t)r);
		else
			enqueue(dir, (size_t)r, now);
	}
}

/* ---- the loop ---------------------------------------------------------- */

/* What sits in the queue (or is held back) for direction dir. */
static struct count
queued(int dir)
{
	struct count c = { 0, 0 };
	int i;

	for (i = 0; i < ns.nheap; i++)
		if (ns.slots[ns.heap[i]].dir == dir)
			count(&c, ns.slots[ns.heap[i]].len);
	if (ns.d[dir].held >= 0)
		count(&c, ns.slots[ns.d[dir].held].len);
	return c;
}

static void
write_counts(FILE *f, const char *name, int dir)
{
	const struct dir *d = &ns.d[dir];
	struct count q = queued(dir);

	fprintf(f, "%s received %llu %llu\n", name,
	    (unsigned long long)d->rx.n, (unsigned long long)d->rx.bytes);
	fprintf(f, "%s forwarded %llu %llu\n", name,
	    (unsigned long long)d->fwd.n, (unsigned long long)d->fwd.bytes);
	fprintf(f, "%s dropped %llu %llu\n", name,
	    (unsigned long long)d->drop.n, (unsigned long long)d->drop.bytes);
	fprintf(f, "%s duplicated %llu %llu\n", name,
	    (unsigned long long)d->dup.n, (unsigned long long)d->dup.bytes);
	fprintf(f, "%s reordered %llu %llu\n", name,
	    (unsigned long long)d->reord.n, (unsigned long long)d->reord.bytes);
	fprintf(f, "%s queued %llu %llu\n", name,
	    (unsigned long long)q.n, (unsigned long long)q.bytes);
}

/* The counts into FILE.tmp, renamed over FILE so readers see whole files. */
static void
write_stats(void)
{
	char tmp[4096];
	FILE *f;

	if (ns.stats == NULL)
		return;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", ns.stats) >= (int)sizeof(tmp))
		return;
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "netsim: %s: %s\n", tmp, strerror(errno));
		return;
	}
	write_counts(f, "up", UP);
	write_counts(f, "down", DOWN);
	if (fclose(f) != 0 || rename(tmp, ns.stats) != 0)
		fprintf(stderr, "netsim: %s: %s\n", ns.stats, strerror(errno));
}

/* Sends what is due, lets go of held datagrams that waited too long. */
static void
timers(uint64_t now)
{
	int i, s;

	for (i = 0; i < 2; i++) {
		if (ns.d[i].held >= 0 && now >= ns.d[i].held_until) {
			heap_push(ns.d[i].held);
			ns.d[i].held = -1;
		}
	}
	while (ns.nheap > 0 && ns.slots[ns.heap[0]].at <= now) {
		s = heap_pop();
		send_slot(s);
		ns.freel[ns.nfree++] = s;
	}
	if (ns.rebind_us != 0 && now >= ns.next_rebind) {
		rebind();
		ns.next_rebind = now + ns.rebind_us;
	}
}

static int
poll_timeout(uint64_t now)
{
	uint64_t next = ns.end, t;
	int i;

	if (ns.nheap > 0 && ns.slots[ns.heap[0]].at < next)
		next = ns.slots[ns.heap[0]].at;
	for (i = 0; i < 2; i++)
		if (ns.d[i].held >= 0 && ns.d[i].held_until < next)
			next = ns.d[i].held_until;
	if (ns.rebind_us != 0 && ns.next_rebind < next)
		next = ns.next_rebind;
	if (next == NS_NEVER)
		return -1;
	if (next <= now)
		return 0;
	t = (next - now + 999) / 1000;
	return t > 60000 ? 60000 : (int)t;
}

static void
loop(void)
{
	struct pollfd pfd[3];
	uint64_t now;
	int n;

	while (!quit) {
		now = now_us();
		if (now >= ns.end)
			break;
		pfd[0].fd = ns.lsock;
		pfd[1].fd = ns.usock;
		pfd[2].fd = ns.uold;
		for (n = 0; n < 3; n++)
			pfd[n].events = POLLIN;
		n = poll(pfd, ns.uold == -1 ? 2 : 3, poll_timeout(now));
		if (dump) {
			dump = 0;
			write_stats();
		}
		if (n < 0 && errno != EINTR)
			die("poll", strerror(errno));
		now = now_us();
		if (n > 0) {
			if (pfd[0].revents)
				receive(ns.lsock, UP, now);
			if (pfd[1].revents)
				receive(ns.usock, DOWN, now);
			if (ns.uold != -1 && pfd[2].revents)
				receive(ns.uold, DOWN, now);
		}
		timers(now);
	}
}

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		dump = 1;
	else
		quit = 1;
}

static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void
setup(const struct times *t)
{
	uint64_t now = now_us();
	int i;

	ns.arena = mmap(NULL, (size_t)NS_MAXQ * NS_SLOTSZ,
	    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	    -1, 0);
	if (ns.arena == MAP_FAILED)
		die("mmap", strerror(errno));
	for (i = 0; i < NS_MAXQ; i++)
		ns.freel[i] = NS_MAXQ - 1 - i;
	ns.nfree = NS_MAXQ;
	ns.d[UP].held = ns.d[DOWN].held = -1;
	ns.start = now;
	ns.end = t->duration > 0 ? now + (uint64_t)(t->duration * 1e6) :
	    NS_NEVER;
	if (t->bo_len > 0) {
		ns.bo_start = now + (uint64_t)(t->bo_start * 1e6);
		ns.bo_end = ns.bo_start + (uint64_t)(t->bo_len * 1e6);
	}
	ns.rebind_us = (uint64_t)(t->rebind * 1e6);
	ns.next_rebind = now + ns.rebind_us;
	ns.lsock = udp_socket(&ns.listen, ns.listenlen);
	ns.usock = udp_socket(&ns.server, 0);
	ns.uold = -1;
}

static void
addr_str(const struct sockaddr_storage *ss, socklen_t len, char *out,
    size_t outlen)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host),
	    serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, outlen, "?");
		return;
	}
	snprintf(out, outlen, ss->ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
	    host, serv);
}

int
main(int argc, char **argv)
{
	struct times t;
	char la[NI_MAXHOST + NI_MAXSERV + 4], sa[NI_MAXHOST + NI_MAXSERV + 4];

	parse_args(argc, argv, &t);
	signals();
	setup(&t);
	ns.listenlen = sizeof(ns.listen);
	getsockname(ns.lsock, (struct sockaddr *)&ns.listen, &ns.listenlen);
	addr_str(&ns.listen, ns.listenlen, la, sizeof(la));
	addr_str(&ns.server, ns.serverlen, sa, sizeof(sa));
	fprintf(stderr, "netsim: listening on %s, relaying to %s\n", la, sa);
	loop();
	write_stats();
	return 0;
}

/* listener.c: the listening process: binds, accepts, applies MaxStartups and per-source penalties, forks a monitor per connection, reloads on SIGHUP. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/crypto/random.h"
#include "common/err.h"
#include "common/log.h"
#include "monitor/listener.h"
#include "monitor/penalty.h"

#define STARTUPS_MAX	1024	/* hard cap on unauthenticated connections */

struct startup {
	int fd;				/* status pipe; -1: free slot */
	struct sockaddr_storage addr;
};

static struct {
	int fds[MPS_ADDRS_MAX];
	char fd_desc[MPS_ADDRS_MAX][80];	/* "ip/port" of each */
	size_t nfds;
	char bound_desc[MPS_ADDRS_MAX * 64];	/* to notice changes */
	struct startup startups[STARTUPS_MAX];
	size_t nstartups;
	struct penalties penalties;
	int sigpipe[2];
} L;

static volatile sig_atomic_t got_hup, got_term;

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGTERM || sig == SIGINT)
		got_term = 1;
	if (write(L.sigpipe[1], &c, 1) < 0) {
		/* a wake-up is already pending */
	}
	errno = saved;
}

static void
install_signals(void)
{
	struct sigaction sa;

	if (pipe2(L.sigpipe, O_CLOEXEC | O_NONBLOCK) != 0)
		fatal("pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGHUP, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGINT, &sa, NULL) || sigaction(SIGCHLD, &sa, NULL))
		fatal("sigaction: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
}

static int
listen_on(const char *ip, uint16_t port)
{
	struct addrinfo hints, *ai;
	char service[8];
	int fd, one = 1, r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%u", port);
	if ((r = getaddrinfo(ip, service, &hints, &ai)) != 0) {
		log_error("cannot listen on %s: %s", ip, gai_strerror(r));
		return -1;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0);
	if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) != 0 || (ai->ai_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, 128) != 0)) {
		log_error("cannot listen on %s port %u: %s", ip, port,
		    strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd >= 0)
		log_info("listening on %s port %u", ip, port);
	return fd;
}

static void
describe(const struct mps_config *cfg, char *out, size_t len)
{
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < cfg->nip && off < len; i++)
		off += (size_t)snprintf(out + off, len - off, "%s/%u ",
		    cfg->ip[i], cfg->port);
}

static void
close_listeners(void)
{
	size_t i;

	for (i = 0; i < L.nfds; i++)
		if (L.fds[i] >= 0)
			close(L.fds[i]);
	L.nfds = 0;
}

/* An open listener for ip/port from before a reload, taken over. */
static int
take_listener(const char *desc)
{
	size_t i;
	int fd;

	for (i = 0; i < L.nfds; i++)
		if (L.fds[i] >= 0 && strcmp(L.fd_desc[i], desc) == 0) {
			fd = L.fds[i];
			L.fds[i] = -1;
			return fd;
		}
	return -1;
}

/*
 * Listen on the configured addresses, keeping sockets already open for
 * the same ip and port. The old set is replaced only if at least one
 * address of the new one works: a reload with a port in use leaves the
 * server listening where it was.
 */
static int
bind_all(const struct mps_config *cfg)
{
	int fds[MPS_ADDRS_MAX];
	char desc[MPS_ADDRS_MAX][80];
	size_t i, n = 0;
	int fd;

	for (i = 0; i < cfg->nip && i < MPS_ADDRS_MAX; i++) {
		snprintf(desc[n], sizeof(desc[n]), "%s/%u", cfg->ip[i],
		    cfg->port);
		if ((fd = take_listener(desc[n])) < 0)
			fd = listen_on(cfg->ip[i], cfg->port);
		if (fd >= 0)
			fds[n++] = fd;
	}
	if (n == 0)
		return -1;	/* nothing was taken: the old sockets stay */
	close_listeners();
	memcpy(L.fds, fds, n * sizeof(fds[0]));
	memcpy(L.fd_desc, desc, sizeof(desc));
	L.nfds = n;
	describe(cfg, L.bound_desc, sizeof(L.bound_desc));
	return 0;
}

static void
write_pid_file(const char *path)
{
	FILE *fp;

	if (path == NULL)
		return;
	if ((fp = fopen(path, "we")) == NULL) {
		log_error("cannot write pid file %s: %s", path,
		    strerror(errno));
		return;
	}
	fprintf(fp, "%ld\n", (long)getpid());
	fclose(fp);
}

static size_t
unauthenticated(void)
{
	return L.nstartups;
}

/* MaxStartups start:rate:full, as sshd: refuse with a probability rising
 * from rate% at start unauthenticated connections to 100% at full. */
static int
drop_startup(const struct mps_config *cfg)
{
	size_t n = unauthenticated();
	uint32_t p, dice;

	if (n >= cfg->max_startups_full || n >= STARTUPS_MAX)
		return 1;
	if (n < cfg->max_startups_begin)
		return 0;
	p = cfg->max_startups_rate + (uint32_t)((100 -
	    cfg->max_startups_rate) * (n - cfg->max_startups_begin) /
	    (cfg->max_startups_full - cfg->max_startups_begin));
	mp_random(&dice, sizeof(dice));
	return dice % 100 < p;
}

static void
startup_add(int fd, const struct sockaddr_storage *ss)
{
	size_t i;

	for (i = 0; i < STARTUPS_MAX; i++)
		if (L.startups[i].fd == -1) {
			L.startups[i].fd = fd;
			L.startups[i].addr = *ss;
			L.nstartups++;
			return;
		}
	close(fd);	/* cannot happen: drop_startup() caps the count */
}

static unsigned
penalty_for(char status)
{
	switch (status) {
	case CONN_STATUS_AUTHED:
		return 0;
	case CONN_STATUS_NOAUTH:
		return PENALTY_NOAUTH_S;
	case CONN_STATUS_AUTHFAIL:
		return PENALTY_AUTHFAIL_S;
	case CONN_STATUS_GRACE:
		return PENALTY_GRACE_S;
	default:
		return PENALTY_CRASH_S;	/* a crash, or no word at all */
	}
}

static void
startup_done(struct server *s, struct startup *st)
{
	char status = CONN_STATUS_CRASH;
	ssize_t n;

	do
		n = read(st->fd, &status, 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		status = CONN_STATUS_CRASH;
	if (s->cfg.per_source_penalties)
		penalty_add(&L.penalties, (struct sockaddr *)&st->addr,
		    penalty_for(status), mp_monotonic_ms());
	close(st->fd);
	st->fd = -1;
	L.nstartups--;
}

static void __attribute__((noreturn))
become_monitor(struct server *s, int sock, int status_fd)
{
	size_t i;

	close_listeners();
	for (i = 0; i < STARTUPS_MAX; i++)
		if (L.startups[i].fd != -1)
			close(L.startups[i].fd);
	close(L.sigpipe[0]);
	close(L.sigpipe[1]);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	/* A session of its own, as sshd's children: what is sent to the
	 * listener's process group (^C or a hangup of the terminal mps runs
	 * on, an init script's kill of the group) must not end the
	 * connections and sessions already served. */
	if (setsid() == -1)
		log_error("setsid: %s", strerror(errno));
	monitor_run(&s->cfg, &s->hostkey, sock, status_fd);
}

static int
admit(struct server *s, const struct sockaddr_storage *ss)
{
	unsigned owed;

	if (s->cfg.per_source_penalties && (owed = penalty_refuse(
	    &L.penalties, (const struct sockaddr *)ss, mp_monotonic_ms()))) {
		log_verbose("refusing a connection: its source is penalised "
		    "for %u more seconds", owed);
		return 0;
	}
	if (drop_startup(&s->cfg)) {
		log_info("dropping a connection: %zu unauthenticated "
		    "connections (max_startups %u:%u:%u)", unauthenticated(),
		    s->cfg.max_startups_begin, s->cfg.max_startups_rate,
		    s->cfg.max_startups_full);
		return 0;
	}
	return 1;
}

static void
accept_one(struct server *s, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int sock, sp[2], one = 1;
	pid_t pid;

	if ((sock = accept4(lfd, (struct sockaddr *)&ss, &len,
	    SOCK_CLOEXEC)) < 0) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_error("accept: %s", strerror(errno));
		return;
	}
	if (!admit(s, &ss) || pipe2(sp, O_CLOEXEC) != 0) {
		close(sock);
		return;
	}
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if ((pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		close(sp[0]);
		close(sp[1]);
	} else if (pid == 0) {
		close(sp[0]);
		become_monitor(s, sock, sp[1]);
	} else {
		close(sp[1]);
		startup_add(sp[0], &ss);
	}
	close(sock);
}

static void
reload(struct server *s)
{
	char desc[sizeof(L.bound_desc)];

	got_hup = 0;
	log_info("received SIGHUP; reloading the configuration");
	if (server_load(s, 0) != 0)
		return;
	describe(&s->cfg, desc, sizeof(desc));
	if (strcmp(desc, L.bound_desc) != 0 && bind_all(&s->cfg) != 0)
		log_error("cannot listen on any new address; still "
		    "listening on the old ones");
}

static void
reap_children(void)
{
	int status;

	while (waitpid(-1, &status, WNOHANG) > 0)
		;
}

static void
serve_once(struct server *s)
{
	struct pollfd pfd[1 + MPS_ADDRS_MAX + STARTUPS_MAX];
	struct startup *who[STARTUPS_MAX];
	size_t n = 0, i, nst = 0;
	char drain[64];

	pfd[n++] = (struct pollfd){ L.sigpipe[0], POLLIN, 0 };
	for (i = 0; i < L.nfds; i++)
		pfd[n++] = (struct pollfd){ L.fds[i], POLLIN, 0 };
	for (i = 0; i < STARTUPS_MAX && nst < L.nstartups; i++)
		if (L.startups[i].fd != -1) {
			who[nst++] = &L.startups[i];
			pfd[n++] = (struct pollfd){ L.startups[i].fd, POLLIN,
			    0 };
		}
	if (poll(pfd, n, -1) < 0 && errno != EINTR)
		fatal("poll: %s", strerror(errno));
	if (pfd[0].revents != 0 && read(L.sigpipe[0], drain,
	    sizeof(drain)) < 0 && errno != EAGAIN && errno != EINTR)
		fatal("read: %s", strerror(errno));
	reap_children();
	for (i = 0; i < nst; i++)
		if (pfd[1 + L.nfds + i].revents != 0)
			startup_done(s, who[i]);
	for (i = 0; i < L.nfds; i++)
		if (pfd[1 + i].revents != 0)
			accept_one(s, L.fds[i]);
}

void
listener_run(struct server *s)
{
	size_t i;

	for (i = 0; i < STARTUPS_MAX; i++)
		L.startups[i].fd = -1;
	install_signals();
	if (bind_all(&s->cfg) != 0)
		fatal("cannot listen on any address; check [mps] ip and port "
		    "in %s", s->cfg.config_path != NULL ? s->cfg.config_path :
		    "the configuration");
	write_pid_file(s->cfg.pid_file);
	while (!got_term) {
		if (got_hup)
			reload(s);
		serve_once(s);
	}
	log_info("received a signal to stop; no longer listening (sessions "
	    "continue)");
	close_listeners();
	if (s->cfg.pid_file != NULL)
		unlink(s->cfg.pid_file);
	exit(0);
}

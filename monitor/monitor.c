/* monitor.c: the per-connection monitor before authentication: starts the preauth net child and answers only the requests its phase permits. */
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/crypto/random.h"
#include "common/err.h"
#include "common/io.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "monitor/monitor.h"
#include "privsep/net.h"

#define GRACE_SLACK_MS	3000	/* after the child's own deadline */

/* When a request is permitted. */
#define BEFORE_AUTH	0x01	/* only until authentication succeeded */
#define AFTER_AUTH	0x02	/* only once it has */
#define ONCE		0x04	/* at most once per connection */
#define AFTER_SIGN	0x08	/* only once H is signed (and known) */

struct handler {
	uint16_t type;
	int (*fn)(struct mon_conn *, struct buf *, struct buf *);
	unsigned when;
};

/* The permitted-request table of the preauth phase. MON_KEYS is not here:
 * it ends the phase and is checked by preauth_keys(). */
static const struct handler preauth_handlers[] = {
	{ MON_HOSTKEY, mon_hostkey, BEFORE_AUTH },
	{ MON_SIGN, mon_sign, BEFORE_AUTH | ONCE },
	{ MON_KEYALLOWED, mon_keyallowed, BEFORE_AUTH | AFTER_SIGN },
	{ MON_VERIFY, mon_verify, BEFORE_AUTH | AFTER_SIGN },
	{ MON_RESUME, mon_resume, AFTER_AUTH | AFTER_SIGN },
	{ MON_REQUEST, mon_request, AFTER_AUTH | ONCE },
};

static unsigned used_once;	/* bit per handler index */

static void
format_addr(const struct sockaddr_storage *ss, char *out, size_t len,
    unsigned *port)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	*port = 0;
	snprintf(out, len, "unknown");
	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, out, (socklen_t)len);
		*port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], out,
			    (socklen_t)len);
		else
			inet_ntop(AF_INET6, &s6->sin6_addr, out,
			    (socklen_t)len);
		*port = ntohs(s6->sin6_port);
	}
}

void
monitor_report(struct mon_conn *mc, char status)
{
	if (mc->status_fd == -1)
		return;
	(void)io_write_all(mc->status_fd, &status, 1);
	close(mc->status_fd);
	mc->status_fd = -1;
}

static const struct handler *
find_handler(uint16_t type, size_t *idx)
{
	size_t i;

	for (i = 0; i < sizeof(preauth_handlers) / sizeof(preauth_handlers[0]);
	    i++)
		if (preauth_handlers[i].type == type) {
			*idx = i;
			return &preauth_handlers[i];
		}
	return NULL;
}

/* Is this request allowed now? The child asked; the monitor decides. */
static int
permitted(const struct mon_conn *mc, const struct handler *h, size_t idx)
{
	if ((h->when & BEFORE_AUTH) && mc->authenticated)
		return 0;
	if ((h->when & AFTER_AUTH) && !mc->authenticated)
		return 0;
	if ((h->when & AFTER_SIGN) && !mc->signed_h)
		return 0;
	if ((h->when & ONCE) && (used_once & (1u << idx)))
		return 0;
	return 1;
}

static void __attribute__((noreturn))
kill_connection(struct mon_conn *mc, const char *why, uint16_t type)
{
	log_error("killing the connection from %s port %u: %s (message %u)",
	    mc->peer_addr, mc->peer_port, why, type);
	if (mc->net_pid > 0)
		kill(mc->net_pid, SIGKILL);
	monitor_report(mc, CONN_STATUS_CRASH);
	mon_session_cleanup(mc);
	exit(1);
}

static void
dispatch(struct mon_conn *mc, uint16_t type, struct buf *msg, struct buf *ans)
{
	const struct handler *h;
	size_t idx;
	int r;

	if ((h = find_handler(type, &idx)) == NULL)
		kill_connection(mc, "unknown request from the net child", type);
	if (!permitted(mc, h, idx))
		kill_connection(mc, "request not permitted in this phase",
		    type);
	used_once |= 1u << idx;
	buf_reset(ans);
	if ((r = h->fn(mc, msg, ans)) != 0)
		kill_connection(mc, mp_strerror(r), type);
	if ((r = ipc_send(mc->ipc_fd, type + 1, ans, -1)) != 0)
		kill_connection(mc, "cannot answer the net child", type);
}

/* The status a finished preauth child leaves for the listener. */
static char
preauth_status(struct mon_conn *mc, int wstatus)
{
	if (mc->authenticated)
		return CONN_STATUS_AUTHED;
	if (WIFSIGNALED(wstatus)) {
		log_error("net child for %s port %u killed by signal %d%s",
		    mc->peer_addr, mc->peer_port, WTERMSIG(wstatus),
		    WTERMSIG(wstatus) == SIGSYS ?
		    " (a forbidden system call)" : "");
		return CONN_STATUS_CRASH;
	}
	switch (WEXITSTATUS(wstatus)) {
	case NET_EXIT_AUTHFAIL:
		return CONN_STATUS_AUTHFAIL;
	case NET_EXIT_GRACE:
		log_info("login grace time exceeded for %s port %u",
		    mc->peer_addr, mc->peer_port);
		return CONN_STATUS_GRACE;
	case NET_EXIT_CLOSED:
	case NET_EXIT_OK:
		return mc->auth_failures > 0 ? CONN_STATUS_AUTHFAIL :
		    CONN_STATUS_NOAUTH;
	default:
		log_error("net child for %s port %u failed (status %d)",
		    mc->peer_addr, mc->peer_port, WEXITSTATUS(wstatus));
		return CONN_STATUS_CRASH;
	}
}

/* Wait for the preauth child to be gone; its status. */
static int
reap_net(struct mon_conn *mc)
{
	int wstatus = 0;

	while (waitpid(mc->net_pid, &wstatus, 0) == -1 && errno == EINTR)
		;
	while (netchild_relay_log(mc) == 0)
		;
	mc->net_pid = -1;
	if (mc->ipc_fd >= 0)
		close(mc->ipc_fd);
	if (mc->log_fd >= 0)
		close(mc->log_fd);
	mc->ipc_fd = mc->log_fd = -1;
	return wstatus;
}

static void __attribute__((noreturn))
preauth_end(struct mon_conn *mc)
{
	char status = preauth_status(mc, reap_net(mc));

	monitor_report(mc, status);
	mon_session_cleanup(mc);
	exit(0);
}

/* One message from the child, or its end. Returns 1 when the keys came. */
static int
preauth_message(struct mon_conn *mc, struct buf *msg, struct buf *ans)
{
	uint16_t type;
	int r;

	if ((r = ipc_recv(mc->ipc_fd, &type, msg, NULL)) != 0) {
		if (r != MP_ERR_NOT_FOUND)
			kill_connection(mc, mp_strerror(r), 0);
		preauth_end(mc);
	}
	if (type == MON_KEYS) {
		if (!mc->requested)
			kill_connection(mc, "keys before a session", type);
		return 1;
	}
	dispatch(mc, type, msg, ans);
	return 0;
}

static void
preauth_loop(struct mon_conn *mc, uint64_t deadline, struct buf *keys)
{
	struct buf *ans = buf_new(IPC_PAYLOAD_MAX);
	struct pollfd pfd[2];
	uint64_t now;
	int timeout;

	if (ans == NULL)
		fatal("out of memory");
	for (;;) {
		pfd[0] = (struct pollfd){ mc->ipc_fd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ mc->log_fd, POLLIN, 0 };
		now = mp_monotonic_ms();
		if (deadline != 0 && now >= deadline) {
			log_info("login grace time exceeded for %s port %u",
			    mc->peer_addr, mc->peer_port);
			kill(mc->net_pid, SIGKILL);
			reap_net(mc);
			monitor_report(mc, CONN_STATUS_GRACE);
			mon_session_cleanup(mc);
			exit(0);
		}
		timeout = deadline != 0 ? (int)(deadline - now) : -1;
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		/* At end of file (or a malformed record) the pipe is done
		 * with: polling it again would spin until the deadline. */
		if (pfd[1].revents != 0 && netchild_relay_log(mc) != 0) {
			close(mc->log_fd);
			mc->log_fd = -1;
		}
		if (pfd[0].revents != 0 && preauth_message(mc, keys, ans)) {
			buf_free(ans);
			return;
		}
	}
}

/* The login grace time in ms with up to 10% of random extra, so that
 * no one can time an attack against the exact deadline. */
static uint32_t
grace_ms(const struct mps_config *cfg)
{
	uint32_t base = cfg->login_grace_time * 1000u, extra = 0;

	if (base == 0)
		return 0;
	mp_random(&extra, sizeof(extra));
	return base + extra % (base / 10 + 1);
}

static void
conn_init(struct mon_conn *mc, const struct mps_config *cfg,
    const struct hostkey *hk, int sock, int status_fd)
{
	memset(mc, 0, sizeof(*mc));
	mc->cfg = cfg;
	mc->hostkey = hk;
	mc->sock = sock;
	mc->status_fd = status_fd;
	mc->net_pid = -1;
	mc->ipc_fd = mc->log_fd = -1;
	mc->udp_fd = -1;
	mc->ctl_fd = -1;
	mc->pty.master = mc->pty.slave = -1;
	mc->session_pid = -1;
	mc->pipes[0] = mc->pipes[1] = mc->pipes[2] = -1;
	mc->child_pipes[0] = mc->child_pipes[1] = mc->child_pipes[2] = -1;
	mc->peer_len = sizeof(mc->peer);
	mc->local_len = sizeof(mc->local);
	if (getpeername(sock, (struct sockaddr *)&mc->peer, &mc->peer_len) ||
	    getsockname(sock, (struct sockaddr *)&mc->local, &mc->local_len))
		fatal("connection lost before it started: %s",
		    strerror(errno));
	format_addr(&mc->peer, mc->peer_addr, sizeof(mc->peer_addr),
	    &mc->peer_port);
	format_addr(&mc->local, mc->local_addr, sizeof(mc->local_addr),
	    &mc->local_port);
	if ((mc->log_buf = buf_new(2 * (LOG_LINE_MAX + 8))) == NULL)
		fatal("out of memory");
}

void
monitor_run(const struct mps_config *cfg, const struct hostkey *hk, int sock,
    int status_fd)
{
	static struct mon_conn mc;
	struct mon_config nc;
	struct buf *b, *keys;
	uint32_t grace;

	conn_init(&mc, cfg, hk, sock, status_fd);
	if (monitor_drop_capabilities() != 0) {
		monitor_report(&mc, CONN_STATUS_CRASH);
		exit(1);
	}
	log_verbose("connection from %s port %u on %s port %u", mc.peer_addr,
	    mc.peer_port, mc.local_addr, mc.local_port);
	grace = grace_ms(cfg);
	if (netchild_config(&mc, MON_PHASE_PREAUTH, &nc) != 0)
		fatal("cannot prepare the net child");
	nc.grace_ms = grace;
	if ((b = buf_new(IPC_PAYLOAD_MAX)) == NULL ||
	    (keys = buf_new(IPC_PAYLOAD_MAX)) == NULL ||
	    monmsg_put_config(b, &nc) != 0)
		fatal("out of memory");
	mc.phase_tag = "preauth";
	if (netchild_spawn(&mc, sock, NULL, 0, b) != 0) {
		monitor_report(&mc, CONN_STATUS_CRASH);
		exit(1);
	}
	close(sock);
	mc.sock = -1;
	buf_free(b);
	preauth_loop(&mc, grace ? mp_monotonic_ms() + grace + GRACE_SLACK_MS :
	    0, keys);
	reap_net(&mc);
	mon_session_run(&mc, keys);
}

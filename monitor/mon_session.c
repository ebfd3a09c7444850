/* mon_session.c: the monitor's session: the request (PAM session, PTY or pipes, UDP port), then the session process and the session net child, until both end. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "common/proto/frame.h"
#include "common/proto/msg.h"
#include "common/secmem.h"
#include "common/sessenv.h"
#include "monitor/monitor.h"
#include "monitor/pam.h"
#include "monitor/pty.h"
#include "monitor/udpbind.h"
#include "monitor/utmp.h"
#include "session/session.h"

#define NOLOGIN_FILE	"/etc/nologin"
#define HANGUP_WAIT_MS	10000	/* for a hung-up shell before SIGKILL */
#define STOP_WAIT_MS	10000	/* for the net child when asked to stop */
#define REQ_FLAG_NO_PTY	0x1

static const char *const mode_names[] = { "reliable", "datagram",
    "statesync" };

/* The mode the client asked for; a session without a PTY has no screen
 * to synchronise and is always reliable (PROTOCOL.md 3.4). */
static int
session_mode(const struct mon_conn *mc)
{
	int m;

	if (mc->no_pty || mc->req.mode == NULL)
		return MON_MODE_RELIABLE;
	for (m = MON_MODE_RELIABLE; m <= MON_MODE_STATESYNC; m++)
		if (strcmp(mc->req.mode, mode_names[m]) == 0)
			return m;
	return MON_MODE_RELIABLE;
}

/* 1 if the identifiers (H or a session id) a and b are the same. */
static int
same_id(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	return a_len == b_len && a_len <= HS_H_MAX &&
	    mp_ct_equal(a, b, a_len);
}

static int sigchld_pipe[2] = { -1, -1 };

/*
 * A failure while the session is being started: end what was started
 * (the session process, the net child), close the PAM session, write the
 * utmp logout and give the PTY back, then exit. Not for the session loop,
 * where the children may already be reaped.
 */
static void __attribute__((noreturn, format(printf, 2, 3)))
session_fatal(struct mon_conn *mc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("session of %s from %s port %u: %s", mc->user.name,
	    mc->peer_addr, mc->peer_port, msg);
	if (mc->net_pid > 0)
		kill(mc->net_pid, SIGKILL);
	if (mc->session_pid > 0) {
		/* Before its setsid() it is not a group leader yet. */
		kill(-mc->session_pid, SIGKILL);
		kill(mc->session_pid, SIGKILL);
	}
	mon_session_cleanup(mc);
	exit(1);
}

static int
refuse(struct buf *ans, uint32_t reason, const char *msg)
{
	struct hs_reply rep;

	memset(&rep, 0, sizeof(rep));
	rep.reason = reason;
	snprintf(rep.message, sizeof(rep.message), "%s", msg);
	return monmsg_put_reply(ans, &rep);
}

/* /etc/nologin keeps everyone but root out when PAM (whose pam_nologin
 * does the same) is off; its first line is the message. */
static int
nologin(const struct mon_conn *mc, char *msg, size_t len)
{
	FILE *fp;

	if (mc->cfg->use_pam || mc->user.uid == 0)
		return 0;
	if ((fp = fopen(NOLOGIN_FILE, "re")) == NULL)
		return 0;
	if (fgets(msg, (int)len, fp) == NULL || msg[0] == '\n')
		snprintf(msg, len, "logins are currently disabled");
	msg[strcspn(msg, "\n")] = '\0';
	fclose(fp);
	return 1;
}

static int
open_pipes(struct mon_conn *mc)
{
	int p[2], i;

	for (i = 0; i < 3; i++) {
		if (pipe2(p, O_CLOEXEC) != 0)
			return MP_ERR_SYSTEM;
		/* stdin: the child reads p[0]; stdout/stderr: it writes p[1] */
		mc->child_pipes[i] = i == 0 ? p[0] : p[1];
		mc->pipes[i] = i == 0 ? p[1] : p[0];
	}
	return 0;
}

static int
open_terminal(struct mon_conn *mc, struct buf *ans)
{
	const struct hs_request *r = &mc->req;

	if (mc->no_pty) {
		if (open_pipes(mc) != 0)
			return refuse(ans, HS_R_RESOURCE_SHORTAGE,
			    "cannot create pipes for the command");
		return 1;
	}
	if (mpty_open(&mc->pty, mc->user.uid, mc->user.gid, r->cols, r->rows,
	    r->xpixel, r->ypixel) != 0) {
		log_error("cannot allocate a PTY for %s: %s", mc->user.name,
		    strerror(errno));
		return refuse(ans, HS_R_RESOURCE_SHORTAGE,
		    "cannot allocate a terminal on the server");
	}
	return 1;
}

static int
open_pam_session(struct mon_conn *mc, struct buf *ans)
{
	char why[512];

	if (mc->pam == NULL)
		return 1;
	if (mpam_set_tty(mc->pam, mc->no_pty ? "mps" : mc->pty.name) != 0 ||
	    mpam_open_session(mc->pam, why, sizeof(why)) != 0) {
		log_info("refused session of user %s from %s port %u: PAM: %s",
		    mc->user.name, mc->peer_addr, mc->peer_port, why);
		return refuse(ans, HS_R_SESSION_REFUSED,
		    "the server's session policy (PAM) refused the session");
	}
	return 1;
}

static int
open_udp(struct mon_conn *mc, struct buf *ans)
{
	int r;

	if ((r = udp_bind_range((struct sockaddr *)&mc->local, mc->local_len,
	    mc->cfg->udp_port_low, mc->cfg->udp_port_high, &mc->udp_fd,
	    &mc->udp_port)) != 0) {
		log_error("no UDP port free in %u-%u on %s: %s",
		    mc->cfg->udp_port_low, mc->cfg->udp_port_high,
		    mc->local_addr, mp_strerror(r));
		return refuse(ans, HS_R_RESOURCE_SHORTAGE,
		    "no UDP port free on the server");
	}
	return 1;
}

static int
set_up_new(struct mon_conn *mc, struct buf *ans)
{
	struct hs_reply rep;
	char msg[256];
	int r;

	if (nologin(mc, msg, sizeof(msg))) {
		log_info("refused login of user %s: %s exists", mc->user.name,
		    NOLOGIN_FILE);
		return refuse(ans, HS_R_SESSION_REFUSED, msg);
	}
	mc->no_pty = (mc->req.flags & REQ_FLAG_NO_PTY) || mc->match.no_pty;
	mc->command = mc->match.command != NULL ? mc->match.command :
	    mc->req.command;
	if (mc->match.command != NULL)
		log_info("user %s: running the command forced by "
		    "authorized_keys line %zu", mc->user.name, mc->match.line);
	if ((r = open_terminal(mc, ans)) != 1 ||
	    (r = open_pam_session(mc, ans)) != 1 ||
	    (r = open_udp(mc, ans)) != 1)
		return r;
	memset(&rep, 0, sizeof(rep));
	rep.ok = 1;
	rep.udp_port = mc->udp_port;
	mc->mode = session_mode(mc);
	snprintf(rep.mode, sizeof(rep.mode), "%s", mode_names[mc->mode]);
	mc->requested = 1;
	return monmsg_put_reply(ans, &rep);
}

/* A SESSION_RESUME: only for the session whose monitor just accepted
 * this connection's proof (MON_RESUME). */
static int
resumed(struct mon_conn *mc, struct buf *ans)
{
	struct hs_reply rep;

	if (mc->ctl_fd < 0 || !same_id(mc->req.session_id,
	    mc->req.session_id_len, mc->session_id, mc->session_id_len))
		return MP_ERR_INVALID_ARGUMENT;
	memset(&rep, 0, sizeof(rep));
	rep.ok = 1;
	rep.udp_port = mc->udp_port;
	snprintf(rep.mode, sizeof(rep.mode), "%s", mode_names[mc->mode]);
	mc->requested = 1;
	mc->resuming = 1;
	return monmsg_put_reply(ans, &rep);
}

int
mon_request(struct mon_conn *mc, struct buf *req, struct buf *ans)
{
	uint8_t type, proof[64];
	size_t proof_len;
	struct hs_reply rep;
	int r;

	if ((r = buf_get_u8(req, &type)) != 0)
		return r;
	if (type != HS_MSG_SESSION_NEW && type != HS_MSG_SESSION_LIST &&
	    type != HS_MSG_SESSION_RESUME)
		return MP_ERR_INVALID_FORMAT;
	if ((r = hs_msg_get_request(req, type, &mc->req, proof,
	    &proof_len)) != 0)
		return r;
	if (type == HS_MSG_SESSION_RESUME)
		return resumed(mc, ans);
	if (type == HS_MSG_SESSION_LIST) {
		memset(&rep, 0, sizeof(rep));
		rep.ok = 1;	/* no detached sessions are kept yet */
		return monmsg_put_reply(ans, &rep);
	}
	r = set_up_new(mc, ans);
	return r == 1 ? 0 : r;
}

/* ---- the session ------------------------------------------------------ */

static volatile sig_atomic_t got_stop;	/* SIGTERM, SIGHUP or SIGINT */

/* SIGCHLD, and the signals that ask the monitor to end the session. */
static void
on_signal(int sig)
{
	int saved = errno;
	char c = 0;

	if (sig != SIGCHLD)
		got_stop = 1;
	if (write(sigchld_pipe[1], &c, 1) < 0) {
		/* full: a wake-up is pending anyway */
	}
	errno = saved;
}

static int
build_env(struct mon_conn *mc, struct sessenv *env)
{
	struct sessenv_user u = { mc->user.name, mc->user.home,
	    mc->user.shell, mc->user.uid };
	const char *names[HS_ENV_MAX], *values[HS_ENV_MAX];
	char conn[256];
	char **pamenv;
	size_t i, n;
	int r;

	snprintf(conn, sizeof(conn), "%s %u %s %u", mc->peer_addr,
	    mc->peer_port, mc->local_addr, mc->local_port);
	if ((r = sessenv_init(env, &u, mc->cfg->term_type,
	    mc->cfg->server_path, conn)) != 0)
		return r;
	for (i = 0; i < mc->req.nenv; i++) {
		names[i] = mc->req.env[i].name;
		values[i] = mc->req.env[i].value;
	}
	if ((r = sessenv_accept_client(env, names, values, mc->req.nenv,
	    (const char *const *)mc->cfg->accept_env,
	    mc->cfg->naccept_env)) != 0)
		return r;
	if (mc->pam != NULL && (pamenv = mpam_getenv(mc->pam)) != NULL) {
		for (n = 0; pamenv[n] != NULL; n++)
			;
		r = sessenv_merge(env, (const char *const *)pamenv, n);
		mpam_env_free(pamenv);
		if (r != 0)
			return r;
	}
	return sessenv_merge(env, (const char *const *)mc->match.env,
	    mc->match.nenv);
}

static void
start_session_process(struct mon_conn *mc)
{
	struct session_params sp;
	struct sessenv env;
	struct passwd pw;

	if (build_env(mc, &env) != 0)
		session_fatal(mc, "cannot build the environment");
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = mc->user.name;
	pw.pw_dir = mc->user.home;
	pw.pw_shell = mc->user.shell;
	pw.pw_uid = mc->user.uid;
	pw.pw_gid = mc->user.gid;
	memset(&sp, 0, sizeof(sp));
	sp.pw = &pw;
	sp.change_uid = geteuid() == 0;
	sp.pty_slave = mc->no_pty ? -1 : mc->pty.slave;
	sp.in_fd = mc->child_pipes[0];
	sp.out_fd = mc->child_pipes[1];
	sp.err_fd = mc->child_pipes[2];
	sp.envp = sessenv_envp(&env);
	sp.command = mc->command;
	sp.close_from = 3;
	if ((mc->session_pid = fork()) == -1)
		session_fatal(mc, "fork: %s", strerror(errno));
	if (mc->session_pid == 0)
		session_exec(&sp);
	sessenv_free(&env);
	log_info("session opened for %s from %s port %u%s%s", mc->user.name,
	    mc->peer_addr, mc->peer_port, mc->no_pty ? "" : " on ",
	    mc->no_pty ? "" : mc->pty.name);
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The monitor keeps no end of the terminal: when the net child goes,
 * the shell gets its hangup from the kernel. */
static void
drop_session_fds(struct mon_conn *mc)
{
	int i;

	close_fd(&mc->udp_fd);
	close_fd(&mc->pty.master);
	close_fd(&mc->pty.slave);
	for (i = 0; i < 3; i++) {
		close_fd(&mc->pipes[i]);
		close_fd(&mc->child_pipes[i]);
	}
}

static void
start_net_child(struct mon_conn *mc, struct buf *keys)
{
	struct mon_config nc;
	struct buf *b;
	int term[3], n;

	if ((b = buf_new(IPC_PAYLOAD_MAX)) == NULL ||
	    netchild_config(mc, MON_PHASE_SESSION, &nc) != 0 ||
	    monmsg_put_config(b, &nc) != 0)
		session_fatal(mc, "cannot prepare the session net child");
	if (mc->no_pty) {
		memcpy(term, mc->pipes, sizeof(term));
		n = 3;
	} else {
		term[0] = mc->pty.master;
		n = 1;
	}
	mc->phase_tag = "session";
	if (netchild_spawn(mc, mc->udp_fd, term, (size_t)n, b) != 0 ||
	    ipc_send(mc->ipc_fd, MON_SESSION_KEYS, keys, -1) != 0)
		session_fatal(mc, "cannot start the session net child");
	buf_free(b);
}

static void
report_exit(struct mon_conn *mc, int wstatus)
{
	struct buf *b = buf_new(16);
	uint8_t kind = FRAME_EXIT_CODE;
	uint32_t value;

	if (WIFSIGNALED(wstatus)) {
		kind = FRAME_EXIT_SIGNAL;
		value = (uint32_t)WTERMSIG(wstatus);
	} else
		value = (uint32_t)WEXITSTATUS(wstatus);
	log_info("session of %s from %s port %u ended: %s %u", mc->user.name,
	    mc->peer_addr, mc->peer_port, kind == FRAME_EXIT_CODE ?
	    "exit status" : "signal", value);
	if (b == NULL || buf_put_u8(b, kind) != 0 || buf_put_u32(b, value) ||
	    (mc->ipc_fd >= 0 && ipc_send(mc->ipc_fd, MON_EXIT_STATUS, b, -1)))
		log_verbose("could not report the exit status to the net "
		    "child");
	buf_free(b);
}

struct reaper {
	int session_done, net_done;
	uint64_t hangup_at;	/* when the shell was hung up; 0 */
	uint64_t stop_at;	/* when the monitor was asked to stop; 0 */
};

static void
net_child_gone(struct mon_conn *mc, struct reaper *rp, int wstatus)
{
	rp->net_done = 1;
	if (WIFSIGNALED(wstatus))
		log_error("session net child for %s port %u killed by signal "
		    "%d%s", mc->peer_addr, mc->peer_port, WTERMSIG(wstatus),
		    WTERMSIG(wstatus) == SIGSYS ?
		    " (a forbidden system call)" : "");
	close_fd(&mc->ipc_fd);
	if (!rp->session_done) {
		log_verbose("client gone: hanging up the session of %s",
		    mc->user.name);
		kill(-mc->session_pid, SIGHUP);
		rp->hangup_at = mp_monotonic_ms();
	}
}

static void
reap(struct mon_conn *mc, struct reaper *rp)
{
	pid_t pid;
	int wstatus;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		if (pid == mc->session_pid && !rp->session_done) {
			rp->session_done = 1;
			report_exit(mc, wstatus);
		} else if (pid == mc->net_pid && !rp->net_done)
			net_child_gone(mc, rp, wstatus);
	}
}

/* Asked to stop: hang up the shell, so that the client hears how the
 * session ended, and PAM, utmp and the PTY are cleaned up on the way
 * out. A net child still waiting for its client after STOP_WAIT_MS is
 * stopped. */
static void
stop_session(struct mon_conn *mc, struct reaper *rp)
{
	uint64_t now = mp_monotonic_ms();

	if (got_stop && rp->stop_at == 0) {
		log_info("monitor of %s from %s port %u asked to stop; "
		    "ending the session", mc->user.name, mc->peer_addr,
		    mc->peer_port);
		rp->stop_at = now;
		if (!rp->session_done && rp->hangup_at == 0) {
			kill(-mc->session_pid, SIGHUP);
			rp->hangup_at = now;
		}
	}
	got_stop = 0;
	if (rp->stop_at != 0 && !rp->net_done &&
	    now - rp->stop_at > STOP_WAIT_MS) {
		kill(mc->net_pid, SIGTERM);
		rp->stop_at = now;
	}
}

static void
session_loop(struct mon_conn *mc)
{
	struct reaper rp = { 0, 0, 0, 0 };
	struct pollfd pfd[3];
	char drain[64];

	while (!rp.session_done || !rp.net_done) {
		pfd[0] = (struct pollfd){ sigchld_pipe[0], POLLIN, 0 };
		pfd[1] = (struct pollfd){ mc->log_fd, POLLIN, 0 };
		pfd[2] = (struct pollfd){ rp.net_done ? -1 : mc->ctl_fd,
		    POLLIN, 0 };
		if (poll(pfd, 3, rp.hangup_at || rp.stop_at ? 1000 : -1) < 0 &&
		    errno != EINTR)
			fatal("poll: %s", strerror(errno));
		if (pfd[2].revents & POLLIN)
			resume_serve(mc);
		if (pfd[0].revents != 0 &&
		    read(sigchld_pipe[0], drain, sizeof(drain)) < 0 &&
		    errno != EAGAIN && errno != EINTR)
			fatal("read: %s", strerror(errno));
		if (mc->log_fd >= 0 && pfd[1].revents != 0 &&
		    netchild_relay_log(mc) != 0)
			close_fd(&mc->log_fd);
		reap(mc, &rp);
		stop_session(mc, &rp);
		if (rp.hangup_at && !rp.session_done &&
		    mp_monotonic_ms() - rp.hangup_at > HANGUP_WAIT_MS) {
			log_info("session of %s ignored the hangup; killing it",
			    mc->user.name);
			kill(-mc->session_pid, SIGKILL);
			rp.hangup_at = mp_monotonic_ms();
		}
	}
}

static void
watch_children(struct mon_conn *mc)
{
	struct sigaction sa;

	if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		session_fatal(mc, "pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGHUP, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0)
		session_fatal(mc, "sigaction: %s", strerror(errno));
}

int
mon_keys_check(const struct mon_conn *mc, const struct buf *keys)
{
	struct hs_keys k;
	struct buf *copy;
	int r;

	/* On a copy: the bytes themselves go to the session net child. */
	if ((copy = buf_from(buf_ptr(keys), buf_len(keys))) == NULL)
		return MP_ERR_ALLOC;
	r = monmsg_get_keys(copy, &k);
	buf_free(copy);
	if (r != 0)
		return r;
	/* The child computed them; they must at least be for the H the
	 * monitor signed, and name a new session by it or the one resumed. */
	if (!mc->signed_h || !same_id(k.h, k.h_len, mc->h, mc->h_len) ||
	    !same_id(k.session_id, k.session_id_len,
	    mc->resuming ? mc->session_id : mc->h,
	    mc->resuming ? mc->session_id_len : mc->h_len) ||
	    strcmp(k.hostkey, mc->hostkey->alg) != 0)
		r = MP_ERR_INVALID_ARGUMENT;
	hs_keys_clear(&k);
	return r;
}

/* This connection resumed a session: its keys go to that session's
 * monitor, and this one is done. */
static void __attribute__((noreturn))
hand_over(struct mon_conn *mc, struct buf *keys)
{
	int r = resume_hand_over(mc, keys);

	buf_free(keys);
	if (r != 0)
		log_error("cannot hand the connection from %s port %u over to "
		    "the session it resumed: %s", mc->peer_addr,
		    mc->peer_port, mp_strerror(r));
	mon_session_cleanup(mc);
	exit(0);
}

void
mon_session_run(struct mon_conn *mc, struct buf *keys)
{
	int r;

	if ((r = mon_keys_check(mc, keys)) != 0)
		session_fatal(mc, "unusable session keys from the preauth "
		    "child: %s", mp_strerror(r));
	if (mc->resuming)
		hand_over(mc, keys);
	watch_children(mc);
	start_session_process(mc);
	if (!mc->no_pty) {
		/* A logout follows every attempt: a login record may have
		 * reached one of utmp and wtmp even when the other failed. */
		if (mutmp_login(mc->pty.name, mc->user.name, mc->peer_addr,
		    mc->session_pid, (struct sockaddr *)&mc->peer) != 0)
			log_verbose("cannot write utmp/wtmp login records for "
			    "%s: %s", mc->pty.name, strerror(errno));
		mc->utmp_written = 1;
	}
	start_net_child(mc, keys);
	(void)resume_listen(mc, keys);	/* keeps only the resume secret */
	buf_free(keys);		/* zeroed */
	drop_session_fds(mc);
	session_loop(mc);
	mon_session_cleanup(mc);
	exit(0);
}

void
mon_session_cleanup(struct mon_conn *mc)
{
	if (mc->utmp_written && mutmp_logout(mc->pty.name,
	    mc->session_pid) != 0)
		log_verbose("cannot write the utmp logout record for %s",
		    mc->pty.name);
	mc->utmp_written = 0;
	mpam_end(mc->pam);
	mc->pam = NULL;
	if (mc->pty.name[0] != '\0')
		mpty_release(&mc->pty);
	mc->pty.name[0] = '\0';
	drop_session_fds(mc);
	authkeys_match_free(&mc->match);
	hs_request_clear(&mc->req);
	hs_keys_clear(&mc->keys);
	resume_clear(mc);
}

/* netchild.c: starting mps-net with its fixed descriptors and settings, and relaying its log lines. */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "monitor/monitor.h"

#ifndef MP_SECCOMP_DEBUG
#define MP_SECCOMP_DEBUG 0
#endif

#define FD_STAGING	32	/* descriptors are gathered above this first */

static void
copy_list(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

static int
privsep_ids(const struct mps_config *cfg, struct mon_config *nc)
{
	struct passwd *pw;

	if (geteuid() != 0) {
		nc->uid = getuid();
		nc->gid = getgid();
		return 0;
	}
	if ((pw = getpwnam(cfg->privsep_user)) == NULL) {
		log_error("privilege separation user %s does not exist",
		    cfg->privsep_user);
		return MP_ERR_NOT_FOUND;
	}
	nc->uid = pw->pw_uid;
	nc->gid = pw->pw_gid;
	nc->dedicated_user = 1;
	copy_list(nc->chroot, sizeof(nc->chroot), cfg->privsep_chroot);
	return 0;
}

int
netchild_config(const struct mon_conn *mc, int phase, struct mon_config *nc)
{
	const struct mps_config *cfg = mc->cfg;
	const char *test = getenv("MPS_TEST_NET_VIOLATION");

	memset(nc, 0, sizeof(*nc));
	nc->phase = (uint8_t)phase;
	nc->seccomp_debug = MP_SECCOMP_DEBUG;
	nc->log_level = (uint8_t)log_get_level();
	nc->pacing_us = cfg->pacing_delay_us;
	nc->no_pty = mc->no_pty ? 1 : 0;
	nc->mode = mc->no_pty ? MON_MODE_RELIABLE : mc->mode;
	nc->push_ms = cfg->datagram_push_ms;
	nc->cols = mc->req.cols;
	nc->rows = mc->req.rows;
	nc->xpixel = mc->req.xpixel;
	nc->ypixel = mc->req.ypixel;
	nc->scrollback_rate = cfg->scrollback_rate;
	nc->warmup_ms = cfg->warmup_delay_ms;
	nc->timeout_s = cfg->session_timeout;
	/* The regress suite's way to prove the filter kills (see
	 * regress/t/server-sandbox-violation.sh). */
	nc->test_violation = test != NULL && strcmp(test,
	    phase == MON_PHASE_PREAUTH ? "preauth" : "session") == 0;
	copy_list(nc->hostkey, sizeof(nc->hostkey), mc->hostkey->alg);
	copy_list(nc->kex, sizeof(nc->kex), cfg->kex);
	copy_list(nc->aead, sizeof(nc->aead), cfg->aead);
	copy_list(nc->mac, sizeof(nc->mac), cfg->mac);
	copy_list(nc->kdf, sizeof(nc->kdf), cfg->kdf);
	return privsep_ids(cfg, nc);
}

/* In the new child: put every descriptor at its fixed number. */
static void
arrange_fds(const int *src, size_t n)
{
	int staged[8], devnull, i;

	for (i = 0; i < (int)n; i++)
		if ((staged[i] = fcntl(src[i], F_DUPFD_CLOEXEC, FD_STAGING)) < 0)
			_exit(126);
	if ((devnull = open("/dev/null", O_RDWR)) < 0)
		_exit(126);
	for (i = 0; i < 3; i++)
		if (dup2(devnull, i) < 0)
			_exit(126);
	for (i = 0; i < (int)n; i++)
		if (dup2(staged[i], MON_FD_NET + i) < 0)
			_exit(126);
	closefrom(MON_FD_NET + (int)n);
}

static void __attribute__((noreturn))
exec_child(const char *path, const int *fds, size_t n)
{
	char *const argv[] = { (char *)"mps-net", NULL };
	char *const envp[] = { NULL };

	arrange_fds(fds, n);
	execve(path, argv, envp);
	_exit(127);
}

static int
set_nonblocking(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	return 0;
}

int
netchild_spawn(struct mon_conn *mc, int net_fd, const int *term_fds,
    size_t nterm, const struct buf *config)
{
	int sv[2], lp[2], fds[6];
	size_t i;
	int r;

	if (access(mc->cfg->mps_net_path, X_OK) != 0) {
		log_error("cannot run the net child %s: %s",
		    mc->cfg->mps_net_path, strerror(errno));
		return MP_ERR_SYSTEM;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return MP_ERR_SYSTEM;
	if (pipe2(lp, O_CLOEXEC) != 0) {
		close(sv[0]);
		close(sv[1]);
		return MP_ERR_SYSTEM;
	}
	fds[0] = net_fd;
	fds[1] = sv[1];
	fds[2] = lp[1];
	for (i = 0; i < nterm && i < 3; i++)
		fds[3 + i] = term_fds[i];
	if ((mc->net_pid = fork()) == -1) {
		log_error("fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		close(lp[0]);
		close(lp[1]);
		return MP_ERR_SYSTEM;
	}
	if (mc->net_pid == 0)
		exec_child(mc->cfg->mps_net_path, fds, 3 + i);
	close(sv[1]);
	close(lp[1]);
	mc->ipc_fd = sv[0];
	mc->log_fd = lp[0];
	buf_reset(mc->log_buf);
	/* A child that asks without reading the answers must not block the
	 * monitor (and its deadlines) in a send: the monitor's end never
	 * waits, and a full queue kills the connection. */
	if (set_nonblocking(mc->ipc_fd) != 0) {
		log_error("fcntl: %s", strerror(errno));
		return MP_ERR_SYSTEM;
	}
	if ((r = ipc_send(mc->ipc_fd, MON_CONFIG, config, -1)) != 0)
		log_error("cannot configure the net child: %s", mp_strerror(r));
	return r;
}

/* Hand complete records in the buffer to the log. */
static int
drain_records(struct mon_conn *mc)
{
	char tag[128];
	int n;

	snprintf(tag, sizeof(tag), "%s %s port %u", mc->phase_tag,
	    mc->peer_addr, mc->peer_port);
	while (buf_len(mc->log_buf) > 0) {
		n = log_forward_record(buf_ptr(mc->log_buf),
		    buf_len(mc->log_buf), tag);
		if (n == 0)
			return 0;
		if (n < 0) {
			log_error("%s: malformed log record from the net child",
			    tag);
			buf_reset(mc->log_buf);
			return -1;
		}
		buf_consume(mc->log_buf, (size_t)n);
	}
	buf_reset(mc->log_buf);
	return 0;
}

int
netchild_relay_log(struct mon_conn *mc)
{
	uint8_t *p;
	size_t room = buf_max_size(mc->log_buf) - buf_len(mc->log_buf);
	ssize_t n;

	if (mc->log_fd < 0)
		return -1;
	if (room > 4096)
		room = 4096;
	if (buf_reserve(mc->log_buf, room, &p) != 0) {
		buf_reset(mc->log_buf);
		return 0;
	}
	do
		n = read(mc->log_fd, p, room);
	while (n < 0 && errno == EINTR);
	buf_consume_end(mc->log_buf, n > 0 ? room - (size_t)n : room);
	if (n <= 0)
		return -1;
	return drain_records(mc) == 0 ? 0 : -1;
}

/* main.c: mps-net, the net child: takes its settings from the monitor, confines itself, then runs the handshake or the session. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/crypto/random.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "privsep/net.h"
#include "sandbox/sandbox.h"

#if defined(__SANITIZE_ADDRESS__)
#define NET_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NET_UNDER_ASAN 1
#endif
#endif

#ifdef NET_UNDER_ASAN
const char *__asan_default_options(void);

/* The sanitizer build: LeakSanitizer's exit-time scan needs ptrace and
 * threads, which the filter rightly kills. */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

/* The descriptors the monitor gave; MON_FD_TERM.. only in a session. */
static int
check_fds(const struct mon_config *cfg)
{
	int last = MON_FD_LOG, fd;

	if (cfg->phase == MON_PHASE_SESSION)
		last = cfg->no_pty ? MON_FD_ERR : MON_FD_TERM;
	for (fd = MON_FD_NET; fd <= last; fd++)
		if (fcntl(fd, F_GETFD) == -1)
			return -1;
	return last;
}

static void
set_nonblocking(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		fatal("fcntl: %s", strerror(errno));
}

/* Everything that may need a file or a privilege happens before this. */
static int
confine(const struct mon_config *cfg, int last_fd)
{
	struct sandbox_fds fds = { -1, MON_FD_LOG };
	const char *root = cfg->chroot[0] != '\0' ? cfg->chroot : NULL;
	int r;

	if (cfg->phase == MON_PHASE_SESSION && !cfg->no_pty)
		fds.ioctl_fd = MON_FD_TERM;
	if ((r = sandbox_limits_apply(last_fd, cfg->dedicated_user)) != 0 ||
	    (geteuid() == 0 && (r = sandbox_caps_drop_bound()) != 0) ||
	    (r = sandbox_drop_to(cfg->uid, cfg->gid, root)) != 0 ||
	    (r = sandbox_caps_clear()) != 0 ||
	    (r = sandbox_seccomp_apply(&fds, cfg->seccomp_debug)) != 0) {
		log_error("cannot confine the net child: %s", mp_strerror(r));
		return r;
	}
	return 0;
}

static void
read_config(struct mon_config *cfg)
{
	struct buf *msg;

	if ((msg = buf_new(IPC_PAYLOAD_MAX)) == NULL)
		exit(NET_EXIT_MONITOR);
	net_expect(MON_CONFIG, msg);
	if (monmsg_get_config(msg, cfg) != 0)
		fatal("bad configuration message from the monitor");
	buf_free(msg);
}

int
main(int argc, char **argv)
{
	struct mon_config cfg;
	int last;

	(void)argv;
	/* Only ever run by mps: the descriptors below are its. */
	if (argc != 1 || fcntl(MON_FD_IPC, F_GETFD) == -1 ||
	    fcntl(MON_FD_LOG, F_GETFD) == -1) {
		fprintf(stderr, "mps-net: this program is started by mps "
		    "and is not meant to be run by hand\n");
		return 2;
	}
	log_init("mps-net", LOG_LEVEL_INFO, LOG_TO_PIPE, 0);
	log_forward_fd(MON_FD_LOG);
	signal(SIGPIPE, SIG_IGN);
	read_config(&cfg);
	log_set_level((enum log_level)cfg.log_level);
	if ((last = check_fds(&cfg)) < 0)
		fatal("missing descriptors from the monitor");
	if (mp_crypto_init_server() != 0)
		fatal("cannot initialise the crypto libraries");
	set_nonblocking(MON_FD_NET);
	if (cfg.phase == MON_PHASE_SESSION) {
		set_nonblocking(MON_FD_TERM);
		if (cfg.no_pty) {
			set_nonblocking(MON_FD_OUT);
			set_nonblocking(MON_FD_ERR);
		}
	}
	if (confine(&cfg, last) != 0)
		return NET_EXIT_CONFINE;
	if (cfg.test_violation)
		(void)syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (cfg.phase == MON_PHASE_PREAUTH)
		return net_preauth(&cfg);
	return net_session(&cfg);
}

/* session.c: the per-user session process: controlling terminal, descriptors, permanent uid change, home, exec of the shell. */
#include <sys/ioctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "session/session.h"

#define CLOSE_FALLBACK_MAX	(1024 * 1024)

/* Write one line to fd in a single write(2); errors are ignored. */
static void __attribute__((format(printf, 2, 3)))
say(int fd, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (write(fd, line, (size_t)n) < 0) {
		/* No one left to tell. */
	}
}

static void __attribute__((noreturn))
die(int fd, const char *what, const char *why)
{
	say(fd, "mps: %s: %s\n", what, why);
	_exit(SESSION_EXIT_FAILURE);
}

/* dup2 src[i] to i for i = 0, 1, 2 whatever their overlaps, then close
 * the originals above 2. */
static void
install_stdio(const int src[3], int efd)
{
	int hi[3], i, j;

	for (i = 0; i < 3; i++) {
		if (src[i] < 0)
			die(efd, "session", "missing descriptor for stdio");
		if ((hi[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) == -1)
			die(efd, "fcntl(F_DUPFD)", strerror(errno));
	}
	efd = hi[2];
	for (i = 0; i < 3; i++) {
		if (dup2(hi[i], i) == -1)
			die(efd, "dup2", strerror(errno));
	}
	for (i = 0; i < 3; i++) {
		(void)close(hi[i]);
		for (j = 0; j < i && src[j] != src[i]; j++)
			;
		if (src[i] > 2 && j == i)
			(void)close(src[i]);
	}
}

static void
setup_stdio(const struct session_params *p, int efd)
{
	int src[3];

	if (p->pty_slave >= 0) {
		if (ioctl(p->pty_slave, TIOCSCTTY, 0) == -1)
			die(efd, "cannot set controlling terminal",
			    strerror(errno));
		src[0] = src[1] = src[2] = p->pty_slave;
	} else {
		src[0] = p->in_fd;
		src[1] = p->out_fd;
		src[2] = p->err_fd;
	}
	install_stdio(src, efd);
}

static void
close_from(int from)
{
	struct rlimit rl;
	rlim_t fd, max = CLOSE_FALLBACK_MAX;

	if (from < 3)
		from = 3;
	if (close_range((unsigned int)from, ~0U, 0) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < max)
		max = rl.rlim_cur;
	for (fd = (rlim_t)from; fd < max; fd++)
		(void)close((int)fd);
}

/* Every real, effective and saved id must be the user's. */
static void
check_ids(const struct passwd *pw, int check_gids)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		die(2, "getresuid", strerror(errno));
	if (ru != pw->pw_uid || eu != pw->pw_uid || su != pw->pw_uid)
		die(2, "session", "not running as the user's uid");
	if (check_gids && (rg != pw->pw_gid || eg != pw->pw_gid ||
	    sg != pw->pw_gid))
		die(2, "session", "not running as the user's gid");
}

/* Permanently become pw's user and prove it cannot be undone. */
static void
become_user(const struct passwd *pw)
{
	if (setgid(pw->pw_gid) != 0)
		die(2, "setgid", strerror(errno));
	if (initgroups(pw->pw_name, pw->pw_gid) != 0)
		die(2, "initgroups", strerror(errno));
	if (setuid(pw->pw_uid) != 0)
		die(2, "setuid", strerror(errno));
	if (pw->pw_uid != 0 && (setuid(0) != -1 || seteuid(0) != -1))
		die(2, "setuid", "uid 0 could be regained");
	if (pw->pw_gid != 0 && (setgid(0) != -1 || setegid(0) != -1))
		die(2, "setgid", "gid 0 could be regained");
	check_ids(pw, 1);
}

static void
go_home(const struct passwd *pw)
{
	const char *home = pw->pw_dir == NULL ? "" : pw->pw_dir;

	if (chdir(home) == 0)
		return;
	say(2, "Could not chdir to home directory %s: %s\n", home,
	    strerror(errno));
	if (chdir("/") != 0)
		die(2, "chdir /", strerror(errno));
}

static void
reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	if (sigemptyset(&sa.sa_mask) != 0 || sigemptyset(&none) != 0)
		die(2, "sigemptyset", strerror(errno));
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		/* The C library reserves some real-time signals: EINVAL. */
		if (sigaction(sig, &sa, NULL) == -1 && errno != EINVAL)
			die(2, "sigaction", strerror(errno));
	}
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		die(2, "sigprocmask", strerror(errno));
}

static void __attribute__((noreturn))
run_shell(const struct session_params *p)
{
	static char *const no_env[] = { NULL };
	const char *shell, *base;
	char argv0[PATH_MAX + 2];
	char *argv[4];
	int n;

	shell = p->pw->pw_shell;
	if (shell == NULL || *shell == '\0')
		shell = "/bin/sh";
	base = strrchr(shell, '/');
	base = base == NULL ? shell : base + 1;
	if (p->command == NULL || *p->command == '\0') {
		n = snprintf(argv0, sizeof(argv0), "-%s", base);
		if (n < 0 || (size_t)n >= sizeof(argv0))
			die(2, shell, "shell name too long");
		argv[0] = argv0;
		argv[1] = NULL;
	} else {
		argv[0] = (char *)base;
		argv[1] = (char *)"-c";
		argv[2] = (char *)p->command;
		argv[3] = NULL;
	}
	execve(shell, argv, p->envp == NULL ? no_env : p->envp);
	die(2, shell, strerror(errno));
}

void
session_exec(const struct session_params *p)
{
	int efd = p->pty_slave >= 0 ? p->pty_slave : p->err_fd;

	if (p->pw == NULL || p->pw->pw_name == NULL)
		die(efd, "session", "no user");
	if (setsid() == -1)
		die(efd, "setsid", strerror(errno));
	setup_stdio(p, efd);
	close_from(p->close_from);
	if (p->change_uid)
		become_user(p->pw);
	else
		check_ids(p->pw, 0);
	go_home(p->pw);
	reset_signals();
	run_shell(p);
}

/* test_session.c: unit tests of the session process: PTY and pipe sessions, login shell argv[0], environment, descriptors, signals, failures and (as root) the uid change. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "monitor/pty.h"
#include "session/session.h"

#define TIMEOUT_MS	10000
#define OUT_MAX		4096

struct out {
	char	text[OUT_MAX];
	size_t	len;
};

static char home[64];
static char shell_link[128];
static char env_home[128];
static char *envp[] = {
	(char *)"PATH=/usr/bin:/bin", env_home, (char *)"MPTEST=yes", NULL
};
static struct passwd me;

static int
setup(void **state)
{
	char tmpl[] = "/tmp/mp-session-XXXXXX";

	(void)state;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	memcpy(home, tmpl, sizeof(tmpl));
	(void)snprintf(shell_link, sizeof(shell_link), "%s/mpsh", home);
	(void)snprintf(env_home, sizeof(env_home), "HOME=%s", home);
	/* The shell under another name shows the argv[0] it was given. */
	if (symlink("/bin/sh", shell_link) != 0 || chmod(home, 0755) != 0)
		return -1;
	me.pw_name = (char *)"tester";
	me.pw_uid = getuid();
	me.pw_gid = getgid();
	me.pw_dir = home;
	me.pw_shell = (char *)"/bin/sh";
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return unlink(shell_link) | rmdir(home);
}

static void
params_init(struct session_params *p, const struct passwd *pw,
    const char *command)
{
	memset(p, 0, sizeof(*p));
	p->pw = pw;
	p->pty_slave = p->in_fd = p->out_fd = p->err_fd = -1;
	p->envp = envp;
	p->command = command;
	p->close_from = 3;
}

static pid_t
spawn(const struct session_params *p)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		session_exec(p);
	return pid;
}

/* The exit status of pid, killing it if it takes too long. */
static int
wait_exit(pid_t pid)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i, status;
	pid_t r;

	for (i = 0; i < TIMEOUT_MS / 10; i++) {
		if ((r = waitpid(pid, &status, WNOHANG)) == pid)
			break;
		assert_int_equal(r, 0);
		(void)nanosleep(&ts, NULL);
	}
	if (i == TIMEOUT_MS / 10) {
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, &status, 0);
		fail_msg("session process did not exit in time");
	}
	if (!WIFEXITED(status))
		fail_msg("session process killed by signal %d",
		    WTERMSIG(status));
	return WEXITSTATUS(status);
}

/* Read fds[i] into out[i] until every one is at its end (EOF or EIO). */
static void
read_all(const int *fds, struct out *out, int n)
{
	struct pollfd pfd[2];
	ssize_t r;
	int i, open = n;

	assert_true(n <= 2);
	for (i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
		out[i].len = 0;
		out[i].text[0] = '\0';
	}
	while (open > 0) {
		if (poll(pfd, (nfds_t)n, TIMEOUT_MS) <= 0)
			fail_msg("no output in time");
		for (i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			r = read(fds[i], out[i].text + out[i].len,
			    OUT_MAX - 1 - out[i].len);
			if (r > 0) {
				out[i].len += (size_t)r;
				out[i].text[out[i].len] = '\0';
			}
			if (r <= 0 || out[i].len == OUT_MAX - 1) {
				pfd[i].fd = -1;
				open--;
			}
		}
	}
}

/* Run a session on pipes; the stdin pipe gets input. */
static int
run_piped(struct session_params *p, const char *input, struct out *out)
{
	int in[2], o[2], e[2], fds[2];
	pid_t pid;

	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(o, O_CLOEXEC), 0);
	assert_int_equal(pipe2(e, O_CLOEXEC), 0);
	p->in_fd = in[0];
	p->out_fd = o[1];
	p->err_fd = e[1];
	pid = spawn(p);
	assert_int_equal(close(in[0]) | close(o[1]) | close(e[1]), 0);
	if (input != NULL)
		assert_int_equal(write(in[1], input, strlen(input)),
		    (ssize_t)strlen(input));
	assert_int_equal(close(in[1]), 0);
	fds[0] = o[0];
	fds[1] = e[0];
	read_all(fds, out, 2);
	assert_int_equal(close(o[0]) | close(e[0]), 0);
	return wait_exit(pid);
}

static int
run_pty(struct session_params *p, uid_t uid, gid_t gid, struct out *out)
{
	struct mpty pty;
	pid_t pid;
	int st;

	assert_int_equal(mpty_open(&pty, uid, gid, 100, 30, 0, 0), 0);
	p->pty_slave = pty.slave;
	pid = spawn(p);
	assert_int_equal(close(pty.slave), 0);
	pty.slave = -1;
	read_all(&pty.master, out, 1);
	st = wait_exit(pid);
	mpty_release(&pty);
	return st;
}

static void
test_pty(void **state)
{
	struct session_params p;
	struct out out;

	(void)state;
	/* /dev/tty opens only for a process with a controlling terminal. */
	params_init(&p, &me, "echo hello; [ -t 0 ] && [ -t 2 ] && tty && "
	    "stty size; : </dev/tty && echo ctty; exit 3");
	assert_int_equal(run_pty(&p, getuid(), getgid(), &out), 3);
	assert_non_null(strstr(out.text, "hello\r\n"));
	assert_non_null(strstr(out.text, "ctty\r\n"));
	assert_non_null(strstr(out.text, "/dev/pts/"));
	assert_non_null(strstr(out.text, "30 100\r\n"));
}

static void
test_pipes(void **state)
{
	struct session_params p;
	struct out out[2];
	char want[128];

	(void)state;
	params_init(&p, &me, "read x; echo out:$x; echo err:$MPTEST >&2; "
	    "pwd; [ -t 0 ] || echo notty");
	assert_int_equal(run_piped(&p, "abc\n", out), 0);
	(void)snprintf(want, sizeof(want), "out:abc\n%s\nnotty\n", home);
	assert_string_equal(out[0].text, want);
	assert_string_equal(out[1].text, "err:yes\n");
}

/* A login shell gets "-<basename>" as argv[0]. */
static void
test_login_shell(void **state)
{
	struct session_params p;
	struct passwd pw = me;
	struct out out[2];

	(void)state;
	pw.pw_shell = shell_link;
	params_init(&p, &pw, NULL);
	assert_int_equal(run_piped(&p, "echo \"zero=$0\"\nexit 5\n", out), 5);
	assert_non_null(strstr(out[0].text, "zero=-mpsh\n"));
	params_init(&p, &pw, "");
	assert_int_equal(run_piped(&p, "echo \"zero=$0\"\n", out), 0);
	assert_non_null(strstr(out[0].text, "zero=-mpsh\n"));
	params_init(&p, &pw, "echo \"zero=$0\"");
	assert_int_equal(run_piped(&p, NULL, out), 0);
	assert_string_equal(out[0].text, "zero=mpsh\n");
}

static void
test_no_home(void **state)
{
	struct session_params p;
	struct passwd pw = me;
	struct out out[2];

	(void)state;
	pw.pw_dir = (char *)"/nonexistent/mp-home";
	params_init(&p, &pw, "pwd");
	assert_int_equal(run_piped(&p, NULL, out), 0);
	assert_string_equal(out[0].text, "/\n");
	assert_string_equal(out[1].text, "Could not chdir to home directory "
	    "/nonexistent/mp-home: No such file or directory\n");
}

/* Descriptors from close_from up are closed, those below kept. */
static void
test_descriptors(void **state)
{
	struct session_params p;
	struct out out[2];
	int in[2], o[2], e[2], fds[2];
	pid_t pid;

	(void)state;
	params_init(&p, &me, "for n in 7 20; do [ -e /proc/$$/fd/$n ] && "
	    "echo $n:open || echo $n:closed; done");
	p.close_from = 10;
	assert_int_equal(pipe(in) | pipe(o) | pipe(e), 0);
	p.in_fd = in[0];
	p.out_fd = o[1];
	p.err_fd = e[1];
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if (dup2(o[1], 7) != 7 || dup2(o[1], 20) != 20)
			_exit(99);
		session_exec(&p);
	}
	assert_true(pid > 0);
	assert_int_equal(close(in[0]) | close(in[1]) | close(o[1]) |
	    close(e[1]), 0);
	fds[0] = o[0];
	fds[1] = e[0];
	read_all(fds, out, 2);
	assert_int_equal(close(o[0]) | close(e[0]), 0);
	assert_int_equal(wait_exit(pid), 0);
	assert_string_equal(out[0].text, "7:open\n20:closed\n");
}

/* Ignored and blocked signals of the monitor do not reach the shell. */
/* The SigIgn bits of signals 1 to 31 in a /proc status text. */
static unsigned long
sig_ign_low(const char *status)
{
	const char *p = strstr(status, "SigIgn:\t");

	assert_non_null(p);
	return strtoul(p + strlen("SigIgn:\t"), NULL, 16) & 0x7fffffffUL;
}

static void
test_signals(void **state)
{
	struct session_params p;
	struct out out[2];
	sigset_t set, old;
	void (*oldh)(int);

	(void)state;
	params_init(&p, &me, "exec grep -E '^Sig(Blk|Ign)' /proc/self/status");
	oldh = signal(SIGPIPE, SIG_IGN);
	assert_int_equal(sigemptyset(&set) | sigaddset(&set, SIGUSR1), 0);
	assert_int_equal(sigprocmask(SIG_BLOCK, &set, &old), 0);
	assert_int_equal(run_piped(&p, NULL, out), 0);
	assert_int_equal(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	(void)signal(SIGPIPE, oldh);
	assert_non_null(strstr(out[0].text, "SigBlk:\t0000000000000000\n"));
	/* Signals 1 to 31 only: glibc refuses to touch its reserved
	 * real-time signals 32 and 33, which GNU make starts its children
	 * with ignored; they mean nothing to a shell. */
	assert_int_equal(sig_ign_low(out[0].text), 0);
}

static void
test_failures(void **state)
{
	struct session_params p;
	struct passwd pw = me;
	struct out out[2];

	(void)state;
	pw.pw_shell = (char *)"/nonexistent/shell";
	params_init(&p, &pw, "true");
	assert_int_equal(run_piped(&p, NULL, out), SESSION_EXIT_FAILURE);
	assert_string_equal(out[0].text, "");
	assert_string_equal(out[1].text,
	    "mps: /nonexistent/shell: No such file or directory\n");
	/* Without change_uid the process must already be the user. */
	pw = me;
	pw.pw_uid = getuid() + 1;
	params_init(&p, &pw, "echo should not run");
	assert_int_equal(run_piped(&p, NULL, out), SESSION_EXIT_FAILURE);
	assert_string_equal(out[0].text, "");
	assert_string_equal(out[1].text,
	    "mps: session: not running as the user's uid\n");
}

static int
get_nobody(struct passwd *pw)
{
	const struct passwd *nobody;

	if (geteuid() != 0 || (nobody = getpwnam("nobody")) == NULL) {
		printf("SKIPPED: needs root and a user \"nobody\"\n");
		return 0;
	}
	*pw = *nobody;
	pw->pw_dir = (char *)"/";
	pw->pw_shell = (char *)"/bin/sh";	/* nobody's is nologin */
	return 1;
}

/* As root: the session runs as nobody, with nobody's groups only (not
 * the monitor's supplementary groups). */
static void
test_change_uid(void **state)
{
	struct session_params p;
	struct passwd pw;
	struct out out[2];
	char want[128];
	gid_t saved[64], extra[2] = { 0, 4 };
	int nsaved, st;

	(void)state;
	if (!get_nobody(&pw)) {
		skip();
		return;
	}
	params_init(&p, &pw, "id -u; id -g; id -G; "
	    "grep -E '^(Uid|Gid)' /proc/$$/status");
	p.change_uid = 1;
	assert_true((nsaved = getgroups(64, saved)) >= 0);
	assert_int_equal(setgroups(2, extra), 0);
	st = run_piped(&p, NULL, out);
	assert_int_equal(setgroups((size_t)nsaved, saved), 0);
	assert_int_equal(st, 0);
	assert_string_equal(out[1].text, "");
	(void)snprintf(want, sizeof(want), "%u\n%u\n%u\n"
	    "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
	    pw.pw_uid, pw.pw_gid, pw.pw_gid, pw.pw_uid, pw.pw_uid, pw.pw_uid,
	    pw.pw_uid, pw.pw_gid, pw.pw_gid, pw.pw_gid, pw.pw_gid);
	assert_string_equal(out[0].text, want);
}

/* As root: nobody's session on a PTY that mpty_open gave to nobody. */
static void
test_change_uid_pty(void **state)
{
	struct session_params p;
	struct passwd pw;
	struct out out;
	char want[64];

	(void)state;
	if (!get_nobody(&pw)) {
		skip();
		return;
	}
	params_init(&p, &pw, "id -u; echo written >$(tty) && echo ok");
	p.change_uid = 1;
	assert_int_equal(run_pty(&p, pw.pw_uid, pw.pw_gid, &out), 0);
	(void)snprintf(want, sizeof(want), "%u\r\nwritten\r\nok\r\n",
	    pw.pw_uid);
	assert_string_equal(out.text, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pty),
		cmocka_unit_test(test_pipes),
		cmocka_unit_test(test_login_shell),
		cmocka_unit_test(test_no_home),
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_change_uid),
		cmocka_unit_test(test_change_uid_pty),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

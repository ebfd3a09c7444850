/* test_pty.c: unit tests of PTY allocation: a working pair, window size, name, ownership and release. */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "monitor/pty.h"

#define TIMEOUT_MS	5000

/* Read from fd until want has been seen or the time is up. */
static void
assert_reads(int fd, const char *want)
{
	char buf[256];
	size_t n = 0;
	ssize_t r;
	struct pollfd pfd = { fd, POLLIN, 0 };

	while (n < sizeof(buf) - 1) {
		assert_int_equal(poll(&pfd, 1, TIMEOUT_MS), 1);
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		assert_true(r > 0);
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, want) != NULL)
			return;
	}
	fail_msg("did not read \"%s\"", want);
}

static void
test_pair(void **state)
{
	struct mpty p;
	struct winsize ws;
	struct stat st;

	(void)state;
	assert_int_equal(mpty_open(&p, getuid(), getgid(), 132, 43, 1056,
	    688), 0);
	assert_true(p.master >= 0 && p.slave >= 0);
	assert_true(strncmp(p.name, "/dev/pts/", 9) == 0);
	assert_int_equal(stat(p.name, &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_true(isatty(p.slave));
	assert_int_equal(fcntl(p.master, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(fcntl(p.slave, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(ioctl(p.slave, TIOCGWINSZ, &ws), 0);
	assert_int_equal(ws.ws_col, 132);
	assert_int_equal(ws.ws_row, 43);
	assert_int_equal(ws.ws_xpixel, 1056);
	assert_int_equal(ws.ws_ypixel, 688);
	assert_int_equal(write(p.slave, "ping\n", 5), 5);
	assert_reads(p.master, "ping");
	assert_int_equal(write(p.master, "pong\n", 5), 5);
	assert_reads(p.slave, "pong");
	mpty_release(&p);
	assert_int_equal(p.master, -1);
	assert_int_equal(p.slave, -1);
	mpty_release(&p);	/* twice is harmless */
}

/* Not root: the slave stays ours and is not open to anyone else. */
static void
test_owner_user(void **state)
{
	struct mpty p;
	struct stat st;

	(void)state;
	assert_int_equal(mpty_open(&p, getuid(), getgid(), 80, 24, 0, 0), 0);
	assert_int_equal(fstat(p.slave, &st), 0);
	assert_int_equal(st.st_uid, getuid());
	assert_int_equal(st.st_mode & 07, 0);
	if ((st.st_mode & 070) != 0) {
		const struct group *gr = getgrnam("tty");

		assert_non_null(gr);
		assert_int_equal(st.st_gid, gr->gr_gid);
		assert_int_equal(st.st_mode & 07777, 0620);
	}
	mpty_release(&p);
}

static void
test_owner_root(void **state)
{
	const struct passwd *pw;
	const struct group *gr;
	struct mpty p;
	struct stat st;

	(void)state;
	if (geteuid() != 0 || (pw = getpwnam("nobody")) == NULL) {
		printf("SKIPPED: needs root and a user \"nobody\"\n");
		skip();
		return;
	}
	gr = getgrnam("tty");
	assert_int_equal(mpty_open(&p, pw->pw_uid, pw->pw_gid, 80, 24, 0, 0),
	    0);
	assert_int_equal(fstat(p.slave, &st), 0);
	assert_int_equal(st.st_uid, pw->pw_uid);
	assert_int_equal(st.st_gid, gr != NULL ? gr->gr_gid : pw->pw_gid);
	assert_int_equal(st.st_mode & 07777, gr != NULL ? 0620 : 0600);
	/* Released: back to root, closed to others. */
	assert_int_equal(mpty_disown(&p), 0);
	assert_int_equal(fstat(p.slave, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_gid, 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	mpty_release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair),
		cmocka_unit_test(test_owner_user),
		cmocka_unit_test(test_owner_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

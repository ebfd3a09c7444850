/* test_io.c: unit tests of the shared descriptor and reason helpers: io_write_all, io_write_some, mp_why. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/io.h"

#define BIG	(1024 * 1024)	/* more than a pipe holds */

static void
test_write_all(void **state)
{
	char got[16];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(io_write_all(fds[1], "hello", 5), 0);
	assert_int_equal(io_write_all(fds[1], "", 0), 0);
	close(fds[1]);
	assert_int_equal(read(fds[0], got, sizeof(got)), 5);
	assert_memory_equal(got, "hello", 5);
	close(fds[0]);
}

/* A non-blocking pipe takes what fits: the count, errno EAGAIN. */
static void
test_would_block(void **state)
{
	static char big[BIG];
	ssize_t n;
	int fds[2];

	(void)state;
	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	n = io_write_some(fds[1], big, sizeof(big));
	assert_true(n > 0 && (size_t)n < sizeof(big));
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(io_write_some(fds[1], big, 1), 0);
	errno = 0;
	assert_int_equal(io_write_all(fds[1], big, 1), MP_ERR_SYSTEM);
	assert_int_equal(errno, EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

static void
test_write_error(void **state)
{
	struct sigaction ign, old;
	int fds[2];

	(void)state;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	assert_int_equal(sigaction(SIGPIPE, &ign, &old), 0);
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	assert_int_equal(io_write_some(fds[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	errno = 0;
	assert_int_equal(io_write_all(fds[1], "x", 1), MP_ERR_SYSTEM);
	assert_int_equal(errno, EPIPE);
	close(fds[1]);
	assert_int_equal(io_write_all(-1, "x", 1), MP_ERR_SYSTEM);
	assert_int_equal(errno, EBADF);
	assert_int_equal(sigaction(SIGPIPE, &old, NULL), 0);
}

static void
test_why(void **state)
{
	char why[8];

	(void)state;
	mp_why(why, sizeof(why), "%s %d", "error", 42);
	assert_string_equal(why, "error 4");	/* truncated, terminated */
	mp_why(why, sizeof(why), "%s", "");
	assert_string_equal(why, "");
	why[0] = 'x';
	mp_why(why, 0, "%s", "not written");
	assert_int_equal(why[0], 'x');
	mp_why(NULL, 64, "%s", "nowhere");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_all),
		cmocka_unit_test(test_would_block),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

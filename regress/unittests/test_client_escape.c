/* test_client_escape.c: mp's escape key as a pure function over typed bytes (ESCAPE '.' at a line start, ESCAPE ESCAPE, pass-through elsewhere), and the exit status mp derives from the remote one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "client/client.h"

#define ESC	"\x1e"		/* ctrl-^, the default */

/* Feed s to e; the bytes to send in out (NUL-terminated), the result. */
static int
feed(struct escape *e, const char *s, char *out)
{
	uint8_t buf[256];
	size_t n = 0;
	int r;

	assert_true(strlen(s) < sizeof(buf) - 1);
	r = escape_filter(e, (const uint8_t *)s, strlen(s), buf, &n);
	assert_true(n <= strlen(s) + 1);
	memcpy(out, buf, n);
	out[n] = '\0';
	return r;
}

/* A fresh default state, fed s once. */
static int
feed_new(const char *s, char *out)
{
	struct escape e;

	escape_init(&e, 0x1e);
	return feed(&e, s, out);
}

static void
test_plain(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(feed_new("abc", out), ESCAPE_CONTINUE);
	assert_string_equal(out, "abc");
	assert_int_equal(feed_new("", out), ESCAPE_CONTINUE);
	assert_string_equal(out, "");
}

static void
test_disconnect(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(feed_new("\r" ESC ".", out), ESCAPE_DISCONNECT);
	assert_string_equal(out, "\r");
	/* The session start counts as a line start; so does LF. */
	assert_int_equal(feed_new(ESC ".", out), ESCAPE_DISCONNECT);
	assert_string_equal(out, "");
	assert_int_equal(feed_new("ls\n" ESC ".", out), ESCAPE_DISCONNECT);
	assert_string_equal(out, "ls\n");
	/* What follows the '.' is dropped. */
	assert_int_equal(feed_new("ab\r" ESC ".cd", out), ESCAPE_DISCONNECT);
	assert_string_equal(out, "ab\r");
}

static void
test_double_escape(void **state)
{
	struct escape e;
	char out[256];

	(void)state;
	assert_int_equal(feed_new(ESC ESC, out), ESCAPE_CONTINUE);
	assert_string_equal(out, ESC);
	/* After the sent escape the line no longer starts there. */
	escape_init(&e, 0x1e);
	assert_int_equal(feed(&e, ESC ESC ESC ".", out), ESCAPE_CONTINUE);
	assert_string_equal(out, ESC ESC ".");
}

static void
test_not_line_start(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(feed_new("x" ESC ".", out), ESCAPE_CONTINUE);
	assert_string_equal(out, "x" ESC ".");
	assert_int_equal(feed_new("x" ESC ESC, out), ESCAPE_CONTINUE);
	assert_string_equal(out, "x" ESC ESC);
}

static void
test_other_byte(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(feed_new(ESC "a", out), ESCAPE_CONTINUE);
	assert_string_equal(out, ESC "a");
	/* ESCAPE CR: both sent, and the CR starts a new line. */
	assert_int_equal(feed_new(ESC "\r" ESC ".", out), ESCAPE_DISCONNECT);
	assert_string_equal(out, ESC "\r");
}

static void
test_split_reads(void **state)
{
	struct escape e;
	char out[256];

	(void)state;
	escape_init(&e, 0x1e);
	assert_int_equal(feed(&e, "echo hi\r", out), ESCAPE_CONTINUE);
	assert_string_equal(out, "echo hi\r");
	assert_int_equal(feed(&e, ESC, out), ESCAPE_CONTINUE);
	assert_string_equal(out, "");	/* held back, undecided */
	assert_int_equal(feed(&e, ".", out), ESCAPE_DISCONNECT);

	escape_init(&e, 0x1e);
	assert_int_equal(feed(&e, ESC, out), ESCAPE_CONTINUE);
	assert_string_equal(out, "");
	assert_int_equal(feed(&e, "q", out), ESCAPE_CONTINUE);
	assert_string_equal(out, ESC "q");	/* len + 1 bytes out */
}

static void
test_other_keys(void **state)
{
	struct escape e;
	char out[256];

	(void)state;
	escape_init(&e, -1);		/* no escape key */
	assert_int_equal(feed(&e, ESC "." "~.", out), ESCAPE_CONTINUE);
	assert_string_equal(out, ESC "." "~.");
	escape_init(&e, '~');		/* ssh's */
	assert_int_equal(feed(&e, ESC ".", out), ESCAPE_CONTINUE);
	assert_int_equal(feed(&e, "\r~~", out), ESCAPE_CONTINUE);
	assert_string_equal(out, "\r~");
	assert_int_equal(feed(&e, "\r~.", out), ESCAPE_DISCONNECT);
}

static void
test_key_name(void **state)
{
	char name[16];

	(void)state;
	escape_key_name(0x1e, name, sizeof(name));
	assert_string_equal(name, "ctrl-^");
	escape_key_name(0x1d, name, sizeof(name));
	assert_string_equal(name, "ctrl-]");
	escape_key_name('~', name, sizeof(name));
	assert_string_equal(name, "~");
	escape_key_name(-1, name, sizeof(name));
	assert_string_equal(name, "none");
}

static void
test_exit_status(void **state)
{
	(void)state;
	assert_int_equal(session_exit_status(0, 0), 0);
	assert_int_equal(session_exit_status(0, 42), 42);
	assert_int_equal(session_exit_status(0, 255), 255);
	assert_int_equal(session_exit_status(0, 256), MP_EXIT_ERROR);
	assert_int_equal(session_exit_status(1, 9), 137);	/* 128 + N */
	assert_int_equal(session_exit_status(1, 15), 143);
	assert_int_equal(session_exit_status(1, 0), MP_EXIT_ERROR);
	assert_int_equal(session_exit_status(1, 200), MP_EXIT_ERROR);
	assert_int_equal(session_exit_status(2, 1), MP_EXIT_ERROR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_disconnect),
		cmocka_unit_test(test_double_escape),
		cmocka_unit_test(test_not_line_start),
		cmocka_unit_test(test_other_byte),
		cmocka_unit_test(test_split_reads),
		cmocka_unit_test(test_other_keys),
		cmocka_unit_test(test_key_name),
		cmocka_unit_test(test_exit_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

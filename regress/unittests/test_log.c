/* test_log.c: unit tests of log forwarding: a child's records cross a pipe and are re-logged by the parent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/log.h"

static void
test_forwarded_record_round_trip(void **state)
{
	unsigned char rec[LOG_LINE_MAX + 8];
	int fds[2];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	log_init("test", LOG_LEVEL_INFO, LOG_TO_STDERR, 0);
	log_forward_fd(fds[1]);
	log_info("hello %d\nforged line", 42);
	log_debug("not sent at info level");
	n = read(fds[0], rec, sizeof(rec));
	assert_true(n > 3);
	/* Length 1 + text, level byte, text with the newline neutralised. */
	assert_int_equal(rec[0] << 8 | rec[1], n - 2);
	assert_int_equal(rec[2], LOG_LEVEL_INFO);
	assert_memory_equal(rec + 3, "hello 42?forged line", (size_t)n - 3);
	log_init("test", LOG_LEVEL_INFO, LOG_TO_STDERR, 0);
	assert_int_equal(log_forward_record(rec, (unsigned long)n, "child"), n);
	/* Partial records ask for more bytes. */
	assert_int_equal(log_forward_record(rec, 1, "child"), 0);
	assert_int_equal(log_forward_record(rec, (unsigned long)n - 1, "child"), 0);
	close(fds[0]);
	close(fds[1]);
}

/* Log one line through a pipe and return the forwarded text. */
static const char *
forwarded_text(const char *msg)
{
	static unsigned char rec[LOG_LINE_MAX + 8];
	int fds[2];
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	log_forward_fd(fds[1]);
	log_info("%s", msg);
	n = read(fds[0], rec, sizeof(rec) - 1);
	assert_true(n >= 3);
	rec[n] = '\0';
	close(fds[0]);
	close(fds[1]);
	return (const char *)rec + 3;
}

static void
test_sanitise_controls_and_bad_utf8(void **state)
{
	(void)state;
	log_init("test", LOG_LEVEL_INFO, LOG_TO_STDERR, 0);
	/* Valid UTF-8 passes unchanged. */
	assert_string_equal(forwarded_text("user j\xc3\xbcrgen \xe6\x97\xa5"),
	    "user j\xc3\xbcrgen \xe6\x97\xa5");
	/* ESC, an 8-bit CSI, a UTF-8 C1 CSI and a bidi override. */
	assert_string_equal(forwarded_text("a\x1b[2Jb\x9b" "c\xc2\x9b" "d\xe2\x80\xae" "e"),
	    "a?[2Jb?c?d?e");
	/* Overlong, surrogate and truncated sequences. */
	assert_string_equal(forwarded_text("\xc0\xafx\xed\xa0\x80y\xe6\x97"),
	    "??x???y??");
}

static void
test_malformed_records_refused(void **state)
{
	static const unsigned char zero_len[] = { 0, 0, LOG_LEVEL_INFO };
	static const unsigned char bad_level[] = { 0, 2, 0x7f, 'x' };
	static const unsigned char quiet_level[] = { 0, 2, LOG_LEVEL_QUIET, 'x' };
	unsigned char huge[4] = { 0xff, 0xff, LOG_LEVEL_INFO, 'x' };

	(void)state;
	assert_int_equal(log_forward_record(zero_len, sizeof(zero_len), "c"),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(log_forward_record(bad_level, sizeof(bad_level), "c"),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(log_forward_record(quiet_level, sizeof(quiet_level),
	    "c"), MP_ERR_INVALID_FORMAT);
	assert_int_equal(log_forward_record(huge, sizeof(huge), "c"),
	    MP_ERR_INVALID_FORMAT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarded_record_round_trip),
		cmocka_unit_test(test_malformed_records_refused),
		cmocka_unit_test(test_sanitise_controls_and_bad_utf8),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}

/* test_knownhosts.c: known_hosts lookup (OK, CHANGED, UNKNOWN), ports, patterns, negation, add and remove. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/knownhosts.h"
#include "common/pubkey.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

static struct sig_key *key_a, *key_b;
static char *line_a, *line_b;	/* "moshpit BASE64" */

static int
setup(void **state)
{
	(void)state;
	if (sig_generate(sig_by_name("ed25519"), &key_a) != 0 ||
	    sig_generate(sig_by_name("ed25519"), &key_b) != 0 ||
	    pubkey_format_line(key_a, NULL, &line_a) != 0 ||
	    pubkey_format_line(key_b, "a comment", &line_b) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sig_free(key_a);
	sig_free(key_b);
	free(line_a);
	free(line_b);
	return 0;
}

/* Check host:port against text; the status, and the line in *line. */
static enum kh_status
check(const char *text, const char *host, unsigned int port,
    const struct sig_key *key, size_t *line)
{
	struct knownhosts_result res;

	assert_int_equal(knownhosts_check(text, strlen(text), host, port, key,
	    &res), 0);
	if (line != NULL)
		*line = res.line;
	return res.status;
}

static void
test_check(void **state)
{
	size_t line;
	char *t;

	(void)state;
	assert_true(asprintf(&t, "# hosts\n\nalpha,beta %s\n"
	    "gamma %s\n", line_a, line_b) > 0);
	assert_int_equal(check(t, "alpha", 40404, key_a, &line), KH_OK);
	assert_int_equal(line, 3);
	assert_int_equal(check(t, "BETA", 40404, key_a, NULL), KH_OK);
	assert_int_equal(check(t, "gamma", 40404, key_a, &line), KH_CHANGED);
	assert_int_equal(line, 4);
	assert_int_equal(check(t, "delta", 40404, key_a, &line), KH_UNKNOWN);
	assert_int_equal(line, 0);
	assert_int_equal(check("", "delta", 40404, key_a, NULL), KH_UNKNOWN);
	free(t);
}

static void
test_several_keys(void **state)
{
	size_t line;
	char *t;

	(void)state;
	/* a host with two keys is OK for either, wherever the other is */
	assert_true(asprintf(&t, "h %s\nh %s", line_b, line_a) > 0);
	assert_int_equal(check(t, "h", 40404, key_a, &line), KH_OK);
	assert_int_equal(line, 2);
	assert_int_equal(check(t, "h", 40404, key_b, &line), KH_OK);
	assert_int_equal(line, 1);
	free(t);
}

static void
test_ports(void **state)
{
	size_t line;
	char *t;

	(void)state;
	assert_true(asprintf(&t, "[host]:2222 %s\nhost %s\n", line_a,
	    line_b) > 0);
	assert_int_equal(check(t, "host", 2222, key_a, &line), KH_OK);
	assert_int_equal(line, 1);
	assert_int_equal(check(t, "host", 40404, key_a, &line), KH_CHANGED);
	assert_int_equal(line, 2);
	assert_int_equal(check(t, "host", 40404, key_b, NULL), KH_OK);
	assert_int_equal(check(t, "host", 2223, key_a, NULL), KH_UNKNOWN);
	free(t);
}

static void
test_patterns(void **state)
{
	char *t;

	(void)state;
	assert_true(asprintf(&t, "*.example.org,!bad.example.org %s\n"
	    "10.0.0.? %s\n[*.test]:* %s\n", line_a, line_a, line_a) > 0);
	assert_int_equal(check(t, "a.example.org", 40404, key_a, NULL), KH_OK);
	assert_int_equal(check(t, "a.example.org", 40404, key_b, NULL),
	    KH_CHANGED);
	assert_int_equal(check(t, "bad.example.org", 40404, key_b, NULL),
	    KH_UNKNOWN);
	assert_int_equal(check(t, "10.0.0.7", 40404, key_a, NULL), KH_OK);
	assert_int_equal(check(t, "10.0.0.17", 40404, key_a, NULL),
	    KH_UNKNOWN);
	assert_int_equal(check(t, "x.test", 9, key_a, NULL), KH_OK);
	assert_int_equal(check(t, "x.test", 40404, key_a, NULL), KH_UNKNOWN);
	free(t);
}

static void
test_malformed(void **state)
{
	struct knownhosts_result res;
	char *t;

	(void)state;
	assert_true(asprintf(&t, "h moshpit AAAA\nh\nh,,x %s\nh %s\n",
	    line_b, line_a) > 0);
	assert_int_equal(knownhosts_check(t, strlen(t), "h", 40404, key_a,
	    &res), 0);
	assert_int_equal(res.status, KH_OK);
	assert_int_equal(res.line, 4);
	assert_int_equal(res.nbad, 3);	/* bad key, no key, empty pattern */
	assert_int_equal(res.bad_line, 1);
	assert_int_equal(knownhosts_check(t, strlen(t), "bad host", 40404,
	    key_a, &res), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(knownhosts_check(t, strlen(t), "h*", 40404,
	    key_a, &res), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(knownhosts_check(t, strlen(t), "h", 0,
	    key_a, &res), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(knownhosts_check(t, strlen(t), "h", 65536,
	    key_a, &res), MP_ERR_INVALID_ARGUMENT);
	free(t);
}

static void
test_add_line(void **state)
{
	struct buf *b = buf_new(65536);
	char *want, *text, *bare_b;
	size_t line;

	(void)state;
	assert_non_null(b);
	assert_int_equal(pubkey_format_line(key_b, NULL, &bare_b), 0);
	assert_int_equal(knownhosts_add_line(b, "srv.example.org", 40404,
	    key_a), 0);
	assert_int_equal(knownhosts_add_line(b, "2001:db8::1", 2222, key_b),
	    0);
	assert_true(asprintf(&want, "srv.example.org %s\n[2001:db8::1]:2222 "
	    "%s\n", line_a, bare_b) > 0);
	text = strndup((const char *)buf_ptr(b), buf_len(b));
	assert_string_equal(text, want);
	assert_int_equal(check(text, "srv.example.org", 40404, key_a, &line),
	    KH_OK);
	assert_int_equal(line, 1);
	assert_int_equal(check(text, "2001:db8::1", 2222, key_b, &line),
	    KH_OK);
	assert_int_equal(line, 2);
	assert_int_equal(knownhosts_add_line(b, "a b", 40404, key_a),
	    MP_ERR_INVALID_ARGUMENT);
	free(text);
	free(want);
	free(bare_b);
	buf_free(b);
}

static void
test_remove(void **state)
{
	struct buf *b = buf_new(65536);
	char *t, *want, *got;
	size_t removed;

	(void)state;
	assert_non_null(b);
	assert_true(asprintf(&t, "# keep me\nh %s\nother %s\n\n"
	    "garbage\n[h]:22 %s\nx,h %s\n!h,* %s", line_a, line_a, line_a,
	    line_b, line_b) > 0);
	assert_true(asprintf(&want, "# keep me\nother %s\n\ngarbage\n"
	    "[h]:22 %s\n!h,* %s", line_a, line_a, line_b) > 0);
	assert_int_equal(knownhosts_remove(t, strlen(t), "h", 40404, b,
	    &removed), 0);
	assert_int_equal(removed, 2);
	got = strndup((const char *)buf_ptr(b), buf_len(b));
	assert_string_equal(got, want);
	free(got);
	buf_reset(b);
	assert_int_equal(knownhosts_remove(t, strlen(t), "nobody", 7, b,
	    &removed), 0);
	assert_int_equal(removed, 1);	/* "!h,*" takes [nobody]:7 */
	free(t);
	free(want);
	buf_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_several_keys),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_add_line),
		cmocka_unit_test(test_remove),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_authkeys.c: authorized_keys options, key lookup by blob, from= patterns with negation and CIDR. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/authkeys.h"
#include "common/err.h"
#include "common/match.h"
#include "common/pubkey.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

static struct sig_key *key_a, *key_b;
static char *line_a, *line_b;	/* "moshpit BASE64 comment" */

static int
setup(void **state)
{
	(void)state;
	if (sig_generate(sig_by_name("ed25519"), &key_a) != 0 ||
	    sig_generate(sig_by_name("ecdsa-p256"), &key_b) != 0 ||
	    pubkey_format_line(key_a, "alice@a", &line_a) != 0 ||
	    pubkey_format_line(key_b, "bob@b", &line_b) != 0)
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

/* Look key up in the NUL-terminated file text. */
static int
find(const char *text, const struct sig_key *key, const char *addr,
    int permit, struct authkeys_match *m, struct authkeys_error *e)
{
	return authkeys_find(text, strlen(text), key, addr, permit, m, e);
}

/* A one-line file: options (if any), a space and line. */
static char *
file1(const char *opts, const char *line)
{
	char *s;

	assert_true(asprintf(&s, "%s%s%s\n", opts, *opts ? " " : "",
	    line) > 0);
	return s;
}

static void
test_plain(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char *t;

	(void)state;
	t = file1("", line_a);
	assert_int_equal(find(t, key_a, "192.0.2.1", 0, &m, &e), 0);
	assert_int_equal(m.line, 1);
	assert_null(m.command);
	assert_false(m.no_pty);
	assert_string_equal(m.comment, "alice@a");
	authkeys_match_free(&m);
	assert_int_equal(find(t, key_b, "192.0.2.1", 0, &m, &e),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(e.nbad, 0);
	free(t);
}

static void
test_options(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char *t;

	(void)state;
	t = file1("no-pty,command=\"echo \\\"hi\\\" a\\\\b\"", line_a);
	assert_int_equal(find(t, key_a, "::1", 0, &m, &e), 0);
	assert_true(m.no_pty);
	assert_false(m.restricted);
	assert_string_equal(m.command, "echo \"hi\" a\\\\b");
	authkeys_match_free(&m);
	free(t);

	t = file1("RESTRICT", line_a);
	assert_int_equal(find(t, key_a, "::1", 0, &m, &e), 0);
	assert_true(m.no_pty);
	assert_true(m.restricted);
	authkeys_match_free(&m);
	free(t);
}

static void
check_bad(const char *opts, const char *msg)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char *t = file1(opts, line_a);

	assert_int_equal(find(t, key_a, "192.0.2.1", 1, &m, &e),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(e.nbad, 1);
	assert_int_equal(e.line, 1);
	assert_string_equal(e.msg, msg);
	free(t);
}

static void
test_bad_options(void **state)
{
	(void)state;
	check_bad("agent-forwarding", "unknown option \"agent-forwarding\"");
	check_bad("no-pty,agent-forwarding",
	    "unknown option \"agent-forwarding\"");
	check_bad("no-pty=\"x\"", "option takes no value \"no-pty\"");
	check_bad("command", "option needs a value \"command\"");
	check_bad("command=\"a\",command=\"b\"", "repeated option \"command\"");
	check_bad("command=\"abc", "unterminated quote");
	check_bad("command=abc", "missing quote");
	check_bad("no-pty junk", "invalid public key");
	check_bad("no-pty\"x\"", "junk after option");
	check_bad("no-pty,", "invalid option syntax");
	check_bad("command=\"a\tb\"", "control character in value");
	check_bad("environment=\"1X=y\"", "invalid environment variable name");
	check_bad("environment=\"X\"", "invalid environment variable name");
	check_bad("from=\"\"", "empty option \"from\"");
}

static void
test_trailing_junk(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char *t;

	(void)state;
	assert_true(asprintf(&t, "%s\t\n", line_a) > 0);
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), MP_ERR_NOT_FOUND);
	assert_int_equal(e.line, 1);
	free(t);
	assert_true(asprintf(&t, "no-pty\n") > 0);
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), MP_ERR_NOT_FOUND);
	assert_string_equal(e.msg, "missing key after options");
	free(t);
}

static void
test_environment(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char opts[2048], *t;
	int i, n = 0;

	(void)state;
	t = file1("environment=\"A=1\",environment=\"B=x y\","
	    "environment=\"A=2\"", line_a);
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), 0);
	assert_int_equal(m.nenv, 0);
	authkeys_match_free(&m);
	assert_int_equal(find(t, key_a, "x", 1, &m, &e), 0);
	assert_int_equal(m.nenv, 2);
	assert_string_equal(m.env[0], "A=1");
	assert_string_equal(m.env[1], "B=x y");
	authkeys_match_free(&m);
	free(t);

	for (i = 0; i < AUTHKEYS_ENV_MAX + 1; i++)
		n += snprintf(opts + n, sizeof(opts) - (size_t)n,
		    "%senvironment=\"V%d=%d\"", i ? "," : "", i, i);
	t = file1(opts, line_a);
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), MP_ERR_NOT_FOUND);
	assert_int_equal(e.code, MP_ERR_LIMIT);
	free(t);
}

static void
test_blob_not_comment(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char *fake, *t;

	(void)state;
	/* key b's line with key a's comment never matches key a */
	assert_int_equal(pubkey_format_line(key_b, "alice@a", &fake), 0);
	assert_true(asprintf(&t, "# keys\n\n   \n%s\n%s\n", fake, line_a) > 0);
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), 0);
	assert_int_equal(m.line, 5);
	authkeys_match_free(&m);
	free(t);
	assert_true(asprintf(&t, "%s\n", fake) > 0);
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), MP_ERR_NOT_FOUND);
	free(t);
	free(fake);
}

static void
test_first_wins(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char *t;

	(void)state;
	assert_true(asprintf(&t, "bogus line\n%s\ncommand=\"one\" %s\n"
	    "command=\"two\" %s\n", line_b, line_a, line_a) > 0);
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), 0);
	assert_int_equal(m.line, 3);
	assert_string_equal(m.command, "one");
	assert_int_equal(e.nbad, 1);
	assert_int_equal(e.line, 1);
	authkeys_match_free(&m);
	assert_int_equal(find(t, key_b, "x", 0, &m, &e), 0);
	assert_int_equal(m.line, 2);
	authkeys_match_free(&m);
	free(t);
}

static void
test_from_refuses(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	char *t;

	(void)state;
	assert_true(asprintf(&t, "from=\"10.0.0.0/8,!10.1.*\" %s\n"
	    "from=\"*.example.org\",command=\"late\" %s\n", line_a,
	    line_a) > 0);
	assert_int_equal(find(t, key_a, "10.2.3.4", 0, &m, &e), 0);
	assert_int_equal(m.line, 1);
	assert_string_equal(m.from, "10.0.0.0/8,!10.1.*");
	authkeys_match_free(&m);
	assert_int_equal(find(t, key_a, "10.1.3.4", 0, &m, &e),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(e.refused_line, 1);
	assert_int_equal(e.nbad, 0);
	assert_non_null(strstr(e.refused_msg, "10.1.3.4"));
	assert_int_equal(find(t, key_a, "h.example.org", 0, &m, &e), 0);
	assert_int_equal(m.line, 2);
	assert_int_equal(e.refused_line, 1);
	authkeys_match_free(&m);
	free(t);

	/* a malformed from= refuses */
	assert_true(asprintf(&t, "from=\"10.0.0.1/8\" %s\n", line_a) > 0);
	assert_int_equal(find(t, key_a, "10.0.0.1", 0, &m, &e),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(e.refused_line, 1);
	assert_non_null(strstr(e.refused_msg, "malformed"));
	free(t);
}

static void
test_from_matcher(void **state)
{
	(void)state;
	assert_int_equal(authkeys_from_matches("192.0.2.*", "192.0.2.7"), 1);
	assert_int_equal(authkeys_from_matches("192.0.2.?", "192.0.2.17"), 0);
	assert_int_equal(authkeys_from_matches("192.0.2.0/24", "192.0.2.17"),
	    1);
	assert_int_equal(authkeys_from_matches("192.0.2.0/24", "192.0.3.1"), 0);
	assert_int_equal(authkeys_from_matches("0.0.0.0/0", "203.0.113.9"), 1);
	assert_int_equal(authkeys_from_matches("192.0.2.7/32", "192.0.2.7"), 1);
	assert_int_equal(authkeys_from_matches("192.0.2.0/25", "192.0.2.200"),
	    0);
	assert_int_equal(authkeys_from_matches("2001:db8::/32",
	    "2001:db8:1::5"), 1);
	assert_int_equal(authkeys_from_matches("2001:db8::/32",
	    "2001:db9::5"), 0);
	assert_int_equal(authkeys_from_matches("2001:db8::/32", "192.0.2.1"),
	    0);
	assert_int_equal(authkeys_from_matches("::1/128", "::1"), 1);
	/* any negated match refuses, whatever the order */
	assert_int_equal(authkeys_from_matches("!192.0.2.7,192.0.2.0/24",
	    "192.0.2.7"), 0);
	assert_int_equal(authkeys_from_matches("192.0.2.0/24,!192.0.2.7",
	    "192.0.2.7"), 0);
	assert_int_equal(authkeys_from_matches("192.0.2.0/24,!192.0.2.7",
	    "192.0.2.8"), 1);
	/* negation alone allows nothing */
	assert_int_equal(authkeys_from_matches("!192.0.2.7", "192.0.2.8"), 0);
	assert_int_equal(authkeys_from_matches("!2001:db8::/32,*",
	    "2001:db8::1"), 0);
	assert_int_equal(authkeys_from_matches("HOST.Example.ORG",
	    "host.example.org"), 1);
	assert_int_equal(authkeys_from_matches("*", "anything"), 1);
	/* malformed lists */
	assert_true(authkeys_from_matches("192.0.2.1/24", "192.0.2.1") < 0);
	assert_true(authkeys_from_matches("192.0.2.0/33", "192.0.2.1") < 0);
	assert_true(authkeys_from_matches("192.0.2.0/", "192.0.2.1") < 0);
	assert_true(authkeys_from_matches("nothost/8", "192.0.2.1") < 0);
	assert_true(authkeys_from_matches("a,,b", "a") < 0);
	assert_true(authkeys_from_matches("a,!", "a") < 0);
	assert_int_equal(authkeys_from_matches("", "a"), 0);
}

static void
test_glob(void **state)
{
	(void)state;
	assert_int_equal(match_glob("abc", "a*c", 3), 1);
	assert_int_equal(match_glob("ac", "a*c", 3), 1);
	assert_int_equal(match_glob("abd", "a*c", 3), 0);
	assert_int_equal(match_glob("abcbc", "*bc", 3), 1);
	assert_int_equal(match_glob("", "*", 1), 1);
	assert_int_equal(match_glob("", "?", 1), 0);
	assert_int_equal(match_glob("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
	    "*a*a*a*a*a*a*a*c", 16), 0);
}

static void
test_long_line(void **state)
{
	struct authkeys_match m;
	struct authkeys_error e;
	size_t n = AUTHKEYS_LINE_MAX + 100;
	char *t = malloc(n + 1);

	(void)state;
	assert_non_null(t);
	memset(t, ' ', n);
	memcpy(t + n - strlen(line_a), line_a, strlen(line_a));
	t[n] = '\0';
	assert_int_equal(find(t, key_a, "x", 0, &m, &e), MP_ERR_NOT_FOUND);
	assert_int_equal(e.code, MP_ERR_TOO_LARGE);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_trailing_junk),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_blob_not_comment),
		cmocka_unit_test(test_first_wins),
		cmocka_unit_test(test_from_refuses),
		cmocka_unit_test(test_from_matcher),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_long_line),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}

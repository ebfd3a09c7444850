/* test_config.c: unit tests of the TOML-subset configuration parser: accepted and refused documents, lookups, files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/config.h"
#include "common/err.h"

static struct config *
parse_ok(const char *text)
{
	struct config_error err;
	struct config *cfg;

	cfg = config_parse(text, strlen(text), &err);
	if (cfg == NULL)
		fail_msg("refused at line %d key \"%s\": %s\n%s", err.line,
		    err.key, err.msg, text);
	return cfg;
}

static void
test_realistic_server_file(void **state)
{
	static const char text[] =
	    "# mps.toml\n"
	    "\n"
	    "[mps]\n"
	    "ip = \"0.0.0.0\"   # all addresses\n"
	    "port = 40_404\n"
	    "private_key_path = '/etc/mps/mps_host_x25519_key'\n"
	    "term_type = \"xterm-256color\"\n"
	    "pacing_delay_us = 1000\n"
	    "accept_env = [\"LANG\", \"LC_*\", \"TZ\"]\n"
	    "\n"
	    "[preferred_algorithms]\n"
	    "kex = [\n"
	    "  \"mlkem768x25519-sha256\",  # hybrid first\n"
	    "  # a comment between elements\n"
	    "  \"x25519-sha256\",\n"
	    "]\n"
	    "enabled = true\n";
	struct config *cfg = parse_ok(text);
	const char *const *items;
	const char *s;
	int64_t v;
	size_t n;
	int b;

	(void)state;
	assert_int_equal(config_get_string(cfg, "mps", "ip", &s), 0);
	assert_string_equal(s, "0.0.0.0");
	assert_int_equal(config_get_int(cfg, "mps", "port", &v), 0);
	assert_int_equal(v, 40404);
	assert_int_equal(config_get_string(cfg, "mps", "private_key_path",
	    &s), 0);
	assert_string_equal(s, "/etc/mps/mps_host_x25519_key");
	assert_int_equal(config_get_string_array(cfg, "mps", "accept_env",
	    &items, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(items[1], "LC_*");
	assert_null(items[3]);
	assert_int_equal(config_get_string_array(cfg,
	    "preferred_algorithms", "kex", &items, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0], "mlkem768x25519-sha256");
	assert_string_equal(items[1], "x25519-sha256");
	assert_int_equal(config_get_bool(cfg, "preferred_algorithms",
	    "enabled", &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(config_key_line(cfg, "preferred_algorithms", "kex"),
	    12);
	assert_int_equal(config_key_line(cfg, "mps", "nothing"), 0);
	config_free(cfg);
}

static void
test_lookup_errors(void **state)
{
	struct config *cfg = parse_ok("port = \"40404\"\n[t]\nport = 1\n");
	struct config_error err;
	const char *const *items;
	const int64_t *ints;
	const char *s;
	int64_t v;
	size_t n;
	int b;

	(void)state;
	assert_int_equal(config_get_int(cfg, "", "port", &v),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(config_get_bool(cfg, "", "port", &b),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(config_get_string_array(cfg, "", "port", &items,
	    &n), MP_ERR_INVALID_FORMAT);
	assert_int_equal(config_get_int_array(cfg, "", "port", &ints, &n),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(config_get_string(cfg, "", "nope", &s),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(config_get_string(cfg, "u", "port", &s),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(config_get_int(cfg, "t", "port", &v), 0);
	assert_int_equal(v, 1);
	config_type_error(cfg, "", "port", CONFIG_INT, &err);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.key, "port");
	assert_string_equal(err.msg, "expected an integer");
	config_key_error(cfg, "t", "port", &err, "must be at least %d", 1024);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.table, "t");
	assert_string_equal(err.msg, "must be at least 1024");
	config_free(cfg);
}

static void
test_values(void **state)
{
	static const char text[] =
	    "a = \"q\\\" b\\\\ n\\n t\\t \\u00e9 \\u20AC\"\n"
	    "b = 'C:\\path\\no escapes \"here\"'\n"
	    "c = -9_223_372_036_854_775_808\n"
	    "d = +9223372036854775807\n"
	    "e = 0\n"
	    "f = -0\n"
	    "g = false\n"
	    "h = []\n"
	    "i = [ 1, -2, 3_000, ]\n"
	    "j = \"\"\n"
	    "k = ''\n"
	    "l = \"tab\there \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"\n"
	    "m = [\n"
	    "]\n"
	    "n=1#comment\r\n";
	struct config *cfg = parse_ok(text);
	const char *const *items;
	const int64_t *ints;
	const char *s;
	int64_t v;
	size_t n;
	int b;

	(void)state;
	assert_int_equal(config_get_string(cfg, "", "a", &s), 0);
	assert_string_equal(s, "q\" b\\ n\n t\t \xc3\xa9 \xe2\x82\xac");
	assert_int_equal(config_get_string(cfg, "", "b", &s), 0);
	assert_string_equal(s, "C:\\path\\no escapes \"here\"");
	assert_int_equal(config_get_int(cfg, "", "c", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(config_get_int(cfg, "", "d", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(config_get_int(cfg, "", "f", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(config_get_bool(cfg, "", "g", &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(config_get_string_array(cfg, "", "h", &items, &n), 0);
	assert_int_equal(n, 0);
	assert_null(items[0]);
	assert_int_equal(config_get_int_array(cfg, "", "h", &ints, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(config_get_int_array(cfg, "", "i", &ints, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ints[1], -2);
	assert_int_equal(ints[2], 3000);
	assert_int_equal(config_get_string_array(cfg, "", "i", &items, &n),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(config_get_string(cfg, "", "k", &s), 0);
	assert_string_equal(s, "");
	assert_int_equal(config_get_string(cfg, "", "l", &s), 0);
	assert_int_equal(config_get_int(cfg, "", "n", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(config_key_line(cfg, "", "n"), 15);
	config_free(cfg);
}

static void
test_empty_and_blank(void **state)
{
	struct config_error err;
	struct config_key k;
	struct config *cfg;
	size_t pos = 0;

	(void)state;
	cfg = config_parse(NULL, 0, &err);
	assert_non_null(cfg);
	assert_int_equal(config_next_key(cfg, &pos, &k), MP_ERR_NOT_FOUND);
	config_free(cfg);
	cfg = parse_ok("\n  \t\n# only a comment\n\r\n");
	config_free(cfg);
	config_free(NULL);
}

static void
test_iteration(void **state)
{
	struct config *cfg = parse_ok("top = 1\n[mps]\nport = 2\n"
	    "[empty]\n[x]\nk = 'v'\n");
	struct config_key k;
	const char *name;
	size_t pos = 0;
	int line;

	(void)state;
	assert_int_equal(config_next_key(cfg, &pos, &k), 0);
	assert_string_equal(k.table, "");
	assert_string_equal(k.key, "top");
	assert_int_equal(k.type, CONFIG_INT);
	assert_int_equal(config_next_key(cfg, &pos, &k), 0);
	assert_string_equal(k.table, "mps");
	assert_int_equal(k.line, 3);
	assert_int_equal(config_next_key(cfg, &pos, &k), 0);
	assert_string_equal(k.table, "x");
	assert_string_equal(k.key, "k");
	assert_int_equal(k.line, 6);
	assert_int_equal(k.type, CONFIG_STRING);
	assert_int_equal(config_next_key(cfg, &pos, &k), MP_ERR_NOT_FOUND);
	pos = 0;
	assert_int_equal(config_next_table(cfg, &pos, &name, &line), 0);
	assert_string_equal(name, "mps");
	assert_int_equal(line, 2);
	assert_int_equal(config_next_table(cfg, &pos, &name, &line), 0);
	assert_string_equal(name, "empty");
	assert_int_equal(config_next_table(cfg, &pos, &name, &line), 0);
	assert_string_equal(name, "x");
	assert_int_equal(config_next_table(cfg, &pos, &name, &line),
	    MP_ERR_NOT_FOUND);
	config_free(cfg);
}

struct refusal {
	const char	*text;
	int		 line;
	const char	*key;
	const char	*msg;	/* a substring of the message */
};

static const struct refusal refusals[] = {
	{ "a = \"\"\"x\"\"\"\n", 1, "a", "multi-line" },
	{ "a = '''x'''\n", 1, "a", "multi-line" },
	{ "\n\na = 1.5\n", 3, "a", "floats" },
	{ "a = 1e3\n", 1, "a", "floats" },
	{ "a = inf\n", 1, "a", "floats" },
	{ "a = nan\n", 1, "a", "floats" },
	{ "a = 1979-05-27\n", 1, "a", "dates" },
	{ "a = 07:32:00\n", 1, "a", "dates" },
	{ "a = 1979-05-27T07:32:00Z\n", 1, "a", "dates" },
	{ "a = { b = 1 }\n", 1, "a", "inline tables" },
	{ "a.b = 1\n", 1, "", "dotted" },
	{ "[a.b]\n", 1, "", "dotted" },
	{ "[[a]]\n", 1, "", "arrays of tables" },
	{ "\"a\" = 1\n", 1, "", "quoted" },
	{ "a = 1\nb = 2\na = 3\n", 3, "a", "duplicate key" },
	{ "[t]\na = 1\n[u]\n[t]\n", 4, "", "duplicate table" },
	{ "t = 1\n[t]\n", 2, "", "redefines" },
	{ "a = \"\xff\"\n", 1, "", "UTF-8" },
	{ "a = 'x'\nb = '\xc0\xaf'\n", 2, "", "UTF-8" },
	{ "a = '\xed\xa0\x80'\n", 1, "", "UTF-8" },
	{ "a = '\xc2\x9b'\n", 1, "", "C1" },
	{ "a = '\xe2\x82'\n", 1, "", "UTF-8" },
	{ "a = 'x\x01'\n", 1, "", "control" },
	{ "a = 1\rb = 2\n", 1, "", "control" },
	{ "a = 1\n\x7f\n", 2, "", "control" },
	{ "# c\x00mment\n", 1, "", "control" },
	{ "a = \"\\ud800\"\n", 1, "a", "surrogate" },
	{ "a = \"\\u0000\"\n", 1, "a", "control" },
	{ "a = \"\\u009b\"\n", 1, "a", "control" },
	{ "a = \"\\u12\"\n", 1, "a", "four hex" },
	{ "a = \"\\x41\"\n", 1, "a", "escape" },
	{ "a = \"\\U0001F600\"\n", 1, "a", "escape" },
	{ "a = \"abc\n", 1, "a", "unterminated string" },
	{ "a = 'abc\n", 1, "a", "unterminated string" },
	{ "a = \"abc\\\n", 1, "a", "backslash" },
	{ "a = 9223372036854775808\n", 1, "a", "range" },
	{ "a = -9223372036854775809\n", 1, "a", "range" },
	{ "a = 012\n", 1, "a", "invalid integer" },
	{ "a = 1__0\n", 1, "a", "invalid integer" },
	{ "a = _1\n", 1, "a", "invalid value" },
	{ "a = 1_\n", 1, "a", "invalid integer" },
	{ "a = +\n", 1, "a", "invalid value" },
	{ "a = -inf\n", 1, "a", "floats" },
	{ "a = 1_000.5\n", 1, "a", "floats" },
	{ "a = 0x1f\n", 1, "a", "decimal" },
	{ "a = 0o17\n", 1, "a", "decimal" },
	{ "a = True\n", 1, "a", "invalid value" },
	{ "a = hello\n", 1, "a", "strings need quotes" },
	{ "a =\n", 1, "a", "missing value" },
	{ "a\n", 1, "a", "expected =" },
	{ "= 1\n", 1, "", "expected a key" },
	{ "a = 1 2\n", 1, "a", "unexpected text" },
	{ "a = 'x' 'y'\n", 1, "a", "unexpected text" },
	{ "[t] x\n", 1, "", "unexpected text" },
	{ "[]\n", 1, "", "expected a table name" },
	{ "[t\n", 1, "", "expected ]" },
	{ "a = [1, \"x\"]\n", 1, "a", "mixes" },
	{ "a = [\"x\",\n 1]\n", 2, "a", "mixes" },
	{ "a = [[1]]\n", 1, "a", "only strings or integers" },
	{ "a = [true]\n", 1, "a", "only strings or integers" },
	{ "a = [{}]\n", 1, "a", "only strings or integers" },
	{ "a = [1,,2]\n", 1, "a", "missing value" },
	{ "a = [1 2]\n", 1, "a", "expected , or ]" },
	{ "a = [\n1,\n2,\n", 4, "a", "unterminated array" },
	{ "a = [1] ]\n", 1, "a", "unexpected text" },
	{ "a = [ # c\n  'x' ] x\n", 2, "a", "unexpected text" },
};

static void
test_refused_documents(void **state)
{
	struct config_error err;
	struct config *cfg;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *t = &refusals[i];

		/* The NUL case needs its full length. */
		len = strlen(t->text);
		if (strncmp(t->text, "# c", 3) == 0)
			len = 10;
		memset(&err, 0, sizeof(err));
		cfg = config_parse(t->text, len, &err);
		if (cfg != NULL)
			fail_msg("accepted case %zu: %s", i, t->text);
		if (err.line != t->line || strcmp(err.key, t->key) != 0 ||
		    strstr(err.msg, t->msg) == NULL)
			fail_msg("case %zu: got %d \"%s\" \"%s\"; want %d "
			    "\"%s\" \"%s\"", i, err.line, err.key, err.msg,
			    t->line, t->key, t->msg);
	}
}

static char *
repeat(const char *head, char c, size_t n, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + n + tl + 1);

	assert_non_null(s);
	memcpy(s, head, hl);
	memset(s + hl, c, n);
	memcpy(s + hl + n, tail, tl + 1);
	return s;
}

static void
expect_bound(char *text, int ok, const char *msg)
{
	struct config_error err;
	struct config *cfg = config_parse(text, strlen(text), &err);

	if (ok) {
		if (cfg == NULL)
			fail_msg("refused: %s", err.msg);
	} else {
		assert_null(cfg);
		assert_non_null(strstr(err.msg, msg));
	}
	config_free(cfg);
	free(text);
}

static void
test_bounds(void **state)
{
	char *s, *p;
	size_t i;

	(void)state;
	/* Line of exactly 4096 bytes, then 4097. */
	expect_bound(repeat("a = '", 'x', 4096 - 6, "'\n"), 1, NULL);
	expect_bound(repeat("a = '", 'x', 4096 - 5, "'\n"), 0, "line longer");
	/* Escapes only shrink, so \u escapes filling a line decode fine. */
	s = malloc(4096);
	assert_non_null(s);
	p = s + sprintf(s, "a = \"");
	for (i = 0; i < 600; i++)
		p += sprintf(p, "\\u20AC");
	sprintf(p, "\"\n");
	expect_bound(s, 1, NULL);
	/* Key and table names of 64 bytes, then 65. */
	expect_bound(repeat("", 'k', 64, " = 1\n"), 1, NULL);
	expect_bound(repeat("", 'k', 65, " = 1\n"), 0, "key longer");
	expect_bound(repeat("[", 't', 65, "]\n"), 0, "table name longer");
	/* 256 array elements, then 257. */
	s = malloc(257 * 3 + 16);
	assert_non_null(s);
	p = s + sprintf(s, "a = [");
	for (i = 0; i < 256; i++)
		p += sprintf(p, "1,\n");
	sprintf(p, "]\n");
	expect_bound(s, 1, NULL);
	s = malloc(257 * 3 + 16);
	assert_non_null(s);
	p = s + sprintf(s, "a = [");
	for (i = 0; i < 257; i++)
		p += sprintf(p, "1,\n");
	sprintf(p, "]\n");
	expect_bound(s, 0, "array longer");
}

static void
test_key_and_file_limits(void **state)
{
	struct config_error err;
	char *s, *p;
	size_t i;

	(void)state;
	s = malloc(1025 * 16 + 1);
	assert_non_null(s);
	for (p = s, i = 0; i < 1024; i++)
		p += sprintf(p, "k%zu = 1\n", i);
	expect_bound(strdup(s), 1, NULL);
	sprintf(p, "k%zu = 1\n", i);
	assert_null(config_parse(s, strlen(s), &err));
	assert_int_equal(err.line, 1025);
	assert_non_null(strstr(err.msg, "more than 1024 keys"));
	free(s);
	s = calloc(1, CONFIG_FILE_MAX + 2);
	assert_non_null(s);
	memset(s, '\n', CONFIG_FILE_MAX);
	expect_bound(strdup(s), 1, NULL);
	s[CONFIG_FILE_MAX] = '\n';
	assert_null(config_parse(s, CONFIG_FILE_MAX + 1, &err));
	assert_non_null(strstr(err.msg, "file larger"));
	free(s);
}

static void
test_load(void **state)
{
	char path[] = "/tmp/test_config.XXXXXX";
	static const char text[] = "[mps]\nport = 40404\nbad = 1.0\n";
	struct config_error err;
	struct config *cfg;
	int fd;

	(void)state;
	assert_int_equal(config_load("/nonexistent/mps.toml", &cfg, &err),
	    MP_ERR_NOT_FOUND);
	assert_null(cfg);
	assert_int_equal(config_load("/tmp", &cfg, &err),
	    MP_ERR_INVALID_FORMAT);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, 19), 19);
	assert_int_equal(config_load(path, &cfg, &err), 0);
	assert_non_null(cfg);
	config_free(cfg);
	assert_int_equal(write(fd, text + 19, sizeof(text) - 20),
	    (ssize_t)sizeof(text) - 20);
	assert_int_equal(config_load(path, &cfg, &err),
	    MP_ERR_INVALID_FORMAT);
	assert_null(cfg);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.table, "mps");
	assert_string_equal(err.key, "bad");
	close(fd);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realistic_server_file),
		cmocka_unit_test(test_lookup_errors),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_iteration),
		cmocka_unit_test(test_refused_documents),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_key_and_file_limits),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

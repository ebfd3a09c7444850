/* test_client_hostkey.c: mp's known_hosts decisions: known, changed (the warning and what it names), unknown under ask, accept-new and strict, and the file it writes. */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/client.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/knownhosts.h"
#include "common/pubkey.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

static struct sig_key *key_a, *key_b;
static char fp_a[PUBKEY_FP_SIZE], fp_b[PUBKEY_FP_SIZE];

/* One check: its settings, captured messages and scripted answers. */
struct run {
	char dir[64];
	char path[128];
	struct hostkey_check hc;
	char *msg;
	size_t msg_len;
	const char *answers[4];
	size_t nanswers, asked;
	char question[2][1024];	/* the first and the last asked */
	int no_tty;
};

static int
script_ask(void *arg, const char *question, char *answer, size_t size)
{
	struct run *t = arg;

	snprintf(t->question[t->asked == 0 ? 0 : 1], sizeof(t->question[0]),
	    "%s", question);
	if (t->no_tty)
		return MP_ERR_NOT_FOUND;
	if (t->asked >= t->nanswers)
		return MP_ERR_INCOMPLETE;
	snprintf(answer, size, "%s", t->answers[t->asked++]);
	return 0;
}

static int
setup(void **state)
{
	(void)state;
	if (sig_generate(sig_by_name("ed25519"), &key_a) != 0 ||
	    sig_generate(sig_by_name("ed25519"), &key_b) != 0 ||
	    pubkey_fingerprint(key_a, fp_a) != 0 ||
	    pubkey_fingerprint(key_b, fp_b) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sig_free(key_a);
	sig_free(key_b);
	return 0;
}

/* A run for host:port in a fresh HOME whose ~/.mp does not exist yet. */
static void
run_init(struct run *t, const char *host, unsigned int port,
    enum mp_host_key_checking mode)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_client_hostkey.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	setenv("HOME", t->dir, 1);
	snprintf(t->path, sizeof(t->path), "%s/.mp/known_hosts", t->dir);
	t->hc.host = host;
	t->hc.port = port;
	t->hc.addr = "192.0.2.1";
	t->hc.path = t->path;
	t->hc.mode = mode;
	t->hc.ask = script_ask;
	t->hc.ask_arg = t;
}

/* hostkey_verify() with its messages captured in t->msg. */
static int
verify(struct run *t, const struct sig_key *key)
{
	int r;

	free(t->msg);
	t->msg = NULL;
	assert_non_null(t->hc.msg = open_memstream(&t->msg, &t->msg_len));
	r = hostkey_verify(&t->hc, key);
	fclose(t->hc.msg);
	t->hc.msg = NULL;
	return r;
}

static void
run_done(struct run *t)
{
	char cmd[256];

	free(t->msg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f;
	char dir[256];

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	(void)mkdir(dir, 0700);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The contents of path, or NULL if it does not exist. */
static char *
read_file(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f, *m;
	int c;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	assert_non_null(m = open_memstream(&text, &len));
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return text;
}

/* The known_hosts line the library makes for host, port and key. */
static char *
line_for(const char *host, unsigned int port, const struct sig_key *key)
{
	struct buf *b = buf_new(KNOWNHOSTS_LINE_MAX + 1);
	char *s;

	assert_non_null(b);
	assert_int_equal(knownhosts_add_line(b, host, port, key), 0);
	s = strndup((const char *)buf_ptr(b), buf_len(b));
	buf_free(b);
	return s;
}

static void
assert_mode(const char *path, unsigned int mode)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, mode);
}

static void
test_accept_new(void **state)
{
	struct run t;
	char *text, *want, dir[128];

	(void)state;
	run_init(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT,
	    MP_HKC_ACCEPT_NEW);
	umask(022);
	assert_int_equal(verify(&t, key_a), 0);
	assert_int_equal(t.hc.refused, 0);
	assert_int_equal(t.asked, 0);
	assert_non_null(strstr(t.msg, "Warning: Permanently added "
	    "'alpha.example' (ED25519) to the list of known hosts."));
	assert_mode(t.path, 0600);
	snprintf(dir, sizeof(dir), "%s/.mp", t.dir);
	assert_mode(dir, 0700);
	text = read_file(t.path);
	want = line_for("alpha.example", KNOWNHOSTS_DEFAULT_PORT, key_a);
	assert_string_equal(text, want);
	free(text);
	/* Now it is known: no message, no change. */
	assert_int_equal(verify(&t, key_a), 0);
	assert_string_equal(t.msg, "");
	text = read_file(t.path);
	assert_string_equal(text, want);
	free(text);
	free(want);
	run_done(&t);
}

static void
test_accept_new_port(void **state)
{
	struct run t;
	char *text, *want;

	(void)state;
	run_init(&t, "alpha.example", 2222, MP_HKC_ACCEPT_NEW);
	/* An existing file without a final newline keeps its last line. */
	write_file(t.path, "# mine");
	assert_int_equal(verify(&t, key_a), 0);
	assert_non_null(strstr(t.msg, "'[alpha.example]:2222' (ED25519)"));
	text = read_file(t.path);
	want = line_for("alpha.example", 2222, key_a);
	assert_true(strncmp(want, "[alpha.example]:2222 moshpit ", 29) == 0);
	assert_true(strncmp(text, "# mine\n", 7) == 0);
	assert_string_equal(text + 7, want);
	free(text);
	free(want);
	/* The default port is another name, still unknown. */
	t.hc.port = KNOWNHOSTS_DEFAULT_PORT;
	t.hc.mode = MP_HKC_STRICT;
	assert_true(verify(&t, key_a) < 0);
	run_done(&t);
}

static void
test_strict(void **state)
{
	struct run t;
	char *line;

	(void)state;
	run_init(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT, MP_HKC_STRICT);
	assert_int_equal(verify(&t, key_a), MP_ERR_NOT_FOUND);
	assert_int_equal(t.hc.refused, 1);
	assert_int_equal(t.asked, 0);
	assert_non_null(strstr(t.msg, "No ED25519 host key is known for "
	    "alpha.example and you have requested strict checking."));
	assert_null(read_file(t.path));
	/* A known key passes under strict checking. */
	line = line_for("alpha.example", KNOWNHOSTS_DEFAULT_PORT, key_a);
	write_file(t.path, line);
	free(line);
	assert_int_equal(verify(&t, key_a), 0);
	assert_int_equal(t.hc.refused, 0);
	assert_string_equal(t.msg, "");
	run_done(&t);
}

/* A file where the host has key_a on line 3; key_b arrives. */
static void
changed(struct run *t, const char *host, unsigned int port,
    enum mp_host_key_checking mode)
{
	char *line, *text, *before;

	run_init(t, host, port, mode);
	line = line_for(host, port, key_a);
	assert_true(asprintf(&text, "# known\nother.example %s%s",
	    strchr(line, ' ') + 1, line) > 0);
	write_file(t->path, text);
	assert_int_equal(verify(t, key_b), MP_ERR_SIGNATURE);
	assert_int_equal(t->hc.refused, 1);
	assert_int_equal(t->asked, 0);	/* never a question */
	assert_non_null(strstr(t->msg,
	    "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@"));
	assert_non_null(strstr(t->msg, "The fingerprint for the ED25519 key "
	    "sent by the remote host is\n"));
	assert_non_null(strstr(t->msg, fp_b));
	assert_null(strstr(t->msg, fp_a));
	before = read_file(t->path);
	assert_string_equal(before, text);	/* left alone */
	free(before);
	free(text);
	free(line);
}

static void
test_changed(void **state)
{
	struct run t;
	char want[256];

	(void)state;
	changed(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT, MP_HKC_ASK);
	snprintf(want, sizeof(want), "%s:3\n", t.path);
	assert_non_null(strstr(t.msg, want));
	assert_non_null(strstr(t.msg,
	    "  mp-keygen known-hosts remove alpha.example\n"));
	run_done(&t);

	/* accept-new does not accept a changed key either. */
	changed(&t, "alpha.example", 2222, MP_HKC_ACCEPT_NEW);
	assert_non_null(strstr(t.msg,
	    "  mp-keygen known-hosts remove alpha.example:2222\n"));
	run_done(&t);

	changed(&t, "::1", 2222, MP_HKC_STRICT);
	assert_non_null(strstr(t.msg,
	    "  mp-keygen known-hosts remove '[::1]:2222'\n"));
	run_done(&t);
}

static void
test_changed_other_file(void **state)
{
	struct run t;
	char want[256];

	(void)state;
	changed(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT, MP_HKC_ASK);
	setenv("HOME", "/nonexistent", 1);
	assert_int_equal(verify(&t, key_b), MP_ERR_SIGNATURE);
	snprintf(want, sizeof(want), "  mp-keygen known-hosts remove "
	    "alpha.example -f '%s'\n", t.path);
	assert_non_null(strstr(t.msg, want));
	run_done(&t);
}

static void
test_ask_yes(void **state)
{
	struct run t;
	char want[512], *text, *line;

	(void)state;
	run_init(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT, MP_HKC_ASK);
	t.answers[0] = "yes";
	t.nanswers = 1;
	assert_int_equal(verify(&t, key_a), 0);
	assert_int_equal(t.asked, 1);
	snprintf(want, sizeof(want), "The authenticity of host 'alpha.example "
	    "(192.0.2.1)' can't be established.\nED25519 key fingerprint is "
	    "%s.\nAre you sure you want to continue connecting (yes/no)? ",
	    fp_a);
	assert_string_equal(t.question[0], want);
	assert_non_null(strstr(t.msg, "Warning: Permanently added "
	    "'alpha.example' (ED25519) to the list of known hosts."));
	text = read_file(t.path);
	line = line_for("alpha.example", KNOWNHOSTS_DEFAULT_PORT, key_a);
	assert_string_equal(text, line);
	assert_mode(t.path, 0600);
	free(text);
	free(line);
	run_done(&t);
}

static void
test_ask_port(void **state)
{
	struct run t;

	(void)state;
	run_init(&t, "alpha.example", 2222, MP_HKC_ASK);
	t.answers[0] = "no";
	t.nanswers = 1;
	assert_int_equal(verify(&t, key_a), MP_ERR_NOT_FOUND);
	assert_non_null(strstr(t.question[0], "The authenticity of host "
	    "'[alpha.example]:2222 ([192.0.2.1]:2222)' can't be established."));
	assert_int_equal(t.hc.refused, 1);
	assert_null(read_file(t.path));
	run_done(&t);
}

static void
test_ask_fingerprint_and_retry(void **state)
{
	struct run t;

	(void)state;
	run_init(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT, MP_HKC_ASK);
	t.answers[0] = "maybe";
	t.answers[1] = fp_a;
	t.nanswers = 2;
	assert_int_equal(verify(&t, key_a), 0);
	assert_int_equal(t.asked, 2);
	assert_string_equal(t.question[1],
	    "Please type 'yes', 'no' or the fingerprint: ");
	run_done(&t);

	/* The wrong fingerprint is not a yes; no answer at all is a no. */
	run_init(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT, MP_HKC_ASK);
	t.answers[0] = fp_b;
	t.nanswers = 1;
	assert_int_equal(verify(&t, key_a), MP_ERR_NOT_FOUND);
	assert_int_equal(t.asked, 1);
	assert_null(read_file(t.path));
	run_done(&t);
}

static void
test_ask_no_terminal(void **state)
{
	struct run t;

	(void)state;
	run_init(&t, "alpha.example", KNOWNHOSTS_DEFAULT_PORT, MP_HKC_ASK);
	t.no_tty = 1;
	assert_int_equal(verify(&t, key_a), MP_ERR_NOT_FOUND);
	assert_int_equal(t.hc.refused, 1);
	assert_non_null(strstr(t.msg, "--host-key-checking accept-new"));
	assert_non_null(strstr(t.msg, t.path));
	assert_non_null(strstr(t.msg, fp_a));
	assert_null(read_file(t.path));
	run_done(&t);
}

static void
test_name(void **state)
{
	char name[300];

	(void)state;
	assert_int_equal(hostkey_name("h", 40404, name, sizeof(name)), 0);
	assert_string_equal(name, "h");
	assert_int_equal(hostkey_name("::1", 22, name, sizeof(name)), 0);
	assert_string_equal(name, "[::1]:22");
	assert_int_equal(hostkey_name("long-name", 22, name, 8),
	    MP_ERR_TOO_LARGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_new),
		cmocka_unit_test(test_accept_new_port),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_changed),
		cmocka_unit_test(test_changed_other_file),
		cmocka_unit_test(test_ask_yes),
		cmocka_unit_test(test_ask_port),
		cmocka_unit_test(test_ask_fingerprint_and_retry),
		cmocka_unit_test(test_ask_no_terminal),
		cmocka_unit_test(test_name),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_client_saved.c: mp's saved-session files: store and load, file and directory modes, refusal of open permissions, links and malformed text, and one path per destination and terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/client.h"
#include "common/err.h"
#include "regress/unittests/chan_fixture.h"
#include "regress/unittests/config_fixture.h"

#define TTY	"/dev/pts/7"
#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, cfx_teardown)

/* Hex for 8, 7 and 32 bytes; a saved file's text of id and secret. */
#define H8	"0123456789abcdef"
#define H7	"0123456789abcd"
#define H32	H8 H8 H8 H8
#define SAVED(id, secret)						\
	"moshpit-session-v1\nid " id "\nsecret " secret "\n"

/* Texts saved_parse() and saved_load() refuse, and why. */
static const char *const bad[] = {
	"moshpit-session-v2\nid " H32 "\nsecret " H32 "\n",	/* magic */
	"moshpit-session-v1 \nid " H32 "\nsecret " H32 "\n",
	SAVED(H32 "a", H32),			/* odd digit counts */
	SAVED(H32, H32 "a"),
	SAVED("0123456789ABCDEF" H8 H8 H8, H32),	/* upper case */
	SAVED(H32, H8 H8 H8 "0123456789abcdeF"),
	SAVED(H8 H8 H8 H7, H32),		/* id of 31, 33, 47, 49 bytes */
	SAVED(H32 "00", H32),
	SAVED(H32 H8 H7, H32),
	SAVED(H32 H8 H8 "00", H32),
	SAVED("", H32),
	SAVED(H32, H8 H8 H8 H7),		/* secret of 31, 33 bytes */
	SAVED(H32, H32 "00"),
	SAVED(H32, H32) "x",			/* trailing bytes */
	SAVED(H32, H32) "\n",
	"moshpit-session-v1\nid " H32 "\nsecret " H32,	/* no newline */
	"",					/* empty */
	"moshpit-session-v1\nsecret " H32 "\nid " H32 "\n",	/* order */
	"moshpit-session-v1\nid  " H32 "\nsecret " H32 "\n",
	"moshpit-session-v1\r\nid " H32 "\r\nsecret " H32 "\r\n",
};

static char user[32], host[300];
static struct mp_config cfg;

/* The destination alice@example.org, port 40404. */
static void
reset_cfg(void)
{
	memset(&cfg, 0, sizeof(cfg));
	snprintf(user, sizeof(user), "alice");
	snprintf(host, sizeof(host), "example.org");
	cfg.user = user;
	cfg.host = host;
	cfg.port = 40404;
}

static int
setup(void **state)
{
	reset_cfg();
	return cfx_setup(state);
}

/* cfg's file for TTY; valid until the next call. */
static const char *
path_of(void)
{
	static char path[512];

	assert_int_equal(saved_path(&cfg, TTY, path, sizeof(path)), 0);
	return path;
}

/* path's type and permissions, not following a link. */
static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode;
}

/* chfx_session_keys() stored in cfg's file for TTY. */
static void
store_session(void)
{
	struct hs_keys k;

	chfx_session_keys(&k);
	assert_int_equal(saved_store(path_of(), &k), 0);
}

/* Write len bytes of text to path with the given mode. */
static void
write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

/* saved_load(path) returns want and, unless 0, leaves s zeroed. */
static void
expect_load(const char *path, int want, struct saved_session *s)
{
	static const struct saved_session zero;

	memset(s, 0xa5, sizeof(*s));
	assert_int_equal(saved_load(path, s), want);
	if (want != 0)
		assert_memory_equal(s, &zero, sizeof(*s));
}

/* Store k, load it back: the same id and secret. */
static void
round_trip(const struct hs_keys *k)
{
	struct saved_session s;

	assert_int_equal(saved_store(path_of(), k), 0);
	expect_load(path_of(), 0, &s);
	assert_int_equal(s.id_len, k->session_id_len);
	assert_memory_equal(s.id, k->session_id, k->session_id_len);
	assert_memory_equal(s.secret, k->resume, sizeof(s.secret));
}

static void
test_round_trip(void **state)
{
	struct hs_keys k;
	size_t i;

	(void)state;
	chfx_session_keys(&k);
	round_trip(&k);
	/* A 48-byte id, every byte value; the new file replaces the old. */
	k.session_id_len = 48;
	for (i = 0; i < 48; i++)
		k.session_id[i] = (uint8_t)(i * 37 + 200);
	chfx_pattern(k.resume, sizeof(k.resume), 7);
	round_trip(&k);
}

static void
test_modes(void **state)
{
	char dir[600];
	mode_t old = umask(0);

	(void)state;
	store_session();
	umask(old);
	assert_int_equal(mode_of(path_of()), S_IFREG | 0600);
	snprintf(dir, sizeof(dir), "%s/.mp/sessions", cfx_home);
	assert_int_equal(mode_of(dir), S_IFDIR | 0700);
	snprintf(dir, sizeof(dir), "%s/.mp", cfx_home);
	assert_int_equal(mode_of(dir), S_IFDIR | 0700);
	/* No temporary file is left behind. */
	snprintf(dir, sizeof(dir), "%s.new", path_of());
	assert_int_equal(access(dir, F_OK), -1);
}

static void
test_open_permissions(void **state)
{
	static const mode_t refused[] = { 0640, 0604, 0620, 0602, 0610,
	    0601, 0644, 0666 };
	struct saved_session s;
	size_t i;

	(void)state;
	store_session();
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(chmod(path_of(), refused[i]), 0);
		expect_load(path_of(), MP_ERR_KEY_PERMISSIONS, &s);
	}
	assert_int_equal(chmod(path_of(), 0400), 0);
	expect_load(path_of(), 0, &s);
	/* Another user's file (only root can make one). */
	if (geteuid() == 0) {
		assert_int_equal(chown(path_of(), 1, (gid_t)-1), 0);
		expect_load(path_of(), MP_ERR_KEY_PERMISSIONS, &s);
	}
}

static void
test_links_and_missing(void **state)
{
	char link[512];
	struct saved_session s;
	struct hs_keys k;

	(void)state;
	snprintf(link, sizeof(link), "%s/.mp/sessions/link", cfx_home);
	expect_load(path_of(), MP_ERR_NOT_FOUND, &s);
	store_session();
	assert_int_equal(symlink(path_of(), link), 0);
	expect_load(link, MP_ERR_SYSTEM, &s);
	/* Storing at a link replaces the link, not the file it names. */
	memset(&k, 0, sizeof(k));
	k.session_id_len = 48;
	assert_int_equal(saved_store(link, &k), 0);
	assert_int_equal(mode_of(link), S_IFREG | 0600);
	expect_load(path_of(), 0, &s);
	assert_int_equal(s.id_len, 32);
	saved_remove(path_of());
	expect_load(path_of(), MP_ERR_NOT_FOUND, &s);
	saved_remove(path_of());
}

/* text, as a string and as a file (len bytes), is refused. */
static void
expect_refused(const char *text, size_t len)
{
	struct saved_session s;

	memset(&s, 0, sizeof(s));
	assert_int_equal(saved_parse(text, &s), MP_ERR_INVALID_FORMAT);
	write_file(path_of(), text, len, 0600);
	expect_load(path_of(), MP_ERR_INVALID_FORMAT, &s);
}

static void
test_malformed(void **state)
{
	struct saved_session s;
	char big[1200];
	size_t i;

	(void)state;
	store_session();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(bad[i], strlen(bad[i]));
	/* Larger than 1024 bytes: valid text then blanks. */
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, SAVED(H32, H32), strlen(SAVED(H32, H32)));
	expect_refused(big, strlen(big));
	/* Valid text, then a NUL and more, short or over 1024 bytes: the
	 * file is refused although its text up to the NUL parses. */
	big[strlen(SAVED(H32, H32))] = '\0';
	write_file(path_of(), big, strlen(SAVED(H32, H32)) + 10, 0600);
	expect_load(path_of(), MP_ERR_INVALID_FORMAT, &s);
	write_file(path_of(), big, sizeof(big), 0600);
	expect_load(path_of(), MP_ERR_INVALID_FORMAT, &s);
}

static void
test_parse_good(void **state)
{
	static const char text48[] = SAVED(H32 H8 H8, H8 H8 H8 H7 "ff");
	struct saved_session s;

	(void)state;
	store_session();
	memset(&s, 0, sizeof(s));
	assert_int_equal(saved_parse(SAVED(H32, H32), &s), 0);
	assert_int_equal(s.id_len, 32);
	assert_int_equal(s.id[0], 0x01);
	assert_int_equal(s.id[31], 0xef);
	assert_int_equal(s.secret[7], 0xef);
	write_file(path_of(), text48, strlen(text48), 0600);
	expect_load(path_of(), 0, &s);
	assert_int_equal(s.id_len, 48);
	assert_int_equal(s.id[47], 0xef);
	assert_int_equal(s.secret[31], 0xff);
}

/* saved_path() for cfg and tty, which must be HOME/.mp/sessions/name. */
static void
expect_path(const char *tty, const char *name)
{
	char got[512], want[512];

	assert_int_equal(saved_path(&cfg, tty, got, sizeof(got)), 0);
	snprintf(want, sizeof(want), "%s/.mp/sessions/%s", cfx_home, name);
	assert_string_equal(got, want);
}

static void
test_path_escaped(void **state)
{
	char out[512];

	(void)state;
	expect_path(TTY, "alice@example.org_40404_pts%2F7");
	snprintf(user, sizeof(user), "r@o t/../x");
	snprintf(host, sizeof(host), "[::1]%%eth0;$(id)");
	cfg.port = 22;
	expect_path(TTY, "r%40o%20t%2F..%2Fx@%5B%3A%3A1%5D%25eth0%3B%24%28id%29"
	    "_22_pts%2F7");
	expect_path("../../tmp/tty",
	    "r%40o%20t%2F..%2Fx@%5B%3A%3A1%5D%25eth0%3B%24%28id%29_22_"
	    "..%2F..%2Ftmp%2Ftty");
	/* Names that only differ in escaped characters stay apart. */
	reset_cfg();
	snprintf(user, sizeof(user), "a_b");
	snprintf(host, sizeof(host), "c");
	expect_path(TTY, "a%5Fb@c_40404_pts%2F7");
	snprintf(user, sizeof(user), "a");
	snprintf(host, sizeof(host), "b_c");
	expect_path(TTY, "a@b%5Fc_40404_pts%2F7");
	/* A name longer than a file name may be is refused, not cut. */
	memset(host, 'h', 250);
	host[250] = '\0';
	assert_int_equal(saved_path(&cfg, TTY, out, sizeof(out)),
	    MP_ERR_TOO_LARGE);
}

static void
test_path_differs(void **state)
{
	char a[512], b[512];
	int i;

	(void)state;
	assert_int_equal(saved_path(&cfg, TTY, a, sizeof(a)), 0);
	for (i = 0; i < 4; i++) {
		reset_cfg();
		if (i == 0)
			snprintf(user, sizeof(user), "bob");
		else if (i == 1)
			snprintf(host, sizeof(host), "example.net");
		else if (i == 2)
			cfg.port = 40405;
		assert_int_equal(saved_path(&cfg, i == 3 ? "/dev/pts/8" : TTY,
		    b, sizeof(b)), 0);
		assert_string_not_equal(a, b);
	}
}

static void
test_path_refused(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(saved_path(&cfg, NULL, out, sizeof(out)),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(saved_path(&cfg, TTY, out, strlen(cfx_home) + 10),
	    MP_ERR_TOO_LARGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_round_trip),
		TEST(test_modes),
		TEST(test_open_permissions),
		TEST(test_links_and_missing),
		TEST(test_malformed),
		TEST(test_parse_good),
		TEST(test_path_escaped),
		TEST(test_path_differs),
		TEST(test_path_refused),
	};

	return cmocka_run_group_tests_name("client_saved", tests, NULL, NULL);
}

/* test_authfile.c: unit tests of authorized_keys path expansion and of reading it with StrictModes checks, in a temporary home. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "monitor/authfile.h"

#define KEYS	"mp-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@test\n"

struct tree {
	char		home[PATH_MAX];		/* canonical */
	char		dir[PATH_MAX];		/* home/.mp */
	char		file[PATH_MAX];		/* its authorized_keys */
	char		name[64];
	struct passwd	pw;
};

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void
tree_paths(struct tree *t)
{
	assert_true((size_t)snprintf(t->dir, sizeof(t->dir), "%s/.mp",
	    t->home) < sizeof(t->dir));
	assert_true((size_t)snprintf(t->file, sizeof(t->file),
	    "%s/authorized_keys", t->dir) < sizeof(t->file));
}

static int
setup(void **state)
{
	struct tree *t;
	char tmpl[] = "/tmp/mp-authfile-XXXXXX";
	const struct passwd *me;

	if ((t = calloc(1, sizeof(*t))) == NULL || mkdtemp(tmpl) == NULL ||
	    realpath(tmpl, t->home) == NULL)
		return -1;
	tree_paths(t);
	if (mkdir(t->dir, 0700) != 0)
		return -1;
	write_file(t->file, KEYS, 0600);
	me = getpwuid(getuid());
	(void)snprintf(t->name, sizeof(t->name), "%s",
	    me != NULL ? me->pw_name : "tester");
	t->pw.pw_name = t->name;
	t->pw.pw_uid = getuid();
	t->pw.pw_gid = getgid();
	t->pw.pw_dir = t->home;
	t->pw.pw_shell = (char *)"/bin/sh";
	*state = t;
	return 0;
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int
teardown(void **state)
{
	struct tree *t = *state;
	int r;

	(void)chmod(t->home, 0700);
	r = nftw(t->home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return r;
}

/* authfile_read that must fail with err and the why "<prefix><path>". */
static void
assert_refused(const struct tree *t, const char *path, int strict, int err,
    const char *prefix, const char *subject)
{
	char why[512], want[PATH_MAX + 64];
	char *text = (char *)"unchanged";
	size_t len = 1;

	assert_int_equal(authfile_read(path, &t->pw, strict, &text, &len, why,
	    sizeof(why)), err);
	assert_null(text);
	assert_int_equal(len, 0);
	(void)snprintf(want, sizeof(want), "%s%s", prefix, subject);
	assert_string_equal(why, want);
}

static void
assert_reads(const struct tree *t, const char *path, int strict,
    const char *expect)
{
	char why[512];
	char *text = NULL;
	size_t len = 0;

	assert_int_equal(authfile_read(path, &t->pw, strict, &text, &len, why,
	    sizeof(why)), 0);
	assert_non_null(text);
	assert_int_equal(len, strlen(expect));
	assert_memory_equal(text, expect, len);
	assert_int_equal(text[len], '\0');
	free(text);
}

static void
test_expand(void **state)
{
	struct passwd pw;
	char out[64];

	(void)state;
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = (char *)"alice";
	pw.pw_dir = (char *)"/home/alice";
	assert_int_equal(authfile_expand("%h/.mp/authorized_keys", &pw, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "/home/alice/.mp/authorized_keys");
	assert_int_equal(authfile_expand(".mp/keys_%u", &pw, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "/home/alice/.mp/keys_alice");
	assert_int_equal(authfile_expand("/etc/mp/%u%%x", &pw, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "/etc/mp/alice%x");
	assert_int_equal(authfile_expand("%h/%x", &pw, out, sizeof(out)),
	    MP_ERR_INVALID_FORMAT);
	assert_string_equal(out, "");
	assert_int_equal(authfile_expand("/a%", &pw, out, sizeof(out)),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(authfile_expand("", &pw, out, sizeof(out)),
	    MP_ERR_INVALID_ARGUMENT);
	pw.pw_dir = (char *)"/";
	assert_int_equal(authfile_expand("k", &pw, out, sizeof(out)), 0);
	assert_string_equal(out, "/k");
	pw.pw_dir = (char *)"relative";
	assert_int_equal(authfile_expand("k", &pw, out, sizeof(out)),
	    MP_ERR_INVALID_ARGUMENT);
}

static void
test_expand_bounds(void **state)
{
	struct passwd pw;
	char out[16];

	(void)state;
	memset(&pw, 0, sizeof(pw));
	pw.pw_name = (char *)"alice";
	pw.pw_dir = (char *)"/home/alice";
	/* 15 characters fit, 16 do not (NUL). */
	assert_int_equal(authfile_expand("/home/alice/abc", &pw, out,
	    sizeof(out)), 0);
	assert_int_equal(authfile_expand("/home/alice/abcd", &pw, out,
	    sizeof(out)), MP_ERR_TOO_LARGE);
	assert_int_equal(authfile_expand("%h/abcd", &pw, out, sizeof(out)),
	    MP_ERR_TOO_LARGE);
	assert_int_equal(authfile_expand("abc", &pw, out, sizeof(out)), 0);
	assert_string_equal(out, "/home/alice/abc");
	assert_int_equal(authfile_expand("abcd", &pw, out, sizeof(out)),
	    MP_ERR_TOO_LARGE);
	assert_string_equal(out, "");
}

static void
test_read_good(void **state)
{
	struct tree *t = *state;

	assert_reads(t, t->file, 1, KEYS);
	write_file(t->file, "", 0600);
	assert_reads(t, t->file, 1, "");
}

static void
test_file_group_writable(void **state)
{
	struct tree *t = *state;

	assert_int_equal(chmod(t->file, 0620), 0);
	assert_refused(t, t->file, 1, MP_ERR_KEY_PERMISSIONS,
	    "bad ownership or modes for file ", t->file);
	assert_int_equal(chmod(t->file, 0602), 0);
	assert_refused(t, t->file, 1, MP_ERR_KEY_PERMISSIONS,
	    "bad ownership or modes for file ", t->file);
}

static void
test_dir_group_writable(void **state)
{
	struct tree *t = *state;

	assert_int_equal(chmod(t->dir, 0770), 0);
	assert_refused(t, t->file, 1, MP_ERR_KEY_PERMISSIONS,
	    "bad ownership or modes for directory ", t->dir);
	assert_int_equal(chmod(t->dir, 0700), 0);
	assert_int_equal(chmod(t->home, 0707), 0);
	assert_refused(t, t->file, 1, MP_ERR_KEY_PERMISSIONS,
	    "bad ownership or modes for directory ", t->home);
	assert_int_equal(chmod(t->home, 0700), 0);
	assert_reads(t, t->file, 1, KEYS);
}

static void
test_symlink(void **state)
{
	struct tree *t = *state;
	char link[PATH_MAX];

	assert_true((size_t)snprintf(link, sizeof(link), "%s/link", t->dir) <
	    sizeof(link));
	assert_int_equal(symlink(t->file, link), 0);
	assert_refused(t, link, 1, MP_ERR_KEY_PERMISSIONS,
	    "refusing symbolic link ", link);
	assert_refused(t, link, 0, MP_ERR_KEY_PERMISSIONS,
	    "refusing symbolic link ", link);
}

static void
test_missing(void **state)
{
	struct tree *t = *state;
	char path[PATH_MAX];

	assert_true((size_t)snprintf(path, sizeof(path), "%s/none",
	    t->dir) < sizeof(path));
	assert_refused(t, path, 1, MP_ERR_NOT_FOUND, "no such file", "");
	assert_true((size_t)snprintf(path, sizeof(path), "%s/none/keys",
	    t->home) < sizeof(path));
	assert_refused(t, path, 0, MP_ERR_NOT_FOUND, "no such file", "");
}

static void
test_not_strict(void **state)
{
	struct tree *t = *state;

	assert_int_equal(chmod(t->file, 0666), 0);
	assert_int_equal(chmod(t->dir, 0777), 0);
	assert_reads(t, t->file, 0, KEYS);
	assert_int_equal(chmod(t->dir, 0700), 0);
}

static void
test_not_regular(void **state)
{
	struct tree *t = *state;
	char fifo[PATH_MAX];

	/* A FIFO must neither block the open nor be read: if it blocks,
	 * SIGALRM ends the test binary. */
	assert_true((size_t)snprintf(fifo, sizeof(fifo), "%s/fifo", t->dir) <
	    sizeof(fifo));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	assert_refused(t, fifo, 0, MP_ERR_KEY_PERMISSIONS, fifo,
	    " is not a regular file");
	alarm(0);
	assert_refused(t, t->dir, 0, MP_ERR_KEY_PERMISSIONS, t->dir,
	    " is not a regular file");
}

static void
test_size_limit(void **state)
{
	struct tree *t = *state;
	char *text = NULL, why[512];
	size_t len = 0;

	assert_int_equal(truncate(t->file, AUTHFILE_MAX_SIZE), 0);
	assert_int_equal(authfile_read(t->file, &t->pw, 1, &text, &len, why,
	    sizeof(why)), 0);
	assert_int_equal(len, AUTHFILE_MAX_SIZE);
	assert_memory_equal(text, KEYS, strlen(KEYS));
	free(text);
	assert_int_equal(truncate(t->file, AUTHFILE_MAX_SIZE + 1), 0);
	assert_int_equal(authfile_read(t->file, &t->pw, 1, &text, &len, why,
	    sizeof(why)), MP_ERR_TOO_LARGE);
	assert_null(text);
	assert_non_null(strstr(why, "is larger than"));
}

/* Root only: the checks see the owner, and the read is done as the user. */
static void
chown_tree(const struct tree *t, uid_t uid, gid_t gid)
{
	assert_int_equal(chown(t->home, uid, gid), 0);
	assert_int_equal(chown(t->dir, uid, gid), 0);
	assert_int_equal(chown(t->file, uid, gid), 0);
}

static void
assert_ids_restored(const gid_t *groups, int ngroups)
{
	gid_t now[64];

	assert_int_equal(geteuid(), 0);
	assert_int_equal(getegid(), 0);
	assert_int_equal(getgroups(64, now), ngroups);
	if (ngroups > 0)
		assert_memory_equal(now, groups,
		    (size_t)ngroups * sizeof(gid_t));
}

static void
test_root_reads_as_user(void **state)
{
	struct tree *t = *state;
	const struct passwd *nobody;
	char secret[PATH_MAX], denied[PATH_MAX + 32];
	gid_t groups[64];
	int ngroups;

	if (geteuid() != 0 || (nobody = getpwnam("nobody")) == NULL) {
		printf("SKIPPED: needs root and a user \"nobody\"\n");
		skip();
		return;
	}
	assert_true((ngroups = getgroups(64, groups)) >= 0);
	t->pw.pw_name = (char *)"nobody";
	t->pw.pw_uid = nobody->pw_uid;
	t->pw.pw_gid = nobody->pw_gid;
	chown_tree(t, nobody->pw_uid, nobody->pw_gid);
	assert_reads(t, t->file, 1, KEYS);
	assert_ids_restored(groups, ngroups);
	/* Root could read this one; nobody cannot. */
	assert_true((size_t)snprintf(secret, sizeof(secret), "%s/secret",
	    t->dir) < sizeof(secret));
	write_file(secret, KEYS, 0600);
	assert_int_equal(chown(secret, 0, 0), 0);
	(void)snprintf(denied, sizeof(denied), "%s: %s", secret,
	    strerror(EACCES));
	assert_refused(t, secret, 1, MP_ERR_SYSTEM, "cannot open ", denied);
	assert_ids_restored(groups, ngroups);
	/* Owned by a third user: refused, even though readable. */
	assert_int_equal(chmod(secret, 0644), 0);
	assert_int_equal(chown(secret, 1, 1), 0);
	assert_refused(t, secret, 1, MP_ERR_KEY_PERMISSIONS,
	    "bad ownership or modes for file ", secret);
	assert_int_equal(chown(t->dir, 1, 1), 0);
	assert_int_equal(chmod(t->dir, 0755), 0);
	assert_refused(t, t->file, 1, MP_ERR_KEY_PERMISSIONS,
	    "bad ownership or modes for directory ", t->dir);
	assert_ids_restored(groups, ngroups);
	chown_tree(t, 0, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_bounds),
		cmocka_unit_test_setup_teardown(test_read_good, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_group_writable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dir_group_writable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_strict, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_regular, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_size_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_root_reads_as_user, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

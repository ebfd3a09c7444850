/* test_pam.c: unit tests of the monitor's PAM transaction against service files in a temporary confdir. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
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
#include "monitor/pam.h"

#define ALL_PERMIT \
	"auth required pam_permit.so\n" \
	"account required pam_permit.so\n" \
	"password required pam_permit.so\n" \
	"session required pam_permit.so\n"

struct pamdir {
	char	dir[PATH_MAX];
	char	user[64];
	int	nfiles;
};

static struct pamdir pd;
static char files[16][PATH_MAX];

static void
add_file(const char *name, const char *text)
{
	char *path;
	int fd;

	assert_true(pd.nfiles < 16);
	path = files[pd.nfiles++];
	assert_true((size_t)snprintf(path, PATH_MAX, "%s/%s", pd.dir, name) <
	    PATH_MAX);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

/* A service whose session adds MPTEST_VAR from an env file via pam_env. */
static void
add_env_service(void)
{
	char svc[2 * PATH_MAX + 256];

	add_file("pam_env.conf", "");
	add_file("environment", "MPTEST_VAR=from-pam\n");
	assert_true((size_t)snprintf(svc, sizeof(svc),
	    "auth required pam_permit.so\n"
	    "account required pam_permit.so\n"
	    "session required pam_permit.so\n"
	    "session required pam_env.so readenv=1 user_readenv=0 "
	    "conffile=%s/pam_env.conf envfile=%s/environment\n",
	    pd.dir, pd.dir) < sizeof(svc));
	add_file("mp-env", svc);
}

static int
setup(void **state)
{
	const struct passwd *me;
	char tmpl[] = "/tmp/mp-pam-XXXXXX";

	(void)state;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	memcpy(pd.dir, tmpl, sizeof(tmpl));
	/* PAM modules look the user up: use the caller's own name. */
	if ((me = getpwuid(getuid())) == NULL)
		return -1;
	(void)snprintf(pd.user, sizeof(pd.user), "%s", me->pw_name);
	add_file("mp-permit", ALL_PERMIT);
	add_file("mp-deny",
	    "auth required pam_permit.so\n"
	    "account required pam_deny.so\n"
	    "session required pam_permit.so\n");
	add_file("mp-nosession",
	    "auth required pam_permit.so\n"
	    "account required pam_permit.so\n"
	    "session required pam_deny.so\n");
	add_file("mp-echo",
	    "auth required pam_permit.so\n"
	    "account optional pam_echo.so Hello %u\n"
	    "account optional pam_echo.so Welcome\n"
	    "account required pam_deny.so\n"
	    "session optional pam_echo.so Motd\n"
	    "session required pam_permit.so\n");
	add_file("mp-expired", "account required pam_stress.so expired\n");
	add_file("other", "account required pam_deny.so\n");
	add_env_service();
	return 0;
}

static int
teardown(void **state)
{
	int i, r = 0;

	(void)state;
	for (i = 0; i < pd.nfiles; i++)
		r |= unlink(files[i]);
	return r | rmdir(pd.dir);
}

static struct mpam *
start(const char *service)
{
	struct mpam *p = NULL;
	char why[512];

	assert_int_equal(mpam_start(service, pd.dir, pd.user, "192.0.2.7",
	    &p, why, sizeof(why)), 0);
	assert_non_null(p);
	return p;
}

static void
assert_env_list(char **env)
{
	size_t i;

	assert_non_null(env);
	for (i = 0; i < 256 && env[i] != NULL; i++)
		assert_non_null(strchr(env[i], '='));
	assert_true(i < 256);
}

static void
test_permit(void **state)
{
	struct mpam *p;
	char why[512], **env;

	(void)state;
	p = start("mp-permit");
	assert_int_equal(mpam_account(p, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(mpam_set_tty(p, "/dev/pts/99"), 0);
	assert_int_equal(mpam_open_session(p, why, sizeof(why)), 0);
	assert_string_equal(mpam_messages(p), "");
	env = mpam_getenv(p);
	assert_env_list(env);
	mpam_env_free(env);
	/* Opening twice is a caller's bug. */
	assert_int_equal(mpam_open_session(p, why, sizeof(why)),
	    MP_ERR_INVALID_ARGUMENT);
	mpam_end(p);
	mpam_end(NULL);
}

static void
test_account_denied(void **state)
{
	struct mpam *p;
	char why[512];

	(void)state;
	p = start("mp-deny");
	assert_int_equal(mpam_account(p, why, sizeof(why)), MP_ERR_AUTH);
	assert_true(strncmp(why, "pam_acct_mgmt: ", 15) == 0);
	assert_true(strlen(why) > 15);
	mpam_end(p);
	/* A service without a file falls back to "other", which denies. */
	p = start("mp-no-such-service");
	assert_int_equal(mpam_account(p, why, sizeof(why)), MP_ERR_AUTH);
	assert_true(why[0] != '\0');
	mpam_end(p);
}

/* Key authentication cannot change an expired password: a refusal. */
static void
test_expired(void **state)
{
	struct mpam *p;
	char why[512];

	(void)state;
	p = start("mp-expired");
	assert_int_equal(mpam_account(p, why, sizeof(why)), MP_ERR_AUTH);
	assert_true(strncmp(why, "pam_acct_mgmt: password expired; change it "
	    "by other means", 56) == 0);
	mpam_end(p);
}

static void
test_session_denied(void **state)
{
	struct mpam *p;
	char why[512];

	(void)state;
	p = start("mp-nosession");
	assert_int_equal(mpam_account(p, why, sizeof(why)), 0);
	assert_int_equal(mpam_open_session(p, why, sizeof(why)), MP_ERR_AUTH);
	assert_true(strncmp(why, "pam_open_session: ", 18) == 0);
	mpam_end(p);
}

static void
test_env(void **state)
{
	struct mpam *p;
	char why[512], **env;
	size_t i;
	int found = 0;

	(void)state;
	p = start("mp-env");
	assert_int_equal(mpam_account(p, why, sizeof(why)), 0);
	assert_int_equal(mpam_open_session(p, why, sizeof(why)), 0);
	env = mpam_getenv(p);
	assert_env_list(env);
	for (i = 0; env[i] != NULL; i++)
		found += strcmp(env[i], "MPTEST_VAR=from-pam") == 0;
	assert_int_equal(found, 1);
	mpam_env_free(env);
	mpam_end(p);
}

/* Informational messages are collected for the log, per call. */
static void
test_messages(void **state)
{
	struct mpam *p;
	char why[512], want[256];

	(void)state;
	p = start("mp-echo");
	assert_int_equal(mpam_account(p, why, sizeof(why)), MP_ERR_AUTH);
	(void)snprintf(want, sizeof(want), "Hello %s; Welcome", pd.user);
	assert_string_equal(mpam_messages(p), want);
	assert_non_null(strstr(why, want));
	assert_true(strncmp(why, "pam_acct_mgmt: ", 15) == 0);
	assert_int_equal(mpam_open_session(p, why, sizeof(why)), 0);
	assert_string_equal(mpam_messages(p), "Motd");
	mpam_end(p);
}

static void
test_bad_arguments(void **state)
{
	struct mpam *p = (struct mpam *)&p;
	char why[64];

	(void)state;
	assert_int_equal(mpam_start("mp-permit", pd.dir, "", NULL, &p, why,
	    sizeof(why)), MP_ERR_INVALID_ARGUMENT);
	assert_null(p);
	assert_int_equal(mpam_start(NULL, pd.dir, pd.user, NULL, &p, why,
	    sizeof(why)), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(mpam_account(NULL, why, sizeof(why)),
	    MP_ERR_INVALID_ARGUMENT);
	assert_null(mpam_getenv(NULL));
	mpam_env_free(NULL);
	/* A tiny why buffer is truncated, not overrun. */
	p = start("mp-deny");
	assert_int_equal(mpam_account(p, why, 8), MP_ERR_AUTH);
	assert_int_equal(strlen(why), 7);
	mpam_end(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permit),
		cmocka_unit_test(test_account_denied),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_session_denied),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_sessenv.c: unit tests of the login session environment: defaults, accept_env, denylist, PAM overrides, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/sessenv.h"

#define CONN	"192.0.2.7 50123 198.51.100.1 22"

static const struct sessenv_user alice = {
	"alice", "/home/alice", "/bin/bash", 1000
};
static const struct sessenv_user root = { "root", "/root", "/bin/sh", 0 };

/* Number of entries of envp whose name is name. */
static size_t
count(const struct sessenv *env, const char *name)
{
	char *const *p;
	size_t n = 0, len = strlen(name);

	for (p = sessenv_envp(env); *p != NULL; p++)
		if (strncmp(*p, name, len) == 0 && (*p)[len] == '=')
			n++;
	return n;
}

static void
test_defaults(void **state)
{
	struct sessenv env;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	assert_string_equal(sessenv_get(&env, "USER"), "alice");
	assert_string_equal(sessenv_get(&env, "LOGNAME"), "alice");
	assert_string_equal(sessenv_get(&env, "HOME"), "/home/alice");
	assert_string_equal(sessenv_get(&env, "SHELL"), "/bin/bash");
	assert_string_equal(sessenv_get(&env, "TERM"), "xterm-256color");
	assert_string_equal(sessenv_get(&env, "MAIL"), "/var/mail/alice");
	assert_string_equal(sessenv_get(&env, "MP_CONNECTION"), CONN);
	assert_null(sessenv_get(&env, "LANG"));
	assert_int_equal(env.n, 8);
	assert_null(sessenv_envp(&env)[env.n]);
	sessenv_free(&env);
	assert_int_equal(sessenv_init(&env, &alice, "vt100", "/opt/bin",
	    CONN), 0);
	assert_string_equal(sessenv_get(&env, "TERM"), "vt100");
	assert_string_equal(sessenv_get(&env, "PATH"), "/opt/bin");
	sessenv_free(&env);
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, NULL),
	    MP_ERR_INVALID_ARGUMENT);
	assert_null(env.env);
}

static void
test_path_by_uid(void **state)
{
	struct sessenv env;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	assert_string_equal(sessenv_get(&env, "PATH"), SESSENV_PATH_USER);
	sessenv_free(&env);
	assert_int_equal(sessenv_init(&env, &root, NULL, NULL, CONN), 0);
	assert_string_equal(sessenv_get(&env, "PATH"), SESSENV_PATH_ROOT);
	assert_non_null(strstr(sessenv_get(&env, "PATH"), "/usr/sbin"));
	sessenv_free(&env);
}

static void
test_accept_env(void **state)
{
	static const char *const names[] = {
		"LANG", "LC_ALL", "LC_TIME", "TZ", "EDITOR", "LCX", "9LC_A",
		"lang"
	};
	static const char *const values[] = {
		"C.UTF-8", "fr_FR.UTF-8", "de_DE", "UTC", "vi", "x", "y", "z"
	};
	static const char *const pats[] = { "EDIT?R" };
	struct sessenv env;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	assert_int_equal(sessenv_accept_client(&env, names, values, 8,
	    NULL, 0), 0);
	assert_string_equal(sessenv_get(&env, "LANG"), "C.UTF-8");
	assert_string_equal(sessenv_get(&env, "LC_ALL"), "fr_FR.UTF-8");
	assert_string_equal(sessenv_get(&env, "LC_TIME"), "de_DE");
	assert_string_equal(sessenv_get(&env, "TZ"), "UTC");
	assert_null(sessenv_get(&env, "EDITOR"));
	assert_null(sessenv_get(&env, "LCX"));
	assert_int_equal(count(&env, "9LC_A"), 0);
	/* Case matters, as in sshd's AcceptEnv. */
	assert_null(sessenv_get(&env, "lang"));
	assert_int_equal(sessenv_accept_client(&env, names, values, 7,
	    pats, 1), 0);
	assert_string_equal(sessenv_get(&env, "EDITOR"), "vi");
	assert_int_equal(env.n, 8 + 5);
	sessenv_free(&env);
}

static void
test_denylist(void **state)
{
	static const char *const names[] = {
		"PATH", "LD_PRELOAD", "HOME", "BASH_ENV", "USER", "LOGNAME",
		"SHELL", "MAIL", "MP_CONNECTION", "IFS", "ENV", "LD_LIBRARY_PATH",
		"ld_preload", "TERM", "LANG"
	};
	static const char *const values[] = {
		"/tmp/evil", "/tmp/evil.so", "/tmp", "/tmp/rc", "root", "root",
		"/tmp/sh", "/tmp/m", "x", "/", "/tmp/rc", "/tmp", "/tmp/e.so",
		"evil", "C"
	};
	static const char *const all[] = { "*" };
	struct sessenv env;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	assert_int_equal(sessenv_accept_client(&env, names, values, 15,
	    all, 1), 0);
	assert_string_equal(sessenv_get(&env, "PATH"), SESSENV_PATH_USER);
	assert_string_equal(sessenv_get(&env, "HOME"), "/home/alice");
	assert_string_equal(sessenv_get(&env, "USER"), "alice");
	assert_string_equal(sessenv_get(&env, "TERM"), "xterm-256color");
	assert_string_equal(sessenv_get(&env, "MP_CONNECTION"), CONN);
	assert_null(sessenv_get(&env, "LD_PRELOAD"));
	assert_null(sessenv_get(&env, "ld_preload"));
	assert_null(sessenv_get(&env, "LD_LIBRARY_PATH"));
	assert_null(sessenv_get(&env, "BASH_ENV"));
	assert_null(sessenv_get(&env, "IFS"));
	assert_null(sessenv_get(&env, "ENV"));
	assert_string_equal(sessenv_get(&env, "LANG"), "C");
	assert_int_equal(env.n, 9);
	sessenv_free(&env);
}

static void
test_pam_override(void **state)
{
	static const char *const cn[] = { "LANG" };
	static const char *const cv[] = { "C" };
	static const char *const pam[] = {
		"LANG=en_US.UTF-8", "PATH=/pam/bin", "KRB5CCNAME=FILE:/tmp/k",
		"EMPTY="
	};
	static const char *const keys[] = { "PATH=/keys/bin" };
	struct sessenv env;
	size_t n;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	assert_int_equal(sessenv_accept_client(&env, cn, cv, 1, NULL, 0), 0);
	n = env.n;
	assert_int_equal(sessenv_merge(&env, pam, 4), 0);
	assert_int_equal(env.n, n + 2);
	assert_string_equal(sessenv_get(&env, "LANG"), "en_US.UTF-8");
	assert_string_equal(sessenv_get(&env, "PATH"), "/pam/bin");
	assert_string_equal(sessenv_get(&env, "KRB5CCNAME"), "FILE:/tmp/k");
	assert_string_equal(sessenv_get(&env, "EMPTY"), "");
	assert_int_equal(sessenv_merge(&env, keys, 1), 0);
	assert_string_equal(sessenv_get(&env, "PATH"), "/keys/bin");
	assert_int_equal(count(&env, "PATH"), 1);
	assert_int_equal(count(&env, "LANG"), 1);
	assert_int_equal(env.n, n + 2);
	sessenv_free(&env);
}

static void
test_replacement(void **state)
{
	static const char *const a[] = { "X=1", "X=2", "XY=3", "X=4" };
	struct sessenv env;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	assert_int_equal(sessenv_merge(&env, a, 4), 0);
	assert_int_equal(count(&env, "X"), 1);
	assert_string_equal(sessenv_get(&env, "X"), "4");
	assert_string_equal(sessenv_get(&env, "XY"), "3");
	assert_int_equal(env.n, 10);
	sessenv_free(&env);
}

static void
test_limits(void **state)
{
	static char big[SESSENV_MAX_BYTES];
	struct sessenv env;
	const char *one[1];
	char buf[32];
	size_t i;
	int r = 0;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	for (i = 0; r == 0 && i < SESSENV_MAX_ENTRIES * 2; i++) {
		snprintf(buf, sizeof(buf), "V%zu=x", i);
		one[0] = buf;
		r = sessenv_merge(&env, one, 1);
	}
	assert_int_equal(r, MP_ERR_LIMIT);
	assert_int_equal(env.n, SESSENV_MAX_ENTRIES);
	assert_null(sessenv_envp(&env)[SESSENV_MAX_ENTRIES]);
	/* Replacing an existing name still works when full. */
	one[0] = "V0=y";
	assert_int_equal(sessenv_merge(&env, one, 1), 0);
	assert_string_equal(sessenv_get(&env, "V0"), "y");
	sessenv_free(&env);

	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	memcpy(big, "BIG=", 4);
	memset(big + 4, 'a', sizeof(big) - 5);
	one[0] = big;
	assert_int_equal(sessenv_merge(&env, one, 1), MP_ERR_LIMIT);
	big[sizeof(big) / 2] = '\0';
	assert_int_equal(sessenv_merge(&env, one, 1), 0);
	assert_int_equal(sessenv_merge(&env, one, 1), 0);
	one[0] = big + 1;
	big[1] = 'J';
	assert_int_equal(sessenv_merge(&env, one, 1), MP_ERR_LIMIT);
	assert_true(env.bytes <= SESSENV_MAX_BYTES);
	assert_int_equal(env.n, 9);
	sessenv_free(&env);
}

static void
test_invalid_names(void **state)
{
	static const char *const bad[] = {
		"=x", "1A=x", "A-B=x", "A B=x", "NOEQUALS", "É=x", "A.B=x"
	};
	const char *one[1];
	struct sessenv env;
	size_t i;

	(void)state;
	assert_int_equal(sessenv_init(&env, &alice, NULL, NULL, CONN), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		one[0] = bad[i];
		assert_int_equal(sessenv_merge(&env, one, 1),
		    MP_ERR_INVALID_FORMAT);
	}
	one[0] = "_ok9=a=b";
	assert_int_equal(sessenv_merge(&env, one, 1), 0);
	assert_string_equal(sessenv_get(&env, "_ok9"), "a=b");
	assert_null(sessenv_get(&env, "A-B"));
	assert_int_equal(env.n, 9);
	sessenv_free(&env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_path_by_uid),
		cmocka_unit_test(test_accept_env),
		cmocka_unit_test(test_denylist),
		cmocka_unit_test(test_pam_override),
		cmocka_unit_test(test_replacement),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_invalid_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

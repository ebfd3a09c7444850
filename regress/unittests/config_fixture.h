/* config_fixture.h: the configuration tests' fixture: a fresh HOME per test, files written under it, argv built from a list, expected messages and captured stdout. */
#ifndef MP_CONFIG_FIXTURE_H
#define MP_CONFIG_FIXTURE_H

#define CFX_ARGS_MAX	32	/* arguments after the program name */

/* The test's HOME: /tmp/PROGRAM.XXXXXX. */
extern char cfx_home[64];

/* cmocka setup: make a fresh cfx_home and point HOME at it. */
int cfx_setup(void **state);

/* cmocka teardown: remove cfx_home and everything below it. */
int cfx_teardown(void **state);

/* A test run in a fresh HOME. */
#define CFX_TEST(f)							\
	cmocka_unit_test_setup_teardown(f, cfx_setup, cfx_teardown)

/* Write text to HOME/name, making its directories (0755); the path, valid
 * until the next call. */
const char *cfx_write(const char *name, const char *text);

/* Fill argv (CFX_ARGS_MAX + 2 slots) with copies of prog and the
 * NULL-terminated args (args may be NULL); argc. */
int cfx_argv(char **argv, const char *prog, const char *const *args);

/* Free what cfx_argv() copied. */
void cfx_argv_free(char **argv, int argc);

/* env as the environment to load from: an empty one when NULL. */
char *const *cfx_env(const char *const *env);

/* Assert that got is exactly want, "%s" in want standing for path. */
void cfx_assert_msg(const char *got, const char *want, const char *path);

/* Send stdout to the file path (created or truncated); the saved stdout
 * for cfx_stdout_restore(). */
int cfx_stdout_to(const char *path);

/* Flush stdout and put back the one cfx_stdout_to() saved. */
void cfx_stdout_restore(int saved);

#endif

/* config_fixture.c: the configuration tests' fixture: a fresh HOME per test, files written under it, argv built from a list, expected messages and captured stdout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "regress/unittests/config_fixture.h"

char cfx_home[64];

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

int
cfx_setup(void **state)
{
	(void)state;
	snprintf(cfx_home, sizeof(cfx_home), "/tmp/%s.XXXXXX",
	    program_invocation_short_name);
	if (mkdtemp(cfx_home) == NULL || setenv("HOME", cfx_home, 1) != 0)
		return -1;
	return 0;
}

int
cfx_teardown(void **state)
{
	(void)state;
	return nftw(cfx_home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
cfx_write(const char *name, const char *text)
{
	static char path[256];
	char *slash;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", cfx_home, name);
	for (slash = strchr(path + strlen(cfx_home) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(path, 0755);
		*slash = '/';
	}
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return path;
}

int
cfx_argv(char **argv, const char *prog, const char *const *args)
{
	int argc = 0;

	argv[argc++] = strdup(prog);
	for (; args != NULL && *args != NULL && argc <= CFX_ARGS_MAX; args++)
		argv[argc++] = strdup(*args);
	argv[argc] = NULL;
	return argc;
}

void
cfx_argv_free(char **argv, int argc)
{
	while (argc > 0)
		free(argv[--argc]);
}

char *const *
cfx_env(const char *const *env)
{
	static char *const none[] = { NULL };

	return env != NULL ? (char *const *)env : none;
}

void
cfx_assert_msg(const char *got, const char *want, const char *path)
{
	const char *at = strstr(want, "%s");
	char buf[600];

	if (at != NULL && path != NULL)
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - want), want,
		    path, at + 2);
	else
		snprintf(buf, sizeof(buf), "%s", want);
	assert_string_equal(got, buf);
}

int
cfx_stdout_to(const char *path)
{
	int fd, saved;

	fflush(stdout);
	assert_true((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0);
	assert_true((saved = dup(1)) != -1);
	dup2(fd, 1);
	close(fd);
	return saved;
}

void
cfx_stdout_restore(int saved)
{
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
}

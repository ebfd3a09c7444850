/* test_sandbox.c: unit tests of the net child's sandbox, each scenario in a forked child. */
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* ASan's runtime and a kill-by-default filter do not mix (see asan_skip). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

typedef int (*child_fn)(void *);

/* Runs fn in a child that exits with fn's result; returns the wait status. */
static int
run_child(child_fn fn, void *arg)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(arg));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void
assert_exit_ok(int status)
{
	if (WIFSIGNALED(status))
		fail_msg("child killed by signal %d", WTERMSIG(status));
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("child failed its check #%d", WEXITSTATUS(status));
}

static void
assert_killed_by_sigsys(int status)
{
	if (WIFEXITED(status))
		fail_msg("child exited %d instead of dying", WEXITSTATUS(status));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static int
asan_skip(void)
{
	if (!UNDER_ASAN)
		return 0;
	printf("SKIPPED under AddressSanitizer: its runtime makes syscalls "
	    "the seccomp filter forbids; the normal build runs this test\n");
	skip();
	return 1;
}

static int
apply(void)
{
	struct sandbox_fds fds = { -1, -1 };

	return sandbox_seccomp_apply(&fds, 0);
}

static int
child_allowed(void *arg)
{
	int p[2], fd;
	char c = 0;
	uint8_t rnd[16];
	struct timespec ts;
	void *m;

	(void)arg;
	if (pipe(p) != 0 || apply() != 0)
		return 1;
	if (write(p[1], "x", 1) != 1 || read(p[0], &c, 1) != 1 || c != 'x')
		return 2;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return 3;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 ||
	    syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts) != 0)
		return 4;
	fd = open("/etc/passwd", O_RDONLY);
	if (fd != -1 || errno != EACCES)
		return 5;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m, 4096, PROT_READ) != 0)
		return 6;
	free(malloc(1 << 20));
	if (close(p[0]) != 0 || getpid() <= 0)
		return 7;
	return 0;
}

static void
test_allowed_syscalls(void **state)
{
	(void)state;
	if (asan_skip())
		return;
	assert_exit_ok(run_child(child_allowed, NULL));
}

static int
child_socket(void *arg)
{
	(void)arg;
	if (apply() != 0)
		return 1;
	(void)socket(AF_INET, SOCK_STREAM, 0);
	return 2;
}

static int
child_execve(void *arg)
{
	char *const argv[] = { (char *)"true", NULL };

	(void)arg;
	if (apply() != 0)
		return 1;
	(void)execve("/bin/true", argv, NULL);
	return 2;
}

static int
child_mmap_exec(void *arg)
{
	(void)arg;
	if (apply() != 0)
		return 1;
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return 2;
}

static int
child_mprotect_exec(void *arg)
{
	void *m;

	(void)arg;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || apply() != 0)
		return 1;
	(void)mprotect(m, 4096, PROT_READ | PROT_EXEC);
	return 2;
}

static int
child_ptrace(void *arg)
{
	(void)arg;
	if (apply() != 0)
		return 1;
	(void)syscall(SYS_ptrace, 0, 0, 0, 0);
	return 2;
}

static void
test_forbidden_kill(void **state)
{
	(void)state;
	if (asan_skip())
		return;
	assert_killed_by_sigsys(run_child(child_socket, NULL));
	assert_killed_by_sigsys(run_child(child_execve, NULL));
	assert_killed_by_sigsys(run_child(child_mmap_exec, NULL));
	assert_killed_by_sigsys(run_child(child_mprotect_exec, NULL));
	assert_killed_by_sigsys(run_child(child_ptrace, NULL));
}

/* Reads the "Name:\tvalue" line of /proc/self/status from an open fd. */
static int
status_field(int fd, const char *name, char *out, size_t outlen)
{
	static char text[8192];
	ssize_t n;
	char *p, *end;
	size_t len = strlen(name);

	n = read(fd, text, sizeof(text) - 1);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, len) == 0 && p[len] == ':') {
			p += len + 1;
			p += strspn(p, " \t");
			end = strchr(p, '\n');
			len = end != NULL ? (size_t)(end - p) : strlen(p);
			if (len >= outlen)
				return -1;
			memcpy(out, p, len);
			out[len] = '\0';
			return 0;
		}
	}
	return -1;
}

static int
child_status(void *arg)
{
	int fd1, fd2;
	char v[64];

	(void)arg;
	/* Opened before, read after: /proc text is produced at read time. */
	fd1 = open("/proc/self/status", O_RDONLY);
	fd2 = open("/proc/self/status", O_RDONLY);
	if (fd1 < 0 || fd2 < 0 || apply() != 0)
		return 1;
	if (status_field(fd1, "NoNewPrivs", v, sizeof(v)) != 0 ||
	    strcmp(v, "1") != 0)
		return 2;
	if (status_field(fd2, "Seccomp", v, sizeof(v)) != 0 ||
	    strcmp(v, "2") != 0)
		return 3;
	return 0;
}

static void
test_status_nnp_seccomp(void **state)
{
	(void)state;
	if (asan_skip())
		return;
	assert_exit_ok(run_child(child_status, NULL));
}

static int
child_debug(void *arg)
{
	int *p = arg;
	struct sandbox_fds fds = { -1, p[1] };

	if (sandbox_seccomp_apply(&fds, 1) != 0)
		return 1;
	(void)socket(AF_INET, SOCK_STREAM, 0);
	return 2;
}

static void
test_debug_reports(void **state)
{
	int p[2], status;
	char buf[128], want[64];
	ssize_t n;

	(void)state;
	if (asan_skip())
		return;
	assert_int_equal(pipe(p), 0);
	status = run_child(child_debug, p);
	close(p[1]);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), SANDBOX_DEBUG_EXIT);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(n > SANDBOX_REPORT_HDR);
	buf[n] = '\0';
	/* One log record: its length covers the level byte and the text. */
	assert_int_equal(((unsigned char)buf[0] << 8 | (unsigned char)buf[1]),
	    n - SANDBOX_REPORT_HDR + 1);
	snprintf(want, sizeof(want), "sandbox: forbidden syscall %d",
	    (int)SYS_socket);
	assert_string_equal(buf + SANDBOX_REPORT_HDR, want);
}

static void
test_debug_needs_fd(void **state)
{
	struct sandbox_fds fds = { -1, -1 };

	(void)state;
	assert_int_equal(sandbox_seccomp_apply(&fds, 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(sandbox_seccomp_apply(NULL, 0),
	    MP_ERR_INVALID_ARGUMENT);
}

static int
child_caps(void *arg)
{
	int fd[3];
	char v[64];
	int i;

	(void)arg;
	for (i = 0; i < 3; i++)
		if ((fd[i] = open("/proc/self/status", O_RDONLY)) < 0)
			return 1;
	if (sandbox_caps_drop() != 0)
		return 2;
	if (status_field(fd[0], "CapEff", v, sizeof(v)) != 0 ||
	    strtoull(v, NULL, 16) != 0)
		return 3;
	if (status_field(fd[1], "CapPrm", v, sizeof(v)) != 0 ||
	    strtoull(v, NULL, 16) != 0)
		return 4;
	if (status_field(fd[2], "CapBnd", v, sizeof(v)) != 0)
		return 5;
	if (geteuid() == 0 && strtoull(v, NULL, 16) != 0)
		return 6;
	return 0;
}

static void
test_caps_dropped(void **state)
{
	(void)state;
	if (geteuid() != 0)
		printf("not root: CapBnd cannot be emptied, only checked "
		    "for CapEff/CapPrm\n");
	assert_exit_ok(run_child(child_caps, NULL));
}

static int
child_limits(void *arg)
{
	struct rlimit rl;
	int dedicated = *(int *)arg;

	if (sandbox_limits_apply(10, dedicated) != 0)
		return 1;
	if (getrlimit(RLIMIT_CORE, &rl) != 0 || rl.rlim_cur != 0 ||
	    rl.rlim_max != 0)
		return 2;
	if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_max != 0)
		return 3;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max != 11)
		return 4;
	if (!dedicated)
		return 0;
	if (getrlimit(RLIMIT_NPROC, &rl) != 0 || rl.rlim_max != 0)
		return 5;
	/* Once a non-root uid, the process cannot fork. */
	if (sandbox_drop_to(65534, 65534, NULL) != 0)
		return 6;
	if (fork() != -1 || errno != EAGAIN)
		return 7;
	return 0;
}

static void
test_limits(void **state)
{
	int dedicated = 0;

	(void)state;
	assert_exit_ok(run_child(child_limits, &dedicated));
	if (geteuid() != 0)
		return;
	dedicated = 1;
	assert_exit_ok(run_child(child_limits, &dedicated));
	assert_int_equal(sandbox_limits_apply(-1, 0), MP_ERR_INVALID_ARGUMENT);
}

static int
child_nonroot(void *arg)
{
	(void)arg;
	if (geteuid() == 0 && (setgroups(0, NULL) != 0 ||
	    setresgid(65534, 65534, 65534) != 0 ||
	    setresuid(65534, 65534, 65534) != 0))
		return 1;
	if (sandbox_drop_to(getuid(), getgid(), NULL) != 0)
		return 2;
	if (sandbox_drop_to(0, 0, NULL) != MP_ERR_INVALID_ARGUMENT)
		return 3;
	if (sandbox_drop_to(getuid(), getgid(), "/") !=
	    MP_ERR_INVALID_ARGUMENT)
		return 4;
	return 0;
}

static void
test_drop_nonroot(void **state)
{
	(void)state;
	assert_exit_ok(run_child(child_nonroot, NULL));
}

struct root_arg {
	const char	*dir;
	struct stat	 st;
};

static int
child_root(void *arg)
{
	struct root_arg *ra = arg;
	struct stat st;
	uid_t u[3];
	gid_t g[3];

	if (sandbox_drop_to(65534, 65534, ra->dir) != 0)
		return 1;
	if (setuid(0) != -1 || setgid(0) != -1)
		return 2;
	if (getresuid(&u[0], &u[1], &u[2]) != 0 ||
	    u[0] != 65534 || u[1] != 65534 || u[2] != 65534)
		return 3;
	if (getresgid(&g[0], &g[1], &g[2]) != 0 ||
	    g[0] != 65534 || g[1] != 65534 || g[2] != 65534)
		return 4;
	if (stat("/", &st) != 0 || st.st_ino != ra->st.st_ino ||
	    st.st_dev != ra->st.st_dev)
		return 5;
	return 0;
}

static int
child_root_bad(void *arg)
{
	struct root_arg *ra = arg;

	if (sandbox_drop_to(0, 65534, NULL) != MP_ERR_INVALID_ARGUMENT)
		return 1;
	if (chmod(ra->dir, 0777) != 0)
		return 2;
	if (sandbox_drop_to(65534, 65534, ra->dir) != MP_ERR_INVALID_ARGUMENT)
		return 3;
	if (getuid() != 0)
		return 4;
	return 0;
}

static void
test_drop_root(void **state)
{
	char dir[] = "/tmp/test_sandbox.XXXXXX";
	struct root_arg ra;

	(void)state;
	if (geteuid() != 0) {
		printf("not root: chroot and uid drop not exercised\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	ra.dir = dir;
	assert_int_equal(stat(dir, &ra.st), 0);
	assert_exit_ok(run_child(child_root, &ra));
	assert_exit_ok(run_child(child_root_bad, &ra));
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_syscalls),
		cmocka_unit_test(test_forbidden_kill),
		cmocka_unit_test(test_status_nnp_seccomp),
		cmocka_unit_test(test_debug_reports),
		cmocka_unit_test(test_debug_needs_fd),
		cmocka_unit_test(test_caps_dropped),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_drop_nonroot),
		cmocka_unit_test(test_drop_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_utmp.c: unit tests of utmp/wtmp login and logout records, in temporary files and (as root) the system's utmp. */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>
#include <cmocka.h>

#include "common/err.h"
#include "monitor/utmp.h"

struct files {
	char	dir[64];
	char	utmp[128];
	char	wtmp[128];
};

static struct files tf;

static void
create_empty(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(close(fd), 0);
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/mp-utmp-XXXXXX";

	(void)state;
	if (mkdtemp(tmpl) == NULL)
		return -1;
	memcpy(tf.dir, tmpl, sizeof(tmpl));
	(void)snprintf(tf.utmp, sizeof(tf.utmp), "%s/utmp", tf.dir);
	(void)snprintf(tf.wtmp, sizeof(tf.wtmp), "%s/wtmp", tf.dir);
	create_empty(tf.utmp);
	create_empty(tf.wtmp);
	return mutmp_set_files(tf.utmp, tf.wtmp);
}

static int
teardown(void **state)
{
	(void)state;
	(void)unlink(tf.utmp);
	(void)unlink(tf.wtmp);
	return mutmp_set_files(NULL, NULL) | rmdir(tf.dir);
}

/* The utmp entry with this id, in file, whatever its type. */
static int
find_id(const char *file, const char *id, struct utmpx *out)
{
	struct utmpx key, *u;

	memset(&key, 0, sizeof(key));
	key.ut_type = DEAD_PROCESS;
	strncpy(key.ut_id, id, sizeof(key.ut_id));
	assert_int_equal(utmpxname(file), 0);
	setutxent();
	u = getutxid(&key);
	if (u != NULL)
		*out = *u;
	endutxent();
	return u != NULL;
}

/* Record i of the wtmp file. */
static void
wtmp_record(size_t i, struct utmpx *out)
{
	int fd = open(tf.wtmp, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, out, sizeof(*out),
	    (off_t)(i * sizeof(*out))), (ssize_t)sizeof(*out));
	assert_int_equal(close(fd), 0);
}

static void
assert_login_record(const struct utmpx *u, pid_t pid)
{
	struct in_addr a;

	assert_int_equal(u->ut_type, USER_PROCESS);
	assert_int_equal(u->ut_pid, pid);
	assert_string_equal(u->ut_line, "pts/77");
	assert_memory_equal(u->ut_id, "77\0\0", 4);
	assert_string_equal(u->ut_user, "alice");
	assert_string_equal(u->ut_host, "192.0.2.7");
	assert_int_equal(inet_pton(AF_INET, "192.0.2.7", &a), 1);
	assert_memory_equal(&u->ut_addr_v6[0], &a, 4);
	assert_int_equal(u->ut_addr_v6[1], 0);
	assert_true(u->ut_tv.tv_sec > 0);
}

static void
test_login_logout(void **state)
{
	struct sockaddr_in sin;
	struct utmpx u;
	struct stat st;
	pid_t pid = getpid();

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.7", &sin.sin_addr), 1);
	assert_int_equal(mutmp_login("/dev/pts/77", "alice", "192.0.2.7",
	    pid, (struct sockaddr *)&sin), 0);
	assert_true(find_id(tf.utmp, "77", &u));
	assert_login_record(&u, pid);
	wtmp_record(0, &u);
	assert_login_record(&u, pid);
	assert_int_equal(mutmp_logout("/dev/pts/77", pid), 0);
	assert_true(find_id(tf.utmp, "77", &u));
	assert_int_equal(u.ut_type, DEAD_PROCESS);
	assert_string_equal(u.ut_line, "pts/77");
	assert_string_equal(u.ut_user, "");
	wtmp_record(1, &u);
	assert_int_equal(u.ut_type, DEAD_PROCESS);
	assert_int_equal(u.ut_pid, pid);
	/* The entry was replaced, not added; wtmp grew by two records. */
	assert_int_equal(stat(tf.utmp, &st), 0);
	assert_int_equal(st.st_size, sizeof(struct utmpx));
	assert_int_equal(stat(tf.wtmp, &st), 0);
	assert_int_equal(st.st_size, 2 * sizeof(struct utmpx));
}

static void
test_ipv6_and_long_names(void **state)
{
	struct sockaddr_in6 sin6;
	struct utmpx u;
	char host[400];
	pid_t pid = getpid();

	(void)state;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::5", &sin6.sin6_addr),
	    1);
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	assert_int_equal(mutmp_login("pts/mptest12345", "bob", host, pid,
	    (struct sockaddr *)&sin6), 0);
	assert_true(find_id(tf.utmp, "2345", &u));
	assert_memory_equal(u.ut_line, "pts/mptest12345", 16);
	assert_memory_equal(u.ut_addr_v6, &sin6.sin6_addr, 16);
	assert_memory_equal(u.ut_host, host, sizeof(u.ut_host));
	assert_int_equal(mutmp_logout("pts/mptest12345", pid), 0);
	/* A line longer than ut_line is refused, not truncated. */
	memset(host, 'p', 40);
	host[40] = '\0';
	assert_int_equal(mutmp_login(host, "bob", "h", pid, NULL),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(mutmp_login("", "bob", "h", pid, NULL),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(mutmp_login("pts/1", "", "h", pid, NULL),
	    MP_ERR_INVALID_ARGUMENT);
}

static void
test_missing_files(void **state)
{
	(void)state;
	assert_int_equal(unlink(tf.utmp), 0);
	errno = 0;
	assert_int_equal(mutmp_login("pts/78", "alice", "h", getpid(), NULL),
	    MP_ERR_SYSTEM);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(tf.utmp, F_OK), -1);
	assert_int_equal(unlink(tf.wtmp), 0);
	assert_int_equal(mutmp_logout("pts/78", getpid()), MP_ERR_SYSTEM);
	create_empty(tf.utmp);
	create_empty(tf.wtmp);
}

/* The system's utmp (wtmp stays the temporary one, so that no history is
 * added): no crash; as root, the record really appears. */
static void
test_system_utmp(void **state)
{
	struct utmpx key, *u;
	char line[32];
	int r, found = 0;

	(void)state;
	assert_int_equal(mutmp_set_files(NULL, tf.wtmp), 0);
	(void)snprintf(line, sizeof(line), "pts/mptest%ld", (long)getpid());
	r = mutmp_login(line, "mptest", "127.0.0.1", getpid(), NULL);
	assert_true(r == 0 || r == MP_ERR_SYSTEM);
	if (geteuid() == 0 && access(_PATH_UTMP, W_OK) == 0) {
		assert_int_equal(r, 0);
		memset(&key, 0, sizeof(key));
		strncpy(key.ut_line, line, sizeof(key.ut_line));
		assert_int_equal(utmpxname(_PATH_UTMP), 0);
		setutxent();
		if ((u = getutxline(&key)) != NULL)
			found = u->ut_type == USER_PROCESS &&
			    strcmp(u->ut_user, "mptest") == 0;
		endutxent();
		assert_true(found);
	}
	r = mutmp_logout(line, getpid());
	assert_true(r == 0 || r == MP_ERR_SYSTEM);
	if (geteuid() == 0 && access(_PATH_UTMP, W_OK) == 0) {
		assert_int_equal(r, 0);
		assert_int_equal(utmpxname(_PATH_UTMP), 0);
		setutxent();
		/* getutxline only finds live entries. */
		assert_null(getutxline(&key));
		endutxent();
	} else {
		printf("SKIPPED part: needs root and an existing %s\n",
		    _PATH_UTMP);
	}
	assert_int_equal(mutmp_set_files(tf.utmp, tf.wtmp), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_logout),
		cmocka_unit_test(test_ipv6_and_long_names),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_system_utmp),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

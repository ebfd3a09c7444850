/* utmp.c: login and logout records of a session in utmp (pututxline) and wtmp (appended, errors reported). */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

#include "common/err.h"
#include "monitor/utmp.h"

static char utmp_path[PATH_MAX] = _PATH_UTMP;
static char wtmp_path[PATH_MAX] = _PATH_WTMP;

/* Copy src into a fixed-size, NUL-padded utmp field, truncating. */
static void
set_field(char *dst, size_t dst_len, const char *src)
{
	size_t n = strlen(src);

	memset(dst, 0, dst_len);
	memcpy(dst, src, n < dst_len ? n : dst_len);
}

/* ut_line, and ut_id: the pts number as login(1), else the last 4 chars. */
static int
set_line(struct utmpx *ut, const char *tty_name)
{
	const char *line = tty_name, *id;
	size_t n;

	if (strncmp(line, "/dev/", 5) == 0)
		line += 5;
	if ((n = strlen(line)) == 0 || n > sizeof(ut->ut_line))
		return MP_ERR_INVALID_ARGUMENT;
	set_field(ut->ut_line, sizeof(ut->ut_line), line);
	if (strncmp(line, "pts/", 4) == 0 && n > 4 &&
	    n - 4 <= sizeof(ut->ut_id))
		id = line + 4;
	else if (n > sizeof(ut->ut_id))
		id = line + n - sizeof(ut->ut_id);
	else
		id = line;
	set_field(ut->ut_id, sizeof(ut->ut_id), id);
	return 0;
}

static void
set_addr(struct utmpx *ut, const struct sockaddr *sa)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;

	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		memcpy(&ut->ut_addr_v6[0], &sin->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			memcpy(&ut->ut_addr_v6[0],
			    &sin6->sin6_addr.s6_addr[12], 4);
		else
			memcpy(ut->ut_addr_v6, &sin6->sin6_addr, 16);
	}
}

static int
write_utmp(const struct utmpx *ut)
{
	int r = 0, saved;

	if (utmpxname(utmp_path) != 0)
		return MP_ERR_SYSTEM;
	setutxent();
	errno = 0;
	if (pututxline(ut) == NULL) {
		r = MP_ERR_SYSTEM;
		if (errno == 0)
			errno = EIO;
	}
	saved = errno;
	endutxent();
	errno = saved;
	return r;
}

/* Append one record; a partial write is cut off again. */
static int
append_wtmp(const struct utmpx *ut)
{
	struct stat st;
	ssize_t n;
	int fd, saved, r = 0;

	fd = open(wtmp_path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NOCTTY |
	    O_CLOEXEC);
	if (fd == -1)
		return MP_ERR_SYSTEM;
	if (fstat(fd, &st) != 0)
		r = MP_ERR_SYSTEM;
	else if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		r = MP_ERR_SYSTEM;
	} else if ((n = write(fd, ut, sizeof(*ut))) != (ssize_t)sizeof(*ut)) {
		if (n >= 0)
			errno = ENOSPC;
		r = MP_ERR_SYSTEM;
		saved = errno;
		if (n > 0 && ftruncate(fd, st.st_size) != 0) {
			/* Nothing better to do; the first error is reported. */
		}
		errno = saved;
	}
	saved = errno;
	(void)close(fd);
	errno = saved;
	return r;
}

static int
record(short type, const char *tty_name, const char *user, const char *host,
    pid_t pid, const struct sockaddr *addr)
{
	struct utmpx ut;
	struct timeval tv;
	int r, r2, saved;

	if (tty_name == NULL || pid <= 0)
		return MP_ERR_INVALID_ARGUMENT;
	memset(&ut, 0, sizeof(ut));
	if ((r = set_line(&ut, tty_name)) != 0)
		return r;
	ut.ut_type = type;
	ut.ut_pid = pid;
	ut.ut_session = pid;
	set_field(ut.ut_user, sizeof(ut.ut_user), user);
	set_field(ut.ut_host, sizeof(ut.ut_host), host);
	set_addr(&ut, addr);
	if (gettimeofday(&tv, NULL) != 0)
		return MP_ERR_SYSTEM;
	ut.ut_tv.tv_sec = tv.tv_sec;
	ut.ut_tv.tv_usec = tv.tv_usec;
	r = write_utmp(&ut);
	saved = errno;
	r2 = append_wtmp(&ut);
	if (r != 0) {
		errno = saved;
		return r;
	}
	return r2;
}

int
mutmp_login(const char *tty_name, const char *user, const char *host,
    pid_t pid, const struct sockaddr *addr)
{
	if (user == NULL || *user == '\0')
		return MP_ERR_INVALID_ARGUMENT;
	return record(USER_PROCESS, tty_name, user, host == NULL ? "" : host,
	    pid, addr);
}

int
mutmp_logout(const char *tty_name, pid_t pid)
{
	return record(DEAD_PROCESS, tty_name, "", "", pid, NULL);
}

static int
set_path(char *dst, size_t dst_len, const char *path, const char *dflt)
{
	if (path == NULL)
		path = dflt;
	if (strlen(path) >= dst_len)
		return MP_ERR_TOO_LARGE;
	memcpy(dst, path, strlen(path) + 1);
	return 0;
}

int
mutmp_set_files(const char *utmp, const char *wtmp)
{
	char u[PATH_MAX], w[PATH_MAX];
	int r;

	if ((r = set_path(u, sizeof(u), utmp, _PATH_UTMP)) != 0 ||
	    (r = set_path(w, sizeof(w), wtmp, _PATH_WTMP)) != 0)
		return r;
	memcpy(utmp_path, u, sizeof(u));
	memcpy(wtmp_path, w, sizeof(w));
	return 0;
}

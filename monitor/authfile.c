/* authfile.c: expanding the authorized_keys path and reading the file as its user, with sshd-like StrictModes checks. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "monitor/authfile.h"

/* The effective ids and groups of a root process reading as a user. */
struct saved_ids {
	uid_t	 euid;
	gid_t	 egid;
	gid_t	*groups;
	int	 ngroups;
};

/* Append len bytes of s at out + *n, keeping room for the NUL. */
static int
append(char *out, size_t out_len, size_t *n, const char *s, size_t len)
{
	if (len >= out_len - *n)
		return MP_ERR_TOO_LARGE;
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return 0;
}

/* The text for the % sequence at p[1], or NULL. */
static const char *
token(const char *p, const struct passwd *pw)
{
	switch (p[1]) {
	case 'h':
		return pw->pw_dir == NULL ? "" : pw->pw_dir;
	case 'u':
		return pw->pw_name == NULL ? "" : pw->pw_name;
	case '%':
		return "%";
	}
	return NULL;
}

/* Put home and a '/' in front of the n bytes of the relative path out. */
static int
prepend_home(char *out, size_t out_len, size_t n, const char *home)
{
	size_t hl = home == NULL ? 0 : strlen(home), sl;

	if (hl == 0 || home[0] != '/')
		return MP_ERR_INVALID_ARGUMENT;
	sl = home[hl - 1] == '/' ? 0 : 1;
	if (hl + sl + n >= out_len)
		return MP_ERR_TOO_LARGE;
	memmove(out + hl + sl, out, n + 1);
	memcpy(out, home, hl);
	if (sl)
		out[hl] = '/';
	return 0;
}

static int
expand(const char *pattern, const struct passwd *pw, char *out,
    size_t out_len)
{
	const char *p, *s;
	size_t n = 0;
	int r;

	out[0] = '\0';
	for (p = pattern; *p != '\0'; p++) {
		if (*p != '%')
			r = append(out, out_len, &n, p, 1);
		else if ((s = token(p++, pw)) == NULL)
			return MP_ERR_INVALID_FORMAT;
		else
			r = append(out, out_len, &n, s, strlen(s));
		if (r != 0)
			return r;
	}
	if (out[0] != '/')
		return prepend_home(out, out_len, n, pw->pw_dir);
	return 0;
}

int
authfile_expand(const char *pattern, const struct passwd *pw, char *out,
    size_t out_len)
{
	int r;

	if (out == NULL || out_len == 0)
		return MP_ERR_INVALID_ARGUMENT;
	if (pattern == NULL || *pattern == '\0' || pw == NULL) {
		out[0] = '\0';
		return MP_ERR_INVALID_ARGUMENT;
	}
	if ((r = expand(pattern, pw, out, out_len)) != 0)
		out[0] = '\0';
	return r;
}

/* Back to the saved ids; MP_ERR_INTERNAL if any step fails. */
static int
restore_ids(struct saved_ids *s, char *why, size_t why_len)
{
	int ok;

	ok = seteuid(s->euid) == 0 && setegid(s->egid) == 0 &&
	    setgroups((size_t)s->ngroups, s->groups) == 0 &&
	    geteuid() == s->euid && getegid() == s->egid;
	if (!ok)
		mp_why(why, why_len, "cannot restore privileges: %s",
		    strerror(errno));
	free(s->groups);
	s->groups = NULL;
	return ok ? 0 : MP_ERR_INTERNAL;
}

static int
save_ids(struct saved_ids *s)
{
	int n;

	s->euid = geteuid();
	s->egid = getegid();
	s->groups = NULL;
	if ((n = getgroups(0, NULL)) < 0)
		return MP_ERR_SYSTEM;
	if ((s->groups = calloc((size_t)n + 1, sizeof(gid_t))) == NULL)
		return MP_ERR_ALLOC;
	if ((s->ngroups = getgroups(n, s->groups)) < 0) {
		free(s->groups);
		s->groups = NULL;
		return MP_ERR_SYSTEM;
	}
	return 0;
}

/* Root only: take pw's groups, gid and uid as the effective ones. */
static int
become_user(const struct passwd *pw, struct saved_ids *s, char *why,
    size_t why_len)
{
	const char *what;
	int r;

	if ((r = save_ids(s)) != 0) {
		mp_why(why, why_len, "cannot save privileges: %s",
		    strerror(errno));
		return r;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0)
		what = "initgroups";
	else if (setegid(pw->pw_gid) != 0)
		what = "setegid";
	else if (seteuid(pw->pw_uid) != 0)
		what = "seteuid";
	else
		return 0;
	mp_why(why, why_len, "%s for %s: %s", what, pw->pw_name,
	    strerror(errno));
	if (restore_ids(s, why, why_len) != 0)
		return MP_ERR_INTERNAL;
	return MP_ERR_SYSTEM;
}

static int
open_error(const char *path, char *why, size_t why_len)
{
	if (errno == ENOENT || errno == ENOTDIR) {
		mp_why(why, why_len, "no such file");
		return MP_ERR_NOT_FOUND;
	}
	if (errno == ELOOP) {
		mp_why(why, why_len, "refusing symbolic link %s", path);
		return MP_ERR_KEY_PERMISSIONS;
	}
	mp_why(why, why_len, "cannot open %s: %s", path, strerror(errno));
	return MP_ERR_SYSTEM;
}

/*
 * 1 when st is owned by neither root nor uid, or writable by group or
 * others; sticky_ok accepts a root-owned sticky directory (/tmp).
 */
static int
untrusted(const struct stat *st, uid_t uid, int sticky_ok)
{
	if (st->st_uid != 0 && st->st_uid != uid)
		return 1;
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return 0;
	return !(sticky_ok && st->st_uid == 0 && (st->st_mode & S_ISVTX));
}

/* 1 when the canonical path is below the canonical dir. */
static int
is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[1] != '\0';
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* Cut the last component off the absolute path p ("/a/b" -> "/a"). */
static void
parent(char *p)
{
	char *slash = strrchr(p, '/');

	if (slash == p)
		p[1] = '\0';
	else
		*slash = '\0';
}

/* Check each directory above the canonical file path real; see .h. */
static int
check_dirs(char *real, const struct passwd *pw, char *why, size_t why_len)
{
	char home[PATH_MAX];
	struct stat st;
	int inside;

	inside = pw->pw_dir != NULL && realpath(pw->pw_dir, home) != NULL &&
	    is_below(real, home);
	while (strcmp(real, "/") != 0) {
		parent(real);
		if (stat(real, &st) != 0) {
			mp_why(why, why_len, "cannot stat directory %s: %s",
			    real, strerror(errno));
			return MP_ERR_SYSTEM;
		}
		if (!S_ISDIR(st.st_mode) ||
		    untrusted(&st, pw->pw_uid, !inside)) {
			mp_why(why, why_len,
			    "bad ownership or modes for directory %s", real);
			return MP_ERR_KEY_PERMISSIONS;
		}
		if (inside && strcmp(real, home) == 0)
			inside = 0;
	}
	return 0;
}

/* StrictModes: the open file (fst) and the directories above it. */
static int
check_modes(const char *path, const struct stat *fst,
    const struct passwd *pw, char *why, size_t why_len)
{
	char real[PATH_MAX];
	struct stat st;

	if (untrusted(fst, pw->pw_uid, 0)) {
		mp_why(why, why_len, "bad ownership or modes for file %s",
		    path);
		return MP_ERR_KEY_PERMISSIONS;
	}
	if (realpath(path, real) == NULL || real[0] != '/') {
		mp_why(why, why_len, "cannot resolve %s: %s", path,
		    strerror(errno));
		return MP_ERR_SYSTEM;
	}
	if (stat(real, &st) != 0 || st.st_dev != fst->st_dev ||
	    st.st_ino != fst->st_ino) {
		mp_why(why, why_len, "%s changed while being checked", path);
		return MP_ERR_KEY_PERMISSIONS;
	}
	return check_dirs(real, pw, why, why_len);
}

/* Read fd to its end, at most AUTHFILE_MAX_SIZE bytes, size a hint. */
static int
read_all(int fd, size_t size, char **text, size_t *len)
{
	size_t cap = size + 2, n = 0;	/* room to see one byte too many */
	char *buf, *nb;
	ssize_t r = 0;

	if ((buf = malloc(cap)) == NULL)
		return MP_ERR_ALLOC;
	for (;;) {
		if (n == cap - 1) {
			cap = cap > AUTHFILE_MAX_SIZE / 2 ?
			    AUTHFILE_MAX_SIZE + 2 : cap * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return MP_ERR_ALLOC;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + n, cap - 1 - n)) < 0 && errno == EINTR)
			continue;
		if (r <= 0 || (n += (size_t)r) > AUTHFILE_MAX_SIZE)
			break;
	}
	if (r != 0) {
		free(buf);
		return r < 0 ? MP_ERR_SYSTEM : MP_ERR_TOO_LARGE;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static int
read_file(const char *path, const struct passwd *pw, int strict_modes,
    char **text, size_t *len, char *why, size_t why_len)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (fd == -1)
		return open_error(path, why, why_len);
	if (fstat(fd, &st) != 0) {
		mp_why(why, why_len, "cannot stat %s: %s", path,
		    strerror(errno));
		r = MP_ERR_SYSTEM;
	} else if (!S_ISREG(st.st_mode)) {
		mp_why(why, why_len, "%s is not a regular file", path);
		r = MP_ERR_KEY_PERMISSIONS;
	} else if (st.st_size > AUTHFILE_MAX_SIZE) {
		r = MP_ERR_TOO_LARGE;
	} else if (strict_modes &&
	    (r = check_modes(path, &st, pw, why, why_len)) != 0) {
		/* why is set */
	} else if ((r = read_all(fd, (size_t)st.st_size, text, len)) ==
	    MP_ERR_SYSTEM) {
		mp_why(why, why_len, "cannot read %s: %s", path,
		    strerror(errno));
	}
	if (r == MP_ERR_TOO_LARGE)
		mp_why(why, why_len, "%s is larger than %d bytes", path,
		    AUTHFILE_MAX_SIZE);
	(void)close(fd);
	return r;
}

int
authfile_read(const char *path, const struct passwd *pw, int strict_modes,
    char **text, size_t *len, char *why, size_t why_len)
{
	struct saved_ids saved;
	int r, r2, switched;

	*text = NULL;
	*len = 0;
	mp_why(why, why_len, "%s", "");
	if (path == NULL || pw == NULL || pw->pw_name == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	switched = geteuid() == 0 && pw->pw_uid != 0;
	if (switched && (r = become_user(pw, &saved, why, why_len)) != 0)
		return r;
	r = read_file(path, pw, strict_modes, text, len, why, why_len);
	if (switched && (r2 = restore_ids(&saved, why, why_len)) != 0) {
		free(*text);
		*text = NULL;
		*len = 0;
		return r2;
	}
	return r;
}

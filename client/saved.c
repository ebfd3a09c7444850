/* saved.c: what lets a restarted mp resume its session: the session's identifier and resume secret in ~/.mp/sessions/, one file per destination and terminal, readable by the user only. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "common/err.h"
#include "common/secmem.h"
#include "common/settings.h"

#define PATH_MAX_SAVED	4096
#define SAVED_NAME_MAX	255	/* a file name's limit */

/* s appended to out (size bytes): letters, digits, '.' and '-' as they
 * are, any other byte as %XX, so that different names never meet. 0, or
 * MP_ERR_TOO_LARGE if it does not fit. */
static int
append_escaped(char *out, size_t size, const char *s)
{
	size_t o = strlen(out);

	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-') {
			if (o + 2 > size)
				return MP_ERR_TOO_LARGE;
			out[o++] = *s;
		} else {
			if (o + 4 > size)
				return MP_ERR_TOO_LARGE;
			snprintf(out + o, 4, "%%%02X", (unsigned char)*s);
			o += 3;
		}
	}
	out[o] = '\0';
	return 0;
}

/* s appended to out as it is; 0 or MP_ERR_TOO_LARGE. */
static int
append_raw(char *out, size_t size, const char *s)
{
	if (strlen(out) + strlen(s) + 1 > size)
		return MP_ERR_TOO_LARGE;
	strcat(out, s);
	return 0;
}

/* The file's name: USER@HOST_PORT_TTY, user, host and tty escaped. */
static int
saved_name(const struct mp_config *cfg, const char *tty, char *name,
    size_t size)
{
	char port[16];

	snprintf(port, sizeof(port), "_%u_", (unsigned int)cfg->port);
	if (strncmp(tty, "/dev/", 5) == 0)
		tty += 5;
	name[0] = '\0';
	if (append_escaped(name, size, cfg->user) != 0 ||
	    append_raw(name, size, "@") != 0 ||
	    append_escaped(name, size, cfg->host) != 0 ||
	    append_raw(name, size, port) != 0)
		return MP_ERR_TOO_LARGE;
	return append_escaped(name, size, tty);
}

int
saved_path(const struct mp_config *cfg, const char *tty, char *out,
    size_t size)
{
	const char *home = settings_home();
	char name[SAVED_NAME_MAX + 1];
	int n, r;

	if (home == NULL || tty == NULL)
		return MP_ERR_NOT_FOUND;
	if ((r = saved_name(cfg, tty, name, sizeof(name))) != 0)
		return r;
	n = snprintf(out, size, "%s/.mp/sessions/%s", home, name);
	return n > 0 && (size_t)n < size ? 0 : MP_ERR_TOO_LARGE;
}

static void
put_hex(FILE *f, const char *key, const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(f, "%s ", key);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

/* ~/.mp and ~/.mp/sessions, mode 0700. */
static int
make_dirs(const char *path)
{
	char dir[PATH_MAX_SAVED];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	*slash = '\0';
	if ((slash = strrchr(dir, '/')) == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	*slash = '\0';
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return MP_ERR_SYSTEM;
	*slash = '/';
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return MP_ERR_SYSTEM;
	return 0;
}

int
saved_store(const char *path, const struct hs_keys *k)
{
	char tmp[PATH_MAX_SAVED + 8];
	FILE *f;
	int fd, r = 0;

	if ((r = make_dirs(path)) != 0)
		return r;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1)
		return MP_ERR_SYSTEM;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(tmp);
		return MP_ERR_SYSTEM;
	}
	fprintf(f, "%s\n", SAVED_MAGIC);
	put_hex(f, "id", k->session_id, k->session_id_len);
	put_hex(f, "secret", k->resume, sizeof(k->resume));
	if (fflush(f) != 0 || fsync(fd) != 0)
		r = MP_ERR_SYSTEM;
	if (fclose(f) != 0)
		r = MP_ERR_SYSTEM;
	if (r == 0 && rename(tmp, path) != 0)
		r = MP_ERR_SYSTEM;
	if (r != 0)
		unlink(tmp);
	return r;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "key HEX\n" at *p: at most max bytes into out, the count in *got. */
static int
get_hex(const char **p, const char *key, uint8_t *out, size_t max,
    size_t *got)
{
	size_t klen = strlen(key), n = 0;
	int hi, lo;

	if (strncmp(*p, key, klen) != 0 || (*p)[klen] != ' ')
		return MP_ERR_INVALID_FORMAT;
	*p += klen + 1;
	while (n < max && (hi = hex_value((*p)[0])) >= 0 &&
	    (lo = hex_value((*p)[1])) >= 0) {
		out[n++] = (uint8_t)(hi << 4 | lo);
		*p += 2;
	}
	if (**p != '\n')
		return MP_ERR_INVALID_FORMAT;
	(*p)++;
	*got = n;
	return 0;
}

int
saved_parse(const char *text, struct saved_session *s)
{
	const char *p = text;
	size_t n;
	int r;

	if (strncmp(p, SAVED_MAGIC "\n", strlen(SAVED_MAGIC) + 1) != 0)
		return MP_ERR_INVALID_FORMAT;
	p += strlen(SAVED_MAGIC) + 1;
	if ((r = get_hex(&p, "id", s->id, sizeof(s->id), &s->id_len)) != 0 ||
	    (r = get_hex(&p, "secret", s->secret, sizeof(s->secret), &n)) != 0)
		return r;
	if ((s->id_len != 32 && s->id_len != 48) || n != sizeof(s->secret) ||
	    *p != '\0')
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

int
saved_load(const char *path, struct saved_session *s)
{
	char text[SAVED_FILE_MAX + 2];
	struct stat st;
	ssize_t n;
	int fd, r;

	memset(s, 0, sizeof(*s));
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT ? MP_ERR_NOT_FOUND : MP_ERR_SYSTEM;
	if (fstat(fd, &st) != 0 || st.st_uid != getuid() ||
	    (st.st_mode & 077) != 0) {
		close(fd);
		return MP_ERR_KEY_PERMISSIONS;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return MP_ERR_SYSTEM;
	if ((size_t)n > SAVED_FILE_MAX || memchr(text, '\0', (size_t)n) != NULL)
		return MP_ERR_INVALID_FORMAT;
	text[n] = '\0';
	r = saved_parse(text, s);
	mp_zero(text, sizeof(text));
	if (r != 0)
		mp_zero(s, sizeof(*s));
	return r;
}

void
saved_remove(const char *path)
{
	(void)unlink(path);
}

/* keyfile_io.c: reading key files with ownership, mode and size checks; writing them atomically with fixed modes. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/io.h"
#include "common/keyfile.h"
#include "common/pubkey.h"
#include "common/crypto/sign.h"

#define READ_CHUNK	4096

/* Read all of fd (at most KEYFILE_SIZE_MAX bytes) into a fresh buffer. */
static int
read_all(int fd, struct buf **out)
{
	uint8_t *p;
	ssize_t n;
	int r;

	if ((*out = buf_new(KEYFILE_SIZE_MAX + READ_CHUNK)) == NULL)
		return MP_ERR_ALLOC;
	do {
		if ((r = buf_reserve(*out, READ_CHUNK, &p)) != 0)
			break;
		n = read(fd, p, READ_CHUNK);
		(void)buf_consume_end(*out,
		    READ_CHUNK - (n > 0 ? (size_t)n : 0));
	} while ((n > 0 || (n < 0 && errno == EINTR)) &&
	    buf_len(*out) <= KEYFILE_SIZE_MAX);
	if (r == 0 && n < 0)
		r = MP_ERR_SYSTEM;
	else if (r == 0 && buf_len(*out) > KEYFILE_SIZE_MAX)
		r = MP_ERR_TOO_LARGE;
	if (r != 0) {
		buf_free(*out);
		*out = NULL;
	}
	return r;
}

/* A private key file must belong to us (or root) and be ours alone. */
static int
check_private_mode(const struct stat *st)
{
	if (st->st_uid != geteuid() && st->st_uid != 0)
		return MP_ERR_KEY_PERMISSIONS;
	if ((st->st_mode & 077) != 0)
		return MP_ERR_KEY_PERMISSIONS;
	return 0;
}

/* Read a key file; if it is a private key file, check its mode. */
static int
read_key_file(const char *path, struct buf **out)
{
	struct stat st;
	int fd, r, saved;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return errno == ENOENT ? MP_ERR_NOT_FOUND : MP_ERR_SYSTEM;
	if (fstat(fd, &st) == -1)
		r = MP_ERR_SYSTEM;
	else if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		r = MP_ERR_SYSTEM;
	} else if (st.st_size > KEYFILE_SIZE_MAX)
		r = MP_ERR_TOO_LARGE;
	else if ((r = read_all(fd, out)) == 0 &&
	    keyfile_is_private(buf_ptr(*out), buf_len(*out)))
		r = check_private_mode(&st);
	saved = errno;
	close(fd);
	errno = saved;
	if (r != 0) {
		buf_free(*out);
		*out = NULL;
	}
	return r;
}

int
keyfile_load(const char *path, const char *passphrase, struct sig_key **key,
    char **comment)
{
	struct buf *text;
	int r;

	*key = NULL;
	if (comment != NULL)
		*comment = NULL;
	if ((r = read_key_file(path, &text)) != 0)
		return r;
	r = keyfile_decode(buf_ptr(text), buf_len(text), passphrase, key,
	    comment);
	buf_free(text);
	return r;
}

/* One line, optionally ended by a newline. */
static int
parse_pub_file(const struct buf *text, struct sig_key **key, char **comment)
{
	const char *p = (const char *)buf_ptr(text);
	size_t len = buf_len(text);
	char *c;
	int r;

	if (len > 0 && p[len - 1] == '\n')
		len--;
	if ((r = pubkey_parse_line(p, len, key, &c, NULL)) != 0)
		return r;
	if (comment != NULL)
		*comment = c;
	else
		free(c);
	return 0;
}

int
keyfile_load_public(const char *path, struct sig_key **key, char **comment)
{
	struct buf *text;
	int r;

	*key = NULL;
	if (comment != NULL)
		*comment = NULL;
	if ((r = read_key_file(path, &text)) != 0)
		return r;
	if (keyfile_is_private(buf_ptr(text), buf_len(text)))
		r = keyfile_decode_public(buf_ptr(text), buf_len(text), key,
		    comment);
	else
		r = parse_pub_file(text, key, comment);
	buf_free(text);
	return r;
}

/* Set the mode (the umask does not apply), write, sync and close. */
static int
fill_file(int fd, const struct buf *data, mode_t mode)
{
	int r = 0;

	if (fchmod(fd, mode) == -1 ||
	    io_write_all(fd, buf_ptr(data), buf_len(data)) != 0 ||
	    fsync(fd) == -1)
		r = MP_ERR_SYSTEM;
	if (close(fd) == -1 && r == 0)
		r = MP_ERR_SYSTEM;
	return r;
}

static int
write_file(const char *path, const struct buf *data, mode_t mode,
    int overwrite)
{
	char *tmp = NULL;
	int fd, r, saved;

	if (!overwrite)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	else if (asprintf(&tmp, "%s.XXXXXX", path) == -1)
		return MP_ERR_ALLOC;
	else
		fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1) {
		free(tmp);
		return errno == EEXIST ? MP_ERR_EXISTS : MP_ERR_SYSTEM;
	}
	r = fill_file(fd, data, mode);
	if (r == 0 && tmp != NULL && rename(tmp, path) == -1)
		r = MP_ERR_SYSTEM;
	if (r != 0) {
		saved = errno;
		unlink(tmp != NULL ? tmp : path);
		errno = saved;
	}
	free(tmp);
	return r;
}

int
keyfile_save(const char *path, const struct sig_key *key, const char *comment,
    const char *passphrase, const struct keyfile_kdf *kdf, int overwrite)
{
	struct buf *text;
	int r;

	if ((text = buf_new(KEYFILE_SIZE_MAX)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = keyfile_encode(key, comment, passphrase, kdf, text)) == 0)
		r = write_file(path, text, 0600, overwrite);
	buf_free(text);
	return r;
}

int
keyfile_save_public(const char *path, const struct sig_key *key,
    const char *comment, int overwrite)
{
	struct buf *text = NULL;
	char *line;
	int r;

	if ((r = pubkey_format_line(key, comment, &line)) != 0)
		return r;
	if ((text = buf_new(PUBKEY_LINE_MAX + 1)) == NULL)
		r = MP_ERR_ALLOC;
	else if ((r = buf_put(text, line, strlen(line))) == 0 &&
	    (r = buf_put_u8(text, '\n')) == 0)
		r = write_file(path, text, 0644, overwrite);
	buf_free(text);
	free(line);
	return r;
}

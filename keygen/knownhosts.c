/* knownhosts.c: mp-keygen known-hosts remove: drop a host's lines from a known_hosts file, keeping a backup. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/io.h"
#include "common/knownhosts.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "keygen/keygen.h"

#define KH_FILE_MAX	(1024 * 1024)	/* bytes of a known_hosts file */

/* A new buffer of at most max bytes; exits if memory runs out. */
static struct buf *
new_buf(size_t max)
{
	struct buf *b;

	if ((b = buf_new(max)) == NULL)
		fatal("out of memory");
	return b;
}

/* A parsed HOST[:PORT] argument. */
struct kh_target {
	char *host;
	unsigned int port;
};

/* A decimal port 1-65535; 0 if s is not one. */
static unsigned int
parse_port(const char *s)
{
	unsigned long v = 0;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > 65535)
			return 0;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	return v > 65535 ? 0 : (unsigned int)v;
}

/*
 * Split arg: "[host]:port", "[host]", "host:port", or "host" (also a bare
 * IPv6 address, having more than one colon). 0, or 1 if it is malformed.
 */
static int
parse_target(const char *arg, struct kh_target *t)
{
	const char *end, *colon;

	t->port = KNOWNHOSTS_DEFAULT_PORT;
	if (arg[0] == '[') {
		if ((end = strchr(arg, ']')) == NULL)
			return 1;
		t->host = xstrdup(arg + 1);
		t->host[end - arg - 1] = '\0';
		if (end[1] == ':')
			t->port = parse_port(end + 2);
		else if (end[1] != '\0')
			t->port = 0;
	} else if ((colon = strchr(arg, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		t->host = xstrdup(arg);
		t->host[colon - arg] = '\0';
		t->port = parse_port(colon + 1);
	} else
		t->host = xstrdup(arg);
	if (t->port != 0)
		return 0;
	free(t->host);
	t->host = NULL;
	return 1;
}

/* The target of arg if the library accepts it as a host and port. */
static int
check_target(const char *arg, struct kh_target *t)
{
	struct buf *empty;
	size_t n;
	int r;

	if (parse_target(arg, t) != 0) {
		log_error("bad host \"%s\": give HOST, HOST:PORT or "
		    "[HOST]:PORT with a port from 1 to 65535", arg);
		return 1;
	}
	empty = new_buf(1);
	r = knownhosts_remove("", 0, t->host, t->port, empty, &n);
	buf_free(empty);
	if (r == 0)
		return 0;
	log_error("bad host \"%s\": host names are printable characters "
	    "without spaces or any of ,*?![]#", arg);
	free(t->host);
	return 1;
}

/* ~/.mp/known_hosts, or NULL if there is no home directory. */
static char *
default_file(void)
{
	const char *home = home_dir();
	char *path;

	if (home == NULL) {
		log_error("cannot find your home directory; name the "
		    "known_hosts file with -f");
		return NULL;
	}
	xasprintf(&path, "%s/.mp/known_hosts", home);
	return path;
}

/* Read all of fd (at most KH_FILE_MAX bytes) into b. */
static int
read_bounded(int fd, const char *path, struct buf *b)
{
	uint8_t chunk[8192];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_error("cannot read %s: %s", path, strerror(errno));
			return 1;
		}
		if (buf_put(b, chunk, (size_t)n) != 0) {
			log_error("%s is larger than %d bytes; is it really "
			    "a known_hosts file?", path, KH_FILE_MAX);
			return 1;
		}
	}
	return 0;
}

/* The contents and the mode of path. Reports errors. */
static int
load_file(const char *path, struct buf **b, mode_t *mode)
{
	struct stat st;
	int fd, r = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_error("cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	if (fstat(fd, &st) == -1)
		log_error("cannot stat %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		log_error("%s is not a regular file", path);
	else {
		*b = new_buf(KH_FILE_MAX);
		*mode = st.st_mode & 07777;
		if ((r = read_bounded(fd, path, *b)) != 0)
			buf_free(*b);
	}
	close(fd);
	return r;
}

/* Write b to fd, set its mode and flush it to disk. */
static int
write_out(int fd, const struct buf *b, mode_t mode)
{
	if (fchmod(fd, mode) == -1 ||
	    io_write_all(fd, buf_ptr(b), buf_len(b)) != 0)
		return -1;
	return fsync(fd);
}

/* A new file beside path holding b with the given mode, its name in *tmp. */
static int
write_temp(const char *path, const struct buf *b, mode_t mode, char **tmp)
{
	int fd, r;

	xasprintf(tmp, "%s.XXXXXXXXXX", path);
	if ((fd = mkostemp(*tmp, O_CLOEXEC)) == -1) {
		log_error("cannot create a temporary file %s: %s", *tmp,
		    strerror(errno));
		free(*tmp);
		return 1;
	}
	r = write_out(fd, b, mode);
	if (close(fd) == -1)
		r = -1;
	if (r == 0)
		return 0;
	log_error("cannot write %s: %s", *tmp, strerror(errno));
	unlink(*tmp);
	free(*tmp);
	return 1;
}

/* Keep path as path.old, then move tmp over path. */
static int
replace_file(const char *path, const char *tmp, const char *old)
{
	if (unlink(old) == -1 && errno != ENOENT) {
		log_error("cannot remove the old backup %s: %s", old,
		    strerror(errno));
		return 1;
	}
	if (link(path, old) == -1) {
		log_error("cannot keep a backup of %s as %s: %s", path, old,
		    strerror(errno));
		return 1;
	}
	if (rename(tmp, path) == -1) {
		log_error("cannot rename %s to %s: %s", tmp, path,
		    strerror(errno));
		return 1;
	}
	return 0;
}

/* Write the new contents b of path, keeping the old ones as path.old. */
static int
update_file(const char *path, const struct buf *b, mode_t mode)
{
	char *tmp, *old;
	int r;

	if (write_temp(path, b, mode, &tmp) != 0)
		return 1;
	xasprintf(&old, "%s.old", path);
	if ((r = replace_file(path, tmp, old)) != 0)
		unlink(tmp);
	else {
		fprintf(stderr, "%s updated.\n", path);
		fprintf(stderr, "Original contents retained as %s\n", old);
	}
	free(tmp);
	free(old);
	return r;
}

/* Remove the lines of t from path; arg is the host as the user wrote it. */
static int
remove_host(const char *path, const struct kh_target *t, const char *arg)
{
	struct buf *in, *out;
	mode_t mode;
	size_t removed;
	int r;

	if (load_file(path, &in, &mode) != 0)
		return 1;
	out = new_buf(KH_FILE_MAX);
	r = knownhosts_remove((const char *)buf_ptr(in), buf_len(in),
	    t->host, t->port, out, &removed);
	if (r != 0) {
		log_error("cannot process %s: %s", path, mp_strerror(r));
		r = 1;
	} else if (removed == 0) {
		log_error("%s not found in %s", arg, path);
		r = 1;
	} else {
		printf("# Host %s found: removed %zu line(s)\n", arg, removed);
		fflush(stdout);
		r = update_file(path, out, mode);
	}
	buf_free(in);
	buf_free(out);
	return r;
}

int
cmd_known_hosts(int argc, char **argv)
{
	struct kh_target t;
	char *path = NULL, *file = NULL;
	int c, r;

	while ((c = getopt(argc, argv, "f:")) != -1) {
		if (c != 'f')
			return cmd_usage("known-hosts");
		file = optarg;
	}
	if (argc - optind != 2 || strcmp(argv[optind], "remove") != 0)
		return cmd_usage("known-hosts");
	if (check_target(argv[optind + 1], &t) != 0)
		return cmd_usage("known-hosts");
	if (file == NULL && (file = path = default_file()) == NULL) {
		free(t.host);
		return 1;
	}
	r = remove_host(file, &t, argv[optind + 1]);
	free(t.host);
	free(path);
	return r;
}

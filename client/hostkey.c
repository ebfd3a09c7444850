/* hostkey.c: mp's known_hosts decision for the server's host key: known, changed (a hard failure with OpenSSH's warning), or unknown (ask, accept-new or strict). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client/client.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/io.h"
#include "common/knownhosts.h"
#include "common/log.h"
#include "common/pubkey.h"

#define KH_FILE_MAX	(1024 * 1024)	/* bytes in a known_hosts file */
#define KH_NAME_SIZE	(KNOWNHOSTS_HOST_MAX + 10) /* "[host]:port" */
#define ANSWER_SIZE	128

/* What the messages about one key say. */
struct hk_ctx {
	struct hostkey_check *hc;
	const struct sig_key *key;
	char name[KH_NAME_SIZE];	/* as in known_hosts */
	char fp[PUBKEY_FP_SIZE];
	const char *label;		/* "ED25519" */
	struct buf *text;		/* the file's contents */
};

int
hostkey_name(const char *host, unsigned int port, char *out, size_t size)
{
	int n;

	if (port == KNOWNHOSTS_DEFAULT_PORT)
		n = snprintf(out, size, "%s", host);
	else
		n = snprintf(out, size, "[%s]:%u", host, port);
	return n < 0 || (size_t)n >= size ? MP_ERR_TOO_LARGE : 0;
}

/* The contents of path into b: empty if the file does not exist. */
static int
read_known_hosts(const char *path, struct buf *b)
{
	uint8_t chunk[8192];
	ssize_t n;
	int fd, r = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : MP_ERR_SYSTEM;
	while (r == 0 && (n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = MP_ERR_SYSTEM;
		else
			r = buf_put(b, chunk, (size_t)n);
	}
	close(fd);
	return r == MP_ERR_NO_SPACE ? MP_ERR_TOO_LARGE : r;
}

/* The parent directory of path (~/.mp), made with mode 0700 if missing. */
static int
make_parent(const char *path)
{
	char *copy, *dir;
	int r = 0;

	if ((copy = strdup(path)) == NULL)
		return MP_ERR_ALLOC;
	dir = dirname(copy);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		r = MP_ERR_SYSTEM;
	free(copy);
	return r;
}

/* Open path for appending; a new file gets mode 0600 whatever the umask. */
static int
open_append(const char *path)
{
	int fd, flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW;

	if ((fd = open(path, flags | O_CREAT | O_EXCL, 0600)) != -1) {
		if (fchmod(fd, 0600) == -1) {
			close(fd);
			return -1;
		}
		return fd;
	}
	if (errno != EEXIST)
		return -1;
	return open(path, flags);
}

/* Append line to path; errno tells why on MP_ERR_SYSTEM. */
static int
write_line(const char *path, const struct buf *line)
{
	int fd, r, saved_errno;

	if ((r = make_parent(path)) != 0)
		return r;
	if ((fd = open_append(path)) == -1)
		return MP_ERR_SYSTEM;
	r = io_write_all(fd, buf_ptr(line), buf_len(line));
	saved_errno = errno;
	if (close(fd) == -1 && r == 0)
		return MP_ERR_SYSTEM;
	errno = saved_errno;
	return r;
}

/* Append the line for the host, after a newline if the file lacks one. */
static int
append_line(struct hk_ctx *x)
{
	const struct hostkey_check *hc = x->hc;
	size_t len = buf_len(x->text);
	struct buf *line;
	int r = 0, saved_errno;

	if ((line = buf_new(KNOWNHOSTS_LINE_MAX + 2)) == NULL)
		return MP_ERR_ALLOC;
	if (len > 0 && buf_ptr(x->text)[len - 1] != '\n')
		r = buf_put_u8(line, '\n');
	if (r == 0)
		r = knownhosts_add_line(line, hc->host, hc->port, x->key);
	if (r == 0)
		r = write_line(hc->path, line);
	saved_errno = errno;
	buf_free(line);
	errno = saved_errno;
	return r;
}

/* Record the key; a failure to write is a warning, as in ssh. */
static int
accept_key(struct hk_ctx *x)
{
	int r;

	if ((r = append_line(x)) == 0)
		fprintf(x->hc->msg, "Warning: Permanently added '%s' (%s) to "
		    "the list of known hosts.\n", x->name, x->label);
	else
		fprintf(x->hc->msg, "Warning: failed to add the host to the "
		    "list of known hosts (%s): %s\n", x->hc->path,
		    r == MP_ERR_SYSTEM ? strerror(errno) : mp_strerror(r));
	return 0;
}

static int
refuse(struct hk_ctx *x, int err)
{
	x->hc->refused = 1;
	return err;
}

/* The argument of mp-keygen known-hosts remove: host, host:port, or
 * [address]:port for an IPv6 address, quoted for the shell. */
static void
remove_command(const struct hostkey_check *hc, char *out, size_t size)
{
	const char *home = getenv("HOME");
	char def[4096];
	int n;

	if (hc->port == KNOWNHOSTS_DEFAULT_PORT)
		n = snprintf(out, size, "mp-keygen known-hosts remove %s",
		    hc->host);
	else if (strchr(hc->host, ':') != NULL)
		n = snprintf(out, size, "mp-keygen known-hosts remove "
		    "'[%s]:%u'", hc->host, hc->port);
	else
		n = snprintf(out, size, "mp-keygen known-hosts remove %s:%u",
		    hc->host, hc->port);
	if (n < 0 || (size_t)n >= size)
		return;
	snprintf(def, sizeof(def), "%s/.mp/known_hosts", home ? home : "");
	if (home == NULL || strcmp(def, hc->path) != 0)
		snprintf(out + n, size - (size_t)n, " -f '%s'", hc->path);
}

static int
key_changed(struct hk_ctx *x, size_t line)
{
	FILE *f = x->hc->msg;
	char cmd[8192];

	remove_command(x->hc, cmd, sizeof(cmd));
	fprintf(f,
	    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
	    "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\n"
	    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
	    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n"
	    "Someone could be eavesdropping on you right now "
	    "(man-in-the-middle attack)!\n"
	    "It is also possible that a host key has just been changed.\n"
	    "The fingerprint for the %s key sent by the remote host is\n"
	    "%s.\n"
	    "Please contact your system administrator.\n"
	    "Add the correct host key in %s to get rid of this message.\n"
	    "Offending key for '%s' in %s:%zu\n"
	    "  remove with:\n"
	    "  %s\n"
	    "Host key for %s has changed; mp does not connect to it.\n",
	    x->label, x->fp, x->hc->path, x->name, x->hc->path, line, cmd,
	    x->name);
	return refuse(x, MP_ERR_SIGNATURE);
}

/* "yes", "no" or the fingerprint; asked again for anything else. */
static int
ask_user(struct hk_ctx *x, const char *question)
{
	struct hostkey_check *hc = x->hc;
	char answer[ANSWER_SIZE];
	int r;

	for (;;) {
		if (hc->ask != NULL)
			r = hc->ask(hc->ask_arg, question, answer,
			    sizeof(answer));
		else
			r = prompt_line(question, answer, sizeof(answer));
		if (r != 0)
			return r == MP_ERR_NOT_FOUND ? r : 0;
		if (strcasecmp(answer, "yes") == 0 ||
		    strcmp(answer, x->fp) == 0)
			return 1;
		if (strcasecmp(answer, "no") == 0)
			return 0;
		question = "Please type 'yes', 'no' or the fingerprint: ";
	}
}

static int
ask_unknown(struct hk_ctx *x)
{
	const struct hostkey_check *hc = x->hc;
	char question[1024], addr[128];
	int r;

	if (hc->port == KNOWNHOSTS_DEFAULT_PORT)
		snprintf(addr, sizeof(addr), "%s", hc->addr);
	else
		snprintf(addr, sizeof(addr), "[%s]:%u", hc->addr, hc->port);
	snprintf(question, sizeof(question), "The authenticity of host "
	    "'%s (%s)' can't be established.\n%s key fingerprint is %s.\n"
	    "Are you sure you want to continue connecting (yes/no)? ",
	    x->name, addr, x->label, x->fp);
	if ((r = ask_user(x, question)) == 1)
		return accept_key(x);
	if (r == MP_ERR_NOT_FOUND)
		fprintf(hc->msg, "mp: the %s host key of '%s' is not known "
		    "(fingerprint %s) and there is no terminal to ask whether "
		    "to trust it; add the key to %s, or run mp with "
		    "--host-key-checking accept-new to record it\n", x->label,
		    x->name, x->fp, hc->path);
	return refuse(x, MP_ERR_NOT_FOUND);
}

static int
key_unknown(struct hk_ctx *x)
{
	switch (x->hc->mode) {
	case MP_HKC_ACCEPT_NEW:
		return accept_key(x);
	case MP_HKC_STRICT:
		fprintf(x->hc->msg, "No %s host key is known for %s and you "
		    "have requested strict checking.\n", x->label, x->name);
		return refuse(x, MP_ERR_NOT_FOUND);
	case MP_HKC_ASK:
		break;
	}
	return ask_unknown(x);
}

/* Look the key up and act on the answer. */
static int
decide(struct hk_ctx *x)
{
	struct hostkey_check *hc = x->hc;
	struct knownhosts_result res;
	int r;

	if ((r = knownhosts_check((const char *)buf_ptr(x->text),
	    buf_len(x->text), hc->host, hc->port, x->key, &res)) != 0) {
		fprintf(hc->msg, "mp: '%s' cannot be looked up in a "
		    "known_hosts file: %s\n", hc->host, mp_strerror(r));
		return refuse(x, r);
	}
	if (res.nbad > 0)
		fprintf(hc->msg, "Warning: %s:%zu: skipped a malformed line "
		    "that may name %s\n", hc->path, res.bad_line, x->name);
	switch (res.status) {
	case KH_OK:
		log_debug("host key %s %s found in %s:%zu", x->label, x->fp,
		    hc->path, res.line);
		return 0;
	case KH_CHANGED:
		return key_changed(x, res.line);
	case KH_UNKNOWN:
		break;
	}
	return key_unknown(x);
}

int
hostkey_verify(void *arg, const struct sig_key *key)
{
	struct hostkey_check *hc = arg;
	struct hk_ctx x;
	int r;

	memset(&x, 0, sizeof(x));
	x.hc = hc;
	x.key = key;
	x.label = pubkey_label(key);
	hc->refused = 0;
	if ((r = hostkey_name(hc->host, hc->port, x.name,
	    sizeof(x.name))) != 0 ||
	    (r = pubkey_fingerprint(key, x.fp)) != 0)
		return refuse(&x, r);
	if ((x.text = buf_new(KH_FILE_MAX)) == NULL)
		return refuse(&x, MP_ERR_ALLOC);
	if ((r = read_known_hosts(hc->path, x.text)) != 0) {
		fprintf(hc->msg, "mp: cannot read %s: %s\n", hc->path,
		    r == MP_ERR_SYSTEM ? strerror(errno) : mp_strerror(r));
		r = refuse(&x, r);
	} else
		r = decide(&x);
	buf_free(x.text);
	return r;
}

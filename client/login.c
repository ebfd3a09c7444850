/* login.c: mp's identities (private keys, passphrases asked for on the terminal or through MP_ASKPASS) and the driver of the TCP handshake. */
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/io.h"
#include "common/keyfile.h"
#include "common/log.h"
#include "common/secmem.h"
#include "common/proto/msg.h"

#define PASSPHRASE_TRIES	3
#define PROMPT_SIZE		4200	/* a prompt with a path in it */
#define HS_OUT_MAX		(256 * 1024)	/* one flight */
#define HS_READ_CHUNK		16384

/* ---- identities ------------------------------------------------------ */

static int
sign_with(void *arg, const uint8_t *data, size_t len, uint8_t *sig,
    size_t *sig_len)
{
	const struct sig_key *key = arg;
	size_t n = sig_key_alg(key)->sig_len;
	int r;

	if (*sig_len < n)
		return MP_ERR_NO_SPACE;
	if ((r = sig_sign(key, data, len, sig)) != 0)
		return r;
	*sig_len = n;
	return 0;
}

/*
 * Ask for the passphrase of path and load the key, PASSPHRASE_TRIES
 * times at most. An empty answer skips the key (MP_ERR_INCOMPLETE), as
 * in ssh; no way to ask is MP_ERR_NEED_PASSPHRASE.
 */
static int
load_encrypted(const char *path, struct sig_key **key)
{
	char prompt[PROMPT_SIZE], *pass;
	int i, r = MP_ERR_NEED_PASSPHRASE;

	if ((pass = malloc(PASSPHRASE_SIZE)) == NULL)
		return MP_ERR_ALLOC;
	snprintf(prompt, sizeof(prompt), "Enter passphrase for key '%s': ",
	    path);
	for (i = 0; i < PASSPHRASE_TRIES; i++) {
		if ((r = prompt_passphrase(prompt, pass, PASSPHRASE_SIZE)) != 0)
			break;
		if (*pass == '\0') {
			r = MP_ERR_INCOMPLETE;
			break;
		}
		r = keyfile_load(path, pass, key, NULL);
		mp_zero(pass, PASSPHRASE_SIZE);
		if (r != MP_ERR_PASSPHRASE)
			break;
		snprintf(prompt, sizeof(prompt), "Bad passphrase, try again "
		    "for key '%s': ", path);
	}
	mp_free_secret(pass, PASSPHRASE_SIZE);
	return r == MP_ERR_NOT_FOUND ? MP_ERR_NEED_PASSPHRASE : r;
}

/* Say why the key at path is not used. */
static void
report_key(const char *path, int r, int saved_errno)
{
	struct stat st;

	switch (r) {
	case MP_ERR_NOT_FOUND:
		log_verbose("no identity file %s", path);
		break;
	case MP_ERR_INCOMPLETE:
		log_verbose("no passphrase given for %s; not using it", path);
		break;
	case MP_ERR_NEED_PASSPHRASE:
		log_error("%s is protected by a passphrase and there is no "
		    "terminal to ask for it on; set MP_ASKPASS to a program "
		    "that prints it; skipping this key", path);
		break;
	case MP_ERR_PASSPHRASE:
		log_error("%s: incorrect passphrase %d times; skipping this "
		    "key", path, PASSPHRASE_TRIES);
		break;
	case MP_ERR_KEY_PERMISSIONS:
		log_error("%s: bad permissions %04o: private key files must "
		    "not be accessible by others; run chmod 600 %s; skipping "
		    "this key", path, stat(path, &st) == 0 ?
		    (unsigned int)(st.st_mode & 07777) : 0u, path);
		break;
	default:
		log_error("cannot load the identity %s: %s; skipping it",
		    path, r == MP_ERR_SYSTEM ? strerror(saved_errno) :
		    mp_strerror(r));
		break;
	}
}

static int
load_identity(const char *path, struct sig_key **key)
{
	int r;

	if ((r = keyfile_load(path, NULL, key, NULL)) == MP_ERR_NEED_PASSPHRASE)
		r = load_encrypted(path, key);
	if (r != 0)
		report_key(path, r, errno);
	return r;
}

/* 1 if ids already holds key (named twice). */
static int
have_identity(const struct mp_identities *ids, const struct sig_key *key)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		if (sig_key_equal(ids->id[i].key, key))
			return 1;
	return 0;
}

static void
add_identity(struct mp_identities *ids, const char *path,
    struct sig_key *key)
{
	struct mp_identity *id = &ids->id[ids->n];

	id->key = key;
	id->path = strdup(path);	/* for messages only; NULL is fine */
	ids->hs[ids->n].pub = key;
	ids->hs[ids->n].sign = sign_with;
	ids->hs[ids->n].arg = key;
	ids->n++;
	log_verbose("offering %s", path);
}

/* -k names the public half of the first identity: warn on a mismatch. */
static void
check_public(const struct mp_config *cfg, const struct mp_identities *ids)
{
	struct sig_key *pub;
	int r;

	if (cfg->public_key_path == NULL || ids->n == 0)
		return;
	if ((r = keyfile_load_public(cfg->public_key_path, &pub, NULL)) != 0) {
		log_error("cannot read the public key %s: %s",
		    cfg->public_key_path, r == MP_ERR_SYSTEM ?
		    strerror(errno) : mp_strerror(r));
		return;
	}
	if (!sig_key_equal(pub, ids->id[0].key))
		log_error("%s is not the public key of %s; the private key "
		    "is used", cfg->public_key_path, ids->id[0].path ?
		    ids->id[0].path : cfg->identity[0]);
	sig_free(pub);
}

/* None of the identities could be used: say which were tried. */
static void
no_identity(const struct mp_config *cfg, struct client_error *err)
{
	size_t i, off;

	off = (size_t)snprintf(err->msg, sizeof(err->msg), "no usable "
	    "identity key (tried");
	for (i = 0; i < cfg->nidentity && off < sizeof(err->msg); i++)
		off += (size_t)snprintf(err->msg + off, sizeof(err->msg) - off,
		    "%s %s", i ? "," : "", cfg->identity[i]);
	if (off < sizeof(err->msg))
		snprintf(err->msg + off, sizeof(err->msg) - off, "%s); make "
		    "one with mp-keygen generate, or name one with -i",
		    cfg->nidentity ? "" : " none");
}

int
identities_load(const struct mp_config *cfg, struct mp_identities *ids,
    struct client_error *err)
{
	struct sig_key *key;
	size_t i;

	memset(ids, 0, sizeof(*ids));
	for (i = 0; i < cfg->nidentity && ids->n < MP_IDENTITIES_MAX; i++) {
		if (load_identity(cfg->identity[i], &key) != 0)
			continue;
		if (have_identity(ids, key))
			sig_free(key);
		else
			add_identity(ids, cfg->identity[i], key);
	}
	check_public(cfg, ids);
	if (ids->n > 0)
		return 0;
	no_identity(cfg, err);
	return MP_ERR_NOT_FOUND;
}

void
identities_free(struct mp_identities *ids)
{
	size_t i;

	for (i = 0; i < ids->n; i++) {
		sig_free(ids->id[i].key);
		free(ids->id[i].path);
	}
	memset(ids, 0, sizeof(*ids));
}

/* ---- the handshake ----------------------------------------------------- */

/* One handshake over one connection, and what to tell the user. */
struct login_ctx {
	const struct mp_config *cfg;
	const struct mp_conn *conn;
	struct hostkey_check hc;
	struct hs_client *c;
	struct client_error *err;
};

static int
send_flight(int fd, struct buf *out)
{
	int r;

	if ((r = io_write_all(fd, buf_ptr(out), buf_len(out))) != 0)
		return r;
	buf_reset(out);
	return 0;
}

/* Wait for bytes from the server: > 0 bytes read, 0 at end of file, or
 * -1 (errno ETIMEDOUT after HANDSHAKE_TIMEOUT_MS of silence). */
static ssize_t
receive(int fd, uint8_t *p, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n;

	for (;;) {
		n = poll(&pfd, 1, HANDSHAKE_TIMEOUT_MS);
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		return read(fd, p, size);
	}
}

static int
io_error(struct login_ctx *x, const char *what, int saved_errno)
{
	snprintf(x->err->msg, sizeof(x->err->msg), "%s host %s port %u "
	    "while logging in: %s", what, x->cfg->host, x->cfg->port,
	    strerror(saved_errno));
	return MP_ERR_SYSTEM;
}

/* Move bytes between the socket and the machine until it is done. */
static int
drive(struct login_ctx *x, struct buf *out)
{
	uint8_t in[HS_READ_CHUNK];
	int fd = x->conn->fd, r;
	ssize_t n;

	r = hs_client_start(x->c, out);
	for (;;) {
		if (buf_len(out) > 0 && send_flight(fd, out) != 0)
			return io_error(x, "write to", errno);
		if (r != HS_CONTINUE)
			return r;
		if ((n = receive(fd, in, sizeof(in))) < 0)
			return io_error(x, "read from", errno);
		if (n == 0) {
			snprintf(x->err->msg, sizeof(x->err->msg), "Connection "
			    "closed by %s port %u", x->conn->addr_text,
			    x->cfg->port);
			return MP_ERR_INCOMPLETE;
		}
		r = hs_client_input(x->c, in, (size_t)n, out);
	}
}

/* The words for a failed handshake, like ssh's. */
static void
describe_failure(struct login_ctx *x, int r)
{
	const char *text = hs_client_error(x->c);

	if (text == NULL || *text == '\0')
		text = mp_strerror(r);
	log_verbose("handshake: %s", text);
	if (x->hc.refused)
		snprintf(x->err->msg, sizeof(x->err->msg),
		    "Host key verification failed.");
	else if (r == MP_ERR_AUTH && strstr(text, "SESSION_REFUSED") == NULL)
		snprintf(x->err->msg, sizeof(x->err->msg), "%s@%s: Permission "
		    "denied (publickey).", x->cfg->user, x->cfg->host);
	else
		snprintf(x->err->msg, sizeof(x->err->msg), "%s", text);
}

/* Keep what the session needs from a finished handshake. */
static int
take_result(struct login_ctx *x, struct mp_login *out)
{
	const struct hs_reply *reply = hs_client_reply(x->c);
	int r;

	if (reply == NULL || !reply->ok) {
		snprintf(x->err->msg, sizeof(x->err->msg), "the server refused "
		    "the session: %s", reply != NULL ? reply->message : "?");
		return reply != NULL && reply->reason ==
		    HS_R_SESSION_NOT_FOUND ? MP_ERR_NOT_FOUND : MP_ERR_AUTH;
	}
	if ((r = hs_client_keys(x->c, &out->keys)) != 0) {
		snprintf(x->err->msg, sizeof(x->err->msg), "no session keys: "
		    "%s", mp_strerror(r));
		return r;
	}
	out->udp_port = reply->udp_port;
	snprintf(out->mode, sizeof(out->mode), "%s", reply->mode);
	log_verbose("logged in; session on UDP port %u, %s mode",
	    out->udp_port, out->mode);
	return 0;
}

/* Settings the handshake cannot do without (mp_config validates the
 * rest: algorithm lists, the user name). */
static int
check_settings(const struct mp_config *cfg, struct client_error *err)
{
	if (cfg->user == NULL || hs_msg_user_valid(cfg->user,
	    strlen(cfg->user)) != 0) {
		snprintf(err->msg, sizeof(err->msg), "invalid user name '%s'",
		    cfg->user ? cfg->user : "");
		return MP_ERR_INVALID_ARGUMENT;
	}
	if (cfg->known_hosts_path == NULL) {
		snprintf(err->msg, sizeof(err->msg), "no known_hosts file to "
		    "check the server's host key against; set HOME");
		return MP_ERR_INVALID_ARGUMENT;
	}
	return 0;
}

static int
run(struct login_ctx *x, const struct hs_client_params *p,
    struct mp_login *out)
{
	const struct hs_algorithms algs = { x->cfg->kex, NULL, x->cfg->aead,
	    x->cfg->mac, x->cfg->kdf };
	struct buf *buf;
	int r;

	if ((r = check_settings(x->cfg, x->err)) != 0)
		return r;
	if ((x->c = hs_client_new(&algs, MP_SOFTWARE, p)) == NULL) {
		snprintf(x->err->msg, sizeof(x->err->msg), "cannot start the "
		    "handshake: an algorithm list or the session request is "
		    "not valid");
		return MP_ERR_INVALID_ARGUMENT;
	}
	if ((buf = buf_new(HS_OUT_MAX)) == NULL) {
		snprintf(x->err->msg, sizeof(x->err->msg), "out of memory");
		return MP_ERR_ALLOC;
	}
	x->err->msg[0] = '\0';
	if ((r = drive(x, buf)) == HS_DONE)
		r = take_result(x, out);
	else if (x->err->msg[0] == '\0')
		describe_failure(x, r);
	buf_free(buf);
	return r;
}

int
login_run(const struct mp_config *cfg, const struct mp_conn *conn,
    struct mp_identities *ids, const struct hs_request *req,
    const uint8_t *resume_secret, struct mp_login *out,
    struct client_error *err)
{
	struct hs_client_params p;
	struct login_ctx x;
	int r;

	memset(&x, 0, sizeof(x));
	x.cfg = cfg;
	x.conn = conn;
	x.err = err;
	x.hc.host = cfg->host;
	x.hc.port = cfg->port;
	x.hc.addr = conn->addr_text;
	x.hc.path = cfg->known_hosts_path;
	x.hc.mode = cfg->host_key_checking;
	x.hc.msg = stderr;
	memset(&p, 0, sizeof(p));
	p.user = cfg->user;
	p.ids = ids->hs;
	p.nids = ids->n;
	p.verify_host = hostkey_verify;
	p.verify_arg = &x.hc;
	p.request = *req;
	p.resume_secret = resume_secret;
	memset(out, 0, sizeof(*out));
	r = run(&x, &p, out);
	hs_client_free(x.c);
	return r;
}

/* mon_auth.c: the monitor's authentication handlers: host key, signing H once, authorized_keys decisions, user-signature verification, PAM account check. */
#include <sys/types.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/authkeys.h"
#include "common/buf.h"
#include "common/crypto/sign.h"
#include "common/err.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "common/proto/msg.h"
#include "common/proto/transcript.h"
#include "common/pubkey.h"
#include "common/secmem.h"
#include "monitor/authfile.h"
#include "monitor/monitor.h"
#include "monitor/pam.h"

int
mon_hostkey(struct mon_conn *mc, struct buf *req, struct buf *ans)
{
	const uint8_t *alg;
	size_t len;
	struct buf *blob;
	int r;

	if ((r = buf_get_string_direct(req, &alg, &len, HS_NAME_MAX)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (len != strlen(mc->hostkey->alg) ||
	    memcmp(alg, mc->hostkey->alg, len) != 0)
		return buf_put_string(ans, NULL, 0);	/* no such key */
	if ((blob = buf_new(PUBKEY_BLOB_MAX)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = pubkey_put_blob(blob, mc->hostkey->key)) == 0)
		r = buf_put_stringb(ans, blob);
	buf_free(blob);
	return r;
}

int
mon_sign(struct mon_conn *mc, struct buf *req, struct buf *ans)
{
	const uint8_t *alg, *h;
	size_t alg_len, h_len;
	uint8_t sig[SIG_MAX];
	struct buf *data;
	int r;

	if ((r = buf_get_string_direct(req, &alg, &alg_len, HS_NAME_MAX)) != 0 ||
	    (r = buf_get_string_direct(req, &h, &h_len, HS_H_MAX)) != 0 ||
	    (r = buf_expect_end(req)) != 0)
		return r;
	if (alg_len != strlen(mc->hostkey->alg) ||
	    memcmp(alg, mc->hostkey->alg, alg_len) != 0 ||
	    !hs_msg_id_len_ok(h_len))
		return MP_ERR_INVALID_FORMAT;
	/* This H is the connection's from now on: the user's signature is
	 * checked against it, never against one the child names later. */
	memcpy(mc->h, h, h_len);
	mc->h_len = h_len;
	mc->signed_h = 1;
	if ((data = buf_new(256)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = hs_host_signed_data(data, h, h_len)) == 0 &&
	    (r = sig_sign(mc->hostkey->key, buf_ptr(data), buf_len(data),
	    sig)) == 0)
		r = buf_put_string(ans, sig,
		    sig_key_alg(mc->hostkey->key)->sig_len);
	buf_free(data);
	return r;
}

/* Look the user up; as an ordinary user mps can log in only itself. */
static int
find_user(struct mon_conn *mc, const char *name, struct mon_user *u)
{
	struct passwd *pw;

	if ((pw = getpwnam(name)) == NULL) {
		log_info("refused login of unknown user %s from %s port %u",
		    name, mc->peer_addr, mc->peer_port);
		return MP_ERR_NOT_FOUND;
	}
	if (geteuid() != 0 && pw->pw_uid != getuid()) {
		log_info("refused login of user %s from %s port %u: mps runs "
		    "as uid %u without root and can log in only that user",
		    name, mc->peer_addr, mc->peer_port, (unsigned)getuid());
		return MP_ERR_NOT_FOUND;
	}
	memset(u, 0, sizeof(*u));
	if (strlen(pw->pw_dir) >= sizeof(u->home) ||
	    strlen(pw->pw_shell) >= sizeof(u->shell))
		return MP_ERR_TOO_LARGE;
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->home, sizeof(u->home), "%s", pw->pw_dir);
	snprintf(u->shell, sizeof(u->shell), "%s", pw->pw_shell);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	return 0;
}

static void
passwd_of(const struct mon_user *u, struct passwd *pw)
{
	memset(pw, 0, sizeof(*pw));
	pw->pw_name = (char *)u->name;
	pw->pw_dir = (char *)u->home;
	pw->pw_shell = (char *)u->shell;
	pw->pw_uid = u->uid;
	pw->pw_gid = u->gid;
}

static void
log_bad_lines(const struct mon_user *u, const char *path,
    const struct authkeys_error *e)
{
	if (e->nbad > 0)
		log_info("%s: %zu malformed line(s) skipped, first at line "
		    "%zu: %s", path, e->nbad, e->line, e->msg);
	if (e->refused_line > 0)
		log_info("%s line %zu: key of user %s refused: %s", path,
		    e->refused_line, u->name, e->refused_msg);
}

/* 0 and mc->match filled if key may log in u; else why in the log. */
static int
key_in_file(struct mon_conn *mc, const struct mon_user *u,
    const struct sig_key *key)
{
	struct authkeys_error e;
	struct passwd pw;
	char path[4096], why[256];
	char *text = NULL;
	size_t len;
	int r;

	passwd_of(u, &pw);
	if ((r = authfile_expand(mc->cfg->authorized_keys_file, &pw, path,
	    sizeof(path))) != 0)
		return r;
	r = authfile_read(path, &pw, mc->cfg->strict_modes, &text, &len, why,
	    sizeof(why));
	if (r == MP_ERR_INTERNAL)
		fatal("cannot restore the monitor's ids after reading %s: %s",
		    path, why);
	if (r != 0) {
		log_info("refused key for user %s from %s port %u: cannot "
		    "use %s: %s", u->name, mc->peer_addr, mc->peer_port, path,
		    why);
		return MP_ERR_NOT_FOUND;
	}
	memset(&e, 0, sizeof(e));
	authkeys_match_free(&mc->match);
	r = authkeys_find(text, len, key, mc->peer_addr,
	    mc->cfg->permit_user_environment, &mc->match, &e);
	free(text);
	log_bad_lines(u, path, &e);
	if (r == MP_ERR_NOT_FOUND)
		log_info("refused key for user %s from %s port %u: key not "
		    "in %s", u->name, mc->peer_addr, mc->peer_port, path);
	return r;
}

/* A refused key costs what an allowed one would: one verification. */
static void
equalise_timing(const struct sig_key *key)
{
	uint8_t sig[SIG_MAX] = { 0 };
	static const uint8_t msg[64];

	(void)sig_verify(key, msg, sizeof(msg), sig,
	    sig_key_alg(key)->sig_len);
}

static int
parse_user_key(struct buf *req, char **user, const uint8_t **blob,
    size_t *blob_len)
{
	int r;

	if ((r = buf_get_cstring(req, user, HS_NAME_MAX)) != 0)
		return r;
	if ((r = hs_msg_user_valid(*user, strlen(*user))) != 0 ||
	    (r = buf_get_string_direct(req, blob, blob_len,
	    PUBKEY_BLOB_MAX)) != 0) {
		free(*user);
		*user = NULL;
		return r;
	}
	return 0;
}

static int
decide_key(struct mon_conn *mc, const char *user, const uint8_t *blob,
    size_t blob_len)
{
	struct sig_key *key;
	struct mon_user u;
	int r;

	mc->have_candidate = 0;
	if (pubkey_from_blob(blob, blob_len, &key, NULL) != 0)
		return MP_ERR_NOT_FOUND;
	if ((r = find_user(mc, user, &u)) == 0 &&
	    (r = key_in_file(mc, &u, key)) == 0 &&
	    blob_len <= sizeof(mc->blob)) {
		mc->user = u;
		memcpy(mc->blob, blob, blob_len);
		mc->blob_len = blob_len;
		mc->have_candidate = 1;
	} else
		equalise_timing(key);
	sig_free(key);
	if (r == 0 && !mc->have_candidate)
		r = MP_ERR_NOT_FOUND;
	return r == MP_ERR_ALLOC ? r : (r == 0 ? 0 : MP_ERR_NOT_FOUND);
}

/* The handshake ends after 6 failed attempts (PROTOCOL.md 2.8.1); a
 * child asking more often is not running it. */
#define KEY_QUERIES_MAX	16

int
mon_keyallowed(struct mon_conn *mc, struct buf *req, struct buf *ans)
{
	static unsigned queries;
	const uint8_t *blob;
	size_t blob_len;
	char *user;
	int r, result;

	if (++queries > KEY_QUERIES_MAX)
		return MP_ERR_LIMIT;
	if ((r = parse_user_key(req, &user, &blob, &blob_len)) != 0)
		return r;
	if ((r = buf_expect_end(req)) != 0) {
		free(user);
		return r;
	}
	result = decide_key(mc, user, blob, blob_len);
	if (result != 0)
		mc->auth_failures++;
	free(user);
	if (result == MP_ERR_ALLOC)
		return result;
	return monmsg_put_result(ans, result);
}

static int
pam_account(struct mon_conn *mc)
{
	char why[512];
	int r;

	if (!mc->cfg->use_pam)
		return 0;
	if ((r = mpam_start(mc->cfg->pam_service, mc->cfg->pam_confdir,
	    mc->user.name, mc->peer_addr, &mc->pam, why, sizeof(why))) != 0 ||
	    (r = mpam_account(mc->pam, why, sizeof(why))) != 0) {
		log_info("refused login of user %s from %s port %u: PAM "
		    "account check: %s", mc->user.name, mc->peer_addr,
		    mc->peer_port, why);
		mpam_end(mc->pam);
		mc->pam = NULL;
		return MP_ERR_SIGNATURE;
	}
	return 0;
}

/* Check the signature over the data built from the monitor's own H. */
static int
check_signature(struct mon_conn *mc, const uint8_t *sig, size_t sig_len)
{
	struct sig_key *key;
	struct buf *data;
	int r;

	if ((r = pubkey_from_blob(mc->blob, mc->blob_len, &key, NULL)) != 0)
		return r;
	if ((data = buf_new(HS_H_MAX + PUBKEY_BLOB_MAX + 256)) == NULL) {
		sig_free(key);
		return MP_ERR_ALLOC;
	}
	if ((r = hs_user_signed_data(data, mc->h, mc->h_len, mc->user.name,
	    mc->blob, mc->blob_len)) == 0)
		r = sig_verify(key, buf_ptr(data), buf_len(data), sig,
		    sig_len);
	buf_free(data);
	sig_free(key);
	return r;
}

static int
accept_user(struct mon_conn *mc)
{
	struct sig_key *key;
	char fp[PUBKEY_FP_SIZE] = "";

	if (pubkey_from_blob(mc->blob, mc->blob_len, &key, NULL) == 0) {
		pubkey_fingerprint(key, fp);
		sig_free(key);
	}
	mc->authenticated = 1;
	monitor_report(mc, CONN_STATUS_AUTHED);
	log_info("accepted key %s for %s from %s port %u (authorized_keys "
	    "line %zu)", fp, mc->user.name, mc->peer_addr, mc->peer_port,
	    mc->match.line);
	return 0;
}

int
mon_verify(struct mon_conn *mc, struct buf *req, struct buf *ans)
{
	const uint8_t *blob, *sig;
	size_t blob_len, sig_len;
	char *user;
	int r, result;

	if ((r = parse_user_key(req, &user, &blob, &blob_len)) != 0)
		return r;
	if ((r = buf_get_string_direct(req, &sig, &sig_len, SIG_MAX)) != 0 ||
	    (r = buf_expect_end(req)) != 0) {
		free(user);
		return r;
	}
	/* Only the key the monitor itself allowed, for the same user. */
	if (!mc->have_candidate || strcmp(user, mc->user.name) != 0 ||
	    blob_len != mc->blob_len || memcmp(blob, mc->blob, blob_len)) {
		free(user);
		return MP_ERR_INVALID_ARGUMENT;
	}
	free(user);
	mc->have_candidate = 0;
	result = check_signature(mc, sig, sig_len);
	if (result == MP_ERR_SIGNATURE)
		log_info("refused login of user %s from %s port %u: bad "
		    "signature", mc->user.name, mc->peer_addr, mc->peer_port);
	else if (result == 0 && (result = pam_account(mc)) == 0)
		result = accept_user(mc);
	if (result != 0)
		mc->auth_failures++;
	if (result != 0 && result != MP_ERR_SIGNATURE)
		return result;
	return monmsg_put_result(ans, result);
}

/* MON_RESUME's user holds any name the monitor logs in, no longer. */
_Static_assert(sizeof(((struct mon_resume_request *)0)->user) ==
    sizeof(((struct mon_conn *)0)->user.name), "user name sizes");

/* A resume proof (PROTOCOL.md 2.8.3): the session's own monitor checks
 * it against its secret and this connection's H. */
int
mon_resume(struct mon_conn *mc, struct buf *req, struct buf *ans)
{
	struct mon_resume_request q;
	int r;

	if ((r = monmsg_get_resume_request(req, &q)) != 0)
		return r;
	if (strcmp(q.user, mc->user.name) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	r = resume_check(mc, q.kdf, q.id, q.id_len, q.proof, q.proof_len);
	return monmsg_put_result(ans, r);
}

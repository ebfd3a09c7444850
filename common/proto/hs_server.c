/* hs_server.c: the server's half of the TCP handshake (PROTOCOL.md 2), without sockets; every privileged step is a call through struct hs_server_ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/pubkey.h"
#include "common/secmem.h"
#include "common/crypto/kex.h"
#include "common/crypto/random.h"
#include "common/proto/conn.h"
#include "common/proto/handshake.h"
#include "common/proto/names.h"
#include "common/proto/negotiate.h"
#include "common/proto/transcript.h"

#define AUTH_TRIES	6
#define AUTH_REFUSED	"permission denied (publickey)"

enum server_state {
	SV_HELLO,		/* the client's HELLO */
	SV_KEX,			/* its KEX_CLIENT for the guess */
	SV_KEX_RETRIED,		/* its KEX_CLIENT after KEX_RETRY */
	SV_AUTH,		/* USERAUTH_REQUEST */
	SV_REQUEST,		/* the session request, once authenticated */
	SV_DONE,
};

static const char *const state_wants[] = {
	"HELLO", "KEX_CLIENT", "KEX_CLIENT", "USERAUTH_REQUEST",
	"a session request", "nothing more",
};

struct hs_server {
	struct hs_conn c;
	const struct hs_server_ops *ops;
	void *arg;
	enum server_state state;
	struct hs_hello own, peer;
	char guess[HS_NAME_MAX + 1];	/* the client's first kex */
	struct hs_keys keys;
	char user[HS_NAME_MAX + 1];	/* once authenticated */
	int failures;
	int discard;		/* session requests to drop: one per failure */
	int have_session;
	struct hs_reply reply;
};

/* The own lists; host keys are those the monitor has, narrowed (in the
 * configured order) by algs->hostkey if given. */
static int
server_lists(struct hs_server *s, const struct hs_algorithms *algs)
{
	struct hs_algorithms a = { NULL, NULL, NULL, NULL, NULL };
	char both[NAMES_LIST_MAX + 1];
	const char *have = s->ops->hostkey_algorithms;
	int r;

	if (algs != NULL)
		a = *algs;
	if (have == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (a.hostkey == NULL)
		a.hostkey = have;
	if ((r = hs_negotiate_lists(&a, &s->own)) != 0)
		return r;
	if ((r = hs_names_intersect(s->own.list[HS_LIST_HOSTKEY], have, both,
	    sizeof(both))) != 0)
		return r;
	memcpy(s->own.list[HS_LIST_HOSTKEY], both, sizeof(both));
	mp_random(s->own.cookie, sizeof(s->own.cookie));
	return 0;
}

static int
got_hello(struct hs_server *s, struct buf *p)
{
	char why[HS_TEXT_MAX + 1];
	int r;

	if ((r = hs_msg_get_hello(p, &s->peer)) != 0)
		return hs_conn_malformed(&s->c, HS_MSG_HELLO, r);
	if (hs_negotiate(&s->peer, &s->own, &s->keys, why, sizeof(why)) != 0)
		return hs_conn_fail(&s->c, MP_ERR_UNKNOWN_ALGORITHM,
		    HS_R_KEX_FAILED, "%s", why);
	if ((r = hs_names_first(s->peer.list[HS_LIST_KEX], s->guess)) != 0)
		return hs_conn_internal(&s->c, r, "kex guess");
	s->state = SV_KEX;
	return HS_CONTINUE;
}

static int
send_retry(struct hs_server *s)
{
	int r;

	if ((r = hs_msg_put_kex_retry(hs_conn_msg(&s->c), s->keys.kex)) != 0 ||
	    (r = hs_conn_send(&s->c)) != 0)
		return hs_conn_internal(&s->c, r, "KEX_RETRY");
	s->state = SV_KEX_RETRIED;
	return HS_CONTINUE;
}

/* H over everything so far, the host's signature of it (the one call of
 * sign_h), and KEX_SERVER into the flight. */
static int
sign_and_send(struct hs_server *s, struct hs_exchange *x, struct buf *blob,
    struct buf *sig)
{
	struct hs_kex_server ks;
	int r;

	if ((r = s->ops->host_key(s->arg, s->keys.hostkey, blob)) != 0)
		return hs_conn_internal(&s->c, r, "host key");
	x->host_key = buf_ptr(blob);
	x->host_key_len = buf_len(blob);
	if ((r = hs_conn_hash(&s->c, x, &s->keys)) != 0)
		return hs_conn_internal(&s->c, r, "exchange hash");
	if ((r = s->ops->sign_h(s->arg, s->keys.hostkey, s->keys.h,
	    s->keys.h_len, sig)) != 0)
		return hs_conn_internal(&s->c, r, "host signature");
	ks.host_key = x->host_key;
	ks.host_key_len = x->host_key_len;
	ks.q = x->q_s;
	ks.q_len = x->q_s_len;
	ks.sig = buf_ptr(sig);
	ks.sig_len = buf_len(sig);
	if ((r = hs_msg_put_kex_server(hs_conn_msg(&s->c), &ks)) != 0 ||
	    (r = hs_conn_send(&s->c)) != 0)
		return hs_conn_internal(&s->c, r, "KEX_SERVER");
	return 0;
}

/* The key exchange proper: the shared secret, KEX_SERVER, the keys. */
static int
exchange(struct hs_server *s, const struct hs_kex_client *m)
{
	const struct kex_alg *alg = kex_by_name(s->keys.kex);
	uint8_t q_s[KEX_SERVER_MSG_MAX], k[KEX_SECRET_MAX];
	struct buf *blob = NULL, *sig = NULL;
	struct hs_exchange x;
	int r;

	if (alg == NULL)
		return hs_conn_internal(&s->c, MP_ERR_UNKNOWN_ALGORITHM, "kex");
	if (m->q_len != alg->client_msg_len ||
	    kex_server_reply(alg, m->q, m->q_len, q_s, k) != 0) {
		mp_zero(k, sizeof(k));
		return hs_conn_fail(&s->c, MP_ERR_INVALID_KEY, HS_R_KEX_FAILED,
		    "invalid %s value from the client", alg->name);
	}
	x.q_c = m->q;
	x.q_c_len = m->q_len;
	x.q_s = q_s;
	x.q_s_len = alg->server_msg_len;
	x.k = k;
	x.k_len = alg->secret_len;
	if ((blob = buf_new(PUBKEY_BLOB_MAX)) == NULL ||
	    (sig = buf_new(HS_SIG_MAX)) == NULL)
		r = hs_conn_internal(&s->c, MP_ERR_ALLOC, "KEX_SERVER");
	else if ((r = sign_and_send(s, &x, blob, sig)) == 0 &&
	    (r = hs_conn_start_keys(&s->c, &s->keys, k, x.k_len)) != 0)
		r = hs_conn_internal(&s->c, r, "key derivation");
	mp_zero(k, sizeof(k));
	buf_free(blob);
	buf_free(sig);
	if (r != 0)
		return r;
	s->state = SV_AUTH;
	return HS_CONTINUE;
}

static int
got_kex_client(struct hs_server *s, struct buf *p)
{
	const char *want = s->state == SV_KEX ? s->guess : s->keys.kex;
	struct hs_kex_client m;
	int r;

	if ((r = hs_msg_get_kex_client(p, &m)) != 0)
		return hs_conn_malformed(&s->c, HS_MSG_KEX_CLIENT, r);
	if (strcmp(m.name, want) != 0)
		return hs_conn_fail(&s->c, MP_ERR_INVALID_FORMAT,
		    HS_R_PROTOCOL_ERROR, "KEX_CLIENT for %s where %s was due",
		    m.name, want);
	/* The server's HELLO travels with its answer to the first one. */
	if (s->state == SV_KEX &&
	    (r = hs_conn_send_hello(&s->c, &s->own)) != 0)
		return hs_conn_internal(&s->c, r, "HELLO");
	if (strcmp(m.name, s->keys.kex) != 0)
		return send_retry(s);
	return exchange(s, &m);
}

/* 0 if the user may log in with this key and signature, MP_ERR_AUTH if
 * not (whatever the reason), another error if the monitor failed. */
static int
check_user(struct hs_server *s, const struct hs_userauth *m)
{
	struct sig_key *key;
	int r;

	if (pubkey_from_blob(m->blob, m->blob_len, &key, NULL) != 0)
		return MP_ERR_AUTH;
	sig_free(key);
	r = s->ops->key_allowed(s->arg, m->user, m->blob, m->blob_len);
	if (r != 0)
		return r == MP_ERR_NOT_FOUND ? MP_ERR_AUTH : r;
	r = s->ops->verify_user(s->arg, m->user, m->blob, m->blob_len,
	    m->sig, m->sig_len);
	return r == MP_ERR_SIGNATURE ? MP_ERR_AUTH : r;
}

static int
got_userauth(struct hs_server *s, struct buf *p)
{
	struct hs_userauth m;
	int r;

	if ((r = hs_msg_get_userauth(p, &m)) != 0)
		return hs_conn_malformed(&s->c, HS_MSG_USERAUTH_REQUEST, r);
	if ((r = check_user(s, &m)) == 0) {
		memcpy(s->user, m.user, sizeof(s->user));
		s->state = SV_REQUEST;
		return HS_CONTINUE;
	}
	if (r != MP_ERR_AUTH)
		return hs_conn_internal(&s->c, r, "user authentication");
	if (++s->failures >= AUTH_TRIES)
		return hs_conn_fail(&s->c, MP_ERR_AUTH, HS_R_AUTH_FAILED,
		    "too many authentication failures");
	if ((r = hs_msg_put_coded(hs_conn_msg(&s->c),
	    HS_MSG_USERAUTH_FAILURE, AUTH_TRIES - s->failures,
	    AUTH_REFUSED)) != 0 || (r = hs_conn_send(&s->c)) != 0)
		return hs_conn_internal(&s->c, r, "USERAUTH_FAILURE");
	s->discard++;
	return HS_CONTINUE;
}

/* The proof must have the KDF hash's length (PROTOCOL.md 2.8.3); the
 * monitor checks it against the session's secret and its own H. */
static int
check_resume(struct hs_server *s, const struct hs_request *req,
    const uint8_t *proof, size_t proof_len)
{
	enum hash_alg alg;
	int r;

	if ((r = kdf_by_name(s->keys.kdf, &alg)) != 0)
		return r;
	if (proof_len != hash_len(alg))
		return MP_ERR_KEY_LENGTH;
	return s->ops->verify_resume(s->arg, s->user, s->keys.kdf,
	    req->session_id, req->session_id_len, proof, proof_len);
}

/* Let the monitor carry out the request (a resume once its proof holds)
 * and record the session it made. */
static int
carry_out(struct hs_server *s, const struct hs_request *req,
    const uint8_t *proof, size_t proof_len)
{
	struct hs_reply *rep = &s->reply;
	const uint8_t *id = req->type == HS_REQ_NEW ? s->keys.h :
	    req->session_id;
	size_t id_len = req->type == HS_REQ_NEW ? s->keys.h_len :
	    req->session_id_len;
	int r;

	memset(rep, 0, sizeof(*rep));
	if (req->type == HS_REQ_RESUME &&
	    (r = check_resume(s, req, proof, proof_len)) != 0) {
		if (r == MP_ERR_KEY_LENGTH)
			return hs_conn_malformed(&s->c, HS_MSG_SESSION_RESUME,
			    r);
		if (r != MP_ERR_NOT_FOUND)
			return hs_conn_internal(&s->c, r, "resume");
		rep->reason = HS_R_SESSION_NOT_FOUND;
		snprintf(rep->message, sizeof(rep->message), "no such session");
		return 0;
	}
	if ((r = s->ops->request(s->arg, s->user, req, rep)) != 0)
		return hs_conn_internal(&s->c, r, "session request");
	if (rep->ok && req->type != HS_REQ_LIST) {
		memcpy(rep->session_id, id, id_len);
		rep->session_id_len = id_len;
		memcpy(s->keys.session_id, id, id_len);
		s->keys.session_id_len = id_len;
		s->have_session = 1;
	}
	return 0;
}

static int
got_request(struct hs_server *s, unsigned int type, struct buf *p)
{
	uint8_t proof[HASH_MAX_BYTES];
	struct hs_request req;
	size_t proof_len;
	int r;

	if ((r = hs_msg_get_request(p, type, &req, proof, &proof_len)) != 0)
		r = hs_conn_malformed(&s->c, type, r);
	else if ((r = carry_out(s, &req, proof, proof_len)) == 0) {
		if ((r = hs_msg_put_empty(hs_conn_msg(&s->c),
		    HS_MSG_USERAUTH_SUCCESS)) != 0 ||
		    (r = hs_conn_send(&s->c)) != 0 ||
		    (r = hs_msg_put_reply(hs_conn_msg(&s->c), req.type,
		    &s->reply)) != 0 || (r = hs_conn_send(&s->c)) != 0)
			r = hs_conn_internal(&s->c, r, "session reply");
	}
	hs_request_clear(&req);
	mp_zero(proof, sizeof(proof));
	if (r != 0) {
		s->have_session = 0;
		return r;
	}
	s->state = SV_DONE;
	return HS_DONE;
}

static int
is_request(unsigned int type)
{
	return type == HS_MSG_SESSION_NEW || type == HS_MSG_SESSION_RESUME ||
	    type == HS_MSG_SESSION_LIST;
}

static int
on_message(void *arg, unsigned int type, struct buf *p)
{
	struct hs_server *s = arg;

	switch (s->state) {
	case SV_HELLO:
		if (type == HS_MSG_HELLO)
			return got_hello(s, p);
		break;
	case SV_KEX:
	case SV_KEX_RETRIED:
		if (type == HS_MSG_KEX_CLIENT)
			return got_kex_client(s, p);
		break;
	case SV_AUTH:
		if (type == HS_MSG_USERAUTH_REQUEST)
			return got_userauth(s, p);
		if (is_request(type) && s->discard > 0) {
			s->discard--;
			return HS_CONTINUE;
		}
		break;
	case SV_REQUEST:
		if (is_request(type) && s->discard > 0) {
			s->discard--;	/* sent with a failed attempt */
			return HS_CONTINUE;
		}
		if (is_request(type))
			return got_request(s, type, p);
		break;
	case SV_DONE:
		break;
	}
	return hs_conn_unexpected(&s->c, type, state_wants[s->state]);
}

struct hs_server *
hs_server_new(const struct hs_algorithms *algs, const char *software,
    const struct hs_server_ops *ops, void *arg)
{
	struct hs_server *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->ops = ops;
	s->arg = arg;
	if (hs_conn_init(&s->c, 1, software, on_message, s) != 0 ||
	    server_lists(s, algs) != 0) {
		hs_server_free(s);
		return NULL;
	}
	return s;
}

int
hs_server_input(struct hs_server *s, const uint8_t *data, size_t len,
    struct buf *out)
{
	return hs_conn_input(&s->c, data, len, out);
}

int
hs_server_keys(const struct hs_server *s, struct hs_keys *keys)
{
	if (!s->have_session)
		return MP_ERR_INVALID_ARGUMENT;
	*keys = s->keys;
	return 0;
}

const char *
hs_server_user(const struct hs_server *s)
{
	return s->state >= SV_REQUEST ? s->user : NULL;
}

const char *
hs_server_error(const struct hs_server *s)
{
	return s->c.err;
}

void
hs_server_free(struct hs_server *s)
{
	if (s == NULL)
		return;
	hs_conn_free(&s->c);
	mp_free_secret(s, sizeof(*s));
}

/* hs_client.c: the client's half of the TCP handshake (PROTOCOL.md 2), without sockets. */
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

#define SIGNED_DATA_MAX	(4 * 4 + 32 + HS_H_MAX + HS_NAME_MAX + \
	PUBKEY_ALG_NAME_MAX + PUBKEY_BLOB_MAX)

enum client_state {
	CL_START,		/* hs_client_start() not called yet */
	CL_HELLO,		/* the server's HELLO */
	CL_KEX,			/* KEX_SERVER or KEX_RETRY */
	CL_AUTH,		/* USERAUTH_SUCCESS or USERAUTH_FAILURE */
	CL_REPLY,		/* the answer to the request */
	CL_DONE,
};

static const char *const state_wants[] = {
	"hs_client_start()", "HELLO", "KEX_SERVER", "the USERAUTH answer",
	"the session answer", "nothing more",
};

struct hs_client {
	struct hs_conn c;
	enum client_state state;
	struct hs_hello own, peer;
	const struct kex_alg *kex;	/* of the KEX_CLIENT last sent */
	struct kex_client *kc;
	uint8_t q_c[KEX_CLIENT_MSG_MAX];
	int retried;
	struct sig_key *host;
	struct hs_keys keys;
	char user[HS_NAME_MAX + 1];
	const struct hs_identity *ids;
	size_t nids, next_id;
	int (*verify_host)(void *, const struct sig_key *);
	void *verify_arg;
	struct hs_request req;		/* the caller's strings */
	uint8_t resume_secret[HS_RESUME_BYTES];
	struct hs_reply reply;
	int have_session;
};

static int
send_kex_client(struct hs_client *c)
{
	int r;

	kex_client_free(c->kc);
	c->kc = NULL;
	if ((r = kex_client_start(c->kex, &c->kc, c->q_c)) != 0 ||
	    (r = hs_msg_put_kex_client(hs_conn_msg(&c->c), c->kex->name,
	    c->q_c, c->kex->client_msg_len)) != 0 ||
	    (r = hs_conn_send(&c->c)) != 0)
		return hs_conn_internal(&c->c, r, "KEX_CLIENT");
	return 0;
}

static int
got_hello(struct hs_client *c, struct buf *p)
{
	char why[HS_TEXT_MAX + 1];
	int r;

	if ((r = hs_msg_get_hello(p, &c->peer)) != 0)
		return hs_conn_malformed(&c->c, HS_MSG_HELLO, r);
	if (hs_negotiate(&c->own, &c->peer, &c->keys, why, sizeof(why)) != 0)
		return hs_conn_fail(&c->c, MP_ERR_UNKNOWN_ALGORITHM,
		    HS_R_KEX_FAILED, "%s", why);
	c->state = CL_KEX;
	return HS_CONTINUE;
}

static int
got_retry(struct hs_client *c, struct buf *p)
{
	char name[HS_NAME_MAX + 1];
	const char *why = NULL;
	int r;

	if ((r = hs_msg_get_kex_retry(p, name)) != 0)
		return hs_conn_malformed(&c->c, HS_MSG_KEX_RETRY, r);
	if (c->retried)
		why = "already retried";
	else if (strcmp(c->kex->name, c->keys.kex) == 0)
		why = "the guess was right";
	else if (strcmp(name, c->keys.kex) != 0)
		why = "the negotiation chose another";
	if (why != NULL)
		return hs_conn_fail(&c->c, MP_ERR_INVALID_FORMAT,
		    HS_R_PROTOCOL_ERROR, "unexpected KEX_RETRY for %s (%s)",
		    name, why);
	c->retried = 1;
	if ((c->kex = kex_by_name(c->keys.kex)) == NULL)
		return hs_conn_internal(&c->c, MP_ERR_UNKNOWN_ALGORITHM, "kex");
	if ((r = send_kex_client(c)) != 0)
		return r;
	return HS_CONTINUE;
}

/* The server's host key: a valid blob of the negotiated type. */
static int
take_host_key(struct hs_client *c, const struct hs_kex_server *ks)
{
	int r;

	if ((r = pubkey_from_blob(ks->host_key, ks->host_key_len, &c->host,
	    NULL)) != 0)
		return hs_conn_fail(&c->c, r, HS_R_PROTOCOL_ERROR,
		    "invalid host key (%s)", mp_strerror(r));
	if (strcmp(sig_key_alg(c->host)->name, c->keys.hostkey) != 0)
		return hs_conn_fail(&c->c, MP_ERR_INVALID_FORMAT,
		    HS_R_PROTOCOL_ERROR, "host key of type %s where %s was "
		    "negotiated", sig_key_alg(c->host)->name, c->keys.hostkey);
	return 0;
}

/* H and every key from the server's value; records are encrypted from
 * here on (so a refusal of the host key travels encrypted). */
static int
agree(struct hs_client *c, const struct hs_kex_server *ks)
{
	uint8_t k[KEX_SECRET_MAX];
	struct hs_exchange x;
	int r;

	if (c->kc == NULL)	/* a second KEX_SERVER */
		return hs_conn_fail(&c->c, MP_ERR_INVALID_FORMAT,
		    HS_R_PROTOCOL_ERROR, "a second KEX_SERVER message");
	if (ks->q_len != c->kex->server_msg_len ||
	    kex_client_finish(c->kc, ks->q, ks->q_len, k) != 0) {
		mp_zero(k, sizeof(k));
		return hs_conn_fail(&c->c, MP_ERR_INVALID_KEY, HS_R_KEX_FAILED,
		    "invalid %s value from the server", c->kex->name);
	}
	kex_client_free(c->kc);
	c->kc = NULL;
	x.host_key = ks->host_key;
	x.host_key_len = ks->host_key_len;
	x.q_c = c->q_c;
	x.q_c_len = c->kex->client_msg_len;
	x.q_s = ks->q;
	x.q_s_len = ks->q_len;
	x.k = k;
	x.k_len = c->kex->secret_len;
	if ((r = hs_conn_hash(&c->c, &x, &c->keys)) == 0)
		r = hs_conn_start_keys(&c->c, &c->keys, k, x.k_len);
	mp_zero(k, sizeof(k));
	return r == 0 ? 0 : hs_conn_internal(&c->c, r, "key derivation");
}

/* The host's signature of H, then the caller's known_hosts check. */
static int
verify_host(struct hs_client *c, const struct hs_kex_server *ks)
{
	struct buf *data;
	int r;

	if ((data = buf_new(SIGNED_DATA_MAX)) == NULL)
		return hs_conn_internal(&c->c, MP_ERR_ALLOC, "host signature");
	if ((r = hs_host_signed_data(data, c->keys.h, c->keys.h_len)) == 0)
		r = sig_verify(c->host, buf_ptr(data), buf_len(data), ks->sig,
		    ks->sig_len);
	buf_free(data);
	if (r != 0)
		return hs_conn_fail(&c->c, MP_ERR_SIGNATURE,
		    HS_R_HOST_KEY_NOT_VERIFIABLE, "the host's signature does "
		    "not verify: the negotiation was altered in transit or "
		    "the server does not hold its host key");
	if ((r = c->verify_host(c->verify_arg, c->host)) != 0)
		return hs_conn_fail(&c->c, r, HS_R_HOST_KEY_NOT_VERIFIABLE,
		    "host key not accepted (%s)", mp_strerror(r));
	return 0;
}

/* USERAUTH_REQUEST signed by the next identity. */
static int
put_userauth(struct hs_client *c, struct buf *blob, struct buf *data)
{
	const struct hs_identity *id = &c->ids[c->next_id++];
	uint8_t sig[HS_SIG_MAX];
	size_t sig_len = sizeof(sig);
	struct hs_userauth m;
	int r;

	if ((r = pubkey_put_blob(blob, id->pub)) != 0 ||
	    (r = hs_user_signed_data(data, c->keys.h, c->keys.h_len, c->user,
	    buf_ptr(blob), buf_len(blob))) != 0 ||
	    (r = id->sign(id->arg, buf_ptr(data), buf_len(data), sig,
	    &sig_len)) != 0)
		return r;
	if (sig_len > sizeof(sig))
		return MP_ERR_INTERNAL;
	memcpy(m.user, c->user, sizeof(m.user));
	m.blob = buf_ptr(blob);
	m.blob_len = buf_len(blob);
	m.sig = sig;
	m.sig_len = sig_len;
	if ((r = hs_msg_put_userauth(hs_conn_msg(&c->c), &m)) != 0)
		return r;
	return hs_conn_send(&c->c);
}

/* The session request, with its proof for a resume. */
static int
put_request(struct hs_client *c)
{
	uint8_t proof[HASH_MAX_BYTES];
	size_t proof_len = 0;
	int r = 0;

	if (c->req.type == HS_REQ_RESUME)
		r = hs_resume_proof(c->keys.kdf, c->resume_secret, c->keys.h,
		    c->keys.h_len, proof, &proof_len);
	if (r == 0 && (r = hs_msg_put_request(hs_conn_msg(&c->c), &c->req,
	    proof, proof_len)) == 0)
		r = hs_conn_send(&c->c);
	mp_zero(proof, sizeof(proof));
	return r;
}

/* The encrypted flight: authentication and the request together. */
static int
send_auth(struct hs_client *c)
{
	struct buf *blob, *data = NULL;
	int r = MP_ERR_ALLOC;

	if ((blob = buf_new(PUBKEY_BLOB_MAX)) != NULL &&
	    (data = buf_new(SIGNED_DATA_MAX)) != NULL &&
	    (r = put_userauth(c, blob, data)) == 0)
		r = put_request(c);
	buf_free(blob);
	buf_free(data);
	if (r != 0)
		return hs_conn_internal(&c->c, r, "user authentication");
	c->state = CL_AUTH;
	return HS_CONTINUE;
}

static int
got_kex_server(struct hs_client *c, struct buf *p)
{
	struct hs_kex_server ks;
	int r;

	if (strcmp(c->kex->name, c->keys.kex) != 0)
		return hs_conn_fail(&c->c, MP_ERR_INVALID_FORMAT,
		    HS_R_PROTOCOL_ERROR, "KEX_SERVER without the KEX_RETRY "
		    "for %s the negotiation requires", c->keys.kex);
	if ((r = hs_msg_get_kex_server(p, &ks)) != 0)
		return hs_conn_malformed(&c->c, HS_MSG_KEX_SERVER, r);
	if ((r = take_host_key(c, &ks)) != 0 || (r = agree(c, &ks)) != 0 ||
	    (r = verify_host(c, &ks)) != 0)
		return r;
	return send_auth(c);
}

static int
got_success(struct hs_client *c, struct buf *p)
{
	int r;

	if ((r = buf_expect_end(p)) != 0)
		return hs_conn_malformed(&c->c, HS_MSG_USERAUTH_SUCCESS, r);
	c->state = CL_REPLY;
	return HS_CONTINUE;
}

static int
got_failure(struct hs_client *c, struct buf *p)
{
	char text[HS_TEXT_MAX + 1];
	uint32_t left;
	int r;

	if ((r = hs_msg_get_coded(p, &left, text)) != 0)
		return hs_conn_malformed(&c->c, HS_MSG_USERAUTH_FAILURE, r);
	hs_msg_clean_text(text);
	if (left == 0 || c->next_id >= c->nids)
		return hs_conn_fail(&c->c, MP_ERR_AUTH, HS_R_AUTH_FAILED,
		    "%s (no more identities to try)", text);
	return send_auth(c);
}

/* The session a SESSION_REPLY must name: H, or the one resumed. */
static int
check_reply_id(struct hs_client *c)
{
	const uint8_t *id = c->req.type == HS_REQ_NEW ? c->keys.h :
	    c->req.session_id;
	size_t id_len = c->req.type == HS_REQ_NEW ? c->keys.h_len :
	    c->req.session_id_len;

	if (c->reply.session_id_len != id_len ||
	    memcmp(c->reply.session_id, id, id_len) != 0)
		return hs_conn_fail(&c->c, MP_ERR_INVALID_FORMAT,
		    HS_R_PROTOCOL_ERROR, "SESSION_REPLY names another session");
	memcpy(c->keys.session_id, id, id_len);
	c->keys.session_id_len = id_len;
	c->have_session = 1;
	return 0;
}

static int
got_reply(struct hs_client *c, unsigned int type, struct buf *p)
{
	size_t i;
	int r;

	if ((type == HS_MSG_SESSION_LIST_REPLY) != (c->req.type == HS_REQ_LIST) &&
	    type != HS_MSG_SESSION_FAILURE)
		return hs_conn_unexpected(&c->c, type, state_wants[c->state]);
	if ((r = hs_msg_get_reply(p, type, &c->reply)) != 0)
		return hs_conn_malformed(&c->c, type, r);
	hs_msg_clean_text(c->reply.message);
	for (i = 0; i < c->reply.nsessions; i++)
		hs_msg_clean_text(c->reply.sessions[i].command);
	if (type == HS_MSG_SESSION_REPLY && (r = check_reply_id(c)) != 0)
		return r;
	c->state = CL_DONE;
	return HS_DONE;
}

static int
is_answer(unsigned int type)
{
	return type == HS_MSG_SESSION_REPLY ||
	    type == HS_MSG_SESSION_LIST_REPLY ||
	    type == HS_MSG_SESSION_FAILURE;
}

static int
on_message(void *arg, unsigned int type, struct buf *p)
{
	struct hs_client *c = arg;

	switch (c->state) {
	case CL_HELLO:
		if (type == HS_MSG_HELLO)
			return got_hello(c, p);
		break;
	case CL_KEX:
		if (type == HS_MSG_KEX_RETRY)
			return got_retry(c, p);
		if (type == HS_MSG_KEX_SERVER)
			return got_kex_server(c, p);
		break;
	case CL_AUTH:
		if (type == HS_MSG_USERAUTH_FAILURE)
			return got_failure(c, p);
		if (type == HS_MSG_USERAUTH_SUCCESS)
			return got_success(c, p);
		break;
	case CL_REPLY:
		if (is_answer(type))
			return got_reply(c, type, p);
		break;
	case CL_START:
	case CL_DONE:
		break;
	}
	return hs_conn_unexpected(&c->c, type, state_wants[c->state]);
}

/* The parameters must make a request the server can parse; it is
 * encoded once here (with a placeholder proof) to find out early. */
static int
check_params(const struct hs_client_params *p)
{
	static const uint8_t placeholder[32];
	struct buf *b;
	int r;

	if (p->user == NULL || hs_msg_user_valid(p->user,
	    strlen(p->user)) != 0 || p->ids == NULL || p->nids == 0 ||
	    p->verify_host == NULL ||
	    (p->request.type == HS_REQ_RESUME && p->resume_secret == NULL))
		return MP_ERR_INVALID_ARGUMENT;
	if ((b = buf_new(HS_MAX_MESSAGE)) == NULL)
		return MP_ERR_ALLOC;
	r = hs_msg_put_request(b, &p->request, placeholder,
	    sizeof(placeholder));
	buf_free(b);
	return r;
}

struct hs_client *
hs_client_new(const struct hs_algorithms *algs, const char *software,
    const struct hs_client_params *params)
{
	struct hs_client *c;

	if (check_params(params) != 0 ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	memcpy(c->user, params->user, strlen(params->user) + 1);
	c->ids = params->ids;
	c->nids = params->nids;
	c->verify_host = params->verify_host;
	c->verify_arg = params->verify_arg;
	c->req = params->request;
	if (params->request.type == HS_REQ_RESUME)
		memcpy(c->resume_secret, params->resume_secret,
		    HS_RESUME_BYTES);
	mp_random(c->own.cookie, sizeof(c->own.cookie));
	if (hs_conn_init(&c->c, 0, software, on_message, c) != 0 ||
	    hs_negotiate_lists(algs, &c->own) != 0) {
		hs_client_free(c);
		return NULL;
	}
	return c;
}

/* The first flight: HELLO and a KEX_CLIENT for the first own kex. */
static int
first_flight(struct hs_client *c, struct buf *out)
{
	char guess[HS_NAME_MAX + 1];
	int r;

	if (hs_names_first(c->own.list[HS_LIST_KEX], guess) != 0 ||
	    (c->kex = kex_by_name(guess)) == NULL)
		return hs_conn_internal(&c->c, MP_ERR_INTERNAL, "kex guess");
	if ((r = hs_conn_send_hello(&c->c, &c->own)) != 0)
		return hs_conn_internal(&c->c, r, "HELLO");
	if ((r = send_kex_client(c)) != 0)
		return r;
	if ((r = hs_conn_flush(&c->c, out)) != 0)
		return hs_conn_internal(&c->c, r, "first flight");
	return 0;
}

int
hs_client_start(struct hs_client *c, struct buf *out)
{
	int r;

	if (c->state != CL_START)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = first_flight(c, out)) != 0)
		return hs_conn_abort(&c->c, r);
	c->state = CL_HELLO;
	return HS_CONTINUE;
}

int
hs_client_input(struct hs_client *c, const uint8_t *data, size_t len,
    struct buf *out)
{
	return hs_conn_input(&c->c, data, len, out);
}

const struct hs_reply *
hs_client_reply(const struct hs_client *c)
{
	return c->state == CL_DONE ? &c->reply : NULL;
}

int
hs_client_keys(const struct hs_client *c, struct hs_keys *keys)
{
	if (!c->have_session)
		return MP_ERR_INVALID_ARGUMENT;
	*keys = c->keys;
	return 0;
}

const struct sig_key *
hs_client_host_key(const struct hs_client *c)
{
	return c->host;
}

const char *
hs_client_error(const struct hs_client *c)
{
	return c->c.err;
}

void
hs_client_free(struct hs_client *c)
{
	if (c == NULL)
		return;
	kex_client_free(c->kc);
	sig_free(c->host);
	hs_conn_free(&c->c);
	mp_free_secret(c, sizeof(*c));
}

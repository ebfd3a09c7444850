/* hs_fake.c: a fake monitor behind struct hs_server_ops, signing identities, and a driver that runs client and server against each other (tests, fuzzers, benchmarks). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/pubkey.h"
#include "common/secmem.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"
#include "common/proto/handshake.h"
#include "common/proto/transcript.h"
#include "regress/unittests/hs_fake.h"

/* One host key per type, made once per process. */
static struct sig_key *fake_host_keys[3];

struct sig_key *
fake_host_key(const char *alg)
{
	const struct sig_alg *a = sig_by_name(alg);

	if (a == NULL || (size_t)a->type >= 3)
		return NULL;
	if (fake_host_keys[a->type] == NULL &&
	    sig_generate(a, &fake_host_keys[a->type]) != 0)
		return NULL;
	return fake_host_keys[a->type];
}

static int
fake_host_key_op(void *arg, const char *alg, struct buf *blob)
{
	struct sig_key *k = fake_host_key(alg);

	(void)arg;
	return k == NULL ? MP_ERR_NOT_FOUND : pubkey_put_blob(blob, k);
}

/* Signs only the first H it is given, like the real monitor. */
static int
fake_sign_h(void *arg, const char *alg, const uint8_t *h, size_t h_len,
    struct buf *sig)
{
	struct fake *f = arg;
	const struct sig_key *k = f->sign_with ? f->sign_with :
	    fake_host_key(alg);
	uint8_t s[SIG_MAX], hh[HS_H_MAX];
	struct buf *data;
	int r;

	if (f->sign_calls++ > 0 || k == NULL || h_len > HS_H_MAX)
		return MP_ERR_INTERNAL;
	memcpy(f->h, h, h_len);
	f->h_len = h_len;
	memcpy(hh, h, h_len);
	if (f->sign_other_h)
		hh[0] ^= 1;
	if ((data = buf_new(4096)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = hs_host_signed_data(data, hh, h_len)) == 0 &&
	    (r = sig_sign(k, buf_ptr(data), buf_len(data), s)) == 0)
		r = buf_put(sig, s, sig_key_alg(k)->sig_len);
	buf_free(data);
	return r;
}

/* 1 if blob is the blob of key. */
static int
fake_blob_is(const struct sig_key *key, const uint8_t *blob, size_t len)
{
	struct buf *b = buf_new(PUBKEY_BLOB_MAX);
	int same;

	if (b == NULL || pubkey_put_blob(b, key) != 0)
		abort();
	same = buf_len(b) == len && memcmp(buf_ptr(b), blob, len) == 0;
	buf_free(b);
	return same;
}

static int
fake_key_allowed(void *arg, const char *user, const uint8_t *blob, size_t len)
{
	struct fake *f = arg;
	size_t i;

	f->allowed_calls++;
	for (i = 0; i < f->nauth; i++)
		if (strcmp(f->auth[i].user, user) == 0 &&
		    fake_blob_is(f->auth[i].key, blob, len))
			return 0;
	return MP_ERR_NOT_FOUND;
}

/* Verifies over data built from the H it signed itself. */
static int
fake_verify_user(void *arg, const char *user, const uint8_t *blob,
    size_t blob_len, const uint8_t *sig, size_t sig_len)
{
	struct fake *f = arg;
	struct sig_key *key;
	struct buf *data;
	int r;

	f->verify_calls++;
	if (f->sign_calls != 1)
		return MP_ERR_INTERNAL;
	if ((r = pubkey_from_blob(blob, blob_len, &key, NULL)) != 0)
		return r;
	if ((data = buf_new(8192)) == NULL)
		abort();
	if ((r = hs_user_signed_data(data, f->h, f->h_len, user, blob,
	    blob_len)) == 0)
		r = sig_verify(key, buf_ptr(data), buf_len(data), sig, sig_len);
	buf_free(data);
	sig_free(key);
	return r;
}

static int
fake_verify_resume(void *arg, const char *user, const char *kdf,
    const uint8_t *id, size_t id_len, const uint8_t *proof, size_t proof_len)
{
	struct fake *f = arg;
	uint8_t want[HASH_MAX_BYTES];
	size_t i, want_len;

	f->resume_calls++;
	for (i = 0; i < f->nsessions; i++)
		if (f->sessions[i].id_len == id_len &&
		    memcmp(f->sessions[i].id, id, id_len) == 0 &&
		    strcmp(f->sessions[i].user, user) == 0)
			break;
	/* Over the H this monitor signed, never one the child names. */
	if (i == f->nsessions || hs_resume_proof(kdf, f->sessions[i].secret,
	    f->h, f->h_len, want, &want_len) != 0 || want_len != proof_len ||
	    !mp_ct_equal(want, proof, proof_len))
		return MP_ERR_NOT_FOUND;
	return 0;
}

static char *
fake_strdup(const char *s)
{
	char *d = strdup(s != NULL ? s : "");

	if (d == NULL)
		abort();
	return d;
}

/* Keep a deep copy of the request for the test to look at. */
static void
fake_keep_request(struct fake *f, const struct hs_request *req)
{
	size_t i;

	hs_request_clear(&f->req);
	f->req = *req;
	if (req->type != HS_REQ_NEW)
		return;
	f->req.term = fake_strdup(req->term);
	f->req.mode = fake_strdup(req->mode);
	f->req.command = fake_strdup(req->command);
	for (i = 0; i < req->nenv; i++) {
		f->req.env[i].name = fake_strdup(req->env[i].name);
		f->req.env[i].value = fake_strdup(req->env[i].value);
	}
}

static void
fake_list(const struct fake *f, struct hs_reply *reply)
{
	size_t i;

	for (i = 0; i < f->nsessions; i++) {
		struct hs_session_info *si = &reply->sessions[i];

		memcpy(si->session_id, f->sessions[i].id, f->sessions[i].id_len);
		si->session_id_len = f->sessions[i].id_len;
		si->started = 1700000000 + i;
		si->attached = (int)(i % 2);
		si->cols = 80;
		si->rows = 24;
		strcpy(si->command, i % 2 ? "top" : "");
	}
	reply->nsessions = f->nsessions;
}

static int
fake_request(void *arg, const char *user, const struct hs_request *req,
    struct hs_reply *reply)
{
	struct fake *f = arg;

	f->request_calls++;
	strcpy(f->req_user, user);
	fake_keep_request(f, req);
	if (f->refuse) {
		reply->reason = HS_R_SESSION_REFUSED;
		strcpy(reply->message, "logins disabled\x1b[2J; try later");
		return 0;
	}
	reply->ok = 1;
	if (f->bad_reply)
		return 0;	/* no port, no mode: the reply cannot encode */
	switch (req->type) {
	case HS_REQ_NEW:
		reply->udp_port = 60001;
		strcpy(reply->mode, req->mode);
		break;
	case HS_REQ_RESUME:
		reply->udp_port = 60002;
		strcpy(reply->mode, "statesync");
		break;
	case HS_REQ_LIST:
		fake_list(f, reply);
		break;
	}
	return 0;
}

void
fake_init(struct fake *f, const char *hostkeys)
{
	memset(f, 0, sizeof(*f));
	f->ops.hostkey_algorithms = hostkeys;
	f->ops.host_key = fake_host_key_op;
	f->ops.sign_h = fake_sign_h;
	f->ops.key_allowed = fake_key_allowed;
	f->ops.verify_user = fake_verify_user;
	f->ops.verify_resume = fake_verify_resume;
	f->ops.request = fake_request;
}

void
fake_free(struct fake *f)
{
	hs_request_clear(&f->req);
}

void
fake_allow(struct fake *f, const char *user, const struct sig_key *key)
{
	if (f->nauth == FAKE_NAUTH)
		abort();
	f->auth[f->nauth].user = user;
	f->auth[f->nauth++].key = key;
}

/* Record a session the server made, with its resume secret. */
void
fake_add_session(struct fake *f, const char *user, const struct hs_keys *k)
{
	struct fake_session *s;

	if (f->nsessions == FAKE_NSESSIONS)
		abort();
	s = &f->sessions[f->nsessions++];
	memcpy(s->id, k->session_id, k->session_id_len);
	s->id_len = k->session_id_len;
	memcpy(s->secret, k->resume, HS_RESUME_BYTES);
	strcpy(s->user, user);
}

/* ---- identities --------------------------------------------------- */

int
fake_id_sign(void *arg, const uint8_t *data, size_t len, uint8_t *sig,
    size_t *sig_len)
{
	struct fake_id *id = arg;
	const struct sig_key *k = id->signer ? id->signer : id->key;
	struct buf *blob, *other;
	int r;

	id->sign_calls++;
	if (*sig_len < sig_key_alg(k)->sig_len)
		return MP_ERR_NO_SPACE;
	*sig_len = sig_key_alg(k)->sig_len;
	if (id->other_h == NULL)
		return sig_sign(k, data, len, sig);
	if ((blob = buf_new(PUBKEY_BLOB_MAX)) == NULL ||
	    (other = buf_new(8192)) == NULL)
		abort();
	if ((r = pubkey_put_blob(blob, id->key)) == 0 &&
	    (r = hs_user_signed_data(other, id->other_h, id->other_h_len,
	    id->user, buf_ptr(blob), buf_len(blob))) == 0)
		r = sig_sign(k, buf_ptr(other), buf_len(other), sig);
	buf_free(blob);
	buf_free(other);
	return r;
}

void
fake_id_init(struct fake_id *id, const char *alg)
{
	memset(id, 0, sizeof(*id));
	if (sig_generate(sig_by_name(alg), &id->key) != 0)
		abort();
}

struct hs_identity
fake_identity(struct fake_id *id)
{
	struct hs_identity i = { id->key, fake_id_sign, id };

	return i;
}

/* known_hosts: the fake's host keys, unless told to refuse. */
int
fake_verify_host(void *arg, const struct sig_key *key)
{
	const int *refuse = arg;

	if (refuse != NULL && *refuse)
		return MP_ERR_NOT_FOUND;
	return sig_key_equal(key, fake_host_key(sig_key_alg(key)->name)) ?
	    0 : MP_ERR_NOT_FOUND;
}

/* ---- driver ------------------------------------------------------- */

static int
pump_srv(void *m, const uint8_t *d, size_t n, struct buf *out)
{
	return hs_server_input(m, d, n, out);
}

static int
pump_cli(void *m, const uint8_t *d, size_t n, struct buf *out)
{
	return hs_client_input(m, d, n, out);
}

/* Deliver data to one machine in chunks; returns its result. */
static int
pump_feed(struct pump *p, int to_client, struct buf *data, struct buf *out)
{
	int (*in)(void *, const uint8_t *, size_t, struct buf *) =
	    to_client ? pump_cli : pump_srv;
	void *m = to_client ? (void *)p->c : (void *)p->s;
	size_t off = 0, n;
	int r = HS_CONTINUE;

	if (p->tamper != NULL)
		p->tamper(p->tamper_arg, to_client, p->sent[to_client], data);
	p->sent[to_client]++;
	if (p->wire[to_client] != NULL &&
	    buf_put(p->wire[to_client], buf_ptr(data), buf_len(data)) != 0)
		abort();
	while (off < buf_len(data) && r == HS_CONTINUE) {
		n = buf_len(data) - off;
		if (p->chunk != 0 && n > p->chunk)
			n = p->chunk;
		r = in(m, buf_ptr(data) + off, n, out);
		off += n;
	}
	buf_reset(data);
	return r;
}

/* Run both machines until neither has anything to say. */
void
pump_run(struct pump *p)
{
	struct buf *to_s = buf_new(FAKE_IO_MAX), *to_c = buf_new(FAKE_IO_MAX);

	if (to_s == NULL || to_c == NULL)
		abort();
	p->src = HS_CONTINUE;
	p->crc = hs_client_start(p->c, to_s);
	while (buf_len(to_s) > 0 || buf_len(to_c) > 0) {
		if (buf_len(to_s) > 0 && p->src == HS_CONTINUE)
			p->src = pump_feed(p, 0, to_s, to_c);
		buf_reset(to_s);
		if (buf_len(to_c) > 0 && p->crc == HS_CONTINUE)
			p->crc = pump_feed(p, 1, to_c, to_s);
		buf_reset(to_c);
	}
	buf_free(to_s);
	buf_free(to_c);
}


/* ---- a whole run ---------------------------------------------------- */

static char run_term[] = "xterm-256color";
static char run_mode[] = "statesync";
static char run_empty[] = "";

void
fake_run_init(struct fake_run *t, const char *hostkeys, const char *user,
    struct fake_id *id)
{
	memset(t, 0, sizeof(*t));
	fake_init(&t->f, hostkeys ? hostkeys :
	    "ed25519,ecdsa-p256,ecdsa-p384");
	if (id->key == NULL)
		fake_id_init(id, "ed25519");
	id->sign_calls = 0;
	fake_allow(&t->f, user, id->key);
	t->ids[0] = fake_identity(id);
	t->nids = 1;
	t->params.user = user;
	t->params.verify_host = fake_verify_host;
	t->params.verify_arg = &t->refuse_host;
	t->params.request.type = HS_REQ_NEW;
	t->params.request.term = run_term;
	t->params.request.mode = run_mode;
	t->params.request.command = run_empty;
	t->params.request.cols = 80;
	t->params.request.rows = 24;
}

void
fake_run_go(struct fake_run *t)
{
	t->params.ids = t->ids;
	t->params.nids = t->nids;
	t->p.c = hs_client_new(&t->calgs, "moshpit_test", &t->params);
	t->p.s = hs_server_new(&t->salgs, "moshpit_test", &t->f.ops, &t->f);
	if (t->p.c == NULL || t->p.s == NULL)
		abort();
	pump_run(&t->p);
}

void
fake_run_done(struct fake_run *t)
{
	hs_client_free(t->p.c);
	hs_server_free(t->p.s);
	buf_free(t->p.wire[0]);
	buf_free(t->p.wire[1]);
	fake_free(&t->f);
	hs_keys_clear(&t->ck);
	hs_keys_clear(&t->sk);
}

/* test_handshake_attacks.c: the handshake machines against altered, forged, replayed and malformed input: downgrades, wrong signatures, bad frames, protocol violations, brute force. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/crypto/kex.h"
#include "common/proto/msg.h"
#include "common/proto/negotiate.h"
#include "common/proto/tcprecord.h"
#include "common/proto/transcript.h"
#include "common/err.h"
#include "common/crypto/random.h"
#include "common/pubkey.h"
#include "regress/unittests/hs_fake.h"

#define USER		"alice"
#define ALL_HOSTKEYS	"ed25519,ecdsa-p256,ecdsa-p384"
#define VERSION_LINE	"MOSHPIT-1-raw_0.1\r\n"

static struct fake_id alice;		/* authorised for USER */

/* ---- a client and a server with a fake monitor ---------------------- */

static void
run_init(struct fake_run *t)
{
	fake_run_init(t, NULL, USER, &alice);
}

static void
expect_error(const char *err, const char *want)
{
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err, want);
}

/* ---- a scripted client speaking to a real server ---------------------- */

/*
 * It does the key exchange like the real client, then sends whatever a
 * test wants, encrypted, and reads the server's answers.
 */
struct raw {
	struct fake f;
	struct hs_server *s;
	struct buf *out;		/* from the server, not yet read */
	struct buf *msg;
	struct hs_hello own, peer;
	struct buf *own_hello, *peer_hello, *server_version;
	struct hs_keys keys;
	struct hs_rec send, recv;
	int rc;				/* the server's last result */
};

/* Feed bytes to the server. */
static int
raw_feed(struct raw *r, const uint8_t *p, size_t len)
{
	return r->rc = hs_server_input(r->s, p, len, r->out);
}

/* Frame and (once keyed) encrypt a message, and feed it. */
static int
raw_send(struct raw *r, const struct buf *m)
{
	struct buf *b = buf_new(2 * HS_REC_FRAME_MAX);

	assert_non_null(b);
	assert_int_equal(hs_rec_write(&r->send, buf_ptr(m), buf_len(m), b), 0);
	raw_feed(r, buf_ptr(b), buf_len(b));
	buf_free(b);
	return r->rc;
}

/* The next message from the server: its type, payload in r->msg. */
static int
raw_recv(struct raw *r)
{
	uint8_t type;

	assert_int_equal(hs_rec_read(&r->recv, r->out, r->msg), 1);
	assert_int_equal(buf_get_u8(r->msg, &type), 0);
	return type;
}

/* The server's version line, HELLO and KEX_SERVER; H and the keys. */
static void
raw_finish_kex(struct raw *r, struct kex_client *kc,
    const uint8_t *q_c, const struct kex_alg *alg)
{
	struct hs_kex_server ks;
	struct hs_transcript t;
	struct hs_tcp_keys tcp;
	uint8_t k[KEX_SECRET_MAX];
	char why[256];
	const uint8_t *nl = memchr(buf_ptr(r->out), '\n', buf_len(r->out));

	assert_non_null(nl);
	buf_put(r->server_version, buf_ptr(r->out), nl - 1 - buf_ptr(r->out));
	buf_consume(r->out, nl + 1 - buf_ptr(r->out));
	assert_int_equal(raw_recv(r), HS_MSG_HELLO);
	buf_put_u8(r->peer_hello, HS_MSG_HELLO);
	buf_put(r->peer_hello, buf_ptr(r->msg), buf_len(r->msg));
	assert_int_equal(hs_msg_get_hello(r->msg, &r->peer), 0);
	assert_int_equal(hs_negotiate(&r->own, &r->peer, &r->keys, why,
	    sizeof(why)), 0);
	assert_int_equal(raw_recv(r), HS_MSG_KEX_SERVER);
	assert_int_equal(hs_msg_get_kex_server(r->msg, &ks), 0);
	assert_int_equal(kex_client_finish(kc, ks.q, ks.q_len, k), 0);
	t.p[HS_V_C] = (const uint8_t *)VERSION_LINE;
	t.len[HS_V_C] = strlen(VERSION_LINE) - 2;
	t.p[HS_V_S] = buf_ptr(r->server_version);
	t.len[HS_V_S] = buf_len(r->server_version);
	t.p[HS_I_C] = buf_ptr(r->own_hello);
	t.len[HS_I_C] = buf_len(r->own_hello);
	t.p[HS_I_S] = buf_ptr(r->peer_hello);
	t.len[HS_I_S] = buf_len(r->peer_hello);
	t.p[HS_K_S] = ks.host_key;
	t.len[HS_K_S] = ks.host_key_len;
	t.p[HS_Q_C] = q_c;
	t.len[HS_Q_C] = alg->client_msg_len;
	t.p[HS_Q_S] = ks.q;
	t.len[HS_Q_S] = ks.q_len;
	t.p[HS_K] = k;
	t.len[HS_K] = alg->secret_len;
	assert_int_equal(hs_exchange_hash(&t, alg->name, r->keys.h,
	    &r->keys.h_len), 0);
	assert_int_equal(hs_derive_keys(&r->keys, k, alg->secret_len, &tcp),
	    0);
	assert_int_equal(hs_rec_start(&r->send, r->keys.aead, r->keys.mac,
	    tcp.c2s_key, tcp.c2s_mac), 0);
	assert_int_equal(hs_rec_start(&r->recv, r->keys.aead, r->keys.mac,
	    tcp.s2c_key, tcp.s2c_mac), 0);
}

/* A fresh server and a key exchange with it under the defaults. */
static void
raw_start(struct raw *r)
{
	const struct kex_alg *alg = kex_by_name("mlkem768x25519-sha256");
	uint8_t q_c[KEX_CLIENT_MSG_MAX];
	struct kex_client *kc;
	struct buf *m;

	memset(r, 0, sizeof(*r));
	fake_init(&r->f, ALL_HOSTKEYS);
	if (alice.key == NULL)
		fake_id_init(&alice, "ed25519");
	fake_allow(&r->f, USER, alice.key);
	assert_non_null(r->s = hs_server_new(NULL, "srv", &r->f.ops, &r->f));
	assert_non_null(r->out = buf_new(FAKE_IO_MAX));
	assert_non_null(r->msg = buf_new(HS_MAX_MESSAGE));
	assert_non_null(m = buf_new(HS_MAX_MESSAGE));
	assert_non_null(r->own_hello = buf_new(HS_MAX_MESSAGE));
	assert_non_null(r->peer_hello = buf_new(HS_MAX_MESSAGE));
	assert_non_null(r->server_version = buf_new(256));
	assert_int_equal(hs_negotiate_lists(NULL, &r->own), 0);
	assert_int_equal(hs_msg_put_hello(r->own_hello, &r->own), 0);
	assert_int_equal(raw_feed(r, (const uint8_t *)VERSION_LINE,
	    strlen(VERSION_LINE)), HS_CONTINUE);
	assert_int_equal(raw_send(r, r->own_hello), HS_CONTINUE);
	assert_int_equal(kex_client_start(alg, &kc, q_c), 0);
	assert_int_equal(hs_msg_put_kex_client(m, alg->name, q_c,
	    alg->client_msg_len), 0);
	assert_int_equal(raw_send(r, m), HS_CONTINUE);
	raw_finish_kex(r, kc, q_c, alg);
	kex_client_free(kc);
	buf_free(m);
}

static void
raw_free(struct raw *r)
{
	hs_server_free(r->s);
	buf_free(r->out);
	buf_free(r->msg);
	buf_free(r->own_hello);
	buf_free(r->peer_hello);
	buf_free(r->server_version);
	hs_rec_clear(&r->send);
	hs_rec_clear(&r->recv);
	fake_free(&r->f);
}

/* Authenticate as user with id, properly signed over this H. */
static int
raw_auth(struct raw *r, const char *user, struct fake_id *id)
{
	struct buf *blob = buf_new(PUBKEY_BLOB_MAX), *data = buf_new(8192);
	struct buf *m = buf_new(HS_MAX_MESSAGE);
	uint8_t sig[SIG_MAX];
	size_t sig_len = sizeof(sig);
	struct hs_userauth ua;

	assert_int_equal(pubkey_put_blob(blob, id->key), 0);
	assert_int_equal(hs_user_signed_data(data, r->keys.h, r->keys.h_len,
	    user, buf_ptr(blob), buf_len(blob)), 0);
	assert_int_equal(fake_id_sign(id, buf_ptr(data), buf_len(data), sig,
	    &sig_len), 0);
	strcpy(ua.user, user);
	ua.blob = buf_ptr(blob);
	ua.blob_len = buf_len(blob);
	ua.sig = sig;
	ua.sig_len = sig_len;
	assert_int_equal(hs_msg_put_userauth(m, &ua), 0);
	raw_send(r, m);
	buf_free(blob);
	buf_free(data);
	buf_free(m);
	return r->rc;
}

/* Send the message held in the len bytes at p (type first). */
static int
raw_send_bytes(struct raw *r, const void *p, size_t len)
{
	struct buf *m = buf_new(HS_MAX_MESSAGE);

	assert_int_equal(buf_put(m, p, len), 0);
	raw_send(r, m);
	buf_free(m);
	return r->rc;
}

/* ---- downgrades: a HELLO altered in flight -------------------------- */

/* Rewrite the HELLO of a clear flight (version line, frames) with edit(). */
static void
rewrite_hello(struct buf *data, void (*edit)(struct hs_hello *))
{
	struct buf *copy = buf_new(FAKE_IO_MAX), *m = buf_new(HS_MAX_MESSAGE);
	struct buf *msg = buf_new(HS_MAX_MESSAGE);
	struct hs_rec clear;
	struct hs_hello h;
	const uint8_t *nl;
	uint8_t type;

	memset(&clear, 0, sizeof(clear));
	assert_int_equal(buf_put(copy, buf_ptr(data), buf_len(data)), 0);
	nl = memchr(buf_ptr(copy), '\n', buf_len(copy));
	assert_non_null(nl);
	buf_reset(data);
	assert_int_equal(buf_put(data, buf_ptr(copy), nl + 1 - buf_ptr(copy)),
	    0);
	assert_int_equal(buf_consume(copy, nl + 1 - buf_ptr(copy)), 0);
	while (hs_rec_read(&clear, copy, m) == 1) {
		buf_reset(msg);
		assert_int_equal(buf_put(msg, buf_ptr(m), buf_len(m)), 0);
		assert_int_equal(buf_get_u8(m, &type), 0);
		if (type == HS_MSG_HELLO) {
			assert_int_equal(hs_msg_get_hello(m, &h), 0);
			edit(&h);
			buf_reset(msg);
			assert_int_equal(hs_msg_put_hello(msg, &h), 0);
		}
		assert_int_equal(hs_rec_write(&clear, buf_ptr(msg),
		    buf_len(msg), data), 0);
	}
	buf_free(copy);
	buf_free(m);
	buf_free(msg);
}

static void
reverse_aead(struct hs_hello *h)
{
	strcpy(h->list[HS_LIST_AEAD],
	    "aes128-gcm-siv,chacha20-poly1305,aes256-gcm,aes256-gcm-siv");
}

static void
weakest_aead(struct hs_hello *h)
{
	strcpy(h->list[HS_LIST_AEAD], "aes128-gcm-siv");
}

static void
weakest_kex(struct hs_hello *h)
{
	strcpy(h->list[HS_LIST_KEX], "p256-sha256");
}

/* Apply the edit to the first flight in the chosen direction. */
static void (*hello_edit)(struct hs_hello *);
static int hello_edit_to_client;

static void
tamper_hello(void *arg, int to_client, int n, struct buf *data)
{
	(void)arg;
	if (n == 0 && to_client == hello_edit_to_client)
		rewrite_hello(data, hello_edit);
}

/* The altered HELLO makes the two sides' H differ: the client refuses
 * the host signature before sending anything authenticating. */
static void
downgrade(void (*edit)(struct hs_hello *), int to_client)
{
	struct fake_run t;

	run_init(&t);
	hello_edit = edit;
	hello_edit_to_client = to_client;
	t.p.tamper = tamper_hello;
	fake_run_go(&t);
	assert_int_equal(t.p.crc, MP_ERR_SIGNATURE);
	expect_error(hs_client_error(t.p.c), "signature does not verify");
	/* The client's refusal is encrypted under keys the server does not
	 * share. */
	assert_int_equal(t.p.src, MP_ERR_AUTH);
	assert_int_equal(alice.sign_calls, 0);
	assert_int_equal(t.f.allowed_calls, 0);
	fake_run_done(&t);
}

static void
test_downgrade_server_list_reordered(void **state)
{
	(void)state;
	downgrade(reverse_aead, 1);
}

static void
test_downgrade_client_list_trimmed(void **state)
{
	(void)state;
	downgrade(weakest_aead, 0);
}

/* Trimming the client's kex list also contradicts its guess. */
static void
test_downgrade_client_kex_trimmed(void **state)
{
	struct fake_run t;

	(void)state;
	run_init(&t);
	hello_edit = weakest_kex;
	hello_edit_to_client = 0;
	t.p.tamper = tamper_hello;
	fake_run_go(&t);
	assert_int_equal(t.p.src, MP_ERR_INVALID_FORMAT);
	expect_error(hs_server_error(t.p.s), "KEX_CLIENT for "
	    "mlkem768x25519-sha256 where p256-sha256 was due");
	assert_int_equal(t.f.sign_calls, 0);
	assert_int_equal(t.p.crc, MP_ERR_INVALID_FORMAT);
	expect_error(hs_client_error(t.p.c), "server disconnected "
	    "(PROTOCOL_ERROR)");
	fake_run_done(&t);
}

/* ---- host signatures ------------------------------------------------ */

static void
test_host_signature_other_key(void **state)
{
	struct sig_key *other;
	struct fake_run t;

	(void)state;
	assert_int_equal(sig_generate(sig_by_name("ed25519"), &other), 0);
	run_init(&t);
	t.f.sign_with = other;
	fake_run_go(&t);
	assert_int_equal(t.p.crc, MP_ERR_SIGNATURE);
	expect_error(hs_client_error(t.p.c), "signature does not verify");
	/* The server reads the client's refusal. */
	assert_int_equal(t.p.src, MP_ERR_SIGNATURE);
	expect_error(hs_server_error(t.p.s),
	    "client disconnected (HOST_KEY_NOT_VERIFIABLE)");
	assert_int_equal(alice.sign_calls, 0);
	fake_run_done(&t);
	sig_free(other);
}

static void
test_host_signature_other_h(void **state)
{
	struct fake_run t;

	(void)state;
	run_init(&t);
	t.f.sign_other_h = 1;
	fake_run_go(&t);
	assert_int_equal(t.p.crc, MP_ERR_SIGNATURE);
	assert_int_equal(t.p.src, MP_ERR_SIGNATURE);
	assert_int_equal(alice.sign_calls, 0);
	fake_run_done(&t);
}

/* A valid signature by a key known_hosts does not accept. */
static void
test_host_key_not_accepted(void **state)
{
	struct fake_run t;

	(void)state;
	run_init(&t);
	t.refuse_host = 1;
	fake_run_go(&t);
	assert_int_equal(t.p.crc, MP_ERR_NOT_FOUND);
	expect_error(hs_client_error(t.p.c), "host key not accepted");
	expect_error(hs_server_error(t.p.s),
	    "client disconnected (HOST_KEY_NOT_VERIFIABLE)");
	assert_int_equal(alice.sign_calls, 0);
	fake_run_done(&t);
}

/* A verify_host that breaks its contract (a positive result) ends the
 * handshake instead of stalling it. */
static int
verify_host_positive(void *arg, const struct sig_key *key)
{
	(void)arg;
	(void)key;
	return 1;
}

static void
test_callback_positive_result(void **state)
{
	struct fake_run t;

	(void)state;
	run_init(&t);
	t.params.verify_host = verify_host_positive;
	fake_run_go(&t);
	assert_int_equal(t.p.crc, MP_ERR_INTERNAL);
	assert_int_equal(alice.sign_calls, 0);
	fake_run_done(&t);
}

/* A server failure after it sealed part of its flight: the DISCONNECT
 * still takes the sequence number the client expects, so the client
 * reads the real reason rather than suspecting tampering. */
static void
test_error_after_sealing_readable(void **state)
{
	struct fake_run t;

	(void)state;
	run_init(&t);
	t.f.bad_reply = 1;
	fake_run_go(&t);
	assert_true(t.p.src < 0);
	assert_true(t.p.crc < 0);
	expect_error(hs_client_error(t.p.c),
	    "server disconnected (INTERNAL_ERROR)");
	fake_run_done(&t);
}

/* ---- user signatures ------------------------------------------------ */

static void
test_user_signature_other_h(void **state)
{
	struct hs_keys old;
	struct fake_id thief;
	struct fake_run t;

	(void)state;
	run_init(&t);
	fake_run_go(&t);
	assert_int_equal(t.p.crc, HS_DONE);
	assert_int_equal(hs_client_keys(t.p.c, &old), 0);
	fake_run_done(&t);
	/* A signature made for the earlier session's H. */
	run_init(&t);
	thief = alice;
	thief.other_h = old.h;
	thief.other_h_len = old.h_len;
	thief.user = USER;
	t.ids[0] = fake_identity(&thief);
	fake_run_go(&t);
	assert_int_equal(t.p.crc, MP_ERR_AUTH);
	expect_error(hs_client_error(t.p.c), "permission denied (publickey)");
	assert_int_equal(t.f.verify_calls, 1);
	assert_int_equal(t.f.request_calls, 0);
	assert_null(hs_server_user(t.p.s));
	fake_run_done(&t);
}

static void
test_user_signature_other_key(void **state)
{
	struct fake_id mallory, swap;
	struct fake_run t;

	(void)state;
	fake_id_init(&mallory, "ed25519");
	run_init(&t);
	fake_allow(&t.f, USER, mallory.key);	/* both keys authorised */
	swap = alice;
	swap.signer = mallory.key;	/* offers alice's, signs with own */
	t.ids[0] = fake_identity(&swap);
	fake_run_go(&t);
	assert_int_equal(t.p.crc, MP_ERR_AUTH);
	assert_int_equal(t.f.verify_calls, 1);
	assert_int_equal(t.f.request_calls, 0);
	fake_run_done(&t);
	sig_free(mallory.key);
}

/* Six refusals end it with AUTH_FAILED; a seventh is never tried. */
static void
test_too_many_failures(void **state)
{
	struct fake_id ids[7];
	struct fake_run t;
	size_t i;

	(void)state;
	run_init(&t);
	for (i = 0; i < 7; i++) {
		fake_id_init(&ids[i], "ed25519");
		t.ids[i] = fake_identity(&ids[i]);
	}
	t.nids = 7;
	fake_run_go(&t);
	assert_int_equal(t.p.src, MP_ERR_AUTH);
	expect_error(hs_server_error(t.p.s), "too many authentication "
	    "failures");
	assert_int_equal(t.p.crc, MP_ERR_AUTH);
	expect_error(hs_client_error(t.p.c), "server disconnected "
	    "(AUTH_FAILED): too many authentication failures");
	assert_int_equal(t.f.allowed_calls, 6);
	assert_int_equal(t.f.request_calls, 0);
	for (i = 0; i < 7; i++) {
		assert_int_equal(ids[i].sign_calls, i < 6);
		sig_free(ids[i].key);
	}
	fake_run_done(&t);
}

/* ---- records -------------------------------------------------------- */

/* Flip a ciphertext bit of the first record of the client's second
 * flight (its USERAUTH_REQUEST). */
static void
flip_bit(void *arg, int to_client, int n, struct buf *data)
{
	struct buf *copy;
	uint8_t b;

	(void)arg;
	if (to_client || n != 1)
		return;
	assert_non_null(copy = buf_new(FAKE_IO_MAX));
	assert_int_equal(buf_put(copy, buf_ptr(data), buf_len(data)), 0);
	buf_reset(data);
	assert_int_equal(buf_put(data, buf_ptr(copy), 10), 0);
	assert_int_equal(buf_consume(copy, 10), 0);
	assert_int_equal(buf_get_u8(copy, &b), 0);
	assert_int_equal(buf_put_u8(data, b ^ 0x80), 0);
	assert_int_equal(buf_put(data, buf_ptr(copy), buf_len(copy)), 0);
	buf_free(copy);
}

/* A record that fails to authenticate (AEAD tag, or the MAC checked
 * before it) ends the handshake; nothing is sent back. */
static void
tampered(const char *mac)
{
	struct fake_run t;

	run_init(&t);
	t.calgs.mac = mac;
	t.p.tamper = flip_bit;
	fake_run_go(&t);
	assert_int_equal(t.p.src, MP_ERR_AUTH);
	expect_error(hs_server_error(t.p.s), "failed to authenticate");
	assert_int_equal(t.p.sent[1], 1);	/* nothing sent back */
	assert_int_equal(t.p.crc, HS_CONTINUE);
	assert_int_equal(t.f.allowed_calls, 0);
	fake_run_done(&t);
}

static void
test_tampered_record(void **state)
{
	(void)state;
	tampered("implicit");
}

static void
test_tampered_record_hmac(void **state)
{
	(void)state;
	tampered("hmac-sha512");
}

/* ---- the scripted client: requests out of order, resume proofs ------ */

static void
expect_disconnect(struct raw *r, uint32_t reason)
{
	char text[HS_TEXT_MAX + 1];
	uint32_t code;

	assert_int_equal(raw_recv(r), HS_MSG_DISCONNECT);
	assert_int_equal(hs_msg_get_coded(r->msg, &code, text), 0);
	assert_int_equal(code, reason);
}

static void
test_unknown_type_encrypted(void **state)
{
	static const uint8_t m[] = { 99, 1, 2, 3 };
	struct raw r;

	(void)state;
	raw_start(&r);
	assert_int_equal(raw_send_bytes(&r, m, sizeof(m)),
	    MP_ERR_INVALID_FORMAT);
	expect_error(hs_server_error(r.s), "unknown message type 99");
	expect_disconnect(&r, HS_R_PROTOCOL_ERROR);
	raw_free(&r);
}

static void
test_request_before_auth(void **state)
{
	static const uint8_t m[] = { HS_MSG_SESSION_LIST };
	struct raw r;

	(void)state;
	raw_start(&r);
	assert_int_equal(raw_send_bytes(&r, m, sizeof(m)),
	    MP_ERR_INVALID_FORMAT);
	expect_error(hs_server_error(r.s), "unexpected SESSION_LIST message "
	    "while waiting for USERAUTH_REQUEST");
	expect_disconnect(&r, HS_R_PROTOCOL_ERROR);
	assert_int_equal(r.f.request_calls, 0);
	raw_free(&r);
}

/* After the key exchange a second KEX_CLIENT, encrypted or in clear,
 * cannot make the server sign again. */
static void
test_sign_once(void **state)
{
	const struct kex_alg *alg = kex_by_name("x25519-sha256");
	uint8_t q[KEX_CLIENT_MSG_MAX];
	struct kex_client *kc;
	struct buf *m, *frame;
	struct raw r;

	(void)state;
	assert_int_equal(kex_client_start(alg, &kc, q), 0);
	assert_non_null(m = buf_new(HS_MAX_MESSAGE));
	assert_non_null(frame = buf_new(HS_REC_FRAME_MAX));
	assert_int_equal(hs_msg_put_kex_client(m, alg->name, q, 32), 0);
	raw_start(&r);
	assert_int_equal(raw_send(&r, m), MP_ERR_INVALID_FORMAT);
	expect_error(hs_server_error(r.s), "unexpected KEX_CLIENT");
	assert_int_equal(r.f.sign_calls, 1);
	raw_free(&r);
	raw_start(&r);
	assert_int_equal(buf_put_string(frame, buf_ptr(m), buf_len(m)), 0);
	assert_int_equal(raw_feed(&r, buf_ptr(frame), buf_len(frame)),
	    MP_ERR_AUTH);
	assert_int_equal(r.f.sign_calls, 1);
	raw_free(&r);
	kex_client_free(kc);
	buf_free(m);
	buf_free(frame);
}

/* Resume with a proof made with this connection's H or with another
 * connection's, authenticated as user. */
static void
raw_resume(const char *user, int proof_from_other_h, int expect_ok)
{
	uint8_t proof[HASH_MAX_BYTES];
	struct hs_request req;
	struct hs_keys k;
	struct buf *m;
	size_t proof_len;
	struct fake_run first;
	struct raw r;
	int type;

	run_init(&first);
	fake_run_go(&first);
	assert_int_equal(hs_server_keys(first.p.s, &k), 0);
	raw_start(&r);
	fake_allow(&r.f, "bob", alice.key);
	fake_add_session(&r.f, USER, &k);
	assert_int_equal(raw_auth(&r, user, &alice), HS_CONTINUE);
	memset(&req, 0, sizeof(req));
	req.type = HS_REQ_RESUME;
	memcpy(req.session_id, k.session_id, k.session_id_len);
	req.session_id_len = k.session_id_len;
	req.cols = 80;
	req.rows = 24;
	assert_int_equal(hs_resume_proof(r.keys.kdf, k.resume,
	    proof_from_other_h ? k.h : r.keys.h, r.keys.h_len, proof,
	    &proof_len), 0);
	assert_non_null(m = buf_new(HS_MAX_MESSAGE));
	assert_int_equal(hs_msg_put_request(m, &req, proof, proof_len), 0);
	assert_int_equal(raw_send(&r, m), HS_DONE);
	assert_int_equal(raw_recv(&r), HS_MSG_USERAUTH_SUCCESS);
	type = raw_recv(&r);
	if (expect_ok) {
		assert_int_equal(type, HS_MSG_SESSION_REPLY);
		assert_int_equal(r.f.request_calls, 1);
	} else {
		assert_int_equal(type, HS_MSG_SESSION_FAILURE);
		assert_int_equal(r.f.request_calls, 0);
	}
	buf_free(m);
	raw_free(&r);
	fake_run_done(&first);
}

static void
test_resume_proof_this_h(void **state)
{
	(void)state;
	raw_resume(USER, 0, 1);
}

static void
test_resume_proof_other_h(void **state)
{
	(void)state;
	raw_resume(USER, 1, 0);
}

static void
test_resume_other_user(void **state)
{
	(void)state;
	raw_resume("bob", 0, 0);
}

/* ---- malformed input to the server ---------------------------------- */

/* A HELLO with the given raw lists (NULL: the default), unchecked. */
static void
put_raw_hello(struct buf *b, const char *kex, const char *aead)
{
	struct hs_hello h;
	int i;

	assert_int_equal(hs_negotiate_lists(NULL, &h), 0);
	assert_int_equal(buf_put_u8(b, HS_MSG_HELLO), 0);
	assert_int_equal(buf_put(b, h.cookie, sizeof(h.cookie)), 0);
	for (i = 0; i < HS_NLISTS; i++) {
		const char *l = h.list[i];

		if (i == HS_LIST_KEX && kex != NULL)
			l = kex;
		if (i == HS_LIST_AEAD && aead != NULL)
			l = aead;
		assert_int_equal(buf_put_cstring(b, l), 0);
	}
}

/* The version line, then the message as one clear frame whose length
 * field is off by delta, and extra zero bytes inside the frame. */
static void
frame_of(struct buf *in, struct buf *m, int delta, size_t extra)
{
	assert_int_equal(buf_put(in, VERSION_LINE, strlen(VERSION_LINE)), 0);
	assert_int_equal(buf_put_u32(in, (uint32_t)((int)buf_len(m) + delta +
	    (int)extra)), 0);
	assert_int_equal(buf_put(in, buf_ptr(m), buf_len(m) - (delta < 0 ?
	    (size_t)-delta : 0)), 0);
	while (extra-- > 0)
		assert_int_equal(buf_put_u8(in, 0), 0);
}

static void
hello_with(struct buf *in, const char *kex, const char *aead, int delta,
    size_t extra)
{
	struct buf *m = buf_new(HS_MAX_MESSAGE);

	put_raw_hello(m, kex, aead);
	frame_of(in, m, delta, extra);
	buf_free(m);
}

static void
text(struct buf *in, const char *s)
{
	assert_int_equal(buf_put(in, s, strlen(s)), 0);
}

/* The version line and the bytes of a frame given in hex-free form. */
static void
raw_frame(struct buf *in, const void *frame, size_t len)
{
	text(in, VERSION_LINE);
	assert_int_equal(buf_put(in, frame, len), 0);
}

/* HELLO, then a KEX_CLIENT for name with a zero value of len bytes. */
static void
hello_kex(struct buf *in, const char *name, size_t len)
{
	uint8_t q[KEX_CLIENT_MSG_MAX] = { 0 };
	struct buf *m = buf_new(HS_MAX_MESSAGE);

	hello_with(in, "x25519-sha256", NULL, 0, 0);
	assert_int_equal(hs_msg_put_kex_client(m, name, q, len), 0);
	assert_int_equal(buf_put_stringb(in, m), 0);
	buf_free(m);
}

static void b_truncated(struct buf *in) { hello_with(in, NULL, NULL, -10, 0); }
static void b_trailing(struct buf *in) { hello_with(in, NULL, NULL, 0, 1); }
static void b_empty_name(struct buf *in)
{
	hello_with(in, "x25519-sha256,,p256-sha256", NULL, 0, 0);
}
static void b_trailing_comma(struct buf *in)
{
	hello_with(in, "x25519-sha256,", NULL, 0, 0);
}
static void b_upper_case(struct buf *in)
{
	hello_with(in, "X25519-sha256", NULL, 0, 0);
}
static void b_empty_list(struct buf *in) { hello_with(in, "", NULL, 0, 0); }
static void b_long_name(struct buf *in)
{
	hello_with(in, "a1234567890123456789012345678901234567890123456789"
	    "0123456789012345", NULL, 0, 0);
}
static void b_many_names(struct buf *in)
{
	hello_with(in, "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,"
	    "a0,b0,c0,d0,e0,f0,g0", NULL, 0, 0);
}
static void b_no_common(struct buf *in) { hello_with(in, NULL, "rot13-cbc", 0, 0); }
static void b_huge_length(struct buf *in) { raw_frame(in, "\x7f\xff\xff\xff", 4); }
static void b_zero_length(struct buf *in) { raw_frame(in, "\0\0\0\0\x0a", 5); }
static void b_unknown_type(struct buf *in) { raw_frame(in, "\0\0\0\2\x63\0", 6); }
static void b_auth_in_clear(struct buf *in) { raw_frame(in, "\0\0\0\1\x14", 5); }
static void b_kex_before_hello(struct buf *in)
{
	raw_frame(in, "\0\0\0\x17\x0b\0\0\0\x0dx25519-sha256\0\0\0\1\x09", 27);
}
static void b_wrong_guess(struct buf *in) { hello_kex(in, "p256-sha256", 65); }
static void b_short_value(struct buf *in) { hello_kex(in, "x25519-sha256", 31); }
static void b_zero_value(struct buf *in) { hello_kex(in, "x25519-sha256", 32); }
static void b_http(struct buf *in) { text(in, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); }
static void b_ssh(struct buf *in) { text(in, "SSH-2.0-OpenSSH_9.6\r\n"); }
static void b_binary(struct buf *in) { text(in, "\x16\x03\x01\x02\x01"); }

/* The Rust moshpit's opening KexInit frame (docs/seed.md): id 9, a
 * big-endian uint64 length, the bincode variant 9, then its lists. */
static void
b_rust(struct buf *in)
{
	assert_int_equal(buf_put(in,
	    "\x09\0\0\0\0\0\0\0\xdb\x09\x06\x0dx25519-sha256", 25), 0);
}

/* Its older opening Initialize frame (id 0). */
static void
b_rust_old(struct buf *in)
{
	assert_int_equal(buf_put(in,
	    "\0\0\0\0\0\0\0\0\x40\0\x05alice", 16), 0);
}
static void b_version2(struct buf *in) { text(in, "MOSHPIT-2-f/u+t\r\n"); }
static void b_version2_ctrl(struct buf *in) { text(in, "MOSHPIT-2-x\x01\r\n"); }
static void b_version2_lf(struct buf *in) { text(in, "MOSHPIT-2-x\n"); }
static void b_bad_software(struct buf *in) { text(in, "MOSHPIT-1-a/b\r\n"); }
static void b_control(struct buf *in) { text(in, "MOSHPIT-1-a\tb\r\n"); }
static void b_bare_lf(struct buf *in) { text(in, "MOSHPIT-1-ab\n"); }

static void
b_long_version(struct buf *in)
{
	size_t i;

	text(in, "MOSHPIT-1-x ");
	for (i = 0; i < 300; i++)
		assert_int_equal(buf_put_u8(in, 'a'), 0);
}

struct bad_input {
	void (*build)(struct buf *);
	int rc;			/* the server's result */
	const char *err;	/* in its error */
	uint32_t reason;	/* the DISCONNECT it sends; 0: silence */
};

#define BAD(name, rc, err, reason) \
	static const struct bad_input name = { b_##name, rc, err, reason }
BAD(truncated, MP_ERR_INCOMPLETE, "malformed HELLO message (data ends "
    "too early)", HS_R_PROTOCOL_ERROR);
BAD(trailing, MP_ERR_TRAILING_DATA, "malformed HELLO message (unexpected "
    "data after the end)", HS_R_PROTOCOL_ERROR);
BAD(empty_name, MP_ERR_INVALID_FORMAT, "malformed HELLO",
    HS_R_PROTOCOL_ERROR);
BAD(trailing_comma, MP_ERR_INVALID_FORMAT, "malformed HELLO",
    HS_R_PROTOCOL_ERROR);
BAD(upper_case, MP_ERR_INVALID_FORMAT, "malformed HELLO",
    HS_R_PROTOCOL_ERROR);
BAD(empty_list, MP_ERR_INVALID_FORMAT, "malformed HELLO",
    HS_R_PROTOCOL_ERROR);
BAD(long_name, MP_ERR_TOO_LARGE, "malformed HELLO", HS_R_PROTOCOL_ERROR);
BAD(many_names, MP_ERR_TOO_LARGE, "malformed HELLO", HS_R_PROTOCOL_ERROR);
BAD(no_common, MP_ERR_UNKNOWN_ALGORITHM, "no common aead algorithm; server "
    "offers aes256-gcm-siv,aes256-gcm,chacha20-poly1305,aes128-gcm-siv",
    HS_R_KEX_FAILED);
BAD(huge_length, MP_ERR_TOO_LARGE, "bad frame length", HS_R_PROTOCOL_ERROR);
BAD(zero_length, MP_ERR_INVALID_FORMAT, "bad frame length",
    HS_R_PROTOCOL_ERROR);
BAD(unknown_type, MP_ERR_INVALID_FORMAT, "unknown message type 99",
    HS_R_PROTOCOL_ERROR);
BAD(auth_in_clear, MP_ERR_INVALID_FORMAT, "unexpected USERAUTH_REQUEST "
    "message while waiting for HELLO", HS_R_PROTOCOL_ERROR);
BAD(kex_before_hello, MP_ERR_INVALID_FORMAT, "unexpected KEX_CLIENT",
    HS_R_PROTOCOL_ERROR);
BAD(wrong_guess, MP_ERR_INVALID_FORMAT, "KEX_CLIENT for p256-sha256 where "
    "x25519-sha256 was due", HS_R_PROTOCOL_ERROR);
BAD(short_value, MP_ERR_INVALID_KEY, "invalid x25519-sha256 value",
    HS_R_KEX_FAILED);
BAD(zero_value, MP_ERR_INVALID_KEY, "invalid x25519-sha256 value",
    HS_R_KEX_FAILED);
BAD(http, MP_ERR_INVALID_FORMAT, "refusing a peer that sent no moshpit "
    "version line", 0);
BAD(ssh, MP_ERR_INVALID_FORMAT, "refusing an SSH client on the moshpit "
    "port", 0);
BAD(binary, MP_ERR_INVALID_FORMAT, "refusing a peer that sent no moshpit "
    "version line", 0);
BAD(rust, MP_ERR_INVALID_FORMAT, "refusing a client that speaks the Rust "
    "moshpit protocol, which cannot authenticate", 0);
BAD(rust_old, MP_ERR_INVALID_FORMAT, "refusing a client that speaks the "
    "Rust moshpit protocol", 0);
BAD(version2, MP_ERR_UNKNOWN_ALGORITHM, "protocol version 2 is not "
    "supported", HS_R_VERSION_NOT_SUPPORTED);
BAD(version2_ctrl, MP_ERR_UNKNOWN_ALGORITHM, "protocol version 2 is not "
    "supported", HS_R_VERSION_NOT_SUPPORTED);
BAD(version2_lf, MP_ERR_UNKNOWN_ALGORITHM, "protocol version 2 is not "
    "supported", HS_R_VERSION_NOT_SUPPORTED);
BAD(bad_software, MP_ERR_INVALID_FORMAT, "malformed version line "
    "\"MOSHPIT-1-a/b\"", HS_R_PROTOCOL_ERROR);
BAD(control, MP_ERR_INVALID_FORMAT, "version line holds a byte outside",
    HS_R_PROTOCOL_ERROR);
BAD(bare_lf, MP_ERR_INVALID_FORMAT, "version line holds a byte outside",
    HS_R_PROTOCOL_ERROR);
BAD(long_version, MP_ERR_TOO_LARGE, "version line longer than 255 bytes",
    HS_R_PROTOCOL_ERROR);

/* The server's answer: nothing, or its version line and a DISCONNECT. */
static void
expect_answer(struct buf *out, uint32_t reason)
{
	char msg_text[HS_TEXT_MAX + 1];
	struct buf *m = buf_new(HS_MAX_MESSAGE);
	struct hs_rec clear;
	const uint8_t *nl;
	uint32_t code;
	uint8_t type;

	memset(&clear, 0, sizeof(clear));
	if (reason == 0) {
		assert_int_equal(buf_len(out), 0);
		buf_free(m);
		return;
	}
	assert_memory_equal(buf_ptr(out), "MOSHPIT-1-srv\r\n", 15);
	nl = memchr(buf_ptr(out), '\n', buf_len(out));
	assert_int_equal(buf_consume(out, nl + 1 - buf_ptr(out)), 0);
	assert_int_equal(hs_rec_read(&clear, out, m), 1);
	assert_int_equal(buf_get_u8(m, &type), 0);
	assert_int_equal(type, HS_MSG_DISCONNECT);
	assert_int_equal(hs_msg_get_coded(m, &code, msg_text), 0);
	assert_int_equal(code, reason);
	assert_int_equal(buf_len(out), 0);
	buf_free(m);
}

/* Feed the bad input whole, then one byte at a time: same outcome. */
static void
test_bad_input(void **state)
{
	const struct bad_input *b = *state;
	struct buf *in, *out;
	struct hs_server *s;
	struct fake f;
	size_t i;
	int pass, r;

	assert_non_null(in = buf_new(FAKE_IO_MAX));
	assert_non_null(out = buf_new(FAKE_IO_MAX));
	b->build(in);
	for (pass = 0; pass < 2; pass++) {
		fake_init(&f, ALL_HOSTKEYS);
		assert_non_null(s = hs_server_new(NULL, "srv", &f.ops, &f));
		if (pass == 0)
			r = hs_server_input(s, buf_ptr(in), buf_len(in), out);
		else
			for (i = 0, r = HS_CONTINUE; i < buf_len(in) &&
			    r == HS_CONTINUE; i++)
				r = hs_server_input(s, buf_ptr(in) + i, 1, out);
		assert_int_equal(r, b->rc);
		expect_error(hs_server_error(s), b->err);
		expect_answer(out, b->reason);
		assert_int_equal(f.sign_calls, 0);
		/* Finished: later input changes nothing. */
		assert_int_equal(hs_server_input(s, (const uint8_t *)"x", 1,
		    out), b->rc);
		assert_int_equal(buf_len(out), 0);
		hs_server_free(s);
		fake_free(&f);
	}
	buf_free(in);
	buf_free(out);
}

/* ---- malformed input to the client ---------------------------------- */

struct script {
	struct fake_run t;
	struct buf *to_client, *from_client;
};

/* A client after start(), to be fed a scripted server. */
static void
script_start(struct script *sc)
{
	run_init(&sc->t);
	sc->t.params.ids = sc->t.ids;
	sc->t.params.nids = 1;
	assert_non_null(sc->t.p.c = hs_client_new(NULL, "cli", &sc->t.params));
	assert_non_null(sc->to_client = buf_new(FAKE_IO_MAX));
	assert_non_null(sc->from_client = buf_new(FAKE_IO_MAX));
	assert_int_equal(hs_client_start(sc->t.p.c, sc->from_client),
	    HS_CONTINUE);
	buf_reset(sc->from_client);
}

static int
script_feed(struct script *sc)
{
	int r = hs_client_input(sc->t.p.c, buf_ptr(sc->to_client),
	    buf_len(sc->to_client), sc->from_client);

	buf_reset(sc->to_client);
	return r;
}

static void
script_done(struct script *sc)
{
	buf_free(sc->to_client);
	buf_free(sc->from_client);
	fake_run_done(&sc->t);
}

/* The server's version line and a HELLO offering kex. */
static void
server_hello(struct buf *b, const char *kex)
{
	struct buf *m = buf_new(HS_MAX_MESSAGE);
	struct hs_hello h;

	assert_int_equal(hs_negotiate_lists(NULL, &h), 0);
	strcpy(h.list[HS_LIST_KEX], kex);
	text(b, "MOSHPIT-1-srv\r\n");
	assert_int_equal(hs_msg_put_hello(m, &h), 0);
	assert_int_equal(buf_put_stringb(b, m), 0);
	buf_free(m);
}

static void
kex_retry(struct buf *b, const char *name)
{
	struct buf *m = buf_new(HS_MAX_MESSAGE);

	assert_int_equal(hs_msg_put_kex_retry(m, name), 0);
	assert_int_equal(buf_put_stringb(b, m), 0);
	buf_free(m);
}

static void
test_second_kex_retry(void **state)
{
	struct script sc;

	(void)state;
	script_start(&sc);
	server_hello(sc.to_client, "p256-sha256");
	kex_retry(sc.to_client, "p256-sha256");
	assert_int_equal(script_feed(&sc), HS_CONTINUE);
	assert_true(buf_len(sc.from_client) > 65);	/* a new KEX_CLIENT */
	buf_reset(sc.from_client);
	kex_retry(sc.to_client, "p256-sha256");
	assert_int_equal(script_feed(&sc), MP_ERR_INVALID_FORMAT);
	expect_error(hs_client_error(sc.t.p.c), "unexpected KEX_RETRY for "
	    "p256-sha256 (already retried)");
	assert_true(buf_len(sc.from_client) > 0);	/* its DISCONNECT */
	script_done(&sc);
}

static void
test_kex_retry_naming_guess(void **state)
{
	struct script sc;

	(void)state;
	script_start(&sc);
	server_hello(sc.to_client, KEX_DEFAULT_LIST);
	kex_retry(sc.to_client, "mlkem768x25519-sha256");
	assert_int_equal(script_feed(&sc), MP_ERR_INVALID_FORMAT);
	expect_error(hs_client_error(sc.t.p.c), "the guess was right");
	script_done(&sc);
}

static void
test_kex_retry_naming_other(void **state)
{
	struct script sc;

	(void)state;
	script_start(&sc);
	server_hello(sc.to_client, "p256-sha256,x25519-sha256");
	kex_retry(sc.to_client, "x25519-sha256");
	assert_int_equal(script_feed(&sc), MP_ERR_INVALID_FORMAT);
	expect_error(hs_client_error(sc.t.p.c), "the negotiation chose "
	    "another");
	script_done(&sc);
}

static void
test_kex_server_without_retry(void **state)
{
	static const uint8_t ks[] = { 0, 0, 0, 1, HS_MSG_KEX_SERVER };
	struct script sc;

	(void)state;
	script_start(&sc);
	server_hello(sc.to_client, "p256-sha256");
	assert_int_equal(buf_put(sc.to_client, ks, sizeof(ks)), 0);
	assert_int_equal(script_feed(&sc), MP_ERR_INVALID_FORMAT);
	expect_error(hs_client_error(sc.t.p.c), "KEX_SERVER without the "
	    "KEX_RETRY for p256-sha256");
	script_done(&sc);
}

static void
test_client_refuses_ssh_server(void **state)
{
	struct script sc;

	(void)state;
	script_start(&sc);
	text(sc.to_client, "SSH-2.0-OpenSSH_9.6\r\n");
	assert_int_equal(script_feed(&sc), MP_ERR_INVALID_FORMAT);
	expect_error(hs_client_error(sc.t.p.c), "the server speaks SSH");
	assert_int_equal(buf_len(sc.from_client), 0);
	script_done(&sc);
}

static void
test_client_huge_length(void **state)
{
	struct script sc;

	(void)state;
	script_start(&sc);
	text(sc.to_client, "MOSHPIT-1-srv\r\n\xff\xff\xff\xff");
	assert_int_equal(script_feed(&sc), MP_ERR_TOO_LARGE);
	expect_error(hs_client_error(sc.t.p.c), "bad frame length");
	script_done(&sc);
}

/* A DISCONNECT's description reaches the user without control bytes. */
static void
test_client_disconnect_text(void **state)
{
	struct buf *m = buf_new(HS_MAX_MESSAGE);
	struct script sc;

	(void)state;
	script_start(&sc);
	text(sc.to_client, "MOSHPIT-1-srv\r\n");
	assert_int_equal(hs_msg_put_coded(m, HS_MSG_DISCONNECT, 42,
	    "go \x1b]0;pwned\x07" "away\r\n\xc2\x9b" "now \xc3\xa9t\xc3"), 0);
	assert_int_equal(buf_put_stringb(sc.to_client, m), 0);
	assert_int_equal(script_feed(&sc), MP_ERR_INVALID_FORMAT);
	assert_string_equal(hs_client_error(sc.t.p.c), "server disconnected "
	    "(reason 42): go ]0;pwnedaway" "now \xc3\xa9t");
	assert_int_equal(buf_len(sc.from_client), 0);
	buf_free(m);
	script_done(&sc);
}

#define BAD_TEST(name) \
	cmocka_unit_test_prestate(test_bad_input, (void *)&name)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_downgrade_server_list_reordered),
		cmocka_unit_test(test_downgrade_client_list_trimmed),
		cmocka_unit_test(test_downgrade_client_kex_trimmed),
		cmocka_unit_test(test_host_signature_other_key),
		cmocka_unit_test(test_host_signature_other_h),
		cmocka_unit_test(test_host_key_not_accepted),
		cmocka_unit_test(test_callback_positive_result),
		cmocka_unit_test(test_error_after_sealing_readable),
		cmocka_unit_test(test_user_signature_other_h),
		cmocka_unit_test(test_user_signature_other_key),
		cmocka_unit_test(test_too_many_failures),
		cmocka_unit_test(test_tampered_record),
		cmocka_unit_test(test_tampered_record_hmac),
		cmocka_unit_test(test_unknown_type_encrypted),
		cmocka_unit_test(test_request_before_auth),
		cmocka_unit_test(test_sign_once),
		cmocka_unit_test(test_resume_proof_this_h),
		cmocka_unit_test(test_resume_proof_other_h),
		cmocka_unit_test(test_resume_other_user),
		BAD_TEST(truncated),
		BAD_TEST(trailing),
		BAD_TEST(empty_name),
		BAD_TEST(trailing_comma),
		BAD_TEST(upper_case),
		BAD_TEST(empty_list),
		BAD_TEST(long_name),
		BAD_TEST(many_names),
		BAD_TEST(no_common),
		BAD_TEST(huge_length),
		BAD_TEST(zero_length),
		BAD_TEST(unknown_type),
		BAD_TEST(auth_in_clear),
		BAD_TEST(kex_before_hello),
		BAD_TEST(wrong_guess),
		BAD_TEST(short_value),
		BAD_TEST(zero_value),
		BAD_TEST(http),
		BAD_TEST(ssh),
		BAD_TEST(binary),
		BAD_TEST(rust),
		BAD_TEST(rust_old),
		BAD_TEST(version2),
		BAD_TEST(version2_ctrl),
		BAD_TEST(version2_lf),
		BAD_TEST(bad_software),
		BAD_TEST(control),
		BAD_TEST(bare_lf),
		BAD_TEST(long_version),
		cmocka_unit_test(test_second_kex_retry),
		cmocka_unit_test(test_kex_retry_naming_guess),
		cmocka_unit_test(test_kex_retry_naming_other),
		cmocka_unit_test(test_kex_server_without_retry),
		cmocka_unit_test(test_client_refuses_ssh_server),
		cmocka_unit_test(test_client_huge_length),
		cmocka_unit_test(test_client_disconnect_text),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

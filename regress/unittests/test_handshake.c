/* test_handshake.c: the handshake machines against each other: every algorithm combination, KEX_RETRY, session requests, resume, identities, fragmented input; writes fuzz seeds when MP_WRITE_CORPUS is set. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/kex.h"
#include "common/proto/msg.h"
#include "common/proto/record.h"
#include "common/err.h"
#include "common/crypto/random.h"
#include "regress/unittests/hs_fake.h"

#define USER		"alice"
#define ALL_HOSTKEYS	"ed25519,ecdsa-p256,ecdsa-p384"

static char term[] = "xterm-256color";
static char mode_datagram[] = "datagram";

static struct fake_id shared_id;	/* the authorised identity */

static void
run_init(struct fake_run *t, const char *hostkeys)
{
	fake_run_init(t, hostkeys, USER, &shared_id);
}

/* Both ends finished with a session and hold the same keys. */
static void
expect_session(struct fake_run *t)
{
	if (t->p.crc != HS_DONE || t->p.src != HS_DONE)
		fail_msg("client %d (%s), server %d (%s)", t->p.crc,
		    hs_client_error(t->p.c), t->p.src, hs_server_error(t->p.s));
	assert_int_equal(hs_client_keys(t->p.c, &t->ck), 0);
	assert_int_equal(hs_server_keys(t->p.s, &t->sk), 0);
	assert_string_equal(t->ck.kex, t->sk.kex);
	assert_string_equal(t->ck.hostkey, t->sk.hostkey);
	assert_string_equal(t->ck.aead, t->sk.aead);
	assert_string_equal(t->ck.mac, t->sk.mac);
	assert_string_equal(t->ck.kdf, t->sk.kdf);
	assert_int_equal(t->ck.h_len, t->sk.h_len);
	assert_memory_equal(t->ck.h, t->sk.h, t->ck.h_len);
	assert_int_equal(t->ck.session_id_len, t->sk.session_id_len);
	assert_memory_equal(t->ck.session_id, t->sk.session_id,
	    t->ck.session_id_len);
	assert_int_equal(t->ck.key_len, t->sk.key_len);
	assert_memory_equal(t->ck.c2s_key, t->sk.c2s_key, t->ck.key_len);
	assert_memory_equal(t->ck.s2c_key, t->sk.s2c_key, t->ck.key_len);
	assert_memory_not_equal(t->ck.c2s_key, t->ck.s2c_key, t->ck.key_len);
	assert_int_equal(t->ck.mac_len, t->sk.mac_len);
	if (t->ck.mac_len > 0) {
		assert_memory_equal(t->ck.c2s_mac, t->sk.c2s_mac,
		    t->ck.mac_len);
		assert_memory_equal(t->ck.s2c_mac, t->sk.s2c_mac,
		    t->ck.mac_len);
	}
	assert_memory_equal(t->ck.resume, t->sk.resume, HS_RESUME_BYTES);
	assert_int_equal(t->f.sign_calls, 1);
}

/* A UDP record sealed at one end opens at the other, both ways. */
static void
expect_records(const struct hs_keys *ck, const struct hs_keys *sk)
{
	uint8_t d[REC_DATAGRAM_MAX], o[REC_DATAGRAM_MAX];
	struct rec_ctx *c, *s;
	size_t dl, ol;
	int newest;

	assert_non_null(c = rec_new(ck, 0));
	assert_non_null(s = rec_new(sk, 1));
	assert_int_equal(rec_seal(c, (const uint8_t *)"ping", 4, d, sizeof(d),
	    &dl), 0);
	assert_int_equal(rec_open(s, d, dl, o, sizeof(o), &ol, &newest), 0);
	assert_int_equal(ol, 4);
	assert_memory_equal(o, "ping", 4);
	assert_int_equal(rec_seal(s, (const uint8_t *)"pong!", 5, d,
	    sizeof(d), &dl), 0);
	assert_int_equal(rec_open(c, d, dl, o, sizeof(o), &ol, &newest), 0);
	assert_int_equal(ol, 5);
	assert_memory_equal(o, "pong!", 5);
	rec_free(c);
	rec_free(s);
}

/* The name of index i of a comma-separated list, in a static buffer. */
static const char *
nth(const char *list, size_t i)
{
	static char out[8][HS_NAME_MAX + 1];
	static int slot;
	const char *p = list, *comma;
	char *o = out[slot++ % 8];
	size_t len;

	while (i-- > 0)
		p = strchr(p, ',') + 1;
	comma = strchr(p, ',');
	len = comma ? (size_t)(comma - p) : strlen(p);
	memcpy(o, p, len);
	o[len] = '\0';
	return o;
}

/*
 * Every kex x host key x aead x mac x kdf. The combination is imposed by
 * the client's lists on even rounds and by the server's on odd ones
 * (where a kex other than the client's first costs a KEX_RETRY).
 */
static void
test_every_combination(void **state)
{
	size_t k, h, a, m, d, round = 0;
	struct fake_run t;

	(void)state;
	for (k = 0; k < 7; k++)
	for (h = 0; h < 3; h++)
	for (a = 0; a < 4; a++)
	for (m = 0; m < 3; m++)
	for (d = 0; d < 3; d++, round++) {
		struct hs_algorithms pick = {
			nth(KEX_DEFAULT_LIST, k), nth(SIG_DEFAULT_LIST, h),
			nth(AEAD_DEFAULT_LIST, a), nth(MAC_DEFAULT_LIST, m),
			nth(KDF_DEFAULT_LIST, d),
		};

		run_init(&t, NULL);
		if (round % 2 == 0)
			t.calgs = pick;
		else
			t.salgs = pick;
		fake_run_go(&t);
		expect_session(&t);
		assert_string_equal(t.ck.kex, pick.kex);
		assert_string_equal(t.ck.hostkey, pick.hostkey);
		assert_string_equal(t.ck.aead, pick.aead);
		assert_string_equal(t.ck.mac, pick.mac);
		assert_string_equal(t.ck.kdf, pick.kdf);
		assert_int_equal(t.ck.h_len, k == 6 ? 48 : 32);
		assert_int_equal(t.ck.key_len, a == 3 ? 16 : 32);
		assert_int_equal(t.ck.mac_len, m == 0 ? 0 : m == 1 ? 64 : 32);
		assert_true(sig_key_equal(hs_client_host_key(t.p.c),
		    fake_host_key(pick.hostkey)));
		expect_records(&t.ck, &t.sk);
		fake_run_done(&t);
	}
	assert_int_equal(round, 756);
}

/* Defaults, with each host key type as the server's only one. */
static void
test_defaults_each_hostkey(void **state)
{
	struct fake_run t;
	int h;

	(void)state;
	for (h = 0; h < 3; h++) {
		run_init(&t, nth(SIG_DEFAULT_LIST, h));
		fake_run_go(&t);
		expect_session(&t);
		assert_string_equal(t.ck.kex, "mlkem768x25519-sha256");
		assert_string_equal(t.ck.hostkey, nth(SIG_DEFAULT_LIST, h));
		assert_string_equal(t.ck.aead, "aes256-gcm-siv");
		expect_records(&t.ck, &t.sk);
		fake_run_done(&t);
	}
}

/* The type of the n-th clear frame of a delivery (after the version
 * line), or -1. */
static int
frame_type(const struct buf *data, int n)
{
	const uint8_t *p = buf_ptr(data), *end = p + buf_len(data);
	const uint8_t *nl = memchr(p, '\n', buf_len(data));
	uint32_t len;

	if (memcmp(p, "MOSHPIT-", 8) == 0 && nl != NULL)
		p = nl + 1;
	for (;; n--) {
		if (end - p < 5)
			return -1;
		len = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
		if (n == 0)
			return p[4];
		if ((size_t)(end - p) < 4 + (size_t)len)
			return -1;
		p += 4 + len;
	}
}

static void
record_first_flight(void *arg, int to_client, int n, struct buf *data)
{
	int *types = arg;

	if (to_client && n == 0) {
		types[0] = frame_type(data, 0);
		types[1] = frame_type(data, 1);
	}
}

static void
test_kex_retry(void **state)
{
	int types[2];
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	t.calgs.kex = "x25519-sha256,p256-sha256";
	t.salgs.kex = "p256-sha256,x25519-sha256";
	t.p.tamper = record_first_flight;
	t.p.tamper_arg = types;
	fake_run_go(&t);
	expect_session(&t);
	assert_string_equal(t.ck.kex, "p256-sha256");
	assert_int_equal(types[0], HS_MSG_HELLO);
	assert_int_equal(types[1], HS_MSG_KEX_RETRY);
	assert_int_equal(t.f.sign_calls, 1);
	fake_run_done(&t);
}

static void
test_kex_guess_right(void **state)
{
	int types[2];
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	t.p.tamper = record_first_flight;
	t.p.tamper_arg = types;
	fake_run_go(&t);
	expect_session(&t);
	assert_int_equal(types[0], HS_MSG_HELLO);
	assert_int_equal(types[1], HS_MSG_KEX_SERVER);
	assert_int_equal(t.p.sent[0], 2);	/* two client flights */
	assert_int_equal(t.p.sent[1], 2);	/* two server flights */
	fake_run_done(&t);
}

static void
test_session_new_fields(void **state)
{
	static char lang[] = "LANG", lang_v[] = "C.UTF-8";
	static char foo[] = "FOO_1", foo_v[] = "a b\tc=d";
	static char cmd[] = "ls -l /tmp";
	const struct hs_reply *reply;
	struct hs_request *q;
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	q = &t.params.request;
	q->mode = mode_datagram;
	q->command = cmd;
	q->flags = 1;
	q->cols = 132;
	q->rows = 43;
	q->xpixel = 1920;
	q->ypixel = 1080;
	q->env[0].name = lang;
	q->env[0].value = lang_v;
	q->env[1].name = foo;
	q->env[1].value = foo_v;
	q->nenv = 2;
	fake_run_go(&t);
	expect_session(&t);
	assert_string_equal(t.f.req_user, USER);
	assert_string_equal(hs_server_user(t.p.s), USER);
	assert_int_equal(t.f.req.type, HS_REQ_NEW);
	assert_string_equal(t.f.req.term, "xterm-256color");
	assert_string_equal(t.f.req.mode, "datagram");
	assert_string_equal(t.f.req.command, "ls -l /tmp");
	assert_int_equal(t.f.req.flags, 1);
	assert_int_equal(t.f.req.cols, 132);
	assert_int_equal(t.f.req.rows, 43);
	assert_int_equal(t.f.req.xpixel, 1920);
	assert_int_equal(t.f.req.ypixel, 1080);
	assert_int_equal(t.f.req.nenv, 2);
	assert_string_equal(t.f.req.env[0].name, "LANG");
	assert_string_equal(t.f.req.env[0].value, "C.UTF-8");
	assert_string_equal(t.f.req.env[1].name, "FOO_1");
	assert_string_equal(t.f.req.env[1].value, "a b\tc=d");
	assert_non_null(reply = hs_client_reply(t.p.c));
	assert_true(reply->ok);
	assert_int_equal(reply->udp_port, 60001);
	assert_string_equal(reply->mode, "datagram");
	/* A new session is named by its H. */
	assert_int_equal(reply->session_id_len, t.ck.h_len);
	assert_memory_equal(reply->session_id, t.ck.h, t.ck.h_len);
	assert_memory_equal(t.ck.session_id, t.ck.h, t.ck.h_len);
	fake_run_done(&t);
}

static void
test_session_list(void **state)
{
	const struct hs_reply *reply;
	struct hs_keys k;
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	memset(&k, 0, sizeof(k));
	k.session_id_len = 32;
	memset(k.session_id, 0xaa, 32);
	fake_add_session(&t.f, USER, &k);
	k.session_id_len = 48;
	memset(k.session_id, 0xbb, 48);
	fake_add_session(&t.f, USER, &k);
	t.params.request.type = HS_REQ_LIST;
	fake_run_go(&t);
	assert_int_equal(t.p.crc, HS_DONE);
	assert_int_equal(t.p.src, HS_DONE);
	assert_int_equal(t.f.req.type, HS_REQ_LIST);
	assert_non_null(reply = hs_client_reply(t.p.c));
	assert_true(reply->ok);
	assert_int_equal(reply->nsessions, 2);
	assert_int_equal(reply->sessions[0].session_id_len, 32);
	assert_int_equal(reply->sessions[0].session_id[0], 0xaa);
	assert_int_equal(reply->sessions[0].started, 1700000000);
	assert_int_equal(reply->sessions[0].attached, 0);
	assert_string_equal(reply->sessions[0].command, "");
	assert_int_equal(reply->sessions[1].session_id_len, 48);
	assert_int_equal(reply->sessions[1].attached, 1);
	assert_int_equal(reply->sessions[1].cols, 80);
	assert_int_equal(reply->sessions[1].rows, 24);
	assert_string_equal(reply->sessions[1].command, "top");
	/* No session, so no keys. */
	assert_int_equal(hs_client_keys(t.p.c, &k), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(hs_server_keys(t.p.s, &k), MP_ERR_INVALID_ARGUMENT);
	fake_run_done(&t);
}

/* Start a session, then resume it from a second connection with the
 * given secret (NULL: the right one). */
static void
resume(struct fake_run *first, struct fake_run *t, const uint8_t *secret)
{
	run_init(first, NULL);
	fake_run_go(first);
	expect_session(first);
	run_init(t, NULL);
	fake_add_session(&t->f, USER, &first->sk);
	t->params.request.type = HS_REQ_RESUME;
	memcpy(t->params.request.session_id, first->ck.session_id,
	    first->ck.session_id_len);
	t->params.request.session_id_len = first->ck.session_id_len;
	t->params.request.cols = 100;
	t->params.request.rows = 30;
	t->params.resume_secret = secret ? secret : first->ck.resume;
	fake_run_go(t);
}

static void
test_resume(void **state)
{
	const struct hs_reply *reply;
	struct fake_run first, t;

	(void)state;
	resume(&first, &t, NULL);
	expect_session(&t);
	assert_int_equal(t.f.req.type, HS_REQ_RESUME);
	assert_int_equal(t.f.req.cols, 100);
	assert_int_equal(t.f.req.rows, 30);
	assert_non_null(reply = hs_client_reply(t.p.c));
	assert_true(reply->ok);
	assert_int_equal(reply->udp_port, 60002);
	/* The session keeps its id; the connection has its own H, keys and
	 * next resume secret. */
	assert_memory_equal(reply->session_id, first.ck.session_id,
	    first.ck.session_id_len);
	assert_memory_equal(t.ck.session_id, first.ck.session_id,
	    first.ck.session_id_len);
	assert_memory_not_equal(t.ck.h, first.ck.h, t.ck.h_len);
	assert_memory_not_equal(t.ck.resume, first.ck.resume,
	    HS_RESUME_BYTES);
	assert_memory_not_equal(t.ck.c2s_key, first.ck.c2s_key,
	    t.ck.key_len);
	fake_run_done(&first);
	fake_run_done(&t);
}

static void
test_resume_wrong_secret(void **state)
{
	static const uint8_t wrong[HS_RESUME_BYTES] = { 1 };
	const struct hs_reply *reply;
	struct fake_run first, t;
	struct hs_keys k;

	(void)state;
	resume(&first, &t, wrong);
	assert_int_equal(t.p.crc, HS_DONE);
	assert_int_equal(t.p.src, HS_DONE);
	assert_int_equal(t.f.request_calls, 0);
	assert_non_null(reply = hs_client_reply(t.p.c));
	assert_false(reply->ok);
	assert_int_equal(reply->reason, HS_R_SESSION_NOT_FOUND);
	assert_string_equal(reply->message, "no such session");
	assert_int_equal(hs_client_keys(t.p.c, &k), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(hs_server_keys(t.p.s, &k), MP_ERR_INVALID_ARGUMENT);
	fake_run_done(&first);
	fake_run_done(&t);
}

/* A refused request: SESSION_FAILURE, its message cleaned. */
static void
test_session_refused(void **state)
{
	const struct hs_reply *reply;
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	t.f.refuse = 1;
	fake_run_go(&t);
	assert_int_equal(t.p.crc, HS_DONE);
	assert_int_equal(t.p.src, HS_DONE);
	assert_non_null(reply = hs_client_reply(t.p.c));
	assert_false(reply->ok);
	assert_int_equal(reply->reason, HS_R_SESSION_REFUSED);
	assert_string_equal(reply->message, "logins disabled[2J; try later");
	fake_run_done(&t);
}

/* The first identity is refused; the second is used, and the request
 * that came with the first was dropped and sent again. */
static void
test_second_identity(void **state)
{
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	fake_id_init(&t.id[0], "ecdsa-p256");
	t.ids[1] = t.ids[0];		/* the authorised one second */
	t.ids[0] = fake_identity(&t.id[0]);
	t.nids = 2;
	fake_run_go(&t);
	expect_session(&t);
	assert_int_equal(t.f.allowed_calls, 2);
	assert_int_equal(t.f.verify_calls, 1);
	assert_int_equal(t.f.request_calls, 1);
	assert_int_equal(t.id[0].sign_calls, 1);
	assert_int_equal(t.p.sent[0], 3);	/* hello, auth, auth again */
	sig_free(t.id[0].key);
	fake_run_done(&t);
}

/* Input one byte at a time, through a KEX_RETRY and a refused identity. */
static void
test_one_byte_at_a_time(void **state)
{
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	fake_id_init(&t.id[0], "ed25519");
	t.ids[1] = t.ids[0];
	t.ids[0] = fake_identity(&t.id[0]);
	t.nids = 2;
	t.salgs.kex = "x25519-sha256";
	t.calgs.mac = "hmac-sha256";
	t.p.chunk = 1;
	fake_run_go(&t);
	expect_session(&t);
	assert_string_equal(t.ck.kex, "x25519-sha256");
	expect_records(&t.ck, &t.sk);
	sig_free(t.id[0].key);
	fake_run_done(&t);
}

/* Everything both sides sent, delivered in one piece each: several
 * messages per chunk work too (the pump's normal mode), and a whole
 * stream glued together is handled by the server as far as it can. */
static void
test_client_stream_in_one_chunk(void **state)
{
	struct buf *out;
	struct hs_server *s;
	struct fake_run t, u;

	(void)state;
	run_init(&t, NULL);
	assert_non_null(t.p.wire[0] = buf_new(FAKE_IO_MAX));
	fake_run_go(&t);
	expect_session(&t);
	/* A fresh server fed the same bytes at once answers the first
	 * flight and then fails on records made for another server. */
	run_init(&u, NULL);
	assert_non_null(out = buf_new(FAKE_IO_MAX));
	assert_non_null(s = hs_server_new(NULL, "x", &u.f.ops, &u.f));
	assert_int_equal(hs_server_input(s, buf_ptr(t.p.wire[0]),
	    buf_len(t.p.wire[0]), out), MP_ERR_AUTH);
	assert_int_equal(frame_type(out, 1), HS_MSG_KEX_SERVER);
	assert_int_equal(u.f.sign_calls, 1);
	buf_free(out);
	hs_server_free(s);
	fake_run_done(&u);
	fake_run_done(&t);
}

static void
test_bad_parameters(void **state)
{
	static char bad_term[] = "xterm;rm";
	struct hs_algorithms unknown = { "x448-sha512", NULL, NULL, NULL, NULL };
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	t.params.ids = t.ids;
	t.params.nids = 1;
	assert_null(hs_client_new(&unknown, "x", &t.params));
	assert_null(hs_client_new(NULL, "bad software", &t.params));
	assert_null(hs_server_new(&unknown, "x", &t.f.ops, &t.f));
	t.params.user = "a/b";
	assert_null(hs_client_new(NULL, "x", &t.params));
	t.params.user = USER;
	t.params.request.term = bad_term;
	assert_null(hs_client_new(NULL, "x", &t.params));
	t.params.request.term = term;
	t.params.request.type = HS_REQ_RESUME;
	t.params.request.session_id_len = 32;
	assert_null(hs_client_new(NULL, "x", &t.params));	/* no secret */
	t.f.ops.hostkey_algorithms = "ecdsa-p384";
	t.salgs.hostkey = "ed25519";
	assert_null(hs_server_new(&t.salgs, "x", &t.f.ops, &t.f));
	fake_run_done(&t);
}

/* ---- seed corpora ---------------------------------------------------- */

static void
write_seed(const char *dir, const char *harness, const char *name,
    const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, harness);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, harness, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(p, 1, len, f), len);
	fclose(f);
}

/* What each side sent in a real handshake, as seeds for the machine
 * harnesses: a fresh machine gets through the first flight with them. */
static void
seeds_from(const char *dir, const char *name, struct fake_run *t)
{
	assert_non_null(t->p.wire[0] = buf_new(FAKE_IO_MAX));
	assert_non_null(t->p.wire[1] = buf_new(FAKE_IO_MAX));
	fake_run_go(t);
	assert_int_equal(t->p.crc, HS_DONE);
	write_seed(dir, "fuzz_hs_server", name, buf_ptr(t->p.wire[0]),
	    buf_len(t->p.wire[0]));
	write_seed(dir, "fuzz_hs_client", name, buf_ptr(t->p.wire[1]),
	    buf_len(t->p.wire[1]));
}

static void
test_write_corpus(void **state)
{
	const char *dir = getenv("MP_WRITE_CORPUS");
	struct fake_run t;

	(void)state;
	run_init(&t, NULL);
	t.calgs.kex = "x25519-sha256";
	seeds_from(dir, "x25519-new", &t);
	fake_run_done(&t);
	run_init(&t, NULL);
	t.calgs.kex = "p256-sha256,x25519-sha256";
	t.salgs.kex = "x25519-sha256";
	t.calgs.mac = "hmac-sha256";
	t.params.request.type = HS_REQ_LIST;
	seeds_from(dir, "retry-list", &t);
	fake_run_done(&t);
	run_init(&t, "ecdsa-p256");
	seeds_from(dir, "hybrid-default", &t);
	fake_run_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_combination),
		cmocka_unit_test(test_defaults_each_hostkey),
		cmocka_unit_test(test_kex_retry),
		cmocka_unit_test(test_kex_guess_right),
		cmocka_unit_test(test_session_new_fields),
		cmocka_unit_test(test_session_list),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_resume_wrong_secret),
		cmocka_unit_test(test_session_refused),
		cmocka_unit_test(test_second_identity),
		cmocka_unit_test(test_one_byte_at_a_time),
		cmocka_unit_test(test_client_stream_in_one_chunk),
		cmocka_unit_test(test_bad_parameters),
	};
	const struct CMUnitTest corpus[] = {
		cmocka_unit_test(test_write_corpus),
	};

	if (mp_crypto_init() != 0)
		return 1;
	if (getenv("MP_WRITE_CORPUS") != NULL)
		return cmocka_run_group_tests(corpus, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_monmsg.c: unit tests of the monitor/net-child message codecs: round trips, and refusal of truncated, oversized, trailing and out-of-range input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/crypto/hash.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/monmsg.h"
#include "regress/unittests/chan_fixture.h"

static const struct hs_keys erased;	/* keys after a refusal */

static struct buf *
fresh(void)
{
	struct buf *b = buf_new(IPC_PAYLOAD_MAX);

	assert_non_null(b);
	return b;
}

static void
test_keys_round_trip(void **state)
{
	struct hs_keys k, got;
	struct buf *b = fresh();

	(void)state;
	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_keys(b, &k), 0);
	assert_int_equal(monmsg_get_keys(b, &got), 0);
	assert_memory_equal(&k, &got, sizeof(k));
	buf_free(b);
}

/* Every strict prefix of a valid message is refused, and so is one
 * more byte; the keys come back erased. */
static void
test_keys_truncated_and_trailing(void **state)
{
	struct hs_keys k, got;
	struct buf *b = fresh(), *cut;
	size_t n, i;

	(void)state;
	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_keys(b, &k), 0);
	n = buf_len(b);
	for (i = 0; i < n; i++) {
		cut = buf_from(buf_ptr(b), i);
		assert_non_null(cut);
		assert_int_not_equal(monmsg_get_keys(cut, &got), 0);
		assert_int_equal(got.key_len, 0);
		buf_free(cut);
	}
	assert_int_equal(buf_put_u8(b, 0), 0);
	assert_int_equal(monmsg_get_keys(b, &got), MP_ERR_TRAILING_DATA);
	buf_free(b);
}

static void
test_keys_bad_lengths(void **state)
{
	struct hs_keys k, got;
	struct buf *b = fresh();

	(void)state;
	chfx_session_keys(&k);
	k.h_len = 31;		/* not the length of any exchange hash */
	assert_int_equal(monmsg_put_keys(b, &k), 0);
	assert_int_not_equal(monmsg_get_keys(b, &got), 0);
	buf_free(b);
}

/* c encoded (and one more byte if trailing) and decoded: the decoder's
 * result; on success the same configuration. */
static int
config_trip(const struct mon_config *c, int trailing)
{
	struct mon_config got;
	struct buf *b = fresh();
	int r;

	assert_int_equal(monmsg_put_config(b, c), 0);
	if (trailing)
		assert_int_equal(buf_put_u8(b, 0), 0);
	r = monmsg_get_config(b, &got);
	if (r == 0)
		assert_memory_equal(c, &got, sizeof(*c));
	buf_free(b);
	return r;
}

static void
test_config_round_trip_and_ranges(void **state)
{
	struct mon_config c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.phase = MON_PHASE_SESSION;
	c.uid = 999;
	c.gid = 995;
	strcpy(c.chroot, "/var/empty/mps");
	c.dedicated_user = 1;
	c.grace_ms = 120000;
	c.pacing_us = 1000;
	c.no_pty = 1;
	strcpy(c.hostkey, "ed25519");
	assert_int_equal(config_trip(&c, 0), 0);
	assert_int_equal(config_trip(&c, 1), MP_ERR_TRAILING_DATA);
	c.phase = 3;		/* no such phase */
	assert_int_equal(config_trip(&c, 0), MP_ERR_INVALID_FORMAT);
	c.phase = MON_PHASE_PREAUTH;
	c.no_pty = 2;		/* a flag is 0 or 1 */
	assert_int_equal(config_trip(&c, 0), MP_ERR_INVALID_FORMAT);
}

/* A session with a PTY: its mode, window, push interval and scrollback
 * rate. */
static void
session_config(struct mon_config *c)
{
	*c = (struct mon_config){ .phase = MON_PHASE_SESSION,
	    .mode = MON_MODE_STATESYNC, .cols = 80, .rows = 24,
	    .xpixel = 65535, .ypixel = 480, .push_ms = 30,
	    .scrollback_rate = 0xfffffffe, .warmup_ms = 50,
	    .timeout_s = 3600 };
}

/* A window of 1 to 4096 columns and rows with a PTY; a session without
 * one is reliable; no mode above statesync. */
static void
test_config_session_fields(void **state)
{
	static const struct {
		uint16_t cols, rows;
		uint8_t no_pty, mode;
		int want;
	} cases[] = {
		{ 80, 24, 0, MON_MODE_STATESYNC, 0 },
		{ 1, 1, 0, MON_MODE_DATAGRAM, 0 },
		{ 4096, 4096, 0, MON_MODE_RELIABLE, 0 },
		{ 0, 24, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 4097, 24, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 80, 0, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 80, 4097, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 80, 24, 0, MON_MODE_STATESYNC + 1, MP_ERR_INVALID_FORMAT },
		{ 80, 24, 0, 255, MP_ERR_INVALID_FORMAT },
		{ 0, 0, 1, MON_MODE_RELIABLE, 0 },
		{ 80, 24, 1, MON_MODE_DATAGRAM, MP_ERR_INVALID_FORMAT },
		{ 80, 24, 1, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
	};
	struct mon_config c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		session_config(&c);
		c.cols = cases[i].cols;
		c.rows = cases[i].rows;
		c.no_pty = cases[i].no_pty;
		c.mode = cases[i].mode;
		assert_int_equal(config_trip(&c, 0), cases[i].want);
	}
	/* Before login there is no window yet, but still no such mode. */
	session_config(&c);
	c.phase = MON_PHASE_PREAUTH;
	c.cols = c.rows = 0;
	assert_int_equal(config_trip(&c, 0), 0);
	c.mode = MON_MODE_STATESYNC + 1;
	assert_int_equal(config_trip(&c, 0), MP_ERR_INVALID_FORMAT);
}

/* chfx_session_keys() and size encoded (and one more byte if trailing),
 * decoded into got and got_size: the decoder's result; got is the keys
 * on success, erased on failure. */
static int
rekey_trip(const uint16_t size[4], int trailing, struct hs_keys *got,
    uint16_t got_size[4])
{
	struct hs_keys k;
	struct buf *b = fresh();
	int r;

	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_rekey(b, &k, size), 0);
	if (trailing)
		assert_int_equal(buf_put_u8(b, 0), 0);
	memset(got, 0xa5, sizeof(*got));
	r = monmsg_get_rekey(b, got, got_size);
	if (r == 0)
		assert_memory_equal(&k, got, sizeof(k));
	else
		assert_memory_equal(got, &erased, sizeof(*got));
	buf_free(b);
	return r;
}

static void
test_rekey_round_trip(void **state)
{
	static const uint16_t sizes[][4] = {
		{ 80, 24, 640, 480 },
		{ 1, 1, 0, 0 },
		{ 4096, 4096, 65535, 65535 },
	};
	struct hs_keys got;
	uint16_t got_size[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(rekey_trip(sizes[i], 0, &got, got_size), 0);
		assert_memory_equal(got_size, sizes[i], sizeof(got_size));
	}
}

/* Columns or rows out of 1 .. 4096, a trailing byte, any strict prefix:
 * refused, the keys erased. */
static void
test_rekey_refused(void **state)
{
	static const uint16_t sizes[][4] = {
		{ 0, 24, 0, 0 },
		{ 4097, 24, 0, 0 },
		{ 80, 0, 0, 0 },
		{ 80, 65535, 0, 0 },
	};
	static const uint16_t good[4] = { 80, 24, 0, 0 };
	struct hs_keys k, got;
	uint16_t got_size[4];
	struct buf *b = fresh(), *cut;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		assert_int_equal(rekey_trip(sizes[i], 0, &got, got_size),
		    MP_ERR_INVALID_FORMAT);
	assert_int_equal(rekey_trip(good, 1, &got, got_size),
	    MP_ERR_TRAILING_DATA);
	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_rekey(b, &k, good), 0);
	n = buf_len(b);
	for (i = 0; i < n; i++) {
		assert_non_null(cut = buf_from(buf_ptr(b), i));
		memset(&got, 0xa5, sizeof(got));
		assert_int_not_equal(monmsg_get_rekey(cut, &got, got_size), 0);
		assert_memory_equal(&got, &erased, sizeof(got));
		buf_free(cut);
	}
	buf_free(b);
}

static void
test_reply_round_trip(void **state)
{
	struct hs_reply r, got;
	struct buf *b = fresh();

	(void)state;
	memset(&r, 0, sizeof(r));
	r.ok = 1;
	r.udp_port = 50123;
	strcpy(r.mode, "reliable");
	r.nsessions = 1;
	r.sessions[0].session_id_len = 48;
	r.sessions[0].started = 1700000000;
	r.sessions[0].cols = 80;
	r.sessions[0].rows = 24;
	strcpy(r.sessions[0].command, "top");
	assert_int_equal(monmsg_put_reply(b, &r), 0);
	assert_int_equal(monmsg_get_reply(b, &got), 0);
	assert_int_equal(got.ok, 1);
	assert_int_equal(got.udp_port, 50123);
	assert_string_equal(got.mode, "reliable");
	assert_int_equal(got.nsessions, 1);
	assert_string_equal(got.sessions[0].command, "top");
	buf_free(b);
}

static void
test_reply_too_many_sessions(void **state)
{
	struct hs_reply got;
	struct buf *b = fresh();

	(void)state;
	assert_int_equal(buf_put_u8(b, 1), 0);
	assert_int_equal(buf_put_u32(b, 0), 0);
	assert_int_equal(buf_put_cstring(b, ""), 0);
	assert_int_equal(buf_put_u16(b, 1), 0);
	assert_int_equal(buf_put_cstring(b, "reliable"), 0);
	assert_int_equal(buf_put_u32(b, HS_LIST_MAX + 1), 0);
	assert_int_equal(monmsg_get_reply(b, &got), MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

static void
test_result_codes(void **state)
{
	struct buf *b = fresh();
	int r;

	(void)state;
	assert_int_equal(monmsg_put_result(b, MP_ERR_NOT_FOUND), 0);
	assert_int_equal(monmsg_get_result(b, &r), 0);
	assert_int_equal(r, MP_ERR_NOT_FOUND);
	/* A code no sender means reads as an internal error, not as 0. */
	buf_reset(b);
	assert_int_equal(buf_put_u32(b, 0x7fffffff), 0);
	assert_int_equal(monmsg_get_result(b, &r), 0);
	assert_int_equal(r, MP_ERR_INTERNAL);
	assert_int_equal(monmsg_put_result(b, 1), MP_ERR_INVALID_ARGUMENT);
	buf_free(b);
}

/* ---- MON_CTL_CHECK and MON_RESUME: the resume messages ----------------- */

/* A resume message's codec, so that one check serves the claim
 * (MON_CTL_CHECK) and the request (MON_RESUME). */
struct resume_codec {
	int (*put)(struct buf *, const void *);
	int (*get)(struct buf *, void *);
	size_t size;		/* of the struct */
	size_t fields;		/* strings before the port, if any */
	const size_t *max;	/* each string's longest */
	int port;		/* a uint32 port ends it */
};

union resume_msg {
	struct mon_resume_claim c;
	struct mon_resume_request q;
};

static int
put_claim(struct buf *b, const void *c)
{
	return monmsg_put_resume_claim(b, c);
}

static int
get_claim(struct buf *b, void *c)
{
	return monmsg_get_resume_claim(b, c);
}

static int
put_request(struct buf *b, const void *q)
{
	return monmsg_put_resume_request(b, q);
}

static int
get_request(struct buf *b, void *q)
{
	return monmsg_get_resume_request(b, q);
}

/* user, kdf, H or id, proof, and the claim's address. */
static const size_t resume_max[5] = { HS_NAME_MAX, HS_NAME_MAX, HS_H_MAX,
    HASH_MAX_BYTES, 63 /* sizeof(addr) - 1 */ };
static const struct resume_codec claim_codec = {
	put_claim, get_claim, sizeof(struct mon_resume_claim), 5, resume_max, 1,
}, request_codec = {
	put_request, get_request, sizeof(struct mon_resume_request), 4,
	resume_max, 0,
};

/* msg encoded (and one more byte if trailing) and decoded: the
 * decoder's result; on success the same message. */
static int
trip(const struct resume_codec *m, const void *msg, int trailing)
{
	union resume_msg got;
	struct buf *b = fresh();
	int r;

	assert_int_equal(m->put(b, msg), 0);
	if (trailing)
		assert_int_equal(buf_put_u8(b, 0), 0);
	r = m->get(b, &got);
	if (r == 0)
		assert_memory_equal(msg, &got, m->size);
	buf_free(b);
	return r;
}

/* msg encodes to want, byte for byte, and want decodes to msg. */
static void
wire_format(const struct resume_codec *m, const void *msg,
    const uint8_t *want, size_t len)
{
	union resume_msg got;
	struct buf *b = fresh(), *in;

	assert_int_equal(m->put(b, msg), 0);
	assert_int_equal(buf_len(b), len);
	assert_memory_equal(buf_ptr(b), want, len);
	assert_non_null(in = buf_from(want, len));
	assert_int_equal(m->get(in, &got), 0);
	assert_memory_equal(msg, &got, m->size);
	buf_free(in);
	buf_free(b);
}

/* msg's encoding is len bytes; every strict prefix of it is incomplete,
 * and one more byte is trailing. */
static void
truncated_and_trailing(const struct resume_codec *m, const void *msg,
    size_t len)
{
	union resume_msg got;
	struct buf *b = fresh(), *cut;
	size_t i;

	assert_int_equal(m->put(b, msg), 0);
	assert_int_equal(buf_len(b), len);
	for (i = 0; i < len; i++) {
		assert_non_null(cut = buf_from(buf_ptr(b), i));
		assert_int_equal(m->get(cut, &got), MP_ERR_INCOMPLETE);
		buf_free(cut);
	}
	buf_free(b);
	assert_int_equal(trip(m, msg, 1), MP_ERR_TRAILING_DATA);
}

/* A message of strings len[i] bytes long (printable) and port 22, by
 * hand. */
static void
raw_message(const struct resume_codec *m, struct buf *b, const size_t *len)
{
	uint8_t fill[256];
	size_t i;

	buf_reset(b);
	memset(fill, 'x', sizeof(fill));
	for (i = 0; i < m->fields; i++)
		assert_int_equal(buf_put_string(b, fill, len[i]), 0);
	if (m->port)
		assert_int_equal(buf_put_u32(b, 22), 0);
}

/* Each string one byte longer than its longest is refused; all at their
 * longest are read into got. */
static void
field_limits(const struct resume_codec *m, void *got)
{
	size_t len[5], i;
	struct buf *b = fresh();

	for (i = 0; i < m->fields; i++) {
		memcpy(len, m->max, m->fields * sizeof(len[0]));
		len[i]++;
		raw_message(m, b, len);
		assert_int_equal(m->get(b, got), MP_ERR_TOO_LARGE);
	}
	raw_message(m, b, m->max);
	assert_int_equal(m->get(b, got), 0);
	buf_free(b);
}

static void
sample_claim(struct mon_resume_claim *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->user, "alice");
	strcpy(c->kdf, "hkdf-sha256");
	c->h_len = 32;
	memset(c->h, 0x11, c->h_len);
	c->proof_len = 32;
	memset(c->proof, 0x22, c->proof_len);
	strcpy(c->addr, "192.0.2.7");
	c->port = 50123;
}

/* The layout of MON_CTL_CHECK (common/monmsg.h), byte for byte. */
static void
test_claim_wire_format(void **state)
{
	static const uint8_t want[] = {
		0, 0, 0, 2, 'a', 'l',		/* user */
		0, 0, 0, 1, 'k',		/* kdf */
		0, 0, 0, 2, 0x01, 0x02,		/* H */
		0, 0, 0, 1, 0x03,		/* proof */
		0, 0, 0, 3, ':', ':', '1',	/* address */
		0, 0, 0xc3, 0x50,		/* port 50000 */
	};
	struct mon_resume_claim c;

	(void)state;
	memset(&c, 0, sizeof(c));
	strcpy(c.user, "al");
	strcpy(c.kdf, "k");
	c.h[0] = 0x01;
	c.h[1] = 0x02;
	c.h_len = 2;
	c.proof[0] = 0x03;
	c.proof_len = 1;
	strcpy(c.addr, "::1");
	c.port = 50000;
	wire_format(&claim_codec, &c, want, sizeof(want));
}

static void
test_claim_round_trip(void **state)
{
	struct mon_resume_claim c;

	(void)state;
	sample_claim(&c);
	assert_int_equal(trip(&claim_codec, &c, 0), 0);
	/* Empty fields are the session's to judge, not the decoder's. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(trip(&claim_codec, &c, 0), 0);
	/* Every field at its longest. */
	memset(&c, 0, sizeof(c));
	memset(c.user, 'u', sizeof(c.user) - 1);
	memset(c.kdf, 'k', sizeof(c.kdf) - 1);
	memset(c.addr, 'a', sizeof(c.addr) - 1);
	c.h_len = sizeof(c.h);
	memset(c.h, 0xff, c.h_len);
	c.proof_len = sizeof(c.proof);
	memset(c.proof, 0xfe, c.proof_len);
	c.port = 0xffffffff;
	assert_int_equal(trip(&claim_codec, &c, 0), 0);
}

/* What the decoder would refuse is not encoded: nothing is written. */
static void
test_claim_put_refused(void **state)
{
	struct mon_resume_claim c;
	struct buf *b = fresh();

	(void)state;
	sample_claim(&c);
	c.h_len = HS_H_MAX + 1;
	assert_int_equal(monmsg_put_resume_claim(b, &c),
	    MP_ERR_INVALID_ARGUMENT);
	sample_claim(&c);
	c.proof_len = HASH_MAX_BYTES + 1;
	assert_int_equal(monmsg_put_resume_claim(b, &c),
	    MP_ERR_INVALID_ARGUMENT);
	sample_claim(&c);
	memset(c.user, 'u', sizeof(c.user));	/* no NUL */
	assert_int_equal(monmsg_put_resume_claim(b, &c),
	    MP_ERR_INVALID_ARGUMENT);
	sample_claim(&c);
	memset(c.addr, 'a', sizeof(c.addr));
	assert_int_equal(monmsg_put_resume_claim(b, &c),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(buf_len(b), 0);
	buf_free(b);
}

/* A claim of the given user and address, KDF "k", no H, no proof. */
static void
text_claim(struct buf *b, const char *user, size_t user_len,
    const char *addr, size_t addr_len)
{
	assert_int_equal(buf_put_string(b, user, user_len), 0);
	assert_int_equal(buf_put_cstring(b, "k"), 0);
	assert_int_equal(buf_put_string(b, "", 0), 0);
	assert_int_equal(buf_put_string(b, "", 0), 0);
	assert_int_equal(buf_put_string(b, addr, addr_len), 0);
	assert_int_equal(buf_put_u32(b, 22), 0);
}

/* A user or address as bytes: a NUL is refused as in any text, a
 * control byte is kept as it is. */
static void
test_claim_text_bytes(void **state)
{
	static const char nul[] = "al\0ce", ctl[] = "al\x1b[2J\nce\x7f";
	struct mon_resume_claim got;
	struct buf *b = fresh();

	(void)state;
	text_claim(b, nul, sizeof(nul) - 1, "::1", 3);
	assert_int_equal(monmsg_get_resume_claim(b, &got),
	    MP_ERR_INVALID_FORMAT);
	buf_reset(b);
	text_claim(b, "al", 2, nul, sizeof(nul) - 1);
	assert_int_equal(monmsg_get_resume_claim(b, &got),
	    MP_ERR_INVALID_FORMAT);
	buf_reset(b);
	text_claim(b, ctl, sizeof(ctl) - 1, ctl, sizeof(ctl) - 1);
	assert_int_equal(monmsg_get_resume_claim(b, &got), 0);
	assert_string_equal(got.user, ctl);
	assert_string_equal(got.addr, ctl);
	assert_string_equal(got.kdf, "k");
	assert_int_equal(got.h_len, 0);
	assert_int_equal(got.proof_len, 0);
	assert_int_equal(got.port, 22);
	buf_free(b);
}

/* ---- MON_RESUME: the net child's resume request ------------------------ */

static void
sample_request(struct mon_resume_request *q)
{
	memset(q, 0, sizeof(*q));
	strcpy(q->user, "alice");
	strcpy(q->kdf, "hkdf-sha384");
	q->id_len = 48;
	memset(q->id, 0x33, q->id_len);
	q->proof_len = 48;
	memset(q->proof, 0x44, q->proof_len);
}

/* The layout of MON_RESUME (common/monmsg.h), byte for byte, as
 * privsep/preauth.c sent it before it had a codec. */
static void
test_request_wire_format(void **state)
{
	static const uint8_t want[] = {
		0, 0, 0, 3, 'b', 'o', 'b',	/* user */
		0, 0, 0, 2, 'k', 'd',		/* kdf */
		0, 0, 0, 3, 0xa1, 0xa2, 0xa3,	/* session id */
		0, 0, 0, 2, 0xb1, 0x00,		/* proof */
	};
	struct mon_resume_request q;

	(void)state;
	memset(&q, 0, sizeof(q));
	strcpy(q.user, "bob");
	strcpy(q.kdf, "kd");
	memcpy(q.id, "\xa1\xa2\xa3", 3);
	q.id_len = 3;
	q.proof[0] = 0xb1;
	q.proof_len = 2;
	wire_format(&request_codec, &q, want, sizeof(want));
}

/* A sample, an empty request (the monitor's to judge, not the
 * decoder's) and every field at its longest. */
static void
test_request_round_trip(void **state)
{
	struct mon_resume_request q[3];

	(void)state;
	sample_request(&q[0]);
	memset(&q[1], 0, sizeof(q[1]));
	memset(&q[2], 0, sizeof(q[2]));
	memset(q[2].user, 'u', HS_NAME_MAX);
	memset(q[2].kdf, 'k', HS_NAME_MAX);
	q[2].id_len = HS_H_MAX;
	memset(q[2].id, 0xff, HS_H_MAX);
	q[2].proof_len = HASH_MAX_BYTES;
	memset(q[2].proof, 0xfe, HASH_MAX_BYTES);
	assert_int_equal(trip(&request_codec, &q[0], 0), 0);
	assert_int_equal(trip(&request_codec, &q[1], 0), 0);
	assert_int_equal(trip(&request_codec, &q[2], 0), 0);
}

/* What the monitor would refuse is not encoded: nothing is written. */
static void
test_request_put_refused(void **state)
{
	struct mon_resume_request q;
	struct buf *b = fresh();
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		sample_request(&q);
		if (i == 0)
			q.id_len = HS_H_MAX + 1;
		else if (i == 1)
			q.proof_len = HASH_MAX_BYTES + 1;
		else if (i == 2)
			memset(q.user, 'u', sizeof(q.user));	/* no NUL */
		else
			memset(q.kdf, 'k', sizeof(q.kdf));
		assert_int_equal(monmsg_put_resume_request(b, &q),
		    MP_ERR_INVALID_ARGUMENT);
	}
	assert_int_equal(buf_len(b), 0);
	buf_free(b);
}

/* A NUL in the user or the KDF is refused as in any text; a control
 * byte is kept as it is (the monitor compares the user with its own). */
static void
test_request_text_bytes(void **state)
{
	static const char nul[] = "al\0ce", ctl[] = "al\x1b[2J\nce\x7f";
	const char *text[2][2] = { { nul, "k" }, { "al", nul } };
	size_t len[2][2] = { { sizeof(nul) - 1, 1 }, { 2, sizeof(nul) - 1 } };
	struct mon_resume_request got;
	struct buf *b = fresh();
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		buf_reset(b);
		assert_int_equal(buf_put_string(b, text[i][0], len[i][0]), 0);
		assert_int_equal(buf_put_string(b, text[i][1], len[i][1]), 0);
		assert_int_equal(buf_put_string(b, "\x01", 1), 0);
		assert_int_equal(buf_put_string(b, "", 0), 0);
		assert_int_equal(monmsg_get_resume_request(b, &got),
		    MP_ERR_INVALID_FORMAT);
	}
	buf_reset(b);
	assert_int_equal(buf_put_cstring(b, ctl), 0);
	assert_int_equal(buf_put_cstring(b, ctl), 0);
	assert_int_equal(buf_put_string(b, "", 0), 0);
	assert_int_equal(buf_put_string(b, "\x02", 1), 0);
	assert_int_equal(monmsg_get_resume_request(b, &got), 0);
	assert_string_equal(got.user, ctl);
	assert_string_equal(got.kdf, ctl);
	assert_int_equal(got.id_len, 0);
	assert_int_equal(got.proof_len, 1);
	assert_int_equal(got.proof[0], 0x02);
	buf_free(b);
}

/* ---- Both resume messages ---------------------------------------------- */

/* Each field at its maximum is read; one byte more is refused. */
static void
test_resume_field_limits(void **state)
{
	union resume_msg got;

	(void)state;
	field_limits(&claim_codec, &got.c);
	assert_int_equal(strlen(got.c.user), HS_NAME_MAX);
	assert_int_equal(strlen(got.c.kdf), HS_NAME_MAX);
	assert_int_equal(got.c.h_len, HS_H_MAX);
	assert_int_equal(got.c.proof_len, HASH_MAX_BYTES);
	assert_int_equal(strlen(got.c.addr), 63);
	assert_int_equal(got.c.port, 22);
	field_limits(&request_codec, &got.q);
	assert_int_equal(strlen(got.q.user), HS_NAME_MAX);
	assert_int_equal(strlen(got.q.kdf), HS_NAME_MAX);
	assert_int_equal(got.q.id_len, HS_H_MAX);
	assert_int_equal(got.q.proof_len, HASH_MAX_BYTES);
}

/* Every strict prefix is incomplete; one more byte is trailing. */
static void
test_resume_truncated_and_trailing(void **state)
{
	union resume_msg x;

	(void)state;
	sample_claim(&x.c);
	truncated_and_trailing(&claim_codec, &x.c,
	    4 + 5 + 4 + 11 + 4 + 32 + 4 + 32 + 4 + 9 + 4);
	sample_request(&x.q);
	truncated_and_trailing(&request_codec, &x.q,
	    4 + 5 + 4 + 11 + 4 + 48 + 4 + 48);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_round_trip),
		cmocka_unit_test(test_keys_truncated_and_trailing),
		cmocka_unit_test(test_keys_bad_lengths),
		cmocka_unit_test(test_config_round_trip_and_ranges),
		cmocka_unit_test(test_config_session_fields),
		cmocka_unit_test(test_rekey_round_trip),
		cmocka_unit_test(test_rekey_refused),
		cmocka_unit_test(test_reply_round_trip),
		cmocka_unit_test(test_reply_too_many_sessions),
		cmocka_unit_test(test_result_codes),
		cmocka_unit_test(test_claim_wire_format),
		cmocka_unit_test(test_claim_round_trip),
		cmocka_unit_test(test_claim_put_refused),
		cmocka_unit_test(test_claim_text_bytes),
		cmocka_unit_test(test_request_wire_format),
		cmocka_unit_test(test_request_round_trip),
		cmocka_unit_test(test_request_put_refused),
		cmocka_unit_test(test_request_text_bytes),
		cmocka_unit_test(test_resume_field_limits),
		cmocka_unit_test(test_resume_truncated_and_trailing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_record.c: UDP records for every aead and mac: round trips, the wire format, and each way a datagram is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"
#include "common/proto/record.h"

static const char *aeads[] = {
	"aes256-gcm-siv", "aes256-gcm", "chacha20-poly1305", "aes128-gcm-siv",
};
static const char *macs[] = { "implicit", "hmac-sha256", "hmac-sha512" };
#define NAEAD	(sizeof(aeads) / sizeof(aeads[0]))
#define NMAC	(sizeof(macs) / sizeof(macs[0]))

struct pair {
	struct hs_keys keys;
	struct rec_ctx *client, *server;
};

/* Fresh random keys for aead and mac. */
static void
make_keys(struct hs_keys *k, const char *aead, const char *mac)
{
	enum hash_alg alg;
	int is_hmac;

	memset(k, 0, sizeof(*k));
	snprintf(k->aead, sizeof(k->aead), "%s", aead);
	snprintf(k->mac, sizeof(k->mac), "%s", mac);
	assert_non_null(aead_by_name(aead));
	k->key_len = aead_by_name(aead)->key_len;
	assert_int_equal(mac_by_name(mac, &is_hmac, &alg), 0);
	k->mac_len = is_hmac ? hash_len(alg) : 0;
	mp_random(k->c2s_key, sizeof(k->c2s_key));
	mp_random(k->s2c_key, sizeof(k->s2c_key));
	mp_random(k->c2s_mac, sizeof(k->c2s_mac));
	mp_random(k->s2c_mac, sizeof(k->s2c_mac));
}

static void
pair_new(struct pair *p, const char *aead, const char *mac)
{
	make_keys(&p->keys, aead, mac);
	assert_non_null(p->client = rec_new(&p->keys, 0));
	assert_non_null(p->server = rec_new(&p->keys, 1));
}

static void
pair_free(struct pair *p)
{
	rec_free(p->client);
	rec_free(p->server);
	mp_zero(&p->keys, sizeof(p->keys));
}

static size_t
seal(struct rec_ctx *r, const uint8_t *pt, size_t len,
    uint8_t out[REC_DATAGRAM_MAX])
{
	size_t n = 0;

	assert_int_equal(rec_seal(r, pt, len, out, REC_DATAGRAM_MAX, &n), 0);
	assert_int_equal(n, len + rec_overhead(r));
	return n;
}

/* Open dgram, expecting success; returns the newest flag. */
static int
open_ok(struct rec_ctx *r, const uint8_t *dgram, size_t len,
    const uint8_t *want, size_t want_len)
{
	uint8_t out[REC_DATAGRAM_MAX];
	size_t n = 0;
	int newest = -1;

	assert_int_equal(rec_open(r, dgram, len, out, sizeof(out), &n,
	    &newest), 0);
	assert_int_equal(n, want_len);
	if (want_len > 0)
		assert_memory_equal(out, want, want_len);
	assert_true(newest == 0 || newest == 1);
	return newest;
}

static int
open_err(struct rec_ctx *r, const uint8_t *dgram, size_t len)
{
	uint8_t out[REC_DATAGRAM_MAX];
	size_t n = 12345;
	int newest = -1, ret;

	ret = rec_open(r, dgram, len, out, sizeof(out), &n, &newest);
	assert_true(ret < 0);
	assert_int_equal(n, 12345);
	assert_int_equal(newest, -1);
	return ret;
}

static uint64_t
drops(const struct rec_stats *s)
{
	return s->too_short + s->too_long + s->bad_version + s->replayed +
	    s->bad_mac + s->bad_tag;
}

static void
test_round_trip_all(void **state)
{
	uint8_t pt[REC_DATAGRAM_MAX], dg[REC_DATAGRAM_MAX];
	struct pair p;
	size_t a, m, i, n, sizes[4];

	(void)state;
	mp_random(pt, sizeof(pt));
	for (a = 0; a < NAEAD; a++)
		for (m = 0; m < NMAC; m++) {
			pair_new(&p, aeads[a], macs[m]);
			sizes[0] = 0;
			sizes[1] = 1;
			sizes[2] = 100;
			sizes[3] = rec_max_payload(p.client);
			assert_int_equal(rec_max_payload(p.server), sizes[3]);
			assert_int_equal(sizes[3], REC_DATAGRAM_MAX - 25 -
			    p.keys.mac_len);
			for (i = 0; i < 4; i++) {
				n = seal(p.client, pt, sizes[i], dg);
				assert_int_equal(open_ok(p.server, dg, n, pt,
				    sizes[i]), 1);
				n = seal(p.server, pt, sizes[i], dg);
				assert_int_equal(open_ok(p.client, dg, n, pt,
				    sizes[i]), 1);
			}
			assert_int_equal(n, REC_DATAGRAM_MAX);
			assert_true(rec_stats(p.server)->accepted == 4);
			assert_true(rec_stats(p.client)->accepted == 4);
			pair_free(&p);
		}
}

/* The bytes on the wire, checked with the primitives directly. */
static void
test_wire_format(void **state)
{
	static const uint8_t pt[5] = "hello";
	uint8_t dg[REC_DATAGRAM_MAX], nonce[AEAD_NONCE_BYTES], out[5];
	uint8_t mac[HASH_MAX_BYTES];
	struct aead_ctx *ctx;
	struct pair p;
	size_t n;

	(void)state;
	pair_new(&p, "chacha20-poly1305", "hmac-sha256");
	rec_set_seq_for_test(p.server, 0x0102030405ull);
	n = seal(p.server, pt, sizeof(pt), dg);
	assert_int_equal(n, 9 + 5 + 16 + 32);
	assert_memory_equal(dg, "\x01\x00\x00\x00\x01\x02\x03\x04\x05", 9);
	assert_int_equal(hmac(HASH_SHA256, p.keys.s2c_mac, 32, dg, n - 32,
	    mac), 0);
	assert_memory_equal(mac, dg + n - 32, 32);
	/* Nonce: uint32 1 (server to client) || uint64 seq. */
	memcpy(nonce, "\x00\x00\x00\x01\x00\x00\x00\x01\x02\x03\x04\x05", 12);
	ctx = aead_new(aead_by_name("chacha20-poly1305"), p.keys.s2c_key, 32);
	assert_non_null(ctx);
	assert_int_equal(aead_open(ctx, nonce, dg, 9, dg + 9, 5 + 16, out), 0);
	assert_memory_equal(out, pt, 5);
	aead_free(ctx);
	pair_free(&p);
}

static void
test_reflection_refused(void **state)
{
	uint8_t dg[REC_DATAGRAM_MAX];
	struct pair p;
	size_t a, m, n;

	(void)state;
	for (a = 0; a < NAEAD; a++)
		for (m = 0; m < NMAC; m++) {
			pair_new(&p, aeads[a], macs[m]);
			n = seal(p.server, (const uint8_t *)"x", 1, dg);
			assert_int_equal(open_err(p.server, dg, n),
			    MP_ERR_AUTH);
			n = seal(p.client, (const uint8_t *)"x", 1, dg);
			assert_int_equal(open_err(p.client, dg, n),
			    MP_ERR_AUTH);
			assert_true(rec_stats(p.server)->accepted == 0);
			assert_true(drops(rec_stats(p.client)) == 1);
			pair_free(&p);
		}
}

static void
test_replay_and_reorder(void **state)
{
	uint8_t dg[10][REC_DATAGRAM_MAX], pt[10];
	size_t len[10];
	struct pair p;
	int i;

	(void)state;
	pair_new(&p, "aes256-gcm-siv", "implicit");
	for (i = 0; i < 10; i++) {
		pt[i] = (uint8_t)i;
		len[i] = seal(p.client, &pt[i], 1, dg[i]);
	}
	assert_int_equal(open_ok(p.server, dg[0], len[0], &pt[0], 1), 1);
	assert_int_equal(open_err(p.server, dg[0], len[0]), MP_ERR_EXISTS);
	assert_true(rec_stats(p.server)->replayed == 1);
	/* Late records are accepted once and are not the newest. */
	assert_int_equal(open_ok(p.server, dg[9], len[9], &pt[9], 1), 1);
	for (i = 8; i >= 1; i--)
		assert_int_equal(open_ok(p.server, dg[i], len[i], &pt[i], 1),
		    0);
	for (i = 0; i < 10; i++)
		assert_int_equal(open_err(p.server, dg[i], len[i]),
		    MP_ERR_EXISTS);
	assert_true(rec_stats(p.server)->replayed == 11);
	assert_true(rec_stats(p.server)->accepted == 10);
	pair_free(&p);
}

static void
test_older_than_window(void **state)
{
	uint8_t dg[3][REC_DATAGRAM_MAX], top[REC_DATAGRAM_MAX];
	size_t len[3], top_len;
	struct pair p;
	int i;

	(void)state;
	pair_new(&p, "aes128-gcm-siv", "hmac-sha512");
	for (i = 0; i < 3; i++)
		len[i] = seal(p.client, (const uint8_t *)"a", 1, dg[i]);
	rec_set_seq_for_test(p.client, 1025);
	top_len = seal(p.client, (const uint8_t *)"b", 1, top);
	assert_int_equal(open_ok(p.server, top, top_len,
	    (const uint8_t *)"b", 1), 1);
	/* seq 1 is 1024 behind 1025: too old; seq 2, 1023 behind, is not. */
	assert_int_equal(open_err(p.server, dg[1], len[1]), MP_ERR_EXISTS);
	assert_int_equal(open_err(p.server, dg[0], len[0]), MP_ERR_EXISTS);
	assert_int_equal(open_ok(p.server, dg[2], len[2],
	    (const uint8_t *)"a", 1), 0);
	assert_true(rec_stats(p.server)->replayed == 2);
	pair_free(&p);
}

/*
 * Accept seqs 0, 1, 3 and 4 so the window has a hole at 2, and seal seq 5
 * for the caller to mangle. Afterwards check_window_intact() proves the
 * failures changed nothing.
 */
static size_t
window_setup(struct pair *p, uint8_t hole[REC_DATAGRAM_MAX], size_t *hole_len,
    uint8_t next[REC_DATAGRAM_MAX], const uint8_t *pt, size_t pt_len)
{
	uint8_t dg[REC_DATAGRAM_MAX];
	size_t n;
	int i;

	for (i = 0; i < 5; i++) {
		n = seal(p->client, pt, pt_len, i == 2 ? hole : dg);
		if (i == 2)
			*hole_len = n;
		else
			assert_int_equal(open_ok(p->server, dg, n, pt, pt_len),
			    1);
	}
	return seal(p->client, pt, pt_len, next);
}

static void
check_window_intact(struct pair *p, const uint8_t *hole, size_t hole_len,
    const uint8_t *next, size_t next_len, const uint8_t *pt, size_t pt_len)
{
	assert_true(rec_stats(p->server)->accepted == 4);
	assert_int_equal(open_ok(p->server, next, next_len, pt, pt_len), 1);
	assert_int_equal(open_ok(p->server, hole, hole_len, pt, pt_len), 0);
	assert_int_equal(open_err(p->server, next, next_len), MP_ERR_EXISTS);
}

static void
truncate_one(const char *aead, const char *mac)
{
	uint8_t hole[REC_DATAGRAM_MAX], next[REC_DATAGRAM_MAX], pt[100];
	size_t hole_len, n, i;
	const struct rec_stats *s;
	struct pair p;

	pair_new(&p, aead, mac);
	mp_random(pt, sizeof(pt));
	n = window_setup(&p, hole, &hole_len, next, pt, sizeof(pt));
	s = rec_stats(p.server);
	for (i = 0; i < n; i++)
		open_err(p.server, next, i);
	assert_true(drops(s) == n);
	assert_true(s->too_short == rec_overhead(p.server));
	assert_true(p.keys.mac_len ? s->bad_mac == n - s->too_short :
	    s->bad_tag == n - s->too_short);
	check_window_intact(&p, hole, hole_len, next, n, pt, sizeof(pt));
	pair_free(&p);
}

static void
test_truncated(void **state)
{
	size_t a, m;

	(void)state;
	for (a = 0; a < NAEAD; a++)
		for (m = 0; m < NMAC; m++)
			truncate_one(aeads[a], macs[m]);
}

static void
flip_one(const char *aead, const char *mac)
{
	uint8_t hole[REC_DATAGRAM_MAX], next[REC_DATAGRAM_MAX], pt[100];
	size_t hole_len, n, i;
	const struct rec_stats *s;
	struct pair p;
	int ret;

	pair_new(&p, aead, mac);
	mp_random(pt, sizeof(pt));
	n = window_setup(&p, hole, &hole_len, next, pt, sizeof(pt));
	s = rec_stats(p.server);
	for (i = 0; i < n * 8; i++) {
		next[i / 8] ^= (uint8_t)(1u << (i % 8));
		ret = open_err(p.server, next, n);
		next[i / 8] ^= (uint8_t)(1u << (i % 8));
		if (i < 8)
			assert_int_equal(ret, MP_ERR_INVALID_FORMAT);
		else if (i >= 9 * 8)
			assert_int_equal(ret, MP_ERR_AUTH);
	}
	assert_true(drops(s) == n * 8);
	assert_true(s->bad_version == 8);
	/* seq 5 with one bit flipped: 4 and 1 are seen, 7, 13, ... fail. */
	assert_true(s->replayed == 2);
	assert_true(p.keys.mac_len ? s->bad_mac == n * 8 - 10 && !s->bad_tag :
	    s->bad_tag == n * 8 - 10);
	check_window_intact(&p, hole, hole_len, next, n, pt, sizeof(pt));
	pair_free(&p);
}

static void
test_bit_flips(void **state)
{
	size_t a, m;

	(void)state;
	for (a = 0; a < NAEAD; a++)
		for (m = 0; m < NMAC; m++)
			flip_one(aeads[a], macs[m]);
}

/*
 * Seal a record by hand with the client's key, of any length and
 * version, to show the length and version checks come before the AEAD.
 */
static size_t
forge(const struct pair *p, uint8_t version, uint64_t seq, size_t pt_len,
    uint8_t *dg)
{
	uint8_t nonce[AEAD_NONCE_BYTES] = { 0 };
	struct aead_ctx *ctx;

	dg[0] = version;
	seq = htobe64(seq);
	memcpy(dg + 1, &seq, 8);
	memcpy(nonce + 4, dg + 1, 8);
	memset(dg + 9, 'z', pt_len);
	ctx = aead_new(aead_by_name(p->keys.aead), p->keys.c2s_key,
	    p->keys.key_len);
	assert_non_null(ctx);
	assert_int_equal(aead_seal(ctx, nonce, dg, 9, dg + 9, pt_len, dg + 9),
	    0);
	aead_free(ctx);
	return 9 + pt_len + AEAD_TAG_BYTES;
}

static void
test_oversized_and_version(void **state)
{
	uint8_t dg[REC_DATAGRAM_MAX + 100], z[REC_DATAGRAM_MAX];
	struct pair p;
	size_t n;

	(void)state;
	memset(z, 'z', sizeof(z));
	pair_new(&p, "aes256-gcm", "implicit");
	n = forge(&p, REC_VERSION, 0, REC_DATAGRAM_MAX - 25 + 1, dg);
	assert_int_equal(open_err(p.server, dg, n), MP_ERR_TOO_LARGE);
	assert_int_equal(open_err(p.server, dg, 65535), MP_ERR_TOO_LARGE);
	assert_true(rec_stats(p.server)->too_long == 2);
	n = forge(&p, 2, 0, 10, dg);
	assert_int_equal(open_err(p.server, dg, n), MP_ERR_INVALID_FORMAT);
	n = forge(&p, 0, 0, 10, dg);
	assert_int_equal(open_err(p.server, dg, n), MP_ERR_INVALID_FORMAT);
	assert_true(rec_stats(p.server)->bad_version == 2);
	/* The forger is right: the largest legal record opens. */
	n = forge(&p, REC_VERSION, 0, REC_DATAGRAM_MAX - 25, dg);
	assert_int_equal(open_ok(p.server, dg, n, z, REC_DATAGRAM_MAX - 25),
	    1);
	pair_free(&p);
}

static void
test_seal_limits(void **state)
{
	uint8_t pt[REC_DATAGRAM_MAX] = { 0 }, dg[REC_DATAGRAM_MAX + 1];
	struct pair p;
	size_t n = 0, max;

	(void)state;
	pair_new(&p, "aes256-gcm-siv", "hmac-sha256");
	max = rec_max_payload(p.client);
	assert_int_equal(max, 1143);
	assert_int_equal(rec_seal(p.client, pt, max + 1, dg, sizeof(dg), &n),
	    MP_ERR_TOO_LARGE);
	assert_int_equal(rec_seal(p.client, pt, 10, dg, 10 + 56, &n),
	    MP_ERR_NO_SPACE);
	/* Refusals used no seq: the next record is seq 0. */
	n = seal(p.client, pt, 10, dg);
	assert_memory_equal(dg, "\x01\0\0\0\0\0\0\0\0", 9);
	assert_int_equal(open_ok(p.server, dg, n, pt, 10), 1);
	rec_set_seq_for_test(p.client, REC_SEQ_LIMIT - 2);
	seal(p.client, pt, 10, dg);
	n = seal(p.client, pt, 10, dg);
	assert_memory_equal(dg, "\x01\0\0\0\xff\xff\xff\xff\xff", 9);
	assert_int_equal(open_ok(p.server, dg, n, pt, 10), 1);
	assert_int_equal(rec_seal(p.client, pt, 10, dg, sizeof(dg), &n),
	    MP_ERR_LIMIT);
	assert_int_equal(rec_seal(p.client, pt, 0, dg, sizeof(dg), &n),
	    MP_ERR_LIMIT);
	pair_free(&p);
}

static void
test_in_place(void **state)
{
	uint8_t dg[REC_DATAGRAM_MAX], pt[200];
	struct pair p;
	size_t n = 0, m = 0;
	int newest = 0;

	(void)state;
	pair_new(&p, "aes256-gcm", "hmac-sha512");
	mp_random(pt, sizeof(pt));
	memcpy(dg + REC_HEADER_BYTES, pt, sizeof(pt));
	assert_int_equal(rec_seal(p.server, dg + REC_HEADER_BYTES, sizeof(pt),
	    dg, sizeof(dg), &n), 0);
	assert_int_equal(rec_open(p.client, dg, n, dg + REC_HEADER_BYTES,
	    sizeof(dg) - REC_HEADER_BYTES, &m, &newest), 0);
	assert_int_equal(m, sizeof(pt));
	assert_memory_equal(dg + REC_HEADER_BYTES, pt, sizeof(pt));
	pair_free(&p);
}

static void
test_open_small_buffer(void **state)
{
	uint8_t pt[100] = { 0 }, dg[REC_DATAGRAM_MAX], out[99];
	struct pair p;
	size_t n, m = 0;
	int newest = 0;

	(void)state;
	pair_new(&p, "chacha20-poly1305", "implicit");
	n = seal(p.client, pt, sizeof(pt), dg);
	assert_int_equal(rec_open(p.server, dg, n, out, sizeof(out), &m,
	    &newest), MP_ERR_NO_SPACE);
	assert_true(drops(rec_stats(p.server)) == 0);
	pair_free(&p);
}

static void
test_bad_keys(void **state)
{
	struct hs_keys k;

	(void)state;
	make_keys(&k, "aes256-gcm", "hmac-sha256");
	snprintf(k.aead, sizeof(k.aead), "aes512-gcm");
	assert_null(rec_new(&k, 0));
	make_keys(&k, "aes256-gcm", "hmac-sha256");
	snprintf(k.mac, sizeof(k.mac), "hmac-md5");
	assert_null(rec_new(&k, 0));
	make_keys(&k, "aes256-gcm", "hmac-sha256");
	k.key_len = 16;
	assert_null(rec_new(&k, 1));
	make_keys(&k, "aes256-gcm", "hmac-sha256");
	k.mac_len = 64;
	assert_null(rec_new(&k, 1));
	make_keys(&k, "aes256-gcm", "implicit");
	k.mac_len = 32;
	assert_null(rec_new(&k, 1));
	rec_free(NULL);
	mp_zero(&k, sizeof(k));
}

static int
setup(void **state)
{
	(void)state;
	return mp_crypto_init();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_wire_format),
		cmocka_unit_test(test_reflection_refused),
		cmocka_unit_test(test_replay_and_reorder),
		cmocka_unit_test(test_older_than_window),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_oversized_and_version),
		cmocka_unit_test(test_seal_limits),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_open_small_buffer),
		cmocka_unit_test(test_bad_keys),
	};

	return cmocka_run_group_tests_name("record", tests, setup, NULL);
}

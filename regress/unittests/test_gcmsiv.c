/* test_gcmsiv.c: POLYVAL (both paths) and AES-GCM-SIV against RFC 8452, Botan and Wycheproof vectors, plus misuse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "common/err.h"
#include "common/crypto/polyval.h"
#include "common/crypto/gcmsiv.h"
#include "testvec.h"

#define TAG	GCMSIV_TAG_BYTES

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* Deterministic filler for test data (xorshift64). */
static void
fill(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		p[i] = (uint8_t)rng_state;
	}
}

static int
all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static int
reset_path(void **state)
{
	(void)state;
	polyval_force_portable(0);
	return 0;
}

/* Select a POLYVAL path; 0 if the CPU cannot run it. */
static int
use_path(int portable)
{
	polyval_force_portable(portable);
	return portable || polyval_uses_clmul();
}

static uint8_t *
rec_hex(const struct tv_record *rec, const char *name, int optional,
    size_t *len)
{
	const char *v = tv_rec_get(rec, name);

	if (v == NULL && !optional)
		fail_msg("vector record lacks field %s", name);
	return tv_unhex(v != NULL ? v : "", len);
}

/* ---- POLYVAL ---- */

static void
polyval_once(const uint8_t *key, const uint8_t *in, size_t len, size_t step,
    uint8_t out[POLYVAL_BLOCK_BYTES])
{
	struct polyval_ctx pv;
	size_t off;

	polyval_init(&pv, key);
	for (off = 0; off < len; off += step)
		polyval_update(&pv, in + off, len - off < step ? len - off : step);
	polyval_final(&pv, out);
}

/* RFC 8452 Appendix A: the worked POLYVAL example. */
static void
test_polyval_rfc8452_example(void **state)
{
	size_t klen, xlen, wlen, step;
	uint8_t *h = tv_unhex("25629347589242761d31f826ba4b757b", &klen);
	uint8_t *x = tv_unhex("4f4f95668c83dfb6401762bb2d01a262"
	    "d1a24ddd2721d006bbe45f20d3c9f362", &xlen);
	uint8_t *want = tv_unhex("f7a3b47b846119fae5b7866cf5e5b77e", &wlen);
	uint8_t got[POLYVAL_BLOCK_BYTES];
	int portable;

	(void)state;
	for (portable = 0; portable < 2; portable++) {
		if (!use_path(portable))
			continue;
		for (step = 16; step <= 32; step += 16) {
			polyval_once(h, x, xlen, step, got);
			assert_memory_equal(got, want, sizeof(got));
		}
	}
	free(h);
	free(x);
	free(want);
}

static int
polyval_record_ok(const struct tv_record *rec)
{
	size_t klen, ilen, olen;
	uint8_t *key = rec_hex(rec, "Key", 0, &klen);
	uint8_t *in = rec_hex(rec, "In", 0, &ilen);
	uint8_t *want = rec_hex(rec, "Out", 0, &olen);
	uint8_t whole[POLYVAL_BLOCK_BYTES], blocks[POLYVAL_BLOCK_BYTES];
	int ok = 0;

	if (klen == POLYVAL_KEY_BYTES && olen == POLYVAL_BLOCK_BYTES) {
		polyval_once(key, in, ilen, ilen > 0 ? ilen : 1, whole);
		polyval_once(key, in, ilen, POLYVAL_BLOCK_BYTES, blocks);
		ok = memcmp(whole, want, olen) == 0 &&
		    memcmp(blocks, want, olen) == 0;
	}
	free(key);
	free(in);
	free(want);
	return ok;
}

static void
polyval_file(int portable)
{
	struct tv_reader *r;
	struct tv_record rec;
	unsigned run = 0, passed = 0;

	if (!use_path(portable))
		skip();
	r = tv_rec_open("botan/polyval.vec");
	while (tv_rec_next(r, &rec)) {
		run++;
		passed += polyval_record_ok(&rec);
	}
	tv_rec_close(r);
	tv_report(portable ? "botan/polyval.vec (portable)" :
	    "botan/polyval.vec (clmul)", run, passed);
}

static void
test_polyval_vectors_clmul(void **state)
{
	(void)state;
	polyval_file(0);
}

static void
test_polyval_vectors_portable(void **state)
{
	(void)state;
	polyval_file(1);
}

/* Absorb in pieces of 1 to 20 blocks, the last one possibly partial. */
static void
polyval_pieces(const uint8_t *key, const uint8_t *in, size_t len,
    uint8_t out[POLYVAL_BLOCK_BYTES])
{
	struct polyval_ctx pv;
	size_t off, n;
	uint8_t r;

	polyval_init(&pv, key);
	for (off = 0; off < len; off += n) {
		fill(&r, 1);
		n = POLYVAL_BLOCK_BYTES * (1 + r % 20);
		polyval_update(&pv, in + off, len - off < n ? len - off : n);
	}
	polyval_final(&pv, out);
}

/* Random inputs: each available path matches the portable one-shot
 * result, in one call and in pieces. */
static void
test_polyval_paths_agree(void **state)
{
	uint8_t key[POLYVAL_KEY_BYTES], in[64 * 16];
	uint8_t a[POLYVAL_BLOCK_BYTES], b[POLYVAL_BLOCK_BYTES];
	size_t len;
	int portable;

	(void)state;
	for (len = 0; len <= sizeof(in); len += 7) {
		fill(key, sizeof(key));
		fill(in, len);
		use_path(1);
		polyval_once(key, in, len, len > 0 ? len : 1, a);
		for (portable = 0; portable < 2; portable++) {
			if (!use_path(portable))
				continue;
			polyval_once(key, in, len, len > 0 ? len : 1, b);
			assert_memory_equal(a, b, sizeof(a));
			polyval_pieces(key, in, len, b);
			assert_memory_equal(a, b, sizeof(a));
		}
	}
}

/* ---- AES-GCM-SIV against vectors ---- */

struct aead_vec {
	const uint8_t	*key, *nonce, *aad, *pt, *ct;	/* ct includes tag */
	size_t		 key_len, nonce_len, aad_len, pt_len, ct_len;
};

static int
aead_valid_once(const struct aead_vec *v)
{
	struct gcmsiv_ctx *ctx = gcmsiv_new(v->key, v->key_len);
	uint8_t *buf;
	int ok = 0;

	if (ctx == NULL || v->nonce_len != GCMSIV_NONCE_BYTES ||
	    v->ct_len != v->pt_len + TAG) {
		gcmsiv_free(ctx);
		return 0;
	}
	buf = malloc(v->ct_len);
	assert_non_null(buf);
	if (gcmsiv_seal(ctx, v->nonce, v->aad, v->aad_len, v->pt, v->pt_len,
	    buf) == 0 && memcmp(buf, v->ct, v->ct_len) == 0 &&
	    gcmsiv_open(ctx, v->nonce, v->aad, v->aad_len, v->ct, v->ct_len,
	    buf) == 0 && memcmp(buf, v->pt, v->pt_len) == 0)
		ok = 1;
	free(buf);
	gcmsiv_free(ctx);
	return ok;
}

/* Seal gives ct and open gives pt, with both POLYVAL paths. */
static int
aead_valid(const struct aead_vec *v)
{
	int ok = 1, portable;

	for (portable = 0; portable < 2; portable++)
		if (use_path(portable))
			ok &= aead_valid_once(v);
	polyval_force_portable(0);
	return ok;
}

/* Open must fail with MP_ERR_AUTH and leave the output zeroed. */
static int
aead_invalid(const struct aead_vec *v)
{
	struct gcmsiv_ctx *ctx = gcmsiv_new(v->key, v->key_len);
	uint8_t *buf;
	size_t out_len = v->ct_len >= TAG ? v->ct_len - TAG : 0;
	int ok;

	if (ctx == NULL || v->nonce_len != GCMSIV_NONCE_BYTES) {
		gcmsiv_free(ctx);
		return 1;	/* rejected before any decryption */
	}
	buf = malloc(out_len + 1);
	assert_non_null(buf);
	memset(buf, 0xa5, out_len + 1);
	ok = gcmsiv_open(ctx, v->nonce, v->aad, v->aad_len, v->ct, v->ct_len,
	    buf) < 0 && all_zero(buf, out_len);
	free(buf);
	gcmsiv_free(ctx);
	return ok;
}

static int
botan_record_ok(const struct tv_record *rec)
{
	struct aead_vec v;
	uint8_t *key, *nonce, *aad, *pt, *ct;
	int ok;

	key = rec_hex(rec, "Key", 0, &v.key_len);
	nonce = rec_hex(rec, "Nonce", 0, &v.nonce_len);
	aad = rec_hex(rec, "AD", 1, &v.aad_len);
	pt = rec_hex(rec, "In", 0, &v.pt_len);
	ct = rec_hex(rec, "Out", 0, &v.ct_len);
	v.key = key;
	v.nonce = nonce;
	v.aad = aad;
	v.pt = pt;
	v.ct = ct;
	ok = aead_valid(&v);
	free(key);
	free(nonce);
	free(aad);
	free(pt);
	free(ct);
	return ok;
}

static void
test_gcmsiv_botan(void **state)
{
	struct tv_reader *r;
	struct tv_record rec;
	unsigned run = 0, passed = 0, n128 = 0, n256 = 0;

	(void)state;
	r = tv_rec_open("botan/aead/gcm_siv.vec");
	while (tv_rec_next(r, &rec)) {
		if (strcmp(rec.section, "AES-128/GCM-SIV") == 0)
			n128++;
		else if (strcmp(rec.section, "AES-256/GCM-SIV") == 0)
			n256++;
		else
			fail_msg("unexpected section [%s]", rec.section);
		run++;
		passed += botan_record_ok(&rec);
	}
	tv_rec_close(r);
	assert_true(n128 > 0 && n256 > 0);
	tv_report("botan/aead/gcm_siv.vec", run, passed);
}

/* One Wycheproof test; the ct field excludes the tag. */
static int
wycheproof_test_ok(const json_t *t)
{
	struct aead_vec v;
	uint8_t *key, *nonce, *aad, *pt, *ct, *tag, *full;
	size_t ct_len, tag_len;
	const char *result = tv_str(t, "result");
	int ok;

	key = tv_hexfield(t, "key", &v.key_len);
	nonce = tv_hexfield(t, "iv", &v.nonce_len);
	aad = tv_hexfield(t, "aad", &v.aad_len);
	pt = tv_hexfield(t, "msg", &v.pt_len);
	ct = tv_hexfield(t, "ct", &ct_len);
	tag = tv_hexfield(t, "tag", &tag_len);
	full = malloc(ct_len + tag_len + 1);
	assert_non_null(full);
	memcpy(full, ct, ct_len);
	memcpy(full + ct_len, tag, tag_len);
	v.key = key;
	v.nonce = nonce;
	v.aad = aad;
	v.pt = pt;
	v.ct = full;
	v.ct_len = ct_len + tag_len;
	if (strcmp(result, "valid") == 0)
		ok = aead_valid(&v);
	else if (strcmp(result, "invalid") == 0)
		ok = aead_invalid(&v);
	else
		ok = 1;		/* "acceptable": either outcome is allowed */
	free(key);
	free(nonce);
	free(aad);
	free(pt);
	free(ct);
	free(tag);
	free(full);
	return ok;
}

static void
test_gcmsiv_wycheproof(void **state)
{
	const char *file = "wycheproof/testvectors_v1/aes_gcm_siv_test.json";
	json_t *root = tv_load_json(file), *groups, *g, *tests, *t;
	unsigned run = 0, passed = 0;
	size_t i, j;

	(void)state;
	groups = json_object_get(root, "testGroups");
	assert_true(json_is_array(groups));
	json_array_foreach(groups, i, g) {
		/* Only 96-bit nonces and 128-bit tags exist in GCM-SIV; the
		 * current file has no other groups, but skip any that appear. */
		if (tv_int(g, "ivSize") != 96 || tv_int(g, "tagSize") != 128)
			continue;
		tests = json_object_get(g, "tests");
		json_array_foreach(tests, j, t) {
			run++;
			passed += wycheproof_test_ok(t);
		}
	}
	json_decref(root);
	tv_report(file, run, passed);
}

/* ---- a block-at-a-time model for long messages ---- */

static void
aes_block(const uint8_t *key, size_t key_len, const uint8_t in[16],
    uint8_t out[16])
{
	EVP_CIPHER_CTX *evp = EVP_CIPHER_CTX_new();
	int outl;

	assert_non_null(evp);
	assert_int_equal(EVP_EncryptInit_ex(evp, key_len == 16 ?
	    EVP_aes_128_ecb() : EVP_aes_256_ecb(), NULL, key, NULL), 1);
	assert_int_equal(EVP_EncryptUpdate(evp, out, &outl, in, 16), 1);
	assert_int_equal(outl, 16);
	EVP_CIPHER_CTX_free(evp);
}

static void
le32_store(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
model_hash(const uint8_t *auth, const uint8_t *aad, size_t aad_len,
    const uint8_t *pt, size_t pt_len, uint8_t s[16])
{
	struct polyval_ctx pv;
	uint8_t lens[16];
	size_t off;

	polyval_init(&pv, auth);
	for (off = 0; off < aad_len; off += 16)
		polyval_update(&pv, aad + off, aad_len - off < 16 ?
		    aad_len - off : 16);
	for (off = 0; off < pt_len; off += 16)
		polyval_update(&pv, pt + off, pt_len - off < 16 ?
		    pt_len - off : 16);
	memset(lens, 0, sizeof(lens));
	le32_store(lens, (uint32_t)(aad_len * 8));
	le32_store(lens + 8, (uint32_t)(pt_len * 8));
	polyval_update(&pv, lens, sizeof(lens));
	polyval_final(&pv, s);
}

static void
model_seal(const uint8_t *key, size_t key_len, const uint8_t *nonce,
    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len,
    uint8_t *out)
{
	uint8_t blk[16], auth[16], enc[32], s[16], cb[16], ks[16];
	size_t i, off;
	uint32_t c;

	for (i = 0; i < 2 + key_len / 8; i++) {
		le32_store(blk, (uint32_t)i);
		memcpy(blk + 4, nonce, 12);
		aes_block(key, key_len, blk, blk);
		memcpy(i < 2 ? auth + 8 * i : enc + 8 * (i - 2), blk, 8);
	}
	model_hash(auth, aad, aad_len, pt, pt_len, s);
	for (i = 0; i < 12; i++)
		s[i] ^= nonce[i];
	s[15] &= 0x7f;
	aes_block(enc, key_len, s, out + pt_len);
	memcpy(cb, out + pt_len, 16);
	cb[15] |= 0x80;
	c = (uint32_t)cb[0] | (uint32_t)cb[1] << 8 | (uint32_t)cb[2] << 16 |
	    (uint32_t)cb[3] << 24;
	for (off = 0; off < pt_len; off++) {
		if (off % 16 == 0) {
			le32_store(cb, c++);
			aes_block(enc, key_len, cb, ks);
		}
		out[off] = pt[off] ^ ks[off % 16];
	}
}

/* Messages spanning several keystream chunks, in place and not. */
static void
test_gcmsiv_long_messages(void **state)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 127, 128, 129, 1023,
	    1024, 1025, 4095, 4096, 4097, 8192 + 33, 20000 };
	static const size_t aad_lens[] = { 0, 1, 17, 200 };
	uint8_t key[32], nonce[12], aad[200], *pt, *want, *got;
	struct gcmsiv_ctx *ctx;
	size_t i, k, kl;

	(void)state;
	for (kl = 16; kl <= 32; kl += 16) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			k = i % 4;
			fill(key, kl);
			fill(nonce, sizeof(nonce));
			fill(aad, aad_lens[k]);
			pt = malloc(lens[i] + 1);
			want = malloc(lens[i] + TAG);
			got = malloc(lens[i] + TAG);
			assert_true(pt && want && got);
			fill(pt, lens[i]);
			use_path(1);
			model_seal(key, kl, nonce, aad, aad_lens[k], pt,
			    lens[i], want);
			use_path(0);
			assert_non_null(ctx = gcmsiv_new(key, kl));
			assert_int_equal(gcmsiv_seal(ctx, nonce, aad,
			    aad_lens[k], pt, lens[i], got), 0);
			assert_memory_equal(got, want, lens[i] + TAG);
			memcpy(got, pt, lens[i]);
			assert_int_equal(gcmsiv_seal(ctx, nonce, aad,
			    aad_lens[k], got, lens[i], got), 0);
			assert_memory_equal(got, want, lens[i] + TAG);
			assert_int_equal(gcmsiv_open(ctx, nonce, aad,
			    aad_lens[k], got, lens[i] + TAG, got), 0);
			assert_memory_equal(got, pt, lens[i]);
			gcmsiv_free(ctx);
			free(pt);
			free(want);
			free(got);
		}
	}
}

/* ---- misuse ---- */

static void
test_gcmsiv_bad_key_length(void **state)
{
	static const size_t bad[] = { 0, 1, 8, 15, 17, 24, 31, 33, 64 };
	uint8_t key[64];
	size_t i;

	(void)state;
	memset(key, 7, sizeof(key));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(gcmsiv_new(key, bad[i]));
	assert_null(gcmsiv_new(NULL, 16));
	assert_null(gcmsiv_new(NULL, 32));
}

static void
test_gcmsiv_short_ct(void **state)
{
	uint8_t key[32], nonce[12], ct[TAG], out[TAG];
	struct gcmsiv_ctx *ctx;
	size_t len;

	(void)state;
	fill(key, sizeof(key));
	fill(nonce, sizeof(nonce));
	fill(ct, sizeof(ct));
	assert_non_null(ctx = gcmsiv_new(key, sizeof(key)));
	for (len = 0; len < TAG; len++)
		assert_int_equal(gcmsiv_open(ctx, nonce, NULL, 0, ct, len,
		    out), MP_ERR_INCOMPLETE);
	assert_int_equal(gcmsiv_open(ctx, nonce, NULL, 0, ct, TAG, out),
	    MP_ERR_AUTH);
	gcmsiv_free(ctx);
}

static void
test_gcmsiv_null_args(void **state)
{
	uint8_t key[16] = { 1 }, nonce[12] = { 0 }, buf[64] = { 0 };
	struct gcmsiv_ctx *ctx;

	(void)state;
	assert_non_null(ctx = gcmsiv_new(key, sizeof(key)));
	assert_int_equal(gcmsiv_seal(NULL, nonce, NULL, 0, buf, 8, buf),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(gcmsiv_seal(ctx, NULL, NULL, 0, buf, 8, buf),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(gcmsiv_seal(ctx, nonce, NULL, 4, buf, 8, buf),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(gcmsiv_seal(ctx, nonce, NULL, 0, NULL, 8, buf),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(gcmsiv_seal(ctx, nonce, NULL, 0, buf, 8, NULL),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(gcmsiv_open(ctx, nonce, NULL, 0, NULL, 24, buf),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(gcmsiv_open(ctx, nonce, NULL, 0, buf, 24, NULL),
	    MP_ERR_INVALID_ARGUMENT);
	gcmsiv_free(ctx);
	gcmsiv_free(NULL);
}

/* Empty plaintext and AAD (NULL pointers allowed): RFC 8452 C.1 first case. */
static void
test_gcmsiv_empty(void **state)
{
	size_t klen, nlen, tlen;
	uint8_t *key = tv_unhex("01000000000000000000000000000000", &klen);
	uint8_t *nonce = tv_unhex("030000000000000000000000", &nlen);
	uint8_t *want = tv_unhex("dc20e2d83f25705bb49e439eca56de25", &tlen);
	uint8_t tag[TAG];
	struct gcmsiv_ctx *ctx;

	(void)state;
	assert_non_null(ctx = gcmsiv_new(key, klen));
	assert_int_equal(gcmsiv_seal(ctx, nonce, NULL, 0, NULL, 0, tag), 0);
	assert_memory_equal(tag, want, TAG);
	assert_int_equal(gcmsiv_open(ctx, nonce, NULL, 0, tag, TAG, NULL), 0);
	tag[3] ^= 0x10;
	assert_int_equal(gcmsiv_open(ctx, nonce, NULL, 0, tag, TAG, NULL),
	    MP_ERR_AUTH);
	gcmsiv_free(ctx);
	free(key);
	free(nonce);
	free(want);
}

/* Open must fail with MP_ERR_AUTH and zero the output. */
static void
expect_auth_fail(struct gcmsiv_ctx *ctx, const uint8_t *nonce,
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len)
{
	uint8_t out[64];

	memset(out, 0x5a, sizeof(out));
	assert_int_equal(gcmsiv_open(ctx, nonce, aad, aad_len, ct, ct_len,
	    out), MP_ERR_AUTH);
	assert_true(all_zero(out, ct_len - TAG));
	assert_int_equal(out[ct_len - TAG], 0x5a);
}

static void
flip_bits(size_t kl)
{
	uint8_t key[32], nonce[12], aad[20], pt[37], ct[37 + TAG];
	struct gcmsiv_ctx *ctx;
	size_t bit;

	fill(key, kl);
	fill(nonce, sizeof(nonce));
	fill(aad, sizeof(aad));
	fill(pt, sizeof(pt));
	assert_non_null(ctx = gcmsiv_new(key, kl));
	assert_int_equal(gcmsiv_seal(ctx, nonce, aad, sizeof(aad), pt,
	    sizeof(pt), ct), 0);
	for (bit = 0; bit < 8 * sizeof(ct); bit++) {
		ct[bit / 8] ^= (uint8_t)(1 << bit % 8);
		expect_auth_fail(ctx, nonce, aad, sizeof(aad), ct, sizeof(ct));
		ct[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	for (bit = 0; bit < 8 * sizeof(aad); bit++) {
		aad[bit / 8] ^= (uint8_t)(1 << bit % 8);
		expect_auth_fail(ctx, nonce, aad, sizeof(aad), ct, sizeof(ct));
		aad[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	for (bit = 0; bit < 8 * sizeof(nonce); bit++) {
		nonce[bit / 8] ^= (uint8_t)(1 << bit % 8);
		expect_auth_fail(ctx, nonce, aad, sizeof(aad), ct, sizeof(ct));
		nonce[bit / 8] ^= (uint8_t)(1 << bit % 8);
	}
	expect_auth_fail(ctx, nonce, aad, sizeof(aad) - 1, ct, sizeof(ct));
	expect_auth_fail(ctx, nonce, aad, sizeof(aad), ct + 1, sizeof(ct) - 1);
	gcmsiv_free(ctx);
}

static void
test_gcmsiv_bit_flips(void **state)
{
	(void)state;
	flip_bits(16);
	flip_bits(32);
}

/* In-place seal then open recovers the plaintext, for both key sizes. */
static void
test_gcmsiv_in_place(void **state)
{
	uint8_t key[32], nonce[12], aad[33], pt[300], buf[300 + TAG];
	struct gcmsiv_ctx *ctx;
	size_t kl, len;

	(void)state;
	for (kl = 16; kl <= 32; kl += 16) {
		fill(key, kl);
		assert_non_null(ctx = gcmsiv_new(key, kl));
		for (len = 0; len <= sizeof(pt); len += 13) {
			fill(nonce, sizeof(nonce));
			fill(aad, sizeof(aad));
			fill(pt, len);
			memcpy(buf, pt, len);
			assert_int_equal(gcmsiv_seal(ctx, nonce, aad,
			    sizeof(aad), buf, len, buf), 0);
			assert_true(len == 0 || memcmp(buf, pt, len) != 0);
			assert_int_equal(gcmsiv_open(ctx, nonce, aad,
			    sizeof(aad), buf, len + TAG, buf), 0);
			assert_memory_equal(buf, pt, len);
		}
		gcmsiv_free(ctx);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_polyval_rfc8452_example,
		    reset_path),
		cmocka_unit_test_teardown(test_polyval_vectors_clmul,
		    reset_path),
		cmocka_unit_test_teardown(test_polyval_vectors_portable,
		    reset_path),
		cmocka_unit_test_teardown(test_polyval_paths_agree, reset_path),
		cmocka_unit_test_teardown(test_gcmsiv_botan, reset_path),
		cmocka_unit_test_teardown(test_gcmsiv_wycheproof, reset_path),
		cmocka_unit_test_teardown(test_gcmsiv_long_messages,
		    reset_path),
		cmocka_unit_test(test_gcmsiv_bad_key_length),
		cmocka_unit_test(test_gcmsiv_short_ct),
		cmocka_unit_test(test_gcmsiv_null_args),
		cmocka_unit_test(test_gcmsiv_empty),
		cmocka_unit_test(test_gcmsiv_bit_flips),
		cmocka_unit_test(test_gcmsiv_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

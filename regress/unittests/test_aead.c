/* test_aead.c: every AEAD by name against Wycheproof (AES-GCM, ChaCha20-Poly1305, AES-GCM-SIV), plus misuse checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/crypto/aead.h"
#include "common/crypto/random.h"
#include "testvec.h"

#define WP	"wycheproof/testvectors_v1/"

/*
 * Which Wycheproof groups can run. Our interface takes only 96-bit nonces
 * and 128-bit tags, and "aes256-gcm" only 256-bit keys, so:
 *  - aes_gcm_test.json: of 316 tests, 66 remain (keySize 256, ivSize 96,
 *    tagSize 128); 211 use 128- or 192-bit keys and 39 other 256-bit-key
 *    ones use IV sizes other than 96 bits (0 to 2056).
 *  - chacha20_poly1305_test.json: 9 invalid tests with nonces other than
 *    96 bits are unrepresentable and skipped; 316 remain.
 *  - aes_gcm_siv_test.json: all 202 run (keySize 128 and 256).
 * The counts are computed and printed at run time.
 */
struct skip {
	const char *why;
	unsigned count;
};
#define MAX_SKIP	4

typedef const struct aead_alg *(*pick_fn)(const json_t *group,
    const char **why);

static int
is_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* a || b in a fresh allocation. */
static uint8_t *
concat(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	uint8_t *p = malloc(a_len + b_len + 1);

	assert_non_null(p);
	memcpy(p, a, a_len);
	memcpy(p + a_len, b, b_len);
	return p;
}

struct vec {
	uint8_t *key, *iv, *aad, *msg, *ct, *tag;
	size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
};

static void
vec_load(struct vec *v, const json_t *t)
{
	v->key = tv_hexfield(t, "key", &v->key_len);
	v->iv = tv_hexfield(t, "iv", &v->iv_len);
	v->aad = tv_hexfield(t, "aad", &v->aad_len);
	v->msg = tv_hexfield(t, "msg", &v->msg_len);
	v->ct = tv_hexfield(t, "ct", &v->ct_len);
	v->tag = tv_hexfield(t, "tag", &v->tag_len);
	assert_int_equal(v->iv_len, AEAD_NONCE_BYTES);
}

static void
vec_free(struct vec *v)
{
	free(v->key);
	free(v->iv);
	free(v->aad);
	free(v->msg);
	free(v->ct);
	free(v->tag);
}

/* A valid vector seals to ct || tag and opens back to msg. */
static int
check_valid(struct aead_ctx *ctx, const struct vec *v)
{
	uint8_t *want = concat(v->ct, v->ct_len, v->tag, v->tag_len);
	uint8_t *sealed = malloc(v->msg_len + AEAD_TAG_BYTES);
	uint8_t *opened = malloc(v->msg_len + 1);
	int ok;

	assert_non_null(sealed);
	assert_non_null(opened);
	ok = v->tag_len == AEAD_TAG_BYTES && v->ct_len == v->msg_len &&
	    aead_seal(ctx, v->iv, v->aad, v->aad_len, v->msg, v->msg_len,
	    sealed) == 0 &&
	    memcmp(sealed, want, v->msg_len + AEAD_TAG_BYTES) == 0 &&
	    aead_open(ctx, v->iv, v->aad, v->aad_len, want,
	    v->ct_len + v->tag_len, opened) == 0 &&
	    memcmp(opened, v->msg, v->msg_len) == 0;
	free(want);
	free(sealed);
	free(opened);
	return ok;
}

/* An invalid vector fails to open, with MP_ERR_AUTH and zeroed output. */
static int
check_invalid(struct aead_ctx *ctx, const struct vec *v)
{
	uint8_t *in = concat(v->ct, v->ct_len, v->tag, v->tag_len);
	uint8_t *out = malloc(v->ct_len + v->tag_len + 1);
	int ok;

	assert_non_null(out);
	memset(out, 0xa5, v->ct_len + v->tag_len + 1);
	if (v->ct_len + v->tag_len < AEAD_TAG_BYTES)
		ok = aead_open(ctx, v->iv, v->aad, v->aad_len, in,
		    v->ct_len + v->tag_len, out) == MP_ERR_INCOMPLETE;
	else
		ok = aead_open(ctx, v->iv, v->aad, v->aad_len, in,
		    v->ct_len + v->tag_len, out) == MP_ERR_AUTH &&
		    is_zero(out, v->ct_len + v->tag_len - AEAD_TAG_BYTES);
	free(in);
	free(out);
	return ok;
}

/* One Wycheproof AEAD test; 1 if it behaved as its result says. */
static int
aead_case(const struct aead_alg *alg, const json_t *t)
{
	int valid = strcmp(tv_str(t, "result"), "valid") == 0, ok;
	struct aead_ctx *ctx;
	struct vec v;

	vec_load(&v, t);
	if ((ctx = aead_new(alg, v.key, v.key_len)) == NULL)
		/* refused only because of the key size */
		ok = !valid && v.key_len != alg->key_len;
	else if (valid)
		ok = check_valid(ctx, &v);
	else
		ok = check_invalid(ctx, &v);
	if (!ok)
		printf("%s: tcId %lld failed\n", alg->name, tv_int(t, "tcId"));
	aead_free(ctx);
	vec_free(&v);
	return ok;
}

static void
count_skip(struct skip *skips, const char *why, size_t n)
{
	int i;

	for (i = 0; i < MAX_SKIP; i++) {
		if (skips[i].why == NULL)
			skips[i].why = why;
		if (strcmp(skips[i].why, why) == 0) {
			skips[i].count += (unsigned)n;
			return;
		}
	}
	fail_msg("too many skip reasons");
}

static void
run_file(const char *file, pick_fn pick)
{
	json_t *root = tv_load_json(file), *g, *t;
	struct skip skips[MAX_SKIP] = { { NULL, 0 } };
	const struct aead_alg *alg;
	const char *why;
	size_t gi, ti;
	unsigned run = 0, passed = 0;
	int i;

	json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
		json_t *tests = json_object_get(g, "tests");

		if ((alg = pick(g, &why)) == NULL) {
			count_skip(skips, why, json_array_size(tests));
			continue;
		}
		json_array_foreach(tests, ti, t) {
			run++;
			passed += aead_case(alg, t);
		}
	}
	json_decref(root);
	for (i = 0; i < MAX_SKIP && skips[i].why != NULL; i++)
		printf("vectors: %s: %u skipped: %s\n", file, skips[i].count,
		    skips[i].why);
	tv_report(file, run, passed);
}

static const struct aead_alg *
pick_gcm(const json_t *g, const char **why)
{
	*why = NULL;
	if (tv_int(g, "keySize") != 256)
		*why = "keySize is not 256 (aes256-gcm only)";
	else if (tv_int(g, "ivSize") != 96)
		*why = "ivSize is not 96 (the interface takes 12-byte nonces)";
	else if (tv_int(g, "tagSize") != 128)
		*why = "tagSize is not 128 (the interface uses 16-byte tags)";
	return *why == NULL ? aead_by_name("aes256-gcm") : NULL;
}

static const struct aead_alg *
pick_chacha(const json_t *g, const char **why)
{
	*why = NULL;
	if (tv_int(g, "ivSize") != 96)
		*why = "ivSize is not 96 (the interface takes 12-byte nonces)";
	else if (tv_int(g, "tagSize") != 128)
		*why = "tagSize is not 128 (the interface uses 16-byte tags)";
	return *why == NULL ? aead_by_name("chacha20-poly1305") : NULL;
}

static const struct aead_alg *
pick_gcmsiv(const json_t *g, const char **why)
{
	long long ks = tv_int(g, "keySize");

	*why = NULL;
	if (tv_int(g, "ivSize") != 96)
		*why = "ivSize is not 96 (the interface takes 12-byte nonces)";
	else if (tv_int(g, "tagSize") != 128)
		*why = "tagSize is not 128 (the interface uses 16-byte tags)";
	else if (ks != 128 && ks != 256)
		*why = "keySize is neither 128 nor 256";
	if (*why != NULL)
		return NULL;
	return aead_by_name(ks == 128 ? "aes128-gcm-siv" : "aes256-gcm-siv");
}

static void
test_wycheproof_aes_gcm(void **state)
{
	(void)state;
	run_file(WP "aes_gcm_test.json", pick_gcm);
}

static void
test_wycheproof_chacha20_poly1305(void **state)
{
	(void)state;
	run_file(WP "chacha20_poly1305_test.json", pick_chacha);
}

static void
test_wycheproof_aes_gcm_siv(void **state)
{
	(void)state;
	run_file(WP "aes_gcm_siv_test.json", pick_gcmsiv);
}

/* Calls fn once for every name in AEAD_DEFAULT_LIST. */
static void
each_alg(void (*fn)(const struct aead_alg *))
{
	char *copy = strdup(AEAD_DEFAULT_LIST), *p, *name;
	const struct aead_alg *alg;
	int n = 0;

	assert_non_null(copy);
	for (p = copy; (name = strsep(&p, ",")) != NULL; n++) {
		alg = aead_by_name(name);
		assert_non_null(alg);
		assert_string_equal(alg->name, name);
		fn(alg);
	}
	free(copy);
	assert_int_equal(n, 4);
}

static void
check_names(const struct aead_alg *alg)
{
	assert_true(alg->key_len == 16 || alg->key_len == 32);
	assert_true(alg->key_len <= AEAD_KEY_MAX);
	assert_ptr_equal(aead_by_name(alg->name), alg);
}

static void
test_names(void **state)
{
	(void)state;
	each_alg(check_names);
	assert_null(aead_by_name("nope"));
	assert_null(aead_by_name(""));
	assert_null(aead_by_name("AES256-GCM"));
	assert_null(aead_by_name("aes256-gcm "));
	assert_int_equal(aead_by_name("aes128-gcm-siv")->key_len, 16);
	assert_int_equal(aead_by_name("aes256-gcm-siv")->key_len, 32);
	assert_int_equal(aead_by_name("aes256-gcm")->key_len, 32);
	assert_int_equal(aead_by_name("chacha20-poly1305")->key_len, 32);
}

static void
check_key_length(const struct aead_alg *alg)
{
	uint8_t key[AEAD_KEY_MAX + 1] = { 0 };
	struct aead_alg copy = *alg;
	struct aead_ctx *ctx;

	assert_null(aead_new(alg, key, 0));
	assert_null(aead_new(alg, key, alg->key_len - 1));
	assert_null(aead_new(alg, key, alg->key_len + 1));
	assert_null(aead_new(alg, key, alg->key_len == 16 ? 32 : 16));
	/* only the table's own entries are accepted */
	assert_null(aead_new(&copy, key, alg->key_len));
	ctx = aead_new(alg, key, alg->key_len);
	assert_non_null(ctx);
	aead_free(ctx);
}

static void
test_key_length(void **state)
{
	(void)state;
	each_alg(check_key_length);
	assert_null(aead_new(NULL, (const uint8_t *)"", 0));
	aead_free(NULL);
}

struct fixture {
	struct aead_ctx *ctx;
	uint8_t key[AEAD_KEY_MAX];
	uint8_t nonce[AEAD_NONCE_BYTES];
	uint8_t aad[29];
};

static void
fixture_new(struct fixture *f, const struct aead_alg *alg)
{
	mp_random(f->key, sizeof(f->key));
	mp_random(f->nonce, sizeof(f->nonce));
	mp_random(f->aad, sizeof(f->aad));
	f->ctx = aead_new(alg, f->key, alg->key_len);
	assert_non_null(f->ctx);
}

/* Open must give MP_ERR_AUTH and zeroed output. */
static void
expect_auth_fail(struct aead_ctx *ctx, const uint8_t *nonce,
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len)
{
	uint8_t out[2048];

	memset(out, 0xa5, sizeof(out));
	assert_int_equal(aead_open(ctx, nonce, aad, aad_len, ct, ct_len, out),
	    MP_ERR_AUTH);
	assert_true(is_zero(out, ct_len - AEAD_TAG_BYTES));
}

static void
tamper_len(const struct aead_alg *alg, size_t len)
{
	uint8_t pt[1024], ct[1024 + AEAD_TAG_BYTES], nonce[AEAD_NONCE_BYTES];
	uint8_t aad[29];
	size_t i, pos[3] = { 0, len / 2, len + AEAD_TAG_BYTES - 1 };
	struct fixture f;

	fixture_new(&f, alg);
	mp_random(pt, len);
	assert_int_equal(aead_seal(f.ctx, f.nonce, f.aad, sizeof(f.aad), pt,
	    len, ct), 0);
	for (i = 0; i < 3; i++) {
		ct[pos[i]] ^= 0x01;
		expect_auth_fail(f.ctx, f.nonce, f.aad, sizeof(f.aad), ct,
		    len + AEAD_TAG_BYTES);
		ct[pos[i]] ^= 0x01;
	}
	memcpy(aad, f.aad, sizeof(aad));
	aad[sizeof(aad) - 1] ^= 0x80;
	expect_auth_fail(f.ctx, f.nonce, aad, sizeof(aad), ct,
	    len + AEAD_TAG_BYTES);
	expect_auth_fail(f.ctx, f.nonce, f.aad, sizeof(f.aad) - 1, ct,
	    len + AEAD_TAG_BYTES);
	expect_auth_fail(f.ctx, f.nonce, NULL, 0, ct, len + AEAD_TAG_BYTES);
	memcpy(nonce, f.nonce, sizeof(nonce));
	nonce[AEAD_NONCE_BYTES - 1] ^= 0x01;
	expect_auth_fail(f.ctx, nonce, f.aad, sizeof(f.aad), ct,
	    len + AEAD_TAG_BYTES);
	/* a truncated message is a wrong tag, not a short one */
	if (len > 0)
		expect_auth_fail(f.ctx, f.nonce, f.aad, sizeof(f.aad), ct,
		    len - 1 + AEAD_TAG_BYTES);
	aead_free(f.ctx);
	/* another key */
	fixture_new(&f, alg);
	expect_auth_fail(f.ctx, nonce, f.aad, sizeof(f.aad), ct,
	    len + AEAD_TAG_BYTES);
	aead_free(f.ctx);
}

static void
check_tamper(const struct aead_alg *alg)
{
	tamper_len(alg, 0);
	tamper_len(alg, 1);
	tamper_len(alg, 16);
	tamper_len(alg, 33);
	tamper_len(alg, 1024);
}

static void
test_tamper(void **state)
{
	(void)state;
	each_alg(check_tamper);
}

static void
check_short(const struct aead_alg *alg)
{
	uint8_t ct[AEAD_TAG_BYTES] = { 0 }, out[AEAD_TAG_BYTES];
	struct fixture f;
	size_t len;

	fixture_new(&f, alg);
	for (len = 0; len < AEAD_TAG_BYTES; len++)
		assert_int_equal(aead_open(f.ctx, f.nonce, NULL, 0, ct, len,
		    out), MP_ERR_INCOMPLETE);
	/* exactly a tag: an empty message whose tag is wrong */
	expect_auth_fail(f.ctx, f.nonce, NULL, 0, ct, AEAD_TAG_BYTES);
	aead_free(f.ctx);
}

static void
test_short(void **state)
{
	(void)state;
	each_alg(check_short);
}

/* Separate buffers and in place give the same bytes, and open back. */
static void
round_trip(const struct aead_alg *alg, size_t len)
{
	uint8_t *pt = malloc(len + 1), *ct = malloc(len + AEAD_TAG_BYTES);
	uint8_t *buf = malloc(len + AEAD_TAG_BYTES);
	struct fixture f;

	assert_true(pt != NULL && ct != NULL && buf != NULL);
	fixture_new(&f, alg);
	mp_random(pt, len);
	memcpy(buf, pt, len);
	assert_int_equal(aead_seal(f.ctx, f.nonce, f.aad, sizeof(f.aad), pt,
	    len, ct), 0);
	assert_int_equal(aead_seal(f.ctx, f.nonce, f.aad, sizeof(f.aad), buf,
	    len, buf), 0);
	assert_memory_equal(ct, buf, len + AEAD_TAG_BYTES);
	assert_int_equal(aead_open(f.ctx, f.nonce, f.aad, sizeof(f.aad), buf,
	    len + AEAD_TAG_BYTES, buf), 0);
	assert_memory_equal(buf, pt, len);
	/* a failed in-place open wipes the ciphertext */
	buf[len + AEAD_TAG_BYTES - 1] = ct[len + AEAD_TAG_BYTES - 1] ^ 0x40;
	memcpy(buf, ct, len);
	assert_int_equal(aead_open(f.ctx, f.nonce, f.aad, sizeof(f.aad), buf,
	    len + AEAD_TAG_BYTES, buf), MP_ERR_AUTH);
	assert_true(is_zero(buf, len));
	aead_free(f.ctx);
	free(pt);
	free(ct);
	free(buf);
}

static void
check_round_trip(const struct aead_alg *alg)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 64, 255, 1200,
	    16384, 65537 };
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		round_trip(alg, lens[i]);
}

static void
test_round_trip(void **state)
{
	(void)state;
	each_alg(check_round_trip);
}

/* A context used many times gives what a fresh one gives. */
static void
check_reuse(const struct aead_alg *alg)
{
	uint8_t pt[100], a[100 + AEAD_TAG_BYTES], b[100 + AEAD_TAG_BYTES];
	uint8_t n2[AEAD_NONCE_BYTES];
	struct aead_ctx *fresh;
	struct fixture f;
	int i;

	fixture_new(&f, alg);
	mp_random(pt, sizeof(pt));
	mp_random(n2, sizeof(n2));
	for (i = 0; i < 3; i++) {
		assert_int_equal(aead_seal(f.ctx, n2, NULL, 0, pt, 50, b), 0);
		expect_auth_fail(f.ctx, n2, NULL, 0, b, 49 + AEAD_TAG_BYTES);
	}
	assert_int_equal(aead_seal(f.ctx, f.nonce, f.aad, sizeof(f.aad), pt,
	    sizeof(pt), a), 0);
	fresh = aead_new(alg, f.key, alg->key_len);
	assert_non_null(fresh);
	assert_int_equal(aead_seal(fresh, f.nonce, f.aad, sizeof(f.aad), pt,
	    sizeof(pt), b), 0);
	assert_memory_equal(a, b, sizeof(a));
	/* different nonces give different ciphertexts */
	assert_int_equal(aead_seal(fresh, n2, f.aad, sizeof(f.aad), pt,
	    sizeof(pt), b), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	aead_free(fresh);
	aead_free(f.ctx);
}

static void
test_reuse(void **state)
{
	(void)state;
	each_alg(check_reuse);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wycheproof_aes_gcm),
		cmocka_unit_test(test_wycheproof_chacha20_poly1305),
		cmocka_unit_test(test_wycheproof_aes_gcm_siv),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_key_length),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_reuse),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_hash.c: SHA-2, HMAC and HKDF against FIPS 180 and Wycheproof vectors; name tables; random numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"
#include "testvec.h"

#define WP	"wycheproof/testvectors_v1/"

static const enum hash_alg all_hashes[] = {
	HASH_SHA256, HASH_SHA384, HASH_SHA512
};
#define NHASH	(sizeof(all_hashes) / sizeof(all_hashes[0]))

/* FIPS 180-4 example "abc" for each digest. */
static const char *const abc_digest[] = {
	[HASH_SHA256] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
	    "b410ff61f20015ad",
	[HASH_SHA384] = "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
	    "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
	[HASH_SHA512] = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea2"
	    "0a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e"
	    "2a9ac94fa54ca49f",
};

static void
test_sha2_abc(void **state)
{
	uint8_t out[HASH_MAX_BYTES], *want;
	size_t i, len;

	(void)state;
	for (i = 0; i < NHASH; i++) {
		enum hash_alg alg = all_hashes[i];

		want = tv_unhex(abc_digest[alg], &len);
		assert_int_equal(len, hash_len(alg));
		assert_int_equal(hash_digest(alg, "abc", 3, out), 0);
		assert_memory_equal(out, want, len);
		free(want);
	}
	assert_int_equal(hash_len(HASH_SHA256), 32);
	assert_int_equal(hash_len(HASH_SHA384), 48);
	assert_int_equal(hash_len(HASH_SHA512), 64);
	assert_string_equal(hash_name(HASH_SHA384), "sha384");
}

/* Digest data in chunks of step bytes through the incremental interface. */
static void
digest_chunked(enum hash_alg alg, const uint8_t *data, size_t len,
    size_t step, uint8_t *out)
{
	struct hash_ctx *ctx = hash_new(alg);
	size_t off, n;

	assert_non_null(ctx);
	for (off = 0; off < len; off += n) {
		n = len - off < step ? len - off : step;
		assert_int_equal(hash_update(ctx, data + off, n), 0);
	}
	assert_int_equal(hash_final(ctx, out), 0);
	/* a finished context refuses more work */
	assert_int_equal(hash_update(ctx, data, 1), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(hash_final(ctx, out), MP_ERR_INVALID_ARGUMENT);
	hash_free(ctx);
}

static void
test_sha2_incremental(void **state)
{
	static const size_t steps[] = { 1, 3, 55, 63, 64, 65, 111, 127, 128,
	    129, 1000, 2048 };
	uint8_t data[2048], one[HASH_MAX_BYTES], inc[HASH_MAX_BYTES];
	size_t i, s, len;

	(void)state;
	mp_random(data, sizeof(data));
	for (i = 0; i < NHASH; i++) {
		for (len = 0; len <= sizeof(data); len += 257) {
			assert_int_equal(hash_digest(all_hashes[i], data, len,
			    one), 0);
			for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
				digest_chunked(all_hashes[i], data, len,
				    steps[s], inc);
				assert_memory_equal(one, inc,
				    hash_len(all_hashes[i]));
			}
		}
	}
}

/* One Wycheproof MAC test; 1 if it behaved as its result says. */
static int
hmac_case(enum hash_alg alg, size_t tag_len, const json_t *t)
{
	uint8_t mac[HASH_MAX_BYTES], *key, *msg, *tag;
	size_t key_len, msg_len, tl;
	int ok, valid = strcmp(tv_str(t, "result"), "valid") == 0;

	key = tv_hexfield(t, "key", &key_len);
	msg = tv_hexfield(t, "msg", &msg_len);
	tag = tv_hexfield(t, "tag", &tl);
	if (valid)
		ok = tl == tag_len &&
		    hmac(alg, key, key_len, msg, msg_len, mac) == 0 &&
		    memcmp(mac, tag, tl) == 0 &&
		    hmac_verify(alg, key, key_len, msg, msg_len, tag, tl) == 0;
	else
		ok = hmac_verify(alg, key, key_len, msg, msg_len, tag, tl) ==
		    MP_ERR_AUTH;
	if (!ok)
		printf("tcId %lld failed\n", tv_int(t, "tcId"));
	free(key);
	free(msg);
	free(tag);
	return ok;
}

static void
run_hmac_file(const char *file, enum hash_alg alg)
{
	json_t *root = tv_load_json(file), *g, *t;
	size_t gi, ti;
	unsigned run = 0, passed = 0;

	json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
		size_t tag_len = (size_t)tv_int(g, "tagSize") / 8;

		json_array_foreach(json_object_get(g, "tests"), ti, t) {
			run++;
			passed += hmac_case(alg, tag_len, t);
		}
	}
	json_decref(root);
	tv_report(file, run, passed);
}

static void
test_hmac_sha256(void **state)
{
	(void)state;
	run_hmac_file(WP "hmac_sha256_test.json", HASH_SHA256);
}

static void
test_hmac_sha512(void **state)
{
	(void)state;
	run_hmac_file(WP "hmac_sha512_test.json", HASH_SHA512);
}

static void
test_hmac_tag_length(void **state)
{
	static const uint8_t key[16];
	uint8_t mac[HASH_MAX_BYTES];

	(void)state;
	assert_int_equal(hmac(HASH_SHA384, key, sizeof(key), "x", 1, mac), 0);
	assert_int_equal(hmac_verify(HASH_SHA384, key, sizeof(key), "x", 1,
	    mac, 48), 0);
	assert_int_equal(hmac_verify(HASH_SHA384, key, sizeof(key), "x", 1,
	    mac, 1), 0);
	assert_int_equal(hmac_verify(HASH_SHA384, key, sizeof(key), "x", 1,
	    mac, 0), MP_ERR_AUTH);
	assert_int_equal(hmac_verify(HASH_SHA384, key, sizeof(key), "x", 1,
	    mac, 49), MP_ERR_AUTH);
	mac[47] ^= 1;
	assert_int_equal(hmac_verify(HASH_SHA384, key, sizeof(key), "x", 1,
	    mac, 48), MP_ERR_AUTH);
	assert_int_equal(hmac_verify(HASH_SHA384, key, sizeof(key), "x", 1,
	    mac, 47), 0);
	assert_int_equal(hmac((enum hash_alg)7, key, sizeof(key), "x", 1,
	    mac), MP_ERR_INVALID_ARGUMENT);
}

/* One Wycheproof HKDF test; 1 if it behaved as its result says. */
static int
hkdf_case(enum hash_alg alg, const json_t *t)
{
	uint8_t *ikm, *salt, *info, *okm, *out;
	size_t ikm_len, salt_len, info_len, okm_len;
	size_t size = (size_t)tv_int(t, "size");
	int ok, r;

	ikm = tv_hexfield(t, "ikm", &ikm_len);
	salt = tv_hexfield(t, "salt", &salt_len);
	info = tv_hexfield(t, "info", &info_len);
	okm = tv_hexfield(t, "okm", &okm_len);
	out = malloc(size + 1);
	assert_non_null(out);
	r = hkdf(alg, salt, salt_len, ikm, ikm_len, info, info_len, out, size);
	if (strcmp(tv_str(t, "result"), "valid") == 0)
		ok = r == 0 && okm_len == size && memcmp(out, okm, size) == 0;
	else
		ok = r == MP_ERR_TOO_LARGE;
	if (!ok)
		printf("tcId %lld failed (%d)\n", tv_int(t, "tcId"), r);
	free(ikm);
	free(salt);
	free(info);
	free(okm);
	free(out);
	return ok;
}

static void
run_hkdf_file(const char *file, enum hash_alg alg)
{
	json_t *root = tv_load_json(file), *g, *t;
	size_t gi, ti;
	unsigned run = 0, passed = 0;

	json_array_foreach(json_object_get(root, "testGroups"), gi, g) {
		json_array_foreach(json_object_get(g, "tests"), ti, t) {
			run++;
			passed += hkdf_case(alg, t);
		}
	}
	json_decref(root);
	tv_report(file, run, passed);
}

static void
test_hkdf_sha256(void **state)
{
	(void)state;
	run_hkdf_file(WP "hkdf_sha256_test.json", HASH_SHA256);
}

static void
test_hkdf_sha384(void **state)
{
	(void)state;
	run_hkdf_file(WP "hkdf_sha384_test.json", HASH_SHA384);
}

static void
test_hkdf_sha512(void **state)
{
	(void)state;
	run_hkdf_file(WP "hkdf_sha512_test.json", HASH_SHA512);
}

/* The output limit is exactly 255 blocks; an empty salt equals zeros. */
static void
test_hkdf_limits(void **state)
{
	static const uint8_t zeros[HASH_MAX_BYTES];
	uint8_t *out, a[40], b[40];
	size_t i, max;

	(void)state;
	for (i = 0; i < NHASH; i++) {
		max = 255 * hash_len(all_hashes[i]);
		out = malloc(max + 1);
		assert_non_null(out);
		assert_int_equal(hkdf(all_hashes[i], NULL, 0, zeros, 16, NULL,
		    0, out, max), 0);
		assert_int_equal(hkdf(all_hashes[i], NULL, 0, zeros, 16, NULL,
		    0, out, max + 1), MP_ERR_TOO_LARGE);
		free(out);
		assert_int_equal(hkdf(all_hashes[i], NULL, 0, a, 0, NULL, 0,
		    a, sizeof(a)), 0);
		assert_int_equal(hkdf(all_hashes[i], zeros,
		    hash_len(all_hashes[i]), NULL, 0, NULL, 0, b, sizeof(b)),
		    0);
		assert_memory_equal(a, b, sizeof(a));
	}
}

static void
test_names(void **state)
{
	enum hash_alg alg = HASH_SHA512;
	int is_hmac = -1;

	(void)state;
	assert_int_equal(kdf_by_name("hkdf-sha256", &alg), 0);
	assert_int_equal(alg, HASH_SHA256);
	assert_int_equal(kdf_by_name("hkdf-sha384", &alg), 0);
	assert_int_equal(alg, HASH_SHA384);
	assert_int_equal(kdf_by_name("hkdf-sha512", &alg), 0);
	assert_int_equal(alg, HASH_SHA512);
	assert_int_equal(kdf_by_name("hkdf-md5", &alg),
	    MP_ERR_UNKNOWN_ALGORITHM);
	assert_int_equal(kdf_by_name("", &alg), MP_ERR_UNKNOWN_ALGORITHM);
	assert_int_equal(kdf_by_name("HKDF-SHA256", &alg),
	    MP_ERR_UNKNOWN_ALGORITHM);

	assert_int_equal(mac_by_name("implicit", &is_hmac, &alg), 0);
	assert_int_equal(is_hmac, 0);
	assert_int_equal(mac_by_name("hmac-sha256", &is_hmac, &alg), 0);
	assert_int_equal(is_hmac, 1);
	assert_int_equal(alg, HASH_SHA256);
	assert_int_equal(mac_by_name("hmac-sha512", &is_hmac, &alg), 0);
	assert_int_equal(is_hmac, 1);
	assert_int_equal(alg, HASH_SHA512);
	assert_int_equal(mac_by_name("hmac-sha384", &is_hmac, &alg),
	    MP_ERR_UNKNOWN_ALGORITHM);
	assert_int_equal(mac_by_name("implicit ", &is_hmac, &alg),
	    MP_ERR_UNKNOWN_ALGORITHM);
}

/* Every name in a default list resolves through lookup. */
static void
check_list(const char *list, int is_mac)
{
	char *copy = strdup(list), *p, *name;
	enum hash_alg alg;
	int is_hmac;

	assert_non_null(copy);
	for (p = copy; (name = strsep(&p, ",")) != NULL; ) {
		if (is_mac)
			assert_int_equal(mac_by_name(name, &is_hmac, &alg), 0);
		else
			assert_int_equal(kdf_by_name(name, &alg), 0);
	}
	free(copy);
}

static void
test_default_lists(void **state)
{
	(void)state;
	check_list(KDF_DEFAULT_LIST, 0);
	check_list(MAC_DEFAULT_LIST, 1);
}

static void
test_random(void **state)
{
	static const uint32_t uppers[] = { 1, 2, 3, 10, 255, 1000,
	    0x80000001u, UINT32_MAX };
	unsigned seen[10] = { 0 };
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(uppers) / sizeof(uppers[0]); i++)
		for (j = 0; j < 2000; j++)
			assert_true(mp_random_uniform(uppers[i]) < uppers[i]);
	for (j = 0; j < 2000; j++)
		seen[mp_random_uniform(10)]++;
	for (j = 0; j < 10; j++)
		assert_true(seen[j] > 0);
	mp_random(a, sizeof(a));
	mp_random(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	mp_random(a, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha2_abc),
		cmocka_unit_test(test_sha2_incremental),
		cmocka_unit_test(test_hmac_sha256),
		cmocka_unit_test(test_hmac_sha512),
		cmocka_unit_test(test_hmac_tag_length),
		cmocka_unit_test(test_hkdf_sha256),
		cmocka_unit_test(test_hkdf_sha384),
		cmocka_unit_test(test_hkdf_sha512),
		cmocka_unit_test(test_hkdf_limits),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_default_lists),
		cmocka_unit_test(test_random),
	};

	if (mp_crypto_init() != 0 || mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

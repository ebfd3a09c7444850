/* test_ecdh.c: X25519 and P-256/P-384 ECDH against Wycheproof, plus key generation and rejection checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/crypto/ecdh.h"
#include "common/crypto/random.h"
#include "testvec.h"

#define WP_DIR		"wycheproof/testvectors_v1/"
#define X25519_FILE	WP_DIR "x25519_test.json"
#define P256_FILE	WP_DIR "ecdh_secp256r1_ecpoint_test.json"
#define P384_FILE	WP_DIR "ecdh_secp384r1_ecpoint_test.json"


static const uint8_t *
order_of(enum ecdh_curve c)
{
	return c == ECDH_P256 ? tv_p256_order : tv_p384_order;
}

/*
 * Policy for the Wycheproof x25519 "acceptable" cases:
 * - ZeroSharedSecret (low-order public values): ecdh_derive must refuse
 *   them; a key exchange never proceeds with an all-zero secret.
 * - every other acceptable case (twist points, non-canonical u >= p,
 *   special values): accepted as RFC 7748 and libsodium do (the top bit is
 *   masked and u is reduced mod p), and the result must equal "shared".
 */
static int
x25519_case(const json_t *t, unsigned *accepted, unsigned *refused)
{
	uint8_t secret[ECDH_SECRET_MAX];
	size_t plen, klen, slen;
	uint8_t *pub = tv_hexfield(t, "public", &plen);
	uint8_t *priv = tv_hexfield(t, "private", &klen);
	uint8_t *shared = tv_hexfield(t, "shared", &slen);
	int r, ok;

	assert_int_equal(klen, 32);
	r = ecdh_derive(ECDH_X25519, priv, pub, plen, secret);
	if (slen == 32 && tv_is_zero(shared, slen))
		ok = r == MP_ERR_INVALID_KEY && tv_is_zero(secret, 32);
	else
		ok = r == 0 && slen == 32 && memcmp(secret, shared, 32) == 0;
	if (strcmp(tv_str(t, "result"), "acceptable") == 0)
		(*(r == 0 ? accepted : refused))++;
	free(pub);
	free(priv);
	free(shared);
	return ok;
}

static void
test_x25519_wycheproof(void **state)
{
	json_t *root = tv_load_json(X25519_FILE), *g, *t;
	unsigned run = 0, passed = 0, accepted = 0, refused = 0;
	size_t i, j;

	(void)state;
	json_array_foreach(json_object_get(root, "testGroups"), i, g) {
		json_array_foreach(json_object_get(g, "tests"), j, t) {
			run++;
			if (x25519_case(t, &accepted, &refused))
				passed++;
			else
				print_message("x25519 tcId %lld failed\n",
				    tv_int(t, "tcId"));
		}
	}
	json_decref(root);
	printf("x25519 acceptable: %u accepted (result checked), %u refused "
	    "(all-zero shared secret)\n", accepted, refused);
	tv_report(X25519_FILE, run, passed);
}

/* Wycheproof gives the private scalar as a big-endian integer that may have
 * a leading zero byte or be short: bring it to exactly len bytes. */
static void
normalise_scalar(const uint8_t *in, size_t in_len, uint8_t *out, size_t len)
{
	while (in_len > len && *in == 0) {
		in++;
		in_len--;
	}
	assert_true(in_len <= len);
	memset(out, 0, len - in_len);
	memcpy(out + len - in_len, in, in_len);
}

static int
is_compressed(enum ecdh_curve c, const uint8_t *pub, size_t len)
{
	return len == ecdh_priv_len(c) + 1 && (pub[0] == 2 || pub[0] == 3);
}

enum nist_outcome { NIST_PASS, NIST_FAIL, NIST_SKIP_POLICY };

/*
 * Policy: only uncompressed points are accepted. A vector expected to be
 * valid or acceptable with a compressed point is "skipped by policy"; we
 * still check that it is refused. Invalid vectors must be refused.
 */
static enum nist_outcome
nist_case(enum ecdh_curve c, const json_t *t)
{
	uint8_t priv[ECDH_PRIV_MAX], secret[ECDH_SECRET_MAX];
	size_t plen, klen, slen;
	uint8_t *pub = tv_hexfield(t, "public", &plen);
	uint8_t *rawpriv = tv_hexfield(t, "private", &klen);
	uint8_t *shared = tv_hexfield(t, "shared", &slen);
	const char *result = tv_str(t, "result");
	enum nist_outcome out;
	int r;

	normalise_scalar(rawpriv, klen, priv, ecdh_priv_len(c));
	r = ecdh_derive(c, priv, pub, plen, secret);
	if (strcmp(result, "invalid") == 0)
		out = r != 0 ? NIST_PASS : NIST_FAIL;
	else if (is_compressed(c, pub, plen))
		out = r != 0 ? NIST_SKIP_POLICY : NIST_FAIL;
	else
		out = r == 0 && slen == ecdh_secret_len(c) &&
		    memcmp(secret, shared, slen) == 0 ? NIST_PASS : NIST_FAIL;
	free(pub);
	free(rawpriv);
	free(shared);
	return out;
}

static void
run_nist_file(const char *file, enum ecdh_curve c)
{
	json_t *root = tv_load_json(file), *g, *t;
	unsigned run = 0, passed = 0, skipped = 0;
	size_t i, j;

	json_array_foreach(json_object_get(root, "testGroups"), i, g) {
		json_array_foreach(json_object_get(g, "tests"), j, t) {
			switch (nist_case(c, t)) {
			case NIST_SKIP_POLICY:
				skipped++;
				break;
			case NIST_PASS:
				run++;
				passed++;
				break;
			case NIST_FAIL:
				run++;
				print_message("%s tcId %lld failed\n", file,
				    tv_int(t, "tcId"));
				break;
			}
		}
	}
	json_decref(root);
	printf("%s: %u skipped by policy (valid/acceptable but compressed "
	    "point; confirmed refused)\n", file, skipped);
	tv_report(file, run, passed);
}

static void
test_p256_wycheproof(void **state)
{
	(void)state;
	run_nist_file(P256_FILE, ECDH_P256);
}

static void
test_p384_wycheproof(void **state)
{
	(void)state;
	run_nist_file(P384_FILE, ECDH_P384);
}

static void
test_lengths(void **state)
{
	(void)state;
	assert_int_equal(ecdh_pub_len(ECDH_X25519), 32);
	assert_int_equal(ecdh_pub_len(ECDH_P256), 65);
	assert_int_equal(ecdh_pub_len(ECDH_P384), 97);
	assert_int_equal(ecdh_priv_len(ECDH_X25519), 32);
	assert_int_equal(ecdh_priv_len(ECDH_P256), 32);
	assert_int_equal(ecdh_priv_len(ECDH_P384), 48);
	assert_int_equal(ecdh_secret_len(ECDH_X25519), 32);
	assert_int_equal(ecdh_secret_len(ECDH_P256), 32);
	assert_int_equal(ecdh_secret_len(ECDH_P384), 48);
}

/* Two fresh key pairs agree; NIST scalars are in [1, n-1]. */
static void
roundtrip(enum ecdh_curve c)
{
	uint8_t a[ECDH_PRIV_MAX], b[ECDH_PRIV_MAX];
	uint8_t pa[ECDH_PUB_MAX], pb[ECDH_PUB_MAX];
	uint8_t sa[ECDH_SECRET_MAX], sb[ECDH_SECRET_MAX];
	size_t kl = ecdh_priv_len(c), pl = ecdh_pub_len(c);
	int i;

	for (i = 0; i < 16; i++) {
		assert_int_equal(ecdh_keygen(c, a, pa), 0);
		assert_int_equal(ecdh_keygen(c, b, pb), 0);
		assert_int_equal(ecdh_derive(c, a, pb, pl, sa), 0);
		assert_int_equal(ecdh_derive(c, b, pa, pl, sb), 0);
		assert_memory_equal(sa, sb, ecdh_secret_len(c));
		assert_memory_not_equal(a, b, kl);
		if (c == ECDH_X25519)
			continue;
		assert_int_equal(pa[0], 0x04);
		assert_false(tv_is_zero(a, kl));
		assert_true(memcmp(a, order_of(c), kl) < 0);
	}
}

static void
test_roundtrip(void **state)
{
	(void)state;
	roundtrip(ECDH_X25519);
	roundtrip(ECDH_P256);
	roundtrip(ECDH_P384);
}

/* Peer values of the wrong length, compressed, infinity, off the curve. */
static void
bad_peers(enum ecdh_curve c)
{
	uint8_t priv[ECDH_PRIV_MAX], pub[ECDH_PUB_MAX + 1];
	uint8_t secret[ECDH_SECRET_MAX];
	size_t pl = ecdh_pub_len(c), fl = ecdh_priv_len(c);

	assert_int_equal(ecdh_keygen(c, priv, pub), 0);
	assert_int_equal(ecdh_derive(c, priv, pub, pl - 1, secret),
	    MP_ERR_KEY_LENGTH);
	pub[pl] = 0;
	assert_int_equal(ecdh_derive(c, priv, pub, pl + 1, secret),
	    MP_ERR_KEY_LENGTH);
	assert_int_equal(ecdh_derive(c, priv, pub, 0, secret),
	    MP_ERR_KEY_LENGTH);
	/* compressed form of our own valid point */
	pub[0] = 0x02 | (pub[pl - 1] & 1);
	assert_int_equal(ecdh_derive(c, priv, pub, fl + 1, secret),
	    MP_ERR_KEY_LENGTH);
	/* the right length but a compressed or hybrid prefix */
	assert_int_not_equal(ecdh_derive(c, priv, pub, pl, secret), 0);
	pub[0] = 0x06 | (pub[pl - 1] & 1);
	assert_int_not_equal(ecdh_derive(c, priv, pub, pl, secret), 0);
	/* off the curve: change Y */
	pub[0] = 0x04;
	pub[pl - 1] ^= 1;
	assert_int_equal(ecdh_derive(c, priv, pub, pl, secret),
	    MP_ERR_INVALID_KEY);
	/* (0, 0) and the infinity byte alone */
	memset(pub, 0, pl);
	pub[0] = 0x04;
	assert_int_equal(ecdh_derive(c, priv, pub, pl, secret),
	    MP_ERR_INVALID_KEY);
	pub[0] = 0x00;
	assert_int_not_equal(ecdh_derive(c, priv, pub, 1, secret), 0);
	assert_true(tv_is_zero(secret, ecdh_secret_len(c)));
}

static void
test_bad_peer(void **state)
{
	(void)state;
	bad_peers(ECDH_P256);
	bad_peers(ECDH_P384);
}

/* Scalars 0, n and 0xff..ff are refused; n-1 works. */
static void
bad_scalars(enum ecdh_curve c)
{
	uint8_t priv[ECDH_PRIV_MAX], pub[ECDH_PUB_MAX];
	uint8_t other[ECDH_PRIV_MAX], secret[ECDH_SECRET_MAX];
	size_t kl = ecdh_priv_len(c), pl = ecdh_pub_len(c);

	assert_int_equal(ecdh_keygen(c, other, pub), 0);
	memset(priv, 0, kl);
	assert_int_equal(ecdh_derive(c, priv, pub, pl, secret),
	    MP_ERR_INVALID_KEY);
	memcpy(priv, order_of(c), kl);
	assert_int_equal(ecdh_derive(c, priv, pub, pl, secret),
	    MP_ERR_INVALID_KEY);
	memset(priv, 0xff, kl);
	assert_int_equal(ecdh_derive(c, priv, pub, pl, secret),
	    MP_ERR_INVALID_KEY);
	memcpy(priv, order_of(c), kl);
	priv[kl - 1]--;
	assert_int_equal(ecdh_derive(c, priv, pub, pl, secret), 0);
}

static void
test_bad_scalar(void **state)
{
	(void)state;
	bad_scalars(ECDH_P256);
	bad_scalars(ECDH_P384);
}

/* Low-order u values give an all-zero result, which is refused. */
static void
test_x25519_low_order(void **state)
{
	uint8_t priv[32], pub[32], peer[32], secret[32];

	(void)state;
	assert_int_equal(ecdh_keygen(ECDH_X25519, priv, pub), 0);
	memset(peer, 0, sizeof(peer));
	assert_int_equal(ecdh_derive(ECDH_X25519, priv, peer, 32, secret),
	    MP_ERR_INVALID_KEY);
	assert_true(tv_is_zero(secret, sizeof(secret)));
	peer[0] = 1;
	assert_int_equal(ecdh_derive(ECDH_X25519, priv, peer, 32, secret),
	    MP_ERR_INVALID_KEY);
	assert_int_equal(ecdh_derive(ECDH_X25519, priv, pub, 31, secret),
	    MP_ERR_KEY_LENGTH);
	assert_int_equal(ecdh_derive(ECDH_X25519, priv, pub, 33, secret),
	    MP_ERR_KEY_LENGTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_bad_peer),
		cmocka_unit_test(test_bad_scalar),
		cmocka_unit_test(test_x25519_low_order),
		cmocka_unit_test(test_x25519_wycheproof),
		cmocka_unit_test(test_p256_wycheproof),
		cmocka_unit_test(test_p384_wycheproof),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

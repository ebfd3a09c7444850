/* test_kex.c: every key exchange by name: agreement, the hybrid construction, lengths and rejection of bad peer values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "common/err.h"
#include "common/crypto/ecdh.h"
#include "common/crypto/kex.h"
#include "common/crypto/mlkem.h"
#include "common/crypto/random.h"
#include "regress/unittests/testvec.h"

/* Expected table: name, hash, client, server and secret lengths, and how
 * the messages split (ML-KEM level or 0, ECDH curve or -1). */
struct expect {
	const char *name;
	enum hash_alg hash;
	size_t cl, sl, secl;
	int lvl;
	int curve;
};

static const struct expect expected[] = {
	{ "mlkem768x25519-sha256", HASH_SHA256, 1216, 1120, 32,
	    MLKEM_768, ECDH_X25519 },
	{ "x25519-sha256", HASH_SHA256, 32, 32, 32, 0, ECDH_X25519 },
	{ "ml-kem-768-sha256", HASH_SHA256, 1184, 1088, 32, MLKEM_768, -1 },
	{ "ml-kem-512-sha256", HASH_SHA256, 800, 768, 32, MLKEM_512, -1 },
	{ "ml-kem-1024-sha256", HASH_SHA256, 1568, 1568, 32, MLKEM_1024, -1 },
	{ "p256-sha256", HASH_SHA256, 65, 65, 32, 0, ECDH_P256 },
	{ "p384-sha384", HASH_SHA384, 97, 97, 48, 0, ECDH_P384 },
};
#define NEXPECT	(sizeof(expected) / sizeof(expected[0]))

static const struct kex_alg *
alg_of(const struct expect *e)
{
	const struct kex_alg *alg = kex_by_name(e->name);

	assert_non_null(alg);
	return alg;
}

static size_t
client_dh_off(const struct expect *e)
{
	return e->lvl != 0 ? mlkem_ek_len(e->lvl) : 0;
}

static size_t
server_dh_off(const struct expect *e)
{
	return e->lvl != 0 ? mlkem_ct_len(e->lvl) : 0;
}

static void
test_table(void **state)
{
	char list[] = KEX_DEFAULT_LIST;
	const struct kex_alg *alg;
	size_t i, n = 0;
	char *name, *save;

	(void)state;
	assert_null(kex_by_name("nonsense"));
	assert_null(kex_by_name(""));
	assert_null(kex_by_name("x25519-sha256 "));
	for (i = 0; i < NEXPECT; i++) {
		const struct expect *e = &expected[i];
		alg = alg_of(e);
		assert_string_equal(alg->name, e->name);
		assert_int_equal(alg->hash, e->hash);
		assert_int_equal(alg->client_msg_len, e->cl);
		assert_int_equal(alg->server_msg_len, e->sl);
		assert_int_equal(alg->secret_len, e->secl);
		assert_true(alg->client_msg_len <= KEX_CLIENT_MSG_MAX);
		assert_true(alg->server_msg_len <= KEX_SERVER_MSG_MAX);
		assert_true(alg->secret_len <= KEX_SECRET_MAX);
		assert_int_equal(e->cl, client_dh_off(e) + (e->curve < 0 ? 0 :
		    ecdh_pub_len(e->curve)));
		assert_int_equal(e->sl, server_dh_off(e) + (e->curve < 0 ? 0 :
		    ecdh_pub_len(e->curve)));
	}
	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save), n++)
		assert_non_null(kex_by_name(name));
	assert_int_equal(n, NEXPECT);
}

/* One full exchange; returns the shared secret in secret. */
static void
exchange(const struct kex_alg *alg, uint8_t *cmsg, uint8_t *smsg,
    uint8_t *secret)
{
	uint8_t ssec[KEX_SECRET_MAX];
	struct kex_client *kc;

	assert_int_equal(kex_client_start(alg, &kc, cmsg), 0);
	assert_int_equal(kex_server_reply(alg, cmsg, alg->client_msg_len, smsg,
	    ssec), 0);
	assert_int_equal(kex_client_finish(kc, smsg, alg->server_msg_len,
	    secret), 0);
	assert_memory_equal(secret, ssec, alg->secret_len);
	kex_client_free(kc);
}

static void
test_roundtrip(void **state)
{
	uint8_t cmsg[KEX_CLIENT_MSG_MAX], smsg[KEX_SERVER_MSG_MAX];
	uint8_t s1[KEX_SECRET_MAX], s2[KEX_SECRET_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < NEXPECT; i++) {
		const struct kex_alg *alg = alg_of(&expected[i]);
		exchange(alg, cmsg, smsg, s1);
		exchange(alg, cmsg, smsg, s2);
		assert_false(tv_is_zero(s1, alg->secret_len));
		assert_memory_not_equal(s1, s2, alg->secret_len);
	}
}

/*
 * The server's secret is checked against the parts computed directly:
 * K from mlkem_decaps, the DH secret from ecdh_derive, and for the hybrid
 * SHA-256(K || X25519 secret) computed with libsodium.
 */
static void
construction(const struct expect *e)
{
	const struct kex_alg *alg = alg_of(e);
	uint8_t cmsg[KEX_CLIENT_MSG_MAX], smsg[KEX_SERVER_MSG_MAX];
	uint8_t dk[MLKEM_DK_MAX], priv[ECDH_PRIV_MAX];
	uint8_t parts[MLKEM_SS_BYTES + ECDH_SECRET_MAX], want[KEX_SECRET_MAX];
	uint8_t secret[KEX_SECRET_MAX];
	size_t plen = 0;

	if (e->lvl != 0)
		assert_int_equal(mlkem_keygen(e->lvl, cmsg, dk), 0);
	if (e->curve >= 0)
		assert_int_equal(ecdh_keygen(e->curve, priv,
		    cmsg + client_dh_off(e)), 0);
	assert_int_equal(kex_server_reply(alg, cmsg, e->cl, smsg, secret), 0);
	if (e->lvl != 0) {
		assert_int_equal(mlkem_decaps(e->lvl, dk, mlkem_dk_len(e->lvl),
		    smsg, mlkem_ct_len(e->lvl), parts), 0);
		plen = MLKEM_SS_BYTES;
	}
	if (e->curve >= 0) {
		assert_int_equal(ecdh_derive(e->curve, priv,
		    smsg + server_dh_off(e), ecdh_pub_len(e->curve),
		    parts + plen), 0);
		plen += ecdh_secret_len(e->curve);
	}
	if (e->lvl != 0 && e->curve >= 0) {
		crypto_hash_sha256(want, parts, plen);
		plen = crypto_hash_sha256_BYTES;
	} else
		memcpy(want, parts, plen);
	assert_int_equal(plen, e->secl);
	assert_memory_equal(secret, want, plen);
}

static void
test_construction(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NEXPECT; i++)
		construction(&expected[i]);
}

static void
wrong_lengths(const struct kex_alg *alg)
{
	uint8_t cmsg[KEX_CLIENT_MSG_MAX + 1], smsg[KEX_SERVER_MSG_MAX + 1];
	uint8_t secret[KEX_SECRET_MAX];
	struct kex_client *kc;

	assert_int_equal(kex_client_start(alg, &kc, cmsg), 0);
	cmsg[alg->client_msg_len] = 0;
	assert_int_equal(kex_server_reply(alg, cmsg, alg->client_msg_len - 1,
	    smsg, secret), MP_ERR_KEY_LENGTH);
	assert_int_equal(kex_server_reply(alg, cmsg, alg->client_msg_len + 1,
	    smsg, secret), MP_ERR_KEY_LENGTH);
	assert_int_equal(kex_server_reply(alg, cmsg, 0, smsg, secret),
	    MP_ERR_KEY_LENGTH);
	assert_int_equal(kex_server_reply(alg, cmsg, alg->client_msg_len, smsg,
	    secret), 0);
	smsg[alg->server_msg_len] = 0;
	assert_int_equal(kex_client_finish(kc, smsg, alg->server_msg_len - 1,
	    secret), MP_ERR_KEY_LENGTH);
	assert_int_equal(kex_client_finish(kc, smsg, alg->server_msg_len + 1,
	    secret), MP_ERR_KEY_LENGTH);
	assert_int_equal(kex_client_finish(kc, smsg, 0, secret),
	    MP_ERR_KEY_LENGTH);
	assert_int_equal(kex_client_finish(kc, smsg, alg->server_msg_len,
	    secret), 0);
	kex_client_free(kc);
}

static void
test_wrong_length(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NEXPECT; i++)
		wrong_lengths(alg_of(&expected[i]));
}

/* Damage the ECDH part of both messages in the given way; both sides must
 * refuse with MP_ERR_INVALID_KEY and leave a zeroed secret. */
enum damage { OFF_CURVE, COMPRESSED_PREFIX, ALL_ZERO };

static void
corrupt(uint8_t *pub, size_t len, enum damage d)
{
	switch (d) {
	case OFF_CURVE:
		pub[len - 1] ^= 1;
		break;
	case COMPRESSED_PREFIX:
		pub[0] = 0x02;
		break;
	case ALL_ZERO:
		memset(pub, 0, len);
		break;
	}
}

static void
bad_point(const struct expect *e, enum damage d)
{
	const struct kex_alg *alg = alg_of(e);
	uint8_t cmsg[KEX_CLIENT_MSG_MAX], smsg[KEX_SERVER_MSG_MAX];
	uint8_t good[KEX_CLIENT_MSG_MAX], secret[KEX_SECRET_MAX];
	size_t pl = ecdh_pub_len(e->curve);
	struct kex_client *kc;

	assert_int_equal(kex_client_start(alg, &kc, cmsg), 0);
	memcpy(good, cmsg, e->cl);
	corrupt(cmsg + client_dh_off(e), pl, d);
	memset(secret, 0x55, sizeof(secret));
	assert_int_equal(kex_server_reply(alg, cmsg, e->cl, smsg, secret),
	    MP_ERR_INVALID_KEY);
	assert_true(tv_is_zero(secret, e->secl));
	assert_int_equal(kex_server_reply(alg, good, e->cl, smsg, secret), 0);
	corrupt(smsg + server_dh_off(e), pl, d);
	memset(secret, 0x55, sizeof(secret));
	assert_int_equal(kex_client_finish(kc, smsg, e->sl, secret),
	    MP_ERR_INVALID_KEY);
	assert_true(tv_is_zero(secret, e->secl));
	kex_client_free(kc);
}

static void
test_invalid_point(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NEXPECT; i++) {
		if (expected[i].curve < 0)
			continue;
		/* all zero u is of low order for X25519; (0, 0) is off the
		 * NIST curves */
		bad_point(&expected[i], ALL_ZERO);
		if (expected[i].curve == ECDH_X25519)
			continue;
		bad_point(&expected[i], OFF_CURVE);
		bad_point(&expected[i], COMPRESSED_PREFIX);
	}
}

/* An X25519 value of order 8 (RFC 7748 / Wycheproof LowOrderPublic). */
static void
test_x25519_low_order(void **state)
{
	static const uint8_t order8[32] = {
		0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae,
		0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
		0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd,
		0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00,
	};
	const struct kex_alg *alg = kex_by_name("x25519-sha256");
	uint8_t smsg[KEX_SERVER_MSG_MAX], secret[KEX_SECRET_MAX];
	uint8_t one[32] = { 1 };

	(void)state;
	assert_int_equal(kex_server_reply(alg, order8, 32, smsg, secret),
	    MP_ERR_INVALID_KEY);
	assert_int_equal(kex_server_reply(alg, one, 32, smsg, secret),
	    MP_ERR_INVALID_KEY);
	assert_true(tv_is_zero(secret, 32));
}

/* ML-KEM: an ek with a coefficient >= q is refused by the server; a
 * damaged ciphertext gives the client a different (implicit-rejection)
 * secret, not an error. */
static void
mlkem_damage(const struct expect *e)
{
	const struct kex_alg *alg = alg_of(e);
	uint8_t cmsg[KEX_CLIENT_MSG_MAX], smsg[KEX_SERVER_MSG_MAX];
	uint8_t ssec[KEX_SECRET_MAX], csec[KEX_SECRET_MAX];
	struct kex_client *kc;

	assert_int_equal(kex_client_start(alg, &kc, cmsg), 0);
	assert_int_equal(kex_server_reply(alg, cmsg, e->cl, smsg, ssec), 0);
	smsg[0] ^= 1;
	assert_int_equal(kex_client_finish(kc, smsg, e->sl, csec), 0);
	assert_memory_not_equal(csec, ssec, e->secl);
	cmsg[0] = 0xff;		/* coefficient 0 becomes 0x?ff | 0xf00 */
	cmsg[1] |= 0x0f;
	assert_int_equal(kex_server_reply(alg, cmsg, e->cl, smsg, ssec),
	    MP_ERR_INVALID_KEY);
	assert_true(tv_is_zero(ssec, e->secl));
	kex_client_free(kc);
}

static void
test_mlkem_damage(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NEXPECT; i++)
		if (expected[i].lvl != 0)
			mlkem_damage(&expected[i]);
}

/* A kex_alg that is not one of the table's own entries is refused. */
static void
test_foreign_alg(void **state)
{
	struct kex_alg copy = *kex_by_name("x25519-sha256");
	uint8_t cmsg[KEX_CLIENT_MSG_MAX], smsg[KEX_SERVER_MSG_MAX];
	uint8_t secret[KEX_SECRET_MAX];
	struct kex_client *kc;

	(void)state;
	assert_int_equal(kex_client_start(&copy, &kc, cmsg),
	    MP_ERR_INVALID_ARGUMENT);
	assert_null(kc);
	memset(cmsg, 9, sizeof(cmsg));
	assert_int_equal(kex_server_reply(&copy, cmsg, 32, smsg, secret),
	    MP_ERR_INVALID_ARGUMENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_construction),
		cmocka_unit_test(test_wrong_length),
		cmocka_unit_test(test_invalid_point),
		cmocka_unit_test(test_x25519_low_order),
		cmocka_unit_test(test_mlkem_damage),
		cmocka_unit_test(test_foreign_alg),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

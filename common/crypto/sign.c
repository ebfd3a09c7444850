/* sign.c: Ed25519 (libsodium) and ECDSA P-256/P-384 (OpenSSL EVP, fixed-size r||s) signature keys. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include "common/err.h"
#include "common/crypto/ec.h"
#include "common/secmem.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

/*
 * Ed25519 policy (pinned by regress/unittests/test_sign.c against the CCTV
 * edge-case vectors):
 * - sig_from_public accepts only a canonical encoding of a point in the
 *   prime-order subgroup (crypto_core_ed25519_is_valid_point), so public
 *   keys that are non-canonical, of low order or with a low-order
 *   component are refused when loaded; real keys, [a]B, always pass.
 * - verification is libsodium's crypto_sign_verify_detached: cofactorless
 *   (sB == R + kA compared as encodings), S must be below L, R must be
 *   canonical and not of low order.
 */

#define SEC1_UNCOMPRESSED	0x04
#define ECDSA_DER_MAX		128	/* P-384 DER is at most 104 bytes */

struct sig_key {
	const struct sig_alg *alg;
	int has_priv;
	uint8_t pub[SIG_PUB_MAX];
	uint8_t priv[SIG_PRIV_MAX];	/* Ed25519 seed or ECDSA scalar */
	uint8_t ed_sk[crypto_sign_SECRETKEYBYTES];	/* seed||pk */
	EVP_PKEY *pkey;			/* ECDSA */
};

static const struct sig_alg sig_algs[] = {
	{ SIG_ED25519, "ed25519", 32, 32, 64 },
	{ SIG_ECDSA_P256, "ecdsa-p256", 65, 32, 64 },
	{ SIG_ECDSA_P384, "ecdsa-p384", 97, 48, 96 },
};
#define NSIG_ALGS	(sizeof(sig_algs) / sizeof(sig_algs[0]))

/* OpenSSL names for the ECDSA curves. */
struct ec_info {
	const char *group;
	int nid;
	const char *md;
};

static const struct ec_info *
ec_info(const struct sig_alg *alg)
{
	static const struct ec_info p256 = {
		"P-256", NID_X9_62_prime256v1, "SHA2-256"
	};
	static const struct ec_info p384 = {
		"P-384", NID_secp384r1, "SHA2-384"
	};

	return alg->type == SIG_ECDSA_P256 ? &p256 : &p384;
}

const struct sig_alg *
sig_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NSIG_ALGS; i++)
		if (strcmp(sig_algs[i].name, name) == 0)
			return &sig_algs[i];
	return NULL;
}

const struct sig_alg *
sig_by_type(enum sig_type type)
{
	size_t i;

	for (i = 0; i < NSIG_ALGS; i++)
		if (sig_algs[i].type == type)
			return &sig_algs[i];
	return NULL;
}

/* Our own table entry, or NULL for a pointer that is not one. */
static const struct sig_alg *
known_alg(const struct sig_alg *alg)
{
	return alg != NULL ? sig_by_type(alg->type) : NULL;
}

/* Full public-key check: on the curve, not infinity, of the group order. */
static int
ec_public_check(EVP_PKEY *pkey)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL)
		return MP_ERR_ALLOC;
	if (!(ok = EVP_PKEY_public_check(ctx) == 1))
		ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : MP_ERR_INVALID_KEY;
}

/* Q = dG, uncompressed, after checking 1 <= d < n. */
static int
ec_pub_from_scalar(const struct sig_alg *alg, const BIGNUM *d, uint8_t *pub)
{
	EC_GROUP *g;
	EC_POINT *q = NULL;
	BN_CTX *bnctx = NULL;
	int r = MP_ERR_LIBCRYPTO;

	if ((g = EC_GROUP_new_by_curve_name(ec_info(alg)->nid)) == NULL)
		return MP_ERR_LIBCRYPTO;
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(g)) >= 0) {
		r = MP_ERR_INVALID_KEY;
		goto out;
	}
	if ((q = EC_POINT_new(g)) == NULL ||
	    (bnctx = BN_CTX_secure_new()) == NULL)
		goto out;
	if (EC_POINT_mul(g, q, d, NULL, NULL, bnctx) == 1 &&
	    EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, pub,
	    alg->pub_len, bnctx) == alg->pub_len)
		r = 0;
out:
	BN_CTX_free(bnctx);
	EC_POINT_free(q);
	EC_GROUP_free(g);
	return r;
}

static int
ecdsa_from_private(struct sig_key *key, const uint8_t *priv)
{
	const struct sig_alg *alg = key->alg;
	BIGNUM *d;
	int r;

	if ((d = BN_secure_new()) == NULL)
		return MP_ERR_ALLOC;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	if (BN_bin2bn(priv, (int)alg->priv_len, d) == NULL)
		r = MP_ERR_LIBCRYPTO;
	else if ((r = ec_pub_from_scalar(alg, d, key->pub)) == 0 &&
	    (key->pkey = ec_import(ec_info(alg)->group, key->pub,
	    alg->pub_len, d)) == NULL)
		r = MP_ERR_LIBCRYPTO;
	BN_clear_free(d);
	if (r == 0)
		memcpy(key->priv, priv, alg->priv_len);
	return r;
}

static int
ed25519_from_private(struct sig_key *key, const uint8_t *seed)
{
	if (crypto_sign_seed_keypair(key->pub, key->ed_sk, seed) != 0)
		return MP_ERR_LIBCRYPTO;
	memcpy(key->priv, seed, crypto_sign_SEEDBYTES);
	return 0;
}

static struct sig_key *
key_new(const struct sig_alg *alg)
{
	struct sig_key *key;

	if ((key = calloc(1, sizeof(*key))) != NULL)
		key->alg = alg;
	return key;
}

int
sig_from_private(const struct sig_alg *alg, const uint8_t *priv,
    size_t priv_len, struct sig_key **out)
{
	struct sig_key *key;
	int r;

	*out = NULL;
	if ((alg = known_alg(alg)) == NULL)
		return MP_ERR_UNKNOWN_ALGORITHM;
	if (priv_len != alg->priv_len)
		return MP_ERR_KEY_LENGTH;
	if ((key = key_new(alg)) == NULL)
		return MP_ERR_ALLOC;
	if (alg->type == SIG_ED25519)
		r = ed25519_from_private(key, priv);
	else
		r = ecdsa_from_private(key, priv);
	if (r != 0) {
		sig_free(key);
		return r;
	}
	key->has_priv = 1;
	*out = key;
	return 0;
}

/* A random private value: any Ed25519 seed; an ECDSA scalar uniform in
 * [1, n-1] by rejection sampling. */
int
sig_generate(const struct sig_alg *alg, struct sig_key **out)
{
	uint8_t priv[SIG_PRIV_MAX];
	int r;

	*out = NULL;
	if ((alg = known_alg(alg)) == NULL)
		return MP_ERR_UNKNOWN_ALGORITHM;
	do {
		mp_random(priv, alg->priv_len);
		r = sig_from_private(alg, priv, alg->priv_len, out);
	} while (r == MP_ERR_INVALID_KEY);
	mp_zero(priv, sizeof(priv));
	return r;
}

static int
ecdsa_from_public(struct sig_key *key, const uint8_t *pub)
{
	const struct sig_alg *alg = key->alg;

	if (pub[0] != SEC1_UNCOMPRESSED)
		return MP_ERR_INVALID_KEY;
	if ((key->pkey = ec_import(ec_info(alg)->group, pub, alg->pub_len,
	    NULL)) == NULL)
		return MP_ERR_INVALID_KEY;
	return ec_public_check(key->pkey);
}

int
sig_from_public(const struct sig_alg *alg, const uint8_t *pub,
    size_t pub_len, struct sig_key **out)
{
	struct sig_key *key;
	int r;

	*out = NULL;
	if ((alg = known_alg(alg)) == NULL)
		return MP_ERR_UNKNOWN_ALGORITHM;
	if (pub_len != alg->pub_len)
		return MP_ERR_KEY_LENGTH;
	if ((key = key_new(alg)) == NULL)
		return MP_ERR_ALLOC;
	if (alg->type == SIG_ED25519)
		r = crypto_core_ed25519_is_valid_point(pub) ? 0 :
		    MP_ERR_INVALID_KEY;
	else
		r = ecdsa_from_public(key, pub);
	if (r != 0) {
		sig_free(key);
		return r;
	}
	memcpy(key->pub, pub, pub_len);
	*out = key;
	return 0;
}

void
sig_free(struct sig_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	mp_free_secret(key, sizeof(*key));
}

const struct sig_alg *
sig_key_alg(const struct sig_key *key)
{
	return key->alg;
}

const uint8_t *
sig_key_pub(const struct sig_key *key)
{
	return key->pub;
}

int
sig_key_has_private(const struct sig_key *key)
{
	return key->has_priv;
}

int
sig_key_priv(const struct sig_key *key, uint8_t *priv)
{
	if (!key->has_priv)
		return MP_ERR_INVALID_ARGUMENT;
	memcpy(priv, key->priv, key->alg->priv_len);
	return 0;
}

int
sig_key_equal(const struct sig_key *a, const struct sig_key *b)
{
	return a->alg == b->alg &&
	    memcmp(a->pub, b->pub, a->alg->pub_len) == 0;
}

/* DER ECDSA-Sig-Value to r||s, each padded to n bytes. */
static int
der_to_rs(const uint8_t *der, size_t der_len, size_t n, uint8_t *sig)
{
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;
	int ret = MP_ERR_LIBCRYPTO;

	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL)
		return MP_ERR_LIBCRYPTO;
	ECDSA_SIG_get0(es, &r, &s);
	if (p == der + der_len && BN_bn2binpad(r, sig, (int)n) == (int)n &&
	    BN_bn2binpad(s, sig + n, (int)n) == (int)n)
		ret = 0;
	ECDSA_SIG_free(es);
	return ret;
}

static int
ecdsa_sign(const struct sig_key *key, const uint8_t *msg, size_t msg_len,
    uint8_t *sig)
{
	uint8_t der[ECDSA_DER_MAX];
	size_t der_len = sizeof(der);
	EVP_MD_CTX *md;
	int r = MP_ERR_LIBCRYPTO;

	if ((md = EVP_MD_CTX_new()) == NULL)
		return MP_ERR_ALLOC;
	if (EVP_DigestSignInit_ex(md, NULL, ec_info(key->alg)->md, NULL, NULL,
	    key->pkey, NULL) == 1 &&
	    EVP_DigestSign(md, der, &der_len, msg, msg_len) == 1)
		r = der_to_rs(der, der_len, key->alg->sig_len / 2, sig);
	EVP_MD_CTX_free(md);
	return r;
}

int
sig_sign(const struct sig_key *key, const uint8_t *msg, size_t msg_len,
    uint8_t *sig)
{
	int r;

	if (!key->has_priv)
		return MP_ERR_INVALID_ARGUMENT;
	if (key->alg->type == SIG_ED25519)
		r = crypto_sign_detached(sig, NULL, msg, msg_len,
		    key->ed_sk) == 0 ? 0 : MP_ERR_LIBCRYPTO;
	else
		r = ecdsa_sign(key, msg, msg_len, sig);
	if (r != 0)
		mp_zero(sig, key->alg->sig_len);
	return r;
}

/* 1 if 1 <= v < n. */
static int
in_scalar_range(const BIGNUM *v, const BIGNUM *n)
{
	return !BN_is_zero(v) && BN_cmp(v, n) < 0;
}

/* r||s (each in [1, n-1]) to a freshly allocated DER encoding. */
static int
rs_to_der(const struct sig_alg *alg, const uint8_t *sig, uint8_t **der,
    int *der_len)
{
	size_t n = alg->sig_len / 2;
	EC_GROUP *g;
	ECDSA_SIG *es = NULL;
	BIGNUM *r, *s;
	int ret = MP_ERR_SIGNATURE;

	*der = NULL;
	r = BN_bin2bn(sig, (int)n, NULL);
	s = BN_bin2bn(sig + n, (int)n, NULL);
	g = EC_GROUP_new_by_curve_name(ec_info(alg)->nid);
	if (r == NULL || s == NULL || g == NULL ||
	    (es = ECDSA_SIG_new()) == NULL) {
		ret = MP_ERR_LIBCRYPTO;
		goto out;
	}
	if (!in_scalar_range(r, EC_GROUP_get0_order(g)) ||
	    !in_scalar_range(s, EC_GROUP_get0_order(g)))
		goto out;
	if (ECDSA_SIG_set0(es, r, s) != 1)
		goto out;
	r = s = NULL;	/* owned by es */
	if ((*der_len = i2d_ECDSA_SIG(es, der)) > 0)
		ret = 0;
out:
	EC_GROUP_free(g);
	ECDSA_SIG_free(es);
	BN_free(r);
	BN_free(s);
	return ret;
}

static int
ecdsa_verify(const struct sig_key *key, const uint8_t *msg, size_t msg_len,
    const uint8_t *sig)
{
	EVP_MD_CTX *md;
	uint8_t *der;
	int der_len, r = MP_ERR_SIGNATURE;

	if (rs_to_der(key->alg, sig, &der, &der_len) != 0)
		return MP_ERR_SIGNATURE;
	if ((md = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit_ex(md, NULL, ec_info(key->alg)->md, NULL,
	    NULL, key->pkey, NULL) == 1 &&
	    EVP_DigestVerify(md, der, (size_t)der_len, msg, msg_len) == 1)
		r = 0;
	else
		ERR_clear_error();	/* a forged signature is expected input */
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	return r;
}

int
sig_verify(const struct sig_key *key, const uint8_t *msg, size_t msg_len,
    const uint8_t *sig, size_t sig_len)
{
	if (sig_len != key->alg->sig_len)
		return MP_ERR_SIGNATURE;
	if (key->alg->type == SIG_ED25519)
		return crypto_sign_verify_detached(sig, msg, msg_len,
		    key->pub) == 0 ? 0 : MP_ERR_SIGNATURE;
	return ecdsa_verify(key, msg, msg_len, sig);
}

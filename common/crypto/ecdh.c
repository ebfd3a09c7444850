/* ecdh.c: raw X25519 (libsodium) and P-256/P-384 ECDH (OpenSSL EVP) with strict public-value checks. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include "common/err.h"
#include "common/crypto/ec.h"
#include "common/secmem.h"
#include "common/crypto/ecdh.h"
#include "common/crypto/random.h"

#define SEC1_UNCOMPRESSED	0x04

static const char *
group_name(enum ecdh_curve c)
{
	return c == ECDH_P256 ? "P-256" : "P-384";
}

size_t
ecdh_pub_len(enum ecdh_curve c)
{
	switch (c) {
	case ECDH_X25519:
		return crypto_scalarmult_BYTES;
	case ECDH_P256:
		return 65;
	case ECDH_P384:
		return 97;
	}
	return 0;
}

size_t
ecdh_priv_len(enum ecdh_curve c)
{
	switch (c) {
	case ECDH_X25519:
		return crypto_scalarmult_SCALARBYTES;
	case ECDH_P256:
		return 32;
	case ECDH_P384:
		return 48;
	}
	return 0;
}

size_t
ecdh_secret_len(enum ecdh_curve c)
{
	return ecdh_priv_len(c);
}

/* The peer's point: exactly 0x04||X||Y of the curve's size, on the curve. */
static int
import_peer(enum ecdh_curve c, const uint8_t *peer, size_t peer_len,
    EVP_PKEY **out)
{
	if (peer_len != ecdh_pub_len(c))
		return MP_ERR_KEY_LENGTH;
	if (peer[0] != SEC1_UNCOMPRESSED)
		return MP_ERR_INVALID_KEY;
	if ((*out = ec_import(group_name(c), peer, peer_len, NULL)) == NULL)
		return MP_ERR_INVALID_KEY;
	return 0;
}

/* Our private scalar, big-endian, ecdh_priv_len() bytes. */
static int
import_priv(enum ecdh_curve c, const uint8_t *priv, EVP_PKEY **out)
{
	BIGNUM *bn;

	if ((bn = BN_secure_new()) == NULL)
		return MP_ERR_ALLOC;
	if (BN_bin2bn(priv, (int)ecdh_priv_len(c), bn) == NULL) {
		BN_clear_free(bn);
		return MP_ERR_LIBCRYPTO;
	}
	*out = ec_import(group_name(c), NULL, 0, bn);
	BN_clear_free(bn);
	return *out == NULL ? MP_ERR_INVALID_KEY : 0;
}

static int
nist_keygen(enum ecdh_curve c, uint8_t *priv, uint8_t *pub)
{
	EVP_PKEY *pkey;
	BIGNUM *bn = NULL;
	size_t len = 0;
	int r = MP_ERR_LIBCRYPTO;

	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group_name(c))) ==
	    NULL)
		return MP_ERR_LIBCRYPTO;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn) != 1 ||
	    BN_bn2binpad(bn, priv, (int)ecdh_priv_len(c)) < 0)
		goto out;
	if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, ecdh_pub_len(c), &len) != 1 || len != ecdh_pub_len(c) ||
	    pub[0] != SEC1_UNCOMPRESSED)
		goto out;
	r = 0;
out:
	if (r != 0) {
		mp_zero(priv, ecdh_priv_len(c));
		ERR_clear_error();
	}
	BN_clear_free(bn);
	EVP_PKEY_free(pkey);
	return r;
}

/* Derive with our imported key; the peer is checked again by OpenSSL
 * (on the curve, not infinity, of the group order). */
static int
nist_derive_keys(enum ecdh_curve c, EVP_PKEY *ours, EVP_PKEY *theirs,
    uint8_t *secret)
{
	EVP_PKEY_CTX *ctx;
	size_t len = ecdh_secret_len(c);
	int r = MP_ERR_LIBCRYPTO;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, ours, NULL)) == NULL)
		return MP_ERR_ALLOC;
	if (EVP_PKEY_private_check(ctx) != 1)	/* scalar in [1, n-1] */
		r = MP_ERR_INVALID_KEY;
	else if (EVP_PKEY_derive_init(ctx) != 1)
		r = MP_ERR_LIBCRYPTO;
	else if (EVP_PKEY_derive_set_peer_ex(ctx, theirs, 1) != 1)
		r = MP_ERR_INVALID_KEY;
	else if (EVP_PKEY_derive(ctx, secret, &len) == 1 &&
	    len == ecdh_secret_len(c))
		r = 0;
	EVP_PKEY_CTX_free(ctx);
	return r;
}

static int
nist_derive(enum ecdh_curve c, const uint8_t *priv, const uint8_t *peer,
    size_t peer_len, uint8_t *secret)
{
	EVP_PKEY *ours = NULL, *theirs = NULL;
	int r;

	if ((r = import_peer(c, peer, peer_len, &theirs)) == 0 &&
	    (r = import_priv(c, priv, &ours)) == 0)
		r = nist_derive_keys(c, ours, theirs, secret);
	EVP_PKEY_free(ours);
	EVP_PKEY_free(theirs);
	if (r != 0)
		ERR_clear_error();	/* a refused value is expected input */
	return r;
}

int
ecdh_keygen(enum ecdh_curve c, uint8_t *priv, uint8_t *pub)
{
	switch (c) {
	case ECDH_X25519:
		mp_random(priv, crypto_scalarmult_SCALARBYTES);
		if (crypto_scalarmult_base(pub, priv) != 0) {
			mp_zero(priv, crypto_scalarmult_SCALARBYTES);
			return MP_ERR_LIBCRYPTO;
		}
		return 0;
	case ECDH_P256:
	case ECDH_P384:
		return nist_keygen(c, priv, pub);
	}
	return MP_ERR_INVALID_ARGUMENT;
}

/*
 * X25519 takes any 32-byte u value, as RFC 7748 says: the top bit is
 * ignored and non-canonical values (u >= p) are reduced. A low-order peer
 * value gives an all-zero result, which libsodium reports as an error and
 * which we refuse.
 */
static int
x25519_derive(const uint8_t *priv, const uint8_t *peer, size_t peer_len,
    uint8_t *secret)
{
	if (peer_len != crypto_scalarmult_BYTES)
		return MP_ERR_KEY_LENGTH;
	if (crypto_scalarmult(secret, priv, peer) != 0)
		return MP_ERR_INVALID_KEY;
	return 0;
}

int
ecdh_derive(enum ecdh_curve c, const uint8_t *priv, const uint8_t *peer,
    size_t peer_len, uint8_t *secret)
{
	int r;

	switch (c) {
	case ECDH_X25519:
		r = x25519_derive(priv, peer, peer_len, secret);
		break;
	case ECDH_P256:
	case ECDH_P384:
		r = nist_derive(c, priv, peer, peer_len, secret);
		break;
	default:
		return MP_ERR_INVALID_ARGUMENT;
	}
	if (r != 0)
		mp_zero(secret, ecdh_secret_len(c));
	return r;
}

/* hash.c: SHA-2 digests and HMAC through OpenSSL's EVP, HKDF over that HMAC, and the kdf/mac name tables. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/hash.h"

#define NHASH	3

struct hash_info {
	const char *name;	/* protocol spelling */
	const char *ossl;	/* OpenSSL's name */
	size_t len;
};

static const struct hash_info hashes[NHASH] = {
	[HASH_SHA256] = { "sha256", "SHA2-256", 32 },
	[HASH_SHA384] = { "sha384", "SHA2-384", 48 },
	[HASH_SHA512] = { "sha512", "SHA2-512", 64 },
};

/* Algorithm objects fetched once: digests and one HMAC context per digest
 * with its digest set but no key, duplicated for every use. */
static EVP_MD *mds[NHASH];
static EVP_MAC_CTX *hmac_tmpl[NHASH];
static int fetch_err;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

struct hash_ctx {
	EVP_MD_CTX *md;
	enum hash_alg alg;
	int finished;
};

static int
fetch_one(EVP_MAC *mac, int i)
{
	OSSL_PARAM params[2];

	if ((mds[i] = EVP_MD_fetch(NULL, hashes[i].ossl, NULL)) == NULL)
		return -1;
	if ((hmac_tmpl[i] = EVP_MAC_CTX_new(mac)) == NULL)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)hashes[i].ossl, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_CTX_set_params(hmac_tmpl[i], params) != 1)
		return -1;
	return 0;
}

static void
fetch_all(void)
{
	EVP_MAC *mac;
	int i;

	fetch_err = MP_ERR_LIBCRYPTO;
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return;
	for (i = 0; i < NHASH; i++)
		if (fetch_one(mac, i) != 0)
			break;
	/* the contexts hold their own reference to the MAC */
	EVP_MAC_free(mac);
	if (i == NHASH)
		fetch_err = 0;
}

/* 0 when alg is known and the algorithm objects are available. */
static int
ready(enum hash_alg alg)
{
	if ((unsigned)alg >= NHASH)
		return MP_ERR_INVALID_ARGUMENT;
	if (pthread_once(&fetch_once, fetch_all) != 0)
		return MP_ERR_INTERNAL;
	return fetch_err;
}

size_t
hash_len(enum hash_alg alg)
{
	return (unsigned)alg < NHASH ? hashes[alg].len : 0;
}

const char *
hash_name(enum hash_alg alg)
{
	return (unsigned)alg < NHASH ? hashes[alg].name : NULL;
}

int
hash_digest(enum hash_alg alg, const void *data, size_t len, uint8_t *out)
{
	int r;

	if ((r = ready(alg)) != 0)
		return r;
	if (EVP_Digest(data, len, out, NULL, mds[alg], NULL) != 1)
		return MP_ERR_LIBCRYPTO;
	return 0;
}

struct hash_ctx *
hash_new(enum hash_alg alg)
{
	struct hash_ctx *ctx;

	if (ready(alg) != 0)
		return NULL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return NULL;
	ctx->alg = alg;
	if ((ctx->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex2(ctx->md, mds[alg], NULL) != 1) {
		hash_free(ctx);
		return NULL;
	}
	return ctx;
}

int
hash_update(struct hash_ctx *ctx, const void *data, size_t len)
{
	if (ctx->finished)
		return MP_ERR_INVALID_ARGUMENT;
	if (EVP_DigestUpdate(ctx->md, data, len) != 1)
		return MP_ERR_LIBCRYPTO;
	return 0;
}

int
hash_final(struct hash_ctx *ctx, uint8_t *out)
{
	if (ctx->finished)
		return MP_ERR_INVALID_ARGUMENT;
	ctx->finished = 1;
	if (EVP_DigestFinal_ex(ctx->md, out, NULL) != 1)
		return MP_ERR_LIBCRYPTO;
	return 0;
}

void
hash_free(struct hash_ctx *ctx)
{
	if (ctx == NULL)
		return;
	EVP_MD_CTX_free(ctx->md);
	free(ctx);
}

/* A fresh HMAC context keyed with key (the caller checked ready()). */
static EVP_MAC_CTX *
mac_start(enum hash_alg alg, const uint8_t *key, size_t key_len)
{
	static const uint8_t nokey[1];
	EVP_MAC_CTX *c;

	if ((c = EVP_MAC_CTX_dup(hmac_tmpl[alg])) == NULL)
		return NULL;
	if (EVP_MAC_init(c, key_len > 0 ? key : nokey, key_len, NULL) != 1) {
		EVP_MAC_CTX_free(c);
		return NULL;
	}
	return c;
}

/* Finish c into out (hash_len bytes) and free it. */
static int
mac_finish(EVP_MAC_CTX *c, enum hash_alg alg, uint8_t *out)
{
	size_t outl = 0;
	int ok;

	ok = EVP_MAC_final(c, out, &outl, hashes[alg].len) == 1 &&
	    outl == hashes[alg].len;
	EVP_MAC_CTX_free(c);
	return ok ? 0 : MP_ERR_LIBCRYPTO;
}

int
hmac(enum hash_alg alg, const uint8_t *key, size_t key_len,
    const void *data, size_t len, uint8_t *out)
{
	EVP_MAC_CTX *c;
	int r;

	if ((r = ready(alg)) != 0)
		return r;
	if ((c = mac_start(alg, key, key_len)) == NULL)
		return MP_ERR_LIBCRYPTO;
	if (EVP_MAC_update(c, data, len) != 1) {
		EVP_MAC_CTX_free(c);
		return MP_ERR_LIBCRYPTO;
	}
	return mac_finish(c, alg, out);
}

int
hmac_verify(enum hash_alg alg, const uint8_t *key, size_t key_len,
    const void *data, size_t len, const uint8_t *tag, size_t tag_len)
{
	uint8_t mac[HASH_MAX_BYTES];
	int r;

	if (tag_len == 0 || tag_len > hash_len(alg))
		return MP_ERR_AUTH;
	if ((r = hmac(alg, key, key_len, data, len, mac)) == 0 &&
	    !mp_ct_equal(mac, tag, tag_len))
		r = MP_ERR_AUTH;
	mp_zero(mac, sizeof(mac));
	return r;
}

/* HKDF-Expand block i: T(i) = HMAC(prk, T(i-1) || info || i). */
static int
hkdf_block(enum hash_alg alg, const uint8_t *prk, const uint8_t *prev,
    size_t prev_len, const uint8_t *info, size_t info_len, uint8_t i,
    uint8_t *t)
{
	EVP_MAC_CTX *c;

	if ((c = mac_start(alg, prk, hashes[alg].len)) == NULL)
		return MP_ERR_LIBCRYPTO;
	if (EVP_MAC_update(c, prev, prev_len) != 1 ||
	    EVP_MAC_update(c, info, info_len) != 1 ||
	    EVP_MAC_update(c, &i, 1) != 1) {
		EVP_MAC_CTX_free(c);
		return MP_ERR_LIBCRYPTO;
	}
	return mac_finish(c, alg, t);
}

static int
hkdf_expand(enum hash_alg alg, const uint8_t *prk, const uint8_t *info,
    size_t info_len, uint8_t *out, size_t out_len)
{
	uint8_t t[HASH_MAX_BYTES];
	size_t hl = hashes[alg].len, done = 0, n;
	uint8_t i;
	int r = 0;

	for (i = 1; done < out_len; i++) {
		if ((r = hkdf_block(alg, prk, t, i == 1 ? 0 : hl, info,
		    info_len, i, t)) != 0)
			break;
		n = out_len - done < hl ? out_len - done : hl;
		memcpy(out + done, t, n);
		done += n;
	}
	mp_zero(t, sizeof(t));
	return r;
}

int
hkdf(enum hash_alg alg, const uint8_t *salt, size_t salt_len,
    const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len,
    uint8_t *out, size_t out_len)
{
	uint8_t prk[HASH_MAX_BYTES];
	int r;

	if ((r = ready(alg)) != 0)
		return r;
	if (out_len > 255 * hashes[alg].len)
		return MP_ERR_TOO_LARGE;
	/* an absent salt is hash_len zeros, which HMAC treats as empty */
	if ((r = hmac(alg, salt, salt_len, ikm, ikm_len, prk)) == 0)
		r = hkdf_expand(alg, prk, info, info_len, out, out_len);
	mp_zero(prk, sizeof(prk));
	if (r != 0)
		mp_zero(out, out_len);
	return r;
}

static const struct {
	const char *name;
	enum hash_alg alg;
} kdf_names[] = {
	{ "hkdf-sha256", HASH_SHA256 },
	{ "hkdf-sha384", HASH_SHA384 },
	{ "hkdf-sha512", HASH_SHA512 },
}, mac_names[] = {
	{ "hmac-sha256", HASH_SHA256 },
	{ "hmac-sha512", HASH_SHA512 },
};

int
kdf_by_name(const char *name, enum hash_alg *alg)
{
	size_t i;

	for (i = 0; i < sizeof(kdf_names) / sizeof(kdf_names[0]); i++)
		if (strcmp(name, kdf_names[i].name) == 0) {
			*alg = kdf_names[i].alg;
			return 0;
		}
	return MP_ERR_UNKNOWN_ALGORITHM;
}

int
mac_by_name(const char *name, int *is_hmac, enum hash_alg *alg)
{
	size_t i;

	if (strcmp(name, "implicit") == 0) {
		*is_hmac = 0;
		*alg = HASH_SHA256;	/* unused; set so it is never garbage */
		return 0;
	}
	for (i = 0; i < sizeof(mac_names) / sizeof(mac_names[0]); i++)
		if (strcmp(name, mac_names[i].name) == 0) {
			*is_hmac = 1;
			*alg = mac_names[i].alg;
			return 0;
		}
	return MP_ERR_UNKNOWN_ALGORITHM;
}

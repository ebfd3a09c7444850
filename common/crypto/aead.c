/* aead.c: the AEAD ciphers by name over GCM-SIV (own code), AES-256-GCM (OpenSSL EVP) and ChaCha20-Poly1305 (libsodium). */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/aead.h"
#include "common/crypto/gcmsiv.h"

enum aead_kind {
	AEAD_GCMSIV,
	AEAD_GCM,
	AEAD_CHACHA,
};

static const struct aead_entry {
	struct aead_alg alg;
	enum aead_kind kind;
} aeads[] = {
	{ { "aes256-gcm-siv", 32 }, AEAD_GCMSIV },
	{ { "aes256-gcm", 32 }, AEAD_GCM },
	{ { "chacha20-poly1305", 32 }, AEAD_CHACHA },
	{ { "aes128-gcm-siv", 16 }, AEAD_GCMSIV },
};
#define NAEAD	(sizeof(aeads) / sizeof(aeads[0]))

struct aead_ctx {
	enum aead_kind kind;
	uint8_t key[AEAD_KEY_MAX];
	size_t key_len;
	EVP_CIPHER_CTX *enc;		/* AES-GCM, keyed once, per direction */
	EVP_CIPHER_CTX *dec;
	struct gcmsiv_ctx *siv;
};

/* AES-256-GCM fetched once. */
static EVP_CIPHER *gcm_cipher;
static pthread_once_t gcm_once = PTHREAD_ONCE_INIT;

static void
gcm_fetch(void)
{
	gcm_cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

const struct aead_alg *
aead_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NAEAD; i++)
		if (strcmp(name, aeads[i].alg.name) == 0)
			return &aeads[i].alg;
	return NULL;
}

/* The table entry of alg, or NULL when alg is not one of ours. */
static const struct aead_entry *
entry_of(const struct aead_alg *alg)
{
	size_t i;

	for (i = 0; i < NAEAD; i++)
		if (alg == &aeads[i].alg)
			return &aeads[i];
	return NULL;
}

static int
gcm_setup(struct aead_ctx *ctx)
{
	if (pthread_once(&gcm_once, gcm_fetch) != 0 || gcm_cipher == NULL)
		return -1;
	if ((ctx->enc = EVP_CIPHER_CTX_new()) == NULL ||
	    (ctx->dec = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_EncryptInit_ex2(ctx->enc, gcm_cipher, ctx->key, NULL,
	    NULL) != 1 ||
	    EVP_DecryptInit_ex2(ctx->dec, gcm_cipher, ctx->key, NULL,
	    NULL) != 1)
		return -1;
	return 0;
}

struct aead_ctx *
aead_new(const struct aead_alg *alg, const uint8_t *key, size_t key_len)
{
	const struct aead_entry *e;
	struct aead_ctx *ctx;
	int r = 0;

	if (alg == NULL || (e = entry_of(alg)) == NULL ||
	    key_len != alg->key_len)
		return NULL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return NULL;
	ctx->kind = e->kind;
	ctx->key_len = key_len;
	memcpy(ctx->key, key, key_len);
	if (ctx->kind == AEAD_GCMSIV)
		r = (ctx->siv = gcmsiv_new(key, key_len)) == NULL ? -1 : 0;
	else if (ctx->kind == AEAD_GCM)
		r = gcm_setup(ctx);
	if (r != 0) {
		aead_free(ctx);
		return NULL;
	}
	return ctx;
}

void
aead_free(struct aead_ctx *ctx)
{
	if (ctx == NULL)
		return;
	EVP_CIPHER_CTX_free(ctx->enc);
	EVP_CIPHER_CTX_free(ctx->dec);
	gcmsiv_free(ctx->siv);
	mp_free_secret(ctx, sizeof(*ctx));
}

static int
gcm_seal(struct aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,
    size_t aad_len, const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	EVP_CIPHER_CTX *c = ctx->enc;
	int n;

	if (aad_len > INT_MAX || pt_len > INT_MAX)
		return MP_ERR_TOO_LARGE;
	if (EVP_EncryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1 ||
	    (aad_len > 0 &&
	    EVP_EncryptUpdate(c, NULL, &n, aad, (int)aad_len) != 1) ||
	    (pt_len > 0 &&
	    EVP_EncryptUpdate(c, out, &n, pt, (int)pt_len) != 1) ||
	    EVP_EncryptFinal_ex(c, out + pt_len, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, AEAD_TAG_BYTES,
	    out + pt_len) != 1)
		return MP_ERR_LIBCRYPTO;
	return 0;
}

/* ct_len excludes the tag, which follows the ciphertext. */
static int
gcm_open(struct aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,
    size_t aad_len, const uint8_t *ct, size_t ct_len, uint8_t *out)
{
	EVP_CIPHER_CTX *c = ctx->dec;
	uint8_t tag[AEAD_TAG_BYTES];
	int n;

	if (aad_len > INT_MAX || ct_len > INT_MAX)
		return MP_ERR_TOO_LARGE;
	memcpy(tag, ct + ct_len, sizeof(tag));
	if (EVP_DecryptInit_ex2(c, NULL, NULL, nonce, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, sizeof(tag),
	    tag) != 1 ||
	    (aad_len > 0 &&
	    EVP_DecryptUpdate(c, NULL, &n, aad, (int)aad_len) != 1) ||
	    (ct_len > 0 &&
	    EVP_DecryptUpdate(c, out, &n, ct, (int)ct_len) != 1))
		return MP_ERR_LIBCRYPTO;
	if (EVP_DecryptFinal_ex(c, out + ct_len, &n) != 1)
		return MP_ERR_AUTH;
	return 0;
}

static int
chacha_seal(struct aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,
    size_t aad_len, const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	if (pt_len > crypto_aead_chacha20poly1305_ietf_MESSAGEBYTES_MAX)
		return MP_ERR_TOO_LARGE;
	if (crypto_aead_chacha20poly1305_ietf_encrypt_detached(out,
	    out + pt_len, NULL, pt, pt_len, aad, aad_len, NULL, nonce,
	    ctx->key) != 0)
		return MP_ERR_LIBCRYPTO;
	return 0;
}

/* ct_len excludes the tag, which follows the ciphertext. */
static int
chacha_open(struct aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,
    size_t aad_len, const uint8_t *ct, size_t ct_len, uint8_t *out)
{
	if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, NULL,
	    ct, ct_len, ct + ct_len, aad, aad_len, nonce, ctx->key) != 0)
		return MP_ERR_AUTH;
	return 0;
}

int
aead_seal(struct aead_ctx *ctx, const uint8_t nonce[AEAD_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len,
    uint8_t *out)
{
	if (pt_len > SIZE_MAX - AEAD_TAG_BYTES)
		return MP_ERR_TOO_LARGE;
	switch (ctx->kind) {
	case AEAD_GCMSIV:
		return gcmsiv_seal(ctx->siv, nonce, aad, aad_len, pt, pt_len,
		    out);
	case AEAD_GCM:
		return gcm_seal(ctx, nonce, aad, aad_len, pt, pt_len, out);
	case AEAD_CHACHA:
		return chacha_seal(ctx, nonce, aad, aad_len, pt, pt_len, out);
	}
	return MP_ERR_INTERNAL;
}

int
aead_open(struct aead_ctx *ctx, const uint8_t nonce[AEAD_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len,
    uint8_t *out)
{
	size_t len;
	int r = MP_ERR_INTERNAL;

	if (ct_len < AEAD_TAG_BYTES)
		return MP_ERR_INCOMPLETE;
	len = ct_len - AEAD_TAG_BYTES;
	switch (ctx->kind) {
	case AEAD_GCMSIV:
		r = gcmsiv_open(ctx->siv, nonce, aad, aad_len, ct, ct_len, out);
		break;
	case AEAD_GCM:
		r = gcm_open(ctx, nonce, aad, aad_len, ct, len, out);
		break;
	case AEAD_CHACHA:
		r = chacha_open(ctx, nonce, aad, aad_len, ct, len, out);
		break;
	}
	if (r != 0)
		mp_zero(out, len);
	return r;
}

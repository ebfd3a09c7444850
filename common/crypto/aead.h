/* aead.h: the AEAD ciphers by protocol name: AES-256-GCM-SIV, AES-128-GCM-SIV, AES-256-GCM, ChaCha20-Poly1305. */
#ifndef MP_AEAD_H
#define MP_AEAD_H

#include <stddef.h>
#include <stdint.h>

#define AEAD_NONCE_BYTES	12	/* every cipher here takes a 96-bit nonce */
#define AEAD_TAG_BYTES		16
#define AEAD_KEY_MAX		32

struct aead_alg {
	const char *name;	/* "aes256-gcm-siv", "aes256-gcm", ... */
	size_t key_len;
};

/* Lookup by protocol name; NULL if unknown. */
const struct aead_alg *aead_by_name(const char *name);
/* Comma-separated list of all names, the default first. */
#define AEAD_DEFAULT_LIST \
	"aes256-gcm-siv,aes256-gcm,chacha20-poly1305,aes128-gcm-siv"

struct aead_ctx;

/* A keyed context; keeps its own copy of the key, zeroed by aead_free().
 * NULL on bad key length or allocation failure. */
struct aead_ctx *aead_new(const struct aead_alg *alg, const uint8_t *key,
    size_t key_len);
void aead_free(struct aead_ctx *ctx);

/* Seal: out receives pt_len + AEAD_TAG_BYTES bytes (ciphertext, then tag).
 * out may equal pt (in place). Returns 0 or mp_err. */
int aead_seal(struct aead_ctx *ctx, const uint8_t nonce[AEAD_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len,
    uint8_t *out);

/* Open: ct is ciphertext then tag (ct_len >= AEAD_TAG_BYTES, else
 * MP_ERR_INCOMPLETE); out receives ct_len - AEAD_TAG_BYTES bytes and may
 * equal ct. A bad tag returns MP_ERR_AUTH and leaves out zeroed. */
int aead_open(struct aead_ctx *ctx, const uint8_t nonce[AEAD_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len,
    uint8_t *out);

#endif

/* gcmsiv.h: AES-128/256-GCM-SIV (RFC 8452), the project's own POLYVAL on OpenSSL's AES block cipher. */
#ifndef MP_GCMSIV_H
#define MP_GCMSIV_H

#include <stddef.h>
#include <stdint.h>

#define GCMSIV_NONCE_BYTES	12
#define GCMSIV_TAG_BYTES	16

/* A context re-keys its AES state for every message: one thread at a time. */
struct gcmsiv_ctx;

/* Key of 16 (AES-128-GCM-SIV) or 32 bytes (AES-256-GCM-SIV). The context
 * keeps its own copy of the key-generating key; gcmsiv_free() zeroes it.
 * Returns NULL on a bad key length or allocation failure. */
struct gcmsiv_ctx *gcmsiv_new(const uint8_t *key, size_t key_len);
void gcmsiv_free(struct gcmsiv_ctx *ctx);

/* Seal pt into out (pt_len + 16 bytes: ciphertext then tag). out may equal
 * pt. Returns 0 or a negative mp_err code. */
int gcmsiv_seal(struct gcmsiv_ctx *ctx, const uint8_t nonce[GCMSIV_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len,
    uint8_t *out);

/* Open ct (ciphertext then tag, ct_len >= 16) into out (ct_len - 16 bytes).
 * out may equal ct. On a bad tag returns MP_ERR_AUTH and zeroes out. */
int gcmsiv_open(struct gcmsiv_ctx *ctx, const uint8_t nonce[GCMSIV_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len,
    uint8_t *out);

#endif

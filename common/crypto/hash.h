/* hash.h: SHA-2, HMAC and HKDF (OpenSSL), and the protocol's mac and kdf name tables. */
#ifndef MP_HASH_H
#define MP_HASH_H

#include <stddef.h>
#include <stdint.h>

enum hash_alg {
	HASH_SHA256,
	HASH_SHA384,
	HASH_SHA512,
};
#define HASH_MAX_BYTES	64

size_t hash_len(enum hash_alg alg);		/* 32 / 48 / 64 */
const char *hash_name(enum hash_alg alg);	/* "sha256" ... */

/* One-shot digest; out holds hash_len(alg) bytes. Returns 0 or mp_err. */
int hash_digest(enum hash_alg alg, const void *data, size_t len, uint8_t *out);

/* Incremental digest (the handshake transcript). */
struct hash_ctx;
struct hash_ctx *hash_new(enum hash_alg alg);	/* NULL on failure */
int hash_update(struct hash_ctx *ctx, const void *data, size_t len);
/* Writes hash_len() bytes; the context may not be updated afterwards. */
int hash_final(struct hash_ctx *ctx, uint8_t *out);
void hash_free(struct hash_ctx *ctx);

/* HMAC; out holds hash_len(alg) bytes. */
int hmac(enum hash_alg alg, const uint8_t *key, size_t key_len,
    const void *data, size_t len, uint8_t *out);
/* Constant-time check of a (possibly truncated) tag of tag_len bytes,
 * 1 <= tag_len <= hash_len(alg): 0 or MP_ERR_AUTH. */
int hmac_verify(enum hash_alg alg, const uint8_t *key, size_t key_len,
    const void *data, size_t len, const uint8_t *tag, size_t tag_len);

/* HKDF (RFC 5869) extract-and-expand. out_len may be at most
 * 255 * hash_len(alg) (else MP_ERR_TOO_LARGE). salt may be NULL/0. out
 * must not overlap the inputs. */
int hkdf(enum hash_alg alg, const uint8_t *salt, size_t salt_len,
    const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len,
    uint8_t *out, size_t out_len);

/* Protocol names: kdf "hkdf-sha256|384|512"; mac "implicit" (the AEAD tag
 * alone), "hmac-sha256", "hmac-sha512". Return 0 and set *alg, or
 * MP_ERR_UNKNOWN_ALGORITHM. For "implicit", *is_hmac is set to 0. */
int kdf_by_name(const char *name, enum hash_alg *alg);
int mac_by_name(const char *name, int *is_hmac, enum hash_alg *alg);

/* Comma-separated default lists in preference order. */
#define KDF_DEFAULT_LIST	"hkdf-sha256,hkdf-sha384,hkdf-sha512"
#define MAC_DEFAULT_LIST	"implicit,hmac-sha512,hmac-sha256"

#endif

/* sign.h: identity and host signature keys by protocol name: Ed25519 (libsodium), ECDSA P-256/P-384 (OpenSSL). */
#ifndef MP_SIGN_H
#define MP_SIGN_H

#include <stddef.h>
#include <stdint.h>

enum sig_type {
	SIG_ED25519,
	SIG_ECDSA_P256,
	SIG_ECDSA_P384,
	/* SIG_MLDSA65 comes later: the key file format leaves room for it. */
};

#define SIG_PUB_MAX	97	/* uncompressed P-384 point */
#define SIG_PRIV_MAX	48
#define SIG_MAX		96	/* P-384 r||s */

struct sig_alg {
	enum sig_type type;
	const char *name;	/* "ed25519", "ecdsa-p256", "ecdsa-p384" */
	size_t pub_len;		/* 32 / 65 (0x04||X||Y) / 97 */
	size_t priv_len;	/* 32 (Ed25519 seed) / 32 / 48 (scalar) */
	size_t sig_len;		/* 64 / 64 (r||s) / 96 */
};

const struct sig_alg *sig_by_name(const char *name);	/* NULL if unknown */
const struct sig_alg *sig_by_type(enum sig_type type);
#define SIG_DEFAULT_LIST "ed25519,ecdsa-p256,ecdsa-p384"

/* A public key, optionally with its private half. The private half is
 * kept in memory that sig_free() zeroes. */
struct sig_key;

int sig_generate(const struct sig_alg *alg, struct sig_key **out);
/* From the private value; the public key is derived. */
int sig_from_private(const struct sig_alg *alg, const uint8_t *priv,
    size_t priv_len, struct sig_key **out);
/* From a public value, validated (on the curve, right length). */
int sig_from_public(const struct sig_alg *alg, const uint8_t *pub,
    size_t pub_len, struct sig_key **out);
void sig_free(struct sig_key *key);

const struct sig_alg *sig_key_alg(const struct sig_key *key);
const uint8_t *sig_key_pub(const struct sig_key *key);	/* alg->pub_len */
int sig_key_has_private(const struct sig_key *key);
/* Copies the private value (alg->priv_len bytes); MP_ERR_INVALID_ARGUMENT
 * for a public-only key. */
int sig_key_priv(const struct sig_key *key, uint8_t *priv);
/* 1 if both keys have the same algorithm and public value. */
int sig_key_equal(const struct sig_key *a, const struct sig_key *b);

/* Sign msg: Ed25519 (pure), or ECDSA over SHA-256 / SHA-384 with the
 * fixed-size r||s encoding. sig receives alg->sig_len bytes. */
int sig_sign(const struct sig_key *key, const uint8_t *msg, size_t msg_len,
    uint8_t *sig);
/* 0 if sig is valid, MP_ERR_SIGNATURE otherwise (also for a wrong length). */
int sig_verify(const struct sig_key *key, const uint8_t *msg, size_t msg_len,
    const uint8_t *sig, size_t sig_len);

#endif

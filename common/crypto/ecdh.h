/* ecdh.h: raw Diffie-Hellman on X25519 (libsodium) and P-256/P-384 (OpenSSL), with public-value validation. */
#ifndef MP_ECDH_H
#define MP_ECDH_H

#include <stddef.h>
#include <stdint.h>

enum ecdh_curve {
	ECDH_X25519,
	ECDH_P256,
	ECDH_P384,
};
#define ECDH_PUB_MAX	97	/* uncompressed P-384 point */
#define ECDH_PRIV_MAX	48
#define ECDH_SECRET_MAX	48

size_t ecdh_pub_len(enum ecdh_curve c);		/* 32 / 65 / 97 */
size_t ecdh_priv_len(enum ecdh_curve c);	/* 32 / 32 / 48 */
size_t ecdh_secret_len(enum ecdh_curve c);	/* 32 / 32 / 48 */

/* Fresh key pair: priv (big-endian scalar for the NIST curves) and pub. */
int ecdh_keygen(enum ecdh_curve c, uint8_t *priv, uint8_t *pub);

/* Shared secret from our private value and the peer's public value.
 * The peer value must be exactly ecdh_pub_len() bytes (uncompressed, on the
 * curve) or MP_ERR_INVALID_KEY / MP_ERR_KEY_LENGTH; an all-zero X25519
 * result is MP_ERR_INVALID_KEY. */
int ecdh_derive(enum ecdh_curve c, const uint8_t *priv, const uint8_t *peer,
    size_t peer_len, uint8_t *secret);

#endif

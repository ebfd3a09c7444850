/* ec.h: import of P-256/P-384 keys into OpenSSL, shared by ECDH and ECDSA. */
#ifndef MP_EC_H
#define MP_EC_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

/* An EC key of the named group ("P-256", "P-384") from a public point
 * (may be NULL) and optionally a private scalar (a secure BIGNUM, so the
 * parameter block is cleared on free). OpenSSL validates what it imports.
 * NULL on any failure; the OpenSSL error queue is cleared. */
EVP_PKEY *ec_import(const char *group, const uint8_t *pub, size_t pub_len,
    const BIGNUM *priv);

#endif

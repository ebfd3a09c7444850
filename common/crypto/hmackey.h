/* hmackey.h: a keyed HMAC-SHA-256/512 that tags and checks many messages without allocating (the UDP record MAC). */
#ifndef MP_HMACKEY_H
#define MP_HMACKEY_H

#include <stddef.h>
#include <stdint.h>

#include "common/crypto/hash.h"

struct hmac_key;

/* HASH_SHA256 or HASH_SHA512 (else NULL, as on allocation failure). The
 * key is absorbed once; hmac_key_free() erases the state. */
struct hmac_key *hmac_key_new(enum hash_alg alg, const uint8_t *key,
    size_t key_len);
void hmac_key_free(struct hmac_key *k);
/* The full tag (hash_len(alg) bytes) of data. */
void hmac_key_tag(const struct hmac_key *k, const void *data, size_t len,
    uint8_t *tag);
/* 0 if tag (exactly hash_len(alg) bytes) is right, else MP_ERR_AUTH;
 * compared in constant time. */
int hmac_key_check(const struct hmac_key *k, const void *data, size_t len,
    const uint8_t *tag);

#endif

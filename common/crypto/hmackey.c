/* hmackey.c: keyed HMAC-SHA-256/512 on libsodium's precomputed states, copied per message so nothing is allocated. */
#include <stdlib.h>
#include <sodium.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/hmackey.h"

struct hmac_key {
	enum hash_alg alg;
	union {
		crypto_auth_hmacsha256_state s256;
		crypto_auth_hmacsha512_state s512;
	} keyed;		/* after absorbing the key */
};

struct hmac_key *
hmac_key_new(enum hash_alg alg, const uint8_t *key, size_t key_len)
{
	struct hmac_key *k;

	if (alg != HASH_SHA256 && alg != HASH_SHA512)
		return NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->alg = alg;
	if (alg == HASH_SHA256)
		crypto_auth_hmacsha256_init(&k->keyed.s256, key, key_len);
	else
		crypto_auth_hmacsha512_init(&k->keyed.s512, key, key_len);
	return k;
}

void
hmac_key_free(struct hmac_key *k)
{
	mp_free_secret(k, sizeof(*k));
}

void
hmac_key_tag(const struct hmac_key *k, const void *data, size_t len,
    uint8_t *tag)
{
	crypto_auth_hmacsha256_state s256;
	crypto_auth_hmacsha512_state s512;

	if (k->alg == HASH_SHA256) {
		s256 = k->keyed.s256;
		crypto_auth_hmacsha256_update(&s256, data, len);
		crypto_auth_hmacsha256_final(&s256, tag);
		mp_zero(&s256, sizeof(s256));
	} else {
		s512 = k->keyed.s512;
		crypto_auth_hmacsha512_update(&s512, data, len);
		crypto_auth_hmacsha512_final(&s512, tag);
		mp_zero(&s512, sizeof(s512));
	}
}

int
hmac_key_check(const struct hmac_key *k, const void *data, size_t len,
    const uint8_t *tag)
{
	uint8_t want[HASH_MAX_BYTES];
	int ok;

	hmac_key_tag(k, data, len, want);
	ok = mp_ct_equal(want, tag, hash_len(k->alg));
	mp_zero(want, sizeof(want));
	return ok ? 0 : MP_ERR_AUTH;
}

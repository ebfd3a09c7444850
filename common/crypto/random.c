/* random.c: library start-up (libsodium, OpenSSL) and random bytes from libsodium. */
#include <openssl/crypto.h>
#include <sodium.h>

#include "common/err.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"

/*
 * The first digest also loads OpenSSL's default provider and caches the
 * hash and HMAC objects, so that no later call needs to open files (for
 * instance after a process has entered its sandbox).
 */
int
mp_crypto_init(void)
{
	static int done;
	uint8_t md[HASH_MAX_BYTES];

	if (done)
		return 0;
	if (sodium_init() < 0)
		return MP_ERR_LIBCRYPTO;
	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL) != 1)
		return MP_ERR_LIBCRYPTO;
	if (hash_digest(HASH_SHA256, "", 0, md) != 0)
		return MP_ERR_LIBCRYPTO;
	done = 1;
	return 0;
}

void
mp_random(void *buf, size_t len)
{
	randombytes_buf(buf, len);
}

uint32_t
mp_random_uniform(uint32_t upper)
{
	return randombytes_uniform(upper);
}

/* random.c: library start-up (libsodium, OpenSSL) and random bytes from libsodium. */
#include <openssl/crypto.h>
#include <sodium.h>

#include "common/err.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"

/*
 * The first digest also loads OpenSSL's default provider and caches the
 * hash and HMAC objects, so that no later call needs to open files (for
 * instance after a process has entered its sandbox). OpenSSL's error
 * strings are never printed, so they are not loaded (about 400 KB of
 * memory per process).
 */
static int
crypto_init(uint64_t openssl_opts)
{
	static int done;
	uint8_t md[HASH_MAX_BYTES];

	if (done)
		return 0;
	if (sodium_init() < 0)
		return MP_ERR_LIBCRYPTO;
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
	    openssl_opts, NULL) != 1)
		return MP_ERR_LIBCRYPTO;
	if (hash_digest(HASH_SHA256, "", 0, md) != 0)
		return MP_ERR_LIBCRYPTO;
	done = 1;
	return 0;
}

int
mp_crypto_init(void)
{
	return crypto_init(OPENSSL_INIT_LOAD_CONFIG);
}

int
mp_crypto_init_server(void)
{
	return crypto_init(OPENSSL_INIT_NO_LOAD_CONFIG);
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

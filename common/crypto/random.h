/* random.h: library start-up and random bytes (libsodium's generator). */
#ifndef MP_RANDOM_H
#define MP_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Initialise libsodium and OpenSSL; every program calls this first.
 * Returns 0 or MP_ERR_LIBCRYPTO. Safe to call more than once. */
int mp_crypto_init(void);
/* The same for mps-net, whose algorithms the protocol fixes:
 * the system's OpenSSL configuration (TLS and provider settings) is not
 * read, which keeps a few hundred KB out of every session's memory. */
int mp_crypto_init_server(void);

/* Fill buf with len cryptographically secure random bytes. */
void mp_random(void *buf, size_t len);

/* A uniform random integer in [0, upper). */
uint32_t mp_random_uniform(uint32_t upper);

#endif

/* sha3.h: Keccak-f[1600], SHA3-256/512 and SHAKE128/256 (FIPS 202) with incremental absorb and squeeze. */
#ifndef MP_SHA3_H
#define MP_SHA3_H

#include <stddef.h>
#include <stdint.h>

#define SHA3_256_BYTES		32
#define SHA3_512_BYTES		64
/* Rates: bytes absorbed or squeezed per permutation. */
#define SHAKE128_RATE		168
#define SHAKE256_RATE		136

/*
 * One sponge. Initialise it for a function, absorb with sha3_update() any
 * number of times, then either sha3_final() (SHA3-256/512: writes the
 * digest) or shake_squeeze() (SHAKE: may be called repeatedly, each call
 * continuing the output stream). No absorbing after the first squeeze.
 * The state holds whatever was absorbed: sha3_clear() it when that was secret.
 */
struct sha3_ctx {
	uint64_t	st[25];
	unsigned	rate;		/* bytes */
	unsigned	pos;		/* byte offset in the current block */
	unsigned	outlen;		/* SHA3 digest length, 0 for SHAKE */
	uint8_t		dsep;		/* domain and padding start byte */
	uint8_t		squeezing;
};

/* The bare permutation, exposed for tests. */
void keccak_f1600(uint64_t st[25]);

void sha3_256_init(struct sha3_ctx *ctx);
void sha3_512_init(struct sha3_ctx *ctx);
void shake128_init(struct sha3_ctx *ctx);
void shake256_init(struct sha3_ctx *ctx);

void sha3_update(struct sha3_ctx *ctx, const void *data, size_t len);
/* SHA3 digest of outlen bytes (32 or 64); clears the context. */
void sha3_final(struct sha3_ctx *ctx, uint8_t *out);
/* The next len bytes of SHAKE output. */
void shake_squeeze(struct sha3_ctx *ctx, uint8_t *out, size_t len);
void sha3_clear(struct sha3_ctx *ctx);

/* One-shot helpers; their internal state is cleared before returning. */
void sha3_256(const void *data, size_t len, uint8_t out[SHA3_256_BYTES]);
void sha3_512(const void *data, size_t len, uint8_t out[SHA3_512_BYTES]);
void shake128(const void *data, size_t len, uint8_t *out, size_t outlen);
void shake256(const void *data, size_t len, uint8_t *out, size_t outlen);

#endif

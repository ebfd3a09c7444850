/* sha3.c: portable Keccak-f[1600] sponge giving SHA3-256/512 and SHAKE128/256 (FIPS 202). */
#include <string.h>

#include "common/crypto/sha3.h"
#include "common/secmem.h"

#define SHA3_DSEP	0x06	/* suffix 01, then the first pad bit */
#define SHAKE_DSEP	0x1f	/* suffix 1111, then the first pad bit */

static const uint64_t keccak_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL(x, n)	(((x) << (n)) | ((x) >> ((64 - (n)) & 63)))

/*
 * One round from state a into state e: theta, then rho and pi (lane (x, y)
 * rotated lands at (y, 2x + 3y)), gathered one output row at a time for
 * chi, then iota. Two calls alternate between two local states.
 */
static inline __attribute__((always_inline)) void
keccak_round(uint64_t e[25], const uint64_t a[25], uint64_t rc)
{
	uint64_t c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;

	c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
	c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
	c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
	c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
	c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
	d0 = c4 ^ ROL(c1, 1);
	d1 = c0 ^ ROL(c2, 1);
	d2 = c1 ^ ROL(c3, 1);
	d3 = c2 ^ ROL(c4, 1);
	d4 = c3 ^ ROL(c0, 1);
	b0 = a[0] ^ d0;
	b1 = ROL(a[6] ^ d1, 44);
	b2 = ROL(a[12] ^ d2, 43);
	b3 = ROL(a[18] ^ d3, 21);
	b4 = ROL(a[24] ^ d4, 14);
	e[0] = b0 ^ (~b1 & b2) ^ rc;
	e[1] = b1 ^ (~b2 & b3);
	e[2] = b2 ^ (~b3 & b4);
	e[3] = b3 ^ (~b4 & b0);
	e[4] = b4 ^ (~b0 & b1);
	b0 = ROL(a[3] ^ d3, 28);
	b1 = ROL(a[9] ^ d4, 20);
	b2 = ROL(a[10] ^ d0, 3);
	b3 = ROL(a[16] ^ d1, 45);
	b4 = ROL(a[22] ^ d2, 61);
	e[5] = b0 ^ (~b1 & b2);
	e[6] = b1 ^ (~b2 & b3);
	e[7] = b2 ^ (~b3 & b4);
	e[8] = b3 ^ (~b4 & b0);
	e[9] = b4 ^ (~b0 & b1);
	b0 = ROL(a[1] ^ d1, 1);
	b1 = ROL(a[7] ^ d2, 6);
	b2 = ROL(a[13] ^ d3, 25);
	b3 = ROL(a[19] ^ d4, 8);
	b4 = ROL(a[20] ^ d0, 18);
	e[10] = b0 ^ (~b1 & b2);
	e[11] = b1 ^ (~b2 & b3);
	e[12] = b2 ^ (~b3 & b4);
	e[13] = b3 ^ (~b4 & b0);
	e[14] = b4 ^ (~b0 & b1);
	b0 = ROL(a[4] ^ d4, 27);
	b1 = ROL(a[5] ^ d0, 36);
	b2 = ROL(a[11] ^ d1, 10);
	b3 = ROL(a[17] ^ d2, 15);
	b4 = ROL(a[23] ^ d3, 56);
	e[15] = b0 ^ (~b1 & b2);
	e[16] = b1 ^ (~b2 & b3);
	e[17] = b2 ^ (~b3 & b4);
	e[18] = b3 ^ (~b4 & b0);
	e[19] = b4 ^ (~b0 & b1);
	b0 = ROL(a[2] ^ d2, 62);
	b1 = ROL(a[8] ^ d3, 55);
	b2 = ROL(a[14] ^ d4, 39);
	b3 = ROL(a[15] ^ d0, 41);
	b4 = ROL(a[21] ^ d1, 2);
	e[20] = b0 ^ (~b1 & b2);
	e[21] = b1 ^ (~b2 & b3);
	e[22] = b2 ^ (~b3 & b4);
	e[23] = b3 ^ (~b4 & b0);
	e[24] = b4 ^ (~b0 & b1);
}

void
keccak_f1600(uint64_t st[25])
{
	uint64_t e[25];
	int r;

	for (r = 0; r < 24; r += 2) {
		keccak_round(e, st, keccak_rc[r]);
		keccak_round(st, e, keccak_rc[r + 1]);
	}
	mp_zero(e, sizeof(e));
}

static uint64_t
load64_le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
}

/* Written out so that compilers merge it into one store. */
static void
store64_le(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
	p[4] = (uint8_t)(v >> 32);
	p[5] = (uint8_t)(v >> 40);
	p[6] = (uint8_t)(v >> 48);
	p[7] = (uint8_t)(v >> 56);
}

static void
sponge_init(struct sha3_ctx *ctx, unsigned rate, unsigned outlen,
    uint8_t dsep)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->rate = rate;
	ctx->outlen = outlen;
	ctx->dsep = dsep;
}

void
sha3_256_init(struct sha3_ctx *ctx)
{
	sponge_init(ctx, 200 - 2 * SHA3_256_BYTES, SHA3_256_BYTES, SHA3_DSEP);
}

void
sha3_512_init(struct sha3_ctx *ctx)
{
	sponge_init(ctx, 200 - 2 * SHA3_512_BYTES, SHA3_512_BYTES, SHA3_DSEP);
}

void
shake128_init(struct sha3_ctx *ctx)
{
	sponge_init(ctx, SHAKE128_RATE, 0, SHAKE_DSEP);
}

void
shake256_init(struct sha3_ctx *ctx)
{
	sponge_init(ctx, SHAKE256_RATE, 0, SHAKE_DSEP);
}

void
sha3_update(struct sha3_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		if (ctx->pos % 8 == 0 && len >= 8) {
			ctx->st[ctx->pos / 8] ^= load64_le(p);
			ctx->pos += 8;
			p += 8;
			len -= 8;
		} else {
			ctx->st[ctx->pos / 8] ^=
			    (uint64_t)*p++ << (8 * (ctx->pos % 8));
			ctx->pos++;
			len--;
		}
		if (ctx->pos == ctx->rate) {
			keccak_f1600(ctx->st);
			ctx->pos = 0;
		}
	}
}

/* Append the domain bits and pad10*1, then permute: ready to squeeze. */
static void
sponge_pad(struct sha3_ctx *ctx)
{
	unsigned last = ctx->rate - 1;

	ctx->st[ctx->pos / 8] ^= (uint64_t)ctx->dsep << (8 * (ctx->pos % 8));
	ctx->st[last / 8] ^= (uint64_t)0x80 << (8 * (last % 8));
	keccak_f1600(ctx->st);
	ctx->pos = 0;
	ctx->squeezing = 1;
}

void
shake_squeeze(struct sha3_ctx *ctx, uint8_t *out, size_t len)
{
	if (!ctx->squeezing)
		sponge_pad(ctx);
	while (len > 0) {
		if (ctx->pos == ctx->rate) {
			keccak_f1600(ctx->st);
			ctx->pos = 0;
		}
		if (ctx->pos % 8 == 0 && len >= 8) {
			store64_le(out, ctx->st[ctx->pos / 8]);
			ctx->pos += 8;
			out += 8;
			len -= 8;
		} else {
			*out++ = (uint8_t)(ctx->st[ctx->pos / 8] >>
			    (8 * (ctx->pos % 8)));
			ctx->pos++;
			len--;
		}
	}
}

void
sha3_final(struct sha3_ctx *ctx, uint8_t *out)
{
	unsigned i;

	sponge_pad(ctx);
	for (i = 0; i < ctx->outlen / 8; i++)
		store64_le(out + 8 * i, ctx->st[i]);
	sha3_clear(ctx);
}

void
sha3_clear(struct sha3_ctx *ctx)
{
	mp_zero(ctx, sizeof(*ctx));
}

void
sha3_256(const void *data, size_t len, uint8_t out[SHA3_256_BYTES])
{
	struct sha3_ctx ctx;

	sha3_256_init(&ctx);
	sha3_update(&ctx, data, len);
	sha3_final(&ctx, out);
}

void
sha3_512(const void *data, size_t len, uint8_t out[SHA3_512_BYTES])
{
	struct sha3_ctx ctx;

	sha3_512_init(&ctx);
	sha3_update(&ctx, data, len);
	sha3_final(&ctx, out);
}

void
shake128(const void *data, size_t len, uint8_t *out, size_t outlen)
{
	struct sha3_ctx ctx;

	shake128_init(&ctx);
	sha3_update(&ctx, data, len);
	shake_squeeze(&ctx, out, outlen);
	sha3_clear(&ctx);
}

void
shake256(const void *data, size_t len, uint8_t *out, size_t outlen)
{
	struct sha3_ctx ctx;

	shake256_init(&ctx);
	sha3_update(&ctx, data, len);
	shake_squeeze(&ctx, out, outlen);
	sha3_clear(&ctx);
}

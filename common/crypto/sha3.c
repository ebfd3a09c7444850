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

/* theta: each lane gets the parity of two neighbouring columns. */
#define THETA(a, c, d) do {						\
	c[0] = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];			\
	c[1] = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];			\
	c[2] = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];			\
	c[3] = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];			\
	c[4] = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];			\
	d[0] = c[4] ^ ROL(c[1], 1);					\
	d[1] = c[0] ^ ROL(c[2], 1);					\
	d[2] = c[1] ^ ROL(c[3], 1);					\
	d[3] = c[2] ^ ROL(c[4], 1);					\
	d[4] = c[3] ^ ROL(c[0], 1);					\
} while (0)

/* rho and pi together: lane (x, y) rotated lands at (y, 2x + 3y). */
#define RHO_PI(a, d, b) do {						\
	b[0] = a[0] ^ d[0];						\
	b[10] = ROL(a[1] ^ d[1], 1);					\
	b[20] = ROL(a[2] ^ d[2], 62);					\
	b[5] = ROL(a[3] ^ d[3], 28);					\
	b[15] = ROL(a[4] ^ d[4], 27);					\
	b[16] = ROL(a[5] ^ d[0], 36);					\
	b[1] = ROL(a[6] ^ d[1], 44);					\
	b[11] = ROL(a[7] ^ d[2], 6);					\
	b[21] = ROL(a[8] ^ d[3], 55);					\
	b[6] = ROL(a[9] ^ d[4], 20);					\
	b[7] = ROL(a[10] ^ d[0], 3);					\
	b[17] = ROL(a[11] ^ d[1], 10);					\
	b[2] = ROL(a[12] ^ d[2], 43);					\
	b[12] = ROL(a[13] ^ d[3], 25);					\
	b[22] = ROL(a[14] ^ d[4], 39);					\
	b[23] = ROL(a[15] ^ d[0], 41);					\
	b[8] = ROL(a[16] ^ d[1], 45);					\
	b[18] = ROL(a[17] ^ d[2], 15);					\
	b[3] = ROL(a[18] ^ d[3], 21);					\
	b[13] = ROL(a[19] ^ d[4], 8);					\
	b[14] = ROL(a[20] ^ d[0], 18);					\
	b[24] = ROL(a[21] ^ d[1], 2);					\
	b[9] = ROL(a[22] ^ d[2], 61);					\
	b[19] = ROL(a[23] ^ d[3], 56);					\
	b[4] = ROL(a[24] ^ d[4], 14);					\
} while (0)

/* chi on one row of five lanes starting at lane i. */
#define CHI_ROW(a, b, i) do {						\
	a[i] = b[i] ^ (~b[i + 1] & b[i + 2]);				\
	a[i + 1] = b[i + 1] ^ (~b[i + 2] & b[i + 3]);			\
	a[i + 2] = b[i + 2] ^ (~b[i + 3] & b[i + 4]);			\
	a[i + 3] = b[i + 3] ^ (~b[i + 4] & b[i]);			\
	a[i + 4] = b[i + 4] ^ (~b[i] & b[i + 1]);			\
} while (0)

void
keccak_f1600(uint64_t st[25])
{
	struct {
		uint64_t b[25], c[5], d[5];
	} t;
	int r;

	for (r = 0; r < 24; r++) {
		THETA(st, t.c, t.d);
		RHO_PI(st, t.d, t.b);
		CHI_ROW(st, t.b, 0);
		CHI_ROW(st, t.b, 5);
		CHI_ROW(st, t.b, 10);
		CHI_ROW(st, t.b, 15);
		CHI_ROW(st, t.b, 20);
		st[0] ^= keccak_rc[r];
	}
	mp_zero(&t, sizeof(t));
}

static uint64_t
load64_le(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
}

static void
store64_le(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
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

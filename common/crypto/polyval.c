/* polyval.c: POLYVAL (RFC 8452) with PCLMULQDQ and aggregated reduction, or constant-time portable code. */
#include <string.h>

#include "common/secmem.h"
#include "common/crypto/polyval.h"

#if defined(__x86_64__) || defined(__i386__)
#define MP_POLYVAL_X86 1
#include <wmmintrin.h>
#include <emmintrin.h>
#endif

/*
 * Field elements are 128-bit polynomials over GF(2), stored as two
 * little-endian 64-bit words: bit i of word j is the coefficient of
 * x^(64j + i). POLYVAL multiplies with dot(a, b) = a b x^-128 mod P,
 * P = x^128 + x^127 + x^126 + x^121 + 1. Both paths reduce a 256-bit
 * product by Montgomery folding: adding d P, for the lowest 64-bit word
 * d, clears that word, and d (P - 1 - x^128) = d (x^57 + x^62 + x^63) x^64.
 */
#define POLYVAL_FOLD	0xc200000000000000ULL	/* x^57 + x^62 + x^63 */

static int force_portable;

static uint64_t
le64dec(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
le64enc(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- portable path ------------------------------------------------- */

/*
 * Carry-less 32x32 multiply with integer multiplies: each operand is split
 * into four parts whose set bits are four positions apart. In a product of
 * two parts, every result position of one residue class mod 4 receives at
 * most 8 terms, so the count fits in the 4-bit gap and its low bit is the
 * GF(2) sum; masking keeps those bits. No branches or lookups on data.
 */
static uint64_t
clmul32(uint32_t a, uint32_t b)
{
	const uint64_t m0 = 0x1111111111111111ULL, m1 = m0 << 1,
	    m2 = m0 << 2, m3 = m0 << 3;
	uint64_t a0 = a & m0, a1 = a & m1, a2 = a & m2, a3 = a & m3;
	uint64_t b0 = b & m0, b1 = b & m1, b2 = b & m2, b3 = b & m3;
	uint64_t z0, z1, z2, z3;

	z0 = (a0 * b0) ^ (a1 * b3) ^ (a2 * b2) ^ (a3 * b1);
	z1 = (a0 * b1) ^ (a1 * b0) ^ (a2 * b3) ^ (a3 * b2);
	z2 = (a0 * b2) ^ (a1 * b1) ^ (a2 * b0) ^ (a3 * b3);
	z3 = (a0 * b3) ^ (a1 * b2) ^ (a2 * b1) ^ (a3 * b0);
	return (z0 & m0) | (z1 & m1) | (z2 & m2) | (z3 & m3);
}

/* 64x64 -> 128 carry-less multiply, Karatsuba over 32-bit halves. */
static void
clmul64(uint64_t a, uint64_t b, uint64_t r[2])
{
	uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32);
	uint32_t b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
	uint64_t lo = clmul32(a0, b0), hi = clmul32(a1, b1);
	uint64_t mid = clmul32(a0 ^ a1, b0 ^ b1) ^ lo ^ hi;

	r[0] = lo ^ (mid << 32);
	r[1] = hi ^ (mid >> 32);
}

/* d (x^57 + x^62 + x^63) as two words; shifts by public amounts only. */
static void
fold64(uint64_t d, uint64_t r[2])
{
	r[0] = (d << 57) ^ (d << 62) ^ (d << 63);
	r[1] = (d >> 7) ^ (d >> 2) ^ (d >> 1);
}

/* r = a b x^-128 mod P. */
static void
dot_portable(const uint64_t a[2], const uint64_t b[2], uint64_t r[2])
{
	uint64_t lo[2], hi[2], mid[2], t[2], d0, d1, d2, d3;

	clmul64(a[0], b[0], lo);
	clmul64(a[1], b[1], hi);
	clmul64(a[0] ^ a[1], b[0] ^ b[1], mid);
	d0 = lo[0];
	d1 = lo[1] ^ mid[0] ^ lo[0] ^ hi[0];
	d2 = hi[0] ^ mid[1] ^ lo[1] ^ hi[1];
	d3 = hi[1];
	fold64(d0, t);
	d1 ^= t[0];
	d2 ^= t[1] ^ d0;
	fold64(d1, t);
	r[0] = d2 ^ t[0];
	r[1] = d3 ^ t[1] ^ d1;
}

static void
blocks_portable(struct polyval_ctx *ctx, const uint8_t *in, size_t nblocks)
{
	for (; nblocks > 0; nblocks--, in += POLYVAL_BLOCK_BYTES) {
		ctx->s[0] ^= le64dec(in);
		ctx->s[1] ^= le64dec(in + 8);
		dot_portable(ctx->s, ctx->h[0], ctx->s);
	}
}

/* ---- PCLMULQDQ path ------------------------------------------------ */

#ifdef MP_POLYVAL_X86
#define CLMUL_TARGET	__attribute__((target("pclmul,sse2")))

CLMUL_TARGET static inline __m128i
ld128(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

/* (hi x^128 + lo) x^-128 mod P: two folds of the low 64-bit word. */
CLMUL_TARGET static inline __m128i
reduce_clmul(__m128i lo, __m128i hi)
{
	const __m128i fold = _mm_set_epi64x(0, (long long)POLYVAL_FOLD);
	__m128i t;

	t = _mm_clmulepi64_si128(lo, fold, 0x00);
	lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), t);
	t = _mm_clmulepi64_si128(lo, fold, 0x00);
	lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), t);
	return _mm_xor_si128(hi, lo);
}

/* Unreduced sums of products; mid holds the Karatsuba middle terms. */
struct clmul_sums {
	__m128i	lo, mid, hi;
};

/* Add x h[i] to z: (x0 + x1)(h0 + h1) goes to mid, corrected later. */
CLMUL_TARGET static inline void
mul_acc(const struct polyval_ctx *ctx, size_t i, __m128i x,
    struct clmul_sums *z)
{
	__m128i h = ld128(ctx->h[i]);
	__m128i hx = _mm_loadl_epi64((const __m128i *)&ctx->hx[i]);
	__m128i xx = _mm_xor_si128(x, _mm_shuffle_epi32(x, 0x4e));

	z->lo = _mm_xor_si128(z->lo, _mm_clmulepi64_si128(x, h, 0x00));
	z->hi = _mm_xor_si128(z->hi, _mm_clmulepi64_si128(x, h, 0x11));
	z->mid = _mm_xor_si128(z->mid, _mm_clmulepi64_si128(xx, hx, 0x00));
}

CLMUL_TARGET static inline __m128i
finish_clmul(const struct clmul_sums *z)
{
	__m128i mid = _mm_xor_si128(z->mid, _mm_xor_si128(z->lo, z->hi));
	__m128i lo = _mm_xor_si128(z->lo, _mm_slli_si128(mid, 8));
	__m128i hi = _mm_xor_si128(z->hi, _mm_srli_si128(mid, 8));

	return reduce_clmul(lo, hi);
}

/* Extend h[] and hx[] to n powers by successive dot products with H. */
CLMUL_TARGET static void
powers_clmul(struct polyval_ctx *ctx, size_t n)
{
	struct clmul_sums z;
	size_t i;

	for (i = ctx->npowers; i < n; i++) {
		z.lo = z.mid = z.hi = _mm_setzero_si128();
		mul_acc(ctx, 0, ld128(ctx->h[i - 1]), &z);
		_mm_storeu_si128((__m128i *)ctx->h[i], finish_clmul(&z));
		ctx->hx[i] = ctx->h[i][0] ^ ctx->h[i][1];
	}
	ctx->npowers = n;
}

/*
 * n blocks (1 <= n <= POLYVAL_POWERS) with one reduction:
 * s' = (s + X1) H^n + X2 H^(n-1) + ... + Xn H, each power carrying the
 * x^-128 factors that n successive dot products would have applied.
 */
CLMUL_TARGET static inline __m128i
fold_clmul(const struct polyval_ctx *ctx, __m128i s, const uint8_t *in,
    size_t n)
{
	struct clmul_sums z;
	size_t i;

	z.lo = z.mid = z.hi = _mm_setzero_si128();
	mul_acc(ctx, n - 1, _mm_xor_si128(s, ld128(in)), &z);
	for (i = 1; i < n; i++)
		mul_acc(ctx, n - 1 - i, ld128(in + POLYVAL_BLOCK_BYTES * i),
		    &z);
	return finish_clmul(&z);
}

CLMUL_TARGET static void
blocks_clmul(struct polyval_ctx *ctx, const uint8_t *in, size_t nblocks)
{
	size_t need = nblocks < POLYVAL_POWERS ? nblocks : POLYVAL_POWERS;
	__m128i s = ld128(ctx->s);

	if (ctx->npowers < need)
		powers_clmul(ctx, need);
	for (; nblocks >= POLYVAL_POWERS; nblocks -= POLYVAL_POWERS) {
		s = fold_clmul(ctx, s, in, POLYVAL_POWERS);
		in += POLYVAL_BLOCK_BYTES * POLYVAL_POWERS;
	}
	if (nblocks > 0)
		s = fold_clmul(ctx, s, in, nblocks);
	_mm_storeu_si128((__m128i *)ctx->s, s);
}

static int
cpu_has_clmul(void)
{
	return __builtin_cpu_supports("pclmul") != 0;
}
#else
static void
blocks_clmul(struct polyval_ctx *ctx, const uint8_t *in, size_t nblocks)
{
	blocks_portable(ctx, in, nblocks);
}

static int
cpu_has_clmul(void)
{
	return 0;
}
#endif

/* ---- interface ----------------------------------------------------- */

void
polyval_force_portable(int on)
{
	force_portable = on != 0;
}

int
polyval_uses_clmul(void)
{
	return !force_portable && cpu_has_clmul();
}

void
polyval_init(struct polyval_ctx *ctx, const uint8_t key[POLYVAL_KEY_BYTES])
{
	ctx->s[0] = ctx->s[1] = 0;
	ctx->h[0][0] = le64dec(key);
	ctx->h[0][1] = le64dec(key + 8);
	ctx->hx[0] = ctx->h[0][0] ^ ctx->h[0][1];
	ctx->npowers = 1;
	ctx->clmul = polyval_uses_clmul();
}

static void
blocks(struct polyval_ctx *ctx, const uint8_t *in, size_t nblocks)
{
	if (ctx->clmul)
		blocks_clmul(ctx, in, nblocks);
	else
		blocks_portable(ctx, in, nblocks);
}

void
polyval_update(struct polyval_ctx *ctx, const uint8_t *in, size_t len)
{
	uint8_t last[POLYVAL_BLOCK_BYTES];
	size_t full = len / POLYVAL_BLOCK_BYTES, rest = len % POLYVAL_BLOCK_BYTES;

	if (full > 0)
		blocks(ctx, in, full);
	if (rest == 0)
		return;
	memset(last, 0, sizeof(last));
	memcpy(last, in + full * POLYVAL_BLOCK_BYTES, rest);
	blocks(ctx, last, 1);
	mp_zero(last, sizeof(last));
}

void
polyval_final(struct polyval_ctx *ctx, uint8_t out[POLYVAL_BLOCK_BYTES])
{
	le64enc(out, ctx->s[0]);
	le64enc(out + 8, ctx->s[1]);
	mp_zero(ctx, sizeof(*ctx));
}

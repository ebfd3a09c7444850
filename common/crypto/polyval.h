/* polyval.h: POLYVAL (RFC 8452), with carry-less multiply instructions or a constant-time portable fallback. */
#ifndef MP_POLYVAL_H
#define MP_POLYVAL_H

#include <stddef.h>
#include <stdint.h>

#define POLYVAL_KEY_BYTES	16
#define POLYVAL_BLOCK_BYTES	16
#define POLYVAL_POWERS		8	/* blocks folded per reduction */

/* All fields are secret; polyval_final() zeroes them. */
struct polyval_ctx {
	uint64_t	s[2];			/* accumulator, little-endian words */
	uint64_t	h[POLYVAL_POWERS][2];	/* h[i] = H^(i+1) x^(-128 i) */
	uint64_t	hx[POLYVAL_POWERS];	/* h[i][0] ^ h[i][1] */
	size_t		npowers;		/* valid entries of h and hx */
	int		clmul;			/* use the instruction path */
};

void polyval_init(struct polyval_ctx *ctx,
    const uint8_t key[POLYVAL_KEY_BYTES]);

/* Absorb len bytes. A partial last block is padded with zeros, so each
 * call starts on a block boundary (as GCM-SIV pads AAD and plaintext). */
void polyval_update(struct polyval_ctx *ctx, const uint8_t *in, size_t len);

/* Write the result and zero the context. */
void polyval_final(struct polyval_ctx *ctx, uint8_t out[POLYVAL_BLOCK_BYTES]);

/* For tests: with on != 0, contexts initialised afterwards use the portable
 * code even when the CPU has carry-less multiply. Not thread-safe. */
void polyval_force_portable(int on);

/* 1 if a context initialised now would use carry-less multiply. */
int polyval_uses_clmul(void);

#endif

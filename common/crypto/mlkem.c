/* mlkem.c: ML-KEM-512/768/1024 (FIPS 203) in portable constant-time C, with the section 7 input checks. */
#include <string.h>

#include "common/crypto/mlkem.h"
#include "common/crypto/random.h"
#include "common/crypto/sha3.h"
#include "common/err.h"
#include "common/secmem.h"

#define N		256
#define Q		3329
#define MAXK		4
#define SYM		32		/* rho, sigma, r, m, K, H(ek), z */
#define POLY12		384		/* ByteEncode12 of one polynomial */
#define QINV		62209u		/* q^-1 mod 2^16 */
#define BARRETT_V	20159		/* round(2^26 / q) */
#define MONT_R2		1353		/* 2^32 mod q */
#define INVNTT_F	1441		/* 2^32 / 128 mod q */
#define COMPRESS_M	10321340u	/* ceil(2^35 / q) */
#define COMPRESS_SHIFT	35

struct params {
	unsigned	k;
	unsigned	eta1;
	unsigned	du;
	unsigned	dv;
};

/* Coefficients are signed and kept below 2^15 in absolute value. */
struct poly {
	int16_t		c[N];
};

/* zeta^BitRev7(i) * 2^16 mod q, centred, for zeta = 17. */
static const int16_t zetas[128] = {
	-1044, -758, -359, -1517, 1493, 1422, 287, 202,
	-171, 622, 1577, 182, 962, -1202, -1474, 1468,
	573, -1325, 264, 383, -829, 1458, -1602, -130,
	-681, 1017, 732, 608, -1542, 411, -205, -1571,
	1223, 652, -552, 1015, -1293, 1491, -282, -1544,
	516, -8, -320, -666, -1618, -1162, 126, 1469,
	-853, -90, -271, 830, 107, -1421, -247, -951,
	-398, 961, -1508, -725, 448, -1065, 677, -1275,
	-1103, 430, 555, 843, -1251, 871, 1550, 105,
	422, 587, 177, -235, -291, -460, 1574, 1653,
	-246, 778, 1159, -147, -777, 1483, -602, 1119,
	-1590, 644, -872, 349, 418, 329, -156, -75,
	817, 1097, 603, 610, 1322, -1285, -1465, 384,
	-1215, -136, 1218, -1335, -874, 220, -1187, -1659,
	-1185, -1530, -1278, 794, -1510, -854, -870, 478,
	-108, -308, 996, 991, 958, -1460, 1522, 1628,
};

/* zeta^(2 BitRev7(i) + 1) * 2^16 mod q, centred: the moduli X^2 - gamma. */
static const int16_t gammas[128] = {
	-1103, 1103, 430, -430, 555, -555, 843, -843,
	-1251, 1251, 871, -871, 1550, -1550, 105, -105,
	422, -422, 587, -587, 177, -177, -235, 235,
	-291, 291, -460, 460, 1574, -1574, 1653, -1653,
	-246, 246, 778, -778, 1159, -1159, -147, 147,
	-777, 777, 1483, -1483, -602, 602, 1119, -1119,
	-1590, 1590, 644, -644, -872, 872, 349, -349,
	418, -418, 329, -329, -156, 156, -75, 75,
	817, -817, 1097, -1097, 603, -603, 610, -610,
	1322, -1322, -1285, 1285, -1465, 1465, 384, -384,
	-1215, 1215, -136, 136, 1218, -1218, -1335, 1335,
	-874, 874, 220, -220, -1187, 1187, -1659, 1659,
	-1185, 1185, -1530, 1530, -1278, 1278, 794, -794,
	-1510, 1510, -854, 854, -870, 870, 478, -478,
	-108, 108, -308, 308, 996, -996, 991, -991,
	958, -958, -1460, 1460, 1522, -1522, 1628, -1628,
};

static const struct params *
get_params(enum mlkem_level lvl)
{
	static const struct params p512 = { 2, 3, 10, 4 };
	static const struct params p768 = { 3, 2, 10, 4 };
	static const struct params p1024 = { 4, 2, 11, 5 };

	switch (lvl) {
	case MLKEM_512:
		return &p512;
	case MLKEM_768:
		return &p768;
	case MLKEM_1024:
		return &p1024;
	}
	return NULL;
}

static size_t
ek_bytes(const struct params *p)
{
	return POLY12 * p->k + SYM;
}

static size_t
dk_bytes(const struct params *p)
{
	return 2 * POLY12 * p->k + 3 * SYM;
}

static size_t
ct_bytes(const struct params *p)
{
	return 32 * (p->du * p->k + p->dv);
}

size_t
mlkem_ek_len(enum mlkem_level lvl)
{
	const struct params *p = get_params(lvl);

	return p == NULL ? 0 : ek_bytes(p);
}

size_t
mlkem_dk_len(enum mlkem_level lvl)
{
	const struct params *p = get_params(lvl);

	return p == NULL ? 0 : dk_bytes(p);
}

size_t
mlkem_ct_len(enum mlkem_level lvl)
{
	const struct params *p = get_params(lvl);

	return p == NULL ? 0 : ct_bytes(p);
}

/* ---- arithmetic modulo q, branch-free ---------------------------------- */

/* a * 2^-16 mod q for |a| < 2^15 q; the result lies in (-q, q). */
static int16_t
mont_reduce(int32_t a)
{
	int16_t t = (int16_t)(uint16_t)((uint32_t)a * QINV);

	return (int16_t)((a - (int32_t)t * Q) >> 16);
}

/*
 * a * b * 2^-16 mod q in (-q, q), for |a b| < 2^15 q. The same Montgomery
 * step as mont_reduce(), but written with 16-bit low and high product
 * halves (a b and t q share their low halves) so that it vectorises.
 */
static int16_t
fqmul(int16_t a, int16_t b)
{
	uint16_t lo = (uint16_t)((uint32_t)a * (uint32_t)b);
	int16_t t = (int16_t)(uint16_t)(lo * QINV);
	int16_t hi = (int16_t)(((int32_t)a * b) >> 16);

	return (int16_t)(hi - (int16_t)(((int32_t)t * Q) >> 16));
}

/* The representative of a mod q in [-(q-1)/2, (q-1)/2]. */
static int16_t
barrett_reduce(int16_t a)
{
	int16_t t = (int16_t)((((int32_t)a * BARRETT_V >> 16) + 512) >> 10);

	return (int16_t)(a - t * Q);
}

/* The representative of a mod q in [0, q). */
static int16_t
freeze(int16_t a)
{
	int16_t r = barrett_reduce(a);

	return (int16_t)(r + ((r >> 15) & Q));
}

/* x - q if x >= q, for x in [0, 2q). */
static int16_t
reduce_once(int16_t x)
{
	int16_t r = (int16_t)(x - Q);

	return (int16_t)(r + ((r >> 15) & Q));
}

/* Compress_d of x in [0, q): round(2^d x / q) mod 2^d, without division. */
static int16_t
compress(int16_t x, unsigned d)
{
	uint64_t num = ((uint64_t)(uint16_t)x << d) + Q / 2;

	return (int16_t)(((num * COMPRESS_M) >> COMPRESS_SHIFT) &
	    ((1u << d) - 1));
}

static int16_t
decompress(int16_t y, unsigned d)
{
	return (int16_t)(((uint32_t)y * Q + (1u << (d - 1))) >> d);
}

/* ---- polynomials --------------------------------------------------------- */

static void
poly_add(struct poly *r, const struct poly *a)
{
	int i;

	for (i = 0; i < N; i++)
		r->c[i] = (int16_t)(r->c[i] + a->c[i]);
}

/* Multiply by 2^16: undoes the 2^-16 that poly_dot() leaves. */
static void
poly_tomont(struct poly *f)
{
	int i;

	for (i = 0; i < N; i++)
		f->c[i] = fqmul(f->c[i], MONT_R2);
}

static void
poly_freeze(struct poly *f)
{
	int i;

	for (i = 0; i < N; i++)
		f->c[i] = freeze(f->c[i]);
}

static void
poly_compress(struct poly *f, unsigned d)
{
	int i;

	for (i = 0; i < N; i++)
		f->c[i] = compress(freeze(f->c[i]), d);
}

static void
poly_decompress(struct poly *f, unsigned d)
{
	int i;

	for (i = 0; i < N; i++)
		f->c[i] = decompress(f->c[i], d);
}

/*
 * One layer of Algorithm 9 (Cooley-Tukey butterflies at distance len);
 * inlined with a constant len so that the compiler can vectorise it.
 */
static inline __attribute__((always_inline)) void
ntt_layer(struct poly *f, unsigned len)
{
	unsigned start, j, k = N / 2 / len;
	int16_t zeta, t;

	for (start = 0; start < N; start += 2 * len) {
		zeta = zetas[k++];
		for (j = start; j < start + len; j++) {
			t = fqmul(zeta, f->c[j + len]);
			f->c[j + len] = (int16_t)(f->c[j] - t);
			f->c[j] = (int16_t)(f->c[j] + t);
		}
	}
}

/* Algorithm 9; input below q in absolute value, output centred. */
static void
ntt(struct poly *f)
{
	int i;

	ntt_layer(f, 128);
	ntt_layer(f, 64);
	ntt_layer(f, 32);
	ntt_layer(f, 16);
	ntt_layer(f, 8);
	ntt_layer(f, 4);
	ntt_layer(f, 2);
	for (i = 0; i < N; i++)
		f->c[i] = barrett_reduce(f->c[i]);
}

/*
 * One layer of Algorithm 10 (Gentleman-Sande). The differences go through
 * fqmul() and stay below q; the sums double at each layer, so they are
 * reduced only when asked.
 */
static inline __attribute__((always_inline)) void
invntt_layer(struct poly *f, unsigned len, int reduce)
{
	unsigned start, j, k = N / len - 1;
	int16_t zeta, t, s;

	for (start = 0; start < N; start += 2 * len) {
		zeta = zetas[k--];
		for (j = start; j < start + len; j++) {
			t = f->c[j];
			s = (int16_t)(t + f->c[j + len]);
			f->c[j] = reduce ? barrett_reduce(s) : s;
			f->c[j + len] = fqmul(zeta,
			    (int16_t)(f->c[j + len] - t));
		}
	}
}

/*
 * Algorithm 10, for the output of poly_dot(): the final scaling also removes
 * the 2^-16 factor that the Montgomery products left. Input below q in
 * absolute value. Sums stay below 8q, reduced after the third and sixth
 * layers; output in (-q, q).
 */
static void
invntt(struct poly *f)
{
	int i;

	invntt_layer(f, 2, 0);
	invntt_layer(f, 4, 0);
	invntt_layer(f, 8, 1);
	invntt_layer(f, 16, 0);
	invntt_layer(f, 32, 0);
	invntt_layer(f, 64, 1);
	invntt_layer(f, 128, 0);
	for (i = 0; i < N; i++)
		f->c[i] = fqmul(f->c[i], INVNTT_F);
}

/*
 * r = sum over j < k of a[j] * b[j] in the NTT domain (Algorithm 11 summed),
 * times 2^-16. Inputs below q in absolute value; each sum stays below
 * 2^15 q in int32 before its single reduction. Output in (-q, q).
 */
static void
poly_dot(struct poly *r, const struct poly *a, const struct poly *b,
    unsigned k)
{
	unsigned i, j;
	int32_t c0, c1;
	int16_t a0, a1, b0, b1;

	for (i = 0; i < N / 2; i++) {
		c0 = c1 = 0;
		for (j = 0; j < k; j++) {
			a0 = a[j].c[2 * i];
			a1 = a[j].c[2 * i + 1];
			b0 = b[j].c[2 * i];
			b1 = b[j].c[2 * i + 1];
			c0 += (int32_t)a0 * b0 +
			    (int32_t)fqmul(a1, b1) * gammas[i];
			c1 += (int32_t)a0 * b1 + (int32_t)a1 * b0;
		}
		r->c[2 * i] = mont_reduce(c0);
		r->c[2 * i + 1] = mont_reduce(c1);
	}
}

/* ---- encodings ----------------------------------------------------------- */

/* ByteEncode_d of coefficients already in [0, 2^d). */
static void
byte_encode(uint8_t *out, const struct poly *f, unsigned d)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	int i;

	for (i = 0; i < N; i++) {
		acc |= (uint32_t)(uint16_t)f->c[i] << bits;
		bits += d;
		while (bits >= 8) {
			*out++ = (uint8_t)acc;
			acc >>= 8;
			bits -= 8;
		}
	}
}

/* ByteDecode_d without the reduction mod q; reads exactly 32 d bytes. */
static void
byte_decode(struct poly *f, const uint8_t *in, unsigned d)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	int i;

	for (i = 0; i < N; i++) {
		while (bits < d) {
			acc |= (uint32_t)*in++ << bits;
			bits += 8;
		}
		f->c[i] = (int16_t)(acc & ((1u << d) - 1));
		acc >>= d;
		bits -= d;
	}
}

/* ByteDecode_12 including its reduction mod q. */
static void
decode12(struct poly *f, const uint8_t *in)
{
	int i;

	byte_decode(f, in, 12);
	for (i = 0; i < N; i++)
		f->c[i] = reduce_once(f->c[i]);
}

static void
encode12(uint8_t *out, struct poly *f)
{
	poly_freeze(f);
	byte_encode(out, f, 12);
}

/* Decompress_1(ByteDecode_1(m)): each bit becomes 0 or round(q/2). */
static void
poly_from_msg(struct poly *f, const uint8_t m[SYM])
{
	int16_t mask;
	int i;

	for (i = 0; i < N; i++) {
		mask = (int16_t)-(int16_t)((m[i / 8] >> (i % 8)) & 1);
		/* Keep the compiler from turning the mask into a branch on
		 * a message bit (as clang 15+ did to the Kyber reference). */
		__asm__("" : "+r"(mask));
		f->c[i] = (int16_t)(mask & ((Q + 1) / 2));
	}
}

/* ---- sampling ------------------------------------------------------------ */

/* Algorithm 7 on SHAKE128(rho || b0 || b1); rho is public, so may branch. */
static void
sample_ntt(struct poly *a, const uint8_t rho[SYM], uint8_t b0, uint8_t b1)
{
	struct sha3_ctx xof;
	uint8_t buf[3 * SHAKE128_RATE];
	unsigned n = 0, pos = 0, len = sizeof(buf);
	uint16_t d1, d2;

	shake128_init(&xof);
	sha3_update(&xof, rho, SYM);
	sha3_update(&xof, &b0, 1);
	sha3_update(&xof, &b1, 1);
	shake_squeeze(&xof, buf, len);
	while (n < N) {
		if (pos == len) {
			len = SHAKE128_RATE;
			shake_squeeze(&xof, buf, len);
			pos = 0;
		}
		d1 = (uint16_t)(buf[pos] | (buf[pos + 1] & 0x0f) << 8);
		d2 = (uint16_t)(buf[pos + 1] >> 4 | buf[pos + 2] << 4);
		pos += 3;
		a->c[n] = (int16_t)d1;	/* kept only if accepted */
		n += d1 < Q;
		if (n < N) {
			a->c[n] = (int16_t)d2;
			n += d2 < Q;
		}
	}
}

/*
 * Row i of A (A[i][j] = SampleNTT(rho || j || i)), or row i of its transpose.
 */
static void
sample_row(struct poly *row, const uint8_t rho[SYM], unsigned i, unsigned k,
    int transposed)
{
	unsigned j;

	for (j = 0; j < k; j++) {
		if (transposed)
			sample_ntt(&row[j], rho, (uint8_t)i, (uint8_t)j);
		else
			sample_ntt(&row[j], rho, (uint8_t)j, (uint8_t)i);
	}
}

/* Algorithm 8 for eta = 2: 4 bytes give 8 coefficients. */
static void
cbd2(struct poly *f, const uint8_t *buf)
{
	uint32_t w, s;
	int i, j;

	for (i = 0; i < N / 8; i++) {
		w = (uint32_t)buf[4 * i] | (uint32_t)buf[4 * i + 1] << 8 |
		    (uint32_t)buf[4 * i + 2] << 16 |
		    (uint32_t)buf[4 * i + 3] << 24;
		s = (w & 0x55555555) + ((w >> 1) & 0x55555555);
		for (j = 0; j < 8; j++)
			f->c[8 * i + j] = (int16_t)((int)((s >> (4 * j)) & 3) -
			    (int)((s >> (4 * j + 2)) & 3));
	}
}

/* Algorithm 8 for eta = 3: 3 bytes give 4 coefficients. */
static void
cbd3(struct poly *f, const uint8_t *buf)
{
	uint32_t w, s;
	int i, j;

	for (i = 0; i < N / 4; i++) {
		w = (uint32_t)buf[3 * i] | (uint32_t)buf[3 * i + 1] << 8 |
		    (uint32_t)buf[3 * i + 2] << 16;
		s = (w & 0x249249) + ((w >> 1) & 0x249249) +
		    ((w >> 2) & 0x249249);
		for (j = 0; j < 4; j++)
			f->c[4 * i + j] = (int16_t)((int)((s >> (6 * j)) & 7) -
			    (int)((s >> (6 * j + 3)) & 7));
	}
}

/* SamplePolyCBD_eta(PRF_eta(seed, nonce)). */
static void
sample_cbd(struct poly *f, const uint8_t seed[SYM], unsigned nonce,
    unsigned eta)
{
	uint8_t in[SYM + 1], buf[64 * 3];

	memcpy(in, seed, SYM);
	in[SYM] = (uint8_t)nonce;
	shake256(in, sizeof(in), buf, 64 * eta);
	if (eta == 2)
		cbd2(f, buf);
	else
		cbd3(f, buf);
	mp_zero(in, sizeof(in));
	mp_zero(buf, sizeof(buf));
}

/* ---- K-PKE --------------------------------------------------------------- */

/* Algorithm 14, K-PKE.Encrypt(ek, m, r). */
static void
pke_encrypt(const struct params *p, const uint8_t *ek, const uint8_t m[SYM],
    const uint8_t r[SYM], uint8_t *ct)
{
	struct {
		struct poly t[MAXK], y[MAXK], row[MAXK], u, v, e;
	} w;
	const uint8_t *rho = ek + POLY12 * p->k;
	unsigned i, k = p->k;

	for (i = 0; i < k; i++) {
		decode12(&w.t[i], ek + POLY12 * i);
		sample_cbd(&w.y[i], r, i, p->eta1);
		ntt(&w.y[i]);
	}
	for (i = 0; i < k; i++) {
		sample_row(w.row, rho, i, k, 1);
		poly_dot(&w.u, w.row, w.y, k);
		invntt(&w.u);
		sample_cbd(&w.e, r, k + i, 2);
		poly_add(&w.u, &w.e);
		poly_compress(&w.u, p->du);
		byte_encode(ct + 32 * p->du * i, &w.u, p->du);
	}
	poly_dot(&w.v, w.t, w.y, k);
	invntt(&w.v);
	sample_cbd(&w.e, r, 2 * k, 2);
	poly_add(&w.v, &w.e);
	poly_from_msg(&w.e, m);
	poly_add(&w.v, &w.e);
	poly_compress(&w.v, p->dv);
	byte_encode(ct + 32 * p->du * k, &w.v, p->dv);
	mp_zero(&w, sizeof(w));
}

/* Algorithm 15, K-PKE.Decrypt(dk, c). */
static void
pke_decrypt(const struct params *p, const uint8_t *dk, const uint8_t *ct,
    uint8_t m[SYM])
{
	struct {
		struct poly s[MAXK], u[MAXK], v, w;
	} w;
	unsigned i, k = p->k;

	for (i = 0; i < k; i++) {
		byte_decode(&w.u[i], ct + 32 * p->du * i, p->du);
		poly_decompress(&w.u[i], p->du);
		ntt(&w.u[i]);
		decode12(&w.s[i], dk + POLY12 * i);
	}
	poly_dot(&w.w, w.s, w.u, k);
	invntt(&w.w);
	byte_decode(&w.v, ct + 32 * p->du * k, p->dv);
	poly_decompress(&w.v, p->dv);
	for (i = 0; i < N; i++)
		w.v.c[i] = (int16_t)(w.v.c[i] - w.w.c[i]);
	poly_compress(&w.v, 1);
	byte_encode(m, &w.v, 1);
	mp_zero(&w, sizeof(w));
}

/* Algorithm 13 with final-FIPS-203 seeding: (rho, sigma) = G(d || k). */
static void
pke_keygen(const struct params *p, const uint8_t d[SYM], uint8_t *ek,
    uint8_t *dk)
{
	struct {
		uint8_t seed[SYM + 1], g[2 * SYM];
		struct poly s[MAXK], row[MAXK], t, e;
	} w;
	const uint8_t *rho = w.g, *sigma = w.g + SYM;
	unsigned i, k = p->k;

	memcpy(w.seed, d, SYM);
	w.seed[SYM] = (uint8_t)k;
	sha3_512(w.seed, sizeof(w.seed), w.g);
	for (i = 0; i < k; i++) {
		sample_cbd(&w.s[i], sigma, i, p->eta1);
		ntt(&w.s[i]);
	}
	for (i = 0; i < k; i++) {
		sample_row(w.row, rho, i, k, 0);
		poly_dot(&w.t, w.row, w.s, k);
		poly_tomont(&w.t);
		sample_cbd(&w.e, sigma, k + i, p->eta1);
		ntt(&w.e);
		poly_add(&w.t, &w.e);
		encode12(ek + POLY12 * i, &w.t);
	}
	memcpy(ek + POLY12 * k, rho, SYM);
	for (i = 0; i < k; i++)
		encode12(dk + POLY12 * i, &w.s[i]);
	mp_zero(&w, sizeof(w));
}

/* ---- ML-KEM -------------------------------------------------------------- */

int
mlkem_keygen_derand(enum mlkem_level lvl, const uint8_t d[MLKEM_SEED_BYTES],
    const uint8_t z[MLKEM_SEED_BYTES], uint8_t *ek, uint8_t *dk)
{
	const struct params *p = get_params(lvl);
	size_t off;

	if (p == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	pke_keygen(p, d, ek, dk);
	off = POLY12 * p->k;
	memcpy(dk + off, ek, ek_bytes(p));
	off += ek_bytes(p);
	sha3_256(ek, ek_bytes(p), dk + off);
	memcpy(dk + off + SYM, z, SYM);
	return 0;
}

int
mlkem_keygen(enum mlkem_level lvl, uint8_t *ek, uint8_t *dk)
{
	uint8_t seed[2 * MLKEM_SEED_BYTES];
	int rc;

	mp_random(seed, sizeof(seed));
	rc = mlkem_keygen_derand(lvl, seed, seed + MLKEM_SEED_BYTES, ek, dk);
	mp_zero(seed, sizeof(seed));
	return rc;
}

int
mlkem_check_ek(enum mlkem_level lvl, const uint8_t *ek, size_t ek_len)
{
	const struct params *p = get_params(lvl);
	struct poly t;
	uint32_t bad = 0;
	unsigned i, j;

	if (p == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (ek_len != ek_bytes(p))
		return MP_ERR_KEY_LENGTH;
	for (i = 0; i < p->k; i++) {
		byte_decode(&t, ek + POLY12 * i, 12);
		for (j = 0; j < N; j++)
			bad |= (uint32_t)(Q - 1 - t.c[j]) >> 31;
	}
	return bad ? MP_ERR_INVALID_KEY : 0;
}

int
mlkem_check_dk(enum mlkem_level lvl, const uint8_t *dk, size_t dk_len)
{
	const struct params *p = get_params(lvl);
	uint8_t h[SYM];
	size_t off;

	if (p == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (dk_len != dk_bytes(p))
		return MP_ERR_KEY_LENGTH;
	off = POLY12 * p->k;
	sha3_256(dk + off, ek_bytes(p), h);
	if (!mp_ct_equal(h, dk + off + ek_bytes(p), SYM))
		return MP_ERR_INVALID_KEY;
	return 0;
}

int
mlkem_encaps_derand(enum mlkem_level lvl, const uint8_t *ek, size_t ek_len,
    const uint8_t m[MLKEM_SEED_BYTES], uint8_t *ct, uint8_t ss[MLKEM_SS_BYTES])
{
	const struct params *p = get_params(lvl);
	uint8_t in[2 * SYM], g[2 * SYM];
	int rc;

	if ((rc = mlkem_check_ek(lvl, ek, ek_len)) != 0)
		return rc;
	memcpy(in, m, SYM);
	sha3_256(ek, ek_len, in + SYM);
	sha3_512(in, sizeof(in), g);
	pke_encrypt(p, ek, m, g + SYM, ct);
	memcpy(ss, g, SYM);
	mp_zero(in, sizeof(in));
	mp_zero(g, sizeof(g));
	return 0;
}

int
mlkem_encaps(enum mlkem_level lvl, const uint8_t *ek, size_t ek_len,
    uint8_t *ct, uint8_t ss[MLKEM_SS_BYTES])
{
	uint8_t m[MLKEM_SEED_BYTES];
	int rc;

	mp_random(m, sizeof(m));
	rc = mlkem_encaps_derand(lvl, ek, ek_len, m, ct, ss);
	mp_zero(m, sizeof(m));
	return rc;
}

/* out = eq ? a : b, without a branch on eq (0 or 1). */
static void
ct_select(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t len,
    int eq)
{
	uint8_t mask = (uint8_t)(0u - (unsigned)eq);
	size_t i;

	__asm__("" : "+r"(mask));	/* keep the compiler from branching */
	for (i = 0; i < len; i++)
		out[i] = (uint8_t)(b[i] ^ (mask & (a[i] ^ b[i])));
}

/* Algorithm 18 after the input checks. */
static void
decaps_internal(const struct params *p, const uint8_t *dk, const uint8_t *ct,
    uint8_t ss[MLKEM_SS_BYTES])
{
	struct {
		uint8_t in[2 * SYM], g[2 * SYM], kbar[SYM];
		uint8_t ct2[MLKEM_CT_MAX];
		struct sha3_ctx j;
	} w;
	const uint8_t *ek = dk + POLY12 * p->k;
	const uint8_t *h = ek + ek_bytes(p), *z = h + SYM;
	size_t ctlen = ct_bytes(p);

	pke_decrypt(p, dk, ct, w.in);
	memcpy(w.in + SYM, h, SYM);
	sha3_512(w.in, sizeof(w.in), w.g);
	shake256_init(&w.j);
	sha3_update(&w.j, z, SYM);
	sha3_update(&w.j, ct, ctlen);
	shake_squeeze(&w.j, w.kbar, SYM);
	pke_encrypt(p, ek, w.in, w.g + SYM, w.ct2);
	ct_select(ss, w.g, w.kbar, SYM, mp_ct_equal(ct, w.ct2, ctlen));
	mp_zero(&w, sizeof(w));
}

int
mlkem_decaps(enum mlkem_level lvl, const uint8_t *dk, size_t dk_len,
    const uint8_t *ct, size_t ct_len, uint8_t ss[MLKEM_SS_BYTES])
{
	const struct params *p = get_params(lvl);
	int rc;

	if (p == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (ct_len != ct_bytes(p))
		return MP_ERR_KEY_LENGTH;
	if ((rc = mlkem_check_dk(lvl, dk, dk_len)) != 0)
		return rc;
	decaps_internal(p, dk, ct, ss);
	return 0;
}

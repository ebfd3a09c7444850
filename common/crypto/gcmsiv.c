/* gcmsiv.c: AES-128/256-GCM-SIV (RFC 8452) on OpenSSL's AES-ECB and the project's POLYVAL. */
#include <endian.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/polyval.h"
#include "common/crypto/gcmsiv.h"

#define AES_BLOCK		16
#define AES_MAX_KEY		32
#define GCMSIV_MAX_INPUT	(1ULL << 36)	/* RFC 8452 A_MAX, P_MAX */
#define CTR_BYTES		1024		/* keystream per AES call, in L1 */

/*
 * The message-encryption key changes with every nonce, so "enc" is re-keyed
 * per message. Its schedule stays in the context until the next message or
 * gcmsiv_free(); it is derived from the key-generating key held next to it,
 * so it exposes nothing more. EVP_CIPHER_CTX_free() cleanses both.
 */
struct gcmsiv_ctx {
	EVP_CIPHER_CTX	*kgk;		/* AES-ECB, key-generating key */
	EVP_CIPHER_CTX	*enc;		/* AES-ECB, message-encryption key */
	size_t		 key_len;
};

/* Per-message secrets, zeroed when the message is done. */
struct msg_state {
	struct polyval_ctx	pv;
	uint8_t			auth_key[POLYVAL_KEY_BYTES];
	uint8_t			enc_key[AES_MAX_KEY];
	uint8_t			ctr[AES_BLOCK];
	size_t			ks_used;	/* bytes of ks to zero */
	uint8_t			ks[CTR_BYTES];
};

static void
le32enc(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
le32dec(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
le64enc(uint8_t *p, uint64_t v)
{
	le32enc(p, (uint32_t)v);
	le32enc(p + 4, (uint32_t)(v >> 32));
}

/* ECB-encrypt len bytes (a multiple of the block size); in may equal out. */
static int
aes_ecb(EVP_CIPHER_CTX *evp, const uint8_t *in, uint8_t *out, size_t len)
{
	int outl;

	if (EVP_EncryptUpdate(evp, out, &outl, in, (int)len) != 1 ||
	    (size_t)outl != len)
		return MP_ERR_LIBCRYPTO;
	return 0;
}

static EVP_CIPHER_CTX *
ecb_new(const EVP_CIPHER *cipher, const uint8_t *key)
{
	EVP_CIPHER_CTX *evp;

	if ((evp = EVP_CIPHER_CTX_new()) == NULL)
		return NULL;
	if (EVP_EncryptInit_ex(evp, cipher, NULL, key, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(evp, 0) != 1) {
		EVP_CIPHER_CTX_free(evp);
		return NULL;
	}
	return evp;
}

struct gcmsiv_ctx *
gcmsiv_new(const uint8_t *key, size_t key_len)
{
	const EVP_CIPHER *cipher;
	struct gcmsiv_ctx *ctx;

	if (key == NULL)
		return NULL;
	if (key_len == 16)
		cipher = EVP_aes_128_ecb();
	else if (key_len == 32)
		cipher = EVP_aes_256_ecb();
	else
		return NULL;
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return NULL;
	ctx->key_len = key_len;
	if ((ctx->kgk = ecb_new(cipher, key)) == NULL ||
	    (ctx->enc = ecb_new(cipher, NULL)) == NULL) {
		gcmsiv_free(ctx);
		return NULL;
	}
	return ctx;
}

void
gcmsiv_free(struct gcmsiv_ctx *ctx)
{
	if (ctx == NULL)
		return;
	EVP_CIPHER_CTX_free(ctx->kgk);
	EVP_CIPHER_CTX_free(ctx->enc);
	free(ctx);
}

/*
 * RFC 8452 section 4: block i = LE32(i) || nonce under the key-generating
 * key; the first 8 bytes of blocks 0-1 make the authentication key, those
 * of blocks 2-3 (2-5 for AES-256) the encryption key, which keys ctx->enc.
 */
static int
derive_keys(struct gcmsiv_ctx *ctx, const uint8_t *nonce, struct msg_state *m)
{
	uint8_t blk[6][AES_BLOCK];
	size_t i, n = 2 + ctx->key_len / 8;
	int r;

	for (i = 0; i < n; i++) {
		le32enc(blk[i], (uint32_t)i);
		memcpy(blk[i] + 4, nonce, GCMSIV_NONCE_BYTES);
	}
	if ((r = aes_ecb(ctx->kgk, blk[0], blk[0], n * AES_BLOCK)) == 0) {
		for (i = 0; i < n; i++)
			memcpy(i < 2 ? m->auth_key + 8 * i :
			    m->enc_key + 8 * (i - 2), blk[i], 8);
		if (EVP_EncryptInit_ex(ctx->enc, NULL, NULL, m->enc_key,
		    NULL) != 1)
			r = MP_ERR_LIBCRYPTO;
	}
	mp_zero(blk, sizeof(blk));
	return r;
}

/* Start POLYVAL under the authentication key and absorb the padded AAD. */
static void
hash_start(struct msg_state *m, const uint8_t *aad, size_t aad_len)
{
	polyval_init(&m->pv, m->auth_key);
	polyval_update(&m->pv, aad, aad_len);
}

/* Finish POLYVAL with the length block; tag = AES(S ^ nonce, msb clear). */
static int
hash_tag(struct gcmsiv_ctx *ctx, struct msg_state *m, const uint8_t *nonce,
    size_t aad_len, size_t pt_len, uint8_t tag[AES_BLOCK])
{
	uint8_t s[AES_BLOCK];
	size_t i;
	int r;

	le64enc(s, (uint64_t)aad_len * 8);
	le64enc(s + 8, (uint64_t)pt_len * 8);
	polyval_update(&m->pv, s, sizeof(s));
	polyval_final(&m->pv, s);
	for (i = 0; i < GCMSIV_NONCE_BYTES; i++)
		s[i] ^= nonce[i];
	s[AES_BLOCK - 1] &= 0x7f;
	r = aes_ecb(ctx->enc, s, tag, AES_BLOCK);
	mp_zero(s, sizeof(s));
	return r;
}

/* One block as a GNU C vector: SIMD moves where the target has them. */
typedef uint32_t block_vec __attribute__((vector_size(AES_BLOCK)));

static void
xor_bytes(uint8_t *out, const uint8_t *in, const uint8_t *ks, size_t len)
{
	block_vec a, b;
	size_t i;

	for (i = 0; i + AES_BLOCK <= len; i += AES_BLOCK) {
		memcpy(&a, in + i, AES_BLOCK);
		memcpy(&b, ks + i, AES_BLOCK);
		a ^= b;
		memcpy(out + i, &a, AES_BLOCK);
	}
	for (; i < len; i++)
		out[i] = in[i] ^ ks[i];
}

/*
 * Counter mode for up to CTR_BYTES: the counter block is the tag with its
 * top bit set, and only its first 32 bits, little-endian, count (mod 2^32).
 */
static int
ctr_chunk(struct gcmsiv_ctx *ctx, struct msg_state *m, const uint8_t *in,
    uint8_t *out, size_t len)
{
	size_t i, nblk = (len + AES_BLOCK - 1) / AES_BLOCK;
	uint32_t c = le32dec(m->ctr);
	block_vec v;
	int r;

	memcpy(&v, m->ctr, AES_BLOCK);
	for (i = 0; i < nblk; i++) {
		v[0] = htole32(c++);
		memcpy(m->ks + AES_BLOCK * i, &v, AES_BLOCK);
	}
	le32enc(m->ctr, c);
	if (m->ks_used < nblk * AES_BLOCK)
		m->ks_used = nblk * AES_BLOCK;
	if ((r = aes_ecb(ctx->enc, m->ks, m->ks, nblk * AES_BLOCK)) != 0)
		return r;
	xor_bytes(out, in, m->ks, len);
	return 0;
}

static void
msg_done(struct msg_state *m)
{
	mp_zero(m->ks, m->ks_used);
	mp_zero(m, offsetof(struct msg_state, ks));
}

/* Arguments common to seal and open; in is the pt or ct to read. */
static int
check_args(const struct gcmsiv_ctx *ctx, const uint8_t *nonce,
    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t in_len,
    size_t pt_len)
{
	if (ctx == NULL || nonce == NULL || (aad == NULL && aad_len > 0) ||
	    (in == NULL && in_len > 0))
		return MP_ERR_INVALID_ARGUMENT;
	if ((uint64_t)aad_len > GCMSIV_MAX_INPUT ||
	    (uint64_t)pt_len > GCMSIV_MAX_INPUT)
		return MP_ERR_TOO_LARGE;
	return 0;
}

int
gcmsiv_seal(struct gcmsiv_ctx *ctx, const uint8_t nonce[GCMSIV_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len,
    uint8_t *out)
{
	struct msg_state m;
	uint8_t tag[AES_BLOCK];
	size_t off, n;
	int r;

	if ((r = check_args(ctx, nonce, aad, aad_len, pt, pt_len,
	    pt_len)) != 0)
		return r;
	if (out == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	m.ks_used = 0;
	if ((r = derive_keys(ctx, nonce, &m)) != 0)
		goto done;
	hash_start(&m, aad, aad_len);
	polyval_update(&m.pv, pt, pt_len);
	if ((r = hash_tag(ctx, &m, nonce, aad_len, pt_len, tag)) != 0)
		goto done;
	memcpy(m.ctr, tag, AES_BLOCK);
	m.ctr[AES_BLOCK - 1] |= 0x80;
	for (off = 0; off < pt_len; off += n) {
		n = pt_len - off < CTR_BYTES ? pt_len - off : CTR_BYTES;
		if ((r = ctr_chunk(ctx, &m, pt + off, out + off, n)) != 0)
			goto done;
	}
	memcpy(out + pt_len, tag, AES_BLOCK);
done:
	msg_done(&m);
	return r;
}

/* Decrypt in chunks, hashing each plaintext chunk while it is in cache. */
static int
open_body(struct gcmsiv_ctx *ctx, struct msg_state *m, const uint8_t *ct,
    size_t len, uint8_t *out)
{
	size_t off, n;
	int r;

	for (off = 0; off < len; off += n) {
		n = len - off < CTR_BYTES ? len - off : CTR_BYTES;
		if ((r = ctr_chunk(ctx, m, ct + off, out + off, n)) != 0)
			return r;
		polyval_update(&m->pv, out + off, n);
	}
	return 0;
}

int
gcmsiv_open(struct gcmsiv_ctx *ctx, const uint8_t nonce[GCMSIV_NONCE_BYTES],
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len,
    uint8_t *out)
{
	struct msg_state m;
	uint8_t tag[AES_BLOCK], want[AES_BLOCK];
	size_t pt_len;
	int r;

	if (ct_len < AES_BLOCK)
		return MP_ERR_INCOMPLETE;
	pt_len = ct_len - AES_BLOCK;
	if ((r = check_args(ctx, nonce, aad, aad_len, ct, ct_len,
	    pt_len)) != 0)
		return r;
	if (out == NULL && pt_len > 0)
		return MP_ERR_INVALID_ARGUMENT;
	memcpy(tag, ct + pt_len, AES_BLOCK);
	memcpy(m.ctr, tag, AES_BLOCK);
	m.ctr[AES_BLOCK - 1] |= 0x80;
	m.ks_used = 0;
	if ((r = derive_keys(ctx, nonce, &m)) != 0)
		goto done;
	hash_start(&m, aad, aad_len);
	if ((r = open_body(ctx, &m, ct, pt_len, out)) != 0)
		goto done;
	if ((r = hash_tag(ctx, &m, nonce, aad_len, pt_len, want)) != 0)
		goto done;
	if (!mp_ct_equal(tag, want, AES_BLOCK))
		r = MP_ERR_AUTH;
done:
	if (r != 0)
		mp_zero(out, pt_len);
	mp_zero(want, sizeof(want));
	msg_done(&m);
	return r;
}

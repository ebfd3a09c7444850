/* tcprecord.c: framing of handshake messages on TCP, in clear before the key exchange and as AEAD (+HMAC) records after it (PROTOCOL.md 2.2, 2.7). */
#include <string.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/proto/tcprecord.h"

/*
 * A record is worked on in one buffer laid out as
 *   uint32 0 || uint64 seq || uint32 length || ciphertext-and-tag || MAC
 * so that the nonce, the MAC input (seq || length || ciphertext) and the
 * associated data (length) are all views of it.
 */
#define NONCE_OFF	0
#define MAC_IN_OFF	4
#define AAD_OFF		12
#define CT_OFF		16
#define WORK_MAX	(CT_OFF + HS_MAX_MESSAGE + HS_REC_OVERHEAD_MAX)

int
hs_rec_start(struct hs_rec *r, const char *aead, const char *mac,
    const uint8_t *key, const uint8_t *mac_key)
{
	const struct aead_alg *alg;
	int r2;

	hs_rec_clear(r);
	if ((alg = aead_by_name(aead)) == NULL)
		return MP_ERR_UNKNOWN_ALGORITHM;
	if ((r2 = mac_by_name(mac, &r->is_hmac, &r->mac_alg)) != 0)
		return r2;
	if (r->is_hmac) {
		r->mac_len = hash_len(r->mac_alg);
		memcpy(r->mac_key, mac_key, r->mac_len);
	}
	if ((r->aead = aead_new(alg, key, alg->key_len)) == NULL) {
		hs_rec_clear(r);
		return MP_ERR_ALLOC;
	}
	return 0;
}

void
hs_rec_clear(struct hs_rec *r)
{
	aead_free(r->aead);
	mp_zero(r, sizeof(*r));
}

/* Bounds of the length field. */
static size_t
len_min(const struct hs_rec *r)
{
	return r->aead == NULL ? 1 : 1 + AEAD_TAG_BYTES + r->mac_len;
}

static size_t
len_max(const struct hs_rec *r)
{
	return r->aead == NULL ? HS_MAX_MESSAGE :
	    HS_MAX_MESSAGE + AEAD_TAG_BYTES + r->mac_len;
}

/* Start the work buffer: the nonce (uint32 0 || uint64 seq). */
static struct buf *
work_new(const struct hs_rec *r)
{
	struct buf *w;

	if ((w = buf_new(WORK_MAX)) == NULL)
		return NULL;
	if (buf_put_u32(w, 0) != 0 || buf_put_u64(w, r->seq) != 0) {
		buf_free(w);
		return NULL;
	}
	return w;
}

/* Seal msg into w after its nonce; w ends as length || record. */
static int
seal(struct hs_rec *r, const uint8_t *msg, size_t len, struct buf *w)
{
	size_t ct_len = len + AEAD_TAG_BYTES;
	const uint8_t *base;
	uint8_t *p;
	int e;

	if ((e = buf_put_u32(w, (uint32_t)(ct_len + r->mac_len))) != 0 ||
	    (e = buf_reserve(w, ct_len + r->mac_len, &p)) != 0)
		return e;
	base = buf_ptr(w);
	if ((e = aead_seal(r->aead, base + NONCE_OFF, base + AAD_OFF, 4, msg,
	    len, p)) != 0)
		return e;
	if (r->is_hmac && (e = hmac(r->mac_alg, r->mac_key, r->mac_len,
	    base + MAC_IN_OFF, CT_OFF - MAC_IN_OFF + ct_len, p + ct_len)) != 0)
		return e;
	return buf_consume(w, AAD_OFF);
}

int
hs_rec_write(struct hs_rec *r, const uint8_t *msg, size_t len,
    struct buf *out)
{
	struct buf *w;
	int e;

	if (len < 1 || len > HS_MAX_MESSAGE)
		return MP_ERR_INVALID_ARGUMENT;
	if (r->aead == NULL)
		return buf_put_string(out, msg, len);
	if (r->seq == UINT64_MAX)
		return MP_ERR_LIMIT;
	if ((w = work_new(r)) == NULL)
		return MP_ERR_ALLOC;
	if ((e = seal(r, msg, len, w)) == 0 &&
	    (e = buf_put(out, buf_ptr(w), buf_len(w))) == 0)
		r->seq++;
	buf_free(w);
	return e;
}

/* Authenticate and decrypt the record in w (after its nonce: length ||
 * record of rec_len bytes) into msg. */
static int
open_record(struct hs_rec *r, struct buf *w, size_t rec_len, struct buf *msg)
{
	size_t ct_len = rec_len - r->mac_len;
	const uint8_t *base = buf_ptr(w);
	uint8_t *p;
	int e;

	if (r->is_hmac && hmac_verify(r->mac_alg, r->mac_key, r->mac_len,
	    base + MAC_IN_OFF, CT_OFF - MAC_IN_OFF + ct_len,
	    base + CT_OFF + ct_len, r->mac_len) != 0)
		return MP_ERR_AUTH;
	if ((e = buf_reserve(msg, ct_len - AEAD_TAG_BYTES, &p)) != 0)
		return e;
	if (aead_open(r->aead, base + NONCE_OFF, base + AAD_OFF, 4,
	    base + CT_OFF, ct_len, p) != 0) {
		buf_reset(msg);
		return MP_ERR_AUTH;
	}
	return 0;
}

static int
read_record(struct hs_rec *r, const uint8_t *frame, size_t rec_len,
    struct buf *msg)
{
	struct buf *w;
	int e;

	if (r->seq == UINT64_MAX)
		return MP_ERR_LIMIT;
	if ((w = work_new(r)) == NULL)
		return MP_ERR_ALLOC;
	if ((e = buf_put(w, frame, 4 + rec_len)) == 0 &&
	    (e = open_record(r, w, rec_len, msg)) == 0)
		r->seq++;
	buf_free(w);
	return e;
}

/* The length field at the front of in, if its 4 bytes are there. */
static int
peek_len(const struct buf *in, uint32_t *len)
{
	struct buf *v;
	int e;

	if ((v = buf_from(buf_ptr(in), buf_len(in))) == NULL)
		return MP_ERR_ALLOC;
	e = buf_get_u32(v, len);
	buf_free(v);
	return e;
}

int
hs_rec_read(struct hs_rec *r, struct buf *in, struct buf *msg)
{
	uint32_t len;
	int e;

	if ((e = peek_len(in, &len)) == MP_ERR_INCOMPLETE)
		return 0;
	if (e != 0)
		return e;
	if (len < len_min(r))
		return MP_ERR_INVALID_FORMAT;
	if (len > len_max(r))
		return MP_ERR_TOO_LARGE;
	if (buf_len(in) - 4 < len)
		return 0;
	buf_reset(msg);
	if (r->aead == NULL)
		e = buf_put(msg, buf_ptr(in) + 4, len);
	else
		e = read_record(r, buf_ptr(in), len, msg);
	if (e != 0)
		return e;
	if ((e = buf_consume(in, 4 + len)) != 0)
		return e;
	return 1;
}

/* transcript.c: the exchange hash H, the key schedule, and the data signed by the host and the user or proven on resume (PROTOCOL.md 2.5, 2.6, 2.8). */
#include <string.h>

#include "common/err.h"
#include "common/pubkey.h"
#include "common/secmem.h"
#include "common/crypto/aead.h"
#include "common/crypto/kex.h"
#include "common/proto/transcript.h"

#define HOST_CONTEXT	"moshpit-host-signature-v1"
#define USER_CONTEXT	"moshpit-user-signature-v1"
#define RESUME_CONTEXT	"moshpit-resume-v1"
#define LABEL_PREFIX	"moshpit-v1 "
#define INFO_MAX	64
#define RESUME_DATA_MAX	(4 + 32 + 4 + HS_H_MAX)

/* Room for every part of H: versions, HELLOs, values, key, secret. */
#define TRANSCRIPT_MAX	(8 * 4 + 2 * 255 + 2 * HS_MAX_MESSAGE + 4096 + \
	KEX_CLIENT_MSG_MAX + KEX_SERVER_MSG_MAX + KEX_SECRET_MAX)

int
hs_exchange_hash(const struct hs_transcript *t, const char *kex,
    uint8_t h[HS_H_MAX], size_t *h_len)
{
	const struct kex_alg *alg;
	struct buf *b;
	int i, r = 0;

	if ((alg = kex_by_name(kex)) == NULL)
		return MP_ERR_UNKNOWN_ALGORITHM;
	if (hash_len(alg->hash) > HS_H_MAX)
		return MP_ERR_INTERNAL;
	if ((b = buf_new(TRANSCRIPT_MAX)) == NULL)
		return MP_ERR_ALLOC;
	for (i = 0; i < HS_NPARTS && r == 0; i++)
		r = buf_put_string(b, t->p[i], t->len[i]);
	if (r == 0)
		r = hash_digest(alg->hash, buf_ptr(b), buf_len(b), h);
	if (r == 0)
		*h_len = hash_len(alg->hash);
	buf_free(b);	/* zeroes K */
	return r;
}

/* key(label, n) = HKDF(salt = H, IKM = K, info = "moshpit-v1 " || label):
 * Extract then Expand, as PROTOCOL.md 2.6 writes it in two steps. */
static int
derive_one(enum hash_alg alg, const struct hs_keys *k, const uint8_t *secret,
    size_t secret_len, const char *label, uint8_t *out, size_t n)
{
	struct buf *info;
	int r;

	if (n == 0)
		return 0;
	if ((info = buf_new(INFO_MAX)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = buf_put(info, LABEL_PREFIX, strlen(LABEL_PREFIX))) == 0 &&
	    (r = buf_put(info, label, strlen(label))) == 0)
		r = hkdf(alg, k->h, k->h_len, secret, secret_len,
		    buf_ptr(info), buf_len(info), out, n);
	buf_free(info);
	return r;
}

/* Key and MAC key lengths of the negotiated algorithms. */
static int
key_lengths(struct hs_keys *k)
{
	const struct aead_alg *aead;
	enum hash_alg mac_alg;
	int is_hmac, r;

	if ((aead = aead_by_name(k->aead)) == NULL)
		return MP_ERR_UNKNOWN_ALGORITHM;
	if ((r = mac_by_name(k->mac, &is_hmac, &mac_alg)) != 0)
		return r;
	k->key_len = aead->key_len;
	k->mac_len = is_hmac ? hash_len(mac_alg) : 0;
	if (k->key_len > HS_KEY_MAX || k->mac_len > HS_MAC_KEY_MAX)
		return MP_ERR_INTERNAL;
	return 0;
}

/* Every key of the schedule, k->key_len and k->mac_len being set. */
static int
derive_all(enum hash_alg alg, struct hs_keys *k, const uint8_t *secret,
    size_t secret_len, struct hs_tcp_keys *tcp)
{
	const struct {
		const char *label;
		uint8_t *out;
		size_t len;
	} plan[] = {
		{ "hs c2s key", tcp->c2s_key, k->key_len },
		{ "hs s2c key", tcp->s2c_key, k->key_len },
		{ "hs c2s mac", tcp->c2s_mac, k->mac_len },
		{ "hs s2c mac", tcp->s2c_mac, k->mac_len },
		{ "udp c2s key", k->c2s_key, k->key_len },
		{ "udp s2c key", k->s2c_key, k->key_len },
		{ "udp c2s mac", k->c2s_mac, k->mac_len },
		{ "udp s2c mac", k->s2c_mac, k->mac_len },
		{ "resume", k->resume, HS_RESUME_BYTES },
	};
	size_t i;
	int r;

	for (i = 0; i < sizeof(plan) / sizeof(plan[0]); i++)
		if ((r = derive_one(alg, k, secret, secret_len, plan[i].label,
		    plan[i].out, plan[i].len)) != 0)
			return r;
	return 0;
}

int
hs_derive_keys(struct hs_keys *k, const uint8_t *secret, size_t secret_len,
    struct hs_tcp_keys *tcp)
{
	enum hash_alg alg;
	int r;

	if ((r = kdf_by_name(k->kdf, &alg)) != 0 ||
	    (r = key_lengths(k)) != 0)
		return r;
	return derive_all(alg, k, secret, secret_len, tcp);
}

void
hs_keys_clear(struct hs_keys *k)
{
	mp_zero(k, sizeof(*k));
}

int
hs_host_signed_data(struct buf *out, const uint8_t *h, size_t h_len)
{
	int r;

	if ((r = buf_put_cstring(out, HOST_CONTEXT)) != 0)
		return r;
	return buf_put_string(out, h, h_len);
}

/* The algorithm name at the start of a key blob (1 to
 * PUBKEY_ALG_NAME_MAX bytes), by reference. */
static int
blob_alg(const uint8_t *blob, size_t blob_len, const uint8_t **name,
    size_t *name_len)
{
	struct buf *b;
	int r;

	if ((b = buf_from(blob, blob_len)) == NULL)
		return MP_ERR_ALLOC;
	r = buf_get_string_direct(b, name, name_len, PUBKEY_ALG_NAME_MAX);
	buf_free(b);
	return r != 0 || *name_len == 0 ? MP_ERR_INVALID_FORMAT : 0;
}

int
hs_user_signed_data(struct buf *out, const uint8_t *h, size_t h_len,
    const char *user, const uint8_t *blob, size_t blob_len)
{
	const uint8_t *name;
	size_t name_len;
	int r;

	if ((r = blob_alg(blob, blob_len, &name, &name_len)) != 0)
		return r;
	if ((r = buf_put_cstring(out, USER_CONTEXT)) != 0 ||
	    (r = buf_put_string(out, h, h_len)) != 0 ||
	    (r = buf_put_cstring(out, user)) != 0 ||
	    (r = buf_put_string(out, name, name_len)) != 0)
		return r;
	return buf_put_string(out, blob, blob_len);
}

int
hs_resume_proof(const char *kdf, const uint8_t secret[HS_RESUME_BYTES],
    const uint8_t *h, size_t h_len, uint8_t proof[HASH_MAX_BYTES],
    size_t *proof_len)
{
	enum hash_alg alg;
	struct buf *b;
	int r;

	if ((r = kdf_by_name(kdf, &alg)) != 0)
		return r;
	if ((b = buf_new(RESUME_DATA_MAX)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = buf_put_cstring(b, RESUME_CONTEXT)) == 0 &&
	    (r = buf_put_string(b, h, h_len)) == 0)
		r = hmac(alg, secret, HS_RESUME_BYTES, buf_ptr(b), buf_len(b),
		    proof);
	if (r == 0)
		*proof_len = hash_len(alg);
	buf_free(b);
	return r;
}

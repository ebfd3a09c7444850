/* record.c: UDP records: counter nonces, AEAD over the clear header, optional encrypt-then-MAC, replay window. */
#include <stdlib.h>
#include <string.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/hmackey.h"
#include "common/proto/record.h"
#include "common/proto/replay.h"

#define DIR_C2S	0
#define DIR_S2C	1

/* One direction: its cipher, MAC key and nonce direction. */
struct rec_dir {
	struct aead_ctx *aead;
	struct hmac_key *mac;		/* NULL for implicit */
	uint32_t direction;
};

struct rec_ctx {
	struct rec_dir send, recv;
	int is_hmac;
	enum hash_alg mac_alg;
	size_t mac_len;			/* 0 for implicit */
	uint64_t seq;			/* next to seal */
	struct replay window;
	struct rec_stats stats;
};

static void
make_nonce(uint8_t nonce[AEAD_NONCE_BYTES], uint32_t direction, uint64_t seq)
{
	store_be64(store_be32(nonce, direction), seq);
}

/* Check the MAC name against the key length the handshake made. */
static int
mac_setup(struct rec_ctx *r, const struct hs_keys *k)
{
	if (mac_by_name(k->mac, &r->is_hmac, &r->mac_alg) != 0)
		return -1;
	r->mac_len = r->is_hmac ? hash_len(r->mac_alg) : 0;
	return k->mac_len == r->mac_len ? 0 : -1;
}

static int
dir_setup(struct rec_dir *d, const struct aead_alg *alg, const uint8_t *key,
    size_t key_len, enum hash_alg mac_alg, const uint8_t *mac_key,
    size_t mac_len, uint32_t direction)
{
	if ((d->aead = aead_new(alg, key, key_len)) == NULL)
		return -1;
	d->direction = direction;
	if (mac_len == 0)
		return 0;
	return (d->mac = hmac_key_new(mac_alg, mac_key, mac_len)) == NULL ?
	    -1 : 0;
}

struct rec_ctx *
rec_new(const struct hs_keys *k, int is_server)
{
	const struct aead_alg *alg;
	struct rec_ctx *r;
	const uint8_t *send_key, *recv_key, *send_mac, *recv_mac;
	int fail;

	if ((alg = aead_by_name(k->aead)) == NULL)
		return NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	send_key = is_server ? k->s2c_key : k->c2s_key;
	recv_key = is_server ? k->c2s_key : k->s2c_key;
	send_mac = is_server ? k->s2c_mac : k->c2s_mac;
	recv_mac = is_server ? k->c2s_mac : k->s2c_mac;
	fail = mac_setup(r, k) != 0 ||
	    dir_setup(&r->send, alg, send_key, k->key_len, r->mac_alg,
	    send_mac, k->mac_len, is_server ? DIR_S2C : DIR_C2S) != 0 ||
	    dir_setup(&r->recv, alg, recv_key, k->key_len, r->mac_alg,
	    recv_mac, k->mac_len, is_server ? DIR_C2S : DIR_S2C) != 0;
	if (fail) {
		rec_free(r);
		return NULL;
	}
	replay_init(&r->window);
	return r;
}

void
rec_free(struct rec_ctx *r)
{
	if (r == NULL)
		return;
	aead_free(r->send.aead);
	aead_free(r->recv.aead);
	hmac_key_free(r->send.mac);
	hmac_key_free(r->recv.mac);
	mp_free_secret(r, sizeof(*r));
}

size_t
rec_overhead(const struct rec_ctx *r)
{
	return REC_HEADER_BYTES + AEAD_TAG_BYTES + r->mac_len;
}

size_t
rec_max_payload(const struct rec_ctx *r)
{
	return REC_DATAGRAM_MAX - rec_overhead(r);
}

int
rec_seal(struct rec_ctx *r, const uint8_t *payload, size_t len,
    uint8_t *out, size_t out_size, size_t *out_len)
{
	uint8_t nonce[AEAD_NONCE_BYTES];
	size_t body;
	uint64_t seq;
	int ret;

	if (r->seq >= REC_SEQ_LIMIT)
		return MP_ERR_LIMIT;
	if (len > rec_max_payload(r))
		return MP_ERR_TOO_LARGE;
	if (out_size < len + rec_overhead(r))
		return MP_ERR_NO_SPACE;
	seq = r->seq++;
	out[0] = REC_VERSION;
	store_be64(out + 1, seq);
	make_nonce(nonce, r->send.direction, seq);
	body = REC_HEADER_BYTES + len + AEAD_TAG_BYTES;
	ret = aead_seal(r->send.aead, nonce, out, REC_HEADER_BYTES, payload,
	    len, out + REC_HEADER_BYTES);
	if (ret == 0 && r->send.mac != NULL)
		hmac_key_tag(r->send.mac, out, body, out + body);
	if (ret != 0) {
		mp_zero(out, len + rec_overhead(r));
		return ret;
	}
	*out_len = body + r->mac_len;
	return 0;
}

/* The length, version and window checks, before any cryptography. */
static int
precheck(struct rec_ctx *r, const uint8_t *dgram, size_t len, uint64_t *seq)
{
	if (len < rec_overhead(r)) {
		r->stats.too_short++;
		return MP_ERR_INCOMPLETE;
	}
	if (len > REC_DATAGRAM_MAX) {
		r->stats.too_long++;
		return MP_ERR_TOO_LARGE;
	}
	if (dgram[0] != REC_VERSION) {
		r->stats.bad_version++;
		return MP_ERR_INVALID_FORMAT;
	}
	*seq = load_be64(dgram + 1);
	if (replay_check(&r->window, *seq) != 0) {
		r->stats.replayed++;
		return MP_ERR_EXISTS;
	}
	return 0;
}

/* MAC (if any) then AEAD; body is header, ciphertext and tag. */
static int
authenticate(struct rec_ctx *r, const uint8_t *dgram, size_t body,
    uint64_t seq, uint8_t *out)
{
	uint8_t nonce[AEAD_NONCE_BYTES];

	if (r->recv.mac != NULL &&
	    hmac_key_check(r->recv.mac, dgram, body, dgram + body) != 0) {
		r->stats.bad_mac++;
		return MP_ERR_AUTH;
	}
	make_nonce(nonce, r->recv.direction, seq);
	if (aead_open(r->recv.aead, nonce, dgram, REC_HEADER_BYTES,
	    dgram + REC_HEADER_BYTES, body - REC_HEADER_BYTES, out) != 0) {
		r->stats.bad_tag++;
		return MP_ERR_AUTH;
	}
	return 0;
}

int
rec_open(struct rec_ctx *r, const uint8_t *dgram, size_t len,
    uint8_t *out, size_t out_size, size_t *out_len, int *newest)
{
	size_t body, plain;
	uint64_t seq;
	int ret;

	if ((ret = precheck(r, dgram, len, &seq)) != 0)
		return ret;
	body = len - r->mac_len;
	plain = body - REC_HEADER_BYTES - AEAD_TAG_BYTES;
	if (out_size < plain)
		return MP_ERR_NO_SPACE;
	if ((ret = authenticate(r, dgram, body, seq, out)) != 0)
		return ret;
	if ((ret = replay_update(&r->window, seq)) < 0) {
		mp_zero(out, plain);
		r->stats.replayed++;
		return ret;
	}
	r->stats.accepted++;
	*newest = ret;
	*out_len = plain;
	return 0;
}

const struct rec_stats *
rec_stats(const struct rec_ctx *r)
{
	return &r->stats;
}

void
rec_set_seq_for_test(struct rec_ctx *r, uint64_t seq)
{
	r->seq = seq;
}

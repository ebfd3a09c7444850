/* transcript.h: the exchange hash H, the key schedule, and the data signed by the host and the user or proven on resume (PROTOCOL.md 2.5, 2.6, 2.8). */
#ifndef MP_PROTO_TRANSCRIPT_H
#define MP_PROTO_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/hash.h"
#include "common/proto/handshake.h"

/* The inputs of H, in hashing order; each is hashed as a string. */
enum hs_part {
	HS_V_C,		/* client version line, CR LF excluded */
	HS_V_S,
	HS_I_C,		/* client HELLO, type byte included */
	HS_I_S,
	HS_K_S,		/* host key blob */
	HS_Q_C,
	HS_Q_S,
	HS_K,		/* shared secret */
	HS_NPARTS
};

struct hs_transcript {
	const uint8_t *p[HS_NPARTS];
	size_t len[HS_NPARTS];
};

/* H with the hash of kex (its name); h receives *h_len bytes. */
int hs_exchange_hash(const struct hs_transcript *t, const char *kex,
    uint8_t h[HS_H_MAX], size_t *h_len);

/* The keys of the TCP records (labels "hs ..."). */
struct hs_tcp_keys {
	uint8_t c2s_key[HS_KEY_MAX], s2c_key[HS_KEY_MAX];
	uint8_t c2s_mac[HS_MAC_KEY_MAX], s2c_mac[HS_MAC_KEY_MAX];
};

/*
 * The key schedule of PROTOCOL.md 2.6 from the shared secret and k->h,
 * with the algorithms named in k: fills tcp and the UDP keys, key_len,
 * mac_len and resume of k. Erase both with mp_zero() / hs_keys_clear().
 */
int hs_derive_keys(struct hs_keys *k, const uint8_t *secret,
    size_t secret_len, struct hs_tcp_keys *tcp);

/* Append string "moshpit-host-signature-v1" || string H. */
int hs_host_signed_data(struct buf *out, const uint8_t *h, size_t h_len);

/* Append the user signature data of PROTOCOL.md 2.8.1; the key
 * algorithm name is the one in blob (MP_ERR_INVALID_FORMAT if blob does
 * not start with one). */
int hs_user_signed_data(struct buf *out, const uint8_t *h, size_t h_len,
    const char *user, const uint8_t *blob, size_t blob_len);

/* The resume proof HMAC-HASH(secret, string "moshpit-resume-v1" ||
 * string H), HASH being that of kdf (its name): *proof_len bytes. */
int hs_resume_proof(const char *kdf, const uint8_t secret[HS_RESUME_BYTES],
    const uint8_t *h, size_t h_len, uint8_t proof[HASH_MAX_BYTES],
    size_t *proof_len);

#endif

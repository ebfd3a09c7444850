/* record.h: sealing and opening the UDP session's datagrams (PROTOCOL.md 3.1), without sockets. */
#ifndef MP_RECORD_H
#define MP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto/handshake.h"

/*
 * A record is a 9-byte clear header (version byte 1, uint64 seq), the
 * AEAD ciphertext of the payload with its 16-byte tag, then with an
 * hmac-* MAC the HMAC of everything before it. One context serves one
 * end of a session: the server seals with the s2c keys (nonce direction
 * 1) and opens with the c2s keys (direction 0); the client the reverse.
 * A record therefore never opens at the end that sealed it.
 *
 * Neither rec_seal() nor rec_open() allocates.
 */

#define REC_VERSION		1
#define REC_HEADER_BYTES	9
#define REC_DATAGRAM_MAX	1200	/* never fragmented over IPv6 */
#define REC_SEQ_LIMIT		(1ull << 40)	/* no record is sealed at this seq */

/* Datagrams dropped by rec_open(), by reason, and those accepted. */
struct rec_stats {
	uint64_t too_short;	/* header, tag and MAC do not fit */
	uint64_t too_long;	/* above REC_DATAGRAM_MAX */
	uint64_t bad_version;
	uint64_t replayed;	/* seen already, or too old for the window */
	uint64_t bad_mac;
	uint64_t bad_tag;
	uint64_t accepted;
};

struct rec_ctx;

/* A context for the server (is_server 1) or client (0) end from the
 * handshake's keys, which it copies. NULL if the aead or mac name is
 * unknown, a key has the wrong length, or memory runs out. */
struct rec_ctx *rec_new(const struct hs_keys *k, int is_server);
/* Erase the keys and free; r may be NULL. */
void rec_free(struct rec_ctx *r);

/* The largest payload whose record fits REC_DATAGRAM_MAX: 1175 with the
 * implicit MAC, 1143 with hmac-sha256, 1111 with hmac-sha512. */
size_t rec_max_payload(const struct rec_ctx *r);
/* Bytes a record adds to its payload: header, tag and MAC. */
size_t rec_overhead(const struct rec_ctx *r);

/*
 * Seal payload (len bytes) as the next record into out (out_size bytes),
 * setting *out_len to the datagram length (len + rec_overhead()). The
 * payload may already sit at out + REC_HEADER_BYTES (sealed in place);
 * otherwise the two must not overlap.
 *
 * Errors: MP_ERR_TOO_LARGE if len > rec_max_payload(), MP_ERR_NO_SPACE if
 * out is too small, MP_ERR_LIMIT once REC_SEQ_LIMIT records have been
 * sealed (the session must end). These use no seq. Each attempt past
 * them consumes a seq, even if the cipher then fails, so no nonce is ever
 * used twice.
 */
int rec_seal(struct rec_ctx *r, const uint8_t *payload, size_t len,
    uint8_t *out, size_t out_size, size_t *out_len);

/*
 * Open a received datagram of len bytes, decrypting its payload into out
 * (out_size bytes; rec_max_payload() always suffices) and setting
 * *out_len. out may be dgram + REC_HEADER_BYTES (decrypted in place).
 *
 * The checks run in the protocol's order: length (MP_ERR_INCOMPLETE if
 * too short, MP_ERR_TOO_LARGE above REC_DATAGRAM_MAX), version byte
 * (MP_ERR_INVALID_FORMAT), replay window (MP_ERR_EXISTS: seen or too
 * old), MAC then AEAD tag (MP_ERR_AUTH), then the window again. Each
 * failure counts in the stats and changes nothing else: the window moves
 * only for a record that passed every check. After a failure out holds
 * no plaintext. MP_ERR_NO_SPACE (not counted) if out_size is too small.
 *
 * On success, *newest is 1 if the record's seq is higher than any
 * accepted before (the roaming rule follows only such records), else 0.
 */
int rec_open(struct rec_ctx *r, const uint8_t *dgram, size_t len,
    uint8_t *out, size_t out_size, size_t *out_len, int *newest);

const struct rec_stats *rec_stats(const struct rec_ctx *r);

/* For tests only: make seq the next number rec_seal() uses. */
void rec_set_seq_for_test(struct rec_ctx *r, uint64_t seq);

#endif

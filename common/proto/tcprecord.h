/* tcprecord.h: framing of handshake messages on TCP, in clear before the key exchange and as AEAD (+HMAC) records after it (PROTOCOL.md 2.2, 2.7). */
#ifndef MP_PROTO_TCPRECORD_H
#define MP_PROTO_TCPRECORD_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/proto/handshake.h"

#define HS_REC_OVERHEAD_MAX	(AEAD_TAG_BYTES + HS_MAC_KEY_MAX)
/* The largest frame, length field included. */
#define HS_REC_FRAME_MAX	(4 + HS_MAX_MESSAGE + HS_REC_OVERHEAD_MAX)

/* One direction of a connection. Zeroed, it frames in clear. */
struct hs_rec {
	struct aead_ctx *aead;		/* NULL: clear frames */
	int is_hmac;
	enum hash_alg mac_alg;
	uint8_t mac_key[HS_MAC_KEY_MAX];
	size_t mac_len;			/* also the MAC's length */
	uint64_t seq;			/* records under this key so far */
};

/* Switch to records under the named AEAD and MAC, keys copied (mac_key
 * is unused for "implicit"); seq restarts at 0. */
int hs_rec_start(struct hs_rec *r, const char *aead, const char *mac,
    const uint8_t *key, const uint8_t *mac_key);
/* Free the cipher and erase the keys. */
void hs_rec_clear(struct hs_rec *r);

/* Append the frame of one message (type byte and payload, 1 to
 * HS_MAX_MESSAGE bytes) to out. MP_ERR_LIMIT once seq would wrap. */
int hs_rec_write(struct hs_rec *r, const uint8_t *msg, size_t len,
    struct buf *out);

/*
 * Take one frame from the front of in: 1 with the message in msg (which is
 * emptied first), 0 if in does not hold a whole frame yet, or a negative
 * mp_err: a length out of range is refused as soon as its 4 bytes are
 * there (MP_ERR_TOO_LARGE, MP_ERR_INVALID_FORMAT); a record that fails to
 * authenticate is MP_ERR_AUTH.
 */
int hs_rec_read(struct hs_rec *r, struct buf *in, struct buf *msg);

#endif

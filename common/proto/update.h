/* update.h: screen updates as STATE chunks (PROTOCOL.md 3.4): compressing and cutting on the server, assembling and decompressing on the client. */
#ifndef MP_UPDATE_H
#define MP_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/proto/frame.h"
#include "common/proto/record.h"

/*
 * An update turns the client's screen from state base into state next.
 * The sender (struct update_tx) compresses it with zstd when that helps
 * and cuts it into at most UPDATE_CHUNKS_MAX chunks of a fixed size,
 * kept so that the whole update can be sent again cheaply. The receiver
 * (struct update_rx) assembles the chunks of one update at a time,
 * keyed by (base, next, flags, count), decompresses it and keeps the
 * newest complete one until it is taken. Every length is checked; a
 * malformed chunk or update is dropped and reported, never trusted.
 *
 * Buffers grow to the largest update seen and are reused: neither side
 * allocates per chunk once warm.
 */

#define UPDATE_CHUNKS_MAX	1024
#define UPDATE_COMPRESS_MIN	128		/* shorter: never compressed */
#define UPDATE_PLAIN_MAX	(32u * 1024 * 1024)	/* decompressed */
/* The most data a STATE frame carries in a record of any suite. */
#define UPDATE_CHUNK_MAX	(REC_DATAGRAM_MAX - REC_HEADER_BYTES - \
	FRAME_PAYLOAD_HEADER - FRAME_HEADER - FRAME_STATE_FIXED)

/* ---- sender ---- */
struct update_tx;

/* Chunks of chunk_size bytes (1 to UPDATE_CHUNK_MAX): what one STATE
 * frame carries in a record. NULL on a bad size or lack of memory. */
struct update_tx *update_tx_new(size_t chunk_size);
void update_tx_free(struct update_tx *u);
/*
 * Replace the update with p (len bytes) from state base to next; flags
 * may hold FRAME_STATE_LINES_DROPPED (FRAME_STATE_ZSTD is set here when
 * the chunks are compressed: at least UPDATE_COMPRESS_MIN bytes that
 * zstd makes shorter). Its chunks all wait to be sent. 0,
 * MP_ERR_INVALID_ARGUMENT for other flags, MP_ERR_TOO_LARGE above
 * UPDATE_PLAIN_MAX or UPDATE_CHUNKS_MAX chunks, or MP_ERR_ALLOC; the
 * previous update stays on any error.
 */
int update_tx_set(struct update_tx *u, uint64_t base, uint64_t next,
    uint8_t flags, const uint8_t *p, size_t len);
/* Every chunk of the last update waits to be sent again.
 * MP_ERR_INVALID_ARGUMENT if there is none. */
int update_tx_requeue(struct update_tx *u);
/* 1 while chunks wait. */
int update_tx_pending(const struct update_tx *u);
/* The next chunk waiting, its data inside u until the next
 * update_tx_set(): 1, or 0 if none waits. */
int update_tx_peek(const struct update_tx *u, struct frame_state *s);
/* That chunk went out: 1 if it was the update's last, else 0. */
int update_tx_sent(struct update_tx *u);
/* The chunk count of the last update (0 if none). */
unsigned update_tx_chunks(const struct update_tx *u);

/* ---- receiver ---- */
struct update_rx;

/* What a chunk did. */
enum update_result {
	UPDATE_PARTIAL,		/* kept: its update is not complete yet */
	UPDATE_COMPLETE,	/* completed an update, now ready */
	UPDATE_IGNORED,		/* repeated, or of an older or applied state */
	UPDATE_BAD_CHUNK,	/* count, index or length out of bounds */
	UPDATE_BAD_ZSTD,	/* the complete update does not decompress
				 * exactly to its stated size */
	UPDATE_TOO_BIG,		/* its stated size is above UPDATE_PLAIN_MAX */
};

/* NULL on lack of memory. */
struct update_rx *update_rx_new(void);
void update_rx_free(struct update_rx *u);
/* One STATE chunk (reserved flag bits are ignored). A negative mp_err
 * (MP_ERR_ALLOC) or an enum update_result. */
int update_rx_chunk(struct update_rx *u, const struct frame_state *s);
/* A repaint was asked for: the next full update (base 0) is taken even
 * if it names the state last delivered. */
void update_rx_repeat_full(struct update_rx *u);
/*
 * The newest complete update, if one is ready: 1 with its states and
 * known flags, the bytes appended to out, and it is no longer ready; 0 if
 * none; a negative mp_err (it stays ready) if out cannot take it.
 */
int update_rx_take(struct update_rx *u, uint64_t *base, uint64_t *next,
    uint8_t *flags, struct buf *out);

#endif

/* frame.h: the payload of a UDP record (PROTOCOL.md 3.3): two timestamps, then typed frames. */
#ifndef MP_FRAME_H
#define MP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/*
 * A payload is uint16 timestamp, uint16 timestamp reply, then frames of
 * byte type, uint16 body length, body. Writing appends to a struct buf
 * whose maximum size the caller sets (rec_max_payload() so the payload
 * fits one record); a frame is appended whole or not at all.
 *
 * Reading validates the whole payload first (frame_reader_init()), so a
 * truncated or malformed frame anywhere refuses the record before any
 * frame is acted on; frame_next() then hands out the known frames and
 * skips unknown types. Byte data in a parsed frame points into the
 * payload, which must outlive the frame.
 */

#define FRAME_PAYLOAD_HEADER	4	/* the two timestamps */
#define FRAME_HEADER		3	/* type and length */
#define FRAME_TS_NONE		0xffff	/* no timestamp to reply to */
#define FRAME_STREAM_FIXED	9	/* STREAM body before its data */
#define FRAME_STATE_FIXED	21	/* STATE body before its data */
#define FRAME_ECHO_ACK_LEN	9	/* ECHO_ACK body */

enum frame_type {
	FRAME_STREAM = 1,
	FRAME_STREAM_ACK = 2,
	FRAME_STREAM_NAK = 3,
	FRAME_RESIZE = 4,
	FRAME_STATE = 5,
	FRAME_STATE_ACK = 6,
	FRAME_KEEPALIVE = 7,
	FRAME_SHUTDOWN = 8,
	FRAME_SHUTDOWN_ACK = 9,
	FRAME_EXIT_STATUS = 10,
	FRAME_REPAINT = 11,
	FRAME_STREAM_FIN = 12,
	FRAME_ECHO_ACK = 13,
	FRAME_INPUT_BASE = 14,
};

#define FRAME_STREAM_INPUT	0	/* client to server */
#define FRAME_STREAM_OUTPUT	1	/* server to client */
#define FRAME_STREAM_ERROR	2	/* server to client: stderr without a PTY */
#define FRAME_STATE_ZSTD	0x01	/* STATE flag: the diff is zstd */
#define FRAME_STATE_LINES_DROPPED 0x02	/* STATE flag: scrollback lines dropped */
#define FRAME_STATE_FLAGS	(FRAME_STATE_ZSTD | FRAME_STATE_LINES_DROPPED)
#define FRAME_ECHO_OFF		0x01	/* ECHO_ACK flag: the terminal does not echo */
#define FRAME_ECHO_FLAGS	FRAME_ECHO_OFF
#define FRAME_EXIT_CODE		0	/* EXIT_STATUS kinds */
#define FRAME_EXIT_SIGNAL	1

struct frame_stream {
	uint8_t id;
	uint64_t offset;
	const uint8_t *data;	/* at least 1 byte */
	size_t len;
};

struct frame_stream_ack {
	uint8_t id;
	uint64_t next;		/* next offset expected */
};

struct frame_stream_nak {
	uint8_t id;
	uint64_t start, end;	/* end exclusive, > start */
};

struct frame_stream_fin {
	uint8_t id;
	uint64_t offset;	/* final offset: the stream's length */
};

struct frame_resize {
	uint32_t number;
	uint16_t cols, rows, width, height;
};

struct frame_state {
	uint64_t base, next;	/* from state base to state next */
	uint8_t flags;
	uint16_t index, count;	/* index < count, count >= 1 */
	const uint8_t *data;
	size_t len;
};

struct frame_echo_ack {
	uint64_t offset;	/* stream 0 bytes written to the PTY */
	uint8_t flags;		/* FRAME_ECHO_OFF */
};

struct frame_exit {
	uint8_t kind;		/* FRAME_EXIT_CODE or FRAME_EXIT_SIGNAL */
	uint32_t value;
};

/* One frame; the member matching type is meaningful (none for the
 * empty frames). */
struct frame {
	enum frame_type type;
	union {
		struct frame_stream stream;
		struct frame_stream_ack ack;
		struct frame_stream_nak nak;
		struct frame_stream_fin fin;
		struct frame_resize resize;
		struct frame_state state;
		uint64_t state_ack;
		uint64_t input_base;	/* INPUT_BASE */
		struct frame_exit exit;
		struct frame_echo_ack echo;
	} u;
};

/* Append the payload header to b (which should be empty); a timestamp
 * of FRAME_TS_NONE is sent as FRAME_TS_NONE - 1. */
int frame_put_header(struct buf *b, uint16_t timestamp, uint16_t reply);
/* Append f. MP_ERR_INVALID_ARGUMENT if f breaks its type's rules (the
 * same ones the reader enforces, and the reserved flags of STATE and
 * ECHO_ACK must be 0), MP_ERR_TOO_LARGE if its body exceeds 65535 bytes,
 * MP_ERR_NO_SPACE if it does not fit b's maximum. */
int frame_put(struct buf *b, const struct frame *f);
/* How many data bytes a STREAM or STATE frame appended to b now could
 * carry (0 if not even one, or for other types). */
size_t frame_data_room(const struct buf *b, enum frame_type type);

struct frame_reader {
	const uint8_t *p;
	size_t len, off;
	uint16_t timestamp, reply;
	unsigned unknown;	/* frames of unknown type skipped */
};

/* Check a decrypted payload whole and read its timestamps (reserved
 * flag bits are handed out as they came: receivers ignore them). 0, or
 * MP_ERR_INCOMPLETE (a header or body runs past the end) or
 * MP_ERR_INVALID_FORMAT (a known frame with the wrong body): the record
 * is then dropped. */
int frame_reader_init(struct frame_reader *rd, const uint8_t *payload,
    size_t len);
/* The next known frame into *f: 1, or 0 when there are no more. */
int frame_next(struct frame_reader *rd, struct frame *f);

#endif

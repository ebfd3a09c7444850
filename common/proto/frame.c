/* frame.c: encoding and validating the frames of a UDP record's payload. */
#include <string.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/proto/frame.h"

#define FRAME_BODY_MAX	0xffff

/* The fixed part of each known type's body; STREAM and STATE add data. */
static const size_t fixed_len[] = {
	[FRAME_STREAM] = FRAME_STREAM_FIXED,
	[FRAME_STREAM_ACK] = 9,
	[FRAME_STREAM_NAK] = 17,
	[FRAME_RESIZE] = 12,
	[FRAME_STATE] = FRAME_STATE_FIXED,
	[FRAME_STATE_ACK] = 8,
	[FRAME_KEEPALIVE] = 0,
	[FRAME_SHUTDOWN] = 0,
	[FRAME_SHUTDOWN_ACK] = 0,
	[FRAME_EXIT_STATUS] = 5,
	[FRAME_REPAINT] = 0,
	[FRAME_STREAM_FIN] = 9,
	[FRAME_ECHO_ACK] = FRAME_ECHO_ACK_LEN,
	[FRAME_INPUT_BASE] = 8,
};

static int
known(unsigned type)
{
	return type >= FRAME_STREAM && type <= FRAME_INPUT_BASE;
}

static int
has_data(unsigned type)
{
	return type == FRAME_STREAM || type == FRAME_STATE;
}

/* The rules on values, shared by writer and reader. */
static int
valid(const struct frame *f)
{
	switch (f->type) {
	case FRAME_STREAM:
		return f->u.stream.len >= 1;
	case FRAME_STREAM_NAK:
		return f->u.nak.end > f->u.nak.start;
	case FRAME_STATE:
		return f->u.state.count >= 1 &&
		    f->u.state.index < f->u.state.count;
	case FRAME_EXIT_STATUS:
		return f->u.exit.kind == FRAME_EXIT_CODE ||
		    f->u.exit.kind == FRAME_EXIT_SIGNAL;
	default:
		return 1;
	}
}

/* Flag bits a writer may set; the others go out 0. */
static int
flags_ok(const struct frame *f)
{
	if (f->type == FRAME_STATE)
		return (f->u.state.flags & ~FRAME_STATE_FLAGS) == 0;
	if (f->type == FRAME_ECHO_ACK)
		return (f->u.echo.flags & ~FRAME_ECHO_FLAGS) == 0;
	return 1;
}

/* ---- writing ------------------------------------------------------------ */

int
frame_put_header(struct buf *b, uint16_t timestamp, uint16_t reply)
{
	uint8_t *p;
	int r;

	if ((r = buf_reserve(b, FRAME_PAYLOAD_HEADER, &p)) != 0)
		return r;
	/* 0xffff means "no reply" in the other field: never a timestamp. */
	if (timestamp == FRAME_TS_NONE)
		timestamp--;
	store_be16(store_be16(p, timestamp), reply);
	return 0;
}

static size_t
data_len(const struct frame *f)
{
	if (f->type == FRAME_STREAM)
		return f->u.stream.len;
	if (f->type == FRAME_STATE)
		return f->u.state.len;
	return 0;
}

/* Write the body of f at p (its size already reserved). */
static void
encode_body(uint8_t *p, const struct frame *f)
{
	const struct frame_state *s = &f->u.state;

	switch (f->type) {
	case FRAME_STREAM:
		*p = f->u.stream.id;
		p = store_be64(p + 1, f->u.stream.offset);
		memcpy(p, f->u.stream.data, f->u.stream.len);
		break;
	case FRAME_STREAM_ACK:
		*p = f->u.ack.id;
		store_be64(p + 1, f->u.ack.next);
		break;
	case FRAME_STREAM_NAK:
		*p = f->u.nak.id;
		store_be64(store_be64(p + 1, f->u.nak.start), f->u.nak.end);
		break;
	case FRAME_STREAM_FIN:
		*p = f->u.fin.id;
		store_be64(p + 1, f->u.fin.offset);
		break;
	case FRAME_RESIZE:
		p = store_be32(p, f->u.resize.number);
		p = store_be16(store_be16(p, f->u.resize.cols), f->u.resize.rows);
		store_be16(store_be16(p, f->u.resize.width), f->u.resize.height);
		break;
	case FRAME_STATE:
		p = store_be64(store_be64(p, s->base), s->next);
		*p = s->flags;
		p = store_be16(store_be16(p + 1, s->index), s->count);
		if (s->len > 0)
			memcpy(p, s->data, s->len);
		break;
	case FRAME_STATE_ACK:
		store_be64(p, f->u.state_ack);
		break;
	case FRAME_EXIT_STATUS:
		*p = f->u.exit.kind;
		store_be32(p + 1, f->u.exit.value);
		break;
	case FRAME_ECHO_ACK:
		p = store_be64(p, f->u.echo.offset);
		*p = f->u.echo.flags;
		break;
	case FRAME_INPUT_BASE:
		store_be64(p, f->u.input_base);
		break;
	default:	/* the empty frames */
		break;
	}
}

int
frame_put(struct buf *b, const struct frame *f)
{
	size_t n;
	uint8_t *p;
	int r;

	if (!known(f->type) || !valid(f) || !flags_ok(f))
		return MP_ERR_INVALID_ARGUMENT;
	n = data_len(f);
	if (n > FRAME_BODY_MAX - fixed_len[f->type])
		return MP_ERR_TOO_LARGE;
	n += fixed_len[f->type];
	if ((r = buf_reserve(b, FRAME_HEADER + n, &p)) != 0)
		return r;
	*p = (uint8_t)f->type;
	encode_body(store_be16(p + 1, (uint16_t)n), f);
	return 0;
}

size_t
frame_data_room(const struct buf *b, enum frame_type type)
{
	size_t room, fixed;

	if (!has_data(type))
		return 0;
	room = buf_max_size(b) - buf_len(b);
	fixed = FRAME_HEADER + fixed_len[type];
	if (room <= fixed)
		return 0;
	room -= fixed;
	return room < FRAME_BODY_MAX - fixed_len[type] ? room :
	    FRAME_BODY_MAX - fixed_len[type];
}

/* ---- reading ------------------------------------------------------------ */

/* Fill f from a body of n bytes whose length suits its type. */
static void
decode_body(const uint8_t *p, size_t n, struct frame *f)
{
	struct frame_state *s = &f->u.state;
	size_t data = n - fixed_len[f->type];

	switch (f->type) {
	case FRAME_STREAM:
		f->u.stream.id = p[0];
		f->u.stream.offset = load_be64(p + 1);
		f->u.stream.data = p + FRAME_STREAM_FIXED;
		f->u.stream.len = data;
		break;
	case FRAME_STREAM_ACK:
		f->u.ack.id = p[0];
		f->u.ack.next = load_be64(p + 1);
		break;
	case FRAME_STREAM_NAK:
		f->u.nak.id = p[0];
		f->u.nak.start = load_be64(p + 1);
		f->u.nak.end = load_be64(p + 9);
		break;
	case FRAME_STREAM_FIN:
		f->u.fin.id = p[0];
		f->u.fin.offset = load_be64(p + 1);
		break;
	case FRAME_RESIZE:
		f->u.resize.number = load_be32(p);
		f->u.resize.cols = load_be16(p + 4);
		f->u.resize.rows = load_be16(p + 6);
		f->u.resize.width = load_be16(p + 8);
		f->u.resize.height = load_be16(p + 10);
		break;
	case FRAME_STATE:
		s->base = load_be64(p);
		s->next = load_be64(p + 8);
		s->flags = p[16];
		s->index = load_be16(p + 17);
		s->count = load_be16(p + 19);
		s->data = p + FRAME_STATE_FIXED;
		s->len = data;
		break;
	case FRAME_STATE_ACK:
		f->u.state_ack = load_be64(p);
		break;
	case FRAME_EXIT_STATUS:
		f->u.exit.kind = p[0];
		f->u.exit.value = load_be32(p + 1);
		break;
	case FRAME_ECHO_ACK:
		f->u.echo.offset = load_be64(p);
		f->u.echo.flags = p[8];
		break;
	case FRAME_INPUT_BASE:
		f->u.input_base = load_be64(p);
		break;
	default:	/* the empty frames */
		break;
	}
}

/*
 * The frame at *off: 1 and *f for a known type, 0 for an unknown one
 * (skipped), or an error. *off moves past the frame on success.
 */
static int
read_frame(const uint8_t *p, size_t len, size_t *off, struct frame *f)
{
	const uint8_t *body;
	size_t n;
	unsigned type;

	if (len - *off < FRAME_HEADER)
		return MP_ERR_INCOMPLETE;
	type = p[*off];
	n = load_be16(p + *off + 1);
	if (len - *off - FRAME_HEADER < n)
		return MP_ERR_INCOMPLETE;
	body = p + *off + FRAME_HEADER;
	*off += FRAME_HEADER + n;
	if (!known(type))
		return 0;
	if (has_data(type) ? n < fixed_len[type] : n != fixed_len[type])
		return MP_ERR_INVALID_FORMAT;
	memset(f, 0, sizeof(*f));
	f->type = (enum frame_type)type;
	decode_body(body, n, f);
	return valid(f) ? 1 : MP_ERR_INVALID_FORMAT;
}

int
frame_reader_init(struct frame_reader *rd, const uint8_t *payload,
    size_t len)
{
	struct frame f;
	size_t off = FRAME_PAYLOAD_HEADER;
	unsigned unknown = 0;
	int r;

	memset(rd, 0, sizeof(*rd));
	if (len < FRAME_PAYLOAD_HEADER)
		return MP_ERR_INCOMPLETE;
	while (off < len) {
		if ((r = read_frame(payload, len, &off, &f)) < 0)
			return r;
		unknown += r == 0;
	}
	rd->p = payload;
	rd->len = len;
	rd->off = FRAME_PAYLOAD_HEADER;
	rd->timestamp = load_be16(payload);
	rd->reply = load_be16(payload + 2);
	rd->unknown = unknown;
	return 0;
}

int
frame_next(struct frame_reader *rd, struct frame *f)
{
	int r;

	/* The payload was checked whole: no error can occur here. */
	while (rd->off < rd->len)
		if ((r = read_frame(rd->p, rd->len, &rd->off, f)) != 0)
			return r > 0;
	return 0;
}

/* test_frame.c: the UDP payload codec: every frame type both ways, and each malformed frame refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/proto/frame.h"

#define PAYLOAD_MAX	1175

static const uint8_t data[] = "terminal bytes";

#define NTYPES	14	/* FRAME_STREAM .. FRAME_INPUT_BASE */

/* One frame of each type, in type order. */
static void
sample_frames(struct frame f[NTYPES])
{
	memset(f, 0, NTYPES * sizeof(*f));
	f[0].type = FRAME_STREAM;
	f[0].u.stream = (struct frame_stream){ 1, 0x1122334455667788ull,
	    data, sizeof(data) };
	f[1].type = FRAME_STREAM_ACK;
	f[1].u.ack = (struct frame_stream_ack){ 0, 42 };
	f[2].type = FRAME_STREAM_NAK;
	f[2].u.nak = (struct frame_stream_nak){ 1, 100, 101 };
	f[3].type = FRAME_RESIZE;
	f[3].u.resize = (struct frame_resize){ 7, 80, 24, 640, 480 };
	f[4].type = FRAME_STATE;
	f[4].u.state = (struct frame_state){ 3, 9, FRAME_STATE_ZSTD, 1, 2,
	    data, 5 };
	f[5].type = FRAME_STATE_ACK;
	f[5].u.state_ack = UINT64_MAX;
	f[6].type = FRAME_KEEPALIVE;
	f[7].type = FRAME_SHUTDOWN;
	f[8].type = FRAME_SHUTDOWN_ACK;
	f[9].type = FRAME_EXIT_STATUS;
	f[9].u.exit = (struct frame_exit){ FRAME_EXIT_SIGNAL, 9 };
	f[10].type = FRAME_REPAINT;
	f[11].type = FRAME_STREAM_FIN;
	f[11].u.fin = (struct frame_stream_fin){ 2, 0x0102030405060708ull };
	f[12].type = FRAME_ECHO_ACK;
	f[12].u.echo = (struct frame_echo_ack){ 0x0a0b0c0d0e0f1011ull,
	    FRAME_ECHO_OFF };
	f[13].type = FRAME_INPUT_BASE;
	f[13].u.input_base = 0x2122232425262728ull;
}

static void
assert_same_frame(const struct frame *a, const struct frame *b)
{
	assert_int_equal(a->type, b->type);
	switch (a->type) {
	case FRAME_STREAM:
		assert_int_equal(a->u.stream.id, b->u.stream.id);
		assert_true(a->u.stream.offset == b->u.stream.offset);
		assert_int_equal(a->u.stream.len, b->u.stream.len);
		assert_memory_equal(a->u.stream.data, b->u.stream.data,
		    a->u.stream.len);
		break;
	case FRAME_STREAM_ACK:
		assert_int_equal(a->u.ack.id, b->u.ack.id);
		assert_true(a->u.ack.next == b->u.ack.next);
		break;
	case FRAME_STREAM_NAK:
		assert_int_equal(a->u.nak.id, b->u.nak.id);
		assert_true(a->u.nak.start == b->u.nak.start);
		assert_true(a->u.nak.end == b->u.nak.end);
		break;
	case FRAME_STREAM_FIN:
		assert_int_equal(a->u.fin.id, b->u.fin.id);
		assert_true(a->u.fin.offset == b->u.fin.offset);
		break;
	case FRAME_RESIZE:
		assert_memory_equal(&a->u.resize, &b->u.resize,
		    sizeof(a->u.resize));
		break;
	case FRAME_STATE:
		assert_true(a->u.state.base == b->u.state.base);
		assert_true(a->u.state.next == b->u.state.next);
		assert_int_equal(a->u.state.flags, b->u.state.flags);
		assert_int_equal(a->u.state.index, b->u.state.index);
		assert_int_equal(a->u.state.count, b->u.state.count);
		assert_int_equal(a->u.state.len, b->u.state.len);
		if (a->u.state.len > 0)
			assert_memory_equal(a->u.state.data, b->u.state.data,
			    a->u.state.len);
		break;
	case FRAME_STATE_ACK:
		assert_true(a->u.state_ack == b->u.state_ack);
		break;
	case FRAME_EXIT_STATUS:
		assert_int_equal(a->u.exit.kind, b->u.exit.kind);
		assert_int_equal(a->u.exit.value, b->u.exit.value);
		break;
	case FRAME_ECHO_ACK:
		assert_true(a->u.echo.offset == b->u.echo.offset);
		assert_int_equal(a->u.echo.flags, b->u.echo.flags);
		break;
	case FRAME_INPUT_BASE:
		assert_true(a->u.input_base == b->u.input_base);
		break;
	default:
		break;
	}
}

static void
test_round_trip_every_type(void **state)
{
	struct frame f[NTYPES], g;
	struct frame_reader rd;
	struct buf *b = buf_new(PAYLOAD_MAX);
	int i;

	(void)state;
	sample_frames(f);
	assert_int_equal(frame_put_header(b, 0x1234, FRAME_TS_NONE), 0);
	for (i = 0; i < NTYPES; i++)
		assert_int_equal(frame_put(b, &f[i]), 0);
	/* 4 + 14 headers + bodies 15+9, 9, 17, 12, 21+5, 8, 0, 0, 0, 5, 0,
	 * 9, 9, 8 */
	assert_int_equal(buf_len(b), 4 + 42 + 24 + 9 + 17 + 12 + 26 + 8 + 5 +
	    9 + 9 + 8);
	assert_int_equal(frame_reader_init(&rd, buf_ptr(b), buf_len(b)), 0);
	assert_int_equal(rd.timestamp, 0x1234);
	assert_int_equal(rd.reply, 0xffff);
	assert_int_equal(rd.unknown, 0);
	for (i = 0; i < NTYPES; i++) {
		assert_int_equal(frame_next(&rd, &g), 1);
		assert_same_frame(&f[i], &g);
	}
	assert_int_equal(frame_next(&rd, &g), 0);
	assert_int_equal(frame_next(&rd, &g), 0);
	buf_free(b);
}

static void
test_wire_bytes(void **state)
{
	struct frame f = { .type = FRAME_STREAM_NAK };
	struct buf *b = buf_new(64);

	(void)state;
	f.u.nak = (struct frame_stream_nak){ 1, 2, 0x0300 };
	assert_int_equal(frame_put_header(b, 0xabcd, 0x0102), 0);
	assert_int_equal(frame_put(b, &f), 0);
	assert_int_equal(buf_len(b), 4 + 3 + 17);
	assert_memory_equal(buf_ptr(b), "\xab\xcd\x01\x02" "\x03\x00\x11"
	    "\x01" "\0\0\0\0\0\0\0\x02" "\0\0\0\0\0\0\x03\x00", 24);
	buf_free(b);
}

static void
test_fin_wire_bytes(void **state)
{
	struct frame f = { .type = FRAME_STREAM_FIN }, g;
	struct frame_reader rd;
	struct buf *b = buf_new(64);

	(void)state;
	f.u.fin = (struct frame_stream_fin){ FRAME_STREAM_ERROR, 0x1234 };
	assert_int_equal(frame_put_header(b, 1, 2), 0);
	assert_int_equal(frame_put(b, &f), 0);
	assert_int_equal(buf_len(b), 4 + 3 + 9);
	assert_memory_equal(buf_ptr(b), "\0\1\0\2" "\x0c\x00\x09"
	    "\x02" "\0\0\0\0\0\0\x12\x34", 16);
	assert_int_equal(frame_reader_init(&rd, buf_ptr(b), buf_len(b)), 0);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_same_frame(&f, &g);
	buf_free(b);
}

static void
test_state_without_data(void **state)
{
	struct frame f = { .type = FRAME_STATE }, g;
	struct frame_reader rd;
	struct buf *b = buf_new(64);

	(void)state;
	f.u.state = (struct frame_state){ 0, 1, 0, 0, 1, NULL, 0 };
	assert_int_equal(frame_put_header(b, 0, 0), 0);
	assert_int_equal(frame_put(b, &f), 0);
	assert_int_equal(frame_reader_init(&rd, buf_ptr(b), buf_len(b)), 0);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_same_frame(&f, &g);
	buf_free(b);
}

/* The defined STATE flags go out; reserved bits of STATE and ECHO_ACK
 * are handed out as they came, for the receiver to ignore. */
static void
test_flags(void **state)
{
	static const uint8_t p[] = {
		0, 0, 0, 0,
		5, 0, 21, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2,
		0xfe, 0, 0, 0, 1,		/* STATE, flags 0xfe */
		13, 0, 9, 0, 0, 0, 0, 0, 0, 1, 0, 0xff,	/* ECHO_ACK 256 */
	};
	struct frame f = { .type = FRAME_STATE }, g;
	struct frame_reader rd;
	struct buf *b = buf_new(64);

	(void)state;
	f.u.state = (struct frame_state){ 1, 2, FRAME_STATE_ZSTD |
	    FRAME_STATE_LINES_DROPPED, 0, 1, NULL, 0 };
	assert_int_equal(frame_put_header(b, 0, 0), 0);
	assert_int_equal(frame_put(b, &f), 0);
	assert_int_equal(buf_ptr(b)[4 + 3 + 16], 0x03);
	assert_int_equal(frame_reader_init(&rd, buf_ptr(b), buf_len(b)), 0);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_same_frame(&f, &g);
	assert_int_equal(frame_reader_init(&rd, p, sizeof(p)), 0);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_int_equal(g.type, FRAME_STATE);
	assert_int_equal(g.u.state.flags, 0xfe);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_int_equal(g.type, FRAME_ECHO_ACK);
	assert_true(g.u.echo.offset == 256);
	assert_int_equal(g.u.echo.flags, 0xff);
	assert_int_equal(frame_next(&rd, &g), 0);
	buf_free(b);
}

static void
test_empty_frame_list(void **state)
{
	struct frame_reader rd;
	struct frame g;

	(void)state;
	assert_int_equal(frame_reader_init(&rd, (const uint8_t *)"\0\1\0\2",
	    4), 0);
	assert_int_equal(rd.timestamp, 1);
	assert_int_equal(rd.reply, 2);
	assert_int_equal(frame_next(&rd, &g), 0);
}

/* Parse a payload of a zero header and one raw frame. */
static int
parse_one(uint8_t type, const void *body, size_t len)
{
	uint8_t p[4 + 3 + 256] = { 0 };
	struct frame_reader rd;
	struct frame g;
	int r;

	assert_true(len <= 256);
	p[4] = type;
	p[5] = (uint8_t)(len >> 8);
	p[6] = (uint8_t)len;
	if (len > 0)
		memcpy(p + 7, body, len);
	r = frame_reader_init(&rd, p, 7 + len);
	if (r != 0)
		assert_int_equal(frame_next(&rd, &g), 0);
	return r;
}

static void
test_wrong_sizes(void **state)
{
	static const size_t fixed[] = {
		0, 9, 9, 17, 12, 21, 8, 0, 0, 0, 5, 0, 9, 9, 8,
	};
	uint8_t body[64];
	unsigned t;

	(void)state;
	memset(body, 0, sizeof(body));
	body[8] = 1;		/* a NAK's start 1 */
	body[16] = 2;		/* and end 2 */
	body[20] = 1;		/* a STATE's count 1 */
	for (t = FRAME_STREAM; t <= FRAME_INPUT_BASE; t++) {
		if (t != FRAME_STREAM && t != FRAME_STATE) {
			assert_int_equal(parse_one((uint8_t)t, body, fixed[t]),
			    0);
			assert_int_equal(parse_one((uint8_t)t, body,
			    fixed[t] + 1), MP_ERR_INVALID_FORMAT);
		}
		if (fixed[t] > 0)
			assert_int_equal(parse_one((uint8_t)t, body,
			    fixed[t] - 1), MP_ERR_INVALID_FORMAT);
	}
	/* A STREAM needs one byte of data; a STATE may have none. */
	assert_int_equal(parse_one(FRAME_STREAM, body, 9),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(parse_one(FRAME_STREAM, body, 10), 0);
	assert_int_equal(parse_one(FRAME_STATE, body, 21), 0);
	assert_int_equal(parse_one(FRAME_STATE, body, 22), 0);
}

static void
test_bad_values(void **state)
{
	uint8_t nak[17] = { 0 }, st[21] = { 0 }, ex[5] = { 0 };

	(void)state;
	/* NAK end == start, then end < start. */
	assert_int_equal(parse_one(FRAME_STREAM_NAK, nak, 17),
	    MP_ERR_INVALID_FORMAT);
	nak[8] = 2;
	nak[16] = 1;
	assert_int_equal(parse_one(FRAME_STREAM_NAK, nak, 17),
	    MP_ERR_INVALID_FORMAT);
	nak[16] = 3;
	assert_int_equal(parse_one(FRAME_STREAM_NAK, nak, 17), 0);
	/* STATE count 0; index == count; index < count. */
	assert_int_equal(parse_one(FRAME_STATE, st, 21),
	    MP_ERR_INVALID_FORMAT);
	st[18] = 2;
	st[20] = 2;
	assert_int_equal(parse_one(FRAME_STATE, st, 21),
	    MP_ERR_INVALID_FORMAT);
	st[20] = 3;
	assert_int_equal(parse_one(FRAME_STATE, st, 21), 0);
	/* EXIT_STATUS kinds 0 and 1 only. */
	assert_int_equal(parse_one(FRAME_EXIT_STATUS, ex, 5), 0);
	ex[0] = 1;
	assert_int_equal(parse_one(FRAME_EXIT_STATUS, ex, 5), 0);
	ex[0] = 2;
	assert_int_equal(parse_one(FRAME_EXIT_STATUS, ex, 5),
	    MP_ERR_INVALID_FORMAT);
}

static void
test_writer_refuses_bad_frames(void **state)
{
	struct frame f;
	struct buf *b = buf_new(PAYLOAD_MAX);

	(void)state;
	memset(&f, 0, sizeof(f));
	f.type = FRAME_STREAM;
	f.u.stream.data = data;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.type = FRAME_STREAM_NAK;
	f.u.nak.start = f.u.nak.end = 5;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.type = FRAME_STATE;
	f.u.state.index = f.u.state.count = 1;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.u.state.index = f.u.state.count = 0;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.u.state.count = 1;
	f.u.state.flags = 0x04;		/* reserved */
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.u.state.flags = 0x80;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.type = FRAME_ECHO_ACK;
	f.u.echo.flags = 0x02;		/* reserved */
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.type = FRAME_EXIT_STATUS;
	f.u.exit.kind = 2;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.type = (enum frame_type)15;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	f.type = (enum frame_type)0;
	assert_int_equal(frame_put(b, &f), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(buf_len(b), 0);
	/* 0xffff is never a timestamp: it means "no reply". */
	assert_int_equal(frame_put_header(b, 0xffff, 0xffff), 0);
	assert_memory_equal(buf_ptr(b), "\xff\xfe\xff\xff", 4);
	buf_free(b);
}

/* Cutting a valid payload anywhere but a frame boundary refuses it. */
static void
test_truncation(void **state)
{
	struct frame f[NTYPES];
	struct frame_reader rd;
	struct buf *b = buf_new(PAYLOAD_MAX);
	size_t ends[NTYPES + 1], n, i;
	int k, boundary;

	(void)state;
	sample_frames(f);
	assert_int_equal(frame_put_header(b, 1, 2), 0);
	ends[0] = buf_len(b);
	for (k = 0; k < NTYPES; k++) {
		assert_int_equal(frame_put(b, &f[k]), 0);
		ends[k + 1] = buf_len(b);
	}
	n = buf_len(b);
	for (i = 0; i < n; i++) {
		boundary = 0;
		for (k = 0; k <= NTYPES; k++)
			boundary |= ends[k] == i;
		assert_int_equal(frame_reader_init(&rd, buf_ptr(b), i),
		    boundary ? 0 : MP_ERR_INCOMPLETE);
	}
	buf_free(b);
}

static void
test_length_past_end(void **state)
{
	/* A KEEPALIVE, then a frame claiming 2 bytes with 1 present. */
	static const uint8_t p[] = { 0, 0, 0, 0, 7, 0, 0, 6, 0, 2, 0 };
	static const uint8_t q[] = { 0, 0, 0, 0, 99, 0xff, 0xff, 1, 2, 3 };
	struct frame_reader rd;
	struct frame g;

	(void)state;
	assert_int_equal(frame_reader_init(&rd, p, sizeof(p)),
	    MP_ERR_INCOMPLETE);
	assert_int_equal(frame_next(&rd, &g), 0);
	/* Unknown types are held to their length too. */
	assert_int_equal(frame_reader_init(&rd, q, sizeof(q)),
	    MP_ERR_INCOMPLETE);
	/* A bad frame late in the payload refuses the earlier ones too. */
	assert_int_equal(frame_reader_init(&rd, p, 7), 0);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_int_equal(g.type, FRAME_KEEPALIVE);
}

static void
test_unknown_skipped(void **state)
{
	static const uint8_t p[] = {
		0, 5, 0, 6,
		0, 0, 0,			/* type 0, empty */
		15, 0, 3, 'a', 'b', 'c',	/* type 15 */
		7, 0, 0,			/* KEEPALIVE */
		255, 0, 1, 0xee,		/* type 255 */
		6, 0, 8, 0, 0, 0, 0, 0, 0, 0, 9,	/* STATE_ACK 9 */
		200, 0, 0,
	};
	struct frame_reader rd;
	struct frame g;

	(void)state;
	assert_int_equal(frame_reader_init(&rd, p, sizeof(p)), 0);
	assert_int_equal(rd.unknown, 4);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_int_equal(g.type, FRAME_KEEPALIVE);
	assert_int_equal(frame_next(&rd, &g), 1);
	assert_int_equal(g.type, FRAME_STATE_ACK);
	assert_true(g.u.state_ack == 9);
	assert_int_equal(frame_next(&rd, &g), 0);
}

static void
test_space_and_room(void **state)
{
	uint8_t big[70000];
	struct frame f = { .type = FRAME_STREAM };
	struct frame_reader rd;
	struct buf *b = buf_new(100), *huge = buf_new(sizeof(big) + 100);
	size_t room;

	(void)state;
	memset(big, 'q', sizeof(big));
	assert_int_equal(frame_put_header(b, 0, 0), 0);
	room = frame_data_room(b, FRAME_STREAM);
	assert_int_equal(room, 100 - 4 - 3 - 9);
	assert_int_equal(frame_data_room(b, FRAME_STATE), 100 - 4 - 3 - 21);
	assert_int_equal(frame_data_room(b, FRAME_KEEPALIVE), 0);
	f.u.stream = (struct frame_stream){ 0, 0, big, room + 1 };
	assert_int_equal(frame_put(b, &f), MP_ERR_NO_SPACE);
	assert_int_equal(buf_len(b), 4);
	f.u.stream.len = room;
	assert_int_equal(frame_put(b, &f), 0);
	assert_int_equal(buf_len(b), 100);
	assert_int_equal(frame_data_room(b, FRAME_STREAM), 0);
	assert_int_equal(frame_reader_init(&rd, buf_ptr(b), buf_len(b)), 0);
	/* Bodies are at most 65535 bytes. */
	assert_int_equal(frame_put_header(huge, 0, 0), 0);
	assert_int_equal(frame_data_room(huge, FRAME_STREAM), 65535 - 9);
	f.u.stream.len = 65535 - 9 + 1;
	assert_int_equal(frame_put(huge, &f), MP_ERR_TOO_LARGE);
	f.u.stream.len = 65535 - 9;
	assert_int_equal(frame_put(huge, &f), 0);
	assert_int_equal(frame_reader_init(&rd, buf_ptr(huge), buf_len(huge)),
	    0);
	buf_free(b);
	buf_free(huge);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_type),
		cmocka_unit_test(test_wire_bytes),
		cmocka_unit_test(test_fin_wire_bytes),
		cmocka_unit_test(test_state_without_data),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_empty_frame_list),
		cmocka_unit_test(test_wrong_sizes),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_writer_refuses_bad_frames),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_length_past_end),
		cmocka_unit_test(test_unknown_skipped),
		cmocka_unit_test(test_space_and_room),
	};

	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}

/* fuzz_frame.c: libFuzzer harness for the UDP payload reader: refuse or parse, and re-encode to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/proto/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/* Byte data of a parsed frame lies inside the payload. */
static void
check_inside(const uint8_t *p, size_t len, const uint8_t *d, size_t n)
{
	check(d >= p && n <= len && (size_t)(d - p) <= len - n);
}

static void
check_frame(const uint8_t *data, size_t len, const struct frame *f)
{
	if (f->type == FRAME_STREAM)
		check_inside(data, len, f->u.stream.data, f->u.stream.len);
	if (f->type == FRAME_STATE && f->u.state.len > 0)
		check_inside(data, len, f->u.state.data, f->u.state.len);
}

/* Clear the flag bits a writer must send as 0: 1 if there were none. */
static int
clear_reserved(struct frame *f)
{
	uint8_t *flags, allowed;

	if (f->type == FRAME_STATE) {
		flags = &f->u.state.flags;
		allowed = FRAME_STATE_FLAGS;
	} else if (f->type == FRAME_ECHO_ACK) {
		flags = &f->u.echo.flags;
		allowed = FRAME_ECHO_FLAGS;
	} else
		return 1;
	if ((*flags & ~allowed) == 0)
		return 1;
	*flags &= allowed;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct frame_reader rd;
	struct frame f;
	struct buf *b;
	int exact;

	if (frame_reader_init(&rd, data, len) != 0) {
		check(frame_next(&rd, &f) == 0);
		return 0;
	}
	/* Every known frame the reader hands out, written again, gives
	 * the input back, unless frames were skipped or the input used
	 * what a writer never sends (a 0xffff timestamp, reserved STATE or
	 * ECHO_ACK flags, all ignored on receipt). */
	exact = rd.unknown == 0 && rd.timestamp != FRAME_TS_NONE;
	check((b = buf_new(len)) != NULL);
	check(frame_put_header(b, rd.timestamp, rd.reply) == 0);
	while (frame_next(&rd, &f) == 1) {
		check_frame(data, len, &f);
		exact &= clear_reserved(&f);
		check(frame_put(b, &f) == 0);
	}
	exact = exact && rd.unknown == 0;
	if (exact)
		check(buf_len(b) == len && memcmp(buf_ptr(b), data, len) == 0);
	else
		check(buf_len(b) <= len);
	buf_free(b);
	return 0;
}

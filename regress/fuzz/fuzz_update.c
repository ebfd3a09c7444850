/* fuzz_update.c: libFuzzer harness for screen-update chunks: the receiver's assembly and zstd checks on any chunks, and the sender-to-receiver round trip. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/bytes.h"
#include "common/err.h"
#include "common/proto/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/*
 * Input: a mode byte. Mode bit 0 clear: chunks follow, each a 9-byte
 * header (byte base, byte new state, byte flags, uint16 index, uint16
 * count, uint16 length) and its bytes; length bit 15 means "take the
 * ready update after this chunk", the low 11 bits are the length (above
 * UPDATE_CHUNK_MAX is possible), cut to what is left. Mode bit 0 set: a
 * uint16 chunk size and a byte picking the delivery order follow, then
 * the update itself, which must arrive intact; bit 1 sets
 * FRAME_STATE_LINES_DROPPED.
 */
#define MODE_ROUND_TRIP	0x01
#define MODE_DROPPED	0x02
#define CHUNK_HEADER	9
#define LEN_TAKE	0x8000
#define LEN_MASK	0x07ff

static struct buf *out;

static void
take(struct update_rx *rx, int want)
{
	uint64_t base, next;
	uint8_t flags;
	int r;

	buf_reset(out);
	r = update_rx_take(rx, &base, &next, &flags, out);
	check(r == 0 || r == 1 || r == MP_ERR_NO_SPACE);
	if (want >= 0)
		check(r == want);
	if (r == 1)
		check((flags & ~FRAME_STATE_FLAGS) == 0);
	check(buf_len(out) <= UPDATE_PLAIN_MAX);
}

static int
valid_result(int r)
{
	return r == MP_ERR_ALLOC || (r >= UPDATE_PARTIAL &&
	    r <= UPDATE_TOO_BIG);
}

/* One chunk from the input; a plain single chunk must come out as is. */
static void
chunk(struct update_rx *rx, const uint8_t *p, size_t n, const uint8_t *h)
{
	struct frame_state s;
	int r;

	s.base = h[0];
	s.next = h[1];
	s.flags = h[2];
	s.index = load_be16(h + 3);
	s.count = load_be16(h + 5);
	s.data = p;
	s.len = n;
	r = update_rx_chunk(rx, &s);
	check(valid_result(r));
	if (s.count == 0 || s.count > UPDATE_CHUNKS_MAX ||
	    s.index >= s.count || n > UPDATE_CHUNK_MAX)
		check(r == UPDATE_BAD_CHUNK);
	if (r != UPDATE_COMPLETE || s.count != 1 ||
	    (s.flags & FRAME_STATE_ZSTD))
		return;
	take(rx, 1);
	check(buf_len(out) == n && (n == 0 || memcmp(buf_ptr(out), p, n) ==
	    0));
}

static void
chunks(const uint8_t *data, size_t len)
{
	struct update_rx *rx = update_rx_new();
	size_t off = 0, n;
	uint16_t l;

	check(rx != NULL);
	while (len - off >= CHUNK_HEADER) {
		l = load_be16(data + off + 7);
		n = l & LEN_MASK;
		if (n > len - off - CHUNK_HEADER)
			n = len - off - CHUNK_HEADER;
		chunk(rx, data + off + CHUNK_HEADER, n, data + off);
		if (l & LEN_TAKE)
			take(rx, -1);
		off += CHUNK_HEADER + n;
	}
	take(rx, -1);
	update_rx_free(rx);
}

/* The order chunk k of count is delivered in: forwards, backwards, odd
 * ones first, or from the middle. */
static unsigned
order(unsigned k, unsigned count, uint8_t how)
{
	unsigned odd = count / 2;

	switch (how % 4) {
	case 1:
		return count - 1 - k;
	case 2:
		return k < odd ? 2 * k + 1 : 2 * (k - odd);
	case 3:
		return (k + count / 2) % count;
	default:
		return k;
	}
}

/* Every chunk of the pending update, in order how. */
static void
deliver_all(struct update_tx *tx, struct update_rx *rx, uint8_t how,
    int applied)
{
	static struct frame_state s[UPDATE_CHUNKS_MAX];
	unsigned count = 0, k;
	int r;

	while (update_tx_peek(tx, &s[count])) {
		check(count < UPDATE_CHUNKS_MAX);
		check(s[count].index == count && s[count].len <= UPDATE_CHUNK_MAX);
		count++;
		check(update_tx_sent(tx) == !update_tx_pending(tx));
	}
	check(count == update_tx_chunks(tx));
	for (k = 0; k < count; k++) {
		r = update_rx_chunk(rx, &s[order(k, count, how)]);
		if (applied)
			check(r == UPDATE_IGNORED);
		else
			check(r == (k + 1 == count ? UPDATE_COMPLETE :
			    UPDATE_PARTIAL));
		/* A repeat changes nothing. */
		if (k == 0 && count > 1)
			check(update_rx_chunk(rx, &s[order(k, count, how)]) ==
			    UPDATE_IGNORED);
	}
}

static void
round_trip(uint8_t mode, const uint8_t *data, size_t len)
{
	struct update_tx *tx;
	struct update_rx *rx;
	uint64_t base, next;
	size_t size;
	uint8_t flags, how, dropped = mode & MODE_DROPPED ?
	    FRAME_STATE_LINES_DROPPED : 0;
	int r;

	if (len < 3)
		return;
	size = 1 + load_be16(data) % UPDATE_CHUNK_MAX;
	how = data[2];
	data += 3;
	len -= 3;
	tx = update_tx_new(size);
	rx = update_rx_new();
	check(tx != NULL && rx != NULL);
	r = update_tx_set(tx, 4, 5, dropped, data, len);
	check(r == 0 || (r == MP_ERR_TOO_LARGE &&
	    len > size * UPDATE_CHUNKS_MAX));
	if (r == 0) {
		deliver_all(tx, rx, how, 0);
		buf_reset(out);
		check(update_rx_take(rx, &base, &next, &flags, out) == 1);
		check(base == 4 && next == 5);
		check((flags & ~FRAME_STATE_ZSTD) == dropped);
		check(!(flags & FRAME_STATE_ZSTD) || len >= UPDATE_COMPRESS_MIN);
		check(buf_len(out) == len &&
		    (len == 0 || memcmp(buf_ptr(out), data, len) == 0));
		/* Sent again: all of it is already applied. */
		check(update_tx_requeue(tx) == 0);
		deliver_all(tx, rx, how, 1);
		take(rx, 0);
	}
	update_tx_free(tx);
	update_rx_free(rx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len < 1)
		return 0;
	if (out == NULL)
		check((out = buf_new(BUF_SIZE_MAX)) != NULL);
	if (data[0] & MODE_ROUND_TRIP)
		round_trip(data[0], data + 1, len - 1);
	else
		chunks(data + 1, len - 1);
	return 0;
}

/* test_stream.c: the reliable stream halves without sockets: backlog, ACK, NAK, timeouts, FIN, reordering, RTT estimate. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/proto/stream.h"
#include "regress/unittests/chan_fixture.h"

#define SEG	1000

static uint8_t pattern[3 * CHAN_BACKLOG_MAX];

/* Send one range of at most SEG bytes (new ones within new_max); 1 if
 * there was one. */
static int
send_seg(struct stream_tx *tx, size_t new_max, uint64_t now, uint64_t *off,
    size_t *len)
{
	const uint8_t *p;

	if (!stream_tx_peek(tx, SEG, new_max, off, &p, len))
		return 0;
	assert_true(*len >= 1 && *len <= SEG);
	assert_memory_equal(p, pattern + *off, *len);
	stream_tx_sent(tx, *off, *len, now, 100);
	return 1;
}

static void
test_rtt_estimate(void **state)
{
	struct stream_rtt r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(stream_rto_ms(&r), STREAM_RTO_INITIAL_MS);
	assert_int_equal(stream_rtt_srtt_ms(&r), 0);
	stream_rtt_sample(&r, 100);
	assert_int_equal(stream_rtt_srtt_ms(&r), 100);
	assert_int_equal(stream_rtt_var_ms(&r), 50);
	assert_int_equal(stream_rto_ms(&r), 300 + STREAM_ACK_DELAY_MS);
	/* rttvar = 3/4 50 + 1/4 |100 - 200| = 62.5; srtt = 112.5 */
	stream_rtt_sample(&r, 200);
	assert_int_equal(stream_rtt_srtt_ms(&r), 113);
	assert_in_range(stream_rtt_var_ms(&r), 62, 63);
	/* A 0 ms round trip still reads as measured; the RTO floor holds. */
	memset(&r, 0, sizeof(r));
	stream_rtt_sample(&r, 0);
	assert_int_equal(stream_rtt_srtt_ms(&r), 1);
	assert_int_equal(stream_rto_ms(&r), STREAM_RTO_MIN_MS);
	stream_rtt_sample(&r, 9000);
	assert_int_equal(stream_rto_ms(&r), STREAM_RTO_MAX_MS);
	assert_int_equal(stream_backoff_ms(300, 0), 300);
	assert_int_equal(stream_backoff_ms(300, 2), 1200);
	assert_int_equal(stream_backoff_ms(300, 3), STREAM_RTO_MAX_MS);
	assert_int_equal(stream_backoff_ms(300, 60), STREAM_RTO_MAX_MS);
}

static void
test_backlog_limit(void **state)
{
	struct stream_tx tx;
	uint64_t off;
	size_t len;

	(void)state;
	assert_int_equal(stream_tx_init(&tx, SEG), 0);
	assert_int_equal(stream_tx_room(&tx), CHAN_BACKLOG_MAX);
	assert_int_equal(stream_tx_write(&tx, pattern, CHAN_BACKLOG_MAX + 1),
	    MP_ERR_NO_SPACE);
	assert_int_equal(stream_tx_room(&tx), CHAN_BACKLOG_MAX);
	assert_int_equal(stream_tx_write(&tx, pattern, CHAN_BACKLOG_MAX - 10),
	    0);
	assert_int_equal(stream_tx_room(&tx), 10);
	assert_int_equal(stream_tx_write(&tx, pattern, 11), MP_ERR_NO_SPACE);
	assert_int_equal(stream_tx_write(&tx, pattern + CHAN_BACKLOG_MAX - 10,
	    10), 0);
	assert_int_equal(stream_tx_room(&tx), 0);
	/* Sending frees nothing; an ACK does. */
	assert_true(send_seg(&tx, SIZE_MAX, 0, &off, &len));
	assert_int_equal(stream_tx_room(&tx), 0);
	stream_tx_ack(&tx, 600, 1, 100);
	assert_int_equal(stream_tx_room(&tx), 600);
	assert_int_equal(stream_tx_write(&tx, pattern + CHAN_BACKLOG_MAX, 600),
	    0);
	stream_tx_fin(&tx);
	assert_int_equal(stream_tx_room(&tx), 0);
	assert_int_equal(stream_tx_write(&tx, pattern, 1),
	    MP_ERR_INVALID_ARGUMENT);
	stream_tx_free(&tx);
}

static void
test_ack_bounds(void **state)
{
	struct stream_tx tx;
	uint64_t off;
	size_t len;

	(void)state;
	assert_int_equal(stream_tx_init(&tx, SEG), 0);
	assert_int_equal(stream_tx_write(&tx, pattern, 5000), 0);
	assert_true(send_seg(&tx, SIZE_MAX, 10, &off, &len));
	assert_true(send_seg(&tx, SIZE_MAX, 10, &off, &len));
	assert_int_equal(stream_tx_inflight(&tx), 2000);
	assert_true(stream_tx_deadline(&tx) == 110);
	/* Beyond what was sent (even end + 1 without a FIN): ignored. */
	stream_tx_ack(&tx, 2001, 20, 100);
	stream_tx_ack(&tx, 5001, 20, 100);
	assert_int_equal(stream_tx_inflight(&tx), 2000);
	stream_tx_ack(&tx, 1500, 20, 100);
	assert_int_equal(stream_tx_inflight(&tx), 500);
	assert_true(stream_tx_deadline(&tx) == 120);
	stream_tx_ack(&tx, 1000, 30, 100);	/* old */
	assert_int_equal(stream_tx_inflight(&tx), 500);
	assert_true(stream_tx_deadline(&tx) == 120);
	stream_tx_ack(&tx, 2000, 30, 100);
	assert_int_equal(stream_tx_inflight(&tx), 0);
	assert_true(stream_tx_deadline(&tx) == STREAM_NEVER);
	assert_false(stream_tx_done(&tx));
	stream_tx_free(&tx);
}

static void
test_nak_resends_first(void **state)
{
	struct stream_tx tx;
	const uint8_t *p;
	uint64_t off;
	size_t len, i;

	(void)state;
	assert_int_equal(stream_tx_init(&tx, SEG), 0);
	assert_int_equal(stream_tx_write(&tx, pattern, 5000), 0);
	for (i = 0; i < 3; i++)
		assert_true(send_seg(&tx, SIZE_MAX, 0, &off, &len));
	/* Out of range parts are clipped; an empty NAK does nothing. */
	stream_tx_nak(&tx, 3000, 9000);
	assert_true(send_seg(&tx, 1000, 0, &off, &len));
	assert_true(off == 3000);
	stream_tx_nak(&tx, 1200, 1700);
	assert_true(send_seg(&tx, 0, 0, &off, &len));
	assert_true(off == 1200 && len == 500);
	/* Resends come before new bytes, and count as resent. */
	stream_tx_nak(&tx, 100, 300);
	assert_true(stream_tx_wants(&tx, 0));
	assert_true(stream_tx_peek(&tx, SEG, SIZE_MAX, &off, &p, &len));
	assert_ptr_equal(p, tx.ring + 100);
	assert_true(off == 100 && len == 200);
	assert_int_equal(stream_tx_sent(&tx, off, len, 0, 100), 200);
	assert_false(stream_tx_wants(&tx, 0));
	assert_true(stream_tx_wants(&tx, 1));
	stream_tx_free(&tx);
}

static void
test_timeout_and_backoff(void **state)
{
	struct stream_tx tx;
	uint64_t off, prev, step;
	size_t len, i;

	(void)state;
	assert_int_equal(stream_tx_init(&tx, 2500), 0);	/* 2.5 SEG */
	assert_true(stream_tx_deadline(&tx) == STREAM_NEVER);
	assert_int_equal(stream_tx_write(&tx, pattern, 20000), 0);
	for (i = 0; i < 10; i++)
		assert_true(send_seg(&tx, SIZE_MAX, 1000, &off, &len));
	assert_true(stream_tx_deadline(&tx) == 1100);
	assert_int_equal(stream_tx_expire(&tx, 1099, 100), 0);
	assert_false(stream_tx_wants(&tx, 0));
	/* Fires: the oldest seg bytes again, timer doubled. */
	assert_int_equal(stream_tx_expire(&tx, 1100, 100), 1);
	assert_true(stream_tx_deadline(&tx) == 1300);
	for (i = 0; i < 3; i++) {
		assert_true(send_seg(&tx, 0, 1100, &off, &len));
		assert_true(off == i * SEG);
	}
	assert_true(len == 500);
	assert_false(send_seg(&tx, 0, 1100, &off, &len));
	assert_int_equal(stream_tx_expire(&tx, 1300, 100), 1);
	assert_true(stream_tx_deadline(&tx) == 1700);
	for (i = 0; i < 3; i++)
		assert_true(send_seg(&tx, 0, 1300, &off, &len));
	assert_int_equal(tx.backoff, 2);
	/* An ACK inside what was resent resends nothing more ... */
	stream_tx_ack(&tx, 2000, 1310, 100);
	assert_false(stream_tx_wants(&tx, 0));
	assert_int_equal(tx.backoff, 0);
	assert_true(stream_tx_deadline(&tx) == 1410);
	/* ... one covering it but short of what was in flight at the
	 * timeout resends the next range (a partial ACK) ... */
	stream_tx_ack(&tx, 2500, 1320, 100);
	assert_true(send_seg(&tx, 0, 1320, &off, &len));
	assert_true(off == 2500 && len == SEG);
	assert_true(send_seg(&tx, 0, 1320, &off, &len));
	assert_true(send_seg(&tx, 0, 1320, &off, &len));
	assert_true(off == 4500 && len == 500);
	/* ... until a NAK shows the peer names its gaps itself. */
	stream_tx_nak(&tx, 6000, 6100);
	stream_tx_ack(&tx, 5000, 1325, 100);
	assert_true(send_seg(&tx, 0, 1325, &off, &len));
	assert_true(off == 6000 && len == 100);
	assert_false(stream_tx_wants(&tx, 0));
	stream_tx_ack(&tx, 10000, 1330, 100);
	assert_false(stream_tx_wants(&tx, 0));
	assert_true(stream_tx_deadline(&tx) == STREAM_NEVER);
	assert_int_equal(stream_tx_expire(&tx, 99999, 100), 0);
	/* The backed-off timeout grows to STREAM_RTO_MAX_MS and stays. */
	assert_true(send_seg(&tx, SIZE_MAX, 2000, &off, &len));
	prev = stream_tx_deadline(&tx);
	assert_true(prev == 2100);
	for (i = 0; i < 12; i++) {
		assert_int_equal(stream_tx_expire(&tx, prev, 100), 1);
		step = stream_tx_deadline(&tx) - prev;
		assert_true(step == (i < 4 ? 200u << i : STREAM_RTO_MAX_MS));
		prev += step;
	}
	stream_tx_free(&tx);
}

static void
test_fin_both_ways(void **state)
{
	struct stream_tx tx;
	struct stream_rx rx;
	uint64_t off, final;
	size_t len;
	uint8_t out[10];

	(void)state;
	assert_int_equal(stream_tx_init(&tx, SEG), 0);
	assert_int_equal(stream_rx_init(&rx), 0);
	assert_int_equal(stream_tx_write(&tx, pattern, 10), 0);
	stream_tx_fin(&tx);
	/* Data first. */
	assert_int_equal(stream_tx_fin_due(&tx, &final), 0);
	assert_true(send_seg(&tx, SIZE_MAX, 0, &off, &len));
	assert_int_equal(stream_tx_fin_due(&tx, &final), 1);
	assert_true(final == 10);
	stream_tx_fin_sent(&tx, 0, 100);
	assert_int_equal(stream_tx_fin_due(&tx, &final), 0);
	/* The FIN is lost: acking the data is not done; the timer resends
	 * it. */
	stream_rx_data(&rx, 0, pattern, 10);
	assert_true(stream_rx_ack_value(&rx) == 10);
	assert_false(stream_rx_eof(&rx));
	stream_tx_ack(&tx, stream_rx_ack_value(&rx), 10, 100);
	assert_false(stream_tx_done(&tx));
	assert_int_equal(stream_tx_expire(&tx, 110, 100), 1);
	assert_int_equal(stream_tx_fin_due(&tx, &final), 1);
	assert_int_equal(stream_rx_fin(&rx, 10), 1);
	assert_true(stream_rx_ack_value(&rx) == 11);
	stream_tx_ack(&tx, 11, 120, 100);
	assert_true(stream_tx_done(&tx));
	assert_false(stream_rx_eof(&rx));
	assert_int_equal(stream_rx_read(&rx, out, sizeof(out)), 10);
	assert_true(stream_rx_eof(&rx));
	assert_int_equal(stream_rx_read(&rx, out, sizeof(out)), 0);
	stream_tx_free(&tx);
	stream_rx_free(&rx);
}

static void
test_rx_fin_rules(void **state)
{
	struct stream_rx rx;
	uint64_t s, e;
	uint8_t out[64];

	(void)state;
	assert_int_equal(stream_rx_init(&rx), 0);
	stream_rx_data(&rx, 20, pattern + 20, 10);
	stream_rx_fin(&rx, 25);		/* below bytes held: ignored */
	assert_false(rx.fin);
	stream_rx_fin(&rx, 40);
	stream_rx_fin(&rx, 50);		/* a second, different one */
	assert_true(rx.fin && rx.fin_off == 40);
	stream_rx_data(&rx, 35, pattern + 35, 20);	/* clipped at 40 */
	assert_true(rx.high == 40);
	assert_true(stream_rx_gap(&rx, &s, &e) && s == 0 && e == 20);
	stream_rx_data(&rx, 0, pattern, 20);
	assert_true(stream_rx_gap(&rx, &s, &e) && s == 30 && e == 35);
	stream_rx_data(&rx, 30, pattern + 30, 5);
	assert_false(stream_rx_gap(&rx, &s, &e));
	assert_true(stream_rx_ack_value(&rx) == 41);
	assert_int_equal(stream_rx_read(&rx, out, sizeof(out)), 40);
	assert_memory_equal(out, pattern, 40);
	assert_true(stream_rx_eof(&rx));
	stream_rx_free(&rx);
}

static void
test_rx_reorder_and_nak(void **state)
{
	struct stream_rx rx;
	uint64_t s, e;
	uint8_t out[400];

	(void)state;
	assert_int_equal(stream_rx_init(&rx), 0);
	assert_false(stream_rx_gap(&rx, &s, &e));
	assert_true(stream_rx_nak_at(&rx, 100) == STREAM_NEVER);
	assert_int_equal(stream_rx_data(&rx, 100, pattern + 100, 100), 0);
	assert_true(rx.need_ack);
	assert_int_equal(stream_rx_readable(&rx), 0);
	assert_true(stream_rx_gap(&rx, &s, &e) && s == 0 && e == 100);
	/* A new gap: NAK now; then at most once per interval. */
	assert_true(stream_rx_nak_at(&rx, 100) == 0);
	stream_rx_nak_sent(&rx, 500);
	assert_true(stream_rx_nak_at(&rx, 100) == 600);
	stream_rx_data(&rx, 300, pattern + 300, 50);
	assert_true(stream_rx_nak_at(&rx, 100) == 600);	/* same gap */
	stream_rx_data(&rx, 0, pattern, 150);	/* overlaps what is held */
	assert_true(stream_rx_ack_value(&rx) == 200);
	assert_true(stream_rx_gap(&rx, &s, &e) && s == 200 && e == 300);
	assert_true(stream_rx_nak_at(&rx, 100) == 0);	/* a new gap */
	stream_rx_data(&rx, 200, pattern + 200, 100);
	assert_false(stream_rx_gap(&rx, &s, &e));
	assert_true(stream_rx_ack_value(&rx) == 350);
	assert_int_equal(stream_rx_read(&rx, out, 123), 123);
	assert_int_equal(stream_rx_read(&rx, out + 123, sizeof(out) - 123),
	    350 - 123);
	assert_memory_equal(out, pattern, 350);
	/* An old duplicate makes the ACK urgent: ours was lost. */
	stream_rx_acked(&rx);
	assert_int_equal(stream_rx_data(&rx, 0, pattern, 10), 1);
	assert_true(rx.need_ack);
	stream_rx_free(&rx);
}

static void
test_rx_window(void **state)
{
	struct stream_rx rx;
	static uint8_t out[CHAN_REORDER_MAX];
	uint64_t s, e;

	(void)state;
	assert_int_equal(stream_rx_init(&rx), 0);
	/* The last byte the window holds, then one past it. */
	stream_rx_data(&rx, CHAN_REORDER_MAX - 1, pattern, 2);
	assert_true(rx.high == CHAN_REORDER_MAX);
	stream_rx_data(&rx, CHAN_REORDER_MAX, pattern, 1);
	stream_rx_data(&rx, CHAN_REORDER_MAX + 10, pattern, 5);
	assert_true(rx.high == CHAN_REORDER_MAX);
	assert_true(stream_rx_gap(&rx, &s, &e));
	assert_true(s == 0 && e == CHAN_REORDER_MAX - 1);
	/* Big ACK-urgent fill; unread data holds the window. */
	assert_int_equal(stream_rx_data(&rx, 0, pattern, 60000), 1);
	stream_rx_data(&rx, 60000, pattern, 60000);
	stream_rx_data(&rx, 120000, pattern, 60000);
	stream_rx_data(&rx, 180000, pattern, 60000);
	stream_rx_data(&rx, 240000, pattern, CHAN_REORDER_MAX - 240000 - 1);
	assert_true(stream_rx_ack_value(&rx) == CHAN_REORDER_MAX);
	stream_rx_data(&rx, CHAN_REORDER_MAX, pattern, 100);
	assert_true(stream_rx_ack_value(&rx) == CHAN_REORDER_MAX);
	assert_int_equal(stream_rx_read(&rx, out, 50), 50);
	stream_rx_data(&rx, CHAN_REORDER_MAX, pattern + 7, 100);
	assert_true(stream_rx_ack_value(&rx) == CHAN_REORDER_MAX + 50);
	assert_int_equal(stream_rx_read(&rx, out, sizeof(out)),
	    CHAN_REORDER_MAX);
	assert_memory_equal(out + CHAN_REORDER_MAX - 50, pattern + 7, 50);
	/* Far offsets do not overflow anything. */
	stream_rx_data(&rx, UINT64_MAX - 3, pattern, 100);
	assert_true(stream_rx_ack_value(&rx) == CHAN_REORDER_MAX + 50);
	stream_rx_free(&rx);
}

/* ---- the two halves over a lossy, reordering in-memory link ---- */

struct msg {
	int kind;		/* 0 data, 1 ack, 2 nak, 3 fin */
	uint64_t a, b;
	uint8_t data[SEG];
};

#define QMAX	512

struct link {
	struct msg q[QMAX];
	size_t n;
	uint32_t seed;
	unsigned loss;		/* percent */
};

static uint32_t
rnd(struct link *l)
{
	l->seed = l->seed * 1664525u + 1013904223u;
	return l->seed >> 8;
}

static void
link_send(struct link *l, int kind, uint64_t a, uint64_t b, const void *p)
{
	struct msg *m;

	if (rnd(l) % 100 < l->loss || l->n == QMAX)
		return;
	m = &l->q[l->n++];
	m->kind = kind;
	m->a = a;
	m->b = b;
	if (p != NULL)
		memcpy(m->data, p, (size_t)b);
}

/* Take a random message (reordering). */
static int
link_take(struct link *l, struct msg *out)
{
	size_t i;

	if (l->n == 0)
		return 0;
	i = rnd(l) % (l->n < 4 ? l->n : 4);
	*out = l->q[i];
	memmove(&l->q[i], &l->q[i + 1], (l->n - i - 1) * sizeof(l->q[0]));
	l->n--;
	return 1;
}

static void
sender_step(struct stream_tx *tx, struct link *fwd, uint64_t now,
    uint64_t *written, uint64_t total)
{
	const uint8_t *p;
	uint64_t off, final;
	size_t len, room, budget = 16;

	room = stream_tx_room(tx);
	if (room > total - *written)
		room = (size_t)(total - *written);
	if (room > 0) {
		assert_int_equal(stream_tx_write(tx, pattern + *written, room),
		    0);
		*written += room;
		if (*written == total)
			stream_tx_fin(tx);
	}
	stream_tx_expire(tx, now, 60);
	while (budget-- > 0 && stream_tx_peek(tx, SEG, 64 * 1024 -
	    stream_tx_inflight(tx), &off, &p, &len)) {
		link_send(fwd, 0, off, len, p);
		stream_tx_sent(tx, off, len, now, 60);
	}
	if (stream_tx_fin_due(tx, &final)) {
		link_send(fwd, 3, final, 0, NULL);
		stream_tx_fin_sent(tx, now, 60);
	}
}

static void
receiver_step(struct stream_rx *rx, struct link *back, uint64_t now,
    uint8_t *got, uint64_t *nread)
{
	uint64_t s, e;

	if (stream_rx_nak_at(rx, 60) <= now && stream_rx_gap(rx, &s, &e)) {
		link_send(back, 2, s, e, NULL);
		stream_rx_nak_sent(rx, now);
	}
	if (rx->need_ack) {
		link_send(back, 1, stream_rx_ack_value(rx), 0, NULL);
		stream_rx_acked(rx);
	}
	*nread += stream_rx_read(rx, got + *nread, 100000);
}

static void
lossy_transfer(unsigned loss, uint32_t seed)
{
	static uint8_t got[sizeof(pattern)];
	static struct link fwd, back;
	struct stream_tx tx;
	struct stream_rx rx;
	struct msg m;
	uint64_t now, written = 0, nread = 0, total = sizeof(pattern);
	int i;

	memset(&fwd, 0, sizeof(fwd));
	memset(&back, 0, sizeof(back));
	fwd.loss = back.loss = loss;
	fwd.seed = seed;
	back.seed = seed ^ 0x5555;
	assert_int_equal(stream_tx_init(&tx, SEG), 0);
	assert_int_equal(stream_rx_init(&rx), 0);
	for (now = 1; now < 200000 && !(written == total &&
	    stream_tx_done(&tx)); now++) {
		sender_step(&tx, &fwd, now, &written, total);
		for (i = 0; i < 32 && link_take(&fwd, &m); i++) {
			if (m.kind == 0)
				stream_rx_data(&rx, m.a, m.data, (size_t)m.b);
			else
				stream_rx_fin(&rx, m.a);
		}
		receiver_step(&rx, &back, now, got, &nread);
		while (link_take(&back, &m)) {
			if (m.kind == 1)
				stream_tx_ack(&tx, m.a, now, 60);
			else
				stream_tx_nak(&tx, m.a, m.b);
		}
	}
	assert_true(stream_tx_done(&tx));
	assert_true(stream_rx_eof(&rx));
	assert_true(nread == total);
	assert_memory_equal(got, pattern, sizeof(pattern));
	stream_tx_free(&tx);
	stream_rx_free(&rx);
}

static void
test_lossy_transfer(void **state)
{
	(void)state;
	lossy_transfer(0, 1);
	lossy_transfer(10, 2);
	lossy_transfer(30, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtt_estimate),
		cmocka_unit_test(test_backlog_limit),
		cmocka_unit_test(test_ack_bounds),
		cmocka_unit_test(test_nak_resends_first),
		cmocka_unit_test(test_timeout_and_backoff),
		cmocka_unit_test(test_fin_both_ways),
		cmocka_unit_test(test_rx_fin_rules),
		cmocka_unit_test(test_rx_reorder_and_nak),
		cmocka_unit_test(test_rx_window),
		cmocka_unit_test(test_lossy_transfer),
	};

	chfx_pattern(pattern, sizeof(pattern), 12345);
	return cmocka_run_group_tests_name("stream", tests, NULL, NULL);
}

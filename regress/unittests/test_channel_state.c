/* test_channel_state.c: screen updates, STATE_ACK, REPAINT, ECHO_ACK and best-effort streams between two channel ends over UDP on 127.0.0.1 with a driven clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/proto/channel.h"
#include "common/proto/frame.h"
#include "common/proto/record.h"
#include "common/proto/update.h"
#include "regress/unittests/chan_fixture.h"

#define BIG		(300 * 1000)
/* A chunk: the record payload (1175 bytes with the implicit MAC) less
 * the payload, frame and STATE headers and the room the channel leaves
 * to control frames. */
#define CHUNK		(1175 - 4 - 3 - 21 - 64)
#define CHUNKS(n)	(((n) + CHUNK - 1) / CHUNK)
#define PACING_US	200	/* five datagrams per driven ms */
#define RESEND_MS	100	/* the test's update retransmission timer */
#define FORGED_SEQ	100000	/* above any seq a pair uses */
/* The direction forged(), hold() and sniff_attach() take. */
#define TO_CLIENT	0
#define TO_SERVER	1

static uint8_t random_data[BIG], screen_data[BIG], blanks[1000];
static struct chfx_dgram held[CHFX_BATCH];	/* see hold() */

/* Counts what a watched end receives, opened with a spare record
 * context (its own replay window). */
struct sniff {
	struct rec_ctx *rec;
	unsigned records;
	unsigned with[FRAME_ECHO_ACK + 1];	/* records holding a type */
	unsigned acks[CHAN_NSTREAMS], naks[CHAN_NSTREAMS];
	unsigned stream_frames[CHAN_NSTREAMS];
};

/* Count from now on what reaches the server (to_server) or the client. */
static void
sniff_attach(struct sniff *s, struct chfx_pair *p, int to_server)
{
	memset(s, 0, sizeof(*s));
	s->rec = rec_new(&p->keys, to_server);
	assert_non_null(s->rec);
	if (to_server)
		p->to_server = s;
	else
		p->to_client = s;
}

static void
sniff_one(void *arg, const uint8_t *d, size_t len)
{
	struct sniff *s = arg;
	uint8_t pt[REC_DATAGRAM_MAX];
	int seen[FRAME_ECHO_ACK + 1] = { 0 }, newest = 0, t;
	struct frame_reader rd;
	struct frame f;
	size_t n = 0;

	assert_int_equal(rec_open(s->rec, d, len, pt, sizeof(pt), &n,
	    &newest), 0);
	assert_int_equal(frame_reader_init(&rd, pt, n), 0);
	s->records++;
	while (frame_next(&rd, &f)) {
		seen[f.type] = 1;
		if (f.type == FRAME_STREAM_ACK)
			s->acks[f.u.ack.id]++;
		else if (f.type == FRAME_STREAM_NAK)
			s->naks[f.u.nak.id]++;
		else if (f.type == FRAME_STREAM)
			s->stream_frames[f.u.stream.id]++;
	}
	for (t = 0; t <= FRAME_ECHO_ACK; t++)
		s->with[t] += (unsigned)seen[t];
}

/* A pair whose steps pass every datagram by the sniffers. */
static void
pair_new(struct chfx_pair *p)
{
	chfx_pair_new(p);
	p->see = sniff_one;
}

static void
settle(struct chfx_pair *p, int steps)
{
	assert_int_equal(chfx_settle(p, steps), 0);
}

/* What the peer of the server (to_server) or of the client sends when it
 * flushes at p->now, kept from that end: the count; the first CHFX_BATCH
 * in held, the rest lost. */
static size_t
hold(struct chfx_pair *p, int to_server)
{
	static struct chfx_dgram spill[CHFX_BATCH];
	int fd = to_server ? p->sfd : p->cfd;
	size_t n, k;

	assert_int_equal(chan_flush(to_server ? p->c : p->s, p->now), 0);
	n = chfx_grab(fd, held, CHFX_BATCH);
	while ((k = chfx_grab(fd, spill, CHFX_BATCH)) > 0)
		n += k;
	return n;
}

/* Hand the server (to_server) or the client one record of the frames f
 * as its peer would seal it at seq. */
static void
forged(struct chfx_pair *p, int to_server, uint64_t seq,
    const struct frame *f, size_t nf)
{
	uint8_t dg[REC_DATAGRAM_MAX];
	size_t n = chfx_forge(&p->keys, !to_server, seq, f, nf, dg);

	assert_true(n > 0);
	chfx_hand(p, to_server, dg, n);
}

/* Seal a raw payload as the server would, at seq, and hand it to the
 * client (for what frame_put() refuses to write). */
static void
raw_to_client(struct chfx_pair *p, uint64_t seq, const uint8_t *pl,
    size_t len)
{
	struct rec_ctx *r = rec_new(&p->keys, 1);
	uint8_t dg[REC_DATAGRAM_MAX];
	size_t n = 0;

	assert_non_null(r);
	rec_set_seq_for_test(r, seq);
	assert_int_equal(rec_seal(r, pl, len, dg, sizeof(dg), &n), 0);
	rec_free(r);
	chfx_hand(p, TO_CLIENT, dg, n);
}

static struct frame
state_frame(uint64_t base, uint64_t next, uint8_t flags, uint16_t index,
    uint16_t count, const void *data, size_t len)
{
	struct frame f = { .type = FRAME_STATE };

	f.u.state = (struct frame_state){ base, next, flags, index, count,
	    data, len };
	return f;
}

/* The update waiting on the client: its bytes must be want (wlen). */
static void
expect_update(struct chfx_pair *p, uint64_t base, uint64_t next, uint8_t flags,
    const void *want, size_t wlen)
{
	struct buf *out = buf_new(BUF_SIZE_MAX);
	uint64_t b = 99, n = 99;
	uint8_t fl = 99;

	assert_non_null(out);
	assert_int_equal(chan_get_update(p->c, &b, &n, &fl, out), 1);
	assert_true(b == base);
	assert_true(n == next);
	assert_int_equal(fl, flags);
	assert_int_equal(buf_len(out), wlen);
	if (wlen > 0)
		assert_memory_equal(buf_ptr(out), want, wlen);
	assert_int_equal(chan_get_update(p->c, &b, &n, &fl, out), 0);
	buf_free(out);
}

static void
expect_no_update(struct chfx_pair *p)
{
	struct buf *out = buf_new(64);
	uint64_t b, n;
	uint8_t fl;

	assert_int_equal(chan_get_update(p->c, &b, &n, &fl, out), 0);
	assert_int_equal(buf_len(out), 0);
	buf_free(out);
}

/* Settled, the server's update 0 -> 3 "abc" reaches the client, which
 * acknowledges it (its ACK not yet sent). */
static void
abc_acked(struct chfx_pair *p)
{
	settle(p, 30);
	assert_int_equal(chan_send_update(p->s, 0, 3, 0, (const uint8_t *)"abc",
	    3), 0);
	settle(p, 30);
	expect_update(p, 0, 3, 0, "abc", 3);
	assert_int_equal(chan_ack_update(p->c, 3), 0);
}

/* Text a terminal shows: prompts, listings, colours. Compresses well. */
static void
make_screen(uint8_t *p, size_t len)
{
	char line[160];
	size_t off = 0, n;
	unsigned i = 0;

	while (off < len) {
		n = (size_t)snprintf(line, sizeof(line),
		    "\033[%u;1H\033[0;1;34mdrwxr-xr-x\033[0m  %4u user staff "
		    "%7u Nov 22 08:%02u file-%05u.c\033[K\r\n", i % 48 + 1,
		    i % 7 + 1, i * 37 % 100000, i % 60, i);
		if (n > len - off)
			n = len - off;
		memcpy(p + off, line, n);
		off += n;
		i++;
	}
}

/* ---- updates end to end ------------------------------------------------- */

/*
 * The server sends one update (0 -> 1) of data, resending it every
 * RESEND_MS while unacknowledged; the client takes it, checks every
 * byte and acknowledges it. Returns the transmissions started before it
 * was complete; adds the datagrams the net dropped to *dropped.
 */
static uint64_t
transfer(const uint8_t *data, size_t len, unsigned drop, uint32_t seed,
    uint8_t want_flags, unsigned want_chunks, unsigned *dropped)
{
	struct chfx_net n = { drop, 10, seed, 0, 0 };
	const struct chan_stats *ss, *cs;
	uint64_t resend_at, sent = 0;
	struct chfx_pair p;
	int i, got = 0;

	pair_new(&p);
	ss = chan_get_stats(p.s);
	cs = chan_get_stats(p.c);
	chan_set_pacing(p.s, PACING_US);
	settle(&p, 30);
	assert_int_equal(chan_send_update(p.s, 0, 1, 0, data, len), 0);
	assert_int_equal(chan_update_pending(p.s), 1);
	resend_at = p.now + RESEND_MS;
	for (i = 0; i < 20000 && chan_update_acked(p.s) != 1; i++) {
		assert_int_equal(chfx_step(&p, &n, 1), 0);
		if (!got && chan_get_stats(p.c)->updates_received == 1) {
			sent = ss->updates_sent +
			    (chan_update_pending(p.s) ? 1 : 0);
			expect_update(&p, 0, 1, want_flags, data, len);
			assert_int_equal(chan_ack_update(p.c, 1), 0);
			got = 1;
		}
		if (!chan_update_pending(p.s) && p.now >= resend_at) {
			assert_int_equal(chan_resend_update(p.s), 0);
			resend_at = p.now + RESEND_MS;
		}
	}
	assert_int_equal(got, 1);
	assert_true(chan_update_acked(p.s) == 1);
	assert_true(cs->updates_received == 1);
	assert_true(cs->updates_bad_chunk + cs->updates_bad_zstd +
	    cs->updates_too_big == 0);
	assert_true(ss->update_chunks_sent >= want_chunks * ss->updates_sent);
	assert_true(ss->update_chunks_sent < want_chunks *
	    (ss->updates_sent + 1));
	if (drop == 0) {
		/* Every chunk arrived the first time. */
		assert_true(sent == 1);
		assert_int_equal(n.dropped, 0);
		assert_true(cs->update_chunks_ignored ==
		    ss->update_chunks_sent - want_chunks);
	} else if (want_chunks >= 10) {
		/* Many chunks: the first transmission surely lost one. */
		assert_true(sent > 1);
	}
	*dropped += n.dropped;
	chfx_pair_free(&p);
	return sent;
}

static void
test_small_update(void **state)
{
	unsigned dropped = 0;

	(void)state;
	/* 200 bytes of screen compress; 100 are below the threshold. */
	transfer(screen_data, 200, 0, 1, FRAME_STATE_ZSTD, 1, &dropped);
	transfer(screen_data, 100, 0, 2, 0, 1, &dropped);
	transfer(random_data, 200, 0, 3, 0, 1, &dropped);
	transfer(screen_data, 0, 0, 4, 0, 1, &dropped);
	/* The threshold: 127 blanks go as they are, 128 compressed. */
	transfer(blanks, UPDATE_COMPRESS_MIN - 1, 0, 5, 0, 1, &dropped);
	transfer(blanks, UPDATE_COMPRESS_MIN, 0, 6, FRAME_STATE_ZSTD, 1,
	    &dropped);
	assert_int_equal(dropped, 0);
}

/* One datagram each: over 20 runs, some need the test's resends. */
static void
test_small_update_loss(void **state)
{
	unsigned dropped = 0, resent = 0;
	uint32_t seed;

	(void)state;
	for (seed = 100; seed < 120; seed++)
		resent += transfer(screen_data, 200, 30, seed,
		    FRAME_STATE_ZSTD, 1, &dropped) > 1;
	assert_true(dropped > 0);
	assert_true(resent > 0);
}

/* All of random_data through a net dropping drop %: the datagrams it
 * dropped. */
static unsigned
big_random(unsigned drop, uint32_t seed)
{
	unsigned dropped = 0;

	transfer(random_data, BIG, drop, seed, 0, CHUNKS(BIG), &dropped);
	return dropped;
}

static void
test_big_random(void **state)
{
	(void)state;
	assert_int_equal(big_random(0, 6), 0);
}

static void
test_big_random_loss(void **state)
{
	(void)state;
	assert_true(big_random(30, 7) > CHUNKS(BIG) / 5);
}

/* 300 KB of screen compress to a few dozen chunks at most. */
static void
test_big_screen(void **state)
{
	struct chfx_pair p;
	unsigned chunks, dropped = 0;

	(void)state;
	pair_new(&p);
	assert_int_equal(chan_send_update(p.s, 0, 1, 0, screen_data, BIG), 0);
	settle(&p, 30);
	chunks = (unsigned)chan_get_stats(p.s)->update_chunks_sent;
	assert_in_range(chunks, 1, 40);
	expect_update(&p, 0, 1, FRAME_STATE_ZSTD, screen_data, BIG);
	chfx_pair_free(&p);
	transfer(screen_data, BIG, 0, 8, FRAME_STATE_ZSTD, chunks, &dropped);
	assert_int_equal(dropped, 0);
	transfer(screen_data, BIG, 30, 9, FRAME_STATE_ZSTD, chunks, &dropped);
	assert_true(dropped > 0);
}

/* Flag bit 1 reaches the client; chunks share records with stream data. */
static void
test_flags_and_sharing(void **state)
{
	struct chfx_pair p;
	const struct chan_stats *ss;
	uint64_t sent;
	char out[8];

	(void)state;
	pair_new(&p);
	ss = chan_get_stats(p.s);
	settle(&p, 30);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "hi", 2), 0);
	assert_int_equal(chan_send_update(p.s, 0, 7, FRAME_STATE_LINES_DROPPED,
	    screen_data, 300), 0);
	sent = ss->datagrams_sent;
	assert_int_equal(chan_timeout_ms(p.s, p.now), 0);
	assert_int_equal(chan_flush(p.s, p.now), 0);
	assert_true(ss->datagrams_sent == sent + 1);
	assert_int_equal(chan_update_pending(p.s), 0);
	assert_true(ss->updates_sent == 1);
	settle(&p, 1);
	expect_update(&p, 0, 7, FRAME_STATE_ZSTD | FRAME_STATE_LINES_DROPPED,
	    screen_data, 300);
	assert_int_equal(chan_read(p.c, CHAN_STREAM_OUTPUT, out, sizeof(out)),
	    2);
	assert_memory_equal(out, "hi", 2);
	/* Sent once: the channel never resends an update by itself. */
	settle(&p, 3000);
	assert_true(ss->updates_sent == 1);
	assert_true(ss->update_chunks_sent == 1);
	chfx_pair_free(&p);
}

/* Two transmissions, each losing other chunks, complete one update. */
static void
test_reassembly(void **state)
{
	const struct chan_stats *cs;
	size_t i;
	struct chfx_pair p;
	int pass;

	(void)state;
	pair_new(&p);
	cs = chan_get_stats(p.c);
	settle(&p, 30);
	assert_int_equal(chan_send_update(p.s, 3, 4, 0, random_data,
	    10 * CHUNK), 0);
	for (pass = 0; pass < 3; pass++) {
		if (pass > 0)
			assert_int_equal(chan_resend_update(p.s), 0);
		p.now++;
		assert_int_equal(hold(&p, TO_CLIENT), 10);
		assert_int_equal(chan_update_pending(p.s), 0);
		/* Odd chunks first, then even ones, then all again. */
		for (i = 0; i < 10; i++)
			if (pass == 2 || i % 2 != (size_t)pass)
				chfx_input(p.c, &held[i], p.now);
		if (pass == 0) {
			assert_true(cs->updates_received == 0);
			expect_no_update(&p);
		}
	}
	assert_true(cs->updates_received == 1);
	assert_true(cs->update_chunks_ignored == 10);
	expect_update(&p, 3, 4, 0, random_data, 10 * CHUNK);
	chfx_pair_free(&p);
}

/* STATE 13 -> 14 with every reserved flag bit set, one chunk "R". */
static const uint8_t reserved_state[] = {
	0, 1, 0xff, 0xff,
	FRAME_STATE, 0, FRAME_STATE_FIXED + 1,
	0, 0, 0, 0, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 14,
	0xfc, 0, 0, 0, 1, 'R',
};

/* Hand the client a STATE frame (flags 0) of text, at *seq. */
static void
chunk(struct chfx_pair *p, uint64_t *seq, uint64_t base, uint64_t next,
    uint16_t index, uint16_t count, const char *text)
{
	struct frame f = state_frame(base, next, 0, index, count, text,
	    strlen(text));

	forged(p, TO_CLIENT, (*seq)++, &f, 1);
}

/* Hand the client one record of two STATE frames, at *seq. */
static void
chunks(struct chfx_pair *p, uint64_t *seq, struct frame f0, struct frame f1)
{
	const struct frame f[2] = { f0, f1 };

	forged(p, TO_CLIENT, (*seq)++, f, 2);
}

/* The client took received updates and ignored ignored chunks. */
static void
expect_counts(const struct chan_stats *cs, uint64_t received,
    uint64_t ignored)
{
	assert_true(cs->updates_received == received);
	assert_true(cs->update_chunks_ignored == ignored);
}

/* Which update the assembly keeps. */
static void
test_newest_wins(void **state)
{
	static const uint8_t a[] = "first half,", b[] = " second half";
	const struct chan_stats *cs;
	struct frame f;
	struct chfx_pair p;
	uint64_t seq = FORGED_SEQ;

	(void)state;
	pair_new(&p);
	cs = chan_get_stats(p.c);
	/* Half of 0 -> 5, then all of 0 -> 6: the newer replaces it. */
	chunk(&p, &seq, 0, 5, 0, 2, "old");
	chunks(&p, &seq, state_frame(0, 6, 0, 1, 2, b, sizeof(b) - 1),
	    state_frame(0, 6, 0, 0, 2, a, sizeof(a) - 1));
	/* The rest of 0 -> 5 comes too late: dropped. */
	chunk(&p, &seq, 0, 5, 1, 2, "!");
	expect_counts(cs, 1, 1);
	expect_update(&p, 0, 6, 0, "first half, second half", 23);
	/* An older state's chunk does not disturb a newer assembly. */
	chunks(&p, &seq, state_frame(0, 8, 0, 0, 2, "new", 3),
	    state_frame(0, 7, 0, 1, 2, "old", 3));
	chunk(&p, &seq, 0, 8, 1, 2, "er");
	expect_counts(cs, 2, 2);
	expect_update(&p, 0, 8, 0, "newer", 5);
	/* Older and already applied states are dropped whole. */
	chunks(&p, &seq, state_frame(0, 4, 0, 0, 1, "four", 4),
	    state_frame(2, 8, 0, 0, 1, "six", 3));
	expect_counts(cs, 2, 4);
	expect_no_update(&p);
	/* Two complete between calls: only the newest is kept. */
	chunks(&p, &seq, state_frame(6, 9, 0, 0, 1, "seven", 5),
	    state_frame(7, 10, 0, 0, 1, "eight", 5));
	assert_true(cs->updates_received == 4);
	expect_update(&p, 7, 10, 0, "eight", 5);
	/* The same state from another base replaces an assembly; its
	 * chunks are not mixed with the first one's. */
	chunk(&p, &seq, 10, 11, 0, 2, "AA");
	chunk(&p, &seq, 9, 11, 1, 2, "bb");
	assert_true(cs->updates_received == 4);
	chunk(&p, &seq, 9, 11, 0, 2, "aa");
	expect_update(&p, 9, 11, 0, "aabb", 4);
	/* A repeated chunk counts once. */
	chunks(&p, &seq, state_frame(9, 12, 0, 1, 3, "y", 1),
	    state_frame(9, 12, 0, 1, 3, "y", 1));
	chunks(&p, &seq, state_frame(9, 12, 0, 0, 3, "x", 1),
	    state_frame(9, 12, 0, 2, 3, "z", 1));
	expect_update(&p, 9, 12, 0, "xyz", 3);
	assert_true(cs->update_chunks_ignored == 5);
	/* Flag bit 1 is kept, reserved bits are ignored on receipt. */
	f = state_frame(12, 13, FRAME_STATE_LINES_DROPPED, 0, 1, "r", 1);
	forged(&p, TO_CLIENT, seq++, &f, 1);
	expect_update(&p, 12, 13, FRAME_STATE_LINES_DROPPED, "r", 1);
	raw_to_client(&p, seq++, reserved_state, sizeof(reserved_state));
	expect_update(&p, 13, 14, 0, "R", 1);
	assert_true(cs->bad_payload == 0);
	chfx_pair_free(&p);
}

/* ---- STATE_ACK ---------------------------------------------------------- */

/* Forge the client's STATE_ACK of state at *seq: the server then has want
 * acknowledged. */
static void
ack_expect(struct chfx_pair *p, uint64_t *seq, uint64_t state, uint64_t want)
{
	struct frame f = { .type = FRAME_STATE_ACK };

	f.u.state_ack = state;
	forged(p, TO_SERVER, (*seq)++, &f, 1);
	assert_true(chan_update_acked(p->s) == want);
}

static void
test_acks(void **state)
{
	struct chfx_pair p;
	uint64_t seq = FORGED_SEQ;

	(void)state;
	pair_new(&p);
	settle(&p, 30);
	/* Nothing sent yet: any ACK names a state never sent. */
	ack_expect(&p, &seq, 0, 0);
	ack_expect(&p, &seq, 1, 0);
	assert_int_equal(chan_send_update(p.s, 0, 5, 0, (const uint8_t *)"x",
	    1), 0);
	/* Queued is not sent. */
	ack_expect(&p, &seq, 5, 0);
	assert_int_equal(chan_flush(p.s, p.now), 0);
	ack_expect(&p, &seq, 6, 0);
	ack_expect(&p, &seq, 5, 5);
	/* Backwards: ignored. */
	ack_expect(&p, &seq, 4, 5);
	assert_int_equal(chan_send_update(p.s, 5, 9, 0, (const uint8_t *)"y",
	    1), 0);
	assert_int_equal(chan_flush(p.s, p.now), 0);
	ack_expect(&p, &seq, 10, 5);
	ack_expect(&p, &seq, 9, 9);
	/* Only the server takes ACKs, only the client sends them. */
	assert_int_equal(chan_ack_update(p.s, 1), MP_ERR_INVALID_ARGUMENT);
	assert_true(chan_update_acked(p.c) == 0);
	chfx_pair_free(&p);
}

/* The client's STATE_ACK goes out within CHAN_STATE_ACK_DELAY_MS and then
 * in every record, so a lost one is covered by the next. */
static void
test_ack_in_every_record(void **state)
{
	struct sniff sn;
	struct chfx_pair p;
	int t, i;

	(void)state;
	pair_new(&p);
	abc_acked(&p);
	t = chan_timeout_ms(p.c, p.now);
	assert_in_range(t, 0, CHAN_STATE_ACK_DELAY_MS);
	/* That record is lost. */
	p.now += (uint64_t)t;
	assert_int_equal(hold(&p, TO_SERVER), 1);
	assert_true(chan_update_acked(p.s) == 0);
	sniff_attach(&sn, &p, TO_SERVER);
	for (i = 0; i < 5; i++) {
		assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "k", 1),
		    0);
		settle(&p, 10);
	}
	assert_true(chan_update_acked(p.s) == 3);
	assert_true(sn.records >= 5);
	assert_int_equal(sn.with[FRAME_STATE_ACK], sn.records);
	/* The same ACK set again owes no record. */
	settle(&p, 200);
	t = chan_timeout_ms(p.c, p.now);
	assert_true(t > CHAN_STATE_ACK_DELAY_MS);
	assert_int_equal(chan_ack_update(p.c, 3), 0);
	assert_int_equal(chan_timeout_ms(p.c, p.now), t);
	rec_free(sn.rec);
	chfx_pair_free(&p);
}

/* States applied in a burst, 10 ms apart, cost one STATE_ACK record,
 * naming the newest, CHAN_STATE_ACK_DELAY_MS after the first. */
static void
test_acks_coalesced(void **state)
{
	struct sniff sn;
	struct chfx_pair p;
	uint64_t k, first;

	(void)state;
	pair_new(&p);
	settle(&p, 30);
	sniff_attach(&sn, &p, TO_SERVER);
	first = p.now;
	for (k = 1; k <= 4; k++) {
		assert_int_equal(chan_send_update(p.s, k - 1, k, 0,
		    (const uint8_t *)"abc", 3), 0);
		settle(&p, 10);
		expect_update(&p, k - 1, k, 0, "abc", 3);
		assert_int_equal(chan_ack_update(p.c, k), 0);
		if (k == 1)
			first = p.now;
	}
	assert_int_equal(sn.with[FRAME_STATE_ACK], 0);
	assert_true(chan_update_acked(p.s) == 0);
	p.now = first + CHAN_STATE_ACK_DELAY_MS;
	settle(&p, 5);
	assert_int_equal(sn.with[FRAME_STATE_ACK], 1);
	assert_true(chan_update_acked(p.s) == 4);
	rec_free(sn.rec);
	chfx_pair_free(&p);
}

/* A repeat of an acknowledged update, the ACK having been lost, is
 * answered within 20 ms though the client has nothing else to send. */
static void
test_repeat_acked_again(void **state)
{
	const struct chan_stats *cs;
	struct chfx_pair p;
	uint64_t sent;

	(void)state;
	pair_new(&p);
	cs = chan_get_stats(p.c);
	abc_acked(&p);
	settle(&p, CHAN_STATE_ACK_DELAY_MS - 1);
	p.now++;
	assert_int_equal(hold(&p, TO_SERVER), 1);	/* lost */
	settle(&p, 200);
	assert_true(chan_update_acked(p.s) == 0);
	sent = cs->datagrams_sent;
	assert_int_equal(chan_resend_update(p.s), 0);
	settle(&p, 1);
	assert_true(cs->update_chunks_ignored == 1);
	assert_in_range(chan_timeout_ms(p.c, p.now), 1, 20);
	settle(&p, 20);
	assert_true(cs->datagrams_sent == sent + 1);
	assert_true(chan_update_acked(p.s) == 3);
	expect_no_update(&p);
	chfx_pair_free(&p);
}

/* ---- REPAINT ------------------------------------------------------------ */

static void
test_repaint(void **state)
{
	struct sniff sn;
	struct chfx_pair p;
	int i, asked = 0;

	(void)state;
	pair_new(&p);
	sniff_attach(&sn, &p, TO_SERVER);
	settle(&p, 100);
	assert_int_equal(chan_repaint_requested(p.s), 0);
	assert_int_equal(chan_request_repaint(p.c), 0);
	assert_in_range(chan_timeout_ms(p.c, p.now), 0, 20);
	settle(&p, 20);
	assert_int_equal(sn.with[FRAME_REPAINT], 1);
	assert_int_equal(chan_repaint_requested(p.s), 1);
	assert_int_equal(chan_repaint_requested(p.s), 0);
	/* Unanswered, it comes again once per RTO (50 ms to 2 s). */
	for (i = 0; i < 1000; i++) {
		settle(&p, 1);
		asked += chan_repaint_requested(p.s);
	}
	assert_in_range(asked, 10, 20);
	assert_int_equal(sn.with[FRAME_REPAINT], 1 + asked);
	/* An update from another base does not answer it. */
	assert_int_equal(chan_send_update(p.s, 2, 3, 0, (const uint8_t *)"d", 1), 0);
	asked = 0;
	for (i = 0; i < 1000; i++) {
		settle(&p, 1);
		asked += chan_repaint_requested(p.s);
	}
	assert_true(asked >= 1);
	/* A full one does. */
	assert_int_equal(chan_send_update(p.s, 0, 4, 0, (const uint8_t *)"full",
	    4), 0);
	settle(&p, 5);
	expect_update(&p, 0, 4, 0, "full", 4);
	(void)chan_repaint_requested(p.s);
	for (i = 0; i < 3000; i++) {
		settle(&p, 1);
		assert_int_equal(chan_repaint_requested(p.s), 0);
	}
	/* Each direction only. */
	assert_int_equal(chan_request_repaint(p.s), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_repaint_requested(p.c), 0);
	rec_free(sn.rec);
	chfx_pair_free(&p);
}

/* ---- ECHO_ACK ----------------------------------------------------------- */

static void
echo_frame(struct frame *f, uint64_t off, uint8_t flags)
{
	memset(f, 0, sizeof(*f));
	f->type = FRAME_ECHO_ACK;
	f->u.echo.offset = off;
	f->u.echo.flags = flags;
}

static void
expect_echo(struct chfx_pair *p, uint64_t off, uint8_t flags)
{
	uint64_t o = 0;
	uint8_t fl = 0;

	assert_int_equal(chan_get_echo_ack(p->c, &o, &fl), 1);
	assert_true(o == off);
	assert_int_equal(fl, flags);
}

/* ECHO_ACK 77 with every flag bit set. */
static const uint8_t reserved_echo[] = {
	0, 1, 0xff, 0xff,
	FRAME_ECHO_ACK, 0, FRAME_ECHO_ACK_LEN,
	0, 0, 0, 0, 0, 0, 0, 77, 0xff,
};

static void
test_echo_ack(void **state)
{
	struct frame f;
	struct chfx_pair p;
	uint64_t o;
	uint8_t fl;

	(void)state;
	pair_new(&p);
	settle(&p, 30);
	assert_int_equal(chan_get_echo_ack(p.c, &o, &fl), 0);
	assert_int_equal(chan_set_echo_ack(p.s, 10, 0), 0);
	assert_in_range(chan_timeout_ms(p.s, p.now), 0, 20);
	settle(&p, 20);
	expect_echo(&p, 10, 0);
	/* The newest record wins, but the offset never goes back. */
	echo_frame(&f, 5, FRAME_ECHO_OFF);
	forged(&p, TO_CLIENT, FORGED_SEQ + 10, &f, 1);
	expect_echo(&p, 10, FRAME_ECHO_OFF);
	/* An older record, with a higher offset. */
	echo_frame(&f, 50, 0);
	forged(&p, TO_CLIENT, FORGED_SEQ + 5, &f, 1);
	expect_echo(&p, 10, FRAME_ECHO_OFF);
	echo_frame(&f, 30, 0);
	forged(&p, TO_CLIENT, FORGED_SEQ + 11, &f, 1);
	expect_echo(&p, 30, 0);
	/* Reserved flag bits are ignored on receipt, refused when set. */
	raw_to_client(&p, FORGED_SEQ + 12, reserved_echo,
	    sizeof(reserved_echo));
	assert_true(chan_get_stats(p.c)->bad_payload == 0);
	expect_echo(&p, 77, FRAME_ECHO_OFF);
	assert_int_equal(chan_set_echo_ack(p.s, 1, 0x02),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_set_echo_ack(p.c, 1, 0),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_get_echo_ack(p.s, &o, &fl), 0);
	chfx_pair_free(&p);
}

/* ECHO_ACK rides on every server record for a second after a change,
 * and on none after. */
static void
test_echo_ack_every_record(void **state)
{
	struct sniff sn;
	struct chfx_pair p;
	uint64_t first;
	unsigned before, with;
	int i;

	(void)state;
	pair_new(&p);
	sniff_attach(&sn, &p, TO_CLIENT);
	settle(&p, 30);
	assert_int_equal(sn.with[FRAME_ECHO_ACK], 0);
	assert_int_equal(chan_set_echo_ack(p.s, 3, 0), 0);
	assert_int_equal(chan_timeout_ms(p.s, p.now), 20);
	/* Nothing else to send: a record goes out for it alone, 20 ms
	 * later. */
	before = sn.records;
	settle(&p, 19);
	assert_int_equal(sn.records, before);
	settle(&p, 1);
	first = p.now;
	assert_int_equal(sn.records, before + 1);
	assert_int_equal(sn.with[FRAME_ECHO_ACK], 1);
	expect_echo(&p, 3, 0);
	/* The same values again change nothing. */
	assert_int_equal(chan_set_echo_ack(p.s, 3, 0), 0);
	for (i = 0; i < 1500; i += 10) {
		assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "o", 1),
		    0);
		before = sn.records;
		with = sn.with[FRAME_ECHO_ACK];
		assert_int_equal(chfx_step(&p, NULL, 10), 0);
		assert_true(sn.records > before);
		if (p.now < first + CHAN_ECHO_HOLD_MS)
			assert_int_equal(sn.with[FRAME_ECHO_ACK] - with,
			    sn.records - before);
		else
			assert_int_equal(sn.with[FRAME_ECHO_ACK], with);
	}
	/* A change starts another second. */
	assert_int_equal(chan_set_echo_ack(p.s, 3, FRAME_ECHO_OFF), 0);
	with = sn.with[FRAME_ECHO_ACK];
	settle(&p, 20);
	assert_int_equal(sn.with[FRAME_ECHO_ACK], with + 1);
	expect_echo(&p, 3, FRAME_ECHO_OFF);
	rec_free(sn.rec);
	chfx_pair_free(&p);
}

/* ---- best-effort streams ------------------------------------------------ */

static void
best_effort_pair(struct chfx_pair *p)
{
	pair_new(p);
	assert_int_equal(chan_set_best_effort(p->s, CHAN_STREAM_OUTPUT), 0);
	assert_int_equal(chan_set_best_effort(p->c, CHAN_STREAM_OUTPUT), 0);
}

/* Read everything waiting; every byte must be the pattern's byte at its
 * offset, offsets only go up. Returns the bytes read. */
static size_t
read_checked(struct chfx_pair *p, const uint8_t *pattern, uint64_t *last_end,
    unsigned *jumps)
{
	static uint8_t buf[5000];
	uint64_t off;
	size_t n, total = 0;

	for (;;) {
		off = chan_read_offset(p->c, CHAN_STREAM_OUTPUT);
		n = chan_read(p->c, CHAN_STREAM_OUTPUT, buf, sizeof(buf));
		if (n == 0)
			return total;
		assert_true(off >= *last_end);
		*jumps += off > *last_end;
		assert_true(off + n <= BIG);
		assert_memory_equal(buf, pattern + off, n);
		*last_end = off + n;
		assert_true(chan_read_offset(p->c, CHAN_STREAM_OUTPUT) >=
		    *last_end);
		total += n;
	}
}

static void
test_best_effort_loss(void **state)
{
	struct chfx_net n = { 30, 20, 11, 0, 0 };
	struct sniff sn;
	struct chfx_pair p;
	uint64_t last_end = 0;
	size_t written = 0, got = 0, room;
	unsigned jumps = 0;
	int i;

	(void)state;
	best_effort_pair(&p);
	sniff_attach(&sn, &p, TO_SERVER);
	chan_set_pacing(p.s, PACING_US);
	for (i = 0; i < 1000 && !chan_read_eof(p.c, CHAN_STREAM_OUTPUT);
	    i++) {
		room = chan_write_room(p.s, CHAN_STREAM_OUTPUT);
		if (room > 3000)
			room = 3000;
		if (room > BIG - written)
			room = BIG - written;
		if (room > 0) {
			assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT,
			    random_data + written, room), 0);
			written += room;
		}
		if (written == BIG)
			assert_int_equal(chan_write_fin(p.s,
			    CHAN_STREAM_OUTPUT), 0);
		/* The client types too, so it sends records. */
		assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "k", 1),
		    0);
		assert_int_equal(chfx_step(&p, &n, 1), 0);
		got += read_checked(&p, random_data, &last_end, &jumps);
	}
	assert_true(written == BIG);
	assert_true(n.dropped > 0);
	assert_true(n.swapped > 0);
	/* Holes were skipped: fewer bytes than written, read in order. */
	assert_true(jumps > 0);
	assert_true(got < BIG);
	assert_true(got > BIG / 2);
	/* Nothing of stream 1 is ever resent, acknowledged or NAKed. */
	assert_true(chan_get_stats(p.s)->retransmitted == 0);
	assert_true(sn.records >= 50);
	assert_int_equal(sn.acks[CHAN_STREAM_OUTPUT], 0);
	assert_int_equal(sn.naks[CHAN_STREAM_OUTPUT], 0);
	rec_free(sn.rec);
	chfx_pair_free(&p);
}

/* The FIN ends a best-effort stream: at its offset, after a hole. */
static void
test_best_effort_fin(void **state)
{
	struct frame fin = { .type = FRAME_STREAM_FIN };
	uint64_t last_end = 0;
	unsigned jumps = 0;
	struct chfx_pair p;
	size_t i;

	(void)state;
	fin.u.fin = (struct frame_stream_fin){ CHAN_STREAM_OUTPUT, 3010 };
	best_effort_pair(&p);
	settle(&p, 30);
	/* Three records of data; the second is lost. */
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, random_data,
	    3000), 0);
	assert_int_equal(hold(&p, TO_CLIENT), 3);
	for (i = 0; i < 3; i++)
		if (i != 1)
			chfx_input(p.c, &held[i], p.now);
	assert_true(chan_read_offset(p.c, CHAN_STREAM_OUTPUT) == 0);
	/* A record adds 41 bytes to its STREAM frame's data. */
	assert_true(read_checked(&p, random_data, &last_end, &jumps) ==
	    3000 - (held[1].len - 41));
	assert_int_equal(jumps, 1);
	assert_true(last_end == 3000);
	/* The lost record is never resent, whatever time passes. */
	settle(&p, 3000);
	assert_true(chan_get_stats(p.s)->retransmitted == 0);
	assert_true(chan_write_acked(p.s, CHAN_STREAM_OUTPUT));
	/* Now the last bytes and the FIN, the bytes lost: the FIN alone
	 * moves the reader to the end. */
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, random_data +
	    3000, 10), 0);
	assert_int_equal(chan_write_fin(p.s, CHAN_STREAM_OUTPUT), 0);
	assert_int_equal(hold(&p, TO_CLIENT), 1);
	assert_false(chan_read_eof(p.c, CHAN_STREAM_OUTPUT));
	forged(&p, TO_CLIENT, FORGED_SEQ, &fin, 1);
	assert_true(chan_read_eof(p.c, CHAN_STREAM_OUTPUT));
	assert_true(chan_read_offset(p.c, CHAN_STREAM_OUTPUT) == 3010);
	assert_true(chan_write_acked(p.s, CHAN_STREAM_OUTPUT));
	chfx_pair_free(&p);
}

/* A STREAM frame of output: random_data[off, off + len). */
static struct frame
output_frame(uint64_t off, size_t len)
{
	struct frame f = { .type = FRAME_STREAM };

	f.u.stream = (struct frame_stream){ CHAN_STREAM_OUTPUT, off,
	    random_data + off, len };
	return f;
}

/* The client's output reader is at off, n bytes of random_data there. */
static void
expect_output(struct chfx_pair *p, uint64_t off, size_t n)
{
	uint8_t b[4];

	assert_true(chan_read_offset(p->c, CHAN_STREAM_OUTPUT) == off);
	assert_int_equal(chan_read(p->c, CHAN_STREAM_OUTPUT, b, sizeof(b)), n);
	assert_memory_equal(b, random_data + off, n);
}

/* Skipped ranges the reader has not reached are bounded: past 32, data
 * beyond a new gap is dropped until the reader catches up. */
static void
test_best_effort_holes(void **state)
{
	struct frame f[41];
	struct chfx_pair p;
	uint8_t b[4];
	int k;

	(void)state;
	best_effort_pair(&p);
	/* One byte at every even offset 0 .. 80. */
	for (k = 0; k < 41; k++)
		f[k] = output_frame(2 * (uint64_t)k, 1);
	forged(&p, TO_CLIENT, FORGED_SEQ, f, 41);
	/* 0 arrived in order, 2 .. 64 after 32 holes, the rest dropped. */
	for (k = 0; k <= 32; k++)
		expect_output(&p, 2 * (uint64_t)k, 1);
	assert_true(chan_read_offset(p.c, CHAN_STREAM_OUTPUT) == 65);
	assert_int_equal(chan_read(p.c, CHAN_STREAM_OUTPUT, b, sizeof(b)), 0);
	/* Caught up: the next gap is jumped at once. */
	f[0] = output_frame(100, 2);
	forged(&p, TO_CLIENT, FORGED_SEQ + 1, f, 1);
	expect_output(&p, 100, 2);
	/* Late bytes, and the late part of a frame, are dropped. */
	f[0] = output_frame(90, 14);
	forged(&p, TO_CLIENT, FORGED_SEQ + 2, f, 1);
	expect_output(&p, 102, 2);
	chfx_pair_free(&p);
}

/* Write room is limited by bytes not yet sent, never by missing ACKs,
 * and best-effort bytes ignore the 64 KiB congestion limit. */
static void
test_best_effort_room(void **state)
{
	const struct chan_stats *ss;
	struct chfx_pair p;

	(void)state;
	best_effort_pair(&p);
	ss = chan_get_stats(p.s);
	settle(&p, 30);
	assert_int_equal(chan_write_room(p.s, CHAN_STREAM_OUTPUT),
	    CHAN_BACKLOG_MAX);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, random_data,
	    CHAN_BACKLOG_MAX), 0);
	assert_int_equal(chan_write_room(p.s, CHAN_STREAM_OUTPUT), 0);
	/* Reliable stream 2 holds 64 KiB unacknowledged... */
	assert_int_equal(chan_write(p.s, CHAN_STREAM_ERROR, random_data,
	    CHAN_BACKLOG_MAX), 0);
	/* ... and every datagram is lost. */
	while (ss->datagrams_sent < 1000 && chan_timeout_ms(p.s, p.now) == 0)
		(void)hold(&p, TO_CLIENT);
	assert_int_equal(chan_write_room(p.s, CHAN_STREAM_OUTPUT),
	    CHAN_BACKLOG_MAX);
	assert_true(chan_write_acked(p.s, CHAN_STREAM_OUTPUT));
	assert_false(chan_write_acked(p.s, CHAN_STREAM_ERROR));
	assert_int_equal(chan_write_room(p.s, CHAN_STREAM_ERROR), 0);
	/* All of stream 1 and at most the congestion limit of stream 2. */
	assert_in_range(ss->bytes_sent, CHAN_BACKLOG_MAX + 64 * 1024,
	    (CHAN_BACKLOG_MAX + 64 * 1024) * 1200 / 1100);
	assert_true(ss->retransmitted == 0);
	/* Input stays reliable. */
	assert_int_equal(chan_set_best_effort(p.c, CHAN_STREAM_INPUT),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_set_best_effort(p.c, CHAN_NSTREAMS),
	    MP_ERR_INVALID_ARGUMENT);
	chfx_pair_free(&p);
}

static void
test_input_sent(void **state)
{
	struct chfx_pair p;
	uint8_t b[8];

	(void)state;
	pair_new(&p);
	assert_true(chan_input_sent(p.c) == 0);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "hello", 5), 0);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "!!", 2), 0);
	assert_true(chan_input_sent(p.c) == 7);
	assert_true(chan_input_sent(p.s) == 0);
	settle(&p, 30);
	assert_true(chan_read_offset(p.s, CHAN_STREAM_INPUT) == 0);
	assert_int_equal(chan_read(p.s, CHAN_STREAM_INPUT, b, 3), 3);
	assert_true(chan_read_offset(p.s, CHAN_STREAM_INPUT) == 3);
	assert_true(chan_read_offset(p.c, CHAN_STREAM_INPUT) == 0);
	chfx_pair_free(&p);
}

/* ---- malformed updates -------------------------------------------------- */

/* A zstd frame by hand: single segment, an 8-byte content size of
 * declared, one raw block of p (len bytes). Returns its length. */
static size_t
zstd_raw(uint8_t *out, const uint8_t *p, size_t len, uint64_t declared)
{
	static const uint8_t magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	uint32_t bh = (uint32_t)len << 3 | 1;	/* raw, last block */
	size_t n = 0;
	int i;

	memcpy(out, magic, 4);
	n = 4;
	out[n++] = 0xe0;	/* FCS 8 bytes, single segment */
	for (i = 0; i < 8; i++)
		out[n++] = (uint8_t)(declared >> (8 * i));
	out[n++] = (uint8_t)bh;
	out[n++] = (uint8_t)(bh >> 8);
	out[n++] = (uint8_t)(bh >> 16);
	memcpy(out + n, p, len);
	return n + len;
}

/* One update from a forged STATE frame. */
static void
send_one(struct chfx_pair *p, uint64_t *seq, uint64_t next, uint8_t flags,
    uint16_t index, uint16_t count, const uint8_t *d, size_t len)
{
	struct frame f = state_frame(next - 1, next, flags, index, count, d,
	    len);

	forged(p, TO_CLIENT, (*seq)++, &f, 1);
}

static void
test_malformed(void **state)
{
	static const uint8_t text[300] = "a screen";
	uint8_t z[600];
	uint8_t pl[4 + 3 + FRAME_STATE_FIXED + 1] = { 0 };
	const struct chan_stats *cs;
	struct frame f;
	struct chfx_pair p;
	uint64_t seq = FORGED_SEQ, next = 1;
	size_t n;

	(void)state;
	pair_new(&p);
	cs = chan_get_stats(p.c);
	/* The hand-made frame is good as it is. */
	n = zstd_raw(z, text, sizeof(text), sizeof(text));
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n);
	expect_update(&p, next - 2, next - 1, FRAME_STATE_ZSTD, text,
	    sizeof(text));
	/* Its stated size lies (more, then less). */
	n = zstd_raw(z, text, sizeof(text), sizeof(text) + 1);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n);
	n = zstd_raw(z, text, sizeof(text), sizeof(text) - 1);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n);
	assert_true(cs->updates_bad_zstd == 2);
	/* Trailing bytes; a second frame; truncated; not zstd; no stated
	 * size (a window descriptor instead). */
	n = zstd_raw(z, text, 100, 100);
	z[n] = 0;
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n + 1);
	n += zstd_raw(z + n, text, 100, 100);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n);
	n = zstd_raw(z, text, 100, 100);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n - 1);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, text, 200);
	z[4] = 0x00;
	z[5] = 0x50;
	memmove(z + 6, z + 13, n - 13);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n - 7);
	assert_true(cs->updates_bad_zstd == 7);
	/* 33 MiB stated. */
	n = zstd_raw(z, text, 100, 33u * 1024 * 1024);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 1, z, n);
	assert_true(cs->updates_too_big == 1);
	/* Count above 1024. */
	send_one(&p, &seq, next++, 0, 0, 1025, text, 10);
	assert_true(cs->updates_bad_chunk == 1);
	/* A multi-chunk update whose joined chunks fail. */
	n = zstd_raw(z, text, sizeof(text), sizeof(text) + 5);
	send_one(&p, &seq, next, FRAME_STATE_ZSTD, 1, 2, z + 100, n - 100);
	send_one(&p, &seq, next++, FRAME_STATE_ZSTD, 0, 2, z, 100);
	assert_true(cs->updates_bad_zstd == 8);
	expect_no_update(&p);
	/* Index not below count: the frame codec refuses the record. */
	pl[4] = FRAME_STATE;
	pl[6] = FRAME_STATE_FIXED + 1;
	pl[7 + 15] = 99;		/* new state 99 */
	pl[7 + 18] = 2;			/* index 2 */
	pl[7 + 20] = 2;			/* count 2 */
	raw_to_client(&p, seq++, pl, sizeof(pl));
	assert_true(cs->bad_payload == 1);
	/* None of it did harm: a good update still arrives. */
	assert_true(cs->updates_received == 1);
	send_one(&p, &seq, next, 0, 1, 2, text + 5, 5);
	send_one(&p, &seq, next++, 0, 0, 2, text, 5);
	expect_update(&p, next - 2, next - 1, 0, text, 10);
	assert_true(cs->updates_received == 2);
	assert_true(cs->updates_bad_chunk == 1);
	assert_true(cs->updates_bad_zstd == 8);
	assert_true(cs->updates_too_big == 1);
	/* The server never takes STATE. */
	f = state_frame(0, 1, 0, 0, 1, text, 10);
	forged(&p, TO_SERVER, seq++, &f, 1);
	assert_true(chan_get_stats(p.s)->wrong_direction == 1);
	chfx_pair_free(&p);
}

/* What the sending side refuses. */
static void
test_send_limits(void **state)
{
	static uint8_t huge[UPDATE_PLAIN_MAX + 1];
	struct buf *out = buf_new(64);
	struct chfx_pair p;
	uint64_t b, n;
	uint8_t fl;

	(void)state;
	pair_new(&p);
	settle(&p, 30);
	assert_int_equal(chan_resend_update(p.s), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_send_update(p.s, 0, 1, 0, (const uint8_t *)"ok",
	    2), 0);
	/* 1025 chunks of incompressible bytes (1024 go); above 32 MiB. */
	chfx_pattern(huge, 1025 * CHUNK, 77);
	assert_int_equal(chan_send_update(p.s, 0, 3, 0, huge, 1024 * CHUNK +
	    1), MP_ERR_TOO_LARGE);
	assert_int_equal(chan_send_update(p.s, 0, 3, 0, huge,
	    sizeof(huge)), MP_ERR_TOO_LARGE);
	/* Flag bit 0 is the channel's to set; reserved bits are refused. */
	assert_int_equal(chan_send_update(p.s, 0, 3, FRAME_STATE_ZSTD, huge,
	    1), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_send_update(p.s, 0, 3, 0x04, huge, 1),
	    MP_ERR_INVALID_ARGUMENT);
	/* The last good update stays and goes out. */
	settle(&p, 5);
	expect_update(&p, 0, 1, 0, "ok", 2);
	assert_int_equal(chan_resend_update(p.s), 0);
	assert_int_equal(chan_update_pending(p.s), 1);
	/* The most that fits goes (paced, so no socket buffer overflows). */
	chan_set_pacing(p.s, PACING_US);
	assert_int_equal(chan_send_update(p.s, 0, 2, 0, huge, 1024 * CHUNK),
	    0);
	settle(&p, 250);
	assert_int_equal(chan_update_pending(p.s), 0);
	expect_update(&p, 0, 2, 0, huge, 1024 * CHUNK);
	/* Each side has its half. */
	assert_int_equal(chan_send_update(p.c, 0, 1, 0, huge, 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_resend_update(p.c), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_update_pending(p.c), 0);
	assert_int_equal(chan_get_update(p.s, &b, &n, &fl, out),
	    MP_ERR_INVALID_ARGUMENT);
	/* An update larger than the caller's buffer stays to be taken. */
	settle(&p, 5);
	assert_int_equal(chan_send_update(p.s, 0, 9, 0, random_data, 100), 0);
	settle(&p, 5);
	assert_int_equal(chan_get_update(p.c, &b, &n, &fl, out),
	    MP_ERR_NO_SPACE);
	expect_update(&p, 0, 9, 0, random_data, 100);
	buf_free(out);
	chfx_pair_free(&p);
}

static int
setup(void **state)
{
	(void)state;
	chfx_pattern(random_data, sizeof(random_data), 12345);
	make_screen(screen_data, sizeof(screen_data));
	memset(blanks, ' ', sizeof(blanks));
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_update),
		cmocka_unit_test(test_small_update_loss),
		cmocka_unit_test(test_big_random),
		cmocka_unit_test(test_big_random_loss),
		cmocka_unit_test(test_big_screen),
		cmocka_unit_test(test_flags_and_sharing),
		cmocka_unit_test(test_reassembly),
		cmocka_unit_test(test_newest_wins),
		cmocka_unit_test(test_acks),
		cmocka_unit_test(test_ack_in_every_record),
		cmocka_unit_test(test_acks_coalesced),
		cmocka_unit_test(test_repeat_acked_again),
		cmocka_unit_test(test_repaint),
		cmocka_unit_test(test_echo_ack),
		cmocka_unit_test(test_echo_ack_every_record),
		cmocka_unit_test(test_best_effort_loss),
		cmocka_unit_test(test_best_effort_fin),
		cmocka_unit_test(test_best_effort_holes),
		cmocka_unit_test(test_best_effort_room),
		cmocka_unit_test(test_input_sent),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_send_limits),
	};

	return cmocka_run_group_tests_name("channel_state", tests, setup,
	    NULL);
}

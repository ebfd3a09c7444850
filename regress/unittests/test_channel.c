/* test_channel.c: two channel ends over real UDP sockets on 127.0.0.1 with a driven clock: streams, loss, resize, shutdown, roaming, garbage. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/crypto/random.h"
#include "common/proto/channel.h"
#include "common/proto/frame.h"
#include "common/proto/record.h"
#include "regress/unittests/chan_fixture.h"

#define BULK		(1024 * 1024)

static uint8_t pattern[BULK];
static uint8_t got[BULK];

static void
step(struct chfx_pair *p, struct chfx_net *n, unsigned ms)
{
	assert_int_equal(chfx_step(p, n, ms), 0);
}

/* Milliseconds until either end has something to do, in [1, 50]. */
static unsigned
next_ms(const struct chfx_pair *p)
{
	int a = chan_timeout_ms(p->c, p->now), b = chan_timeout_ms(p->s,
	    p->now);

	if (a < 0 || (b >= 0 && b < a))
		a = b;
	return a < 1 ? 1 : a > 50 ? 50 : (unsigned)a;
}

static void
settle(struct chfx_pair *p, int steps)
{
	assert_int_equal(chfx_settle(p, steps), 0);
}

/* ---- streams ------------------------------------------------------------ */

static void
test_first_datagram_and_keepalive(void **state)
{
	struct chfx_pair p;
	struct sockaddr_storage ss;
	uint64_t sent;

	(void)state;
	chfx_pair_new(&p);
	assert_int_equal(chan_peer(p.s, &ss), 0);
	assert_int_equal(chan_timeout_ms(p.s, p.now), -1);
	assert_int_equal(chan_timeout_ms(p.c, p.now), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_true(chan_get_stats(p.c)->datagrams_sent == 1);
	assert_int_equal(chan_receive(p.s, p.now + 5), 0);
	assert_int_equal(chan_peer(p.s, &ss), sizeof(p.caddr));
	assert_memory_equal(&ss, &p.caddr, sizeof(p.caddr));
	assert_true(chan_last_heard_ms(p.s) == p.now + 5);
	settle(&p, 30);
	/* Idle: the next datagram is a keepalive 3 s after the last. */
	assert_in_range(chan_timeout_ms(p.c, p.now), 1, CHAN_KEEPALIVE_MS);
	sent = chan_get_stats(p.c)->datagrams_sent;
	p.now += (uint64_t)chan_timeout_ms(p.c, p.now) - 1;
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_true(chan_get_stats(p.c)->datagrams_sent == sent);
	p.now++;
	assert_int_equal(chan_timeout_ms(p.c, p.now), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_true(chan_get_stats(p.c)->datagrams_sent == sent + 1);
	assert_int_equal(chan_receive(p.s, p.now), 0);
	assert_true(chan_last_heard_ms(p.s) == p.now);
	chfx_pair_free(&p);
}

static void
test_in_order(void **state)
{
	static const char *words[] = { "one ", "two ", "three ", "four" };
	char in[64] = "", out[64], err[64];
	struct chfx_pair p;
	size_t i, nin = 0, nout = 0, nerr = 0;

	(void)state;
	chfx_pair_new(&p);
	for (i = 0; i < 4; i++)
		assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, words[i],
		    strlen(words[i])), 0);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "output", 6), 0);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_ERROR, "error", 5), 0);
	/* Each end writes only its own streams, reads only the others. */
	assert_int_equal(chan_write(p.c, CHAN_STREAM_OUTPUT, "x", 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_INPUT, "x", 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_write(p.s, 3, "x", 1), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_write_room(p.c, CHAN_STREAM_ERROR), 0);
	for (i = 0; i < 50; i++) {
		step(&p, NULL, 1);
		nin += chan_read(p.s, CHAN_STREAM_INPUT, in + nin,
		    sizeof(in) - 1 - nin);
		nout += chan_read(p.c, CHAN_STREAM_OUTPUT, out + nout,
		    sizeof(out) - nout);
		nerr += chan_read(p.c, CHAN_STREAM_ERROR, err + nerr,
		    sizeof(err) - nerr);
		assert_int_equal(chan_read(p.c, CHAN_STREAM_INPUT, out, 1), 0);
	}
	assert_string_equal(in, "one two three four");
	assert_int_equal(nout, 6);
	assert_memory_equal(out, "output", 6);
	assert_int_equal(nerr, 5);
	assert_memory_equal(err, "error", 5);
	assert_true(chan_write_acked(p.c, CHAN_STREAM_INPUT));
	assert_true(chan_write_acked(p.s, CHAN_STREAM_OUTPUT));
	assert_true(chan_write_acked(p.s, CHAN_STREAM_ERROR));
	assert_false(chan_read_eof(p.c, CHAN_STREAM_OUTPUT));
	assert_true(chan_get_stats(p.s)->retransmitted == 0);
	chfx_pair_free(&p);
}

/* 1 MiB of output through a net that drops and swaps datagrams both
 * ways, with input flowing the other way. */
static void
bulk(unsigned drop, uint32_t seed)
{
	struct chfx_pair p;
	struct chfx_net n = { drop, 20, seed, 0, 0 };
	size_t written = 0, nread = 0, room, nin = 0;
	char in[16];
	int i;

	chfx_pair_new(&p);
	for (i = 0; i < 20000 && (!chan_read_eof(p.c, CHAN_STREAM_OUTPUT) ||
	    nin < 10); i++) {
		room = chan_write_room(p.s, CHAN_STREAM_OUTPUT);
		if (room > BULK - written)
			room = BULK - written;
		if (room > 0 && chan_write(p.s, CHAN_STREAM_OUTPUT,
		    pattern + written, room) == 0)
			written += room;
		if (written == BULK)
			assert_int_equal(chan_write_fin(p.s,
			    CHAN_STREAM_OUTPUT), 0);
		if (i < 10)
			assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT,
			    "k", 1), 0);
		step(&p, &n, 1);
		nread += chan_read(p.c, CHAN_STREAM_OUTPUT, got + nread,
		    BULK - nread);
		nin += chan_read(p.s, CHAN_STREAM_INPUT, in, sizeof(in));
	}
	assert_true(written == BULK);
	assert_true(nread == BULK);
	assert_memory_equal(got, pattern, BULK);
	assert_true(chan_read_eof(p.c, CHAN_STREAM_OUTPUT));
	assert_int_equal(nin, 10);
	if (drop > 0) {
		assert_true(n.dropped > 0);
		assert_true(chan_get_stats(p.s)->retransmitted > 0);
	}
	assert_true(n.swapped > 0);
	assert_true(chan_get_stats(p.c)->rec.accepted > BULK / 1200);
	/* Resends stay near what was lost: at most 1.5 times the datagrams
	 * a perfect sender would need through this loss. */
	assert_true(chan_get_stats(p.s)->datagrams_sent <
	    (uint64_t)BULK / 1100 * 150 / (100 - drop) + 100);
	chfx_pair_free(&p);
}

static void
test_bulk_lossless(void **state)
{
	(void)state;
	bulk(0, 1);
}

static void
test_bulk_drop_10(void **state)
{
	(void)state;
	bulk(10, 2);
}

static void
test_bulk_drop_30(void **state)
{
	(void)state;
	bulk(30, 3);
}

static void
test_fin_eof(void **state)
{
	struct chfx_pair p;
	char out[16];
	size_t n = 0;
	int i;

	(void)state;
	chfx_pair_new(&p);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "bye", 3), 0);
	assert_int_equal(chan_write_fin(p.s, CHAN_STREAM_OUTPUT), 0);
	assert_int_equal(chan_write_fin(p.s, CHAN_STREAM_ERROR), 0);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "x", 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_write_room(p.s, CHAN_STREAM_OUTPUT), 0);
	assert_false(chan_write_acked(p.s, CHAN_STREAM_OUTPUT));
	assert_int_equal(chan_write_fin(p.c, CHAN_STREAM_OUTPUT),
	    MP_ERR_INVALID_ARGUMENT);
	for (i = 0; i < 40; i++) {
		step(&p, NULL, 1);
		if (i == 20) {
			/* Unread data holds the end of file back. */
			assert_false(chan_read_eof(p.c, CHAN_STREAM_OUTPUT));
			assert_true(chan_read_eof(p.c, CHAN_STREAM_ERROR));
			n = chan_read(p.c, CHAN_STREAM_OUTPUT, out,
			    sizeof(out));
		}
	}
	assert_int_equal(n, 3);
	assert_memory_equal(out, "bye", 3);
	assert_true(chan_read_eof(p.c, CHAN_STREAM_OUTPUT));
	assert_int_equal(chan_read(p.c, CHAN_STREAM_OUTPUT, out, sizeof(out)),
	    0);
	assert_true(chan_write_acked(p.s, CHAN_STREAM_OUTPUT));
	assert_true(chan_write_acked(p.s, CHAN_STREAM_ERROR));
	assert_false(chan_read_eof(p.s, CHAN_STREAM_INPUT));
	chfx_pair_free(&p);
}

static void
test_backlog_limit(void **state)
{
	static uint8_t big[CHAN_BACKLOG_MAX + 1];
	struct chfx_pair p;
	const struct chan_stats *st;
	int i;

	(void)state;
	chfx_pair_new(&p);
	st = chan_get_stats(p.c);
	assert_int_equal(chan_write_room(p.c, CHAN_STREAM_INPUT),
	    CHAN_BACKLOG_MAX);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, big, sizeof(big)),
	    MP_ERR_NO_SPACE);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, big,
	    CHAN_BACKLOG_MAX), 0);
	assert_int_equal(chan_write_room(p.c, CHAN_STREAM_INPUT), 0);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, big, 1),
	    MP_ERR_NO_SPACE);
	/* With no ACK, at most the congestion limit goes out. */
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_in_range(st->datagrams_sent, 64 * 1024 / 1175,
	    64 * 1024 / 1100 + 2);
	assert_int_equal(chan_flush(p.c, p.now + 1), 0);
	assert_in_range(st->datagrams_sent, 64 * 1024 / 1175,
	    64 * 1024 / 1100 + 2);
	assert_int_equal(chan_write_room(p.c, CHAN_STREAM_INPUT), 0);
	/* The server reads nothing yet acknowledges what it holds. */
	for (i = 0; i < 10; i++)
		step(&p, NULL, 5);
	assert_true(chan_write_room(p.c, CHAN_STREAM_INPUT) >= 64 * 1024);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, big, 1), 0);
	chfx_pair_free(&p);
}

/* ---- resize, exit, shutdown --------------------------------------------- */

/* 1 if a datagram to the server (to_server) or client holds a frame of
 * this type (opened afresh). */
static int
has_frame(const struct hs_keys *k, int to_server, const uint8_t *dg,
    size_t len, enum frame_type type)
{
	struct rec_ctx *r = rec_new(k, to_server);
	uint8_t pt[REC_DATAGRAM_MAX];
	struct frame_reader rd;
	struct frame f;
	size_t n = 0;
	int newest = 0, found = 0;

	assert_non_null(r);
	assert_int_equal(rec_open(r, dg, len, pt, sizeof(pt), &n, &newest),
	    0);
	assert_int_equal(frame_reader_init(&rd, pt, n), 0);
	while (frame_next(&rd, &f))
		found |= f.type == type;
	rec_free(r);
	return found;
}

static void
test_resize_newest_wins(void **state)
{
	static struct chfx_dgram g[CHFX_BATCH];
	size_t k;
	uint16_t cols = 0, rows = 0, xp = 0, yp = 0;
	struct chfx_pair p;
	int i;

	(void)state;
	chfx_pair_new(&p);
	assert_int_equal(chan_resize(p.s, 1, 2, 3, 4), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_get_resize(p.s, &cols, &rows, &xp, &yp), 0);
	assert_int_equal(chan_resize(p.c, 80, 24, 0, 0), 0);
	assert_int_equal(chan_resize(p.c, 100, 30, 800, 600), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_int_equal(chan_resize(p.c, 132, 43, 0, 0), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	/* Two datagrams: the second first, then the older one late. */
	k = chfx_grab(p.sfd, g, CHFX_BATCH);
	assert_int_equal(k, 2);
	chfx_input(p.s, &g[1], p.now);
	chfx_input(p.s, &g[0], p.now);
	assert_true(chan_get_stats(p.s)->rec.accepted == 2);
	assert_int_equal(chan_get_resize(p.s, &cols, &rows, &xp, &yp), 1);
	assert_int_equal(cols, 132);
	assert_int_equal(rows, 43);
	assert_int_equal(chan_get_resize(p.s, &cols, &rows, &xp, &yp), 0);
	/* A resize whose datagrams are all lost is resent by timer. */
	assert_int_equal(chan_resize(p.c, 90, 20, 9, 2), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_int_equal(chfx_grab(p.sfd, g, CHFX_BATCH), 1);
	assert_true(has_frame(&p.keys, 1, g[0].d, g[0].len, FRAME_RESIZE));
	assert_in_range(chan_timeout_ms(p.c, p.now), 1, 1000);
	for (i = 0; i < 100 && !chan_get_resize(p.s, &cols, &rows, &xp, &yp);
	    i++)
		step(&p, NULL, 20);
	assert_int_equal(cols, 90);
	assert_int_equal(rows, 20);
	assert_int_equal(xp, 9);
	assert_int_equal(yp, 2);
	/* It rides on every datagram until the server's timestamp replies
	 * prove it arrived (over a second after it was first sent). */
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "z", 1), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_int_equal(chfx_grab(p.sfd, g, CHFX_BATCH), 1);
	assert_true(has_frame(&p.keys, 1, g[0].d, g[0].len, FRAME_RESIZE));
	for (i = 0; i < 60; i++)
		step(&p, NULL, 20);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "z", 1), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_int_equal(chfx_grab(p.sfd, g, CHFX_BATCH), 1);
	assert_false(has_frame(&p.keys, 1, g[0].d, g[0].len, FRAME_RESIZE));
	assert_true(has_frame(&p.keys, 1, g[0].d, g[0].len, FRAME_STREAM));
	chfx_pair_free(&p);
}

static void
shutdown_run(unsigned drop)
{
	struct chfx_pair p;
	struct chfx_net n = { drop, 0, 77, 0, 0 };
	uint8_t kind = 9;
	uint32_t value = 0;
	char out[16];
	size_t nout = 0;
	int i;

	chfx_pair_new(&p);
	settle(&p, 2);
	assert_int_equal(chan_set_exit(p.c, 0, 1), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_set_exit(p.s, 2, 1), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "logout", 6), 0);
	assert_int_equal(chan_set_exit(p.s, FRAME_EXIT_CODE, 3), 0);
	assert_int_equal(chan_shutdown(p.s), 0);
	assert_int_equal(chan_get_state(p.s), CHAN_SHUTTING_DOWN);
	assert_int_equal(chan_get_exit(p.c, &kind, &value), 0);
	for (i = 0; i < 3000 && (chan_get_state(p.s) != CHAN_CLOSED ||
	    chan_get_state(p.c) != CHAN_CLOSED); i++) {
		step(&p, &n, next_ms(&p));
		/* The peer has all the output before it sees SHUTDOWN. */
		if (chan_peer_shutdown(p.c) && nout == 0)
			nout = chan_read(p.c, CHAN_STREAM_OUTPUT, out,
			    sizeof(out));
	}
	assert_int_equal(chan_get_state(p.s), CHAN_CLOSED);
	assert_int_equal(chan_get_state(p.c), CHAN_CLOSED);
	assert_true(chan_peer_shutdown(p.c));
	assert_false(chan_peer_shutdown(p.s));
	assert_int_equal(nout, 6);
	assert_memory_equal(out, "logout", 6);
	assert_int_equal(chan_get_exit(p.c, &kind, &value), 1);
	assert_int_equal(kind, FRAME_EXIT_CODE);
	assert_int_equal(value, 3);
	assert_int_equal(chan_get_exit(p.s, &kind, &value), 0);
	/* Closed ends send nothing more. */
	assert_int_equal(chan_timeout_ms(p.s, p.now), -1);
	assert_int_equal(chan_timeout_ms(p.c, p.now), -1);
	chfx_pair_free(&p);
}

static void
test_exit_and_shutdown(void **state)
{
	(void)state;
	shutdown_run(0);
	shutdown_run(30);
}

/* The output is lost, so SHUTDOWN waits until its resend is acked; the
 * first SHUTDOWN_ACK is lost, so the repeated SHUTDOWN is answered too. */
static void
test_shutdown_after_loss(void **state)
{
	static struct chfx_dgram g[CHFX_BATCH];
	struct chfx_pair p;
	char out[16];
	int i, seen = 0;

	(void)state;
	chfx_pair_new(&p);
	settle(&p, 30);
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "logout", 6), 0);
	assert_int_equal(chan_set_exit(p.s, FRAME_EXIT_SIGNAL, 15), 0);
	assert_int_equal(chan_shutdown(p.s), 0);
	assert_int_equal(chan_flush(p.s, p.now), 0);
	assert_int_equal(chfx_grab(p.cfd, g, CHFX_BATCH), 1);
	assert_true(has_frame(&p.keys, 0, g[0].d, g[0].len, FRAME_STREAM));
	assert_false(has_frame(&p.keys, 0, g[0].d, g[0].len, FRAME_SHUTDOWN));
	for (i = 0; i < 200 && chan_get_state(p.s) != CHAN_CLOSED; i++) {
		step(&p, NULL, next_ms(&p));
		if (!seen && chan_peer_shutdown(p.c)) {
			/* Everything written came before the SHUTDOWN. */
			assert_int_equal(chan_read(p.c, CHAN_STREAM_OUTPUT,
			    out, sizeof(out)), 6);
			assert_memory_equal(out, "logout", 6);
			p.now++;
			assert_int_equal(chan_flush(p.c, p.now), 0);
			assert_int_equal(chan_get_state(p.c), CHAN_CLOSED);
			assert_int_equal(chfx_grab(p.sfd, g, CHFX_BATCH), 1);
			assert_true(has_frame(&p.keys, 1, g[0].d, g[0].len,
			    FRAME_SHUTDOWN_ACK));
			seen = 1;
		}
	}
	assert_true(seen);
	assert_int_equal(chan_get_state(p.s), CHAN_CLOSED);
	assert_true(chan_get_stats(p.c)->datagrams_sent >= 2 + 1);
	chfx_pair_free(&p);
}

/* ---- hostile input ------------------------------------------------------ */

static void
test_wrong_direction(void **state)
{
	static const uint8_t x[] = "x";
	struct frame f[6];
	uint8_t dg[REC_DATAGRAM_MAX];
	struct chfx_pair p;
	uint16_t a, b, c, d;
	size_t n;

	(void)state;
	chfx_pair_new(&p);
	memset(f, 0, sizeof(f));
	/* To the server: output data, an ACK of input, EXIT_STATUS,
	 * STATE; plus a stream 7 frame, which is only ignored. */
	f[0].type = FRAME_STREAM;
	f[0].u.stream = (struct frame_stream){ 1, 0, x, 1 };
	f[1].type = FRAME_STREAM_ACK;
	f[1].u.ack = (struct frame_stream_ack){ 0, 0 };
	f[2].type = FRAME_EXIT_STATUS;
	f[3].type = FRAME_STATE;
	f[3].u.state.count = 1;
	f[4].type = FRAME_STREAM;
	f[4].u.stream = (struct frame_stream){ 7, 0, x, 1 };
	n = chfx_forge(&p.keys, 0, 1000, f, 5, dg);
	assert_true(n > 0);
	chfx_hand(&p, 1, dg, n);
	assert_true(chan_get_stats(p.s)->rec.accepted == 1);
	assert_true(chan_get_stats(p.s)->wrong_direction == 4);
	/* To the client: input data, RESIZE, REPAINT, STATE_ACK, a NAK of
	 * output. */
	f[0].u.stream.id = 0;
	f[1].type = FRAME_RESIZE;
	f[1].u.resize.number = 5;
	f[2].type = FRAME_REPAINT;
	f[3].type = FRAME_STATE_ACK;
	f[4].type = FRAME_STREAM_NAK;
	f[4].u.nak = (struct frame_stream_nak){ 1, 0, 1 };
	n = chfx_forge(&p.keys, 1, 1000, f, 5, dg);
	assert_true(n > 0);
	chan_input(p.c, dg, n, NULL, 0, p.now);
	assert_true(chan_get_stats(p.c)->rec.accepted == 1);
	assert_true(chan_get_stats(p.c)->wrong_direction == 5);
	settle(&p, 30);
	assert_int_equal(chan_read(p.c, CHAN_STREAM_OUTPUT, dg, 1), 0);
	assert_int_equal(chan_read(p.s, CHAN_STREAM_INPUT, dg, 1), 0);
	assert_int_equal(chan_get_resize(p.s, &a, &b, &c, &d), 0);
	chfx_pair_free(&p);
}

static uint64_t
drops(const struct rec_stats *s)
{
	return s->too_short + s->too_long + s->bad_version + s->replayed +
	    s->bad_mac + s->bad_tag;
}

static void
test_garbage_changes_nothing(void **state)
{
	static struct chfx_dgram g[CHFX_BATCH];
	static uint8_t junk[1400];
	struct sockaddr_storage ss;
	struct sockaddr_in gaddr;
	size_t sizes[] = { 0, 5, 40, 300, 1200, 1400 }, i, k;
	struct chan_stats before;
	struct chfx_pair p;
	uint8_t one[REC_DATAGRAM_MAX + 1];
	uint64_t heard;
	int fd, timeout;

	(void)state;
	chfx_pair_new(&p);
	fd = chfx_udp_socket(&gaddr);
	settle(&p, 30);
	/* Capture a real client datagram, delivered normally. */
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "a", 1), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	k = chfx_grab(p.sfd, g, CHFX_BATCH);
	assert_int_equal(k, 1);
	chfx_input(p.s, &g[0], p.now);
	before = *chan_get_stats(p.s);
	heard = chan_last_heard_ms(p.s);
	timeout = chan_timeout_ms(p.s, p.now);
	mp_random(junk, sizeof(junk));
	junk[0] = REC_VERSION;	/* random seqs are new: the tag fails */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		assert_true(sendto(fd, junk, sizes[i], 0,
		    (struct sockaddr *)&p.saddr, sizeof(p.saddr)) ==
		    (ssize_t)sizes[i]);
	/* The real one replayed, with a bit flipped, cut short (its seq is
	 * seen: a replay too), with version 2. */
	memcpy(one, g[0].d, g[0].len);
	assert_true(sendto(fd, one, g[0].len, 0, (struct sockaddr *)&p.saddr,
	    sizeof(p.saddr)) == (ssize_t)g[0].len);
	one[g[0].len - 3] ^= 4;
	one[1] ^= 0x80;		/* a new seq, so the tag is what fails */
	assert_true(sendto(fd, one, g[0].len, 0, (struct sockaddr *)&p.saddr,
	    sizeof(p.saddr)) == (ssize_t)g[0].len);
	assert_true(sendto(fd, g[0].d, g[0].len - 1, 0,
	    (struct sockaddr *)&p.saddr, sizeof(p.saddr)) ==
	    (ssize_t)g[0].len - 1);
	one[0] = 2;
	assert_true(sendto(fd, one, g[0].len, 0, (struct sockaddr *)&p.saddr,
	    sizeof(p.saddr)) == (ssize_t)g[0].len);
	assert_int_equal(chan_receive(p.s, p.now + 1), 0);
	assert_true(chan_get_stats(p.s)->datagrams_received ==
	    before.datagrams_received + 10);
	assert_true(drops(&chan_get_stats(p.s)->rec) ==
	    drops(&before.rec) + 10);
	assert_true(chan_get_stats(p.s)->rec.accepted == before.rec.accepted);
	assert_true(chan_get_stats(p.s)->rec.replayed ==
	    before.rec.replayed + 2);
	assert_true(chan_get_stats(p.s)->rec.bad_tag ==
	    before.rec.bad_tag + 4);
	assert_true(chan_get_stats(p.s)->rec.bad_version ==
	    before.rec.bad_version + 1);
	assert_true(chan_get_stats(p.s)->rec.too_long ==
	    before.rec.too_long + 1);
	assert_true(chan_last_heard_ms(p.s) == heard);
	assert_int_equal(chan_peer(p.s, &ss), sizeof(p.caddr));
	assert_memory_equal(&ss, &p.caddr, sizeof(p.caddr));
	assert_int_equal(chan_timeout_ms(p.s, p.now), timeout);
	assert_int_equal(chan_read(p.s, CHAN_STREAM_INPUT, one, sizeof(one)),
	    1);
	/* Nothing ever goes back to the sender of garbage. */
	settle(&p, 30);
	assert_int_equal(chfx_grab(fd, g, CHFX_BATCH), 0);
	close(fd);
	chfx_pair_free(&p);
}

/* Send datagram d (len n) to the server from socket fd and receive it. */
static void
inject(struct chfx_pair *p, int fd, const uint8_t *d, size_t n)
{
	assert_true(sendto(fd, d, n, 0, (struct sockaddr *)&p->saddr,
	    sizeof(p->saddr)) == (ssize_t)n);
	assert_int_equal(chan_receive(p->s, p->now), 0);
}

static void
assert_peer(const struct chfx_pair *p, const struct sockaddr_in *want)
{
	struct sockaddr_storage ss;

	assert_int_equal(chan_peer(p->s, &ss), sizeof(*want));
	assert_memory_equal(&ss, want, sizeof(*want));
}

static void
test_roaming(void **state)
{
	static struct chfx_dgram g[CHFX_BATCH];
	struct sockaddr_in baddr, xaddr;
	struct chfx_pair p;
	uint64_t accepted;
	int b, x;

	(void)state;
	chfx_pair_new(&p);
	b = chfx_udp_socket(&baddr);
	x = chfx_udp_socket(&xaddr);
	settle(&p, 30);
	assert_peer(&p, &p.caddr);
	/* Two client records, held back. */
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "1", 1), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_int_equal(chfx_grab(p.sfd, g, 1), 1);
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "2", 1), 0);
	assert_int_equal(chan_flush(p.c, p.now), 0);
	assert_int_equal(chfx_grab(p.sfd, g + 1, 1), 1);
	/* The newer one arrives from a new port (NAT rebinding): followed. */
	accepted = chan_get_stats(p.s)->rec.accepted;
	inject(&p, b, g[1].d, g[1].len);
	assert_peer(&p, &baddr);
	/* The older one, authentic but not the newest, from elsewhere: used
	 * but not followed. */
	inject(&p, x, g[0].d, g[0].len);
	assert_true(chan_get_stats(p.s)->rec.accepted == accepted + 2);
	assert_peer(&p, &baddr);
	/* A replay of the newest from elsewhere: dropped, not followed. */
	inject(&p, x, g[1].d, g[1].len);
	assert_true(chan_get_stats(p.s)->rec.accepted == accepted + 2);
	assert_true(chan_get_stats(p.s)->rec.replayed >= 1);
	assert_peer(&p, &baddr);
	assert_int_equal(chan_read(p.s, CHAN_STREAM_INPUT, g[2].d, 4), 2);
	assert_memory_equal(g[2].d, "12", 2);
	/* The server now answers to the new address only. */
	p.now += 25;
	assert_int_equal(chan_flush(p.s, p.now), 0);
	assert_true(chfx_grab(b, g, CHFX_BATCH) >= 1);
	assert_int_equal(chfx_grab(x, g, CHFX_BATCH), 0);
	assert_int_equal(chfx_grab(p.cfd, g, CHFX_BATCH), 0);
	/* The client's next record, from its own socket, moves it back. */
	assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "3", 1), 0);
	settle(&p, 1);
	assert_peer(&p, &p.caddr);
	close(b);
	close(x);
	chfx_pair_free(&p);
}

/* ---- timing ------------------------------------------------------------- */

static void
test_rtt_estimate(void **state)
{
	struct chfx_pair p;
	int i;

	(void)state;
	chfx_pair_new(&p);
	assert_int_equal(chan_get_stats(p.c)->srtt_ms, 0);
	assert_int_equal(chan_get_stats(p.s)->srtt_ms, 0);
	/* Every datagram spends 15 ms in flight: a 30 ms round trip. */
	for (i = 0; i < 40; i++) {
		assert_int_equal(chan_write(p.c, CHAN_STREAM_INPUT, "k", 1), 0);
		assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, "o", 1),
		    0);
		assert_int_equal(chan_flush(p.c, p.now), 0);
		assert_int_equal(chan_flush(p.s, p.now), 0);
		p.now += 15;
		assert_int_equal(chan_receive(p.s, p.now), 0);
		assert_int_equal(chan_receive(p.c, p.now), 0);
	}
	assert_in_range(chan_get_stats(p.c)->srtt_ms, 25, 40);
	assert_in_range(chan_get_stats(p.s)->srtt_ms, 25, 40);
	assert_true(chan_get_stats(p.c)->rttvar_ms < 20);
	chfx_pair_free(&p);
}

static void
test_pacing(void **state)
{
	static uint8_t big[20000];
	struct chfx_pair p;
	const struct chan_stats *st;

	(void)state;
	chfx_pair_new(&p);
	st = chan_get_stats(p.s);
	settle(&p, 30);
	chan_set_pacing(p.s, 2500);	/* one datagram per 2.5 ms */
	assert_int_equal(chan_write(p.s, CHAN_STREAM_OUTPUT, big,
	    sizeof(big)), 0);
	assert_true(st->datagrams_sent == 1);	/* its first, unpaced */
	assert_int_equal(chan_flush(p.s, p.now), 0);
	assert_true(st->datagrams_sent == 2);
	assert_int_equal(chan_timeout_ms(p.s, p.now), 2);
	assert_int_equal(chan_flush(p.s, p.now + 1), 0);
	assert_true(st->datagrams_sent == 2);
	assert_int_equal(chan_flush(p.s, p.now + 2), 0);
	assert_true(st->datagrams_sent == 3);
	/* A late flush sends one, not a burst to catch up. */
	assert_int_equal(chan_flush(p.s, p.now + 10), 0);
	assert_true(st->datagrams_sent == 4);
	chan_set_pacing(p.s, 0);
	assert_int_equal(chan_flush(p.s, p.now + 10), 0);
	assert_true(st->datagrams_sent >= 4 + 10);
	chfx_pair_free(&p);
}

static void
test_bad_arguments(void **state)
{
	struct hs_keys k;
	struct sockaddr_in sin;

	(void)state;
	chfx_keys(&k);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	assert_null(chan_new(&k, 0, -1, NULL, 0));
	assert_null(chan_new(&k, 0, -1, (struct sockaddr *)&sin, 0));
	assert_null(chan_new(&k, 0, -1, (struct sockaddr *)&sin, 1000));
	strcpy(k.aead, "rot13");
	assert_null(chan_new(&k, 1, -1, NULL, 0));
	chan_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_datagram_and_keepalive),
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_bulk_lossless),
		cmocka_unit_test(test_bulk_drop_10),
		cmocka_unit_test(test_bulk_drop_30),
		cmocka_unit_test(test_fin_eof),
		cmocka_unit_test(test_backlog_limit),
		cmocka_unit_test(test_resize_newest_wins),
		cmocka_unit_test(test_exit_and_shutdown),
		cmocka_unit_test(test_shutdown_after_loss),
		cmocka_unit_test(test_wrong_direction),
		cmocka_unit_test(test_garbage_changes_nothing),
		cmocka_unit_test(test_roaming),
		cmocka_unit_test(test_rtt_estimate),
		cmocka_unit_test(test_pacing),
		cmocka_unit_test(test_bad_arguments),
	};

	if (mp_crypto_init() != 0)
		return 1;
	chfx_pattern(pattern, sizeof(pattern), 99);
	return cmocka_run_group_tests_name("channel", tests, NULL, NULL);
}

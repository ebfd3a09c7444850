/* channel.c: one end of a UDP session: builds, seals and sends payloads, opens and dispatches received ones, keeps time. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/secmem.h"
#include "common/proto/channel.h"
#include "common/proto/frame.h"
#include "common/proto/record.h"
#include "common/proto/stream.h"
#include "common/proto/update.h"

#define NEVER		STREAM_NEVER
#define INFLIGHT_MAX	(64u * 1024)	/* stream bytes sent, unacked */
#define HOLD_MAX_MS	1000		/* held longer: no reply */
#define RTT_MAX_MS	10000		/* longer samples are dropped */
#define FLUSH_MAX	256		/* datagrams per chan_flush() */
#define RECEIVE_MAX	1024		/* per chan_receive() */
#define HOLES_MAX	32		/* skipped ranges a best-effort reader
					 * has not reached yet */
/* Record bytes a STATE chunk leaves to the frames that may precede it
 * (SHUTDOWN_ACK, EXIT_STATUS, SHUTDOWN, ECHO_ACK, a NAK and an ACK: 58),
 * so that a chunk cut to fit one record still fits beside them. */
#define CONTROL_ROOM	64

/* Stream bytes a best-effort receiver skipped, [start, end). */
struct hole {
	uint64_t start, end;
};

struct chan {
	struct rec_ctx *rec;
	int is_server, fd;
	struct sockaddr_storage peer;
	socklen_t peer_len;		/* 0: no peer yet */
	struct buf *out;		/* the payload being built */
	uint8_t dgram[REC_DATAGRAM_MAX];
	struct stream_tx tx[CHAN_NSTREAMS];	/* streams this end sends */
	struct stream_rx rx[CHAN_NSTREAMS];	/* the others */
	unsigned first;			/* stream filled first */
	uint8_t best_effort[CHAN_NSTREAMS];
	struct hole holes[CHAN_NSTREAMS][HOLES_MAX];	/* oldest first */
	unsigned nholes[CHAN_NSTREAMS];

	struct stream_rtt rtt;
	uint16_t peer_ts;		/* the peer's newest timestamp */
	int have_peer_ts;
	uint64_t peer_ts_at;		/* when it arrived */
	uint64_t last_sent, last_heard;
	uint64_t clock;			/* the newest time passed in */
	int sent_any;
	uint64_t ack_at;		/* a datagram is owed by then */
	uint32_t pacing_us;
	uint64_t pace_next_us;		/* earliest slot for the next */

	struct frame_resize resize;	/* client: newest; server: got */
	int resize_unsent;		/* client: not yet in any datagram */
	int resize_live;		/* client: not yet proven received */
	int resize_unread;		/* server: not yet returned */
	uint64_t resize_since, resize_at;
	unsigned resize_backoff;

	struct frame_exit exit;
	int has_exit;			/* server: set; client: received */
	enum chan_state state;
	int shut_sent, shut_ack_due, peer_shutdown;
	uint64_t shut_at;
	unsigned shut_backoff;

	/* Screen updates. Server: the update going out, what the client
	 * said about it; client: the assembly, what it says. */
	struct update_tx *utx;
	int update_out;			/* server: a chunk went out */
	uint64_t update_newest;		/* the newest state in one */
	int update_acked_any;
	uint64_t update_acked;
	int repaint_got;		/* server: REPAINT not yet returned */
	struct update_rx *urx;
	int state_ack_set;		/* client: STATE_ACK in every record */
	uint64_t state_ack;
	int repaint_live, repaint_unsent;	/* client: REPAINT to repeat */
	uint64_t repaint_at;
	struct frame_echo_ack echo;	/* server: set; client: received */
	uint64_t input_base;		/* INPUT_BASE: server set; client got */
	int has_input_base;
	uint64_t input_base_until;	/* server: sent in every record till */
	int has_echo;
	int echo_fresh;			/* server: changed, not yet sent */
	uint64_t echo_until;		/* server: sent in every record till */

	struct chan_stats stats;
};

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* 1 if this end sends stream id (0 for ids out of range). */
static int
sends(const struct chan *c, int id)
{
	if (id < 0 || id >= CHAN_NSTREAMS)
		return 0;
	return c->is_server ? id != CHAN_STREAM_INPUT :
	    id == CHAN_STREAM_INPUT;
}

static int
receives(const struct chan *c, int id)
{
	return id >= 0 && id < CHAN_NSTREAMS && !sends(c, id);
}

static uint32_t
rto(const struct chan *c)
{
	return stream_rto_ms(&c->rtt);
}

/* ---- creation ----------------------------------------------------------- */

static int
streams_init(struct chan *c)
{
	size_t seg = rec_max_payload(c->rec) - FRAME_PAYLOAD_HEADER -
	    FRAME_HEADER - FRAME_STREAM_FIXED;
	int id, r;

	for (id = 0; id < CHAN_NSTREAMS; id++) {
		r = sends(c, id) ? stream_tx_init(&c->tx[id], seg) :
		    stream_rx_init(&c->rx[id]);
		if (r != 0)
			return r;
	}
	return 0;
}

/* The server cuts updates into chunks that fit a record beside the
 * control frames; the client assembles them. */
static int
updates_init(struct chan *c)
{
	size_t chunk = rec_max_payload(c->rec) - FRAME_PAYLOAD_HEADER -
	    FRAME_HEADER - FRAME_STATE_FIXED - CONTROL_ROOM;

	if (c->is_server)
		c->utx = update_tx_new(chunk);
	else
		c->urx = update_rx_new();
	return c->utx != NULL || c->urx != NULL ? 0 : MP_ERR_ALLOC;
}

/* The payload buffer, allocated whole now so sending never allocates. */
static int
out_init(struct chan *c)
{
	size_t max = rec_max_payload(c->rec);
	uint8_t *p;

	if ((c->out = buf_new(max)) == NULL)
		return MP_ERR_ALLOC;
	if (buf_reserve(c->out, max, &p) != 0)
		return MP_ERR_ALLOC;
	buf_reset(c->out);
	return 0;
}

struct chan *
chan_new(const struct hs_keys *keys, int is_server, int fd,
    const struct sockaddr *peer, socklen_t peer_len)
{
	struct chan *c;

	if (!is_server && peer == NULL)
		return NULL;
	if (peer != NULL && (peer_len == 0 ||
	    peer_len > sizeof(struct sockaddr_storage)))
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->is_server = is_server != 0;
	c->fd = fd;
	c->state = CHAN_OPEN;
	c->ack_at = NEVER;
	if (peer != NULL) {
		memcpy(&c->peer, peer, peer_len);
		c->peer_len = peer_len;
	}
	if ((c->rec = rec_new(keys, c->is_server)) == NULL ||
	    streams_init(c) != 0 || out_init(c) != 0 ||
	    updates_init(c) != 0) {
		chan_free(c);
		return NULL;
	}
	return c;
}

void
chan_free(struct chan *c)
{
	int id;

	if (c == NULL)
		return;
	for (id = 0; id < CHAN_NSTREAMS; id++) {
		stream_tx_free(&c->tx[id]);
		stream_rx_free(&c->rx[id]);
	}
	rec_free(c->rec);
	buf_free(c->out);
	update_tx_free(c->utx);
	update_rx_free(c->urx);
	mp_free_secret(c, sizeof(*c));
}

void
chan_set_pacing(struct chan *c, uint32_t pacing_us)
{
	c->pacing_us = pacing_us;
}

/* ---- what is due -------------------------------------------------------- */

/* Stream bytes new data may still add in flight (the congestion limit). */
static size_t
allowance(const struct chan *c)
{
	uint64_t sum = 0;
	int id;

	for (id = 0; id < CHAN_NSTREAMS; id++)
		if (sends(c, id))
			sum += stream_tx_inflight(&c->tx[id]);
	return sum >= INFLIGHT_MAX ? 0 : (size_t)(INFLIGHT_MAX - sum);
}

/* New bytes stream id may send within the congestion allowance: best
 * effort bytes are never in flight, so they do not count. */
static size_t
new_allowed(const struct chan *c, int id, size_t allow)
{
	return c->best_effort[id] ? SIZE_MAX : allow;
}

/* 1 once everything this end wrote is acknowledged. */
static int
tx_idle(const struct chan *c)
{
	int id;

	for (id = 0; id < CHAN_NSTREAMS; id++)
		if (sends(c, id) && !stream_tx_done(&c->tx[id]))
			return 0;
	return 1;
}

/* SHUTDOWN waits until the peer has all our stream data. */
static uint64_t
shutdown_at(const struct chan *c)
{
	if (c->state != CHAN_SHUTTING_DOWN || !tx_idle(c))
		return NEVER;
	return c->shut_at;
}

static uint64_t
streams_due(const struct chan *c)
{
	size_t allow = allowance(c);
	uint64_t t = NEVER;
	int id;

	for (id = 0; id < CHAN_NSTREAMS; id++) {
		if (!sends(c, id)) {
			if (!c->best_effort[id])
				t = min64(t, stream_rx_nak_at(&c->rx[id],
				    rto(c)));
			continue;
		}
		if (stream_tx_wants(&c->tx[id], new_allowed(c, id, allow)))
			return 0;
		t = min64(t, stream_tx_deadline(&c->tx[id]));
	}
	return t;
}

/* When the next datagram is due (0: now), NEVER if none. */
static uint64_t
next_due(const struct chan *c)
{
	uint64_t t;

	if (c->peer_len == 0)
		return NEVER;
	if (c->shut_ack_due)
		return 0;
	if (c->state == CHAN_CLOSED)
		return NEVER;
	t = c->sent_any ? c->last_sent + CHAN_KEEPALIVE_MS : 0;
	t = min64(t, c->ack_at);
	t = min64(t, shutdown_at(c));
	if (c->resize_unsent || (c->utx != NULL && update_tx_pending(c->utx)))
		t = 0;
	else if (c->resize_live)
		t = min64(t, c->resize_at);
	if (c->repaint_live)
		t = min64(t, c->repaint_at);
	return min64(t, streams_due(c));
}

/* Pacing: datagram k of a burst leaves in the millisecond holding the
 * burst's start + k * pacing_us. */
static int
pace_ok(const struct chan *c, uint64_t now)
{
	return c->pacing_us == 0 || c->pace_next_us < now * 1000 + 1000;
}

static void
pace_sent(struct chan *c, uint64_t now)
{
	if (c->pace_next_us < now * 1000)
		c->pace_next_us = now * 1000;
	c->pace_next_us += c->pacing_us;
}

int
chan_timeout_ms(const struct chan *c, uint64_t now)
{
	uint64_t t = next_due(c);

	if (t == NEVER)
		return -1;
	if (t <= now) {
		if (pace_ok(c, now))
			return 0;
		t = c->pace_next_us / 1000;
	}
	return t - now > INT_MAX ? INT_MAX : (int)(t - now);
}

/* ---- building a payload ------------------------------------------------- */

static int
put_empty(struct chan *c, enum frame_type type)
{
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.type = type;
	return frame_put(c->out, &f);
}

/* The client repeats its newest RESIZE in every datagram while live,
 * and by itself on a backed-off timer. */
static void
put_resize(struct chan *c, uint64_t now)
{
	struct frame f = { .type = FRAME_RESIZE };

	if (!c->resize_live)
		return;
	f.u.resize = c->resize;
	if (frame_put(c->out, &f) != 0)
		return;
	if (c->resize_unsent) {
		c->resize_unsent = 0;
		c->resize_since = now;
		c->resize_backoff = 0;
	} else if (c->resize_at > now)
		return;
	c->resize_at = now + stream_backoff_ms(rto(c), c->resize_backoff++);
}

static void
put_shutdown(struct chan *c, uint64_t now)
{
	struct frame f = { .type = FRAME_EXIT_STATUS };

	if (shutdown_at(c) > now)
		return;
	f.u.exit = c->exit;
	if (c->is_server && c->has_exit && frame_put(c->out, &f) != 0)
		return;
	if (put_empty(c, FRAME_SHUTDOWN) != 0)
		return;
	c->shut_sent = 1;
	c->shut_at = now + stream_backoff_ms(rto(c), c->shut_backoff++);
}

static void
put_acks(struct chan *c)
{
	struct frame f = { .type = FRAME_STREAM_ACK };
	int id;

	for (id = 0; id < CHAN_NSTREAMS; id++) {
		if (sends(c, id) || c->best_effort[id] || !c->rx[id].need_ack)
			continue;
		f.u.ack.id = (uint8_t)id;
		f.u.ack.next = stream_rx_ack_value(&c->rx[id]);
		if (frame_put(c->out, &f) == 0)
			stream_rx_acked(&c->rx[id]);
	}
}

static void
put_naks(struct chan *c, uint64_t now)
{
	struct frame f = { .type = FRAME_STREAM_NAK };
	struct stream_rx *rx;
	int id;

	for (id = 0; id < CHAN_NSTREAMS; id++) {
		rx = &c->rx[id];
		if (sends(c, id) || c->best_effort[id] ||
		    stream_rx_nak_at(rx, rto(c)) > now ||
		    !stream_rx_gap(rx, &f.u.nak.start, &f.u.nak.end))
			continue;
		f.u.nak.id = (uint8_t)id;
		if (frame_put(c->out, &f) == 0)
			stream_rx_nak_sent(rx, now);
	}
}

static void
put_fin(struct chan *c, int id, uint64_t now)
{
	struct frame f = { .type = FRAME_STREAM_FIN };

	if (!stream_tx_fin_due(&c->tx[id], &f.u.fin.offset))
		return;
	f.u.fin.id = (uint8_t)id;
	if (frame_put(c->out, &f) == 0)
		stream_tx_fin_sent(&c->tx[id], now, rto(c));
}

/* A best-effort sender treats what it sent (and its FIN) as delivered:
 * nothing is resent, nothing stays in flight. */
static void
forget_sent(struct chan *c, int id, uint64_t now)
{
	struct stream_tx *tx = &c->tx[id];

	stream_tx_ack(tx, tx->next + (tx->fin_sent && !tx->fin_acked), now,
	    rto(c));
}

/* Fill the payload with ranges of stream id: resends, then new bytes
 * within *allow, then its FIN. */
static void
put_stream(struct chan *c, int id, uint64_t now, size_t *allow)
{
	struct frame f = { .type = FRAME_STREAM };
	struct frame_stream *s = &f.u.stream;
	struct stream_tx *tx = &c->tx[id];
	size_t room, again, unlimited = SIZE_MAX;
	size_t *limit = c->best_effort[id] ? &unlimited : allow;

	s->id = (uint8_t)id;
	while ((room = frame_data_room(c->out, FRAME_STREAM)) > 0 &&
	    stream_tx_peek(tx, room, *limit, &s->offset, &s->data, &s->len)) {
		if (frame_put(c->out, &f) != 0)
			break;
		again = stream_tx_sent(tx, s->offset, s->len, now, rto(c));
		c->stats.retransmitted += again;
		*limit -= s->len - again;
	}
	put_fin(c, id, now);
	if (c->best_effort[id])
		forget_sent(c, id, now);
}

/* Server: as many chunks of the update as the record takes. */
static void
put_chunks(struct chan *c)
{
	struct frame f = { .type = FRAME_STATE };

	if (c->utx == NULL)
		return;
	while (update_tx_peek(c->utx, &f.u.state) &&
	    frame_put(c->out, &f) == 0) {
		c->stats.update_chunks_sent++;
		if (!c->update_out || f.u.state.next > c->update_newest)
			c->update_newest = f.u.state.next;
		c->update_out = 1;
		if (update_tx_sent(c->utx))
			c->stats.updates_sent++;
	}
}

/* Client: the newest STATE_ACK goes in every record. */
static void
put_state_ack(struct chan *c)
{
	struct frame f = { .type = FRAME_STATE_ACK };

	if (!c->state_ack_set)
		return;
	f.u.state_ack = c->state_ack;
	(void)frame_put(c->out, &f);
}

/* Client: REPAINT in the first record after the request, then once per
 * RTO while it stands. */
static void
put_repaint(struct chan *c, uint64_t now)
{
	if (!c->repaint_live || (!c->repaint_unsent && c->repaint_at > now))
		return;
	if (put_empty(c, FRAME_REPAINT) != 0)
		return;
	c->repaint_unsent = 0;
	c->repaint_at = now + rto(c);
}

/* Server: INPUT_BASE in every record for CHAN_INPUT_BASE_MS from the
 * first one. */
static void
put_input_base(struct chan *c, uint64_t now)
{
	struct frame f = { .type = FRAME_INPUT_BASE };

	if (!c->has_input_base || (c->input_base_until != 0 &&
	    now >= c->input_base_until))
		return;
	f.u.input_base = c->input_base;
	if (frame_put(c->out, &f) == 0 && c->input_base_until == 0)
		c->input_base_until = now + CHAN_INPUT_BASE_MS;
}

/* Server: ECHO_ACK in every record for CHAN_ECHO_HOLD_MS from the first
 * one carrying a change. */
static void
put_echo(struct chan *c, uint64_t now)
{
	struct frame f = { .type = FRAME_ECHO_ACK };

	if (!c->echo_fresh && now >= c->echo_until)
		return;
	f.u.echo = c->echo;
	if (frame_put(c->out, &f) != 0)
		return;
	if (c->echo_fresh)
		c->echo_until = now + CHAN_ECHO_HOLD_MS;
	c->echo_fresh = 0;
}

static void
put_data(struct chan *c, uint64_t now)
{
	size_t allow = allowance(c);
	unsigned k;
	int id;

	for (k = 0; k < CHAN_NSTREAMS; k++) {
		id = (int)((c->first + k) % CHAN_NSTREAMS);
		if (sends(c, id))
			put_stream(c, id, now, &allow);
	}
	c->first = (c->first + 1) % CHAN_NSTREAMS;
}

/* The timestamp reply: the peer's newest timestamp plus the time we
 * held it, unless that is a second or more. */
static uint16_t
reply_ts(const struct chan *c, uint64_t now)
{
	uint64_t held = now - c->peer_ts_at;

	if (!c->have_peer_ts || now < c->peer_ts_at || held >= HOLD_MAX_MS)
		return FRAME_TS_NONE;
	return (uint16_t)(c->peer_ts + held);
}

/* Control first (small, never crowded out), then NAKs, ACKs, update
 * chunks, stream data. */
static int
build(struct chan *c, uint64_t now)
{
	int closed = c->state == CHAN_CLOSED, r;

	buf_reset(c->out);
	if ((r = frame_put_header(c->out, (uint16_t)now,
	    reply_ts(c, now))) != 0)
		return r;
	if (c->shut_ack_due && put_empty(c, FRAME_SHUTDOWN_ACK) == 0) {
		c->shut_ack_due = 0;
		c->state = CHAN_CLOSED;
	}
	if (!closed) {
		put_resize(c, now);
		put_shutdown(c, now);
		put_echo(c, now);
		put_input_base(c, now);
		put_state_ack(c);
		put_repaint(c, now);
		put_naks(c, now);	/* before ACKs: see stream_tx_nak() */
		put_acks(c);
		put_chunks(c);
		put_data(c, now);
	}
	if (buf_len(c->out) == FRAME_PAYLOAD_HEADER)
		return put_empty(c, FRAME_KEEPALIVE);
	return 0;
}

/* ---- sending ------------------------------------------------------------ */

/* Build, seal and send one datagram: 0, 1 if the socket refused it (end
 * the burst), or a negative mp_err. */
static int
send_one(struct chan *c, uint64_t now)
{
	size_t n = 0;
	int r;

	if ((r = build(c, now)) != 0)
		return r;
	if ((r = rec_seal(c->rec, buf_ptr(c->out), buf_len(c->out), c->dgram,
	    sizeof(c->dgram), &n)) != 0)
		return r;
	c->sent_any = 1;
	c->last_sent = now;
	c->ack_at = NEVER;
	pace_sent(c, now);
	if (sendto(c->fd, c->dgram, n, MSG_DONTWAIT,
	    (const struct sockaddr *)&c->peer, c->peer_len) < 0) {
		c->stats.send_errors++;
		return 1;
	}
	c->stats.datagrams_sent++;
	c->stats.bytes_sent += n;
	return 0;
}

static void
expire(struct chan *c, uint64_t now)
{
	int id;

	for (id = 0; id < CHAN_NSTREAMS; id++)
		if (sends(c, id))
			stream_tx_expire(&c->tx[id], now, rto(c));
}

int
chan_flush(struct chan *c, uint64_t now)
{
	int i, r;

	if (now > c->clock)
		c->clock = now;
	if (c->peer_len == 0)
		return 0;
	expire(c, now);
	for (i = 0; i < FLUSH_MAX && next_due(c) <= now && pace_ok(c, now);
	    i++)
		if ((r = send_one(c, now)) != 0)
			return r < 0 ? r : 0;
	return 0;
}

/* ---- receiving frames --------------------------------------------------- */

/* A datagram is owed to the peer within delay_ms. */
static void
want_ack_within(struct chan *c, uint64_t now, uint32_t delay_ms)
{
	c->ack_at = min64(c->ack_at, now + delay_ms);
}

/* A datagram is owed to the peer: now, or within STREAM_ACK_DELAY_MS. */
static void
want_ack(struct chan *c, uint64_t now, int urgent)
{
	want_ack_within(c, now, urgent ? 0 : STREAM_ACK_DELAY_MS);
}

void
chan_poke(struct chan *c, uint64_t now)
{
	want_ack(c, now, 1);
}

static int
frame_stream_id(const struct frame *f)
{
	switch (f->type) {
	case FRAME_STREAM:
		return f->u.stream.id;
	case FRAME_STREAM_ACK:
		return f->u.ack.id;
	case FRAME_STREAM_NAK:
		return f->u.nak.id;
	default:
		return f->u.fin.id;
	}
}

/* ---- best-effort streams ------------------------------------------------ */

/*
 * A best-effort receiver never holds bytes out of order, so the
 * stream_rx bitmap stays clear: bytes land at its next offset after
 * moving next (and high) over what was lost. A skipped range the reader
 * has not reached yet is kept in holes[]; chan_read() stops at it and
 * jumps it. With nothing unread, read jumps along. 0 if the range cannot
 * be skipped now (too many holes): what comes after it is then dropped
 * too. (Bytes beyond the reader's window are dropped by stream_rx_data().)
 */
static int
be_skip(struct chan *c, int id, uint64_t to)
{
	struct stream_rx *rx = &c->rx[id];
	struct hole *h;

	if (rx->read == rx->next) {
		rx->read = rx->next = rx->high = to;
		return 1;
	}
	if (c->nholes[id] == HOLES_MAX)
		return 0;
	h = &c->holes[id][c->nholes[id]++];
	h->start = rx->next;
	h->end = to;
	rx->next = rx->high = to;
	return 1;
}

/* Bytes below the next offset are late: dropped. */
static void
be_data(struct chan *c, int id, uint64_t off, const uint8_t *p, size_t len)
{
	struct stream_rx *rx = &c->rx[id];
	size_t late;

	if (len > UINT64_MAX - off)
		return;
	if (off < rx->next) {
		if (off + len <= rx->next)
			return;
		late = (size_t)(rx->next - off);
		p += late;
		len -= late;
		off = rx->next;
	}
	if (off > rx->next && !be_skip(c, id, off))
		return;
	(void)stream_rx_data(rx, off, p, len);
}

/* STREAM_FIN skips whatever is missing before it. */
static void
be_fin(struct chan *c, int id, uint64_t final)
{
	struct stream_rx *rx = &c->rx[id];

	if (rx->fin || final < rx->next)
		return;
	if (final > rx->next && !be_skip(c, id, final))
		return;
	(void)stream_rx_fin(rx, final);
}

/* Jump the holes the reader reached. */
static void
be_pass_holes(struct chan *c, int id)
{
	struct stream_rx *rx = &c->rx[id];
	struct hole *h = c->holes[id];

	while (c->nholes[id] > 0 && rx->read == h[0].start) {
		rx->read = h[0].end;
		memmove(h, h + 1, --c->nholes[id] * sizeof(*h));
	}
}

/* Read up to len bytes, never across a hole: each read's bytes start at
 * chan_read_offset() and are contiguous in the stream. */
static size_t
be_read(struct chan *c, int id, uint8_t *p, size_t len)
{
	struct stream_rx *rx = &c->rx[id];
	size_t n;

	be_pass_holes(c, id);
	if (c->nholes[id] > 0 && c->holes[id][0].start - rx->read < len)
		len = (size_t)(c->holes[id][0].start - rx->read);
	n = stream_rx_read(rx, p, len);
	be_pass_holes(c, id);
	return n;
}

/* ---- receiving ---------------------------------------------------------- */

/* STREAM, STREAM_FIN, STREAM_ACK or STREAM_NAK. */
static void
on_stream_frame(struct chan *c, const struct frame *f, uint64_t now)
{
	int id = frame_stream_id(f), feedback;

	if (id >= CHAN_NSTREAMS)
		return;		/* reserved for later versions */
	feedback = f->type == FRAME_STREAM_ACK || f->type == FRAME_STREAM_NAK;
	if (sends(c, id) != feedback) {
		c->stats.wrong_direction++;
		return;
	}
	if (c->best_effort[id]) {
		/* Its sender never resends: no feedback either way. */
		if (f->type == FRAME_STREAM)
			be_data(c, id, f->u.stream.offset, f->u.stream.data,
			    f->u.stream.len);
		else if (f->type == FRAME_STREAM_FIN)
			be_fin(c, id, f->u.fin.offset);
		return;
	}
	if (f->type == FRAME_STREAM)
		want_ack(c, now, stream_rx_data(&c->rx[id], f->u.stream.offset,
		    f->u.stream.data, f->u.stream.len));
	else if (f->type == FRAME_STREAM_FIN)
		want_ack(c, now, stream_rx_fin(&c->rx[id], f->u.fin.offset));
	else if (f->type == FRAME_STREAM_ACK)
		stream_tx_ack(&c->tx[id], f->u.ack.next, now, rto(c));
	else
		stream_tx_nak(&c->tx[id], f->u.nak.start, f->u.nak.end);
}

/* Server: the newest RESIZE wins; every one is answered within
 * STREAM_ACK_DELAY_MS so the client sees it arrived. */
static void
on_resize(struct chan *c, const struct frame_resize *r, uint64_t now)
{
	if (r->number > c->resize.number) {
		c->resize = *r;
		c->resize_unread = 1;
	}
	want_ack(c, now, 0);
}

/* 1 if the peer may send frames of this type to this end. */
static int
direction_ok(const struct chan *c, enum frame_type type)
{
	switch (type) {
	case FRAME_RESIZE:
	case FRAME_STATE_ACK:
	case FRAME_REPAINT:
		return c->is_server;
	case FRAME_STATE:
	case FRAME_EXIT_STATUS:
	case FRAME_ECHO_ACK:
	case FRAME_INPUT_BASE:
		return !c->is_server;
	default:
		return 1;
	}
}

static void
count_update(struct chan_stats *st, int result)
{
	switch (result) {
	case UPDATE_COMPLETE:
		st->updates_received++;
		break;
	case UPDATE_IGNORED:
		st->update_chunks_ignored++;
		break;
	case UPDATE_BAD_CHUNK:
		st->updates_bad_chunk++;
		break;
	case UPDATE_BAD_ZSTD:
		st->updates_bad_zstd++;
		break;
	case UPDATE_TOO_BIG:
		st->updates_too_big++;
		break;
	default:	/* UPDATE_PARTIAL, or no memory: dropped */
		break;
	}
}

/* Client: a chunk of an update; one from state 0 answers REPAINT. A
 * repeat of an update already acknowledged means the STATE_ACK was
 * probably lost: a record carries it again within 20 ms. */
static void
on_state(struct chan *c, const struct frame_state *s, uint64_t now)
{
	int r = update_rx_chunk(c->urx, s);

	count_update(&c->stats, r);
	if (s->base == 0 && (r == UPDATE_PARTIAL || r == UPDATE_COMPLETE))
		c->repaint_live = 0;
	if (r == UPDATE_IGNORED && c->state_ack_set &&
	    s->next <= c->state_ack)
		want_ack(c, now, 0);
}

/* Server: acknowledgements only move forward, within what was sent: an
 * update, or (datagram mode) output sent on the best-effort stream,
 * whose offset the client acknowledges when it has all of it. */
static void
on_state_ack(struct chan *c, uint64_t state)
{
	uint64_t ceiling = c->update_out ? c->update_newest : 0;

	if (c->best_effort[CHAN_STREAM_OUTPUT] &&
	    c->tx[CHAN_STREAM_OUTPUT].next > ceiling)
		ceiling = c->tx[CHAN_STREAM_OUTPUT].next;
	if (state > ceiling ||
	    (c->update_acked_any && state < c->update_acked))
		return;
	c->update_acked = state;
	c->update_acked_any = 1;
}

/* Client: the newest record's ECHO_ACK wins; its offset never goes
 * backwards. */
static void
on_echo_ack(struct chan *c, const struct frame_echo_ack *e, int newest)
{
	if (!newest)
		return;
	if (!c->has_echo || e->offset > c->echo.offset)
		c->echo.offset = e->offset;
	c->echo.flags = e->flags & FRAME_ECHO_FLAGS;
	c->has_echo = 1;
}

static void
on_frame(struct chan *c, const struct frame *f, int newest, uint64_t now)
{
	if (!direction_ok(c, f->type)) {
		c->stats.wrong_direction++;
		return;
	}
	switch (f->type) {
	case FRAME_STREAM:
	case FRAME_STREAM_ACK:
	case FRAME_STREAM_NAK:
	case FRAME_STREAM_FIN:
		on_stream_frame(c, f, now);
		break;
	case FRAME_RESIZE:
		on_resize(c, &f->u.resize, now);
		break;
	case FRAME_EXIT_STATUS:
		c->exit = f->u.exit;
		c->has_exit = 1;
		break;
	case FRAME_SHUTDOWN:
		c->peer_shutdown = 1;
		c->shut_ack_due = 1;	/* repeats are answered too */
		break;
	case FRAME_SHUTDOWN_ACK:
		if (c->state == CHAN_SHUTTING_DOWN && c->shut_sent)
			c->state = CHAN_CLOSED;
		break;
	case FRAME_STATE:
		on_state(c, &f->u.state, now);
		break;
	case FRAME_STATE_ACK:
		on_state_ack(c, f->u.state_ack);
		break;
	case FRAME_REPAINT:
		c->repaint_got = 1;
		break;
	case FRAME_ECHO_ACK:
		on_echo_ack(c, &f->u.echo, newest);
		break;
	case FRAME_INPUT_BASE:
		if (!c->has_input_base) {
			c->input_base = f->u.input_base;
			c->has_input_base = 1;
		}
		break;
	default:	/* KEEPALIVE */
		break;
	}
}

/*
 * A reply to our timestamp t arrived after sample ms; the peer held t
 * less than HOLD_MAX_MS, so it received a datagram we sent after
 * now - sample - HOLD_MAX_MS. Once that is after the RESIZE was first
 * sent, every datagram since carried it: the server has it.
 */
static void
resize_check(struct chan *c, uint32_t sample, uint64_t now)
{
	if (c->resize_live && !c->resize_unsent &&
	    now >= c->resize_since + sample + HOLD_MAX_MS + 2)
		c->resize_live = 0;
}

/* The timestamps of the newest record: keep its timestamp to reply to,
 * take a round-trip sample from its reply. */
static void
on_timestamps(struct chan *c, const struct frame_reader *rd, uint64_t now)
{
	uint32_t sample;

	c->peer_ts = rd->timestamp;
	c->peer_ts_at = now;
	c->have_peer_ts = 1;
	if (rd->reply == FRAME_TS_NONE)
		return;
	sample = (uint16_t)((uint16_t)now - rd->reply);
	if (sample > RTT_MAX_MS)
		return;
	stream_rtt_sample(&c->rtt, sample);
	c->stats.srtt_ms = stream_rtt_srtt_ms(&c->rtt);
	c->stats.rttvar_ms = stream_rtt_var_ms(&c->rtt);
	resize_check(c, sample, now);
}

/* Roaming (PROTOCOL.md 3.2): the server follows the newest record. */
static void
follow(struct chan *c, const struct sockaddr *src, socklen_t src_len)
{
	if (src == NULL || src_len == 0 || src_len > sizeof(c->peer))
		return;
	memcpy(&c->peer, src, src_len);
	c->peer_len = src_len;
}

void
chan_input(struct chan *c, const uint8_t *dgram, size_t len,
    const struct sockaddr *src, socklen_t src_len, uint64_t now)
{
	uint8_t pt[REC_DATAGRAM_MAX];
	struct frame_reader rd;
	struct frame f;
	size_t n = 0;
	int newest = 0, r;

	if (now > c->clock)
		c->clock = now;
	c->stats.datagrams_received++;
	c->stats.bytes_received += len;
	r = rec_open(c->rec, dgram, len, pt, sizeof(pt), &n, &newest);
	c->stats.rec = *rec_stats(c->rec);
	if (r != 0)
		return;
	c->last_heard = now;
	if (newest && c->is_server)
		follow(c, src, src_len);
	if (frame_reader_init(&rd, pt, n) != 0) {
		c->stats.bad_payload++;
	} else {
		c->stats.unknown_frames += rd.unknown;
		if (newest)
			on_timestamps(c, &rd, now);
		while (frame_next(&rd, &f))
			on_frame(c, &f, newest, now);
	}
	mp_zero(pt, n);
}

int
chan_receive(struct chan *c, uint64_t now)
{
	uint8_t dgram[REC_DATAGRAM_MAX + 1];	/* one more: too long */
	struct sockaddr_storage ss;
	socklen_t sl;
	ssize_t n;
	int i;

	for (i = 0; i < RECEIVE_MAX; i++) {
		sl = sizeof(ss);
		n = recvfrom(c->fd, dgram, sizeof(dgram), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sl);
		if (n >= 0)
			chan_input(c, dgram, (size_t)n,
			    (const struct sockaddr *)&ss, sl, now);
		else if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		else if (errno != EINTR && errno != ECONNREFUSED)
			return MP_ERR_SYSTEM;
	}
	return 0;	/* more may wait: the socket stays readable */
}

/* ---- the caller's side of the streams ----------------------------------- */

size_t
chan_write_room(const struct chan *c, int stream)
{
	return sends(c, stream) ? stream_tx_room(&c->tx[stream]) : 0;
}

int
chan_write(struct chan *c, int stream, const void *p, size_t len)
{
	if (!sends(c, stream))
		return MP_ERR_INVALID_ARGUMENT;
	return stream_tx_write(&c->tx[stream], p, len);
}

int
chan_skip(struct chan *c, int stream, size_t n)
{
	struct stream_tx *tx;

	if (!sends(c, stream) || !c->best_effort[stream] ||
	    (tx = &c->tx[stream])->fin)
		return MP_ERR_INVALID_ARGUMENT;
	tx->end += n;
	tx->next = tx->end;	/* unsent bytes before the hole go with it */
	forget_sent(c, stream, c->clock);
	return 0;
}

size_t
chan_unacked(const struct chan *c, int stream, uint64_t *offset,
    uint8_t *out, size_t max)
{
	*offset = 0;
	if (!sends(c, stream))
		return 0;
	return stream_tx_unacked(&c->tx[stream], offset, out, max);
}

int
chan_write_fin(struct chan *c, int stream)
{
	if (!sends(c, stream))
		return MP_ERR_INVALID_ARGUMENT;
	stream_tx_fin(&c->tx[stream]);
	return 0;
}

int
chan_write_acked(const struct chan *c, int stream)
{
	return sends(c, stream) && stream_tx_done(&c->tx[stream]);
}

size_t
chan_read(struct chan *c, int stream, void *p, size_t len)
{
	if (!receives(c, stream))
		return 0;
	if (c->best_effort[stream])
		return be_read(c, stream, p, len);
	return stream_rx_read(&c->rx[stream], p, len);
}

uint64_t
chan_read_offset(const struct chan *c, int stream)
{
	return receives(c, stream) ? c->rx[stream].read : 0;
}

uint64_t
chan_input_sent(const struct chan *c)
{
	return c->is_server ? 0 : c->tx[CHAN_STREAM_INPUT].end;
}

int
chan_set_best_effort(struct chan *c, int stream)
{
	if (stream < 0 || stream >= CHAN_NSTREAMS ||
	    stream == CHAN_STREAM_INPUT)
		return MP_ERR_INVALID_ARGUMENT;
	c->best_effort[stream] = 1;
	return 0;
}

int
chan_read_eof(const struct chan *c, int stream)
{
	return receives(c, stream) && stream_rx_eof(&c->rx[stream]);
}

/* ---- resize, exit status, shutdown -------------------------------------- */

int
chan_resize(struct chan *c, uint16_t cols, uint16_t rows, uint16_t xpixel,
    uint16_t ypixel)
{
	if (c->is_server || c->resize.number == UINT32_MAX)
		return MP_ERR_INVALID_ARGUMENT;
	c->resize.number++;
	c->resize.cols = cols;
	c->resize.rows = rows;
	c->resize.width = xpixel;
	c->resize.height = ypixel;
	c->resize_unsent = 1;
	c->resize_live = 1;
	return 0;
}

int
chan_get_resize(struct chan *c, uint16_t *cols, uint16_t *rows,
    uint16_t *xpixel, uint16_t *ypixel)
{
	if (!c->is_server || !c->resize_unread)
		return 0;
	c->resize_unread = 0;
	*cols = c->resize.cols;
	*rows = c->resize.rows;
	*xpixel = c->resize.width;
	*ypixel = c->resize.height;
	return 1;
}

int
chan_set_exit(struct chan *c, uint8_t kind, uint32_t value)
{
	if (!c->is_server ||
	    (kind != FRAME_EXIT_CODE && kind != FRAME_EXIT_SIGNAL))
		return MP_ERR_INVALID_ARGUMENT;
	c->exit.kind = kind;
	c->exit.value = value;
	c->has_exit = 1;
	return 0;
}

int
chan_get_exit(const struct chan *c, uint8_t *kind, uint32_t *value)
{
	if (c->is_server || !c->has_exit)
		return 0;
	*kind = c->exit.kind;
	*value = c->exit.value;
	return 1;
}

int
chan_shutdown(struct chan *c)
{
	if (c->state == CHAN_OPEN) {
		c->state = CHAN_SHUTTING_DOWN;
		c->shut_at = 0;
		c->shut_backoff = 0;
	}
	return 0;
}

/* ---- screen updates ----------------------------------------------------- */

/* A record is owed within STREAM_ACK_DELAY_MS of the newest time seen. */
static void
want_soon(struct chan *c)
{
	want_ack(c, c->clock, 0);
}

int
chan_send_update(struct chan *c, uint64_t base, uint64_t new_state,
    uint8_t flags, const uint8_t *p, size_t len)
{
	if (c->utx == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	return update_tx_set(c->utx, base, new_state, flags, p, len);
}

int
chan_resend_update(struct chan *c)
{
	if (c->utx == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	return update_tx_requeue(c->utx);
}

int
chan_update_pending(const struct chan *c)
{
	return c->utx != NULL && update_tx_pending(c->utx);
}

int
chan_update_ack_seen(const struct chan *c)
{
	return c->update_acked_any;
}

uint64_t
chan_update_acked(const struct chan *c)
{
	return c->update_acked;
}

int
chan_repaint_requested(struct chan *c)
{
	int got = c->repaint_got;

	c->repaint_got = 0;
	return got;
}

int
chan_set_echo_ack(struct chan *c, uint64_t input_offset, uint8_t flags)
{
	if (!c->is_server || (flags & ~FRAME_ECHO_FLAGS) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	if (c->has_echo && c->echo.offset == input_offset &&
	    c->echo.flags == flags)
		return 0;
	c->echo.offset = input_offset;
	c->echo.flags = flags;
	c->has_echo = 1;
	c->echo_fresh = 1;
	want_soon(c);
	return 0;
}

int
chan_get_update(struct chan *c, uint64_t *base, uint64_t *new_state,
    uint8_t *flags, struct buf *out)
{
	if (c->urx == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	return update_rx_take(c->urx, base, new_state, flags, out);
}

int
chan_ack_update(struct chan *c, uint64_t state)
{
	if (c->is_server)
		return MP_ERR_INVALID_ARGUMENT;
	if (c->state_ack_set && c->state_ack == state)
		return 0;
	c->state_ack = state;
	c->state_ack_set = 1;
	want_ack_within(c, c->clock, CHAN_STATE_ACK_DELAY_MS);
	return 0;
}

int
chan_request_repaint(struct chan *c)
{
	if (c->is_server)
		return MP_ERR_INVALID_ARGUMENT;
	c->repaint_live = 1;
	c->repaint_unsent = 1;
	c->repaint_at = c->clock + STREAM_ACK_DELAY_MS;
	update_rx_repeat_full(c->urx);
	return 0;
}

int
chan_set_input_base(struct chan *c, uint64_t received)
{
	if (!c->is_server)
		return MP_ERR_INVALID_ARGUMENT;
	c->input_base = received;
	c->has_input_base = 1;
	c->input_base_until = 0;
	want_ack(c, c->clock, 1);
	return 0;
}

int
chan_get_input_base(const struct chan *c, uint64_t *received)
{
	if (c->is_server || !c->has_input_base)
		return 0;
	*received = c->input_base;
	return 1;
}

int
chan_get_echo_ack(const struct chan *c, uint64_t *input_offset,
    uint8_t *flags)
{
	if (c->is_server || !c->has_echo)
		return 0;
	*input_offset = c->echo.offset;
	*flags = c->echo.flags;
	return 1;
}

/* ---- state -------------------------------------------------------------- */

enum chan_state
chan_get_state(const struct chan *c)
{
	return c->state;
}

int
chan_peer_shutdown(const struct chan *c)
{
	return c->peer_shutdown;
}

uint64_t
chan_last_heard_ms(const struct chan *c)
{
	return c->last_heard;
}

socklen_t
chan_peer(const struct chan *c, struct sockaddr_storage *ss)
{
	if (c->peer_len > 0)
		memcpy(ss, &c->peer, c->peer_len);
	return c->peer_len;
}

const struct chan_stats *
chan_get_stats(const struct chan *c)
{
	return &c->stats;
}

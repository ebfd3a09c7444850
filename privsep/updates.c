/* updates.c: when and what screen updates mps-net sends in each delivery mode (PROTOCOL.md 3.4). */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "common/proto/frame.h"
#include "privsep/updates.h"

#define UPDATE_MAX		(4u * 1024 * 1024)	/* bytes before zstd */
#define INTERVAL_MIN_MS		20
#define INTERVAL_MAX_MS		250
#define RTO_MIN_MS		50
#define RTO_MAX_MS		2000
#define RTO_FIRST_MS		1000
#define CHUNKS_WAIT_MS		1	/* poll while chunks go out */
#define NEVER			UINT64_MAX
#define UPDATE_HEADER		16	/* size, first line, lines */

/* A statesync state the client may hold. */
struct saved {
	uint64_t num;		/* 0: none */
	uint64_t version;	/* screen_version() it shows */
	uint64_t line_end;	/* lines scrolled off before it */
	struct term_state st;
};

struct updater {
	int mode;
	uint32_t push_ms;
	uint32_t rate;			/* scrollback lines per second */
	struct buf *out;
	int repaint;			/* the client asked for a full screen */
	uint64_t last_send;		/* an update or a resend went out */
	uint32_t backoff_ms;		/* resend timeout; 0: one RTO */
	/* statesync */
	uint64_t last_num;
	struct saved acked;		/* newest acknowledged */
	struct saved sent[UPDATES_UNACKED_MAX];	/* oldest first */
	size_t nsent;
	uint64_t lines_sent_end;	/* lines below were sent once */
	uint64_t lines_floor;		/* lines below were dropped */
	uint64_t tokens_milli;		/* scrollback rate, in 1/1000 lines */
	uint64_t tokens_at;
	int lines_dropped;		/* to flag in the next update */
	/* datagram and reliable: stream 1 offsets */
	uint64_t offset_acked, offset_sent;
	uint64_t behind_since;		/* output went unacknowledged at */
	int full_out;			/* a full screen was sent */
};

struct updater *
updater_new(int mode, uint32_t push_ms, uint32_t scrollback_rate)
{
	struct updater *u;

	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	if ((u->out = buf_new(UPDATE_MAX)) == NULL) {
		free(u);
		return NULL;
	}
	u->mode = mode;
	u->push_ms = push_ms;
	u->rate = scrollback_rate;
	u->tokens_milli = (uint64_t)scrollback_rate * 1000;
	return u;
}

static void
saved_clear(struct saved *v)
{
	term_state_free(&v->st);
	memset(v, 0, sizeof(*v));
}

void
updater_free(struct updater *u)
{
	size_t i;

	if (u == NULL)
		return;
	saved_clear(&u->acked);
	for (i = 0; i < u->nsent; i++)
		saved_clear(&u->sent[i]);
	buf_free(u->out);
	free(u);
}

void
updater_restart(struct updater *u)
{
	size_t i;

	saved_clear(&u->acked);
	for (i = 0; i < u->nsent; i++)
		saved_clear(&u->sent[i]);
	u->nsent = 0;
	u->offset_acked = u->offset_sent = 0;
	u->full_out = 0;
	u->behind_since = 0;
	u->last_send = 0;
	u->backoff_ms = 0;
	u->repaint = 1;
}

/* ---- timing -------------------------------------------------------------- */

static uint32_t
clamp(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Half the round trip: a slow link is not flooded, a fast one is quick. */
static uint32_t
frame_interval(const struct chan *c)
{
	return clamp(chan_get_stats(c)->srtt_ms / 2, INTERVAL_MIN_MS,
	    INTERVAL_MAX_MS);
}

/* PROTOCOL.md 3.3's RTO, doubled for each resend without progress. */
static uint32_t
resend_timeout(const struct updater *u, const struct chan *c)
{
	const struct chan_stats *st = chan_get_stats(c);
	uint32_t var = 4 * st->rttvar_ms > 1 ? 4 * st->rttvar_ms : 1;

	if (u->backoff_ms != 0)
		return u->backoff_ms;
	if (st->srtt_ms == 0)
		return RTO_FIRST_MS;
	return clamp(st->srtt_ms + var + CHAN_STATE_ACK_DELAY_MS, RTO_MIN_MS,
	    RTO_MAX_MS);
}

static int
remaining(uint64_t due, uint64_t now)
{
	return due > now ? (int)(due - now) : 0;
}

static void
sent_now(struct updater *u, uint64_t now, int resend, const struct chan *c)
{
	u->backoff_ms = resend ? clamp(2 * resend_timeout(u, c), RTO_MIN_MS,
	    RTO_MAX_MS) : 0;
	u->last_send = now;
}

/* ---- statesync ----------------------------------------------------------- */

/* Take the client's newest acknowledgement: that state becomes the base,
 * older ones and the lines it holds are forgotten. */
static void
take_ack(struct updater *u, const struct chan *c, struct screen *s)
{
	uint64_t a = chan_update_acked(c);
	size_t i, k;

	if (a <= u->acked.num)
		return;
	for (i = 0; i < u->nsent && u->sent[i].num != a; i++)
		;
	if (i == u->nsent)
		return;		/* a state given up on; keep the older base */
	saved_clear(&u->acked);
	u->acked = u->sent[i];
	for (k = 0; k < i; k++)
		saved_clear(&u->sent[k]);
	u->nsent -= i + 1;
	memmove(u->sent, u->sent + i + 1, u->nsent * sizeof(u->sent[0]));
	screen_lines_release(s, u->acked.line_end);
	u->backoff_ms = 0;
}

static void
refill_tokens(struct updater *u, uint64_t now)
{
	uint64_t cap = (uint64_t)u->rate * 1000;

	if (now > u->tokens_at)
		u->tokens_milli += (now - u->tokens_at) * u->rate;
	if (u->tokens_milli > cap)
		u->tokens_milli = cap;
	u->tokens_at = now;
}

/* The first line the update from the base to a state ending at line_end
 * carries; new lines beyond the scrollback rate are dropped, the
 * oldest first. */
static uint64_t
first_line(struct updater *u, const struct screen *s, uint64_t line_end,
    uint64_t now)
{
	uint64_t lo = u->acked.line_end, fresh, allowed;

	if (lo < u->lines_floor)
		lo = u->lines_floor;
	if (lo < screen_lines_first(s)) {
		lo = screen_lines_first(s);
		u->lines_dropped = 1;
	}
	refill_tokens(u, now);
	fresh = line_end - (lo > u->lines_sent_end ? lo : u->lines_sent_end);
	allowed = u->tokens_milli / 1000;
	if (fresh > allowed) {
		u->lines_floor = line_end - allowed;
		if (lo < u->lines_floor)
			lo = u->lines_floor;
		fresh = allowed;
		u->lines_dropped = 1;
	}
	u->tokens_milli -= fresh * 1000;
	if (u->lines_sent_end < line_end)
		u->lines_sent_end = line_end;
	return lo;
}

/* How many of the lines from lo on, before end, are kept (a line lost
 * to a failed allocation ends the run). */
static uint64_t
lines_kept(const struct screen *s, uint64_t lo, uint64_t end)
{
	uint64_t n = 0;

	while (lo + n < end && screen_line(s, lo + n) != NULL)
		n++;
	return n;
}

/* Into u->out: the header (size, number of the first line pushed, how
 * many), then the lines [lo, end) pushed through the top of base (NULL:
 * any screen), then the diff to st (PROTOCOL.md 3.4). */
static int
build_update(struct updater *u, const struct screen *s,
    const struct term_state *base, uint64_t lo, uint64_t end,
    const struct term_state *st)
{
	struct term_state cur;
	const struct screen_line *l;
	uint64_t i, n = lines_kept(s, lo, end);
	int r;

	buf_reset(u->out);
	if ((r = buf_put_u16(u->out, st->cols)) != 0 ||
	    (r = buf_put_u16(u->out, st->rows)) != 0 ||
	    (r = buf_put_u64(u->out, lo)) != 0 ||
	    (r = buf_put_u32(u->out, (uint32_t)n)) != 0)
		return r;
	if (n == 0)
		return term_diff(base, st, u->out);
	r = base != NULL ? term_state_copy(&cur, base) :
	    term_state_init(&cur, st->cols, st->rows);
	if (r == 0 && base == NULL)
		r = term_diff(NULL, &cur, u->out);
	for (i = 0; r == 0 && i < n; i++) {
		l = screen_line(s, lo + i);
		r = term_push_line(&cur, l->cells, l->cols, u->out);
	}
	if (r == 0)
		r = term_diff(&cur, st, u->out);
	term_state_free(&cur);
	return r;
}

/* The base to diff from: the acknowledged state, unless the client asked
 * for a full screen, the size changed, or lines must be pushed through
 * an alternate screen (which has no scrollback: they are dropped). */
static const struct saved *
pick_base(struct updater *u, const struct term_state *st, uint64_t *lo,
    uint64_t end)
{
	const struct saved *b = &u->acked;

	if (b->num == 0 || u->repaint || b->st.cols != st->cols ||
	    b->st.rows != st->rows)
		return NULL;
	if (*lo < end && (b->st.modes & TERM_MODE_ALTSCREEN)) {
		*lo = end;
		u->lines_dropped = 1;
	}
	return b;
}

static void
remember(struct updater *u, struct saved *v)
{
	if (u->nsent == UPDATES_UNACKED_MAX) {
		saved_clear(&u->sent[0]);
		memmove(u->sent, u->sent + 1,
		    (u->nsent - 1) * sizeof(u->sent[0]));
		u->nsent--;
	}
	u->sent[u->nsent++] = *v;
}

static void
send_state(struct updater *u, struct chan *c, struct screen *s,
    uint64_t now)
{
	struct saved v = { 0 };
	const struct saved *base;
	uint64_t lo;
	uint8_t flags;
	int r;

	if (screen_snapshot(s, &v.st) != 0) {
		log_error("out of memory for a screen update");
		return;
	}
	v.num = ++u->last_num;
	v.version = screen_version(s);
	v.line_end = screen_lines_end(s);
	lo = first_line(u, s, v.line_end, now);
	base = pick_base(u, &v.st, &lo, v.line_end);
	flags = u->lines_dropped ? FRAME_STATE_LINES_DROPPED : 0;
	if ((r = build_update(u, s, base ? &base->st : NULL, lo, v.line_end,
	    &v.st)) != 0 || (r = chan_send_update(c, base ? base->num : 0,
	    v.num, flags, buf_ptr(u->out), buf_len(u->out))) != 0) {
		log_error("cannot send a screen update: %s", mp_strerror(r));
		saved_clear(&v);
		return;
	}
	u->lines_dropped = 0;
	u->repaint = 0;
	remember(u, &v);
	sent_now(u, now, 0, c);
}

static const struct saved *
newest(const struct updater *u)
{
	return u->nsent > 0 ? &u->sent[u->nsent - 1] : &u->acked;
}

static void
run_statesync(struct updater *u, struct chan *c, struct screen *s,
    uint64_t now)
{
	take_ack(u, c, s);
	if (chan_update_pending(c))
		return;
	if (screen_version(s) != newest(u)->version || u->repaint) {
		if (now >= u->last_send + frame_interval(c))
			send_state(u, c, s, now);
	} else if (u->nsent > 0 &&
	    now >= u->last_send + resend_timeout(u, c)) {
		(void)chan_resend_update(c);
		sent_now(u, now, 1, c);
	}
}

static int
statesync_timeout(const struct updater *u, const struct chan *c,
    const struct screen *s, uint64_t now)
{
	if (chan_update_pending(c))
		return CHUNKS_WAIT_MS;
	if (screen_version(s) != newest(u)->version || u->repaint)
		return remaining(u->last_send + frame_interval(c), now);
	if (u->nsent > 0)
		return remaining(u->last_send + resend_timeout(u, c), now);
	return -1;
}

/* ---- datagram and reliable: full screens at a stream offset -------------- */

/* A full screen for a byte stream: on the alternate screen, the primary
 * one is painted first, so that the program's ?1049l later in the stream
 * brings back the right screen and cursor on the client too. */
static int
build_full(struct updater *u, const struct screen *s,
    const struct term_state *st)
{
	struct term_state primary;
	int r;

	if ((r = build_update(u, s, NULL, 0, 0, st)) != 0 ||
	    !(st->modes & TERM_MODE_ALTSCREEN))
		return r;
	if ((r = screen_snapshot_primary(s, &primary)) != 0)
		return r;
	buf_consume_end(u->out, buf_len(u->out) - UPDATE_HEADER);
	if ((r = term_diff(NULL, &primary, u->out)) == 0)
		r = term_diff(&primary, st, u->out);
	term_state_free(&primary);
	return r;
}

static void
send_full(struct updater *u, struct chan *c, const struct screen *s,
    uint64_t offset, uint64_t now)
{
	struct term_state st;
	int r;

	if (screen_snapshot(s, &st) != 0) {
		log_error("out of memory for a screen update");
		return;
	}
	if ((r = build_full(u, s, &st)) != 0 ||
	    (r = chan_send_update(c, 0, offset, 0, buf_ptr(u->out),
	    buf_len(u->out))) != 0)
		log_error("cannot send a screen update: %s", mp_strerror(r));
	else {
		u->offset_sent = offset;
		u->full_out = 1;
		u->repaint = 0;
		sent_now(u, now, 0, c);
	}
	term_state_free(&st);
}

/* The client acknowledges the full screens it applied (their offsets)
 * and, in datagram, the stream offset up to which it has every byte.
 * Datagram output not acknowledged for a push interval was lost
 * somewhere, and a full screen corrects it. */
static void
track_acks(struct updater *u, const struct chan *c, uint64_t offset,
    uint64_t now)
{
	uint64_t a = chan_update_acked(c);

	if (a > u->offset_acked && a <= offset)
		u->offset_acked = a;
	if (u->mode != MON_MODE_DATAGRAM || offset <= u->offset_acked)
		u->behind_since = 0;
	else if (u->behind_since == 0)
		u->behind_since = now;
}

/* A full screen sent and not yet acknowledged. */
static int
full_unacked(const struct updater *u, const struct chan *c)
{
	return u->full_out && !(chan_update_ack_seen(c) &&
	    chan_update_acked(c) >= u->offset_sent);
}

/* When a full screen is due: now if the client asked for one or the
 * window changed (the client's emulator was resized at another point of
 * the stream); one RTO after a full screen not acknowledged (sent
 * again); in datagram, a push interval after output went
 * unacknowledged, at most once per interval. NEVER if none. */
static uint64_t
full_due_at(const struct updater *u, const struct chan *c)
{
	uint64_t due;

	if (u->repaint)
		return 0;
	if (full_unacked(u, c))
		return u->last_send + resend_timeout(u, c);
	if (u->mode != MON_MODE_DATAGRAM || u->behind_since == 0)
		return NEVER;
	due = u->behind_since + u->push_ms;
	return due > u->last_send + u->push_ms ? due :
	    u->last_send + u->push_ms;
}

static void
run_full(struct updater *u, struct chan *c, const struct screen *s,
    uint64_t offset, uint64_t now)
{
	track_acks(u, c, offset, now);
	if (chan_update_pending(c) || full_due_at(u, c) > now)
		return;
	if (!u->repaint && offset == u->offset_sent && u->full_out) {
		(void)chan_resend_update(c);
		sent_now(u, now, 1, c);
	} else
		send_full(u, c, s, offset, now);
}

void
updater_resized(struct updater *u)
{
	if (u->mode != MON_MODE_STATESYNC)
		u->repaint = 1;
}

void
updater_run(struct updater *u, struct chan *c, struct screen *s,
    uint64_t stream_offset, uint64_t now)
{
	if (chan_repaint_requested(c))
		u->repaint = 1;
	if (u->mode == MON_MODE_STATESYNC)
		run_statesync(u, c, s, now);
	else
		run_full(u, c, s, stream_offset, now);
}

int
updater_settled(const struct updater *u, const struct chan *c,
    const struct screen *s, uint64_t stream_offset)
{
	if (chan_update_pending(c))
		return 0;
	if (u->mode == MON_MODE_STATESYNC)
		return u->nsent == 0 && u->acked.version == screen_version(s);
	if (u->mode == MON_MODE_DATAGRAM)
		return stream_offset == 0 || u->offset_acked == stream_offset;
	return 1;
}

int
updater_timeout_ms(const struct updater *u, const struct chan *c,
    const struct screen *s, uint64_t stream_offset, uint64_t now)
{
	if (u->mode == MON_MODE_STATESYNC)
		return statesync_timeout(u, c, s, now);
	(void)stream_offset;
	if (chan_update_pending(c))
		return CHUNKS_WAIT_MS;
	return full_due_at(u, c) == NEVER ? -1 :
	    remaining(full_due_at(u, c), now);
}

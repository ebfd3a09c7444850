/* screen.c: the server's screen as mp knows it: an emulator fed with the updates or the output stream of the session's mode, the states statesync may diff from, and the lines that scrolled off. */
#include <stdlib.h>
#include <string.h>

#include "client/screen.h"
#include "common/buf.h"

#define UPDATE_HEADER	16	/* columns, rows, first line, lines */

enum mode { MODE_RELIABLE, MODE_DATAGRAM, MODE_STATESYNC };

struct held {
	uint64_t num;
	struct term_state st;
};

struct qline {
	uint16_t cols;
	struct term_cell *cells;
};

struct client_screen {
	enum mode mode;
	struct term *term;
	uint16_t cols, rows;		/* the emulator's size */
	int quiet;			/* replaying: scrolled lines are old */
	/* statesync: the lines an update pushes are numbered; the client
	 * keeps each once, and no line the diff itself scrolls */
	int feeding;			/* an update is being fed */
	uint64_t feed_first;		/* number of the update's first line */
	uint32_t feed_count, feed_seen;
	uint64_t lines_end;		/* next line number not yet kept */
	uint64_t version;
	uint64_t state;			/* newest applied: number or offset */
	int applied;			/* an update was applied */
	/* statesync */
	struct term_state cur;		/* the newest state applied */
	struct held held[SCREEN_HELD_STATES];	/* older ones, oldest first */
	size_t nheld;
	/* reliable, datagram: an update waiting for the stream */
	int have_pending;
	uint64_t pending_at;
	struct buf *pending;
	/* datagram: output read lately, [hist_start, hist_end), and whether
	 * the screen has every byte up to hist_end (no gap since the last
	 * full screen) */
	uint8_t hist[SCREEN_HISTORY];
	uint64_t hist_start, hist_end;
	int in_sync;
	/* scrolled lines */
	struct qline q[SCREEN_QUEUE_LINES];
	size_t qhead, qlen;
	int dropped;
};

/* ---- scrolled lines ------------------------------------------------------ */

static void
qline_free(struct qline *l)
{
	free(l->cells);
	l->cells = NULL;
}

/* Whether a line scrolled by the emulator is new for the terminal's
 * scrollback: in statesync, only the update's own lines, each once. */
static int
keep_line(struct client_screen *s)
{
	uint64_t n;

	if (s->mode != MODE_STATESYNC)
		return 1;
	if (!s->feeding || s->feed_seen >= s->feed_count)
		return 0;	/* the diff's own scrolling */
	n = s->feed_first + s->feed_seen++;
	if (n < s->lines_end)
		return 0;	/* already kept from an earlier update */
	if (n > s->lines_end && s->lines_end != 0)
		s->dropped = 1;	/* some never came */
	s->lines_end = n + 1;
	return 1;
}

static void
on_scrollback(void *arg, const struct term_cell *row, uint16_t cols,
    int wrapped)
{
	struct client_screen *s = arg;
	struct qline *l;

	(void)wrapped;
	if (s->quiet || !keep_line(s))
		return;
	if (s->qlen == SCREEN_QUEUE_LINES) {
		client_screen_lines_taken(s, 1);
		s->dropped = 1;
	}
	l = &s->q[(s->qhead + s->qlen) % SCREEN_QUEUE_LINES];
	if ((l->cells = malloc((size_t)cols * sizeof(*row))) == NULL) {
		s->dropped = 1;
		return;
	}
	memcpy(l->cells, row, (size_t)cols * sizeof(*row));
	l->cols = cols;
	s->qlen++;
}

size_t
client_screen_lines(const struct client_screen *s)
{
	return s->qlen;
}

const struct term_cell *
client_screen_line(const struct client_screen *s, size_t i, uint16_t *cols)
{
	const struct qline *l = &s->q[(s->qhead + i) % SCREEN_QUEUE_LINES];

	*cols = l->cols;
	return l->cells;
}

void
client_screen_lines_taken(struct client_screen *s, size_t n)
{
	while (n-- > 0 && s->qlen > 0) {
		qline_free(&s->q[s->qhead]);
		s->qhead = (s->qhead + 1) % SCREEN_QUEUE_LINES;
		s->qlen--;
	}
}

int
client_screen_lines_dropped(struct client_screen *s)
{
	int d = s->dropped;

	s->dropped = 0;
	return d;
}

void
client_screen_note_dropped(struct client_screen *s)
{
	s->dropped = 1;
}

void
client_screen_continue(struct client_screen *s,
    const struct client_screen *previous)
{
	s->lines_end = previous->lines_end;
}

/* ---- life ---------------------------------------------------------------- */

struct client_screen *
client_screen_new(const char *mode, uint16_t cols, uint16_t rows)
{
	static const struct term_callbacks cb = { NULL, on_scrollback, NULL };
	struct client_screen *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->mode = strcmp(mode, "statesync") == 0 ? MODE_STATESYNC :
	    strcmp(mode, "datagram") == 0 ? MODE_DATAGRAM : MODE_RELIABLE;
	s->in_sync = 1;		/* both ends start blank at offset 0 */
	s->cols = cols;
	s->rows = rows;
	if ((s->term = term_new(cols, rows, &cb, s)) == NULL ||
	    (s->pending = buf_new(BUF_SIZE_MAX)) == NULL ||
	    term_snapshot(s->term, &s->cur) != 0) {
		client_screen_free(s);
		return NULL;
	}
	return s;
}

void
client_screen_free(struct client_screen *s)
{
	size_t i;

	if (s == NULL)
		return;
	client_screen_lines_taken(s, s->qlen);
	for (i = 0; i < s->nheld; i++)
		term_state_free(&s->held[i].st);
	term_state_free(&s->cur);
	buf_free(s->pending);
	term_free(s->term);
	free(s);
}

/* ---- feeding the emulator ------------------------------------------------ */

static void
feed(struct client_screen *s, const uint8_t *p, size_t len)
{
	term_write(s->term, p, len);
	s->version++;
}

/* An update's header (PROTOCOL.md 3.4). */
struct header {
	uint16_t cols, rows;
	uint64_t first;			/* number of the first line pushed */
	uint32_t count;			/* lines pushed */
};

static int
get_header(const uint8_t **p, size_t *len, struct header *h)
{
	struct buf *b = buf_from(*p, *len);
	int r;

	if (b == NULL)
		return -1;
	r = buf_get_u16(b, &h->cols) == 0 && buf_get_u16(b, &h->rows) == 0 &&
	    buf_get_u64(b, &h->first) == 0 && buf_get_u32(b, &h->count) == 0 &&
	    h->cols >= 1 && h->cols <= TERM_COLS_MAX && h->rows >= 1 &&
	    h->rows <= TERM_ROWS_MAX &&
	    (size_t)h->cols * h->rows <= TERM_CELLS_MAX ? 0 : -1;
	buf_free(b);
	if (r == 0) {
		*p += UPDATE_HEADER;
		*len -= UPDATE_HEADER;
	}
	return r;
}

/* The emulator at that size (its content is then repainted). */
static int
size_emulator(struct client_screen *s, uint16_t cols, uint16_t rows)
{
	if (cols == s->cols && rows == s->rows)
		return 0;
	if (term_resize(s->term, cols, rows) != 0)
		return -1;
	s->cols = cols;
	s->rows = rows;
	return 0;
}

static int
snapshot_newest(struct client_screen *s)
{
	struct term_state st;

	if (term_snapshot(s->term, &st) != 0)
		return -1;
	term_state_free(&s->cur);
	s->cur = st;
	return 0;
}

/* ---- statesync ----------------------------------------------------------- */

static const struct held *
find_held(const struct client_screen *s, uint64_t num)
{
	size_t i;

	for (i = 0; i < s->nheld; i++)
		if (s->held[i].num == num)
			return &s->held[i];
	return NULL;
}

/* Feed bytes that bring the emulator somewhere it already was: the
 * lines they scroll are not new. */
static int
feed_quietly(struct client_screen *s, const struct buf *b)
{
	s->quiet = 1;
	feed(s, buf_ptr(b), buf_len(b));
	s->quiet = 0;
	return 0;
}

/* Bring the emulator from the newest state back to an older one it
 * held (of another size: by a full repaint). */
static int
rewind_to(struct client_screen *s, const struct term_state *to)
{
	struct buf *b = buf_new(BUF_SIZE_MAX);
	int same = to->cols == s->cur.cols && to->rows == s->cur.rows, r = -1;

	if (b != NULL && (same || size_emulator(s, to->cols, to->rows) == 0) &&
	    term_diff(same ? &s->cur : NULL, to, b) == 0)
		r = feed_quietly(s, b);
	buf_free(b);
	return r;
}

/* The state shown before the update joins the held ones (the oldest
 * goes if full); the new one becomes the newest. */
static void
hold_previous(struct client_screen *s, struct term_state *prev,
    uint64_t num)
{
	if (s->nheld == SCREEN_HELD_STATES) {
		term_state_free(&s->held[0].st);
		memmove(s->held, s->held + 1,
		    (s->nheld - 1) * sizeof(s->held[0]));
		s->nheld--;
	}
	s->held[s->nheld].num = num;
	s->held[s->nheld].st = *prev;
	s->nheld++;
	memset(prev, 0, sizeof(*prev));
}

/* Forget everything: only a full update (base 0) applies now. */
static void
forget_states(struct client_screen *s)
{
	while (s->nheld > 0)
		term_state_free(&s->held[--s->nheld].st);
	s->state = 0;
	s->applied = 0;
}

/* The base's size must be the update's (only base 0 may change it). */
static const struct term_state *
base_state(const struct client_screen *s, uint64_t base,
    const struct header *h)
{
	const struct held *held;
	const struct term_state *b = &s->cur;

	if (base != s->state) {
		if ((held = find_held(s, base)) == NULL)
			return NULL;
		b = &held->st;
	}
	return b->cols == h->cols && b->rows == h->rows ? b : NULL;
}

/* Feed an update's bytes, keeping the lines it pushes that are new. */
static void
feed_update(struct client_screen *s, const struct header *h,
    const uint8_t *p, size_t len)
{
	s->feeding = 1;
	s->feed_first = h->first;
	s->feed_count = h->count;
	s->feed_seen = 0;
	feed(s, p, len);
	s->feeding = 0;
}

static enum screen_applied
statesync_update(struct client_screen *s, uint64_t base, uint64_t num,
    const uint8_t *p, size_t len)
{
	const struct term_state *from = NULL;
	struct term_state prev;
	struct header h;
	uint64_t prev_num = s->state;

	if (num <= s->state)
		return SCREEN_OLD;
	if (get_header(&p, &len, &h) != 0)
		return SCREEN_BAD;
	if (base != 0 && (from = base_state(s, base, &h)) == NULL)
		return find_held(s, base) != NULL || base == s->state ?
		    SCREEN_BAD : SCREEN_NO_BASE;
	if (base == 0 && size_emulator(s, h.cols, h.rows) != 0)
		return SCREEN_BAD;
	if (from != NULL && from != &s->cur && rewind_to(s, from) != 0)
		return SCREEN_NO_BASE;
	feed_update(s, &h, p, len);
	prev = s->cur;
	memset(&s->cur, 0, sizeof(s->cur));
	if (snapshot_newest(s) != 0) {
		term_state_free(&prev);
		forget_states(s);
		return SCREEN_BAD;
	}
	if (prev_num != 0)
		hold_previous(s, &prev, prev_num);
	term_state_free(&prev);
	s->state = num;
	s->applied = 1;
	return SCREEN_APPLIED;
}

/* ---- reliable and datagram: full screens at a stream offset ---------------- */

static enum screen_applied
apply_full(struct client_screen *s, const uint8_t *p, size_t len,
    uint64_t offset)
{
	struct header h;

	if (get_header(&p, &len, &h) != 0 ||
	    size_emulator(s, h.cols, h.rows) != 0)
		return SCREEN_BAD;
	s->quiet = 1;		/* a repaint scrolls nothing new */
	feed(s, p, len);
	s->quiet = 0;
	if (snapshot_newest(s) != 0)
		return SCREEN_BAD;
	s->state = offset;
	s->in_sync = 1;
	s->applied = 1;
	return SCREEN_APPLIED;
}

/* Datagram: apply a full screen taken before what was read since, then
 * read that again. */
static enum screen_applied
replay_from(struct client_screen *s, const uint8_t *p, size_t len,
    uint64_t offset, uint64_t read_offset)
{
	uint64_t o;
	enum screen_applied r;

	if (s->mode != MODE_DATAGRAM || offset < s->hist_start ||
	    read_offset != s->hist_end)
		return SCREEN_OLD;
	if ((r = apply_full(s, p, len, offset)) != SCREEN_APPLIED)
		return r;
	s->quiet = 1;
	for (o = offset; o < read_offset; o++)
		term_write(s->term, &s->hist[o % SCREEN_HISTORY], 1);
	s->quiet = 0;
	s->version++;
	return snapshot_newest(s) == 0 ? SCREEN_APPLIED : SCREEN_BAD;
}

/* Datagram: a full screen taken further on than what was read; the
 * output before it may never come (it is best effort): show it now, and
 * drop late bytes below its offset. */
static enum screen_applied
jump_to(struct client_screen *s, const uint8_t *p, size_t len,
    uint64_t offset)
{
	enum screen_applied r;

	if ((r = apply_full(s, p, len, offset)) != SCREEN_APPLIED)
		return r;
	s->hist_start = s->hist_end = offset;
	return SCREEN_APPLIED;
}

static enum screen_applied
stream_update(struct client_screen *s, uint64_t base, uint64_t offset,
    const uint8_t *p, size_t len, uint64_t read_offset)
{
	if (base != 0)
		return SCREEN_BAD;
	if (offset < read_offset)
		return replay_from(s, p, len, offset, read_offset);
	if (offset == read_offset)
		return apply_full(s, p, len, offset);
	if (s->mode == MODE_DATAGRAM)
		return jump_to(s, p, len, offset);
	buf_reset(s->pending);
	if (buf_put(s->pending, p, len) != 0)
		return SCREEN_BAD;
	s->have_pending = 1;
	s->pending_at = offset;
	return SCREEN_LATER;
}

enum screen_applied
client_screen_update(struct client_screen *s, uint64_t base,
    uint64_t new_state, const uint8_t *p, size_t len, uint64_t read_offset)
{
	if (s->mode == MODE_STATESYNC)
		return statesync_update(s, base, new_state, p, len);
	return stream_update(s, base, new_state, p, len, read_offset);
}

static void
remember_output(struct client_screen *s, uint64_t offset, const uint8_t *p,
    size_t len)
{
	size_t i;

	if (offset != s->hist_end) {
		s->hist_start = s->hist_end = offset;	/* a gap */
		s->in_sync = 0;
	}
	for (i = 0; i < len; i++)
		s->hist[(offset + i) % SCREEN_HISTORY] = p[i];
	s->hist_end = offset + len;
	if (s->hist_end - s->hist_start > SCREEN_HISTORY)
		s->hist_start = s->hist_end - SCREEN_HISTORY;
}

/* The full screen kept for an offset now reached (or skipped over). */
static void
apply_pending(struct client_screen *s)
{
	s->have_pending = 0;
	(void)apply_full(s, buf_ptr(s->pending), buf_len(s->pending),
	    s->pending_at);
	buf_reset(s->pending);
}

void
client_screen_output(struct client_screen *s, uint64_t offset,
    const uint8_t *p, size_t len)
{
	size_t skip;

	if (s->mode == MODE_DATAGRAM && offset < s->state) {
		/* Late bytes a full screen already covers. */
		skip = s->state - offset < len ? (size_t)(s->state - offset) :
		    len;
		p += skip;
		len -= skip;
		offset += skip;
		if (len == 0)
			return;
	}
	remember_output(s, offset, p, len);
	if (s->have_pending && offset >= s->pending_at)
		apply_pending(s);
	if (s->have_pending) {
		/* What the kept full screen already shows. */
		skip = s->pending_at - offset < len ?
		    (size_t)(s->pending_at - offset) : len;
		p += skip;
		len -= skip;
		if (offset + skip == s->pending_at)
			apply_pending(s);
	}
	if (len > 0)
		feed(s, p, len);
}

/* ---- the rest ------------------------------------------------------------ */

int
client_screen_resize(struct client_screen *s, uint16_t cols, uint16_t rows)
{
	if (s->mode == MODE_STATESYNC)
		return 0;	/* the server's next state has the size */
	if (size_emulator(s, cols, rows) != 0)
		return -1;
	s->in_sync = 0;		/* resized at another point than the server */
	s->version++;
	return snapshot_newest(s);
}

int
client_screen_has_state(const struct client_screen *s)
{
	return s->applied ||
	    (s->mode == MODE_DATAGRAM && s->in_sync && s->hist_end > 0);
}

uint64_t
client_screen_state(const struct client_screen *s)
{
	if (s->mode == MODE_DATAGRAM && s->in_sync && s->hist_end > s->state)
		return s->hist_end;
	return s->state;
}

uint64_t
client_screen_version(const struct client_screen *s)
{
	return s->version;
}

int
client_screen_snapshot(const struct client_screen *s, struct term_state *out)
{
	return term_snapshot(s->term, out);
}

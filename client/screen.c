/* screen.c: the server's screen as mp knows it: an emulator fed with the updates or the output stream of the session's mode, the states statesync may diff from, and the lines that scrolled off. */
#include <stdlib.h>
#include <string.h>

#include "client/screen.h"
#include "common/buf.h"

#define UPDATE_HEADER	4	/* uint16 columns, uint16 rows */

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
	uint64_t version;
	uint64_t state;			/* newest applied: number or offset */
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

static void
on_scrollback(void *arg, const struct term_cell *row, uint16_t cols,
    int wrapped)
{
	struct client_screen *s = arg;
	struct qline *l;

	(void)wrapped;
	if (s->quiet)
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

/* Give the emulator the update's size (only a full screen may change
 * it: callers check); the bytes after the header in *p, *len. */
static int
take_header(struct client_screen *s, const uint8_t **p, size_t *len)
{
	uint16_t cols, rows;

	if (*len < UPDATE_HEADER)
		return -1;
	cols = (uint16_t)((*p)[0] << 8 | (*p)[1]);
	rows = (uint16_t)((*p)[2] << 8 | (*p)[3]);
	*p += UPDATE_HEADER;
	*len -= UPDATE_HEADER;
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

/* Bring the emulator from the state it shows, from, back to an older
 * one, to; the lines it scrolls are not new. */
static int
rewind_to(struct client_screen *s, const struct term_state *from,
    const struct term_state *to)
{
	struct buf *b = buf_new(BUF_SIZE_MAX);
	int r = -1;

	if (b != NULL && term_diff(from, to, b) == 0) {
		s->quiet = 1;
		feed(s, buf_ptr(b), buf_len(b));
		s->quiet = 0;
		r = 0;
	}
	buf_free(b);
	return r;
}

/* The newest state joins the held ones (the oldest goes if full). */
static void
hold_current(struct client_screen *s)
{
	if (s->state == 0)
		return;
	if (s->nheld == SCREEN_HELD_STATES) {
		term_state_free(&s->held[0].st);
		memmove(s->held, s->held + 1,
		    (s->nheld - 1) * sizeof(s->held[0]));
		s->nheld--;
	}
	s->held[s->nheld].num = s->state;
	s->held[s->nheld].st = s->cur;
	s->nheld++;
	memset(&s->cur, 0, sizeof(s->cur));
}

/* The update's size must be its base's, unless it is a full screen. */
static int
size_fits(const struct client_screen *s, uint64_t base, const uint8_t *p,
    size_t len)
{
	const struct term_state *b = &s->cur;
	const struct held *h;

	if (len < UPDATE_HEADER)
		return 0;
	if (base == 0)
		return 1;
	if (base != s->state) {
		if ((h = find_held(s, base)) == NULL)
			return 0;
		b = &h->st;
	}
	return b->cols == (uint16_t)(p[0] << 8 | p[1]) &&
	    b->rows == (uint16_t)(p[2] << 8 | p[3]);
}

static enum screen_applied
statesync_update(struct client_screen *s, uint64_t base, uint64_t num,
    const uint8_t *p, size_t len)
{
	const struct held *h;
	int rewind = base != 0 && base != s->state;

	if (num <= s->state)
		return SCREEN_OLD;
	if (rewind && find_held(s, base) == NULL)
		return SCREEN_NO_BASE;
	if (!size_fits(s, base, p, len))
		return SCREEN_BAD;
	hold_current(s);
	if (rewind && ((h = find_held(s, base)) == NULL ||
	    rewind_to(s, &s->held[s->nheld - 1].st, &h->st) != 0))
		return SCREEN_NO_BASE;
	if (take_header(s, &p, &len) != 0)
		return SCREEN_BAD;
	feed(s, p, len);
	if (snapshot_newest(s) != 0)
		return SCREEN_BAD;
	s->state = num;
	return SCREEN_APPLIED;
}

/* ---- reliable and datagram: full screens at a stream offset ---------------- */

static enum screen_applied
apply_full(struct client_screen *s, const uint8_t *p, size_t len,
    uint64_t offset)
{
	if (take_header(s, &p, &len) != 0)
		return SCREEN_BAD;
	feed(s, p, len);
	if (snapshot_newest(s) != 0)
		return SCREEN_BAD;
	s->state = offset;
	s->in_sync = 1;
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
	if (term_resize(s->term, cols, rows) != 0)
		return -1;
	s->cols = cols;
	s->rows = rows;
	s->version++;
	return snapshot_newest(s);
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

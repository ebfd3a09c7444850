/* diff.c: the escape sequences that turn a terminal showing one state into one showing another, in few bytes (docs/terminal-state.md). */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"
#include "common/term/utf8.h"
#include "common/term/width.h"

#define SEQ_MAX		96	/* longest short sequence compared */
#define PRINT_OVER_MAX	12	/* bytes printed again instead of a move */
#define REPEAT_MAX	8	/* LF, BS or RI repeated instead of a CSI */
#define SCROLL_CANDS	4
#define ZWJ		0x200du

/* A short sequence, rendered to be measured before it is chosen. */
struct seq {
	size_t n;
	int over;		/* did not fit: never chosen */
	int zwj;		/* -1, or the join state after it */
	uint8_t b[SEQ_MAX];
};

struct pen {
	uint32_t fg, bg;
	uint16_t attrs;
};

/* What the diff knows of the terminal besides its cells. */
struct tstate {
	int x, y;
	int known;		/* the cursor position is x, y */
	int pending;		/* maybe a pending wrap: CR, CHA or CUP next */
	int zwj;		/* a ZWJ may join the next pictograph */
	struct pen pen;
};

/* Scroll lines top..bot (inclusive) up by n (down if n < 0). */
struct scroll {
	int n, top, bot;
};

struct diff {
	const struct term_state *from, *to;
	int cols, rows;
	struct buf *out;
	int err;
	struct tstate ts;
	int cleared;			/* the screen was cleared */
	const struct term_cell **shown;	/* each row as the terminal has it */
	struct term_cell *blank;	/* a cleared row */
	struct term_cell *row;		/* the row being painted, as shown */
	int model_y;			/* the row in row[], or -1 */
	size_t tail;			/* to's cells from here are one blank */
	int done;			/* the rest of the screen is right */
	int no_scroll;			/* too few rows changed to scroll */
	int painted;			/* the whole screen is right */
	uint64_t *hfrom, *hto;		/* row hashes, for scrolling */
	uint64_t hblank;
};

/* ---- sequences ----------------------------------------------------------- */

static void
seq_init(struct seq *s)
{
	s->n = 0;
	s->over = 0;
	s->zwj = -1;
}

static void
seq_put(struct seq *s, const void *p, size_t n)
{
	if (s->over || n > SEQ_MAX - s->n) {
		s->over = 1;
		return;
	}
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void
seq_byte(struct seq *s, uint8_t c)
{
	seq_put(s, &c, 1);
}

static void
seq_str(struct seq *s, const char *str)
{
	seq_put(s, str, strlen(str));
}

static void
seq_num(struct seq *s, unsigned int v)
{
	uint8_t t[10];
	size_t n = 0;

	do {
		t[sizeof(t) - ++n] = (uint8_t)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	seq_put(s, t + sizeof(t) - n, n);
}

/* CSI [n] final, n left out when it is 1, the default. */
static void
seq_csi(struct seq *s, unsigned int n, uint8_t final)
{
	seq_str(s, "\033[");
	if (n != 1)
		seq_num(s, n);
	seq_byte(s, final);
}

static void
seq_repeat(struct seq *s, const char *unit, int n)
{
	if (n > REPEAT_MAX)
		s->over = 1;
	while (n-- > 0)
		seq_str(s, unit);
}

static size_t
seq_cost(const struct seq *s)
{
	return s->over ? SIZE_MAX : s->n;
}

static void
seq_cell(struct seq *s, const struct term_cell *c)
{
	uint8_t u[4];
	int i;

	seq_put(s, u, utf8_encode(c->ch, u));
	for (i = 0; i < TERM_COMBINING_MAX && c->comb[i] != 0; i++)
		seq_put(s, u, utf8_encode(c->comb[i], u));
}

static void
emit(struct diff *d, const void *p, size_t n)
{
	if (d->err == 0 && n > 0)
		d->err = buf_put(d->out, p, n);
}

static void
emit_str(struct diff *d, const char *s)
{
	emit(d, s, strlen(s));
}

static void
emit_seq(struct diff *d, const struct seq *s)
{
	if (s->over && d->err == 0)
		d->err = MP_ERR_INTERNAL;
	else
		emit(d, s->b, s->n);
}

/* ---- cells --------------------------------------------------------------- */

static const struct term_cell *
to_row(const struct diff *d, int y)
{
	return d->to->cells + (size_t)y * d->cols;
}

static int
cell_eq(const struct term_cell *a, const struct term_cell *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* What an erase leaves (the emulator's BCE): only the background is
 * kept. */
static int
erased(const struct term_cell *c)
{
	return c->ch == 0 && c->comb[0] == 0 &&
	    c->fg == TERM_COLOR_DEFAULT && c->attrs == 0;
}

static int
wide_at(const struct term_cell *row, int x, int cols)
{
	return x + 1 < cols && row[x + 1].ch == TERM_CH_WIDE_CONT;
}

/* The last mark is a ZWJ: the emulator joins a pictograph to it. */
static int
ends_zwj(const struct term_cell *c)
{
	int i;

	for (i = TERM_COMBINING_MAX - 1; i >= 0; i--)
		if (c->comb[i] != 0)
			return c->comb[i] == ZWJ;
	return 0;
}

static int
pictograph(uint32_t ch)
{
	return (term_wprops(ch) & TERM_WPROP_PICT) != 0;
}

/* Where the run of erased cells of one background ending at the last of
 * the n cells starts (n if there is none). */
static size_t
blank_tail(const struct term_cell *c, size_t n)
{
	size_t i = n;

	if (n == 0 || !erased(&c[n - 1]))
		return n;
	while (i > 0 && erased(&c[i - 1]) && c[i - 1].bg == c[n - 1].bg)
		i--;
	return i;
}

static int
pen_eq(const struct pen *a, const struct pen *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attrs == b->attrs;
}

static struct pen
cell_pen(const struct term_cell *c)
{
	struct pen p = { c->fg, c->bg, c->attrs };

	return p;
}

/* ---- SGR ----------------------------------------------------------------- */

static void
sgr_param(struct seq *s, int *first, unsigned int v)
{
	if (!*first)
		seq_byte(s, ';');
	*first = 0;
	seq_num(s, v);
}

static void
sgr_color(struct seq *s, int *first, uint32_t c, unsigned int base)
{
	unsigned int n = c & 0xff;

	switch (TERM_COLOR_KIND(c)) {
	case 0:
		sgr_param(s, first, base + 9);
		break;
	case 1:
		if (n < 8)
			sgr_param(s, first, base + n);
		else if (n < 16)
			sgr_param(s, first, base + 60 + n - 8);
		else {
			sgr_param(s, first, base + 8);
			seq_str(s, ";5;");
			seq_num(s, n);
		}
		break;
	default:
		sgr_param(s, first, base + 8);
		seq_str(s, ";2;");
		seq_num(s, (c >> 16) & 0xff);
		seq_byte(s, ';');
		seq_num(s, (c >> 8) & 0xff);
		seq_byte(s, ';');
		seq_num(s, c & 0xff);
		break;
	}
}

static void
sgr_underline(struct seq *s, int *first, unsigned int style)
{
	if (style == TERM_UL_NONE)
		sgr_param(s, first, 24);
	else if (style == TERM_UL_SINGLE)
		sgr_param(s, first, 4);
	else if (style == TERM_UL_DOUBLE)
		sgr_param(s, first, 21);
	else {
		sgr_param(s, first, 4);
		seq_byte(s, ':');
		seq_num(s, style);
	}
}

/* The parameters that turn attributes old into new. */
static void
sgr_attrs(struct seq *s, int *first, unsigned int old, unsigned int new)
{
	static const struct {
		uint16_t bit;
		uint8_t on, off;
	} tab[] = {
		{ TERM_ATTR_ITALIC, 3, 23 },
		{ TERM_ATTR_BLINK, 5, 25 },
		{ TERM_ATTR_INVERSE, 7, 27 },
		{ TERM_ATTR_INVISIBLE, 8, 28 },
		{ TERM_ATTR_STRIKE, 9, 29 },
	};
	const unsigned int inten = TERM_ATTR_BOLD | TERM_ATTR_FAINT;
	size_t i;

	if ((old & inten & ~new) != 0) {
		sgr_param(s, first, 22);
		old &= ~inten;
	}
	if ((new & TERM_ATTR_BOLD) && !(old & TERM_ATTR_BOLD))
		sgr_param(s, first, 1);
	if ((new & TERM_ATTR_FAINT) && !(old & TERM_ATTR_FAINT))
		sgr_param(s, first, 2);
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if ((old ^ new) & tab[i].bit)
			sgr_param(s, first, (new & tab[i].bit) ?
			    tab[i].on : tab[i].off);
	if ((old ^ new) & TERM_ATTR_UL_MASK)
		sgr_underline(s, first, (new & TERM_ATTR_UL_MASK) >>
		    TERM_ATTR_UL_SHIFT);
}

/* SGR from pen old to new; old NULL: from a reset (0). */
static void
sgr_render(struct seq *s, const struct pen *old, const struct pen *new)
{
	static const struct pen reset;
	int first = 1;

	seq_str(s, "\033[");
	if (old == NULL) {
		if (pen_eq(new, &reset)) {
			seq_byte(s, 'm');
			return;
		}
		sgr_param(s, &first, 0);
		old = &reset;
	}
	sgr_attrs(s, &first, old->attrs, new->attrs);
	if (old->fg != new->fg)
		sgr_color(s, &first, new->fg, 30);
	if (old->bg != new->bg)
		sgr_color(s, &first, new->bg, 40);
	seq_byte(s, 'm');
}

static void
set_pen(struct diff *d, const struct pen *want)
{
	struct seq a, b;

	if (pen_eq(&d->ts.pen, want))
		return;
	seq_init(&a);
	seq_init(&b);
	sgr_render(&a, &d->ts.pen, want);
	sgr_render(&b, NULL, want);
	emit_seq(d, seq_cost(&a) <= seq_cost(&b) ? &a : &b);
	d->ts.pen = *want;
}

/* Erasing needs only the background right. */
static void
set_erase_pen(struct diff *d, uint32_t bg)
{
	struct pen p = d->ts.pen;

	p.bg = bg;
	set_pen(d, &p);
}

/* ---- cursor movement ----------------------------------------------------- */

enum { V_NONE, V_LF, V_CUD, V_CUU, V_RI, V_VPA, V_N };
enum { H_NONE, H_CR, H_CHA, H_CUF, H_CUB, H_BS, H_CRCUF, H_PRINT,
	H_CRPRINT, H_N };

static void
seq_cup(struct seq *s, int x, int y)
{
	seq_str(s, "\033[");
	if (y > 0 || x > 0)
		seq_num(s, (unsigned int)y + 1);
	if (x > 0) {
		seq_byte(s, ';');
		seq_num(s, (unsigned int)x + 1);
	}
	seq_byte(s, 'H');
}

static int
render_v(struct seq *s, int v, int cy, int y)
{
	int dy = y - cy;

	switch (v) {
	case V_NONE:
		return dy == 0;
	case V_LF:
		if (dy > 0)
			seq_repeat(s, "\n", dy);
		return dy > 0;
	case V_CUD:
		if (dy > 0)
			seq_csi(s, (unsigned int)dy, 'B');
		return dy > 0;
	case V_CUU:
		if (dy < 0)
			seq_csi(s, (unsigned int)-dy, 'A');
		return dy < 0;
	case V_RI:
		if (dy < 0)
			seq_repeat(s, "\033M", -dy);
		return dy < 0;
	case V_VPA:
		if (dy != 0)
			seq_csi(s, (unsigned int)y + 1, 'd');
		return dy != 0;
	default:
		return 0;
	}
}

/* Cell x of row y shows what to has there. */
static int
shows_target(const struct diff *d, const struct term_cell *t, int x, int y)
{
	if (d->model_y == y)
		return cell_eq(&d->row[x], &t[x]);
	return d->painted;
}

/* The cells [x0, x1) of row y printed again, if they already show what
 * they should in the current pen, as a cheap move right. */
static int
render_print(struct diff *d, struct seq *s, int x0, int x1, int y)
{
	const struct term_cell *t = to_row(d, y);
	struct pen pen;
	int x, zwj = d->ts.zwj;

	if ((d->model_y != y && !d->painted) || x0 >= x1 ||
	    t[x0].ch == TERM_CH_WIDE_CONT)
		return 0;
	for (x = x0; x < x1; x++) {
		if (t[x].ch == TERM_CH_WIDE_CONT)
			continue;
		pen = cell_pen(&t[x]);
		if (!shows_target(d, t, x, y) ||
		    t[x].ch == 0 || !pen_eq(&pen, &d->ts.pen) ||
		    (zwj && pictograph(t[x].ch)) ||
		    x + 1 + wide_at(t, x, d->cols) > x1)
			return 0;
		seq_cell(s, &t[x]);
		zwj = ends_zwj(&t[x]);
	}
	s->zwj = zwj;
	return s->n <= PRINT_OVER_MAX;
}

static int
render_h(struct diff *d, struct seq *s, int h, int cx, int x, int y)
{
	int dx = x - cx;

	switch (h) {
	case H_NONE:
		return dx == 0;
	case H_CR:
		if (x == 0 && cx != 0)
			seq_byte(s, '\r');
		return x == 0 && cx != 0;
	case H_CHA:		/* also to end a pending wrap in place */
		if (dx != 0 || d->ts.pending)
			seq_csi(s, (unsigned int)x + 1, 'G');
		return dx != 0 || d->ts.pending;
	case H_CUF:
		if (dx > 0)
			seq_csi(s, (unsigned int)dx, 'C');
		return dx > 0;
	case H_CUB:
		if (dx < 0)
			seq_csi(s, (unsigned int)-dx, 'D');
		return dx < 0;
	case H_BS:
		if (dx < 0)
			seq_repeat(s, "\b", -dx);
		return dx < 0;
	case H_CRCUF:
	case H_CRPRINT:
		if (x == 0 || cx == 0)
			return 0;
		seq_byte(s, '\r');
		if (h == H_CRPRINT)
			return render_print(d, s, 0, x, y);
		seq_csi(s, (unsigned int)x, 'C');
		return 1;
	case H_PRINT:
		return dx > 0 && render_print(d, s, cx, x, y);
	default:
		return 0;
	}
}

/* With a pending wrap only moves that surely end it are used: CR
 * first, or CHA (after a CSI move or none), or CUP. */
static int
move_allowed(const struct diff *d, int pre, int v, int h)
{
	if (!d->ts.pending)
		return !pre;
	return pre || (h == H_CHA && v != V_LF && v != V_RI);
}

static void
move_best(struct diff *d, int x, int y, int printing, struct seq *best)
{
	struct seq s;
	int pre, v, h;

	seq_init(best);
	if (d->ts.known && !d->ts.pending && x == d->ts.x && y == d->ts.y)
		return;
	seq_cup(best, x, y);
	if (!d->ts.known)
		return;
	/* Printing on at a pending wrap continues on the next line. */
	if (d->ts.pending && printing && x == 0 && y == d->ts.y + 1) {
		seq_init(best);
		return;
	}
	for (pre = 0; pre < 2; pre++)
		for (v = 0; v < V_N; v++)
			for (h = 0; h < H_N; h++) {
				if (!move_allowed(d, pre, v, h))
					continue;
				seq_init(&s);
				if (pre)
					seq_byte(&s, '\r');
				if (render_v(&s, v, d->ts.y, y) &&
				    render_h(d, &s, h, pre ? 0 : d->ts.x, x,
				    y) && seq_cost(&s) < seq_cost(best))
					*best = s;
			}
}

static void
move_to(struct diff *d, int x, int y, int printing)
{
	struct seq s;

	move_best(d, x, y, printing, &s);
	emit_seq(d, &s);
	d->ts.x = x;
	d->ts.y = y;
	d->ts.known = 1;
	d->ts.pending = 0;
	if (s.zwj >= 0)
		d->ts.zwj = s.zwj;
}

/* ---- painting a row ------------------------------------------------------ */

/*
 * Cells [x, x + n) of the row now show to's. A wide character cut at
 * either end loses its other half in the terminal (term_split), but
 * that half never matches to (a right half in to follows its left
 * half, a left half precedes its right half), so it is painted anyway.
 */
static void
model_write(struct diff *d, int x, int n, int y)
{
	memcpy(d->row + x, to_row(d, y) + x, (size_t)n * sizeof(*d->row));
}

static int
changed(const struct diff *d, const struct term_cell *t, int x)
{
	return !cell_eq(&d->row[x], &t[x]);
}

/* The cursor after printing up to column x (exclusive). */
static void
advance(struct diff *d, int x)
{
	d->ts.x = x;
	if (x >= d->cols) {
		d->ts.x = d->cols - 1;
		d->ts.pending = 1;
	}
}

/* The emulator would join a pictograph to the last ZWJ printed: print
 * a space at x first (overwritten next), which ends the join. */
static void
break_zwj(struct diff *d, int x, int y, int printing)
{
	move_to(d, x, y, printing);
	emit_str(d, " ");
	advance(d, x + 1);
	d->ts.zwj = 0;
}

/* Print the character covering cell x (its left half for a right
 * half); the bottom-right cell with autowrap off, so it cannot scroll. */
static int
print_cell(struct diff *d, const struct term_cell *t, int x, int y)
{
	struct pen pen;
	struct seq s;
	int w, corner;

	if (t[x].ch == TERM_CH_WIDE_CONT && x > 0)
		x--;
	w = 1 + wide_at(t, x, d->cols);
	pen = cell_pen(&t[x]);
	set_pen(d, &pen);
	/* No continuing at a pending wrap there: autowrap is off. */
	corner = y == d->rows - 1 && x + w == d->cols;
	if (corner)
		emit_str(d, "\033[?7l");
	if (d->ts.zwj && pictograph(t[x].ch))
		break_zwj(d, x, y, !corner);
	move_to(d, x, y, !corner);
	seq_init(&s);
	seq_cell(&s, &t[x]);
	emit_seq(d, &s);
	if (corner)
		emit_str(d, "\033[?7h");
	model_write(d, x, w, y);
	advance(d, x + w);
	d->ts.zwj = ends_zwj(&t[x]);
	return x + w;
}

/* ECH over the erased cells from x that still differ, up to the end of
 * their run of one background. */
static int
erase_run(struct diff *d, const struct term_cell *t, int x, int y, int tail)
{
	int e, last = x;
	struct seq s;

	for (e = x; e < tail && erased(&t[e]) && t[e].bg == t[x].bg; e++)
		if (changed(d, t, e))
			last = e;
	set_erase_pen(d, t[x].bg);
	move_to(d, x, y, 0);
	seq_init(&s);
	seq_csi(&s, (unsigned int)(last - x + 1), 'X');
	emit_seq(d, &s);
	model_write(d, x, last - x + 1, y);
	return last + 1;
}

/* Everything from x on is one blank: EL, or ED if the rest of the
 * screen is too. */
static int
erase_tail(struct diff *d, const struct term_cell *t, int x, int y)
{
	set_erase_pen(d, t[x].bg);
	move_to(d, x, y, 0);
	if ((size_t)y * d->cols + (size_t)x >= d->tail) {
		emit_str(d, "\033[J");
		d->done = 1;
	} else
		emit_str(d, "\033[K");
	model_write(d, x, d->cols - x, y);
	return d->cols;
}

static void
paint_row(struct diff *d, int y)
{
	const struct term_cell *t = to_row(d, y);
	size_t rowsz = (size_t)d->cols * sizeof(*t);
	int x = 0, tail = (int)blank_tail(t, (size_t)d->cols);

	if (memcmp(d->shown[y], t, rowsz) == 0)
		return;
	memcpy(d->row, d->shown[y], rowsz);
	d->model_y = y;
	while (x < d->cols && !d->done) {
		if (!changed(d, t, x))
			x++;
		else if (x >= tail)
			x = erase_tail(d, t, x, y);
		else if (t[x].ch == 0)
			x = erase_run(d, t, x, y, tail);
		else
			x = print_cell(d, t, x, y);
	}
	d->model_y = -1;
}

/* ---- scrolling ----------------------------------------------------------- */

static uint64_t
row_hash(const struct term_cell *row, int cols)
{
	const uint8_t *p = (const uint8_t *)row;
	size_t i, n = (size_t)cols * sizeof(*row);
	uint64_t h = 0xcbf29ce484222325ull, w;

	/* A cell is three words: FNV-1a on words, folded. */
	for (i = 0; i < n; i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

/* Rows that a scroll by n would bring into place (and are not already
 * there, and are not blank); their range in *lo, *hi. */
static int
shift_score(const struct diff *d, int n, int *lo, int *hi)
{
	int r, score = 0;

	*lo = d->rows;
	*hi = -1;
	for (r = n < 0 ? -n : 0; r < d->rows && r + n < d->rows; r++) {
		if (d->hto[r] != d->hfrom[r + n] || d->hto[r] == d->hfrom[r] ||
		    d->hto[r] == d->hblank)
			continue;
		score++;
		if (r < *lo)
			*lo = r;
		*hi = r;
	}
	return score;
}

/* The shift that brings most rows into place, 0 if none does. */
static int
best_shift(const struct diff *d, int *lo, int *hi)
{
	int k, n, best = 0, bn = 0, l, h, sc;

	for (k = 1; k < d->rows && d->rows - k > best; k++) {
		for (n = k; n >= -k; n -= 2 * k) {
			if ((sc = shift_score(d, n, &l, &h)) > best) {
				best = sc;
				bn = n;
				*lo = l;
				*hi = h;
			}
		}
	}
	return bn;
}

static int
add_cand(struct scroll *c, int k, int n, int top, int bot)
{
	int i;

	if (bot - top < (n < 0 ? -n : n))
		return k;
	for (i = 0; i < k; i++)
		if (c[i].top == top && c[i].bot == bot)
			return k;
	c[k].n = n;
	c[k].top = top;
	c[k].bot = bot;
	return k + 1;
}

/* Scrolls worth trying: the region just around the rows that match,
 * and it stretched to the top, the bottom, or both. */
static int
scroll_candidates(const struct diff *d, struct scroll *c)
{
	int n, lo = 0, hi = 0, top, bot, k = 0;

	if (d->cleared || d->no_scroll || (n = best_shift(d, &lo, &hi)) == 0)
		return 0;
	top = n > 0 ? lo : lo + n;
	bot = n > 0 ? hi + n : hi;
	k = add_cand(c, k, n, top, bot);
	k = add_cand(c, k, n, 0, d->rows - 1);
	k = add_cand(c, k, n, top, d->rows - 1);
	k = add_cand(c, k, n, 0, bot);
	return k;
}

/* Move to row y (column kept if known) and repeat unit: LF at the
 * bottom, RI at the top. */
static void
render_index(struct diff *d, struct seq *s, int y, const char *unit, int n)
{
	move_best(d, d->ts.known && !d->ts.pending ? d->ts.x : 0, y, 0, s);
	seq_repeat(s, unit, n);
}

/* Candidates for the scroll itself: how each leaves the cursor. */
enum { SC_SU, SC_INDEX, SC_LINES, SC_REGION, SC_N };

static int
render_scroll(struct diff *d, const struct scroll *sc, int how,
    struct seq *s)
{
	int full = sc->top == 0 && sc->bot == d->rows - 1;
	unsigned int n = (unsigned int)(sc->n < 0 ? -sc->n : sc->n);

	seq_init(s);
	switch (how) {
	case SC_SU:
		if (full)
			seq_csi(s, n, sc->n > 0 ? 'S' : 'T');
		return full;
	case SC_INDEX:
		if (full)
			render_index(d, s, sc->n > 0 ? d->rows - 1 : 0,
			    sc->n > 0 ? "\n" : "\033M", (int)n);
		return full;
	case SC_LINES:
		if (sc->bot != d->rows - 1)
			return 0;
		move_best(d, 0, sc->top, 0, s);
		seq_csi(s, n, sc->n > 0 ? 'M' : 'L');
		return 1;
	default:
		seq_str(s, "\033[");
		seq_num(s, (unsigned int)sc->top + 1);
		seq_byte(s, ';');
		seq_num(s, (unsigned int)sc->bot + 1);
		seq_byte(s, 'r');
		seq_csi(s, n, sc->n > 0 ? 'S' : 'T');
		seq_str(s, "\033[r");
		return 1;
	}
}

/* The cursor after scroll way how. */
static void
scroll_cursor(struct diff *d, const struct scroll *sc, int how)
{
	switch (how) {
	case SC_SU:
		return;
	case SC_INDEX:
		if (!d->ts.known || d->ts.pending)
			d->ts.x = 0;
		d->ts.y = sc->n > 0 ? d->rows - 1 : 0;
		break;
	case SC_LINES:
		d->ts.x = 0;
		d->ts.y = sc->top;
		break;
	default:		/* DECSTBM homes the cursor */
		d->ts.x = 0;
		d->ts.y = 0;
		break;
	}
	d->ts.known = 1;
	d->ts.pending = 0;
}

static void
do_scroll(struct diff *d, const struct scroll *sc)
{
	static const struct pen reset;
	struct seq s, best;
	int how, bhow = SC_REGION, r, src;

	/* The lines scrolled in take the pen's background. */
	set_pen(d, &reset);
	seq_init(&best);
	best.over = 1;
	for (how = 0; how < SC_N; how++)
		if (render_scroll(d, sc, how, &s) &&
		    seq_cost(&s) < seq_cost(&best)) {
			best = s;
			bhow = how;
		}
	emit_seq(d, &best);
	scroll_cursor(d, sc, bhow);
	for (r = sc->top; r <= sc->bot; r++) {
		src = r + sc->n;
		d->shown[r] = src >= sc->top && src <= sc->bot ?
		    d->from->cells + (size_t)src * d->cols : d->blank;
	}
}

/* ---- the screen ---------------------------------------------------------- */

static void
finish(struct diff *d)
{
	static const struct pen reset;

	d->painted = 1;
	move_to(d, d->to->cursor_x, d->to->cursor_y, 0);
	set_pen(d, &reset);
}

static void
paint(struct diff *d, const struct scroll *sc)
{
	int y;

	for (y = 0; y < d->rows; y++)
		d->shown[y] = d->cleared ? d->blank :
		    d->from->cells + (size_t)y * d->cols;
	d->done = 0;
	d->painted = 0;
	if (sc != NULL)
		do_scroll(d, sc);
	for (y = 0; y < d->rows && !d->done && d->err == 0; y++)
		paint_row(d, y);
	finish(d);
}

/* Paint without scrolling, then with each candidate scroll, and keep
 * the shortest. */
static void
paint_best(struct diff *d)
{
	struct scroll cand[SCROLL_CANDS];
	struct tstate start = d->ts;
	struct buf *dst = d->out, *tmp;
	size_t base = buf_len(dst), best;
	int i, n = scroll_candidates(d, cand);

	paint(d, NULL);
	if (d->err != 0)
		return;
	best = buf_len(dst) - base;
	for (i = 0; i < n && best > 1; i++) {
		if ((tmp = buf_new(best - 1)) == NULL)
			break;
		d->out = tmp;
		d->ts = start;
		paint(d, &cand[i]);
		if (d->err == 0) {
			buf_consume_end(dst, best);
			best = buf_len(tmp);
			d->out = dst;
			emit(d, buf_ptr(tmp), best);
		}
		d->err = 0;
		buf_free(tmp);
	}
	d->out = dst;
}

/* ---- modes, titles, the alternate screen --------------------------------- */

static const struct {
	uint32_t bit;
	uint16_t num;
} dec_modes[] = {
	{ TERM_MODE_CURSOR_KEYS, 1 },
	{ TERM_MODE_REVERSE, 5 },
	{ TERM_MODE_CURSOR_SHOWN, 25 },
	{ TERM_MODE_FOCUS, 1004 },
	{ TERM_MODE_BRACKETED, 2004 },
};
static const uint16_t mouse_num[] = { 0, 9, 1000, 1002, 1003 };
static const uint16_t enc_num[] = { 0, 1005, 1006 };

/* CSI ? list h, or l. */
struct modelist {
	struct seq s;
	int first;
};

static void
mode_add(struct modelist *m, unsigned int num)
{
	sgr_param(&m->s, &m->first, num);
}

static void
mode_emit(struct diff *d, struct modelist *m, uint8_t final)
{
	if (m->first)
		return;
	emit_str(d, "\033[?");
	seq_byte(&m->s, final);
	emit_seq(d, &m->s);
}

/* A mode that is one of several values: the new one set, or the old
 * one (all of them if unknown) reset. */
static void
mode_choice(struct modelist *set, struct modelist *rst,
    const uint16_t *nums, int count, int old, int new)
{
	int i;

	if (old == new)
		return;
	if (new != 0) {
		mode_add(set, nums[new]);
		return;
	}
	for (i = 1; i < count; i++)
		if (old == i || old < 0)
			mode_add(rst, nums[i]);
}

static void
modes(struct diff *d)
{
	const struct term_state *f = d->from, *t = d->to;
	struct modelist set = { .first = 1 }, rst = { .first = 1 };
	uint32_t fm = f ? f->modes : ~t->modes;
	size_t i;

	seq_init(&set.s);
	seq_init(&rst.s);
	if (f == NULL) {
		mode_add(&rst, 6);	/* origin mode off */
		mode_add(&set, 7);	/* autowrap on */
	}
	for (i = 0; i < sizeof(dec_modes) / sizeof(dec_modes[0]); i++)
		if ((fm ^ t->modes) & dec_modes[i].bit)
			mode_add((t->modes & dec_modes[i].bit) ? &set : &rst,
			    dec_modes[i].num);
	mode_choice(&set, &rst, mouse_num, 5, f ? f->mouse : -1, t->mouse);
	mode_choice(&set, &rst, enc_num, 3, f ? f->mouse_enc : -1,
	    t->mouse_enc);
	mode_emit(d, &rst, 'l');
	mode_emit(d, &set, 'h');
	if ((fm ^ t->modes) & TERM_MODE_KEYPAD)
		emit_str(d, (t->modes & TERM_MODE_KEYPAD) ? "\033=" : "\033>");
}

static void
osc(struct diff *d, char which, const char *text)
{
	char head[] = "\033]0;";

	head[2] = which;
	emit_str(d, head);
	emit_str(d, text);
	emit_str(d, "\a");
}

static void
titles(struct diff *d)
{
	const struct term_state *f = d->from, *t = d->to;
	int tch = f == NULL || strcmp(f->title, t->title) != 0;
	int ich = f == NULL || strcmp(f->icon, t->icon) != 0;

	if ((tch || ich) && strcmp(t->title, t->icon) == 0) {
		osc(d, '0', t->title);
		return;
	}
	if (ich)
		osc(d, '1', t->icon);
	if (tch)
		osc(d, '2', t->title);
}

static void
cursor_shape(struct diff *d)
{
	struct seq s;

	if (d->from != NULL && d->from->cursor_shape == d->to->cursor_shape)
		return;
	seq_init(&s);
	seq_str(&s, "\033[");
	if (d->to->cursor_shape != 0)
		seq_num(&s, d->to->cursor_shape);
	seq_str(&s, " q");
	emit_seq(d, &s);
}

/* From an unknown terminal: cancel any sequence in progress, leave the
 * alternate screen (restoring what its DECSC saved, reset next), and set
 * the canonical hidden state. */
static void
reset_hidden(struct diff *d)
{
	emit_str(d, "\030\033[?1049l\033[m\033[r\033[4;20l\033(B\017");
	memset(&d->ts, 0, sizeof(d->ts));
	d->ts.known = 1;	/* DECSTBM homes the cursor */
	d->ts.zwj = 1;
}

/* The cells are unknown: clear them, in the background the last cells
 * of to have, so that they need not be painted. */
static void
clear_screen(struct diff *d, int is_blank)
{
	uint32_t bg = TERM_COLOR_DEFAULT;
	size_t n = (size_t)d->cols * d->rows;
	int x;

	if (d->tail < n)
		bg = d->to->cells[n - 1].bg;
	if (!is_blank || bg != TERM_COLOR_DEFAULT) {
		set_erase_pen(d, bg);
		emit_str(d, "\033[2J");
	}
	for (x = 0; x < d->cols; x++) {
		memset(&d->blank[x], 0, sizeof(d->blank[x]));
		d->blank[x].bg = bg;
	}
	d->cleared = 1;
}

static void
prelude(struct diff *d)
{
	const struct term_state *f = d->from, *t = d->to;
	int alt = (t->modes & TERM_MODE_ALTSCREEN) != 0;
	int switched = f != NULL &&
	    ((f->modes ^ t->modes) & TERM_MODE_ALTSCREEN) != 0;

	if (f == NULL)
		reset_hidden(d);
	else if (switched) {
		emit_str(d, alt ? "\033[?1049h" : "\033[?1049l");
		d->ts.known = 0;
	}
	modes(d);
	if (f == NULL && alt)
		emit_str(d, "\033[?1049h");
	cursor_shape(d);
	titles(d);
	if (f != NULL && f->bells != t->bells)
		emit_str(d, "\a");
	/* Entering with ?1049h clears in the canonical (default) pen. */
	if (f == NULL || switched)
		clear_screen(d, alt);
}

/* ---- entry --------------------------------------------------------------- */

static void
diff_free(struct diff *d)
{
	free(d->shown);
	free(d->blank);
	free(d->row);
	free(d->hfrom);
	free(d->hto);
}

static int
diff_alloc(struct diff *d)
{
	size_t cols = (size_t)d->cols, rows = (size_t)d->rows;

	d->shown = calloc(rows, sizeof(*d->shown));
	d->blank = calloc(cols, sizeof(*d->blank));
	d->row = calloc(cols, sizeof(*d->row));
	d->hfrom = calloc(rows, sizeof(*d->hfrom));
	d->hto = calloc(rows, sizeof(*d->hto));
	if (d->shown == NULL || d->blank == NULL || d->row == NULL ||
	    d->hfrom == NULL || d->hto == NULL)
		return MP_ERR_ALLOC;
	return 0;
}

/* 1 if at most one row differs: no scroll can pay (a keystroke's echo,
 * a prediction), and the rows need no hashing. */
static int
one_row_changed(const struct diff *d)
{
	size_t rowsz = (size_t)d->cols * sizeof(struct term_cell);
	int y, changed = 0;

	for (y = 0; y < d->rows && changed < 2; y++)
		changed += memcmp(d->from->cells + (size_t)y * d->cols,
		    to_row(d, y), rowsz) != 0;
	return changed < 2;
}

/* Only a screen that was not cleared can scroll. */
static void
hash_rows(struct diff *d)
{
	int y;

	if (d->cleared || (d->no_scroll = one_row_changed(d)))
		return;
	d->hblank = row_hash(d->blank, d->cols);
	for (y = 0; y < d->rows; y++) {
		d->hto[y] = row_hash(to_row(d, y), d->cols);
		d->hfrom[y] = row_hash(d->from->cells + (size_t)y * d->cols,
		    d->cols);
	}
}

static int
diff_args(const struct term_state *from, const struct term_state *to)
{
	if (term_state_check(to) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	if (from == NULL)
		return 0;
	if (from->cols != to->cols || from->rows != to->rows ||
	    term_state_check_beside(from, to) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	return 0;
}

int
term_diff(const struct term_state *from, const struct term_state *to,
    struct buf *out)
{
	struct diff d;
	size_t start = buf_len(out);
	int r;

	if ((r = diff_args(from, to)) != 0)
		return r;
	memset(&d, 0, sizeof(d));
	d.from = from;
	d.to = to;
	d.cols = to->cols;
	d.rows = to->rows;
	d.out = out;
	d.model_y = -1;
	d.ts.known = 1;
	d.ts.x = from ? from->cursor_x : 0;
	d.ts.y = from ? from->cursor_y : 0;
	d.ts.zwj = 1;		/* the last diff may have left a join open */
	d.tail = blank_tail(to->cells, (size_t)d.cols * d.rows);
	if ((r = diff_alloc(&d)) == 0) {
		prelude(&d);
		hash_rows(&d);
		if (d.err == 0)
			paint_best(&d);
		r = d.err;
	}
	diff_free(&d);
	if (r != 0)
		buf_consume_end(out, buf_len(out) - start);
	return r;
}

/* screen.c: the cells of a screen and the operations on the shown one: printing, scrolling, erasing, inserting and deleting. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/term/screen.h"
#include "common/term/width.h"

int
scr_alloc(struct term_screen *s, uint16_t cols, uint16_t rows)
{
	size_t y;

	/* All-zero cells are erased cells with default colours. */
	s->cells = calloc((size_t)cols * rows, sizeof(*s->cells));
	s->line = calloc(rows, sizeof(*s->line));
	if (s->cells == NULL || s->line == NULL) {
		scr_free(s);
		return MP_ERR_ALLOC;
	}
	for (y = 0; y < rows; y++)
		s->line[y].c = s->cells + y * cols;
	return 0;
}

void
scr_free(struct term_screen *s)
{
	free(s->cells);
	free(s->line);
	s->cells = NULL;
	s->line = NULL;
}

/* Cells are written as three 64-bit words: the first holds ch and
 * comb[0], which are all a printed character changes. */
_Static_assert(sizeof(struct term_cell) == 24, "cell of three words");
_Static_assert(offsetof(struct term_cell, comb) == 4, "ch, comb[0] first");
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define CH_WORD(c)	((uint64_t)(c) << 32)
#else
#define CH_WORD(c)	((uint64_t)(c))
#endif

static inline void
put_words(struct term_cell *c, uint64_t w0, uint64_t w1, uint64_t w2)
{
	unsigned char *d = (unsigned char *)c;

	memcpy(d, &w0, 8);
	memcpy(d + 8, &w1, 8);
	memcpy(d + 16, &w2, 8);
}

/* n copies of tmpl (whose ch and comb[0] are 0), with ch from s[i]
 * if s is not NULL, mapped through the character set in GL if map. */
static void
put_cells(struct term_cell *c, const struct term_cell *tmpl, size_t n,
    const uint8_t *s, const struct term *map)
{
	const unsigned char *b = (const unsigned char *)tmpl;
	uint64_t w0, w1, w2;
	size_t i;

	memcpy(&w0, b, 8);
	memcpy(&w1, b + 8, 8);
	memcpy(&w2, b + 16, 8);
	if (s == NULL) {
		for (i = 0; i < n; i++)
			put_words(&c[i], w0, w1, w2);
	} else if (map == NULL) {
		for (i = 0; i < n; i++)
			put_words(&c[i], CH_WORD(s[i]), w1, w2);
	} else {
		for (i = 0; i < n; i++)
			put_words(&c[i], CH_WORD(term_map(map, s[i])), w1, w2);
	}
}

static void
fill(struct term_cell *c, size_t n, uint32_t bg)
{
	struct term_cell b = term_blank(bg);

	if (bg == TERM_COLOR_DEFAULT)
		memset(c, 0, n * sizeof(*c));	/* erased cells are zeros */
	else
		put_cells(c, &b, n, NULL, NULL);
}

void
scr_clear(struct term_screen *s, uint16_t cols, uint16_t rows, uint32_t bg)
{
	size_t y;

	for (y = 0; y < rows; y++) {
		fill(s->line[y].c, cols, bg);
		s->line[y].wrapped = 0;
	}
}

/* Copy src into the fresh dst of another size, dropping shift lines at
 * the top of src; the other lines are cut at the bottom or padded. */
void
scr_copy(struct term_screen *dst, uint16_t dcols, uint16_t drows,
    struct term_screen *src, uint16_t scols, uint16_t srows,
    unsigned int shift)
{
	unsigned int y, n = dcols < scols ? dcols : scols;

	for (y = 0; y < drows && y + shift < srows; y++) {
		struct term_line *l = &src->line[y + shift];

		term_split(l->c, scols, dcols);
		memcpy(dst->line[y].c, l->c, n * sizeof(*l->c));
		dst->line[y].wrapped = l->wrapped;
	}
}

/* The slow half of term_split(): the wide character at x-1 goes. */
void
term_split_at(struct term_cell *row, unsigned int x)
{
	row[x - 1] = term_blank(row[x - 1].bg);
	row[x] = term_blank(row[x].bg);
}

static void
reverse(struct term_line *l, unsigned int a, unsigned int b)
{
	struct term_line tmp;

	while (a + 1 < b) {
		tmp = l[a];
		l[a++] = l[--b];
		l[b] = tmp;
	}
}

/* Lines [a, b) become [a + n, b) followed by [a, a + n). */
static void
rotate(struct term_line *l, unsigned int a, unsigned int b, unsigned int n)
{
	struct term_line tmp[16];
	unsigned int m = b - a - n;

	if (n == 0 || m == 0)
		return;
	if (n <= 16) {
		memcpy(tmp, l + a, n * sizeof(*l));
		memmove(l + a, l + a + n, m * sizeof(*l));
		memcpy(l + b - n, tmp, n * sizeof(*l));
	} else if (m <= 16) {
		memcpy(tmp, l + a + n, m * sizeof(*l));
		memmove(l + a + m, l + a, n * sizeof(*l));
		memcpy(l + a, tmp, m * sizeof(*l));
	} else {
		reverse(l, a, a + n);
		reverse(l, a + n, b);
		reverse(l, a, b);
	}
}

static void
blank_lines(struct term *t, unsigned int a, unsigned int b)
{
	for (; a < b; a++) {
		fill(term_row(t, a), t->cols, t->cur.pen.bg);
		term_line(t, a)->wrapped = 0;
	}
}

/* Scroll lines top..bot up by n; with sb, the lines leaving the top of
 * the whole primary screen go to the scrollback callback. */
static void
scroll_up(struct term *t, unsigned int top, unsigned int bot,
    unsigned int n, int sb)
{
	unsigned int i, len = bot - top + 1;

	if (n > len)
		n = len;
	if (n == 0)
		return;
	if (sb && !t->alt && top == 0 && bot + 1u == t->rows &&
	    t->cb.scrollback != NULL) {
		for (i = 0; i < n; i++)
			t->cb.scrollback(t->arg, term_row(t, i), t->cols,
			    term_line(t, i)->wrapped);
	}
	rotate(t->scr[t->alt].line, top, bot + 1, n);
	blank_lines(t, bot + 1 - n, bot + 1);
}

void
term_scroll_up(struct term *t, unsigned int top, unsigned int bot,
    unsigned int n)
{
	scroll_up(t, top, bot, n, 1);
}

void
term_scroll_down(struct term *t, unsigned int top, unsigned int bot,
    unsigned int n)
{
	unsigned int len = bot - top + 1;

	if (n > len)
		n = len;
	if (n == 0)
		return;
	rotate(t->scr[t->alt].line, top, bot + 1, len - n);
	blank_lines(t, top, top + n);
}

/* Erase columns [x0, x1) of line y with the current background. */
void
term_erase(struct term *t, unsigned int y, unsigned int x0, unsigned int x1)
{
	struct term_cell *row = term_row(t, y);

	if (x1 > t->cols)
		x1 = t->cols;
	if (x0 >= x1)
		return;
	term_split(row, t->cols, x0);
	term_split(row, t->cols, x1);
	fill(row + x0, x1 - x0, t->cur.pen.bg);
	if (x1 == t->cols)
		term_line(t, y)->wrapped = 0;
}

/* ED: 0 below, 1 above, 2 all (3, the saved lines, is not ours). */
void
term_erase_display(struct term *t, unsigned int how)
{
	unsigned int y = t->cur.y;

	t->wrapnext = 0;
	if (how == 0) {
		term_erase(t, y, t->cur.x, t->cols);
		blank_lines(t, y + 1, t->rows);
	} else if (how == 1) {
		blank_lines(t, 0, y);
		term_erase(t, y, 0, t->cur.x + 1u);
	} else if (how == 2)
		blank_lines(t, 0, t->rows);
}

/* EL: 0 right, 1 left, 2 all of the cursor's line. */
void
term_erase_line(struct term *t, unsigned int how)
{
	t->wrapnext = 0;
	if (how == 0)
		term_erase(t, t->cur.y, t->cur.x, t->cols);
	else if (how == 1)
		term_erase(t, t->cur.y, 0, t->cur.x + 1u);
	else if (how == 2)
		term_erase(t, t->cur.y, 0, t->cols);
}

/* Shift row right from x by n (n <= cols - x), blanking the gap. */
static void
cells_insert(struct term *t, struct term_cell *row, unsigned int x,
    unsigned int n)
{
	term_split(row, t->cols, x);
	term_split(row, t->cols, t->cols - n);
	memmove(row + x + n, row + x, (t->cols - x - n) * sizeof(*row));
	fill(row + x, n, t->cur.pen.bg);
}

void
term_insert_cells(struct term *t, unsigned int n)
{
	unsigned int x = t->cur.x;

	if (n > t->cols - x)
		n = t->cols - x;
	t->wrapnext = 0;
	cells_insert(t, term_row(t, t->cur.y), x, n);
}

void
term_delete_cells(struct term *t, unsigned int n)
{
	struct term_cell *row = term_row(t, t->cur.y);
	unsigned int x = t->cur.x;

	if (n > t->cols - x)
		n = t->cols - x;
	t->wrapnext = 0;
	term_split(row, t->cols, x);
	term_split(row, t->cols, x + n);
	memmove(row + x, row + x + n, (t->cols - x - n) * sizeof(*row));
	fill(row + t->cols - n, n, t->cur.pen.bg);
}

/* IL and DL work inside the scroll region only, and return the cursor
 * to the first column. */
void
term_insert_lines(struct term *t, unsigned int n)
{
	if (t->cur.y < t->top || t->cur.y > t->bot)
		return;
	term_scroll_down(t, t->cur.y, t->bot, n);
	term_goto(t, 0, t->cur.y);
}

void
term_delete_lines(struct term *t, unsigned int n)
{
	if (t->cur.y < t->top || t->cur.y > t->bot)
		return;
	scroll_up(t, t->cur.y, t->bot, n, 0);
	term_goto(t, 0, t->cur.y);
}

void
term_index(struct term *t)
{
	t->wrapnext = 0;
	if (t->cur.y == t->bot)
		term_scroll_up(t, t->top, t->bot, 1);
	else if (t->cur.y + 1u < t->rows)
		t->cur.y++;
}

void
term_reverse_index(struct term *t)
{
	t->wrapnext = 0;
	if (t->cur.y == t->top)
		term_scroll_down(t, t->top, t->bot, 1);
	else if (t->cur.y > 0)
		t->cur.y--;
}

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void
term_goto(struct term *t, int x, int y)
{
	t->cur.x = (uint16_t)clamp(x, 0, t->cols - 1);
	t->cur.y = (uint16_t)clamp(y, 0, t->rows - 1);
	t->wrapnext = 0;
}

/* y relative to the scroll region and kept inside it in origin mode. */
void
term_goto_origin(struct term *t, int x, int y)
{
	if (t->flags & TF_ORIGIN)
		y = clamp(y + t->top, t->top, t->bot);
	term_goto(t, x, y);
}

/* Autowrap: continue at the start of the next line. */
static void
wrap(struct term *t)
{
	term_line(t, t->cur.y)->wrapped = 1;
	term_index(t);
	t->cur.x = 0;
}

/* The cursor after a character ending before column nx. */
static void
advance(struct term *t, unsigned int nx)
{
	if (nx >= t->cols) {
		t->cur.x = t->cols - 1;
		t->wrapnext = (t->flags & TF_AUTOWRAP) != 0;
	} else
		t->cur.x = (uint16_t)nx;
}

/* Where the next character of width w goes; wraps as needed. */
static inline unsigned int
place(struct term *t, unsigned int w)
{
	if (t->wrapnext && (t->flags & TF_AUTOWRAP))
		wrap(t);
	t->wrapnext = 0;
	if (t->cur.x + w > t->cols) {
		if (t->flags & TF_AUTOWRAP)
			wrap(t);
		else
			t->cur.x = (uint16_t)(t->cols - w);
	}
	return t->cur.x;
}

static struct term_cell
pen_cell(const struct term *t, uint32_t ch)
{
	struct term_cell c = { ch, { 0 }, t->cur.pen.fg, t->cur.pen.bg,
	    t->cur.pen.attrs, 0 };

	return c;
}

static void
remember(struct term *t, unsigned int x, uint32_t ch)
{
	t->last_x = (uint16_t)x;
	t->last_y = t->cur.y;
	t->last_valid = 1;
	t->zwj = 0;
	t->last_ch = ch;
}

/* Write a run of n <= cols - x narrow characters at the cursor. */
static void
put_run(struct term *t, const uint8_t *s, size_t n)
{
	struct term_cell *row, c = pen_cell(t, 0);
	unsigned int x = place(t, 1);

	row = term_row(t, t->cur.y);
	if (t->flags & TF_INSERT)
		cells_insert(t, row, x, (unsigned int)n);
	term_split(row, t->cols, x);
	term_split(row, t->cols, x + (unsigned int)n);
	put_cells(row + x, &c, n, s, term_gl_mapped(t) ? t : NULL);
	remember(t, x + (unsigned int)n - 1, row[x + n - 1].ch);
	advance(t, x + (unsigned int)n);
}

/* Printable ASCII (0x20-0x7e), the fast path. */
void
term_put_ascii(struct term *t, const uint8_t *s, size_t n)
{
	size_t room, k;

	while (n > 0) {
		if (t->wrapnext && (t->flags & TF_AUTOWRAP)) {
			wrap(t);
			t->wrapnext = 0;
		}
		room = t->cols - t->cur.x;
		if (n > room && !(t->flags & TF_AUTOWRAP)) {
			/* Past the margin each character overwrites the
			 * last column: only the last one stays. */
			if (room > 1)
				put_run(t, s, room - 1);
			put_run(t, s + n - 1, 1);
			return;
		}
		k = n < room ? n : room;
		put_run(t, s, k);
		s += k;
		n -= k;
	}
}

static void
put_glyph(struct term *t, uint32_t cp, unsigned int w)
{
	struct term_cell *row, c = pen_cell(t, 0);
	unsigned int x;

	if (w > t->cols)
		return;		/* a wide character in one column */
	x = place(t, w);
	row = term_row(t, t->cur.y);
	if (t->flags & TF_INSERT)
		cells_insert(t, row, x, w);
	term_split(row, t->cols, x);
	term_split(row, t->cols, x + w);
	put_cells(row + x, &c, 1, NULL, NULL);
	row[x].ch = cp;
	if (w == 2) {
		put_cells(row + x + 1, &c, 1, NULL, NULL);
		row[x + 1].ch = TERM_CH_WIDE_CONT;
	}
	remember(t, x, cp);
	advance(t, x + w);
}

/* Add cp to the combining marks of the cell printed last; 0 if there
 * is no such cell or no room. */
static int
combine(struct term *t, uint32_t cp)
{
	struct term_cell *c;
	int i;

	if (!t->last_valid)
		return 0;
	c = &term_row(t, t->last_y)[t->last_x];
	for (i = 0; i < TERM_COMBINING_MAX; i++) {
		if (c->comb[i] == 0) {
			c->comb[i] = cp;
			return 1;
		}
	}
	return 0;
}

/*
 * Any graphic character. Zero-width ones join the previous cell; so
 * does an Extended_Pictographic character right after a ZWJ that was
 * kept there (an emoji ZWJ sequence shows in the cell of its first
 * emoji).
 */
void
term_put_char(struct term *t, uint32_t cp)
{
	unsigned int props;

	if (cp < 0x80 && term_gl_mapped(t))
		cp = term_map(t, cp);
	props = term_wprops(cp);
	/* A control since the ZWJ (last_valid cleared) ends the join. */
	if (t->zwj && t->last_valid && (props & TERM_WPROP_PICT)) {
		combine(t, cp);
		t->zwj = 0;
		return;
	}
	if ((props & TERM_WPROP_WIDTH) == 0) {
		t->zwj = combine(t, cp) && cp == TERM_ZWJ;
		return;
	}
	put_glyph(t, cp, props & TERM_WPROP_WIDTH);
}

/* REP: the last graphic character n more times. */
void
term_repeat(struct term *t, unsigned int n)
{
	unsigned int w;

	if (t->last_ch == 0)
		return;
	w = (unsigned int)term_wcwidth(t->last_ch);
	while (n-- > 0)
		put_glyph(t, t->last_ch, w);
}

/* DECALN: the screen full of E, margins reset, cursor home. */
void
term_align(struct term *t)
{
	struct term_cell e = { 'E', { 0 }, TERM_COLOR_DEFAULT,
	    TERM_COLOR_DEFAULT, 0, 0 };
	unsigned int x, y;

	for (y = 0; y < t->rows; y++) {
		for (x = 0; x < t->cols; x++)
			term_row(t, y)[x] = e;
		term_line(t, y)->wrapped = 0;
	}
	t->top = 0;
	t->bot = t->rows - 1;
	term_goto(t, 0, 0);
}

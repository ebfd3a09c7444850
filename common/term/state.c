/* state.c: terminal state snapshots: blank, copy, compare, validate, and the compact versioned byte form (docs/terminal-state.md). */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"

#define STATE_VERSION		1

/* Cell records (docs/terminal-state.md). */
#define REC_REPEAT_SHORT_MAX	0x1f	/* 0x00-0x1f: repeat 1-32 times */
#define REC_REPEAT_LONG		0x7f	/* repeat 33 + varint times */
#define REPEAT_SHORT_COUNT	32
#define REC_CELL		0x80	/* a cell header: */
#define HDR_FORM_MASK		0x03	/* how ch is given: */
#define HDR_FORM_BLANK		0x00	/* ch 0 */
#define HDR_FORM_CONT		0x01	/* TERM_CH_WIDE_CONT */
#define HDR_FORM_CHAR		0x02	/* varint */
#define HDR_FG			0x04
#define HDR_BG			0x08
#define HDR_ATTRS		0x10
#define HDR_COMB		0x20
#define HDR_RESERVED		0x40

#define ATTRS_KNOWN		(TERM_ATTR_BOLD | TERM_ATTR_FAINT | \
    TERM_ATTR_ITALIC | TERM_ATTR_BLINK | TERM_ATTR_INVERSE | \
    TERM_ATTR_INVISIBLE | TERM_ATTR_STRIKE | TERM_ATTR_UL_MASK)
#define MODES_KNOWN		0x7fu
#define CURSOR_SHAPE_MAX	6

_Static_assert(sizeof(struct term_cell) == 24, "term_cell has padding");

/* ---- checks -------------------------------------------------------------- */

/* A code point a cell may hold: a Unicode scalar that is not a C0 or C1
 * control or DEL. */
static int
printable_scalar(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return 0;
	return c <= 0x10ffff && (c < 0xd800 || c > 0xdfff);
}

static int
color_valid(uint32_t c)
{
	switch (TERM_COLOR_KIND(c)) {
	case 0:
		return c == TERM_COLOR_DEFAULT;
	case 1:
		return (c & 0x00ffff00u) == 0;
	case 2:
		return 1;
	default:
		return 0;
	}
}

static int
comb_valid(const struct term_cell *c)
{
	int i, end = 0;

	for (i = 0; i < TERM_COMBINING_MAX; i++) {
		if (c->comb[i] == 0)
			end = 1;
		else if (end || !printable_scalar(c->comb[i]))
			return 0;
	}
	/* Marks sit on a character, never on an erased or right half. */
	return c->comb[0] == 0 || printable_scalar(c->ch);
}

static int
same_pen(const struct term_cell *a, const struct term_cell *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attrs == b->attrs;
}

/* One cell on its own: fields well-formed. */
static int
cell_valid(const struct term_cell *c)
{
	/* Most cells: erased or ASCII, no marks, the default pen. */
	if ((c->ch == 0 || (c->ch >= 0x20 && c->ch < 0x7f)) &&
	    (c->comb[0] | c->comb[1] | c->fg | c->bg | c->attrs |
	    c->reserved) == 0)
		return 1;
	if (c->reserved != 0 || (c->attrs & ~ATTRS_KNOWN) != 0 ||
	    ((c->attrs & TERM_ATTR_UL_MASK) >> TERM_ATTR_UL_SHIFT) >
	    TERM_UL_DASHED)
		return 0;
	if (!color_valid(c->fg) || !color_valid(c->bg))
		return 0;
	if (c->ch != 0 && c->ch != TERM_CH_WIDE_CONT &&
	    !printable_scalar(c->ch))
		return 0;
	return comb_valid(c);
}

/* A row: each cell valid, each right half after a left half of the same
 * pen. */
static int
row_valid(const struct term_cell *row, uint16_t cols)
{
	uint16_t x;

	for (x = 0; x < cols; x++) {
		if (!cell_valid(&row[x]))
			return 0;
		if (row[x].ch != TERM_CH_WIDE_CONT)
			continue;
		if (x == 0 || row[x - 1].ch == 0 ||
		    row[x - 1].ch == TERM_CH_WIDE_CONT ||
		    !same_pen(&row[x], &row[x - 1]))
			return 0;
	}
	return 1;
}

/* Length of the UTF-8 sequence at p (at most len bytes) holding one
 * printable scalar, or 0. */
static size_t
utf8_scalar(const uint8_t *p, size_t len)
{
	uint32_t c;
	size_t n, i;

	if (p[0] < 0x80)
		n = 1, c = p[0];
	else if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms decode below the smallest value of their length. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000))
		return 0;
	return printable_scalar(c) ? n : 0;
}

/* A title: valid UTF-8 of printable scalars, at most TERM_TITLE_MAX
 * bytes. */
static int
text_valid(const uint8_t *p, size_t len)
{
	size_t n;

	if (len > TERM_TITLE_MAX)
		return 0;
	while (len > 0) {
		if ((n = utf8_scalar(p, len)) == 0)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

static int
title_valid(const char *t)
{
	size_t len = strnlen(t, TERM_TITLE_MAX + 1);

	return len <= TERM_TITLE_MAX && text_valid((const uint8_t *)t, len);
}

static int
size_valid(uint16_t cols, uint16_t rows)
{
	return cols >= 1 && cols <= TERM_COLS_MAX && rows >= 1 &&
	    rows <= TERM_ROWS_MAX && (size_t)cols * rows <= TERM_CELLS_MAX;
}

/* The rows of s that differ from those of same (a valid state of the same
 * size; NULL: every row) are valid. */
static int
rows_valid(const struct term_state *s, const struct term_state *same)
{
	size_t row = (size_t)s->cols * sizeof(*s->cells), off;
	uint16_t y;

	for (y = 0; y < s->rows; y++) {
		off = (size_t)y * s->cols;
		if (same != NULL &&
		    memcmp(s->cells + off, same->cells + off, row) == 0)
			continue;
		if (!row_valid(s->cells + off, s->cols))
			return 0;
	}
	return 1;
}

static int
state_valid(const struct term_state *s, const struct term_state *same)
{
	if (!size_valid(s->cols, s->rows) || s->cells == NULL)
		return 0;
	if (s->cursor_x >= s->cols || s->cursor_y >= s->rows ||
	    s->cursor_shape > CURSOR_SHAPE_MAX ||
	    s->mouse > TERM_MOUSE_ANY || s->mouse_enc > TERM_MOUSE_ENC_SGR ||
	    (s->modes & ~MODES_KNOWN) != 0)
		return 0;
	if (!title_valid(s->title) || !title_valid(s->icon))
		return 0;
	return rows_valid(s, same);
}

int
term_state_check(const struct term_state *s)
{
	return state_valid(s, NULL) ? 0 : MP_ERR_INVALID_FORMAT;
}

int
term_state_check_beside(const struct term_state *s,
    const struct term_state *valid)
{
	if (valid->cols != s->cols || valid->rows != s->rows)
		return term_state_check(s);
	return state_valid(s, valid) ? 0 : MP_ERR_INVALID_FORMAT;
}

/* ---- blank, free, copy, compare ------------------------------------------ */

int
term_state_init(struct term_state *s, uint16_t cols, uint16_t rows)
{
	memset(s, 0, sizeof(*s));
	if (!size_valid(cols, rows))
		return MP_ERR_INVALID_ARGUMENT;
	/* All-zero cells are erased cells in the default colours. */
	if ((s->cells = calloc((size_t)cols * rows, sizeof(*s->cells))) ==
	    NULL)
		return MP_ERR_ALLOC;
	s->cols = cols;
	s->rows = rows;
	s->modes = TERM_MODE_CURSOR_SHOWN;
	return 0;
}

void
term_state_free(struct term_state *s)
{
	if (s == NULL)
		return;
	free(s->cells);
	memset(s, 0, sizeof(*s));
}

int
term_state_copy(struct term_state *dst, const struct term_state *src)
{
	size_t n;

	memset(dst, 0, sizeof(*dst));
	if (!size_valid(src->cols, src->rows) || src->cells == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	n = (size_t)src->cols * src->rows * sizeof(*src->cells);
	if ((dst->cells = malloc(n)) == NULL)
		return MP_ERR_ALLOC;
	memcpy(dst->cells, src->cells, n);
	dst->cols = src->cols;
	dst->rows = src->rows;
	dst->cursor_x = src->cursor_x;
	dst->cursor_y = src->cursor_y;
	dst->cursor_shape = src->cursor_shape;
	dst->mouse = src->mouse;
	dst->mouse_enc = src->mouse_enc;
	dst->modes = src->modes;
	dst->bells = src->bells;
	memcpy(dst->title, src->title, sizeof(dst->title));
	memcpy(dst->icon, src->icon, sizeof(dst->icon));
	return 0;
}

static int
title_equal(const char *a, const char *b)
{
	return strncmp(a, b, TERM_TITLE_MAX + 1) == 0;
}

int
term_state_equal(const struct term_state *a, const struct term_state *b)
{
	if (a->cols != b->cols || a->rows != b->rows ||
	    a->cursor_x != b->cursor_x || a->cursor_y != b->cursor_y ||
	    a->cursor_shape != b->cursor_shape || a->mouse != b->mouse ||
	    a->mouse_enc != b->mouse_enc || a->modes != b->modes ||
	    a->bells != b->bells)
		return 0;
	if (!title_equal(a->title, b->title) || !title_equal(a->icon, b->icon))
		return 0;
	if (a->cells == NULL || b->cells == NULL)
		return a->cells == b->cells;
	return memcmp(a->cells, b->cells,
	    (size_t)a->cols * a->rows * sizeof(*a->cells)) == 0;
}

/* ---- writing ------------------------------------------------------------- */

static int
put_varint(struct buf *out, uint32_t v)
{
	int r;

	while (v >= 0x80) {
		if ((r = buf_put_u8(out, (uint8_t)(v | 0x80))) != 0)
			return r;
		v >>= 7;
	}
	return buf_put_u8(out, (uint8_t)v);
}

static int
put_color(struct buf *out, uint32_t c)
{
	uint8_t b[4];
	size_t n;

	b[0] = (uint8_t)TERM_COLOR_KIND(c);
	b[1] = (uint8_t)(c >> 16);
	b[2] = (uint8_t)(c >> 8);
	b[3] = (uint8_t)c;
	switch (b[0]) {
	case 0:
		n = 1;
		break;
	case 1:
		b[1] = b[3];
		n = 2;
		break;
	default:
		n = 4;
		break;
	}
	return buf_put(out, b, n);
}

static int
put_repeat(struct buf *out, size_t n)
{
	int r;

	if (n <= REPEAT_SHORT_COUNT)
		return buf_put_u8(out, (uint8_t)(n - 1));
	if ((r = buf_put_u8(out, REC_REPEAT_LONG)) != 0)
		return r;
	return put_varint(out, (uint32_t)(n - REPEAT_SHORT_COUNT - 1));
}

static int
comb_count(const struct term_cell *c)
{
	int n = 0;

	while (n < TERM_COMBINING_MAX && c->comb[n] != 0)
		n++;
	return n;
}

static uint8_t
cell_header(const struct term_cell *c, const struct term_cell *pen)
{
	uint8_t h = REC_CELL;

	if (c->ch == TERM_CH_WIDE_CONT)
		h |= HDR_FORM_CONT;
	else if (c->ch != 0)
		h |= HDR_FORM_CHAR;
	if (c->fg != pen->fg)
		h |= HDR_FG;
	if (c->bg != pen->bg)
		h |= HDR_BG;
	if (c->attrs != pen->attrs)
		h |= HDR_ATTRS;
	if (c->comb[0] != 0)
		h |= HDR_COMB;
	return h;
}

/* One cell, its colours and attributes as a change from pen. */
static int
put_cell(struct buf *out, const struct term_cell *c,
    const struct term_cell *pen)
{
	uint8_t h = cell_header(c, pen);
	int i, n, r;

	if (h == (REC_CELL | HDR_FORM_CHAR) && c->ch < 0x7f)
		return buf_put_u8(out, (uint8_t)c->ch);
	if ((r = buf_put_u8(out, h)) != 0)
		return r;
	if ((h & HDR_FORM_MASK) == HDR_FORM_CHAR &&
	    (r = put_varint(out, c->ch)) != 0)
		return r;
	if ((h & HDR_FG) && (r = put_color(out, c->fg)) != 0)
		return r;
	if ((h & HDR_BG) && (r = put_color(out, c->bg)) != 0)
		return r;
	if ((h & HDR_ATTRS) && (r = put_varint(out, c->attrs)) != 0)
		return r;
	if ((h & HDR_COMB) == 0)
		return 0;
	n = comb_count(c);
	if ((r = buf_put_u8(out, (uint8_t)n)) != 0)
		return r;
	for (i = 0; i < n; i++)
		if ((r = put_varint(out, c->comb[i])) != 0)
			return r;
	return 0;
}

static int
cell_equal(const struct term_cell *a, const struct term_cell *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static int
put_cells(struct buf *out, const struct term_state *s)
{
	static const struct term_cell blank;
	const struct term_cell *c = s->cells, *prev = &blank;
	size_t i, j, n = (size_t)s->cols * s->rows;
	int r;

	for (i = 0; i < n; i = j) {
		if ((r = put_cell(out, &c[i], prev)) != 0)
			return r;
		for (j = i + 1; j < n && cell_equal(&c[j], &c[i]); j++)
			;
		if (j > i + 1 && (r = put_repeat(out, j - i - 1)) != 0)
			return r;
		prev = &c[i];
	}
	return 0;
}

static int
put_header(struct buf *out, const struct term_state *s)
{
	size_t tlen = strlen(s->title), ilen = strlen(s->icon);
	int r;

	if ((r = buf_put_u8(out, STATE_VERSION)) != 0 ||
	    (r = put_varint(out, s->cols)) != 0 ||
	    (r = put_varint(out, s->rows)) != 0 ||
	    (r = put_varint(out, s->cursor_x)) != 0 ||
	    (r = put_varint(out, s->cursor_y)) != 0 ||
	    (r = buf_put_u8(out, (uint8_t)(s->cursor_shape |
	    s->mouse << 3 | s->mouse_enc << 6))) != 0 ||
	    (r = put_varint(out, s->modes)) != 0 ||
	    (r = put_varint(out, s->bells)) != 0 ||
	    (r = put_varint(out, (uint32_t)tlen)) != 0 ||
	    (r = buf_put(out, s->title, tlen)) != 0)
		return r;
	/* An icon name equal to the title is the usual case (OSC 0). */
	if (strcmp(s->icon, s->title) == 0)
		return put_varint(out, 0);
	if ((r = put_varint(out, (uint32_t)ilen + 1)) != 0)
		return r;
	return buf_put(out, s->icon, ilen);
}

int
term_state_serialize(const struct term_state *s, struct buf *out)
{
	size_t start = buf_len(out);
	int r;

	if (term_state_check(s) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = put_header(out, s)) == 0 && (r = put_cells(out, s)) == 0)
		return 0;
	buf_consume_end(out, buf_len(out) - start);
	return r;
}

/* ---- parsing ------------------------------------------------------------- */

struct rd {
	const uint8_t *p;
	size_t len;
	size_t off;
};

static int
get_u8(struct rd *rd, uint8_t *v)
{
	if (rd->off >= rd->len)
		return MP_ERR_INCOMPLETE;
	*v = rd->p[rd->off++];
	return 0;
}

/* A minimal LEB128 value of at most max. */
static int
get_varint(struct rd *rd, uint32_t max, uint32_t *v)
{
	uint64_t acc = 0;
	uint8_t b;
	int shift, r;

	for (shift = 0; shift < 35; shift += 7) {
		if ((r = get_u8(rd, &b)) != 0)
			return r;
		acc |= (uint64_t)(b & 0x7f) << shift;
		if (acc > max)
			return MP_ERR_INVALID_FORMAT;
		if ((b & 0x80) != 0)
			continue;
		if (b == 0 && shift > 0)
			return MP_ERR_INVALID_FORMAT;	/* not minimal */
		*v = (uint32_t)acc;
		return 0;
	}
	return MP_ERR_INVALID_FORMAT;
}

static int
get_varint16(struct rd *rd, uint16_t *v)
{
	uint32_t x;
	int r;

	if ((r = get_varint(rd, UINT16_MAX, &x)) != 0)
		return r;
	*v = (uint16_t)x;
	return 0;
}

static int
get_bytes(struct rd *rd, size_t n, const uint8_t **p)
{
	if (n > rd->len - rd->off)
		return MP_ERR_INCOMPLETE;
	*p = rd->p + rd->off;
	rd->off += n;
	return 0;
}

static int
get_text(struct rd *rd, size_t len, char out[TERM_TITLE_MAX + 1])
{
	const uint8_t *p;
	int r;

	if (len > TERM_TITLE_MAX)
		return MP_ERR_TOO_LARGE;
	if ((r = get_bytes(rd, len, &p)) != 0)
		return r;
	if (!text_valid(p, len))
		return MP_ERR_INVALID_FORMAT;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int
get_titles(struct rd *rd, struct term_state *s)
{
	uint32_t len;
	int r;

	if ((r = get_varint(rd, TERM_TITLE_MAX, &len)) != 0 ||
	    (r = get_text(rd, len, s->title)) != 0 ||
	    (r = get_varint(rd, TERM_TITLE_MAX + 1, &len)) != 0)
		return r;
	if (len == 0) {
		memcpy(s->icon, s->title, sizeof(s->icon));
		return 0;
	}
	if ((r = get_text(rd, len - 1, s->icon)) != 0)
		return r;
	return strcmp(s->icon, s->title) == 0 ? MP_ERR_INVALID_FORMAT : 0;
}

static int
get_header(struct rd *rd, struct term_state *s)
{
	uint8_t v, packed;
	int r;

	if ((r = get_u8(rd, &v)) != 0)
		return r;
	if (v != STATE_VERSION)
		return MP_ERR_INVALID_FORMAT;
	if ((r = get_varint16(rd, &s->cols)) != 0 ||
	    (r = get_varint16(rd, &s->rows)) != 0)
		return r;
	if (!size_valid(s->cols, s->rows))
		return MP_ERR_TOO_LARGE;
	if ((r = get_varint16(rd, &s->cursor_x)) != 0 ||
	    (r = get_varint16(rd, &s->cursor_y)) != 0 ||
	    (r = get_u8(rd, &packed)) != 0 ||
	    (r = get_varint(rd, MODES_KNOWN, &s->modes)) != 0 ||
	    (r = get_varint(rd, UINT32_MAX, &s->bells)) != 0)
		return r;
	s->cursor_shape = packed & 0x07;
	s->mouse = (packed >> 3) & 0x07;
	s->mouse_enc = packed >> 6;
	return get_titles(rd, s);
}

static int
get_color(struct rd *rd, uint32_t *c)
{
	const uint8_t *p;
	uint8_t kind;
	int r;

	if ((r = get_u8(rd, &kind)) != 0)
		return r;
	switch (kind) {
	case 0:
		*c = TERM_COLOR_DEFAULT;
		return 0;
	case 1:
		if ((r = get_bytes(rd, 1, &p)) != 0)
			return r;
		*c = TERM_COLOR_INDEX(p[0]);
		return 0;
	case 2:
		if ((r = get_bytes(rd, 3, &p)) != 0)
			return r;
		*c = TERM_COLOR_RGB(p[0], p[1], p[2]);
		return 0;
	default:
		return MP_ERR_INVALID_FORMAT;
	}
}

static int
get_comb(struct rd *rd, struct term_cell *c)
{
	uint8_t n;
	int i, r;

	if ((r = get_u8(rd, &n)) != 0)
		return r;
	if (n == 0 || n > TERM_COMBINING_MAX)
		return MP_ERR_INVALID_FORMAT;
	for (i = 0; i < n; i++) {
		if ((r = get_varint(rd, 0x10ffff, &c->comb[i])) != 0)
			return r;
		if (c->comb[i] == 0)
			return MP_ERR_INVALID_FORMAT;
	}
	return 0;
}

/* The fields a header announces; each must differ from pen. */
static int
get_cell_fields(struct rd *rd, uint8_t h, struct term_cell *c,
    const struct term_cell *pen)
{
	uint32_t v;
	int r;

	if ((h & HDR_FG) && ((r = get_color(rd, &c->fg)) != 0 ||
	    c->fg == pen->fg))
		return r ? r : MP_ERR_INVALID_FORMAT;
	if ((h & HDR_BG) && ((r = get_color(rd, &c->bg)) != 0 ||
	    c->bg == pen->bg))
		return r ? r : MP_ERR_INVALID_FORMAT;
	if (h & HDR_ATTRS) {
		if ((r = get_varint(rd, UINT16_MAX, &v)) != 0)
			return r;
		c->attrs = (uint16_t)v;
		if (c->attrs == pen->attrs)
			return MP_ERR_INVALID_FORMAT;
	}
	return (h & HDR_COMB) ? get_comb(rd, c) : 0;
}

/* A cell record (header byte h already read); pen gives the colours and
 * attributes not announced. */
static int
get_cell(struct rd *rd, uint8_t h, struct term_cell *c,
    const struct term_cell *pen)
{
	uint32_t ch;
	int r;

	memset(c, 0, sizeof(*c));
	c->fg = pen->fg;
	c->bg = pen->bg;
	c->attrs = pen->attrs;
	if (h < REC_CELL) {
		c->ch = h;
		return 0;
	}
	if ((h & HDR_RESERVED) != 0)
		return MP_ERR_INVALID_FORMAT;
	switch (h & HDR_FORM_MASK) {
	case HDR_FORM_BLANK:
		break;
	case HDR_FORM_CONT:
		c->ch = TERM_CH_WIDE_CONT;
		break;
	case HDR_FORM_CHAR:
		if ((r = get_varint(rd, 0x10ffff, &ch)) != 0)
			return r;
		/* 0 has its own form; plain ASCII is a literal byte. */
		if (ch == 0 || (ch < 0x7f &&
		    (h & (HDR_FG | HDR_BG | HDR_ATTRS | HDR_COMB)) == 0))
			return MP_ERR_INVALID_FORMAT;
		c->ch = ch;
		break;
	default:
		return MP_ERR_INVALID_FORMAT;
	}
	return get_cell_fields(rd, h, c, pen);
}

/* How many copies a repeat record (first byte h) adds. */
static int
get_repeat(struct rd *rd, uint8_t h, size_t *n)
{
	uint32_t v;
	int r;

	if (h <= REC_REPEAT_SHORT_MAX) {
		*n = (size_t)h + 1;
		return 0;
	}
	if ((r = get_varint(rd, TERM_CELLS_MAX, &v)) != 0)
		return r;
	*n = (size_t)v + REPEAT_SHORT_COUNT + 1;
	return 0;
}

static int
is_repeat(uint8_t h)
{
	return h <= REC_REPEAT_SHORT_MAX || h == REC_REPEAT_LONG;
}

static int
get_cells(struct rd *rd, struct term_state *s)
{
	static const struct term_cell blank;
	const struct term_cell *prev = &blank;
	size_t i = 0, n = (size_t)s->cols * s->rows, k;
	int r, after_repeat = 0;
	uint8_t h;

	while (i < n) {
		if ((r = get_u8(rd, &h)) != 0)
			return r;
		if (is_repeat(h)) {
			if (i == 0 || after_repeat)
				return MP_ERR_INVALID_FORMAT;
			if ((r = get_repeat(rd, h, &k)) != 0)
				return r;
			if (k > n - i)
				return MP_ERR_INVALID_FORMAT;
			for (; k > 0; k--, i++)
				s->cells[i] = *prev;
			after_repeat = 1;
			continue;
		}
		if ((r = get_cell(rd, h, &s->cells[i], prev)) != 0)
			return r;
		if (i > 0 && cell_equal(&s->cells[i], prev))
			return MP_ERR_INVALID_FORMAT;	/* not a repeat */
		prev = &s->cells[i++];
		after_repeat = 0;
	}
	return 0;
}

static int
parse_all(struct rd *rd, struct term_state *s)
{
	int r;

	if ((r = get_header(rd, s)) != 0)
		return r;
	if ((s->cells = calloc((size_t)s->cols * s->rows,
	    sizeof(*s->cells))) == NULL)
		return MP_ERR_ALLOC;
	if ((r = get_cells(rd, s)) != 0)
		return r;
	if (rd->off != rd->len)
		return MP_ERR_TRAILING_DATA;
	return term_state_check(s);
}

int
term_state_parse(struct buf *in, struct term_state *s)
{
	struct rd rd = { buf_ptr(in), buf_len(in), 0 };
	int r;

	memset(s, 0, sizeof(*s));
	if ((r = parse_all(&rd, s)) != 0) {
		term_state_free(s);
		return r;
	}
	return buf_consume(in, rd.len);
}

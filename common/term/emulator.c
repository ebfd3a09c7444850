/* emulator.c: the terminal emulator's entry points: creating, feeding (UTF-8 decoding, the printable ASCII fast path), resizing, snapshots. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/term/screen.h"
#include "common/term/term.h"

static int
size_ok(uint16_t cols, uint16_t rows)
{
	return cols >= 1 && rows >= 1 && cols <= TERM_COLS_MAX &&
	    rows <= TERM_ROWS_MAX && (size_t)cols * rows <= TERM_CELLS_MAX;
}

struct term *
term_new(uint16_t cols, uint16_t rows, const struct term_callbacks *cb,
    void *arg)
{
	struct term *t;

	if (!size_ok(cols, rows) || (t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->cols = cols;
	t->rows = rows;
	if (cb != NULL)
		t->cb = *cb;
	t->arg = arg;
	utf8_dec_init(&t->dec);
	if (tp_init(&t->ps, &term_actions, t) != 0 ||
	    scr_alloc(&t->scr[0], cols, rows) != 0 ||
	    scr_alloc(&t->scr[1], cols, rows) != 0) {
		term_free(t);
		return NULL;
	}
	term_hard_reset(t);
	return t;
}

void
term_free(struct term *t)
{
	if (t == NULL)
		return;
	tp_free(&t->ps);
	scr_free(&t->scr[0]);
	scr_free(&t->scr[1]);
	free(t);
}

void
term_set_pixel_size(struct term *t, uint16_t width, uint16_t height)
{
	t->px_w = width;
	t->px_h = height;
}

/* A decoded code point: graphic characters in the ground state go
 * straight to the screen, the rest through the parser. */
static void
feed(struct term *t, uint32_t cp)
{
	if (cp >= 0xa0 && tp_ground(&t->ps))
		term_put_char(t, cp);
	else
		tp_feed(&t->ps, cp);
}

/* The length of the run of printable ASCII (0x20-0x7e) at p, looking
 * at eight bytes at a time while none is outside. */
static size_t
ascii_run(const uint8_t *p, const uint8_t *end)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x80 * ones;
	const uint8_t *q = p;
	uint64_t x;

	while (end - q >= 8) {
		memcpy(&x, q, 8);
		/* Any byte below 0x20, or above 0x7e. */
		if ((((x - 0x20 * ones) & ~x) | ((x + 0x01 * ones) | x)) & high)
			break;
		q += 8;
	}
	while (q < end && (uint8_t)(*q - 0x20) < 0x5f)
		q++;
	return (size_t)(q - p);
}

/*
 * Input is UTF-8 first: bytes are decoded (ill-formed ones become
 * U+FFFD), and only then does the parser see them, so 8-bit C1 bytes
 * are never controls; the code points U+0080..U+009F (C2 80..C2 9F)
 * are.
 */
void
term_write(struct term *t, const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	uint32_t out[2], cp;
	size_t n;
	int i, k;

	while (p < end) {
		if (t->dec.need == 0) {
			if (*p < 0x80) {
				if (!tp_ground(&t->ps))
					tp_feed(&t->ps, *p++);
				else if ((n = ascii_run(p, end)) > 0) {
					term_put_ascii(t, p, n);
					p += n;
				} else if ((n = tp_csi_fast(&t->ps, p,
				    (size_t)(end - p))) > 0)
					p += n;
				else
					tp_feed(&t->ps, *p++);
				continue;
			}
			if ((n = utf8_decode_fast(p, (size_t)(end - p),
			    &cp)) > 0) {
				feed(t, cp);
				p += n;
				continue;
			}
		}
		k = utf8_dec_byte(&t->dec, *p++, out);
		for (i = 0; i < k; i++)
			feed(t, out[i]);
	}
}

/* Lines of screen which that leave the top to keep line cy shown. */
static unsigned int
shift_for(unsigned int cy, uint16_t rows)
{
	return cy >= rows ? cy - rows + 1 : 0;
}

static void
clamp_cursor(struct term_cursor *c, unsigned int shift, uint16_t cols,
    uint16_t rows)
{
	c->y = (uint16_t)(c->y >= shift ? c->y - shift : 0);
	if (c->y >= rows)
		c->y = rows - 1;
	if (c->x >= cols)
		c->x = cols - 1;
}

/*
 * As xterm, without reflow: columns are cut or padded; when the screen
 * gets shorter, lines leave the top (into the scrollback on the primary
 * screen) only as far as the cursor needs to stay shown, the rest is
 * cut at the bottom. The inactive screen follows its saved cursor.
 */
int
term_resize(struct term *t, uint16_t cols, uint16_t rows)
{
	struct term_screen ns[2];
	unsigned int shift[2], w, y;

	if (!size_ok(cols, rows))
		return MP_ERR_INVALID_ARGUMENT;
	memset(ns, 0, sizeof(ns));
	if (scr_alloc(&ns[0], cols, rows) != 0 ||
	    scr_alloc(&ns[1], cols, rows) != 0) {
		scr_free(&ns[0]);
		return MP_ERR_ALLOC;
	}
	for (w = 0; w < 2; w++) {
		shift[w] = shift_for(w == t->alt ? t->cur.y : t->saved[w].y,
		    rows);
		if (w == 0 && t->cb.scrollback != NULL) {
			for (y = 0; y < shift[0]; y++)
				t->cb.scrollback(t->arg, t->scr[0].line[y].c,
				    t->cols, t->scr[0].line[y].wrapped);
		}
		scr_copy(&ns[w], cols, rows, &t->scr[w], t->cols, t->rows,
		    shift[w]);
		scr_free(&t->scr[w]);
		t->scr[w] = ns[w];
		clamp_cursor(&t->saved[w], shift[w], cols, rows);
	}
	clamp_cursor(&t->cur, shift[t->alt], cols, rows);
	if (cols > t->cols)
		term_tabs_reset(t, t->cols);
	t->cols = cols;
	t->rows = rows;
	t->top = 0;
	t->bot = rows - 1;
	t->wrapnext = 0;
	t->last_valid = 0;
	return 0;
}

/* A snapshot of screen which (0 primary, 1 alternate) with the cursor
 * at cur. */
static int
snapshot_of(const struct term *t, int which, const struct term_cursor *cur,
    struct term_state *out)
{
	size_t y, rowsz = (size_t)t->cols * sizeof(struct term_cell);

	memset(out, 0, sizeof(*out));
	if ((out->cells = malloc(rowsz * t->rows)) == NULL)
		return MP_ERR_ALLOC;
	for (y = 0; y < t->rows; y++)
		memcpy(out->cells + y * t->cols, t->scr[which].line[y].c,
		    rowsz);
	out->cols = t->cols;
	out->rows = t->rows;
	out->cursor_x = cur->x < t->cols ? cur->x : t->cols - 1;
	out->cursor_y = cur->y < t->rows ? cur->y : t->rows - 1;
	out->cursor_shape = t->cursor_shape;
	out->mouse = t->mouse;
	out->mouse_enc = t->mouse_enc;
	out->modes = t->modes | (which ? TERM_MODE_ALTSCREEN : 0);
	memcpy(out->title, t->title, sizeof(out->title));
	memcpy(out->icon, t->icon, sizeof(out->icon));
	out->bells = t->bells;
	return 0;
}

int
term_snapshot(const struct term *t, struct term_state *out)
{
	return snapshot_of(t, t->alt, &t->cur, out);
}

int
term_snapshot_primary(const struct term *t, struct term_state *out)
{
	if (!t->alt)
		return term_snapshot(t, out);
	return snapshot_of(t, 0, &t->saved[0], out);
}

/* Append cp to buf (size bytes with the NUL); 0 if it does not fit. */
static int
put_utf8(char *buf, size_t *o, size_t size, uint32_t cp)
{
	uint8_t enc[4];
	size_t n = utf8_encode(cp, enc);

	if (*o + n >= size)
		return 0;
	memcpy(buf + *o, enc, n);
	*o += n;
	return 1;
}

size_t
term_line_text(const struct term *t, uint16_t y, char *buf, size_t size)
{
	const struct term_cell *c;
	size_t o = 0, keep = 0, x, i;
	int ok = 1;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (y >= t->rows)
		return 0;
	for (x = 0; x < t->cols && ok; x++) {
		c = &term_row(t, y)[x];
		if (c->ch == TERM_CH_WIDE_CONT)
			continue;
		ok = put_utf8(buf, &o, size, c->ch == 0 ? ' ' : c->ch);
		for (i = 0; ok && i < TERM_COMBINING_MAX && c->comb[i] != 0;
		    i++)
			ok = put_utf8(buf, &o, size, c->comb[i]);
		if (ok && c->ch != 0 && c->ch != ' ')
			keep = o;
	}
	buf[keep] = '\0';
	return keep;
}

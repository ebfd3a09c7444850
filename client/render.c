/* render.c: the local terminal: what it shows, the frames that bring it to the server's screen (scrolled lines first, then the diff), the status bar, and the sane state it is left in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/render.h"
#include "common/err.h"

struct render {
	struct term_state shown;	/* what the terminal shows */
	int known;			/* shown is right */
	char status[RENDER_STATUS_MAX + 1];
};

struct render *
render_new(void)
{
	return calloc(1, sizeof(struct render));
}

void
render_free(struct render *r)
{
	if (r == NULL)
		return;
	term_state_free(&r->shown);
	free(r);
}

void
render_invalidate(struct render *r)
{
	r->known = 0;
}

void
render_set_status(struct render *r, const char *text)
{
	snprintf(r->status, sizeof(r->status), "%s", text);
}

/* ---- the frame's target -------------------------------------------------- */

/* Copy src's cells into dst of another size: cut or padded, a wide
 * character cut at the right edge erased, the cursor kept inside. */
static void
fit_cells(struct term_state *dst, const struct term_state *src)
{
	uint16_t w = src->cols < dst->cols ? src->cols : dst->cols;
	uint16_t h = src->rows < dst->rows ? src->rows : dst->rows;
	struct term_cell *row;
	uint16_t y;

	for (y = 0; y < h; y++) {
		row = dst->cells + (size_t)y * dst->cols;
		memcpy(row, src->cells + (size_t)y * src->cols,
		    (size_t)w * sizeof(*row));
		if (w < src->cols && src->cells[(size_t)y * src->cols + w].ch ==
		    TERM_CH_WIDE_CONT)
			memset(&row[w - 1], 0, sizeof(*row));
	}
	dst->cursor_x = src->cursor_x < dst->cols ? src->cursor_x :
	    (uint16_t)(dst->cols - 1);
	dst->cursor_y = src->cursor_y < dst->rows ? src->cursor_y :
	    (uint16_t)(dst->rows - 1);
}

/* dst: src fitted to cols x rows. Of the same size, src itself moves to
 * dst (left empty), which saves copying a whole screen per frame. */
static int
fit_state(struct term_state *dst, struct term_state *src,
    uint16_t cols, uint16_t rows)
{
	struct term_cell *cells;
	int r;

	if (src->cols == cols && src->rows == rows) {
		*dst = *src;
		memset(src, 0, sizeof(*src));
		return 0;
	}
	if ((r = term_state_init(dst, cols, rows)) != 0)
		return r;
	cells = dst->cells;
	*dst = *src;		/* modes, titles, cursor shape, bells */
	dst->cols = cols;
	dst->rows = rows;
	dst->cells = cells;
	fit_cells(dst, src);
	return 0;
}

/* The status bar: the text (ASCII) in reverse video over the top row. */
static void
put_status(struct term_state *st, const char *text)
{
	struct term_cell *row = st->cells;
	size_t len = strlen(text);
	uint16_t x;

	memset(row, 0, (size_t)st->cols * sizeof(*row));
	for (x = 0; x < st->cols; x++) {
		row[x].attrs = TERM_ATTR_INVERSE;
		if (x < len)
			row[x].ch = text[x] >= 0x20 && text[x] < 0x7f ?
			    (uint32_t)text[x] : '?';
	}
	if (st->cursor_y == 0)
		st->cursor_y = st->rows > 1 ? 1 : 0;
}

/* ---- frames -------------------------------------------------------------- */

/* From an unknown terminal: reset it to a blank screen of that size. */
static int
reset_shown(struct render *r, uint16_t cols, uint16_t rows, struct buf *out)
{
	int e;

	term_state_free(&r->shown);
	if ((e = term_state_init(&r->shown, cols, rows)) != 0)
		return e;
	if ((e = term_diff(NULL, &r->shown, out)) != 0)
		return e;
	r->known = 1;
	return 0;
}

/* The scrolled lines go to the terminal's scrollback; on the alternate
 * screen (which has none) they are dropped. */
static int
push_lines(struct render *r, struct client_screen *cs, struct buf *out)
{
	const struct term_cell *cells;
	size_t i, n = client_screen_lines(cs);
	uint16_t cols;
	int e = 0;

	for (i = 0; i < n && e == 0; i++) {
		if (r->shown.modes & TERM_MODE_ALTSCREEN)
			break;
		cells = client_screen_line(cs, i, &cols);
		e = term_push_line(&r->shown, cells, cols, out);
	}
	client_screen_lines_taken(cs, n);
	return e;
}

int
render_frame(struct render *r, struct client_screen *cs,
    struct term_state *screen, uint16_t cols, uint16_t rows,
    struct buf *out)
{
	struct term_state target;
	size_t start = buf_len(out);
	int e;

	if ((e = fit_state(&target, screen, cols, rows)) != 0)
		return e;
	if (r->status[0] != '\0')
		put_status(&target, r->status);
	if (!r->known || r->shown.cols != cols || r->shown.rows != rows)
		e = reset_shown(r, cols, rows, out);
	if (e == 0)
		e = push_lines(r, cs, out);
	if (e == 0)
		e = term_diff(&r->shown, &target, out);
	if (e != 0) {
		buf_consume_end(out, buf_len(out) - start);
		term_state_free(&target);
		r->known = 0;
		return e;
	}
	term_state_free(&r->shown);
	r->shown = target;
	return 0;
}

int
render_finish(struct render *r, struct buf *out)
{
	static const char sane[] =
	    "\033[?1049l"		/* back to the primary screen */
	    "\033[?1l\033>"		/* normal cursor keys and keypad */
	    "\033[?2004l\033[?1004l"	/* no bracketed paste, focus */
	    "\033[?1000l\033[?1002l\033[?1003l\033[?1005l\033[?1006l"
	    "\033[?5l\033[?25h\033[0 q"	/* normal video, the cursor shown */
	    "\033[m\033[r";		/* default pen and margins */
	char move[32];
	int e;

	if ((e = buf_put(out, sane, sizeof(sane) - 1)) != 0)
		return e;
	if (!r->known)
		return buf_put(out, "\r\n", 2);
	/* Below the last screen's cursor (DECSTBM homed it). */
	snprintf(move, sizeof(move), "\033[%uH\r\n",
	    (unsigned int)r->shown.cursor_y + 1);
	return buf_put(out, move, strlen(move));
}

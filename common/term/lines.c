/* lines.c: the escape sequences that push rows through the top of a terminal's primary screen into its own scrollback. */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"

/* Row 0 of s becomes line (cut or padded to s's width; a wide
 * character cut in half is erased). */
static void
set_top_row(struct term_state *s, const struct term_cell *line,
    uint16_t line_cols)
{
	size_t n = line_cols < s->cols ? line_cols : s->cols;

	memset(s->cells, 0, (size_t)s->cols * sizeof(*s->cells));
	memcpy(s->cells, line, n * sizeof(*line));
	if (n > 0 && n < line_cols && line[n].ch == TERM_CH_WIDE_CONT)
		memset(&s->cells[n - 1], 0, sizeof(*s->cells));
}

/* What a line feed on the bottom row does to s: rows move up, a blank
 * row (default colours: the canonical pen) comes in. */
static void
scroll_up(struct term_state *s)
{
	size_t row = (size_t)s->cols;

	memmove(s->cells, s->cells + row,
	    (size_t)(s->rows - 1) * row * sizeof(*s->cells));
	memset(s->cells + (size_t)(s->rows - 1) * row, 0,
	    row * sizeof(*s->cells));
	s->cursor_x = 0;
	s->cursor_y = (uint16_t)(s->rows - 1);
}

int
term_push_line(struct term_state *shown, const struct term_cell *line,
    uint16_t line_cols, struct buf *out)
{
	struct term_state next;
	size_t start = buf_len(out);
	char lf[24];
	int r;

	if (shown->modes & TERM_MODE_ALTSCREEN)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = term_state_copy(&next, shown)) != 0)
		return r;
	set_top_row(&next, line, line_cols);
	if (memcmp(next.cells, shown->cells,
	    (size_t)shown->cols * sizeof(*next.cells)) != 0)
		r = term_diff(shown, &next, out);
	snprintf(lf, sizeof(lf), "\033[%uH\n", (unsigned int)shown->rows);
	if (r == 0)
		r = buf_put(out, lf, strlen(lf));
	if (r != 0) {
		buf_consume_end(out, buf_len(out) - start);
		term_state_free(&next);
		return r;
	}
	scroll_up(&next);
	term_state_free(shown);
	*shown = next;
	return 0;
}

/* test_term_fixture.h: an emulator with recording callbacks and helpers to look at its screen and make states, for the test_term_* tests and the other screen tests. */
#ifndef MP_TEST_TERM_FIXTURE_H
#define MP_TEST_TERM_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/term/term.h"
#include "common/term/utf8.h"

#define TFX_SB_MAX	64

struct tfx {
	struct term *t;
	char reply[4096];
	size_t rlen;
	char sb[TFX_SB_MAX][512];	/* scrollback lines as text */
	int sbwrap[TFX_SB_MAX];
	int nsb;
	char sel[16];
	uint8_t *clip;
	size_t cliplen;
	int nclip;
	char text[1024];
};

/* Cells as text, as term_line_text() does. */
static inline void
tfx_cells_text(const struct term_cell *c, unsigned int cols, char *buf,
    size_t size)
{
	size_t o = 0, keep = 0, n;
	unsigned int x, i;
	uint8_t enc[4];
	uint32_t cp;

	for (x = 0; x < cols; x++) {
		if (c[x].ch == TERM_CH_WIDE_CONT)
			continue;
		for (i = 0; i <= TERM_COMBINING_MAX; i++) {
			cp = i == 0 ? (c[x].ch ? c[x].ch : ' ') : c[x].comb[i - 1];
			if (cp == 0)
				break;
			n = utf8_encode(cp, enc);
			if (o + n >= size)
				break;
			memcpy(buf + o, enc, n);
			o += n;
		}
		if (c[x].ch != 0 && c[x].ch != ' ')
			keep = o;
	}
	buf[keep] = '\0';
}

/* Cells as ASCII text (other characters '?', trailing blanks dropped),
 * at most size - 1 of them. */
static inline void
tfx_cells_ascii(const struct term_cell *c, uint16_t cols, char *out,
    size_t size)
{
	size_t i, end = 0;

	for (i = 0; i < cols && i + 1 < size; i++) {
		out[i] = c[i].ch == 0 ? ' ' : c[i].ch < 128 ? (char)c[i].ch :
		    '?';
		if (out[i] != ' ')
			end = i + 1;
	}
	out[end] = '\0';
}

/* The state an emulator of that size shows after the bytes s. */
static inline void
tfx_state_of(struct term_state *st, uint16_t cols, uint16_t rows,
    const char *s)
{
	struct term *t = term_new(cols, rows, NULL, NULL);

	assert_non_null(t);
	term_write(t, (const uint8_t *)s, strlen(s));
	assert_int_equal(term_snapshot(t, st), 0);
	term_free(t);
}

static inline void
tfx_on_reply(void *arg, const uint8_t *p, size_t len)
{
	struct tfx *f = arg;

	if (len < sizeof(f->reply) - f->rlen) {
		memcpy(f->reply + f->rlen, p, len);
		f->rlen += len;
		f->reply[f->rlen] = '\0';
	}
}

static inline void
tfx_on_scrollback(void *arg, const struct term_cell *row, uint16_t cols,
    int wrapped)
{
	struct tfx *f = arg;

	if (f->nsb < TFX_SB_MAX) {
		tfx_cells_text(row, cols, f->sb[f->nsb], sizeof(f->sb[0]));
		f->sbwrap[f->nsb++] = wrapped;
	}
}

static inline void
tfx_on_clipboard(void *arg, const char *sel, const uint8_t *b64, size_t len)
{
	struct tfx *f = arg;

	snprintf(f->sel, sizeof(f->sel), "%s", sel);
	memcpy(f->clip, b64, len);
	f->cliplen = len;
	f->nclip++;
}

static inline struct tfx *
tfx_new(uint16_t cols, uint16_t rows)
{
	static const struct term_callbacks cb = {
		tfx_on_reply, tfx_on_scrollback, tfx_on_clipboard,
	};
	struct tfx *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->clip = malloc(TERM_CLIPBOARD_MAX)) == NULL ||
	    (f->t = term_new(cols, rows, &cb, f)) == NULL)
		abort();
	return f;
}

static inline void
tfx_free(struct tfx *f)
{
	term_free(f->t);
	free(f->clip);
	free(f);
}

static inline void
tfx_w(struct tfx *f, const char *s)
{
	term_write(f->t, (const uint8_t *)s, strlen(s));
}

static inline const char *
tfx_line(struct tfx *f, uint16_t y)
{
	term_line_text(f->t, y, f->text, sizeof(f->text));
	return f->text;
}

/* The reply bytes so far, and forget them. */
static inline const char *
tfx_reply(struct tfx *f)
{
	static char r[sizeof(((struct tfx *)0)->reply)];

	memcpy(r, f->reply, f->rlen + 1);
	f->rlen = 0;
	f->reply[0] = '\0';
	return r;
}

static inline struct term_state
tfx_snap(struct tfx *f)
{
	struct term_state s;

	if (term_snapshot(f->t, &s) != 0)
		abort();
	return s;
}

static inline struct term_cell
tfx_cell(struct tfx *f, unsigned int x, unsigned int y)
{
	struct term_state s = tfx_snap(f);
	struct term_cell c = s.cells[y * s.cols + x];

	free(s.cells);
	return c;
}

#define assert_line(f, y, str)	assert_string_equal(tfx_line(f, y), str)

#define assert_cursor(f, x, y) do {					\
	struct term_state s_ = tfx_snap(f);				\
	free(s_.cells);							\
	assert_int_equal(s_.cursor_x, (x));				\
	assert_int_equal(s_.cursor_y, (y));				\
} while (0)

#define assert_reply(f, str)	assert_string_equal(tfx_reply(f), str)

#endif

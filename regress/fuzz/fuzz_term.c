/* fuzz_term.c: libFuzzer harness for the terminal emulator: any bytes at a fuzzed size, a resize halfway, and the screen's invariants after each part. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/term/term.h"
#include "common/term/utf8.h"
#include "common/term/width.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

static uint16_t cur_cols;

static void
on_reply(void *arg, const uint8_t *p, size_t len)
{
	(void)arg;
	check(len > 0 && len < 128 && p[0] == 0x1b);
}

static void
on_scrollback(void *arg, const struct term_cell *row, uint16_t cols,
    int wrapped)
{
	(void)arg;
	check(row != NULL && cols == cur_cols);
	check(wrapped == 0 || wrapped == 1);
}

static void
on_clipboard(void *arg, const char *sel, const uint8_t *b64, size_t len)
{
	(void)arg;
	check(strlen(sel) > 0 && strlen(sel) < 16);
	check(len <= TERM_CLIPBOARD_MAX && (len == 0 || b64 != NULL));
}

/* Text without control characters, well-formed, NUL-terminated. */
static void
check_text(const char *s)
{
	size_t len = strnlen(s, TERM_TITLE_MAX + 1), i = 0, n;
	uint32_t cp;

	check(len <= TERM_TITLE_MAX);
	while (i < len) {
		cp = (uint8_t)s[i];
		n = 1;
		if (cp >= 0x80)
			check((n = utf8_decode_one((const uint8_t *)s + i,
			    len - i, &cp)) > 0);
		check(cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp >= 0xa0));
		i += n;
	}
}

static void
check_cell(const struct term_cell *row, unsigned int x, unsigned int cols)
{
	const struct term_cell *c = &row[x];
	int i, w;

	check(c->reserved == 0);
	check(c->attrs >> TERM_ATTR_UL_SHIFT <= TERM_UL_DASHED);
	for (i = 1; i < TERM_COMBINING_MAX; i++)
		check(c->comb[i - 1] != 0 || c->comb[i] == 0);
	if (c->ch == TERM_CH_WIDE_CONT) {
		/* The right half of the wide character just before. */
		check(x > 0 && row[x - 1].ch != TERM_CH_WIDE_CONT);
		check(term_wcwidth(row[x - 1].ch) == 2);
		check(c->comb[0] == 0);
		return;
	}
	if (c->ch == 0)
		check(c->comb[0] == 0);
	else
		check(c->ch <= 0x10ffff);
	w = term_wcwidth(c->ch);
	if (c->ch != 0 && w == 2)
		check(x + 1 < cols && row[x + 1].ch == TERM_CH_WIDE_CONT);
	check(c->ch == 0 || w > 0);
}

static void
check_state(const struct term *t, uint16_t cols, uint16_t rows)
{
	struct term_state s;
	char text[4 * 4 * 256 + 1];
	unsigned int x, y;

	check(term_snapshot(t, &s) == 0);
	check(s.cols == cols && s.rows == rows);
	check(s.cursor_x < cols && s.cursor_y < rows);
	check(s.cursor_shape <= 6);
	check(s.mouse <= TERM_MOUSE_ANY && s.mouse_enc <= TERM_MOUSE_ENC_SGR);
	check((s.modes & ~0x7fu) == 0);
	check_text(s.title);
	check_text(s.icon);
	for (y = 0; y < rows; y++)
		for (x = 0; x < cols; x++)
			check_cell(s.cells + (size_t)y * cols, x, cols);
	check(term_line_text(t, 0, text, sizeof(text)) < sizeof(text));
	free(s.cells);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const struct term_callbacks cb = {
		on_reply, on_scrollback, on_clipboard,
	};
	uint16_t cols, rows, cols2, rows2;
	struct term *t;
	size_t half;

	if (len < 4)
		return 0;
	cols = 1 + data[0] % 160;
	rows = 1 + data[1] % 50;
	cols2 = 1 + data[2] % 160;
	rows2 = 1 + data[3] % 50;
	data += 4;
	len -= 4;
	check((t = term_new(cols, rows, &cb, NULL)) != NULL);
	cur_cols = cols;
	half = len / 2;
	term_write(t, data, half);
	check_state(t, cols, rows);
	check(term_resize(t, cols2, rows2) == 0);
	cur_cols = cols2;
	check_state(t, cols2, rows2);
	term_write(t, data + half, len - half);
	check_state(t, cols2, rows2);
	term_free(t);
	return 0;
}

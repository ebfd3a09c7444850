/* test_term_lines.c: term_push_line: a terminal fed its bytes gets the line in its scrollback, in order, and shows what the function says it shows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"
#include "test_term_fixture.h"

/* A terminal (the fixture records its scrollback) brought to show st. */
static struct tfx *
terminal_showing(const struct term_state *st)
{
	struct buf *b = buf_new(1 << 20);
	struct tfx *f = tfx_new(st->cols, st->rows);

	assert_int_equal(term_diff(NULL, st, b), 0);
	term_write(f->t, buf_ptr(b), buf_len(b));
	buf_free(b);
	assert_int_equal(f->nsb, 0);
	return f;
}

static void
push_text(struct term_state *shown, const char *text, uint16_t cols,
    struct buf *out)
{
	struct term_state line;

	tfx_state_of(&line, cols, 1, text);
	assert_int_equal(term_push_line(shown, line.cells, cols, out), 0);
	term_state_free(&line);
}

static void
test_lines_reach_scrollback_in_order(void **arg)
{
	struct term_state shown, now;
	struct buf *out = buf_new(1 << 20);
	struct tfx *f;

	(void)arg;
	tfx_state_of(&shown, 20, 4, "\033[31mred\033[m\r\nb\r\nc\r\nprompt$ ");
	f = terminal_showing(&shown);
	push_text(&shown, "\033[31mred", 20, out);	/* already the top row */
	push_text(&shown, "line two", 20, out);
	push_text(&shown, "\033[1mthree\033[m and more", 20, out);
	term_write(f->t, buf_ptr(out), buf_len(out));
	assert_int_equal(f->nsb, 3);
	assert_string_equal(f->sb[0], "red");
	assert_string_equal(f->sb[1], "line two");
	assert_string_equal(f->sb[2], "three and more");
	assert_int_equal(term_snapshot(f->t, &now), 0);
	assert_true(term_state_equal(&now, &shown));
	assert_string_equal(tfx_line(f, 0), "prompt$");
	assert_int_equal(now.cursor_y, 3);
	term_state_free(&now);
	term_state_free(&shown);
	tfx_free(f);
	buf_free(out);
}

/* The unchanged top row costs only the scroll. */
static void
test_same_top_row_costs_a_scroll(void **arg)
{
	struct term_state shown;
	struct buf *out = buf_new(4096);

	(void)arg;
	tfx_state_of(&shown, 10, 3, "a\r\nb\r\nc");
	push_text(&shown, "a", 10, out);
	assert_int_equal(buf_len(out), 5);
	assert_memory_equal(buf_ptr(out), "\033[3H\n", 5);
	term_state_free(&shown);
	buf_free(out);
}

/* Lines wider than the screen are cut, a wide character cut in half is
 * erased; narrower ones are padded. */
static void
test_line_width_adapts(void **arg)
{
	struct term_state shown, wide, now;
	struct buf *out = buf_new(1 << 16);
	struct tfx *f;

	(void)arg;
	tfx_state_of(&shown, 5, 2, "xy");
	f = terminal_showing(&shown);
	tfx_state_of(&wide, 8, 1, "abcd\xe4\xb8\xad" "z");
	assert_int_equal(term_push_line(&shown, wide.cells, 8, out), 0);
	push_text(&shown, "q", 2, out);
	term_write(f->t, buf_ptr(out), buf_len(out));
	assert_int_equal(f->nsb, 2);
	assert_string_equal(f->sb[0], "abcd");
	assert_string_equal(f->sb[1], "q");
	assert_int_equal(term_snapshot(f->t, &now), 0);
	assert_true(term_state_equal(&now, &shown));
	term_state_free(&now);
	term_state_free(&wide);
	term_state_free(&shown);
	tfx_free(f);
	buf_free(out);
}

static void
test_alternate_screen_refused(void **arg)
{
	struct term_state shown, line;
	struct buf *out = buf_new(4096);

	(void)arg;
	tfx_state_of(&shown, 10, 3, "\033[?1049hfull screen");
	tfx_state_of(&line, 10, 1, "x");
	assert_int_equal(term_push_line(&shown, line.cells, 10, out),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(buf_len(out), 0);
	term_state_free(&line);
	term_state_free(&shown);
	buf_free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_reach_scrollback_in_order),
		cmocka_unit_test(test_same_top_row_costs_a_scroll),
		cmocka_unit_test(test_line_width_adapts),
		cmocka_unit_test(test_alternate_screen_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

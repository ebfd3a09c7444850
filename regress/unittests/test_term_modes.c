/* test_term_modes.c: the modes the client reproduces, the alternate screens, titles, clipboard, bells, replies to queries and resets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/term/term.h"
#include "test_term_fixture.h"

static int
setup(void **state)
{
	*state = tfx_new(10, 5);
	return 0;
}

static int
teardown(void **state)
{
	tfx_free(*state);
	return 0;
}

static uint32_t
modes(struct tfx *f)
{
	struct term_state s = tfx_snap(f);

	free(s.cells);
	return s.modes;
}

static void
assert_mode(struct tfx *f, const char *set, const char *reset,
    uint32_t bit)
{
	assert_false(modes(f) & bit);
	tfx_w(f, set);
	assert_true(modes(f) & bit);
	tfx_w(f, reset);
	assert_false(modes(f) & bit);
}

static void
test_flag_modes(void **state)
{
	struct tfx *f = *state;

	assert_int_equal(modes(f), TERM_MODE_CURSOR_SHOWN);
	assert_mode(f, "\033[?1h", "\033[?1l", TERM_MODE_CURSOR_KEYS);
	assert_mode(f, "\033=", "\033>", TERM_MODE_KEYPAD);
	assert_mode(f, "\033[?2004h", "\033[?2004l", TERM_MODE_BRACKETED);
	assert_mode(f, "\033[?1004h", "\033[?1004l", TERM_MODE_FOCUS);
	assert_mode(f, "\033[?5h", "\033[?5l", TERM_MODE_REVERSE);
	assert_mode(f, "\033[?1049h", "\033[?1049l", TERM_MODE_ALTSCREEN);
	tfx_w(f, "\033[?25l");
	assert_int_equal(modes(f), 0);
	/* Several at once; ANSI SM does not touch private modes. */
	tfx_w(f, "\033[?25;1;2004h\033[1h");
	assert_int_equal(modes(f), TERM_MODE_CURSOR_SHOWN |
	    TERM_MODE_CURSOR_KEYS | TERM_MODE_BRACKETED);
}

static void
mouse(struct tfx *f, uint8_t *m, uint8_t *enc)
{
	struct term_state s = tfx_snap(f);

	free(s.cells);
	*m = s.mouse;
	*enc = s.mouse_enc;
}

static void
assert_mouse(struct tfx *f, uint8_t want, uint8_t want_enc)
{
	uint8_t m, enc;

	mouse(f, &m, &enc);
	assert_int_equal(m, want);
	assert_int_equal(enc, want_enc);
}

static void
test_mouse_modes(void **state)
{
	struct tfx *f = *state;

	assert_mouse(f, TERM_MOUSE_NONE, TERM_MOUSE_ENC_DEFAULT);
	tfx_w(f, "\033[?9h");
	assert_mouse(f, TERM_MOUSE_X10, 0);
	tfx_w(f, "\033[?1000h");
	assert_mouse(f, TERM_MOUSE_NORMAL, 0);
	tfx_w(f, "\033[?1002h");
	assert_mouse(f, TERM_MOUSE_BUTTON, 0);
	tfx_w(f, "\033[?1003h\033[?1006h");
	assert_mouse(f, TERM_MOUSE_ANY, TERM_MOUSE_ENC_SGR);
	tfx_w(f, "\033[?1005h");
	assert_mouse(f, TERM_MOUSE_ANY, TERM_MOUSE_ENC_UTF8);
	/* Resetting any tracking mode turns tracking off. */
	tfx_w(f, "\033[?1000l\033[?1005l");
	assert_mouse(f, TERM_MOUSE_NONE, TERM_MOUSE_ENC_DEFAULT);
}

static uint8_t
cursor_shape(struct tfx *f)
{
	struct term_state s = tfx_snap(f);

	free(s.cells);
	return s.cursor_shape;
}

static void
test_cursor_shape(void **state)
{
	struct tfx *f = *state;

	assert_int_equal(cursor_shape(f), 0);
	tfx_w(f, "\033[4 q");
	assert_int_equal(cursor_shape(f), 4);
	tfx_w(f, "\033[6 q");
	assert_int_equal(cursor_shape(f), 6);
	tfx_w(f, "\033[7 q");
	assert_int_equal(cursor_shape(f), 6);
	tfx_w(f, "\033[ q");
	assert_int_equal(cursor_shape(f), 0);
}

static void
test_alt_1049(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "main\033[1;31m\033[?1049h");
	assert_line(f, 0, "");
	assert_cursor(f, 4, 0);
	tfx_w(f, "\033[0m\033[3;3Halt");
	assert_line(f, 2, "  alt");
	tfx_w(f, "\033[?1049l");
	assert_line(f, 0, "main");
	assert_line(f, 2, "");
	assert_cursor(f, 4, 0);
	tfx_w(f, "x");
	assert_int_equal(tfx_cell(f, 4, 0).fg, TERM_COLOR_INDEX(1));
	/* Entering again finds it cleared. */
	tfx_w(f, "\033[?1049h");
	assert_line(f, 2, "");
	tfx_w(f, "\033[?1049l");
}

static void
test_alt_47_1047_1048(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "main\033[?47hone");
	assert_line(f, 0, "    one");
	tfx_w(f, "\033[?47l");
	assert_line(f, 0, "main");
	/* 47 does not clear: the alternate screen still holds "one". */
	tfx_w(f, "\033[?47h");
	assert_line(f, 0, "    one");
	/* 1047 clears it when leaving. */
	tfx_w(f, "\033[?47l\033[?1047h");
	assert_line(f, 0, "    one");
	tfx_w(f, "\033[?1047l\033[?47h");
	assert_line(f, 0, "");
	tfx_w(f, "\033[?47l");
	/* 1048 saves and restores the cursor only. */
	tfx_w(f, "\033[2;2H\033[?1048h\033[5;5H\033[?1048l");
	assert_cursor(f, 1, 1);
}

static void
test_titles(void **state)
{
	struct tfx *f = *state;
	struct term_state s;
	char in[1024];
	size_t n;

	tfx_w(f, "\033]0;both\007");
	s = tfx_snap(f);
	assert_string_equal(s.title, "both");
	assert_string_equal(s.icon, "both");
	free(s.cells);
	tfx_w(f, "\033]2;t\xc3\xa9tle\033\\\033]1;icon\xc2\x9c");
	s = tfx_snap(f);
	assert_string_equal(s.title, "t\xc3\xa9tle");
	assert_string_equal(s.icon, "icon");
	free(s.cells);
	/* Control characters go; C1 as a code point ends the string. */
	tfx_w(f, "\033]2;a\tb\rc\007");
	s = tfx_snap(f);
	assert_string_equal(s.title, "abc");
	free(s.cells);
	/* Cut at TERM_TITLE_MAX bytes, not inside a character. */
	n = (size_t)snprintf(in, sizeof(in), "\033]2;x");
	while (n < 300)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "\xc3\xa9");
	snprintf(in + n, sizeof(in) - n, "\007");
	tfx_w(f, in);
	s = tfx_snap(f);
	assert_int_equal(strlen(s.title), TERM_TITLE_MAX - 1);
	assert_memory_equal(s.title, "x\xc3\xa9\xc3\xa9", 5);
	free(s.cells);
	/* Malformed ones change nothing. */
	tfx_w(f, "\033]2\007\033];x\007\033]x;y\007\033]3;z\007");
	s = tfx_snap(f);
	assert_int_equal(strlen(s.title), TERM_TITLE_MAX - 1);
	assert_string_equal(s.icon, "icon");
	free(s.cells);
}

static void
test_clipboard(void **state)
{
	struct tfx *f = *state;
	char *in;
	size_t n;

	tfx_w(f, "\033]52;c;aGVsbG8=\007");
	assert_int_equal(f->nclip, 1);
	assert_string_equal(f->sel, "c");
	assert_int_equal(f->cliplen, 8);
	assert_memory_equal(f->clip, "aGVsbG8=", 8);
	tfx_w(f, "\033]52;;eA==\033\\");
	assert_int_equal(f->nclip, 2);
	assert_string_equal(f->sel, "s0");
	/* Queries are not answered, bad selections are refused. */
	tfx_w(f, "\033]52;c;?\007\033]52;z;eA==\007\033]52;c\007");
	assert_int_equal(f->nclip, 2);
	assert_reply(f, "");
	/* The largest write passes, a larger one is dropped. */
	assert_non_null(in = malloc(TERM_CLIPBOARD_MAX + 32));
	n = (size_t)snprintf(in, 16, "\033]52;p;");
	memset(in + n, 'A', TERM_CLIPBOARD_MAX);
	in[n + TERM_CLIPBOARD_MAX] = '\007';
	term_write(f->t, (const uint8_t *)in, n + TERM_CLIPBOARD_MAX + 1);
	assert_int_equal(f->nclip, 3);
	assert_int_equal(f->cliplen, TERM_CLIPBOARD_MAX);
	in[n + TERM_CLIPBOARD_MAX] = 'A';
	in[n + TERM_CLIPBOARD_MAX + 1] = '\007';
	term_write(f->t, (const uint8_t *)in, n + TERM_CLIPBOARD_MAX + 2);
	assert_int_equal(f->nclip, 3);
	free(in);
	/* Nothing reached the screen. */
	assert_line(f, 0, "");
}

static void
test_bells(void **state)
{
	struct tfx *f = *state;
	struct term_state s;

	tfx_w(f, "\007a\007\033]2;x\007\033[1\007m");
	s = tfx_snap(f);
	assert_int_equal(s.bells, 3);
	free(s.cells);
}

static void
test_device_attributes(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[c");
	assert_reply(f, "\033[?62;22c");
	tfx_w(f, "\033[0c");
	assert_reply(f, "\033[?62;22c");
	tfx_w(f, "\033Z");
	assert_reply(f, "\033[?62;22c");
	tfx_w(f, "\033[>c");
	assert_reply(f, "\033[>1;10;0c");
	tfx_w(f, "\033[1c\033[=c");
	assert_reply(f, "");
	tfx_w(f, "\033[>q");
	assert_reply(f, "\033P>|moshpit 0.1\033\\");
	tfx_w(f, "\033[>0q");
	assert_reply(f, "\033P>|moshpit 0.1\033\\");
}

static void
test_status_reports(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[5n");
	assert_reply(f, "\033[0n");
	tfx_w(f, "\033[3;7H\033[6n");
	assert_reply(f, "\033[3;7R");
	tfx_w(f, "\033[?6n");
	assert_reply(f, "\033[?3;7R");
	/* With the wrap pending the cursor is on the last column. */
	tfx_w(f, "\033[5;1H0123456789\033[6n");
	assert_reply(f, "\033[5;10R");
	tfx_w(f, "\033[7n\033[?5n");
	assert_reply(f, "");
}

static void
test_window_reports(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[18t");
	assert_reply(f, "\033[8;5;10t");
	tfx_w(f, "\033[19t");
	assert_reply(f, "\033[9;5;10t");
	tfx_w(f, "\033[14t\033[16t\033[21t\033[22;0t");
	assert_reply(f, "");
	term_set_pixel_size(f->t, 800, 500);
	tfx_w(f, "\033[14t");
	assert_reply(f, "\033[4;500;800t");
	tfx_w(f, "\033[16t");
	assert_reply(f, "\033[6;100;80t");
	assert_int_equal(term_resize(f->t, 20, 7), 0);
	tfx_w(f, "\033[18t");
	assert_reply(f, "\033[8;7;20t");
}

static void
assert_decrqm(struct tfx *f, const char *query, const char *want)
{
	tfx_w(f, query);
	assert_reply(f, want);
}

static void
test_decrqm(void **state)
{
	struct tfx *f = *state;

	assert_decrqm(f, "\033[?1$p", "\033[?1;2$y");
	assert_decrqm(f, "\033[?1h\033[?1$p", "\033[?1;1$y");
	assert_decrqm(f, "\033[?25$p", "\033[?25;1$y");
	assert_decrqm(f, "\033[?7$p", "\033[?7;1$y");
	assert_decrqm(f, "\033[?6$p", "\033[?6;2$y");
	assert_decrqm(f, "\033[?5$p", "\033[?5;2$y");
	assert_decrqm(f, "\033[?2004h\033[?2004$p", "\033[?2004;1$y");
	assert_decrqm(f, "\033[?1004$p", "\033[?1004;2$y");
	assert_decrqm(f, "\033[?1002h\033[?1002$p", "\033[?1002;1$y");
	assert_decrqm(f, "\033[?1000$p", "\033[?1000;2$y");
	assert_decrqm(f, "\033[?1006h\033[?1006$p", "\033[?1006;1$y");
	assert_decrqm(f, "\033[?1005$p", "\033[?1005;2$y");
	assert_decrqm(f, "\033[?1049h\033[?1049$p", "\033[?1049;1$y");
	assert_decrqm(f, "\033[?1049l\033[?1049$p", "\033[?1049;2$y");
	assert_decrqm(f, "\033[?12345$p", "\033[?12345;0$y");
	assert_decrqm(f, "\033[4$p", "\033[4;2$y");
	assert_decrqm(f, "\033[4h\033[4$p", "\033[4;1$y");
	assert_decrqm(f, "\033[20$p", "\033[20;2$y");
	assert_decrqm(f, "\033[3$p", "\033[3;0$y");
}

static void
test_soft_reset(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[?1h\033=\033[4h\033[?7l\033[?25l\033[2;3r\033[1;31m"
	    "\033(0\033[?2004h\033[3;3H");
	tfx_w(f, "\033[!p");
	assert_int_equal(modes(f), TERM_MODE_CURSOR_SHOWN |
	    TERM_MODE_BRACKETED);
	assert_cursor(f, 2, 2);
	tfx_w(f, "q");
	assert_int_equal(tfx_cell(f, 2, 2).ch, 'q');
	assert_int_equal(tfx_cell(f, 2, 2).attrs, 0);
	assert_decrqm(f, "\033[4$p", "\033[4;2$y");
	assert_decrqm(f, "\033[?7$p", "\033[?7;1$y");
	tfx_w(f, "\033[5;1H\n");	/* the region is the whole screen */
	assert_line(f, 1, "  q");
}

static void
test_hard_reset(void **state)
{
	struct tfx *f = *state;
	struct term_state s;

	tfx_w(f, "\033]2;keep\007\007text\033[?1h\033[?1000h\033[?1049h"
	    "\033[5 q\033[3g\033c");
	s = tfx_snap(f);
	assert_int_equal(s.modes, TERM_MODE_CURSOR_SHOWN);
	assert_int_equal(s.mouse, TERM_MOUSE_NONE);
	assert_int_equal(s.cursor_shape, 0);
	assert_int_equal(s.cursor_x, 0);
	assert_int_equal(s.cursor_y, 0);
	assert_string_equal(s.title, "keep");
	assert_int_equal(s.bells, 1);
	free(s.cells);
	assert_line(f, 0, "");
	tfx_w(f, "\t");
	assert_cursor(f, 8, 0);
}

/* A snapshot is a full term_state that term_state_free releases. */
static void
test_snapshot(void **state)
{
	struct tfx *f = *state;
	struct term_state s;
	size_t i;

	tfx_w(f, "\033[1;32mab\033[0m\033[3;4H");
	assert_int_equal(term_snapshot(f->t, &s), 0);
	assert_int_equal(s.cols, 10);
	assert_int_equal(s.rows, 5);
	assert_int_equal(s.cursor_x, 3);
	assert_int_equal(s.cursor_y, 2);
	assert_int_equal(s.cells[0].ch, 'a');
	assert_int_equal(s.cells[1].fg, TERM_COLOR_INDEX(2));
	assert_int_equal(s.cells[1].attrs, TERM_ATTR_BOLD);
	for (i = 2; i < 50; i++)
		assert_int_equal(s.cells[i].ch, 0);
	term_state_free(&s);
}

int
main(void)
{
#define T(x)	cmocka_unit_test_setup_teardown(x, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_flag_modes),
		T(test_mouse_modes),
		T(test_cursor_shape),
		T(test_alt_1049),
		T(test_alt_47_1047_1048),
		T(test_titles),
		T(test_clipboard),
		T(test_bells),
		T(test_device_attributes),
		T(test_status_reports),
		T(test_window_reports),
		T(test_decrqm),
		T(test_soft_reset),
		T(test_hard_reset),
		T(test_snapshot),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

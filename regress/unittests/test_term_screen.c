/* test_term_screen.c: printing, wrapping, wide and combining characters, cursor movement, scrolling, erasing, insert/delete, SGR, character sets and resize, against ECMA-48 and xterm's ctlseqs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
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

/* Rows "1".."5" on the 10x5 screen, cursor on the last one. */
static void
numbered(struct tfx *f)
{
	tfx_w(f, "1\r\n2\r\n3\r\n4\r\n5");
}

static void
assert_lines(struct tfx *f, const char *a, const char *b, const char *c,
    const char *d, const char *e)
{
	assert_line(f, 0, a);
	assert_line(f, 1, b);
	assert_line(f, 2, c);
	assert_line(f, 3, d);
	assert_line(f, 4, e);
}

static void
test_print_and_wrap(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "abc");
	assert_line(f, 0, "abc");
	assert_cursor(f, 3, 0);
	/* The last column: the cursor stays there, wrap pending. */
	tfx_w(f, "defghij");
	assert_line(f, 0, "abcdefghij");
	assert_cursor(f, 9, 0);
	tfx_w(f, "k");
	assert_line(f, 1, "k");
	assert_cursor(f, 1, 1);
	/* CR LF after a full line does not leave an empty line. */
	tfx_w(f, "\r\n0123456789\r\nx");
	assert_line(f, 2, "0123456789");
	assert_line(f, 3, "x");
}

static void
test_pending_wrap_cleared(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "0123456789\033[Dx");
	assert_line(f, 0, "01234567x9");
	assert_cursor(f, 9, 0);
	tfx_w(f, "\033[1;10Hy");
	assert_line(f, 0, "01234567xy");
	assert_cursor(f, 9, 0);
	/* BS from the pending state goes to the column before. */
	tfx_w(f, "\bz");
	assert_line(f, 0, "01234567zy");
	assert_line(f, 1, "");
}

static void
test_autowrap_off(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[?7l0123456789abc");
	assert_line(f, 0, "012345678c");
	assert_cursor(f, 9, 0);
	tfx_w(f, "d\xe4\xb8\x80");
	assert_line(f, 0, "01234567\xe4\xb8\x80");
	assert_line(f, 1, "");
	tfx_w(f, "\033[?7h\rabcdefghijk");
	assert_line(f, 1, "k");
}

static void
test_wide_chars(void **state)
{
	struct tfx *f = *state;
	struct term_cell c;

	tfx_w(f, "\xe4\xb8\x80x");
	c = tfx_cell(f, 0, 0);
	assert_int_equal(c.ch, 0x4e00);
	c = tfx_cell(f, 1, 0);
	assert_int_equal(c.ch, TERM_CH_WIDE_CONT);
	assert_int_equal(tfx_cell(f, 2, 0).ch, 'x');
	assert_cursor(f, 3, 0);
	/* One column left: the character goes to the next line. */
	tfx_w(f, "\rabcdefghi\xe4\xba\x8c");
	assert_line(f, 0, "abcdefghi");
	assert_int_equal(tfx_cell(f, 9, 0).ch, 0);
	assert_line(f, 1, "\xe4\xba\x8c");
	assert_cursor(f, 2, 1);
	/* Ending on the last column leaves the wrap pending. */
	tfx_w(f, "\033[3;9H\xe4\xb8\x89");
	assert_cursor(f, 9, 2);
	tfx_w(f, "z");
	assert_line(f, 3, "z");
}

static void
test_wide_overwrite(void **state)
{
	struct tfx *f = *state;

	/* Writing on the right half erases the left one, and writing on
	 * the left half erases the right one. */
	tfx_w(f, "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89\033[1;2Hx");
	assert_int_equal(tfx_cell(f, 0, 0).ch, 0);
	assert_int_equal(tfx_cell(f, 1, 0).ch, 'x');
	assert_int_equal(tfx_cell(f, 2, 0).ch, 0x4e8c);
	tfx_w(f, "y");
	assert_int_equal(tfx_cell(f, 2, 0).ch, 'y');
	assert_int_equal(tfx_cell(f, 3, 0).ch, 0);
	assert_int_equal(tfx_cell(f, 4, 0).ch, 0x4e09);
	/* A wide character over two halves of two others. */
	tfx_w(f, "\033[2;1H\xe4\xb8\x80\xe4\xba\x8c\033[2;2H\xe4\xb8\x89");
	assert_int_equal(tfx_cell(f, 0, 1).ch, 0);
	assert_int_equal(tfx_cell(f, 1, 1).ch, 0x4e09);
	assert_int_equal(tfx_cell(f, 2, 1).ch, TERM_CH_WIDE_CONT);
	assert_int_equal(tfx_cell(f, 3, 1).ch, 0);
}

static void
test_combining(void **state)
{
	struct tfx *f = *state;
	struct term_cell c;

	tfx_w(f, "e\xcc\x81x");
	c = tfx_cell(f, 0, 0);
	assert_int_equal(c.ch, 'e');
	assert_int_equal(c.comb[0], 0x301);
	assert_int_equal(c.comb[1], 0);
	assert_cursor(f, 2, 0);
	/* At most TERM_COMBINING_MAX marks. */
	tfx_w(f, "\xcc\x80\xcc\x82\xcc\x83");
	c = tfx_cell(f, 1, 0);
	assert_int_equal(c.comb[0], 0x300);
	assert_int_equal(c.comb[1], 0x302);
	/* On a wide character: its left half. */
	tfx_w(f, "\xe4\xb8\x80\xe2\x83\x9d");
	assert_int_equal(tfx_cell(f, 2, 0).comb[0], 0x20dd);
	assert_int_equal(tfx_cell(f, 3, 0).comb[0], 0);
	/* With the wrap pending: the last column. */
	tfx_w(f, "\r\n123456789a\xcc\x81");
	assert_int_equal(tfx_cell(f, 9, 1).comb[0], 0x301);
	assert_cursor(f, 9, 1);
	/* After a control there is no previous character: dropped. */
	tfx_w(f, "\r\n\xcc\x81" "b");
	c = tfx_cell(f, 0, 2);
	assert_int_equal(c.ch, 'b');
	assert_int_equal(c.comb[0], 0);
	/* Zero-width format characters join too. */
	tfx_w(f, "\xe2\x80\x8b");
	assert_int_equal(tfx_cell(f, 0, 2).comb[0], 0x200b);
	assert_cursor(f, 1, 2);
}

static void
test_zwj_sequences(void **state)
{
	struct tfx *f = *state;
	struct term_cell c;

	/* man ZWJ woman: one cell pair. */
	tfx_w(f, "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9");
	c = tfx_cell(f, 0, 0);
	assert_int_equal(c.ch, 0x1f468);
	assert_int_equal(c.comb[0], 0x200d);
	assert_int_equal(c.comb[1], 0x1f469);
	assert_cursor(f, 2, 0);
	/* A third person does not fit: it gets cells of its own. */
	tfx_w(f, "\r\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
	    "\xe2\x80\x8d\xf0\x9f\x91\xa7");
	assert_int_equal(tfx_cell(f, 2, 0).ch, 0x1f467);
	assert_cursor(f, 4, 0);
	/* ZWJ then a letter: the letter is not joined. */
	tfx_w(f, "\r\n" "a\xe2\x80\x8d" "b");
	assert_int_equal(tfx_cell(f, 0, 1).comb[0], 0x200d);
	assert_int_equal(tfx_cell(f, 1, 1).ch, 'b');
	/* A control between the ZWJ and an emoji ends the join: the emoji
	 * is printed where the cursor went. */
	tfx_w(f, "\r\n" "a\xe2\x80\x8d" "\033[C\xf0\x9f\x98\x80");
	assert_int_equal(tfx_cell(f, 0, 2).comb[1], 0);
	assert_int_equal(tfx_cell(f, 2, 2).ch, 0x1f600);
	assert_cursor(f, 4, 2);
}

static void
test_insert_mode(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "abcdef\033[1;3H\033[4hXY");
	assert_line(f, 0, "abXYcdef");
	assert_cursor(f, 4, 0);
	tfx_w(f, "\xe4\xb8\x80");
	assert_line(f, 0, "abXY\xe4\xb8\x80" "cdef");
	tfx_w(f, "1");
	assert_line(f, 0, "abXY\xe4\xb8\x80" "1cde");
	tfx_w(f, "\033[4lZ");
	assert_line(f, 0, "abXY\xe4\xb8\x80" "1Zde");
}

static void
test_c0_controls(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\b");
	assert_cursor(f, 0, 0);
	tfx_w(f, "ab\bc");
	assert_line(f, 0, "ac");
	tfx_w(f, "\n");
	assert_cursor(f, 2, 1);
	tfx_w(f, "\v\f");
	assert_cursor(f, 2, 3);
	tfx_w(f, "\r");
	assert_cursor(f, 0, 3);
	/* LNM: LF also returns. */
	tfx_w(f, "xy\033[20h\n");
	assert_cursor(f, 0, 4);
	tfx_w(f, "\033[20l");
	/* NUL and other C0 are ignored. */
	tfx_w(f, "a\001\002\003b");
	assert_line(f, 4, "ab");
}

static void
test_tabs(void **state)
{
	struct tfx *f;

	(void)state;
	f = tfx_new(20, 2);
	tfx_w(f, "\t");
	assert_cursor(f, 8, 0);
	tfx_w(f, "\t");
	assert_cursor(f, 16, 0);
	tfx_w(f, "\t");
	assert_cursor(f, 19, 0);
	/* HTS, TBC 0, TBC 3. */
	tfx_w(f, "\r\033[3G\033H\r\t");
	assert_cursor(f, 2, 0);
	tfx_w(f, "\033[0g\r\t");
	assert_cursor(f, 8, 0);
	tfx_w(f, "\033[3g\r\t");
	assert_cursor(f, 19, 0);
	tfx_w(f, "\033c\033[2I");
	assert_cursor(f, 16, 0);
	tfx_w(f, "\033[Z");
	assert_cursor(f, 8, 0);
	tfx_w(f, "\033[5Z");
	assert_cursor(f, 0, 0);
	/* C1 HTS (U+0088). */
	tfx_w(f, "\033[5G\xc2\x88\r\t");
	assert_cursor(f, 4, 0);
	tfx_free(f);
}

static void
test_cursor_moves(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[3;4H");
	assert_cursor(f, 3, 2);
	tfx_w(f, "\033[A");
	assert_cursor(f, 3, 1);
	tfx_w(f, "\033[0A");		/* 0 counts as 1 */
	assert_cursor(f, 3, 0);
	tfx_w(f, "\033[9A");
	assert_cursor(f, 3, 0);
	tfx_w(f, "\033[2B");
	assert_cursor(f, 3, 2);
	tfx_w(f, "\033[99B");
	assert_cursor(f, 3, 4);
	tfx_w(f, "\033[3C");
	assert_cursor(f, 6, 4);
	tfx_w(f, "\033[99C");
	assert_cursor(f, 9, 4);
	tfx_w(f, "\033[4D");
	assert_cursor(f, 5, 4);
	tfx_w(f, "\033[99D");
	assert_cursor(f, 0, 4);
	tfx_w(f, "\033[5G\033[2F");		/* CHA, CPL */
	assert_cursor(f, 0, 2);
	tfx_w(f, "\033[5G\033[E");		/* CNL */
	assert_cursor(f, 0, 3);
	tfx_w(f, "\033[7`");			/* HPA */
	assert_cursor(f, 6, 3);
	tfx_w(f, "\033[2d");			/* VPA */
	assert_cursor(f, 6, 1);
	tfx_w(f, "\033[2a\033[e");		/* HPR, VPR */
	assert_cursor(f, 8, 2);
	tfx_w(f, "\033[H");
	assert_cursor(f, 0, 0);
	tfx_w(f, "\033[5;6f");			/* HVP */
	assert_cursor(f, 5, 4);
	tfx_w(f, "\033[99;99H");
	assert_cursor(f, 9, 4);
	tfx_w(f, "\033[;3H");
	assert_cursor(f, 2, 0);
}

/* CUU and CUD stop at the margins only from inside the region. */
static void
test_moves_with_margins(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[2;4r\033[3;1H\033[9A");
	assert_cursor(f, 0, 1);
	tfx_w(f, "\033[9B");
	assert_cursor(f, 0, 3);
	tfx_w(f, "\033[5;1H\033[9A");	/* from below: stops at the top */
	assert_cursor(f, 0, 1);
	tfx_w(f, "\033[1;1H\033[9B");
	assert_cursor(f, 0, 3);
	tfx_w(f, "\033[1;1H\033[A");
	assert_cursor(f, 0, 0);
}

static void
test_origin_mode(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[2;4r\033[?6h");
	assert_cursor(f, 0, 1);
	tfx_w(f, "\033[2;3H");
	assert_cursor(f, 2, 2);
	tfx_w(f, "\033[9;1H");
	assert_cursor(f, 0, 3);
	tfx_w(f, "\033[6n");
	assert_reply(f, "\033[3;1R");
	tfx_w(f, "\033[1d");
	assert_cursor(f, 0, 1);
	tfx_w(f, "\033[?6l");
	assert_cursor(f, 0, 0);
	tfx_w(f, "\033[6n");
	assert_reply(f, "\033[1;1R");
}

static void
test_index_and_reverse(void **state)
{
	struct tfx *f = *state;

	numbered(f);
	tfx_w(f, "\033D");
	assert_lines(f, "2", "3", "4", "5", "");
	assert_cursor(f, 1, 4);
	tfx_w(f, "\033[1;3H\033M");
	assert_lines(f, "", "2", "3", "4", "5");
	assert_cursor(f, 2, 0);
	tfx_w(f, "\033[2;1H\033M");
	assert_cursor(f, 0, 0);
	tfx_w(f, "\033[1;4H\033E");
	assert_cursor(f, 0, 1);
	/* The C1 forms. */
	tfx_w(f, "\xc2\x84");
	assert_cursor(f, 0, 2);
	tfx_w(f, "\xc2\x8d\xc2\x8d");
	assert_cursor(f, 0, 0);
	tfx_w(f, "\033[5;5H\xc2\x85");
	assert_lines(f, "2", "3", "4", "5", "");
	assert_cursor(f, 0, 4);
}

static void
test_scroll_region(void **state)
{
	struct tfx *f = *state;

	numbered(f);
	tfx_w(f, "\033[2;4r");
	assert_cursor(f, 0, 0);
	tfx_w(f, "\033[4;1H\n");
	assert_lines(f, "1", "3", "4", "", "5");
	tfx_w(f, "\033[2;1H\033M");
	assert_lines(f, "1", "", "3", "4", "5");
	/* Below the region, LF at the bottom does not scroll. */
	tfx_w(f, "\033[5;1H\n\n");
	assert_lines(f, "1", "", "3", "4", "5");
	assert_cursor(f, 0, 4);
	/* A bad region is refused; CSI r is the whole screen. */
	tfx_w(f, "\033[4;2r\033[5;1H\n");
	assert_lines(f, "1", "", "3", "4", "5");
	tfx_w(f, "\033[r\033[5;1H\n");
	assert_lines(f, "", "3", "4", "5", "");
}

static void
test_scrollback(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "0123456789abc\r\n2\r\n3\r\n4\r\n5\r\n6");
	assert_int_equal(f->nsb, 2);
	assert_string_equal(f->sb[0], "0123456789");
	assert_int_equal(f->sbwrap[0], 1);
	assert_string_equal(f->sb[1], "abc");
	assert_int_equal(f->sbwrap[1], 0);
	/* Not from a partial region, not from DL. */
	tfx_w(f, "\033[1;4r\033[4;1H\n\033[r\033[1;1H\033[M");
	assert_int_equal(f->nsb, 2);
	/* SU counts as scrolling. */
	tfx_w(f, "\033[2S");
	assert_int_equal(f->nsb, 4);
	/* Not from the alternate screen. */
	tfx_w(f, "\033[?1049h\033[5;1H\n\n\033[3S");
	assert_int_equal(f->nsb, 4);
}

static void
test_erase_display(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "aaaaa\r\nbbbbb\r\nccccc\r\nddddd\r\neeeee\033[3;3H\033[J");
	assert_lines(f, "aaaaa", "bbbbb", "cc", "", "");
	tfx_w(f, "\033[2;2H\033[1J");
	assert_lines(f, "", "  bbb", "cc", "", "");
	tfx_w(f, "\033[2J");
	assert_lines(f, "", "", "", "", "");
	assert_cursor(f, 1, 1);
	tfx_w(f, "x\033[3J");
	assert_line(f, 1, " x");
}

static void
test_erase_line(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "abcdefghij\033[1;4H\033[K");
	assert_line(f, 0, "abc");
	tfx_w(f, "\rabcdefghij\033[1;4H\033[1K");
	assert_line(f, 0, "    efghij");
	tfx_w(f, "\033[2K");
	assert_line(f, 0, "");
	/* Erasing half of a wide character erases all of it. */
	tfx_w(f, "\r\xe4\xb8\x80\xe4\xb8\x80\033[1;2H\033[1K");
	assert_int_equal(tfx_cell(f, 2, 0).ch, 0x4e00);
	assert_int_equal(tfx_cell(f, 0, 0).ch, 0);
	tfx_w(f, "\033[1;4H\033[K");
	assert_int_equal(tfx_cell(f, 2, 0).ch, 0);
}

/* Erased cells take the current background (xterm's BCE), with the
 * default foreground and no attributes. */
static void
test_bce(void **state)
{
	struct tfx *f = *state;
	struct term_cell c;

	tfx_w(f, "abc\033[1;4;44;31m\033[1;2H\033[K");
	c = tfx_cell(f, 5, 0);
	assert_int_equal(c.ch, 0);
	assert_int_equal(c.bg, TERM_COLOR_INDEX(4));
	assert_int_equal(c.fg, TERM_COLOR_DEFAULT);
	assert_int_equal(c.attrs, 0);
	assert_int_equal(tfx_cell(f, 0, 0).bg, TERM_COLOR_DEFAULT);
	tfx_w(f, "\033[42m\033[3;1H\033[2X");
	assert_int_equal(tfx_cell(f, 1, 2).bg, TERM_COLOR_INDEX(2));
	assert_int_equal(tfx_cell(f, 2, 2).bg, TERM_COLOR_DEFAULT);
	tfx_w(f, "\033[43m\033[5;1H\n");
	assert_int_equal(tfx_cell(f, 9, 4).bg, TERM_COLOR_INDEX(3));
	tfx_w(f, "\033[45m\033[2J");
	assert_int_equal(tfx_cell(f, 0, 0).bg, TERM_COLOR_INDEX(5));
	tfx_w(f, "\033[H\033[46m\033[@");
	assert_int_equal(tfx_cell(f, 0, 0).bg, TERM_COLOR_INDEX(6));
	assert_int_equal(tfx_cell(f, 1, 0).bg, TERM_COLOR_INDEX(5));
	tfx_w(f, "\033[47m\033[L");
	assert_int_equal(tfx_cell(f, 9, 0).bg, TERM_COLOR_INDEX(7));
}

static void
test_ech_ich_dch(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "abcdefghij\033[1;3H\033[3X");
	assert_line(f, 0, "ab   fghij");
	assert_cursor(f, 2, 0);
	tfx_w(f, "\rabcdefghij\033[1;3H\033[2@");
	assert_line(f, 0, "ab  cdefgh");
	tfx_w(f, "\033[P");
	assert_line(f, 0, "ab cdefgh");
	tfx_w(f, "\033[99P");
	assert_line(f, 0, "ab");
	tfx_w(f, "\rabcdefghij\033[1;3H\033[99@");
	assert_line(f, 0, "ab");
	tfx_w(f, "\rabcdefghij\033[1;9H\033[99X");
	assert_line(f, 0, "abcdefgh");
	/* ICH pushing a wide character off the edge erases it. */
	tfx_w(f, "\r12345678\xe4\xb8\x80\033[1;1H\033[@");
	assert_line(f, 0, " 12345678");
	/* DCH of the left half of a wide character: the right half
	 * left over is blank. */
	tfx_w(f, "\r\xe4\xb8\x80" "abcdefgh\033[1;1H\033[P");
	assert_line(f, 0, " abcdefgh");
	assert_int_equal(tfx_cell(f, 0, 0).ch, 0);
}

static void
test_il_dl(void **state)
{
	struct tfx *f = *state;

	numbered(f);
	tfx_w(f, "\033[2;4r\033[3;2H\033[L");
	assert_lines(f, "1", "2", "", "3", "5");
	assert_cursor(f, 0, 2);
	tfx_w(f, "\033[2;2H\033[2M");
	assert_lines(f, "1", "3", "", "", "5");
	/* Outside the region: nothing. */
	tfx_w(f, "\033[1;1H\033[L\033[5;1H\033[M");
	assert_lines(f, "1", "3", "", "", "5");
	tfx_w(f, "\033[2;1H\033[99L");
	assert_lines(f, "1", "", "", "", "5");
}

static void
test_su_sd(void **state)
{
	struct tfx *f = *state;

	numbered(f);
	tfx_w(f, "\033[2;4r\033[S");
	assert_lines(f, "1", "3", "4", "", "5");
	tfx_w(f, "\033[2T");
	assert_lines(f, "1", "", "", "3", "5");
	/* With five parameters, T is mouse tracking: ignored. */
	tfx_w(f, "\033[1;1;1;1;1T");
	assert_lines(f, "1", "", "", "3", "5");
	tfx_w(f, "\033[r\033[9S");
	assert_lines(f, "", "", "", "", "");
}

static void
test_rep(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[3b");
	assert_line(f, 0, "");
	tfx_w(f, "a\033[3b");
	assert_line(f, 0, "aaaa");
	tfx_w(f, "\033[1mb\033[0b");
	assert_line(f, 0, "aaaabb");
	assert_true(tfx_cell(f, 5, 0).attrs & TERM_ATTR_BOLD);
	tfx_w(f, "\r\n\xe4\xb8\x80\033[2b");
	assert_line(f, 1, "\xe4\xb8\x80\xe4\xb8\x80\xe4\xb8\x80");
	/* It wraps like printing. */
	tfx_w(f, "\r\nx\033[12b");
	assert_line(f, 2, "xxxxxxxxxx");
	assert_line(f, 3, "xxx");
}

static struct term_cell
colors_after(struct tfx *f, const char *sgr)
{
	tfx_w(f, "\033[H\033[0m");
	tfx_w(f, sgr);
	tfx_w(f, "x");
	return tfx_cell(f, 0, 0);
}

static uint16_t
attrs_after(struct tfx *f, const char *sgr)
{
	tfx_w(f, "\033[H\033[0m");
	tfx_w(f, sgr);
	tfx_w(f, "x");
	return tfx_cell(f, 0, 0).attrs;
}

#define UL(s)	((uint16_t)((s) << TERM_ATTR_UL_SHIFT))

static void
test_sgr_attributes(void **state)
{
	struct tfx *f = *state;

	assert_int_equal(attrs_after(f, "\033[1m"), TERM_ATTR_BOLD);
	assert_int_equal(attrs_after(f, "\033[2m"), TERM_ATTR_FAINT);
	assert_int_equal(attrs_after(f, "\033[3m"), TERM_ATTR_ITALIC);
	assert_int_equal(attrs_after(f, "\033[4m"), UL(TERM_UL_SINGLE));
	assert_int_equal(attrs_after(f, "\033[5m"), TERM_ATTR_BLINK);
	assert_int_equal(attrs_after(f, "\033[7m"), TERM_ATTR_INVERSE);
	assert_int_equal(attrs_after(f, "\033[8m"), TERM_ATTR_INVISIBLE);
	assert_int_equal(attrs_after(f, "\033[9m"), TERM_ATTR_STRIKE);
	assert_int_equal(attrs_after(f, "\033[21m"), UL(TERM_UL_DOUBLE));
	assert_int_equal(attrs_after(f, "\033[4:0m"), 0);
	assert_int_equal(attrs_after(f, "\033[4:1m"), UL(TERM_UL_SINGLE));
	assert_int_equal(attrs_after(f, "\033[4:2m"), UL(TERM_UL_DOUBLE));
	assert_int_equal(attrs_after(f, "\033[4:3m"), UL(TERM_UL_CURLY));
	assert_int_equal(attrs_after(f, "\033[4:4m"), UL(TERM_UL_DOTTED));
	assert_int_equal(attrs_after(f, "\033[4:5m"), UL(TERM_UL_DASHED));
	assert_int_equal(attrs_after(f, "\033[4:3;4:9m"), UL(TERM_UL_CURLY));
	assert_int_equal(attrs_after(f, "\033[1;2;22m"), 0);
	assert_int_equal(attrs_after(f, "\033[3;23m"), 0);
	assert_int_equal(attrs_after(f, "\033[4:3;24m"), 0);
	assert_int_equal(attrs_after(f, "\033[5;25m"), 0);
	assert_int_equal(attrs_after(f, "\033[7;27m"), 0);
	assert_int_equal(attrs_after(f, "\033[8;28m"), 0);
	assert_int_equal(attrs_after(f, "\033[9;29m"), 0);
	assert_int_equal(attrs_after(f, "\033[1;7;0m"), 0);
	assert_int_equal(attrs_after(f, "\033[1;7m\033[m"), 0);
	assert_int_equal(attrs_after(f, "\033[1;7;;3m"), TERM_ATTR_ITALIC);
	assert_int_equal(attrs_after(f, "\033[1;999;3m"),
	    TERM_ATTR_BOLD | TERM_ATTR_ITALIC);
	/* Codes with no meaning here change nothing. */
	assert_int_equal(attrs_after(f, "\033[5;7;20;26;10;11;50;60;73m"),
	    TERM_ATTR_BLINK | TERM_ATTR_INVERSE);
	assert_int_equal(colors_after(f, "\033[98;99;108;109m").fg,
	    TERM_COLOR_DEFAULT);
	assert_int_equal(colors_after(f, "\033[98;99;108;109m").bg,
	    TERM_COLOR_DEFAULT);
}

static void
assert_colors(struct tfx *f, const char *sgr, uint32_t fg, uint32_t bg)
{
	struct term_cell c = colors_after(f, sgr);

	assert_int_equal(c.fg, fg);
	assert_int_equal(c.bg, bg);
}

static void
test_sgr_colors(void **state)
{
	struct tfx *f = *state;
	const uint32_t D = TERM_COLOR_DEFAULT;

	assert_colors(f, "\033[31;42m", TERM_COLOR_INDEX(1),
	    TERM_COLOR_INDEX(2));
	assert_colors(f, "\033[37;47m", TERM_COLOR_INDEX(7),
	    TERM_COLOR_INDEX(7));
	assert_colors(f, "\033[90;107m", TERM_COLOR_INDEX(8),
	    TERM_COLOR_INDEX(15));
	assert_colors(f, "\033[31;42;39;49m", D, D);
	assert_colors(f, "\033[38;5;200;48;5;17m", TERM_COLOR_INDEX(200),
	    TERM_COLOR_INDEX(17));
	assert_colors(f, "\033[38:5:200;48:5:0m", TERM_COLOR_INDEX(200),
	    TERM_COLOR_INDEX(0));
	assert_colors(f, "\033[38;2;1;2;3;48;2;255;254;253m",
	    TERM_COLOR_RGB(1, 2, 3), TERM_COLOR_RGB(255, 254, 253));
	assert_colors(f, "\033[38:2::1:2:3m", TERM_COLOR_RGB(1, 2, 3), D);
	assert_colors(f, "\033[38:2:1:2:3m", TERM_COLOR_RGB(1, 2, 3), D);
	assert_colors(f, "\033[48:2:0:10:20:30m", D,
	    TERM_COLOR_RGB(10, 20, 30));
	/* Out of range: the colour is ignored, what follows is not. */
	assert_colors(f, "\033[38;5;256;41m", D, TERM_COLOR_INDEX(1));
	assert_colors(f, "\033[38;2;1;300;3;41m", D, TERM_COLOR_INDEX(1));
	assert_colors(f, "\033[38;5m", D, D);
	assert_colors(f, "\033[38;2;1;2m", D, D);
	assert_colors(f, "\033[38:5:1;42m", TERM_COLOR_INDEX(1),
	    TERM_COLOR_INDEX(2));
	/* 58 (underline colour) is parsed and dropped. */
	assert_colors(f, "\033[58:2::1:2:3;41m", D, TERM_COLOR_INDEX(1));
	assert_colors(f, "\033[58;5;3;42m", D, TERM_COLOR_INDEX(2));
	assert_int_equal(colors_after(f, "\033[58;2;1;2;3;1m").attrs,
	    TERM_ATTR_BOLD);
}

static void
test_charsets(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033(0lqkxmj\033(Bq");
	assert_line(f, 0, "\xe2\x94\x8c\xe2\x94\x80\xe2\x94\x90\xe2\x94\x82"
	    "\xe2\x94\x94\xe2\x94\x98q");
	tfx_w(f, "\r\n\033)0a\016x`\017x");
	assert_line(f, 1, "a\xe2\x94\x82\xe2\x97\x86x");
	tfx_w(f, "\r\n\033(A#\033(B#");
	assert_line(f, 2, "\xc2\xa3#");
	/* DECSC/DECRC keep the character sets. */
	tfx_w(f, "\r\n\033(0\0337\033(B\0338q");
	assert_line(f, 3, "\xe2\x94\x80");
	/* Unknown sets leave G0 as it was. */
	tfx_w(f, "\033(Zq\033(B");
	assert_line(f, 3, "\xe2\x94\x80\xe2\x94\x80");
}

static void
test_decaln(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[2;3r\033[3;3H\033#8");
	assert_lines(f, "EEEEEEEEEE", "EEEEEEEEEE", "EEEEEEEEEE",
	    "EEEEEEEEEE", "EEEEEEEEEE");
	assert_cursor(f, 0, 0);
	tfx_w(f, "\033[5;1H\n");	/* the region is the whole screen */
	assert_line(f, 4, "");
}

static void
test_save_restore(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\0338");
	assert_cursor(f, 0, 0);
	tfx_w(f, "\033[2;3H\033[1;31m\0337\033[0m\033[5;5H\0338x");
	assert_cursor(f, 3, 1);
	assert_int_equal(tfx_cell(f, 2, 1).attrs, TERM_ATTR_BOLD);
	assert_int_equal(tfx_cell(f, 2, 1).fg, TERM_COLOR_INDEX(1));
	tfx_w(f, "\033[4;4H\033[s\033[H\033[u");
	assert_cursor(f, 3, 3);
	/* Origin mode is saved too. */
	tfx_w(f, "\033[2;4r\033[?6h\0337\033[?6l\0338\033[H");
	assert_cursor(f, 0, 1);
}

static void
test_resize_columns(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "abcdefghij\r\n1234\xe4\xb8\x80");
	assert_int_equal(term_resize(f->t, 5, 5), 0);
	assert_line(f, 0, "abcde");
	assert_line(f, 1, "1234");
	assert_int_equal(tfx_cell(f, 4, 1).ch, 0);
	assert_cursor(f, 4, 1);
	/* No reflow: growing back pads with blanks. */
	assert_int_equal(term_resize(f->t, 10, 5), 0);
	assert_line(f, 0, "abcde");
	assert_int_equal(tfx_cell(f, 9, 0).ch, 0);
	assert_cursor(f, 4, 1);
}

static void
test_resize_rows(void **state)
{
	struct tfx *f = *state;

	/* The cursor on the last line: lines go to the scrollback. */
	numbered(f);
	assert_int_equal(term_resize(f->t, 10, 3), 0);
	assert_int_equal(f->nsb, 2);
	assert_string_equal(f->sb[0], "1");
	assert_string_equal(f->sb[1], "2");
	assert_line(f, 0, "3");
	assert_line(f, 2, "5");
	assert_cursor(f, 1, 2);
	/* The cursor at the top: the bottom is cut. */
	assert_int_equal(term_resize(f->t, 10, 5), 0);
	assert_line(f, 3, "");
	tfx_w(f, "\033[H");
	assert_int_equal(term_resize(f->t, 10, 1), 0);
	assert_int_equal(f->nsb, 2);
	assert_line(f, 0, "3");
	/* The region is reset, the cursor clamped. */
	assert_int_equal(term_resize(f->t, 10, 5), 0);
	tfx_w(f, "\033[2;3r\033[5;10H");
	assert_int_equal(term_resize(f->t, 4, 4), 0);
	assert_int_equal(f->nsb, 3);
	assert_string_equal(f->sb[2], "3");
	assert_cursor(f, 3, 3);
	tfx_w(f, "\033[1;1Hx\033[4;1H\n");
	assert_line(f, 2, "");
	assert_int_equal(f->nsb, 4);
	assert_string_equal(f->sb[3], "x");
}

static void
test_resize_tabs_and_limits(void **state)
{
	struct tfx *f = *state;

	tfx_w(f, "\033[3g");
	assert_int_equal(term_resize(f->t, 20, 5), 0);
	tfx_w(f, "\r\t");
	assert_cursor(f, 16, 0);
	assert_int_equal(term_resize(f->t, 0, 5), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_resize(f->t, 10, 0), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_resize(f->t, TERM_COLS_MAX + 1, 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_resize(f->t, 4096, 4096),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_resize(f->t, 1024, 1024), 0);
	assert_null(term_new(0, 1, NULL, NULL));
	assert_null(term_new(2048, 1024, NULL, NULL));
}

/* The alternate screen keeps its own content through a resize. */
static void
test_resize_alternate(void **state)
{
	struct tfx *f = *state;

	numbered(f);
	tfx_w(f, "\033[?1049h\033[Halt\033[5;1H");
	assert_int_equal(term_resize(f->t, 8, 3), 0);
	assert_line(f, 2, "");
	assert_line(f, 0, "");
	tfx_w(f, "\033[?1049l");
	assert_line(f, 0, "3");
	assert_line(f, 2, "5");
	assert_cursor(f, 1, 2);
}

static void
test_one_column(void **state)
{
	struct tfx *f;

	(void)state;
	f = tfx_new(1, 2);
	tfx_w(f, "ab\xe4\xb8\x80" "c");
	assert_line(f, 0, "b");
	assert_line(f, 1, "c");
	tfx_free(f);
}

static void
test_line_text(void **state)
{
	struct tfx *f = *state;
	char buf[16];

	tfx_w(f, "ab\xe4\xb8\x80" "e\xcc\x81  \033[2;1Hx");
	assert_int_equal(term_line_text(f->t, 0, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "ab\xe4\xb8\x80" "e\xcc\x81");
	/* Cut before a character with its marks that does not fit. */
	assert_int_equal(term_line_text(f->t, 0, buf, 8), 5);
	assert_string_equal(buf, "ab\xe4\xb8\x80");
	assert_int_equal(term_line_text(f->t, 0, buf, 5), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(term_line_text(f->t, 0, buf, 1), 0);
	assert_string_equal(buf, "");
	assert_int_equal(term_line_text(f->t, 5, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(term_line_text(f->t, 1, buf, sizeof(buf)), 1);
}

int
main(void)
{
#define T(x)	cmocka_unit_test_setup_teardown(x, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_print_and_wrap),
		T(test_pending_wrap_cleared),
		T(test_autowrap_off),
		T(test_wide_chars),
		T(test_wide_overwrite),
		T(test_combining),
		T(test_zwj_sequences),
		T(test_insert_mode),
		T(test_c0_controls),
		T(test_tabs),
		T(test_cursor_moves),
		T(test_moves_with_margins),
		T(test_origin_mode),
		T(test_index_and_reverse),
		T(test_scroll_region),
		T(test_scrollback),
		T(test_erase_display),
		T(test_erase_line),
		T(test_bce),
		T(test_ech_ich_dch),
		T(test_il_dl),
		T(test_su_sd),
		T(test_rep),
		T(test_sgr_attributes),
		T(test_sgr_colors),
		T(test_charsets),
		T(test_decaln),
		T(test_save_restore),
		T(test_resize_columns),
		T(test_resize_rows),
		T(test_resize_tabs_and_limits),
		T(test_resize_alternate),
		T(test_one_column),
		T(test_line_text),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_term_diff.c: screen diffs: exact bytes for simple changes, the size of typical ones, and each applied to an emulator giving the target. */
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

#define DIFF_MAX	(1024 * 1024)

/* A fresh state from a base and more bytes. */
static void
state_after(struct term_state *st, uint16_t cols, uint16_t rows,
    const char *base, const char *more)
{
	char all[8192];

	snprintf(all, sizeof(all), "%s%s", base, more);
	tfx_state_of(st, cols, rows, all);
}

static void
feed(struct term *t, const struct buf *b)
{
	term_write(t, buf_ptr(b), buf_len(b));
}

/* diff(from, to) into out; an emulator brought to from by a full
 * repaint and then fed it shows to. */
static void
diff_checked(const struct term_state *from, const struct term_state *to,
    struct buf *out)
{
	struct term *t = term_new(to->cols, to->rows, NULL, NULL);
	struct buf *first = buf_new(DIFF_MAX);
	struct term_state got;

	assert_non_null(t);
	assert_non_null(first);
	if (from != NULL) {
		assert_int_equal(term_diff(NULL, from, first), 0);
		feed(t, first);
	}
	buf_reset(out);
	assert_int_equal(term_diff(from, to, out), 0);
	feed(t, out);
	assert_int_equal(term_snapshot(t, &got), 0);
	got.bells = to->bells;
	assert_true(term_state_equal(to, &got));
	term_state_free(&got);
	buf_free(first);
	term_free(t);
}

static void
show(const char *what, const struct buf *b)
{
	const uint8_t *p = buf_ptr(b);
	size_t i;

	print_error("%s %zu bytes: ", what, buf_len(b));
	for (i = 0; i < buf_len(b); i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			print_error("%c", p[i]);
		else
			print_error("\\x%02x", p[i]);
	}
	print_error("\n");
}

static void
assert_diff(const struct term_state *from, const struct term_state *to,
    const char *want)
{
	struct buf *out = buf_new(DIFF_MAX);

	assert_non_null(out);
	diff_checked(from, to, out);
	if (want != NULL && (buf_len(out) != strlen(want) ||
	    memcmp(buf_ptr(out), want, strlen(want)) != 0)) {
		show("got", out);
		fail();
	}
	buf_free(out);
}

static size_t
diff_size(const struct term_state *from, const struct term_state *to)
{
	struct buf *out = buf_new(DIFF_MAX);
	size_t n;

	assert_non_null(out);
	diff_checked(from, to, out);
	n = buf_len(out);
	buf_free(out);
	return n;
}

/* The change base+a -> base+b on a size x screen gives want. */
static void
check(uint16_t cols, uint16_t rows, const char *base, const char *a,
    const char *b, const char *want)
{
	struct term_state sa, sb;

	state_after(&sa, cols, rows, base, a);
	state_after(&sb, cols, rows, base, b);
	assert_diff(&sa, &sb, want);
	term_state_free(&sa);
	term_state_free(&sb);
}

static void
test_nothing(void **state)
{
	(void)state;
	check(80, 24, "hello", "", "", "");
}

/* The target: a typed character under 16 bytes. */
static void
test_typed_char(void **state)
{
	struct term_state a, b;

	(void)state;
	check(80, 24, "$ ", "", "l", "l");
	check(80, 24, "$ ", "", "\033[1;31mx", "\033[1;31mx\033[m");
	check(80, 24, "$ ls", "\b\b", "\b\bX", "X");
	/* A character elsewhere, and back to where the cursor was. */
	tfx_state_of(&a, 80, 24, "\033[10;10Habc\033[20;5H");
	tfx_state_of(&b, 80, 24, "\033[10;10Habc\033[15;40Hq\033[20;5H");
	assert_true(diff_size(&a, &b) <= 16);
	term_state_free(&a);
	term_state_free(&b);
}

static void
test_moves(void **state)
{
	(void)state;
	check(80, 24, "", "\033[6;6H", "\033[7;1H", "\n\r");
	check(80, 24, "", "\033[4;6H", "\033[4;11H", "\033[5C");
	check(80, 24, "", "\033[4;6H", "\033[4;4H", "\b\b");
	check(80, 24, "", "\033[4;6H", "\033[3;6H", "\033M");
	check(80, 24, "", "\033[4;6H", "\033[5;6H", "\n");
	check(80, 24, "", "\033[13;41H", "\033[1;1H", "\033[H");
	check(80, 24, "", "\033[1;1H", "\033[13;41H", "\033[13;41H");
	check(80, 24, "", "\033[5;70H", "\033[20;70H", "\033[15B");
	check(80, 24, "", "\033[5;70H", "\033[5;1H", "\r");
	check(80, 24, "", "\033[5;70H", "\033[5;3H", "\033[3G");
	check(80, 24, "", "\033[5;70H", "\033[6;3H", "\n\033[3G");
}

/* Printing cells again that are right is cheaper than a CSI move. */
static void
test_print_over(void **state)
{
	(void)state;
	check(80, 24, "abcdef", "\r", "\rabX\b", "abX\b");
	check(80, 24, "abcdef", "\r", "\rabX", "abX");
}

static void
test_erase(void **state)
{
	(void)state;
	/* Blanks at the end of a line: EL; ED if all below are blank. */
	check(80, 24, "", "hello world\r\nx\033[A", "hello\r\nx\033[A",
	    "\033[6G\033[K\rh");
	check(80, 24, "", "hello world", "hello", "\033[6G\033[J");
	/* Inside a line: ECH. */
	check(80, 24, "", "abcXYZdef", "abc\033[3X\033[3Cdef",
	    "\033[4G\033[3X\033[6C");
	/* Coloured blanks: the background is set first. */
	check(80, 24, "", "hello", "\033[44m\033[K\033[m",
	    "\033[44m\r\033[K\033[m");
	/* Everything below: ED. */
	check(80, 24, "", "a\r\nb\r\nc\r\nd\033[H", "\033[H",
	    "\033[J");
}

static void
test_sgr(void **state)
{
	(void)state;
	/* Only what changes, in one SGR. */
	check(80, 24, "", "", "\033[1mA\033[31mB\033[m",
	    "\033[1mA\033[31mB\033[m");
	check(80, 24, "", "", "\033[1;2;3;4mA\033[22;2mB",
	    "\033[1;2;3;4mA\033[22;2mB\033[m");
	check(80, 24, "", "", "\033[38;5;200;48;2;1;2;3mA",
	    "\033[38;5;200;48;2;1;2;3mA\033[m");
	check(80, 24, "", "", "\033[4:3;92;103mA", "\033[4:3;92;103mA\033[m");
	check(80, 24, "", "", "\033[21;9;7;8;5mA\033[m",
	    "\033[5;7;8;9;21mA\033[m");
	/* Turning one of many off: a reset is shorter than the others. */
	check(80, 24, "", "", "\033[1;3;4;7mA\033[0;7mB",
	    "\033[1;3;7;4mA\033[0;7mB\033[m");
}

static void
test_modes(void **state)
{
	(void)state;
	check(80, 24, "", "", "\033[?1h", "\033[?1h");
	check(80, 24, "", "\033[?1h", "\033[?1l", "\033[?1l");
	check(80, 24, "", "", "\033[?2004h\033[?1004h", "\033[?1004;2004h");
	check(80, 24, "", "", "\033[?1002h\033[?1006h", "\033[?1002;1006h");
	check(80, 24, "", "\033[?1002h", "", "\033[?1002l");
	check(80, 24, "", "\033[?1002h", "\033[?1000h", "\033[?1000h");
	check(80, 24, "", "", "\033=", "\033=");
	check(80, 24, "", "\033=", "\033>", "\033>");
	check(80, 24, "", "", "\033[?25l", "\033[?25l");
	check(80, 24, "", "", "\033[?5h", "\033[?5h");
	check(80, 24, "", "", "\033[4 q", "\033[4 q");
	check(80, 24, "", "\033[4 q", "\033[0 q", "\033[ q");
	check(80, 24, "", "", "\033]0;t\a", "\033]0;t\a");
	check(80, 24, "\033]0;t\a", "", "\033]2;u\a", "\033]2;u\a");
	check(80, 24, "\033]0;t\a", "", "\033]1;u\a", "\033]1;u\a");
	check(80, 24, "\033]0;t\a", "", "\033]0;\a", "\033]0;\a");
	check(80, 24, "", "\033]0;t\a", "\033]2;u\a", "\033]1;\a\033]2;u\a");
	check(80, 24, "", "", "\a\a", "\a");
	/* Hidden state is not synchronised: only the cursor moved (origin
	 * mode took it to the top of the region). */
	check(80, 24, "", "", "\033[4h\033[?6h\033[3;5r\033(0", "\n\n");
}

static void
test_alternate_screen(void **state)
{
	struct term_state a, b;
	struct buf *out = buf_new(DIFF_MAX);

	(void)state;
	assert_non_null(out);
	tfx_state_of(&a, 80, 24, "$ vim\r\n");
	tfx_state_of(&b, 80, 24, "$ vim\r\n\033[?1049h\033[Hfile\033[24;1H:q");
	diff_checked(&a, &b, out);
	assert_true(buf_len(out) > 8);
	assert_memory_equal(buf_ptr(out), "\033[?1049h", 8);
	diff_checked(&b, &a, out);
	assert_memory_equal(buf_ptr(out), "\033[?1049l\033[2J", 12);
	/* Into a screen with a coloured background: cleared in it. */
	term_state_free(&b);
	tfx_state_of(&b, 80, 24, "\033[?1049h\033[44m\033[2J\033[Hx");
	diff_checked(&a, &b, out);
	assert_true(buf_len(out) < 40);
	term_state_free(&a);
	term_state_free(&b);
	buf_free(out);
}

/* The bottom-right cell is written with autowrap off: no scroll. */
static void
test_bottom_right(void **state)
{
	(void)state;
	check(3, 2, "", "ab\r\ncd", "ab\r\ncde\033[H",
	    "\033[?7le\033[?7h\033[H");
	check(3, 2, "", "", "\033[2;2H\xe4\xb8\xad\033[H",
	    "\033[?7l\n\033[C\xe4\xb8\xad\033[?7h\033[H");
	/* A pictograph there, after the space that ends a ZWJ join. */
	check(3, 2, "", "", "\033[2;3H\xc2\xa9\033[H",
	    "\033[?7l\n\033[3G \033[3G\xc2\xa9\033[?7h\033[H");
	/* A cursor left at a pending wrap is moved there again. */
	check(3, 2, "", "", "abc", "abc\rab");
	check(3, 2, "", "", "\033[1mabc", "\033[1mabc\rab\033[m");
	check(3, 2, "", "", "ab\xe4\xb8\xad", "ab\n\r\xe4\xb8\xad");
}

static void
test_wide_and_combining(void **state)
{
	(void)state;
	check(10, 2, "", "", "\xe4\xb8\xad" "e\xcc\x81\xcc\x88" "x",
	    "\xe4\xb8\xad" "e\xcc\x81\xcc\x88" "x");
	/* A narrow character over half of a wide one. */
	check(10, 2, "", "\xe4\xb8\xad\xe6\x96\x87", "\rab\xe6\x96\x87", NULL);
}

/* A chain of changes to wide characters, marks and joiners. */
static void
test_wide_and_combining_chain(void **state)
{
	static const char *const steps[] = {
		"\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97",
		"\r a\xe6\x96\x87",
		"\r\033[2C\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
		"\rx\xe2\x80\x8d\033[C\xf0\x9f\x98\x80",
		"\ry\xe2\x80\x8dz\b\xf0\x9f\x98\x80",
		"\r\033[3X",
		"\033[5G\033[1K",
	};
	struct term_state a, b;
	char all[256] = "";
	size_t i;

	(void)state;
	tfx_state_of(&a, 10, 2, "");
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		strcat(all, steps[i]);
		tfx_state_of(&b, 10, 2, all);
		(void)diff_size(&a, &b);
		term_state_free(&a);
		a = b;
	}
	term_state_free(&a);
}

static void
fill_lines(char *buf, size_t size, int first, int n)
{
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = first; i < first + n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o,
		    "%s-rw-r--r--  1 user user %5d Nov 22 07:%02d file-%d.c",
		    i > first ? "\r\n" : "", i * 37, i % 60, i);
}

static void
test_scroll(void **state)
{
	struct term_state a, b;
	char text[2048], more[4096];
	size_t n;

	(void)state;
	/* A shell printing one more line at the bottom. */
	fill_lines(text, sizeof(text), 0, 24);
	tfx_state_of(&a, 80, 24, text);
	snprintf(more, sizeof(more), "%s\r\n$ ", text);
	tfx_state_of(&b, 80, 24, more);
	n = diff_size(&a, &b);
	assert_true(n <= 6);
	term_state_free(&b);

	/* Three lines at once. */
	snprintf(more, sizeof(more), "%s\r\nx\r\ny\r\nz", text);
	tfx_state_of(&b, 80, 24, more);
	assert_true(diff_size(&a, &b) <= 16);
	term_state_free(&b);

	/* Inside a scroll region, with a status line kept below. */
	snprintf(more, sizeof(more), "%s\033[1;23r\033[23;1H\n\033[r", text);
	tfx_state_of(&b, 80, 24, more);
	assert_true(diff_size(&a, &b) <= 20);
	term_state_free(&b);

	/* Backwards (as when paging up in less). */
	snprintf(more, sizeof(more), "%s\033[H\033M", text);
	tfx_state_of(&b, 80, 24, more);
	assert_true(diff_size(&a, &b) <= 8);
	term_state_free(&b);
	term_state_free(&a);
}

static void
test_full_repaint(void **state)
{
	struct term_state a;
	struct buf *out = buf_new(DIFF_MAX);
	char text[8192];
	size_t n;

	(void)state;
	assert_non_null(out);
	fill_lines(text, sizeof(text), 0, 24);
	tfx_state_of(&a, 80, 24, text);
	diff_checked(NULL, &a, out);
	/* It begins by cancelling any sequence and resetting. */
	assert_memory_equal(buf_ptr(out), "\030\033[?1049l\033[m", 12);
	/* Text plus a few bytes a line and the resets. */
	n = buf_len(out);
	assert_true(n < strlen(text) + 24 * 2 + 140);
	term_state_free(&a);
	buf_free(out);
}

static void
test_errors(void **state)
{
	struct term_state a, b;
	struct buf *out = buf_new(DIFF_MAX), *small = buf_new(8);

	(void)state;
	assert_non_null(out);
	assert_non_null(small);
	tfx_state_of(&a, 80, 24, "a");
	tfx_state_of(&b, 80, 25, "a");
	assert_int_equal(buf_put(out, "keep", 4), 0);
	assert_int_equal(term_diff(&a, &b, out), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(buf_len(out), 4);
	term_state_free(&b);
	tfx_state_of(&b, 80, 24, "b");
	b.cells[3].ch = 0x1b;	/* never printed into a terminal */
	assert_int_equal(term_diff(&a, &b, out), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_diff(NULL, &b, out), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_diff(&b, &a, out), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(buf_len(out), 4);
	b.cells[3].ch = 0;
	assert_int_equal(buf_put(small, "xy", 2), 0);
	assert_int_equal(term_diff(NULL, &b, small), MP_ERR_NO_SPACE);
	assert_int_equal(buf_len(small), 2);
	term_state_free(&a);
	term_state_free(&b);
	buf_free(out);
	buf_free(small);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_typed_char),
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_print_over),
		cmocka_unit_test(test_erase),
		cmocka_unit_test(test_sgr),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_alternate_screen),
		cmocka_unit_test(test_bottom_right),
		cmocka_unit_test(test_wide_and_combining),
		cmocka_unit_test(test_wide_and_combining_chain),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_full_repaint),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("term_diff", tests, NULL, NULL);
}

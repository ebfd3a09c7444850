/* test_predict.c: local echo prediction against server screens made by the real emulator: what is shown when, confirmation, wrong guesses, editing keys, wide characters, the stops and the thresholds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/term/predict.h"
#include "common/term/term.h"
#include "test_term_fixture.h"

#define UL	(TERM_UL_SINGLE << TERM_ATTR_UL_SHIFT)

/* A server emulator, its screen, the engine, the input typed so far. */
struct fx {
	struct term *t;
	struct term_state s;
	struct predict *p;
	uint64_t off;
	uint64_t now;
	struct term_state d;		/* the last overlay */
	char text[1024];
};

static void
fx_snap(struct fx *f)
{
	term_state_free(&f->s);
	assert_int_equal(term_snapshot(f->t, &f->s), 0);
}

static struct fx *
fx_new(enum predict_mode mode, uint16_t cols, uint16_t rows,
    const char *screen)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_non_null(f->t = term_new(cols, rows, NULL, NULL));
	assert_non_null(f->p = predict_new(mode));
	term_write(f->t, (const uint8_t *)screen, strlen(screen));
	fx_snap(f);
	f->now = 1000;
	return f;
}

static void
fx_free(struct fx *f)
{
	predict_free(f->p);
	term_free(f->t);
	term_state_free(&f->s);
	term_state_free(&f->d);
	free(f);
}

/* The program's output reaches the server's screen. */
static void
fx_server(struct fx *f, const char *bytes)
{
	term_write(f->t, (const uint8_t *)bytes, strlen(bytes));
	fx_snap(f);
}

static void
fx_typen(struct fx *f, const char *keys, size_t n)
{
	predict_input(f->p, (const uint8_t *)keys, n, f->off, &f->s, f->now);
	f->off += n;
}

static void
fx_type(struct fx *f, const char *keys)
{
	fx_typen(f, keys, strlen(keys));
}

static void
fx_update(struct fx *f, uint64_t ack, int echo_off, uint32_t srtt)
{
	predict_update(f->p, &f->s, ack, echo_off, srtt, f->now);
}

/* The overlay into f->d: valid, and a diff from the server's screen to
 * it takes an emulator there. */
static void
fx_show(struct fx *f)
{
	struct term *t = term_new(f->s.cols, f->s.rows, NULL, NULL);
	struct buf *b = buf_new(BUF_SIZE_MAX);
	struct term_state got;

	assert_non_null(t);
	assert_non_null(b);
	term_state_free(&f->d);
	assert_int_equal(predict_overlay(f->p, &f->s, &f->d), 0);
	assert_int_equal(term_state_check(&f->d), 0);
	assert_int_equal(term_diff(NULL, &f->s, b), 0);
	assert_int_equal(term_diff(&f->s, &f->d, b), 0);
	term_write(t, buf_ptr(b), buf_len(b));
	assert_int_equal(term_snapshot(t, &got), 0);
	got.bells = f->d.bells;
	assert_true(term_state_equal(&got, &f->d));
	term_state_free(&got);
	buf_free(b);
	term_free(t);
}

static const char *
fx_line(struct fx *f, uint16_t y)
{
	fx_show(f);
	tfx_cells_text(f->d.cells + (size_t)y * f->d.cols, f->d.cols, f->text,
	    sizeof(f->text));
	return f->text;
}

static const struct term_cell *
fx_cell(struct fx *f, uint16_t x, uint16_t y)
{
	fx_show(f);
	return &f->d.cells[(size_t)y * f->d.cols + x];
}

/* The overlay is the server's screen unchanged. */
static void
assert_plain(struct fx *f)
{
	fx_show(f);
	assert_true(term_state_equal(&f->d, &f->s));
}

static void
assert_shown(struct fx *f, uint16_t y, const char *line, uint16_t cx)
{
	assert_string_equal(fx_line(f, y), line);
	assert_int_equal(f->d.cursor_x, cx);
	assert_int_equal(f->d.cursor_y, y);
}

/* ---- when predictions are shown ---------------------------------------- */

static void
test_shown_when_slow(void **state)
{
	struct fx *f = fx_new(PREDICT_ADAPTIVE, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ls");
	assert_shown(f, 0, "$ ls", 4);
	assert_int_equal(fx_cell(f, 2, 0)->attrs, UL);
	assert_int_equal(fx_cell(f, 3, 0)->attrs, UL);
	assert_int_equal(fx_cell(f, 1, 0)->attrs, 0);
	assert_int_equal(predict_pending(f->p), 2);
	assert_true(predict_showing(f->p));
	fx_free(f);
}

static void
test_hidden_when_fast(void **state)
{
	struct fx *f = fx_new(PREDICT_ADAPTIVE, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "ls");
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 2);	/* tracked all the same */
	assert_false(predict_showing(f->p));
	fx_free(f);
}

static void
test_always_when_fast(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "ls");
	assert_shown(f, 0, "$ ls", 4);
	assert_int_equal(fx_cell(f, 2, 0)->attrs, 0);	/* not underlined */
	fx_free(f);
}

static void
test_never(void **state)
{
	struct fx *f = fx_new(PREDICT_NEVER, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 500);
	fx_type(f, "ls");
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	assert_false(predict_showing(f->p));
	assert_int_equal(predict_timeout_ms(f->p, f->now), -1);
	fx_free(f);
}

static void
test_mode_unknown(void **state)
{
	(void)state;
	assert_null(predict_new((enum predict_mode)7));
	predict_free(NULL);
}

/* Nothing typed at a password prompt appears, not even right after the
 * echo is back. */
static void
test_echo_off(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "Password: ");

	(void)state;
	fx_update(f, 0, 1, 200);
	fx_type(f, "hunter2");
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	assert_false(predict_showing(f->p));
	fx_type(f, "\r");
	fx_server(f, "\r\n$ ");
	fx_update(f, 3, 0, 200);		/* echo on, input not all echoed */
	assert_plain(f);
	fx_type(f, "x");
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	fx_update(f, f->off, 0, 200);
	assert_plain(f);
	fx_free(f);
}

/* Echo off while predictions are out: they go at once. */
static void
test_echo_off_drops(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ab");
	assert_shown(f, 0, "$ ab", 4);
	fx_update(f, 0, 1, 200);
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	fx_free(f);
}

/* ---- judging ------------------------------------------------------------ */

static void
test_confirmed(void **state)
{
	struct fx *f = fx_new(PREDICT_ADAPTIVE, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ls");
	fx_server(f, "l");
	fx_update(f, 1, 0, 200);
	assert_int_equal(predict_pending(f->p), 1);
	assert_shown(f, 0, "$ ls", 4);
	fx_server(f, "s");
	fx_update(f, 2, 0, 200);
	assert_int_equal(predict_pending(f->p), 0);
	assert_plain(f);
	assert_int_equal(predict_glitches(f->p), 0);
	/* Still proven: the next key shows at once. */
	fx_type(f, " ");
	fx_type(f, "-");
	assert_shown(f, 0, "$ ls -", 6);
	fx_free(f);
}

/* The server shows something else: gone at the update that proves it,
 * and the next keys wait for the echo. */
static void
test_wrong(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ls");
	fx_server(f, "LS");
	fx_update(f, 1, 0, 200);
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	assert_int_equal(predict_glitches(f->p), 1);
	fx_type(f, "x");			/* before the server caught up */
	assert_int_equal(predict_pending(f->p), 0);
	fx_server(f, "x");
	fx_update(f, 3, 0, 200);
	fx_type(f, "y");			/* tentative: hidden */
	assert_int_equal(predict_pending(f->p), 1);
	assert_plain(f);
	fx_server(f, "y");
	fx_update(f, 4, 0, 200);		/* y confirmed: proven */
	fx_type(f, "z");
	assert_shown(f, 0, "$ LSxyz", 7);
	fx_free(f);
}

/* An echo that never comes (a program reading without echo). */
static void
test_wrong_no_echo(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "q");
	assert_shown(f, 0, "$ q", 3);
	fx_update(f, 1, 0, 200);
	assert_plain(f);
	assert_int_equal(predict_glitches(f->p), 1);
	fx_free(f);
}

/* The cursor is judged too: left into the prompt, which the shell
 * refuses. */
static void
test_wrong_cursor(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "\033[D");
	assert_shown(f, 0, "$", 1);
	fx_update(f, 3, 0, 200);
	assert_plain(f);
	assert_int_equal(predict_glitches(f->p), 1);
	fx_free(f);
}

/* The row changes under predictions not yet echoed: dropped, no glitch. */
static void
test_contradicted(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ls");
	fx_server(f, "\rfoo");
	fx_update(f, 0, 0, 200);
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	assert_int_equal(predict_glitches(f->p), 0);
	fx_free(f);
}

/* The echo of an earlier key arriving is no contradiction. */
static void
test_partial_echo(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ab\177c");
	assert_shown(f, 0, "$ ac", 4);
	fx_server(f, "ab");		/* b is on the server, c not yet */
	fx_update(f, 0, 0, 200);
	assert_shown(f, 0, "$ ac", 4);
	fx_server(f, "\b \b");
	fx_update(f, 0, 0, 200);
	assert_shown(f, 0, "$ ac", 4);
	fx_server(f, "c");
	fx_update(f, 4, 0, 200);
	assert_plain(f);
	assert_int_equal(predict_glitches(f->p), 0);
	fx_free(f);
}

/* A key the server had besides makes a mismatch no glitch. */
static void
test_mismatch_after_stop(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ls\025");			/* ^U kills the line */
	assert_shown(f, 0, "$ ls", 4);
	fx_update(f, 3, 0, 200);
	assert_plain(f);
	assert_int_equal(predict_glitches(f->p), 0);
	fx_free(f);
}

/* ---- editing keys ------------------------------------------------------- */

static void
test_backspace(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "lsx\177");
	assert_shown(f, 0, "$ ls", 4);
	fx_type(f, "\b");
	assert_shown(f, 0, "$ l", 3);
	fx_server(f, "ls");		/* bash echoes "\b \b" or EL */
	fx_server(f, "\b\033[K");
	fx_update(f, 5, 0, 5);
	assert_plain(f);
	assert_int_equal(predict_glitches(f->p), 0);
	fx_free(f);
}

static void
test_arrows_insert_delete(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "abc\033[D\033[D");
	assert_shown(f, 0, "$ abc", 3);
	fx_type(f, "x");
	assert_shown(f, 0, "$ axbc", 4);
	fx_type(f, "\177");
	assert_shown(f, 0, "$ abc", 3);
	fx_type(f, "\033[C\033[C");
	assert_shown(f, 0, "$ abc", 5);
	assert_int_equal(predict_pending(f->p), 9);
	fx_type(f, "\033[C");		/* past the end: not predicted */
	assert_int_equal(predict_pending(f->p), 9);
	fx_type(f, "d");		/* stopped until caught up */
	assert_shown(f, 0, "$ abc", 5);
	fx_free(f);
}

/* The shell's answer to an insertion confirms the moved text. */
static void
test_insert_confirmed(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ab");

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "\033[Dx");
	assert_shown(f, 0, "$ axb", 4);
	fx_server(f, "\bxb\b");
	fx_update(f, 4, 0, 5);
	assert_plain(f);
	assert_int_equal(predict_glitches(f->p), 0);
	fx_free(f);
}

static void
test_ss3_arrows(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "\033[?1h$ ");
	struct fx *g = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "ab\033OD");
	assert_shown(f, 0, "$ ab", 3);
	fx_update(g, 0, 0, 5);
	fx_type(g, "ab\033OD");		/* not in application mode */
	fx_type(g, "c");
	assert_shown(g, 0, "$ ab", 4);
	assert_int_equal(predict_pending(g->p), 2);
	fx_free(f);
	fx_free(g);
}

/* Text further right (a right prompt) stays where it is. */
static void
test_right_prompt(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 40, 5, "$ \033[35GRP\r\033[2C");
	char want[64];

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "ls -l");
	snprintf(want, sizeof(want), "%-34sRP", "$ ls -l");
	assert_shown(f, 0, want, 7);
	fx_type(f, "\033[D\033[D\033[D\177");
	snprintf(want, sizeof(want), "%-34sRP", "$ l -l");
	assert_shown(f, 0, want, 3);
	fx_free(f);
}

static void
test_wide(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");
	const struct term_cell *c;

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "\xe4\xb8\xad");			/* U+4E2D */
	assert_shown(f, 0, "$ \xe4\xb8\xad", 4);
	c = fx_cell(f, 2, 0);
	assert_int_equal(c->ch, 0x4e2d);
	assert_int_equal(c->attrs, UL);
	c = fx_cell(f, 3, 0);
	assert_int_equal(c->ch, TERM_CH_WIDE_CONT);
	assert_int_equal(c->attrs, UL);
	fx_type(f, "x\033[D\033[D");
	assert_shown(f, 0, "$ \xe4\xb8\xadx", 2);
	fx_type(f, "\033[C\033[C\177\177");
	assert_shown(f, 0, "$", 2);
	fx_free(f);
}

/* A character cut between two inputs, then confirmed. */
static void
test_wide_split_confirmed(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "\xe4");
	assert_int_equal(predict_pending(f->p), 0);
	fx_type(f, "\xb8\xad");
	assert_int_equal(predict_pending(f->p), 1);
	assert_shown(f, 0, "$ \xe4\xb8\xad", 4);
	fx_server(f, "\xe4\xb8\xad");
	fx_update(f, 3, 0, 200);
	assert_int_equal(predict_pending(f->p), 0);
	assert_plain(f);
	fx_free(f);
}

/* A prediction over half of a server's wide character blanks the other
 * half, as the emulator would. */
static void
test_wide_half_mended(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ab");
	fx_server(f, "\b\xe4\xb8\xad");		/* cells 1 and 2 */
	fx_update(f, 0, 0, 200);
	assert_int_equal(predict_pending(f->p), 2);
	assert_shown(f, 0, "$ ab", 4);
	assert_int_equal(fx_cell(f, 1, 0)->ch, 0);
	fx_free(f);
}

/* Combining marks and controls are not predicted. */
static void
test_unpredictable(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "e\xcc\x81x");		/* e, U+0301, x */
	assert_shown(f, 0, "$ e", 3);
	assert_int_equal(predict_pending(f->p), 1);
	fx_free(f);
	f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");
	fx_update(f, 0, 0, 200);
	fx_type(f, "\001x");			/* ^A */
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	fx_free(f);
	f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");
	fx_update(f, 0, 0, 200);
	fx_type(f, "\033[1;5Dx\xffy");		/* ^Left */
	assert_plain(f);
	fx_free(f);
}

/* Nothing goes into the last column. */
static void
test_last_column(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 10, 3, "$ 4567");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "abcd");
	assert_shown(f, 0, "$ 4567abc", 9);
	assert_int_equal(predict_pending(f->p), 3);
	fx_free(f);
}

/* ---- the stops ---------------------------------------------------------- */

static void
test_carriage_return(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ls\rpwd");
	assert_shown(f, 0, "$ ls", 4);
	assert_string_equal(fx_line(f, 1), "");
	assert_int_equal(predict_pending(f->p), 2);
	fx_server(f, "ls\r\nfile\r\n$ ");
	fx_update(f, 3, 0, 200);
	assert_int_equal(predict_pending(f->p), 0);
	assert_plain(f);
	fx_server(f, "pwd");
	fx_update(f, 6, 0, 200);
	fx_type(f, "x");		/* on the new row: wait for one echo */
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 1);
	assert_false(predict_showing(f->p));
	fx_server(f, "x");
	fx_update(f, 7, 0, 200);
	fx_type(f, "y");
	assert_shown(f, 2, "$ pwdxy", 7);
	assert_int_equal(predict_glitches(f->p), 0);
	fx_free(f);
}

/* The alternate screen: hidden until a prediction is confirmed there;
 * leaving or entering it again starts over. */
static void
test_altscreen(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "\033[?1049h");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "a");
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 1);
	assert_false(predict_showing(f->p));
	fx_server(f, "a");
	fx_update(f, 1, 0, 200);
	assert_true(predict_showing(f->p));
	fx_type(f, "b");
	assert_shown(f, 0, "ab", 2);
	fx_server(f, "b\033[?1049l");
	fx_update(f, 2, 0, 200);
	fx_server(f, "\033[?1049h");
	fx_update(f, 2, 0, 200);
	assert_false(predict_showing(f->p));
	fx_type(f, "c");
	assert_plain(f);
	fx_free(f);
}

static void
test_resize(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	fx_type(f, "ls");
	assert_int_equal(term_resize(f->t, 60, 20), 0);
	fx_snap(f);
	fx_update(f, 0, 0, 200);
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	fx_free(f);
}

/* Input with a gap in the offsets is not predicted. */
static void
test_offset_gap(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 200);
	f->off = 5;
	fx_type(f, "ls");
	assert_plain(f);
	assert_int_equal(predict_pending(f->p), 0);
	fx_free(f);
}

static void
test_bounded(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 1000, 3, "$ ");
	char keys[301];

	(void)state;
	memset(keys, 'a', 300);
	keys[300] = '\0';
	fx_update(f, 0, 0, 200);
	fx_type(f, keys);
	assert_int_equal(predict_pending(f->p), PREDICT_MAX);
	assert_int_equal(strlen(fx_line(f, 0)), 2 + PREDICT_MAX);
	assert_int_equal(f->d.cursor_x, 2 + PREDICT_MAX);
	fx_free(f);
}

/* ---- thresholds ---------------------------------------------------------- */

static void
test_hysteresis(void **state)
{
	struct fx *f = fx_new(PREDICT_ADAPTIVE, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 25);
	assert_false(predict_showing(f->p));
	fx_update(f, 0, 0, 31);
	assert_true(predict_showing(f->p));
	fx_update(f, 0, 0, 25);
	assert_true(predict_showing(f->p));
	fx_type(f, "l");
	fx_update(f, 0, 0, 15);			/* not while one is out */
	assert_true(predict_showing(f->p));
	assert_shown(f, 0, "$ l", 3);
	fx_server(f, "l");
	fx_update(f, 1, 0, 15);
	assert_false(predict_showing(f->p));
	fx_update(f, 1, 0, 20);
	assert_false(predict_showing(f->p));
	fx_free(f);
}

static void
test_underline_hysteresis(void **state)
{
	struct fx *f = fx_new(PREDICT_ALWAYS, 80, 24, "$ ");

	(void)state;
	fx_update(f, 0, 0, 81);
	fx_type(f, "a");
	assert_int_equal(fx_cell(f, 2, 0)->attrs, UL);
	fx_update(f, 0, 0, 60);
	assert_int_equal(fx_cell(f, 2, 0)->attrs, UL);
	fx_update(f, 0, 0, 50);
	assert_int_equal(fx_cell(f, 2, 0)->attrs, 0);
	fx_update(f, 0, 0, 80);
	assert_int_equal(fx_cell(f, 2, 0)->attrs, 0);
	fx_free(f);
}

/* A key unconfirmed for long shows predictions even on a fast link,
 * and underlines them when very long. */
static void
test_slow_confirmation(void **state)
{
	struct fx *f = fx_new(PREDICT_ADAPTIVE, 80, 24, "$ ");

	(void)state;
	assert_int_equal(predict_timeout_ms(f->p, f->now), -1);
	fx_update(f, 0, 0, 5);
	fx_type(f, "l");
	assert_int_equal(predict_timeout_ms(f->p, f->now), PREDICT_SLOW_MS);
	f->now += 100;
	fx_update(f, 0, 0, 5);
	assert_false(predict_showing(f->p));
	assert_int_equal(predict_timeout_ms(f->p, f->now), 150);
	f->now += 150;
	assert_int_equal(predict_timeout_ms(f->p, f->now), 0);
	fx_update(f, 0, 0, 5);
	assert_true(predict_showing(f->p));
	assert_shown(f, 0, "$ l", 3);
	assert_int_equal(fx_cell(f, 2, 0)->attrs, 0);
	assert_int_equal(predict_timeout_ms(f->p, f->now),
	    PREDICT_VERY_SLOW_MS - PREDICT_SLOW_MS);
	f->now += PREDICT_VERY_SLOW_MS;
	fx_update(f, 0, 0, 5);
	assert_int_equal(fx_cell(f, 2, 0)->attrs, UL);
	assert_int_equal(predict_timeout_ms(f->p, f->now), -1);
	fx_free(f);
}

/* Quick confirmations take the slow trigger back down, one each
 * 150 ms at most. */
static void
test_slow_repaired(void **state)
{
	struct fx *f = fx_new(PREDICT_ADAPTIVE, 80, 24, "$ ");
	char c[2] = "a";
	int i;

	(void)state;
	fx_update(f, 0, 0, 5);
	fx_type(f, "l");
	f->now += PREDICT_SLOW_MS;
	fx_update(f, 0, 0, 5);
	fx_server(f, "l");
	fx_update(f, 1, 0, 5);
	assert_true(predict_showing(f->p));
	for (i = 0; i < 10; i++) {
		assert_true(predict_showing(f->p));
		f->now += 200;
		fx_type(f, c);
		f->now += 10;
		fx_server(f, c);
		fx_update(f, f->off, 0, 5);
		c[0]++;
	}
	assert_false(predict_showing(f->p));
	assert_int_equal(predict_glitches(f->p), 0);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shown_when_slow),
		cmocka_unit_test(test_hidden_when_fast),
		cmocka_unit_test(test_always_when_fast),
		cmocka_unit_test(test_never),
		cmocka_unit_test(test_mode_unknown),
		cmocka_unit_test(test_echo_off),
		cmocka_unit_test(test_echo_off_drops),
		cmocka_unit_test(test_confirmed),
		cmocka_unit_test(test_wrong),
		cmocka_unit_test(test_wrong_no_echo),
		cmocka_unit_test(test_wrong_cursor),
		cmocka_unit_test(test_contradicted),
		cmocka_unit_test(test_partial_echo),
		cmocka_unit_test(test_mismatch_after_stop),
		cmocka_unit_test(test_backspace),
		cmocka_unit_test(test_arrows_insert_delete),
		cmocka_unit_test(test_insert_confirmed),
		cmocka_unit_test(test_ss3_arrows),
		cmocka_unit_test(test_right_prompt),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_wide_split_confirmed),
		cmocka_unit_test(test_wide_half_mended),
		cmocka_unit_test(test_unpredictable),
		cmocka_unit_test(test_last_column),
		cmocka_unit_test(test_carriage_return),
		cmocka_unit_test(test_altscreen),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_offset_gap),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_underline_hysteresis),
		cmocka_unit_test(test_slow_confirmation),
		cmocka_unit_test(test_slow_repaired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

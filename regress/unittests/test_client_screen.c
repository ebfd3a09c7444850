/* test_client_screen.c: mp's copy of the server's screen alone, fed hand-built updates and stream bytes: statesync bases and rewinds, reliable and datagram full screens at stream offsets, the queue of scrolled lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client/screen.h"
#include "common/buf.h"
#include "common/term/term.h"
#include "test_term_fixture.h"

#define COLS		40
#define ROWS		6
#define TEXT_MAX	256

/* ---- helpers ------------------------------------------------------------- */

/* An update to `to` (the header: size, no lines; then the diff from
 * `from`). */
static struct buf *
update_of(const struct term_state *from, const struct term_state *to)
{
	struct buf *b = buf_new(BUF_SIZE_MAX);

	assert_non_null(b);
	assert_int_equal(buf_put_u16(b, to->cols), 0);
	assert_int_equal(buf_put_u16(b, to->rows), 0);
	assert_int_equal(buf_put_u64(b, 0), 0);
	assert_int_equal(buf_put_u32(b, 0), 0);
	assert_int_equal(term_diff(from, to, b), 0);
	return b;
}

static enum screen_applied
apply(struct client_screen *cs, uint64_t base, uint64_t num,
    const struct term_state *from, const struct term_state *to)
{
	struct buf *b = update_of(from, to);
	enum screen_applied r;

	r = client_screen_update(cs, base, num, buf_ptr(b), buf_len(b), 0);
	buf_free(b);
	return r;
}

/* The client's screen is want (the bell count too unless any_bells). */
#define assert_shows(cs, want, any_bells) \
	shows((cs), (want), (any_bells), __LINE__)

static void
shows(const struct client_screen *cs, const struct term_state *want,
    int any_bells, int line)
{
	struct term_state got;

	assert_int_equal(client_screen_snapshot(cs, &got), 0);
	assert_int_equal(term_state_check(&got), 0);
	if (any_bells)
		got.bells = want->bells;
	if (!term_state_equal(&got, want))
		print_error("line %d: the screen differs (%ux%u / %ux%u, "
		    "cursor %u,%u / %u,%u)\n", line, got.cols, got.rows,
		    want->cols, want->rows, got.cursor_x, got.cursor_y,
		    want->cursor_x, want->cursor_y);
	assert_true(term_state_equal(&got, want));
	term_state_free(&got);
}

static void
assert_queued(const struct client_screen *cs, size_t i, const char *want)
{
	char text[TEXT_MAX];
	const struct term_cell *c;
	uint16_t cols;

	assert_true(i < client_screen_lines(cs));
	c = client_screen_line(cs, i, &cols);
	assert_non_null(c);
	tfx_cells_ascii(c, cols, text, sizeof(text));
	assert_string_equal(text, want);
}

static void
output(struct client_screen *cs, uint64_t offset, const char *s)
{
	client_screen_output(cs, offset, (const uint8_t *)s, strlen(s));
}

/* "line N\r\n" for N in [from, to), into a fresh string. */
static char *
numbered(unsigned from, unsigned to)
{
	size_t size = (size_t)(to - from) * 16 + 1, len = 0;
	char *s = malloc(size);
	unsigned n;

	assert_non_null(s);
	s[0] = '\0';
	for (n = from; n < to; n++)
		len += (size_t)snprintf(s + len, size - len, "line %u\r\n", n);
	return s;
}

/* Numbered states 1..n, each showing "state k" in colour. */
static void
make_states(struct term_state *st, int n)
{
	char text[128];
	int k;

	for (k = 0; k < n; k++) {
		snprintf(text, sizeof(text), "\033[3%dmstate %d\033[m\r\n%*s#",
		    k % 8, k + 1, k % COLS, "");
		tfx_state_of(&st[k], COLS, ROWS, text);
	}
}

static void
free_states(struct term_state *st, int n)
{
	while (n-- > 0)
		term_state_free(&st[n]);
}

/* Apply states 1..n to a fresh statesync screen, each from the one
 * before. */
static struct client_screen *
statesync_through(struct term_state *st, int n)
{
	struct client_screen *cs = client_screen_new("statesync", COLS, ROWS);
	int k;

	assert_non_null(cs);
	assert_int_equal(apply(cs, 0, 1, NULL, &st[0]), SCREEN_APPLIED);
	for (k = 1; k < n; k++)
		assert_int_equal(apply(cs, (uint64_t)k, (uint64_t)k + 1,
		    &st[k - 1], &st[k]), SCREEN_APPLIED);
	assert_int_equal(client_screen_state(cs), (uint64_t)n);
	return cs;
}

/* ---- statesync ----------------------------------------------------------- */

static void
test_statesync_apply(void **arg)
{
	struct term_state st[3];
	struct client_screen *cs;
	uint64_t v;

	(void)arg;
	make_states(st, 3);
	cs = client_screen_new("statesync", COLS, ROWS);
	assert_non_null(cs);
	assert_int_equal(client_screen_state(cs), 0);
	v = client_screen_version(cs);
	assert_int_equal(apply(cs, 0, 1, NULL, &st[0]), SCREEN_APPLIED);
	assert_shows(cs, &st[0], 1);
	assert_true(client_screen_version(cs) != v);
	assert_int_equal(apply(cs, 1, 2, &st[0], &st[1]), SCREEN_APPLIED);
	assert_shows(cs, &st[1], 1);
	assert_int_equal(apply(cs, 2, 5, &st[1], &st[2]), SCREEN_APPLIED);
	assert_shows(cs, &st[2], 1);
	assert_int_equal(client_screen_state(cs), 5);
	client_screen_free(cs);
	free_states(st, 3);
}

/* An update from an older state it holds: the client goes back to it
 * first, and ends on the target. */
static void
test_statesync_rewind(void **arg)
{
	struct term_state st[6];
	struct client_screen *cs;

	(void)arg;
	make_states(st, 6);
	cs = statesync_through(st, 4);
	assert_int_equal(apply(cs, 1, 5, &st[0], &st[4]), SCREEN_APPLIED);
	assert_shows(cs, &st[4], 1);
	/* 2 is still held (the states before 5 include 2, 3, 4). */
	assert_int_equal(apply(cs, 2, 6, &st[1], &st[5]), SCREEN_APPLIED);
	assert_shows(cs, &st[5], 1);
	assert_int_equal(client_screen_state(cs), 6);
	client_screen_free(cs);
	free_states(st, 6);
}

/* PROTOCOL.md 3.4: the client holds the newest state applied and the 8
 * before it; an update from the 8th before must apply. */
static void
test_statesync_oldest_held_base(void **arg)
{
	struct term_state st[11];
	struct client_screen *cs;

	(void)arg;
	make_states(st, 11);
	cs = statesync_through(st, 10);	/* newest 10; 2..9 before it */
	assert_int_equal(apply(cs, 2, 11, &st[1], &st[10]), SCREEN_APPLIED);
	assert_shows(cs, &st[10], 1);
	client_screen_free(cs);
	free_states(st, 11);
}

/* Older than the 8 before the newest: not held. */
static void
test_statesync_no_base(void **arg)
{
	struct term_state st[11];
	struct client_screen *cs;

	(void)arg;
	make_states(st, 11);
	cs = statesync_through(st, 10);
	assert_int_equal(apply(cs, 1, 11, &st[0], &st[10]), SCREEN_NO_BASE);
	assert_int_equal(apply(cs, 77, 11, &st[0], &st[10]),
	    SCREEN_NO_BASE);
	assert_shows(cs, &st[9], 1);
	assert_int_equal(client_screen_state(cs), 10);
	/* Still able to go on from the newest. */
	assert_int_equal(apply(cs, 10, 11, &st[9], &st[10]), SCREEN_APPLIED);
	assert_shows(cs, &st[10], 1);
	client_screen_free(cs);
	free_states(st, 11);
}

/* A fresh screen holds nothing but state 0. */
static void
test_statesync_no_base_fresh(void **arg)
{
	struct term_state st[2];
	struct client_screen *cs;

	(void)arg;
	make_states(st, 2);
	cs = client_screen_new("statesync", COLS, ROWS);
	assert_non_null(cs);
	assert_int_equal(apply(cs, 1, 2, &st[0], &st[1]), SCREEN_NO_BASE);
	assert_int_equal(client_screen_state(cs), 0);
	client_screen_free(cs);
	free_states(st, 2);
}

static void
test_statesync_old(void **arg)
{
	struct term_state st[4];
	struct client_screen *cs;
	uint64_t v;

	(void)arg;
	make_states(st, 4);
	cs = statesync_through(st, 3);
	v = client_screen_version(cs);
	assert_int_equal(apply(cs, 2, 3, &st[1], &st[2]), SCREEN_OLD);
	assert_int_equal(apply(cs, 1, 2, &st[0], &st[3]), SCREEN_OLD);
	assert_int_equal(apply(cs, 0, 3, NULL, &st[3]), SCREEN_OLD);
	assert_int_equal(client_screen_version(cs), v);
	assert_shows(cs, &st[2], 1);
	assert_int_equal(client_screen_state(cs), 3);
	client_screen_free(cs);
	free_states(st, 4);
}

/* A diff (base not 0) must keep its base's size. */
static void
test_statesync_bad_size(void **arg)
{
	struct term_state st[3], big;
	struct client_screen *cs;
	struct buf *b;

	(void)arg;
	make_states(st, 3);
	tfx_state_of(&big, COLS + 10, ROWS + 2, "bigger");
	cs = statesync_through(st, 2);
	b = update_of(NULL, &big);
	assert_int_equal(client_screen_update(cs, 2, 3, buf_ptr(b),
	    buf_len(b), 0), SCREEN_BAD);
	assert_int_equal(client_screen_update(cs, 2, 3, buf_ptr(b), 3, 0),
	    SCREEN_BAD);
	buf_free(b);
	assert_shows(cs, &st[1], 1);
	assert_int_equal(client_screen_state(cs), 2);
	/* Nothing was disturbed: the next diff from 2 applies. */
	assert_int_equal(apply(cs, 2, 3, &st[1], &st[2]), SCREEN_APPLIED);
	assert_shows(cs, &st[2], 1);
	client_screen_free(cs);
	term_state_free(&big);
	free_states(st, 3);
}

/* A full screen of an impossible size is dropped and changes nothing:
 * the next diff from the newest state still applies. */
static void
test_statesync_bad_full_keeps_state(void **arg)
{
	static const uint8_t zero_cols[] = { 0, 0, 0, 5, 'x' };
	struct term_state st[3];
	struct client_screen *cs;

	(void)arg;
	make_states(st, 3);
	cs = statesync_through(st, 2);
	assert_int_equal(client_screen_update(cs, 0, 3, zero_cols,
	    sizeof(zero_cols), 0), SCREEN_BAD);
	assert_int_equal(client_screen_state(cs), 2);
	assert_shows(cs, &st[1], 1);
	assert_int_equal(apply(cs, 2, 4, &st[1], &st[2]), SCREEN_APPLIED);
	assert_shows(cs, &st[2], 1);
	client_screen_free(cs);
	free_states(st, 3);
}

/* A base-0 update of another size resizes the screen. */
static void
test_statesync_full_resizes(void **arg)
{
	struct term_state st[2], big, big2;
	struct client_screen *cs;

	(void)arg;
	make_states(st, 2);
	tfx_state_of(&big, COLS + 20, ROWS + 4, "\033]2;wide\007wider screen");
	tfx_state_of(&big2, COLS + 20, ROWS + 4,
	    "\033]2;wide\007wider screen!");
	cs = statesync_through(st, 2);
	assert_int_equal(apply(cs, 0, 3, NULL, &big), SCREEN_APPLIED);
	assert_shows(cs, &big, 1);
	assert_int_equal(apply(cs, 3, 4, &big, &big2), SCREEN_APPLIED);
	assert_shows(cs, &big2, 1);
	client_screen_free(cs);
	term_state_free(&big);
	term_state_free(&big2);
	free_states(st, 2);
}

/* The server diffs from an acknowledged state of the same size while
 * the client shows a newer full screen of another size (the window
 * grew and shrank back before the client's acknowledgement came): the
 * client holds the base and must apply it. */
static void
test_statesync_rewind_across_resize(void **arg)
{
	struct term_state st[3], big;
	struct client_screen *cs;

	(void)arg;
	make_states(st, 3);
	tfx_state_of(&big, COLS + 20, ROWS + 4, "wider for a moment");
	cs = statesync_through(st, 1);
	assert_int_equal(apply(cs, 0, 2, NULL, &big), SCREEN_APPLIED);
	assert_int_equal(apply(cs, 1, 3, &st[0], &st[2]), SCREEN_APPLIED);
	assert_shows(cs, &st[2], 1);
	client_screen_free(cs);
	term_state_free(&big);
	free_states(st, 3);
}

/* In statesync the emulator takes its size from the server's states. */
static void
test_statesync_resize_waits(void **arg)
{
	struct client_screen *cs = client_screen_new("statesync", COLS, ROWS);
	struct term_state got;

	(void)arg;
	assert_non_null(cs);
	assert_int_equal(client_screen_resize(cs, COLS + 5, ROWS + 5), 0);
	assert_int_equal(client_screen_snapshot(cs, &got), 0);
	assert_int_equal(got.cols, COLS);
	assert_int_equal(got.rows, ROWS);
	term_state_free(&got);
	client_screen_free(cs);
}

/* ---- reliable ------------------------------------------------------------ */

/* A full screen at an offset not reached: kept, applied there, the
 * bytes below it discarded. */
static void
test_reliable_later(void **arg)
{
	struct term_state full, want;
	struct client_screen *cs = client_screen_new("reliable", COLS, ROWS);
	struct buf *b;

	(void)arg;
	assert_non_null(cs);
	tfx_state_of(&full, COLS, ROWS, "\033[32mthe full screen\033[m\r\n$ ");
	tfx_state_of(&want, COLS, ROWS,
	    "\033[32mthe full screen\033[m\r\n$ ls\r\n");
	output(cs, 0, "abc");
	b = update_of(NULL, &full);
	assert_int_equal(client_screen_update(cs, 0, 10, buf_ptr(b),
	    buf_len(b), 3), SCREEN_LATER);
	assert_int_equal(client_screen_state(cs), 0);
	output(cs, 3, "XXXX");			/* [3, 7): below it */
	assert_int_equal(client_screen_state(cs), 0);
	output(cs, 7, "YYYls\r\n");		/* [7, 10) discarded */
	assert_int_equal(client_screen_state(cs), 10);
	assert_shows(cs, &want, 1);
	buf_free(b);
	term_state_free(&full);
	term_state_free(&want);
	client_screen_free(cs);
}

/* At the offset read: applied at once; one already passed: ignored (the
 * stream has shown it). */
static void
test_reliable_now_and_old(void **arg)
{
	struct term_state full, after;
	struct client_screen *cs = client_screen_new("reliable", COLS, ROWS);
	struct buf *b;

	(void)arg;
	assert_non_null(cs);
	tfx_state_of(&full, COLS, ROWS, "\033]2;t\007repainted");
	tfx_state_of(&after, COLS, ROWS, "\033]2;t\007repainted!");
	output(cs, 0, "some text");
	b = update_of(NULL, &full);
	assert_int_equal(client_screen_update(cs, 0, 9, buf_ptr(b),
	    buf_len(b), 9), SCREEN_APPLIED);
	assert_int_equal(client_screen_state(cs), 9);
	assert_shows(cs, &full, 1);
	output(cs, 9, "!");
	assert_int_equal(client_screen_update(cs, 0, 9, buf_ptr(b),
	    buf_len(b), 10), SCREEN_OLD);
	assert_shows(cs, &after, 1);
	/* A full screen is always from base 0. */
	assert_int_equal(client_screen_update(cs, 3, 12, buf_ptr(b),
	    buf_len(b), 10), SCREEN_BAD);
	buf_free(b);
	term_state_free(&full);
	term_state_free(&after);
	client_screen_free(cs);
}

/* The emulator follows the local window at once. */
static void
test_reliable_resize(void **arg)
{
	struct client_screen *cs = client_screen_new("reliable", COLS, ROWS);
	struct term_state got;

	(void)arg;
	assert_non_null(cs);
	assert_int_equal(client_screen_resize(cs, COLS + 5, ROWS + 1), 0);
	assert_int_equal(client_screen_snapshot(cs, &got), 0);
	assert_int_equal(got.cols, COLS + 5);
	assert_int_equal(got.rows, ROWS + 1);
	term_state_free(&got);
	client_screen_free(cs);
}

/* ---- datagram ------------------------------------------------------------ */

/* Output that leaves the hidden state canonical at every line end. */
static char *
coloured_lines(unsigned n)
{
	size_t size = (size_t)n * 48 + 1, len = 0;
	char *s = malloc(size);
	unsigned i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, size - len,
		    "\033[3%um%u\033[m text %u\r\n", i % 8, i, i * 7);
	return s;
}

static void
feed_in_pieces(struct client_screen *cs, const char *s, size_t len,
    size_t piece)
{
	size_t o, n;

	for (o = 0; o < len; o += n) {
		n = len - o < piece ? len - o : piece;
		client_screen_output(cs, o, (const uint8_t *)s + o, n);
	}
}

/* A full screen at an offset already passed: applied, and the output
 * since replayed, quietly; the result is an emulator fed everything. */
static void
test_datagram_replay(void **arg)
{
	char *s = coloured_lines(60), *cut;
	size_t len = strlen(s), at, queued;
	struct term_state full, want;
	struct client_screen *cs = client_screen_new("datagram", COLS, ROWS);
	struct buf *b;

	(void)arg;
	assert_non_null(cs);
	cut = strstr(s, "40\033[m");
	assert_non_null(cut);
	at = (size_t)(cut - s) - 5;	/* the start of line 40 */
	s[at] = '\0';
	tfx_state_of(&full, COLS, ROWS, s);
	s[at] = '\033';
	tfx_state_of(&want, COLS, ROWS, s);
	feed_in_pieces(cs, s, len, 100);
	queued = client_screen_lines(cs);
	assert_int_equal(queued, 60 - ROWS + 1);
	b = update_of(NULL, &full);
	assert_int_equal(client_screen_update(cs, 0, at, buf_ptr(b),
	    buf_len(b), len), SCREEN_APPLIED);
	/* It has every byte up to len again: that is what it acknowledges. */
	assert_int_equal(client_screen_state(cs), len);
	assert_shows(cs, &want, 1);
	assert_int_equal(client_screen_lines(cs), queued);
	buf_free(b);
	term_state_free(&full);
	term_state_free(&want);
	client_screen_free(cs);
	free(s);
}

/* More than SCREEN_HISTORY bytes since the full screen's offset: the
 * client cannot replay them and ignores it. */
static void
test_datagram_history_gone(void **arg)
{
	char *s = numbered(0, 8000);
	size_t len = strlen(s);
	struct term_state full, before, after;
	struct client_screen *cs = client_screen_new("datagram", COLS, ROWS);
	struct buf *b;

	(void)arg;
	assert_true(len > SCREEN_HISTORY + 100);
	assert_non_null(cs);
	tfx_state_of(&full, COLS, ROWS, "an old full screen");
	feed_in_pieces(cs, s, len, 1000);
	assert_int_equal(client_screen_snapshot(cs, &before), 0);
	b = update_of(NULL, &full);
	assert_int_equal(client_screen_update(cs, 0, len - SCREEN_HISTORY - 1,
	    buf_ptr(b), buf_len(b), len), SCREEN_OLD);
	assert_shows(cs, &before, 0);
	/* Exactly the history's reach still replays. */
	assert_int_equal(client_screen_update(cs, 0, len - SCREEN_HISTORY,
	    buf_ptr(b), buf_len(b), len), SCREEN_APPLIED);
	assert_int_equal(client_screen_snapshot(cs, &after), 0);
	assert_int_equal(term_state_check(&after), 0);
	buf_free(b);
	term_state_free(&full);
	term_state_free(&before);
	term_state_free(&after);
	client_screen_free(cs);
	free(s);
}

/* Output after a gap: the history starts again there. */
static void
test_datagram_gap(void **arg)
{
	struct term_state full;
	struct client_screen *cs = client_screen_new("datagram", COLS, ROWS);
	struct buf *b;

	(void)arg;
	assert_non_null(cs);
	tfx_state_of(&full, COLS, ROWS, "full");
	output(cs, 0, "0123456789");
	/* Every byte since the session began: that far is acknowledged. */
	assert_int_equal(client_screen_state(cs), 10);
	output(cs, 20, "abcdefghij");	/* [10, 20) lost */
	assert_true(client_screen_state(cs) <= 10);
	b = update_of(NULL, &full);
	assert_int_equal(client_screen_update(cs, 0, 5, buf_ptr(b),
	    buf_len(b), 30), SCREEN_OLD);
	assert_int_equal(client_screen_update(cs, 0, 15, buf_ptr(b),
	    buf_len(b), 30), SCREEN_OLD);
	assert_int_equal(client_screen_update(cs, 0, 25, buf_ptr(b),
	    buf_len(b), 30), SCREEN_APPLIED);
	assert_int_equal(client_screen_state(cs), 30);
	buf_free(b);
	term_state_free(&full);
	client_screen_free(cs);
}

/* A full screen taken further on than what was read: the bytes before
 * it may never come, so it shows at once; late bytes below it are
 * dropped, later ones go on from it. */
static void
test_datagram_ahead(void **arg)
{
	struct term_state full, want;
	struct client_screen *cs = client_screen_new("datagram", COLS, ROWS);
	struct buf *b;

	(void)arg;
	assert_non_null(cs);
	tfx_state_of(&full, COLS, ROWS, "\033[1mfull\033[m\r\n$ ");
	tfx_state_of(&want, COLS, ROWS, "\033[1mfull\033[m\r\n$ ok");
	output(cs, 0, "0123456789");
	b = update_of(NULL, &full);
	assert_int_equal(client_screen_update(cs, 0, 50, buf_ptr(b),
	    buf_len(b), 10), SCREEN_APPLIED);
	assert_shows(cs, &full, 1);
	assert_int_equal(client_screen_state(cs), 50);
	output(cs, 40, "late bytes");	/* [40, 50): below it */
	assert_shows(cs, &full, 1);
	output(cs, 45, "LATE!ok");	/* [45, 50) late, [50, 52) new */
	assert_shows(cs, &want, 1);
	assert_int_equal(client_screen_state(cs), 52);
	buf_free(b);
	term_state_free(&full);
	term_state_free(&want);
	client_screen_free(cs);
}

/* ---- scrolled lines ------------------------------------------------------ */

static void
test_lines_in_order(void **arg)
{
	struct client_screen *cs = client_screen_new("reliable", COLS, ROWS);
	char *s = numbered(0, 20), want[32];
	size_t i;

	(void)arg;
	assert_non_null(cs);
	output(cs, 0, s);
	assert_int_equal(client_screen_lines(cs), 20 - ROWS + 1);
	for (i = 0; i < client_screen_lines(cs); i++) {
		snprintf(want, sizeof(want), "line %zu", i);
		assert_queued(cs, i, want);
	}
	client_screen_lines_taken(cs, 3);
	assert_queued(cs, 0, "line 3");
	client_screen_lines_taken(cs, 1000);
	assert_int_equal(client_screen_lines(cs), 0);
	assert_int_equal(client_screen_lines_dropped(cs), 0);
	client_screen_free(cs);
	free(s);
}

/* Past SCREEN_QUEUE_LINES the oldest go, and the client is told once. */
static void
test_lines_queue_full(void **arg)
{
	struct client_screen *cs = client_screen_new("reliable", COLS, ROWS);
	unsigned extra = 100, total = SCREEN_QUEUE_LINES + extra;
	char *s = numbered(0, total + ROWS - 1), want[32];

	(void)arg;
	assert_non_null(cs);
	output(cs, 0, s);
	assert_int_equal(client_screen_lines(cs), SCREEN_QUEUE_LINES);
	snprintf(want, sizeof(want), "line %u", extra);
	assert_queued(cs, 0, want);
	snprintf(want, sizeof(want), "line %u", total - 1);
	assert_queued(cs, SCREEN_QUEUE_LINES - 1, want);
	assert_int_equal(client_screen_lines_dropped(cs), 1);
	assert_int_equal(client_screen_lines_dropped(cs), 0);
	client_screen_note_dropped(cs);
	assert_int_equal(client_screen_lines_dropped(cs), 1);
	assert_int_equal(client_screen_lines_dropped(cs), 0);
	client_screen_free(cs);
	free(s);
}

/* An update's pushed lines are queued; a rewind's scrolling is not. */
static void
test_lines_statesync_quiet_rewind(void **arg)
{
	char *text = numbered(1, ROWS + 1), more[512];
	struct term_state s1, s2, s3, line;
	struct client_screen *cs;
	struct buf *b;

	(void)arg;
	text[strlen(text) - 2] = '\0';		/* ROWS lines, no scroll */
	tfx_state_of(&s1, COLS, ROWS, text);
	/* A reverse index at the top moves the rows down (as less does):
	 * going back from 2 to 1 scrolls "top" off the screen. */
	snprintf(more, sizeof(more), "%s\033[H\033Mtop", text);
	tfx_state_of(&s2, COLS, ROWS, more);
	assert_int_equal(term_state_copy(&s3, &s1), 0);
	cs = client_screen_new("statesync", COLS, ROWS);
	assert_non_null(cs);
	assert_int_equal(apply(cs, 0, 1, NULL, &s1), SCREEN_APPLIED);
	assert_int_equal(apply(cs, 1, 2, &s1, &s2), SCREEN_APPLIED);
	assert_int_equal(client_screen_lines(cs), 0);
	/* 3 from base 1: "pushed" goes through the top, nothing else. */
	b = buf_new(BUF_SIZE_MAX);
	assert_non_null(b);
	tfx_state_of(&line, COLS, 1, "pushed");
	assert_int_equal(buf_put_u16(b, COLS), 0);
	assert_int_equal(buf_put_u16(b, ROWS), 0);
	assert_int_equal(buf_put_u64(b, 0), 0);
	assert_int_equal(buf_put_u32(b, 1), 0);
	assert_int_equal(term_push_line(&s3, line.cells, COLS, b), 0);
	assert_int_equal(client_screen_update(cs, 1, 3, buf_ptr(b),
	    buf_len(b), 0), SCREEN_APPLIED);
	assert_shows(cs, &s3, 1);
	assert_int_equal(client_screen_lines(cs), 1);
	assert_queued(cs, 0, "pushed");
	buf_free(b);
	term_state_free(&line);
	term_state_free(&s1);
	term_state_free(&s2);
	term_state_free(&s3);
	client_screen_free(cs);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statesync_apply),
		cmocka_unit_test(test_statesync_rewind),
		cmocka_unit_test(test_statesync_oldest_held_base),
		cmocka_unit_test(test_statesync_no_base),
		cmocka_unit_test(test_statesync_no_base_fresh),
		cmocka_unit_test(test_statesync_old),
		cmocka_unit_test(test_statesync_bad_size),
		cmocka_unit_test(test_statesync_bad_full_keeps_state),
		cmocka_unit_test(test_statesync_full_resizes),
		cmocka_unit_test(test_statesync_rewind_across_resize),
		cmocka_unit_test(test_statesync_resize_waits),
		cmocka_unit_test(test_reliable_later),
		cmocka_unit_test(test_reliable_now_and_old),
		cmocka_unit_test(test_reliable_resize),
		cmocka_unit_test(test_datagram_replay),
		cmocka_unit_test(test_datagram_history_gone),
		cmocka_unit_test(test_datagram_gap),
		cmocka_unit_test(test_datagram_ahead),
		cmocka_unit_test(test_lines_in_order),
		cmocka_unit_test(test_lines_queue_full),
		cmocka_unit_test(test_lines_statesync_quiet_rewind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

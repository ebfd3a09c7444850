/* test_term_property.c: random byte streams through the emulator: diffs applied to a second emulator reproduce each state, and states survive serialisation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"
#include "common/term/utf8.h"

/*
 * Each test has its own fixed seed, mixed with MP_TEST_SEED from the
 * environment (0 if unset), so a failure can be reproduced: the seed
 * and step are printed before the test fails.
 */

#define STREAM_MAX	4096
#define DIFF_MAX	(4u * 1024 * 1024)

struct rng {
	uint64_t s;
};

static uint64_t env_seed;

static uint64_t
rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int
rn(struct rng *r, unsigned int n)
{
	return (unsigned int)(rnd(r) % n);
}

static void
rng_init(struct rng *r, uint64_t test_seed)
{
	const char *e = getenv("MP_TEST_SEED");

	env_seed = e != NULL ? strtoull(e, NULL, 0) : 0;
	r->s = test_seed ^ (env_seed * 0x2545f4914f6cdd1dull);
}

/* ---- random terminal output ---------------------------------------------- */

struct stream {
	uint8_t b[STREAM_MAX];
	size_t n;
};

static void
put(struct stream *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
put(struct stream *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->n >= STREAM_MAX - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf((char *)s->b + s->n, STREAM_MAX - s->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->n += (size_t)n < STREAM_MAX - s->n ? (size_t)n :
		    STREAM_MAX - 1 - s->n;
}

static void
put_cp(struct stream *s, uint32_t cp)
{
	uint8_t u[4];
	size_t i, n = utf8_encode(cp, u);

	for (i = 0; i < n; i++)
		put(s, "%c", (int)u[i]);
}

/* Characters: plain, accented, wide, emoji, combining, joiners. */
static void
gen_text(struct rng *r, struct stream *s)
{
	static const uint32_t special[] = {
		0xe9, 0xa0, 0x2500, 0x4e2d, 0x5b57, 0x1f600, 0x1f469, 0x2764,
		0x301, 0x308, 0x200d, 0xfe0f, 0xff21, 0x3000, 0xfffd, 0xac00,
		0x1f1e6, 0x0e01, 0x0e31, 0x2603, 0xa9,
	};
	unsigned int i, n = 1 + rn(r, 24);

	for (i = 0; i < n; i++) {
		if (rn(r, 4) == 0)
			put_cp(s, special[rn(r, sizeof(special) /
			    sizeof(special[0]))]);
		else
			put_cp(s, 0x20 + rn(r, 0x5f));
	}
}

static void
gen_sgr(struct rng *r, struct stream *s)
{
	static const char *const p[] = {
		"0", "1", "2", "3", "4", "5", "7", "8", "9", "21", "22", "23",
		"24", "25", "27", "28", "29", "31", "32", "37", "39", "41",
		"44", "47", "49", "91", "97", "101", "107", "38;5;200",
		"48;5;17", "38;2;1;2;3", "48;2;250;128;0", "4:3", "4:5", "4:0",
		"38:2::9:8:7", "58;5;3", "", "38;5;3", "48;5;12",
	};
	unsigned int i, n = 1 + rn(r, 4);

	put(s, "\033[");
	for (i = 0; i < n; i++)
		put(s, "%s%s", i ? ";" : "",
		    p[rn(r, sizeof(p) / sizeof(p[0]))]);
	put(s, "m");
}

static void
gen_move(struct rng *r, struct stream *s, int cols, int rows)
{
	static const char fin[] = "ABCDEFGHdf`ae";

	switch (rn(r, 6)) {
	case 0:
		put(s, "\033[%u;%uH", rn(r, (unsigned)rows + 2),
		    rn(r, (unsigned)cols + 2));
		break;
	case 1:
		put(s, "%s", (const char *[]){ "\r", "\n", "\b", "\t", "\v",
		    "\r\n" }[rn(r, 6)]);
		break;
	case 2:
		put(s, "\033%c", "DEMH78"[rn(r, 6)]);
		break;
	default:
		put(s, "\033[%u%c", rn(r, (unsigned)cols + 2),
		    fin[rn(r, sizeof(fin) - 1)]);
		break;
	}
}

static void
gen_edit(struct rng *r, struct stream *s, int cols, int rows)
{
	static const char fin[] = "JKX@PLMSTb";
	unsigned int n = rn(r, 3) ? rn(r, 4) : rn(r, (unsigned)cols + 2);

	switch (rn(r, 4)) {
	case 0:
		put(s, "\033[%u;%ur", 1 + rn(r, (unsigned)rows),
		    1 + rn(r, (unsigned)rows + 1));
		break;
	case 1:
		put(s, "\033[r");
		break;
	default:
		put(s, "\033[%u%c", n, fin[rn(r, sizeof(fin) - 1)]);
		break;
	}
}

static void
gen_mode(struct rng *r, struct stream *s)
{
	static const unsigned int dec[] = {
		1, 5, 6, 7, 9, 25, 47, 1000, 1002, 1003, 1004, 1005, 1006,
		1047, 1048, 1049, 2004, 7, 25, 1049,
	};

	switch (rn(r, 5)) {
	case 0:
		put(s, "\033[%uh", rn(r, 2) ? 4u : 20u);
		break;
	case 1:
		put(s, "\033[%ul", rn(r, 2) ? 4u : 20u);
		break;
	case 2:
		put(s, "\033%c", rn(r, 2) ? '=' : '>');
		break;
	default:
		put(s, "\033[?%u%c", dec[rn(r, sizeof(dec) / sizeof(dec[0]))],
		    rn(r, 2) ? 'h' : 'l');
		break;
	}
}

static void
gen_title(struct rng *r, struct stream *s)
{
	static const char *const t[] = {
		"", "vim", "caf\xc3\xa9", "a\tb", "\xe4\xb8\xad\xe6\x96\x87",
		"x\xffy", "long title long title long title",
	};

	put(s, "\033]%u;%s%s", rn(r, 3), t[rn(r, sizeof(t) / sizeof(t[0]))],
	    rn(r, 2) ? "\a" : "\033\\");
}

static void
gen_misc(struct rng *r, struct stream *s)
{
	static const char *const m[] = {
		"\a", "\033(0", "\033(B", "\016", "\017", "\033)0", "\033[!p",
		"\033[3 q", "\033[ q", "\033[6 q", "\033#8", "\033c", "\033[g",
		"\033[3g", "\xff", "\xc3", "\033[?5W", "\030", "\033P1$r\033\\",
		"\302\205", "\033[s", "\033[u",
	};
	const char *p = m[rn(r, sizeof(m) / sizeof(m[0]))];

	/* A full reset now and then only. */
	if (strcmp(p, "\033c") == 0 && rn(r, 8) != 0)
		p = "\a";
	put(s, "%s", p);
}

/* A burst of output: mostly text, with escape sequences of each kind. */
static void
gen_stream(struct rng *r, struct stream *s, int cols, int rows,
    unsigned int chunks)
{
	unsigned int i;

	s->n = 0;
	for (i = 0; i < chunks; i++) {
		switch (rn(r, 12)) {
		case 0:
		case 1:
		case 2:
			gen_text(r, s);
			break;
		case 3:
		case 4:
			gen_sgr(r, s);
			break;
		case 5:
		case 6:
			gen_move(r, s, cols, rows);
			break;
		case 7:
		case 8:
			gen_edit(r, s, cols, rows);
			break;
		case 9:
			gen_mode(r, s);
			break;
		case 10:
			if (rn(r, 3) == 0)
				gen_title(r, s);
			else
				put(s, "%s", rn(r, 2) ? "\r\n" : "\n\n\n");
			break;
		default:
			gen_misc(r, s);
			break;
		}
	}
}

/* ---- checks -------------------------------------------------------------- */

static void
explain(const struct term_state *want, const struct term_state *got)
{
	size_t i, n = (size_t)want->cols * want->rows;

	print_error("want cursor %u,%u modes %#x mouse %u/%u shape %u, "
	    "got %u,%u %#x %u/%u %u\n", want->cursor_x, want->cursor_y,
	    want->modes, want->mouse, want->mouse_enc, want->cursor_shape,
	    got->cursor_x, got->cursor_y, got->modes, got->mouse,
	    got->mouse_enc, got->cursor_shape);
	if (strcmp(want->title, got->title) || strcmp(want->icon, got->icon))
		print_error("titles differ: '%s' '%s' / '%s' '%s'\n",
		    want->title, want->icon, got->title, got->icon);
	for (i = 0; i < n; i++) {
		const struct term_cell *a = &want->cells[i];
		const struct term_cell *b = &got->cells[i];

		if (memcmp(a, b, sizeof(*a)) == 0)
			continue;
		print_error("cell %zu,%zu: want ch %#x comb %#x,%#x fg %#x "
		    "bg %#x attrs %#x, got %#x %#x,%#x %#x %#x %#x\n",
		    i % want->cols, i / want->cols, a->ch, a->comb[0],
		    a->comb[1], a->fg, a->bg, a->attrs, b->ch, b->comb[0],
		    b->comb[1], b->fg, b->bg, b->attrs);
		break;
	}
}

static void
dump(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	print_error("%s (%zu bytes): ", what, n);
	for (i = 0; i < n && i < 600; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			print_error("%c", p[i]);
		else
			print_error("\\x%02x", p[i]);
	}
	print_error("\n");
}

/* The emulator t shows want, but for the bell count. */
static void
check_shows(struct term *t, const struct term_state *want, uint32_t bells,
    const char *what, unsigned int step, const struct buf *diff)
{
	struct term_state got;

	assert_int_equal(term_snapshot(t, &got), 0);
	if (got.bells != bells)
		print_error("bells %u, want %u\n", got.bells, bells);
	got.bells = want->bells;
	if (!term_state_equal(want, &got) || got.bells != want->bells) {
		print_error("%s: step %u differs (MP_TEST_SEED=%llu)\n", what,
		    step, (unsigned long long)env_seed);
		explain(want, &got);
		dump("diff", buf_ptr(diff), buf_len(diff));
		term_state_free(&got);
		fail();
	}
	term_state_free(&got);
}

static void
check_round_trip(const struct term_state *s)
{
	struct buf *b = buf_new(DIFF_MAX);
	struct term_state back;

	assert_non_null(b);
	assert_int_equal(term_state_check(s), 0);
	assert_int_equal(term_state_serialize(s, b), 0);
	assert_int_equal(term_state_parse(b, &back), 0);
	assert_int_equal(buf_len(b), 0);
	assert_true(term_state_equal(s, &back));
	term_state_free(&back);
	buf_free(b);
}

/* Apply diff(from, to) to t, which shows from; check it shows to. */
static void
apply(struct term *t, const struct term_state *from,
    const struct term_state *to, const char *what, unsigned int step)
{
	struct buf *d = buf_new(DIFF_MAX);
	struct term_state before;
	uint32_t bells;

	assert_non_null(d);
	assert_int_equal(term_snapshot(t, &before), 0);
	bells = before.bells + (from != NULL && from->bells != to->bells);
	term_state_free(&before);
	assert_int_equal(term_diff(from, to, d), 0);
	/* Bounded: a full repaint costs at most a few dozen bytes a cell. */
	assert_true(buf_len(d) <= 512 + (size_t)to->cols * to->rows * 48);
	term_write(t, buf_ptr(d), buf_len(d));
	check_shows(t, to, bells, what, step, d);
	buf_free(d);
}

static void
random_size(struct rng *r, uint16_t *cols, uint16_t *rows)
{
	if (rn(r, 4) == 0) {
		*cols = 80;
		*rows = 24;
		return;
	}
	*cols = (uint16_t)(1 + rn(r, 24));
	*rows = (uint16_t)(1 + rn(r, 10));
}

static void
snap(struct term *t, struct term_state *s)
{
	assert_int_equal(term_snapshot(t, s), 0);
	assert_int_equal(term_state_check(s), 0);
}

/* ---- tests --------------------------------------------------------------- */

/* One emulator follows a program's output; another gets only diffs. */
static void
test_chain(void **state)
{
	struct rng r;
	struct stream s;
	struct term *src, *dst;
	struct term_state prev, cur;
	uint16_t cols, rows;
	unsigned int run, step;

	(void)state;
	rng_init(&r, 0x636861696e);
	for (run = 0; run < 180; run++) {
		random_size(&r, &cols, &rows);
		assert_non_null(src = term_new(cols, rows, NULL, NULL));
		assert_non_null(dst = term_new(cols, rows, NULL, NULL));
		snap(src, &prev);
		apply(dst, NULL, &prev, "chain start", run);
		for (step = 0; step < 25; step++) {
			gen_stream(&r, &s, cols, rows, 1 + rn(&r, 12));
			term_write(src, s.b, s.n);
			snap(src, &cur);
			check_round_trip(&cur);
			apply(dst, &prev, &cur, "chain", run * 100 + step);
			term_state_free(&prev);
			prev = cur;
		}
		term_state_free(&prev);
		term_free(src);
		term_free(dst);
	}
}

/* A full repaint is right whatever the terminal held before, even in
 * the middle of an escape sequence. */
static void
test_repaint_from_junk(void **state)
{
	struct rng r;
	struct stream s;
	struct term *src, *dst;
	struct term_state a;
	uint16_t cols, rows;
	unsigned int run;

	(void)state;
	rng_init(&r, 0x6a756e6b);
	for (run = 0; run < 900; run++) {
		random_size(&r, &cols, &rows);
		assert_non_null(src = term_new(cols, rows, NULL, NULL));
		assert_non_null(dst = term_new(cols, rows, NULL, NULL));
		gen_stream(&r, &s, cols, rows, 1 + rn(&r, 40));
		term_write(src, s.b, s.n);
		gen_stream(&r, &s, cols, rows, 1 + rn(&r, 40));
		if (rn(&r, 2))
			s.n -= rn(&r, (unsigned int)s.n);	/* cut short */
		term_write(dst, s.b, s.n);
		snap(src, &a);
		apply(dst, NULL, &a, "repaint", run);
		term_state_free(&a);
		term_free(src);
		term_free(dst);
	}
}

/* Two unrelated states of one size: diff from one to the other. */
static void
test_random_pairs(void **state)
{
	struct rng r;
	struct stream s;
	struct term *ta, *tb, *dst;
	struct term_state a, b;
	uint16_t cols, rows;
	unsigned int run;

	(void)state;
	rng_init(&r, 0x7061697273);
	for (run = 0; run < 900; run++) {
		random_size(&r, &cols, &rows);
		assert_non_null(ta = term_new(cols, rows, NULL, NULL));
		assert_non_null(tb = term_new(cols, rows, NULL, NULL));
		assert_non_null(dst = term_new(cols, rows, NULL, NULL));
		gen_stream(&r, &s, cols, rows, 1 + rn(&r, 60));
		term_write(ta, s.b, s.n);
		gen_stream(&r, &s, cols, rows, 1 + rn(&r, 60));
		term_write(tb, s.b, s.n);
		snap(ta, &a);
		snap(tb, &b);
		apply(dst, NULL, &a, "pair a", run);
		apply(dst, &a, &b, "pair b", run);
		apply(dst, &b, &a, "pair back", run);
		term_state_free(&a);
		term_state_free(&b);
		term_free(ta);
		term_free(tb);
		term_free(dst);
	}
}

/* Scrolling output, as from a shell: the diff must stay right when it
 * sends scrolls. */
static void
test_scrolling(void **state)
{
	struct rng r;
	struct stream s;
	struct term *src, *dst;
	struct term_state prev, cur;
	unsigned int run, step, i;

	(void)state;
	rng_init(&r, 0x7363726f6c6c);
	for (run = 0; run < 60; run++) {
		assert_non_null(src = term_new(40, 12, NULL, NULL));
		assert_non_null(dst = term_new(40, 12, NULL, NULL));
		snap(src, &prev);
		apply(dst, NULL, &prev, "scroll start", run);
		for (step = 0; step < 30; step++) {
			s.n = 0;
			for (i = rn(&r, 4); i > 0; i--) {
				gen_text(&r, &s);
				put(&s, "\r\n");
			}
			if (rn(&r, 4) == 0)
				put(&s, "\033[%u;%ur\033[%uS\033[r",
				    1 + rn(&r, 4), 8 + rn(&r, 5),
				    1 + rn(&r, 3));
			if (rn(&r, 6) == 0)
				put(&s, "\033[H\033[%uL", 1 + rn(&r, 3));
			if (rn(&r, 6) == 0)
				put(&s, "\033[%uT", 1 + rn(&r, 3));
			term_write(src, s.b, s.n);
			snap(src, &cur);
			apply(dst, &prev, &cur, "scroll", run * 100 + step);
			term_state_free(&prev);
			prev = cur;
		}
		term_state_free(&prev);
		term_free(src);
		term_free(dst);
	}
}

/* A diff between equal states is empty. */
static void
test_equal_is_empty(void **state)
{
	struct rng r;
	struct stream s;
	struct term *t;
	struct term_state a;
	struct buf *d;
	unsigned int run;

	(void)state;
	rng_init(&r, 0x656d707479);
	assert_non_null(d = buf_new(DIFF_MAX));
	for (run = 0; run < 100; run++) {
		assert_non_null(t = term_new(20, 6, NULL, NULL));
		gen_stream(&r, &s, 20, 6, 1 + rn(&r, 30));
		term_write(t, s.b, s.n);
		snap(t, &a);
		buf_reset(d);
		assert_int_equal(term_diff(&a, &a, d), 0);
		assert_int_equal(buf_len(d), 0);
		term_state_free(&a);
		term_free(t);
	}
	buf_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_repaint_from_junk),
		cmocka_unit_test(test_random_pairs),
		cmocka_unit_test(test_scrolling),
		cmocka_unit_test(test_equal_is_empty),
	};

	return cmocka_run_group_tests_name("term_property", tests, NULL,
	    NULL);
}

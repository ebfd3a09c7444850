/* test_term_utf8.c: the UTF-8 decoder (Markus Kuhn's stress cases, maximal subparts), encoder, and the character width table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/term/term.h"
#include "common/term/utf8.h"
#include "common/term/width.h"
#include "common/term/width_table.h"

#define R	UTF8_REPLACEMENT

/* Decode len bytes one at a time (then flush) into out; returns the
 * number of code points. */
static size_t
decode(const uint8_t *p, size_t len, uint32_t *out, size_t max)
{
	struct utf8_dec d;
	uint32_t cp[2];
	size_t n = 0, i;
	int k, j;

	utf8_dec_init(&d);
	for (i = 0; i < len; i++) {
		k = utf8_dec_byte(&d, p[i], cp);
		for (j = 0; j < k; j++) {
			assert_true(n < max);
			out[n++] = cp[j];
		}
	}
	if (utf8_dec_flush(&d, cp) == 1) {
		assert_true(n < max);
		out[n++] = cp[0];
	}
	return n;
}

static void
expect(const char *bytes, size_t len, const uint32_t *want, size_t nwant)
{
	uint32_t out[64];
	size_t n;

	n = decode((const uint8_t *)bytes, len, out, 64);
	assert_int_equal(n, nwant);
	assert_memory_equal(out, want, n * sizeof(*out));
}

#define EXPECT(s, ...) do {						\
	const uint32_t want_[] = { __VA_ARGS__ };			\
	expect(s, sizeof(s) - 1, want_, sizeof(want_) / sizeof(want_[0])); \
} while (0)

static void
test_valid_boundaries(void **state)
{
	(void)state;
	EXPECT("a", 'a');
	EXPECT("\x7f", 0x7f);
	EXPECT("\xc2\x80", 0x80);
	EXPECT("\xdf\xbf", 0x7ff);
	EXPECT("\xe0\xa0\x80", 0x800);
	EXPECT("\xed\x9f\xbf", 0xd7ff);
	EXPECT("\xee\x80\x80", 0xe000);
	EXPECT("\xef\xbf\xbd", 0xfffd);
	EXPECT("\xef\xbf\xbf", 0xffff);
	EXPECT("\xf0\x90\x80\x80", 0x10000);
	EXPECT("\xf4\x8f\xbf\xbf", 0x10ffff);
	EXPECT("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5",
	    0x3ba, 0x1f79, 0x3c3, 0x3bc, 0x3b5);
}

/* Kuhn 3.1: every lone continuation byte is one U+FFFD. */
static void
test_lone_continuations(void **state)
{
	uint8_t b[64];
	uint32_t out[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < 64; i++)
		b[i] = (uint8_t)(0x80 + i);
	n = decode(b, 64, out, 64);
	assert_int_equal(n, 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(out[i], R);
}

/* Kuhn 3.2: lonely start bytes followed by a space. */
static void
test_lonely_starts(void **state)
{
	uint8_t b[2];
	uint32_t out[4];
	unsigned int c;

	(void)state;
	for (c = 0xc0; c <= 0xff; c++) {
		b[0] = (uint8_t)c;
		b[1] = ' ';
		assert_int_equal(decode(b, 2, out, 4), 2);
		assert_int_equal(out[0], R);
		assert_int_equal(out[1], ' ');
	}
}

/* Kuhn 3.3 and 3.4: a sequence missing its last byte is one U+FFFD,
 * also at the end of the input and when they follow each other. */
static void
test_truncated(void **state)
{
	(void)state;
	EXPECT("\xc2", R);
	EXPECT("\xe0\xa0", R);
	EXPECT("\xe1\x80", R);
	EXPECT("\xf0\x90\x80", R);
	EXPECT("\xf4\x8f\xbf", R);
	EXPECT("\xe0\xa0x", R, 'x');
	EXPECT("\xf1\x80\x80" "a", R, 'a');
	EXPECT("\xc2\xe0\xa0\xf0\x90\x80\xdf\xef\xbf\xf4\x8f\xbf",
	    R, R, R, R, R, R);
}

/* Kuhn 3.5 and 4: impossible bytes, overlongs (each byte its own
 * U+FFFD, since no prefix of an overlong is well-formed). */
static void
test_overlong_and_impossible(void **state)
{
	(void)state;
	EXPECT("\xfe", R);
	EXPECT("\xff", R);
	EXPECT("\xfe\xfe\xff\xff", R, R, R, R);
	EXPECT("\xc0\xaf", R, R);
	EXPECT("\xe0\x80\xaf", R, R, R);
	EXPECT("\xf0\x80\x80\xaf", R, R, R, R);
	EXPECT("\xf8\x80\x80\x80\xaf", R, R, R, R, R);
	EXPECT("\xfc\x80\x80\x80\x80\xaf", R, R, R, R, R, R);
	EXPECT("\xc1\xbf", R, R);
	EXPECT("\xe0\x9f\xbf", R, R, R);
	EXPECT("\xf0\x8f\xbf\xbf", R, R, R, R);
	EXPECT("\xc0\x80", R, R);
	EXPECT("\xe0\x80\x80", R, R, R);
}

/* Kuhn 5: UTF-16 surrogates, alone and paired; beyond U+10FFFF. */
static void
test_surrogates_and_range(void **state)
{
	(void)state;
	EXPECT("\xed\xa0\x80", R, R, R);
	EXPECT("\xed\xad\xbf", R, R, R);
	EXPECT("\xed\xbf\xbf", R, R, R);
	EXPECT("\xed\xa0\x80\xed\xb0\x80", R, R, R, R, R, R);
	EXPECT("\xf4\x90\x80\x80", R, R, R, R);
	EXPECT("\xf5\x80\x80\x80", R, R, R, R);
	EXPECT("\xf7\xbf\xbf\xbf", R, R, R, R);
}

/* The example of Unicode 15 section 3.9 (table 3-8) and the WHATWG
 * Encoding standard: maximal subparts. */
static void
test_maximal_subparts(void **state)
{
	(void)state;
	EXPECT("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
	    'a', R, R, R, 'b', R, 'c', R, R, 'd');
	/* A valid lead byte in the middle restarts decoding. */
	EXPECT("\xe2\x82\xe2\x82\xac", R, 0x20ac);
	EXPECT("\xf0\x9f\x98" "\xf0\x9f\x98\x80", R, 0x1f600);
}

static void
test_decode_one(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utf8_decode_one((const uint8_t *)"\xe2\x82\xac",
	    3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(utf8_decode_one((const uint8_t *)"\xe2\x82\xac",
	    2, &cp), 0);
	assert_int_equal(utf8_decode_one((const uint8_t *)"\xed\xa0\x80",
	    3, &cp), 0);
	assert_int_equal(utf8_decode_one((const uint8_t *)"a", 1, &cp), 0);
	assert_int_equal(utf8_decode_one((const uint8_t *)"\xf4\x8f\xbf\xbf",
	    4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
}

static void
test_encode(void **state)
{
	static const uint32_t cps[] = { 0, 0x7f, 0x80, 0x7ff, 0x800, 0xfffd,
	    0xffff, 0x10000, 0x10ffff };
	uint8_t b[4];
	uint32_t out[4];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], b);
		assert_int_equal(decode(b, n, out, 4), 1);
		assert_int_equal(out[0], cps[i]);
	}
	assert_int_equal(utf8_encode(0xd800, b), 3);
	assert_memory_equal(b, "\xef\xbf\xbd", 3);
	assert_int_equal(utf8_encode(0x110000, b), 3);
	assert_memory_equal(b, "\xef\xbf\xbd", 3);
}

static void
test_cut(void **state)
{
	const uint8_t *s = (const uint8_t *)"a\xc3\xa9\xe2\x82\xac";

	(void)state;
	assert_int_equal(utf8_cut(s, 6, 10), 6);
	assert_int_equal(utf8_cut(s, 6, 6), 6);
	assert_int_equal(utf8_cut(s, 6, 5), 3);
	assert_int_equal(utf8_cut(s, 6, 4), 3);
	assert_int_equal(utf8_cut(s, 6, 3), 3);
	assert_int_equal(utf8_cut(s, 6, 2), 1);
	assert_int_equal(utf8_cut(s, 6, 0), 0);
}

static void
test_widths(void **state)
{
	(void)state;
	assert_string_equal(term_unicode_version(), "15.0.0");
	/* ASCII and Latin: 1. */
	assert_int_equal(term_wcwidth('a'), 1);
	assert_int_equal(term_wcwidth(0xe9), 1);
	assert_int_equal(term_wcwidth(0xad), 1);	/* soft hyphen */
	assert_int_equal(term_wcwidth(0x2500), 1);	/* box drawing */
	assert_int_equal(term_wcwidth(0x0378), 1);	/* unassigned */
	/* East Asian Wide and Fullwidth: 2. */
	assert_int_equal(term_wcwidth(0x4e00), 2);
	assert_int_equal(term_wcwidth(0x9fff), 2);
	assert_int_equal(term_wcwidth(0x3042), 2);	/* hiragana a */
	assert_int_equal(term_wcwidth(0xac00), 2);	/* hangul ga */
	assert_int_equal(term_wcwidth(0x3000), 2);	/* ideographic space */
	assert_int_equal(term_wcwidth(0xff01), 2);	/* fullwidth ! */
	assert_int_equal(term_wcwidth(0x20000), 2);
	assert_int_equal(term_wcwidth(0x2fffd), 2);	/* unassigned, W */
	assert_int_equal(term_wcwidth(0xff61), 1);	/* halfwidth */
	/* Combining and zero width: 0. */
	assert_int_equal(term_wcwidth(0x0301), 0);	/* Mn */
	assert_int_equal(term_wcwidth(0x20dd), 0);	/* Me */
	assert_int_equal(term_wcwidth(0x200b), 0);	/* Cf ZWSP */
	assert_int_equal(term_wcwidth(0x200d), 0);	/* ZWJ */
	assert_int_equal(term_wcwidth(0xfe0f), 0);	/* VS16 */
	assert_int_equal(term_wcwidth(0x3099), 0);	/* Mn, also W */
	assert_int_equal(term_wcwidth(0x1161), 0);	/* hangul medial */
	assert_int_equal(term_wcwidth(0xe0001), 0);	/* language tag */
	/* Emoji: presentation ones 2, text ones 1. */
	assert_int_equal(term_wcwidth(0x1f600), 2);
	assert_int_equal(term_wcwidth(0x1f44d), 2);
	assert_int_equal(term_wcwidth(0x231a), 2);	/* watch */
	assert_int_equal(term_wcwidth(0x263a), 1);	/* smiling face */
	assert_true(term_wprops(0x263a) & TERM_WPROP_PICT);
	assert_true(term_wprops(0x1f600) & TERM_WPROP_PICT);
	assert_true(term_wprops(0xa9) & TERM_WPROP_PICT);
	assert_false(term_wprops(0x4e00) & TERM_WPROP_PICT);
	assert_false(term_wprops('a') & TERM_WPROP_PICT);
	/* Out of range. */
	assert_int_equal(term_wcwidth(0x110000), 1);
	assert_int_equal(term_wcwidth(0xffffffffu), 1);
}

/* The generated table is sorted and disjoint, as the search needs. */
static void
test_table_sorted(void **state)
{
	size_t i, n = sizeof(term_wtab) / sizeof(term_wtab[0]);

	(void)state;
	assert_true(n > 100);
	for (i = 0; i < n; i++) {
		assert_true(term_wtab[i].lo <= term_wtab[i].hi);
		assert_true(term_wtab[i].hi <= 0x10ffff);
		assert_true((term_wtab[i].props & TERM_WPROP_WIDTH) <= 2);
		assert_true(term_wtab[i].props != 1);
		if (i > 0)
			assert_true(term_wtab[i - 1].hi < term_wtab[i].lo);
		assert_int_equal(term_wprops(term_wtab[i].lo),
		    term_wtab[i].props);
		assert_int_equal(term_wprops(term_wtab[i].hi),
		    term_wtab[i].props);
	}
}

static void
feed_split(struct term *t, const uint8_t *p, size_t len, size_t chunk)
{
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = len - i < chunk ? len - i : chunk;
		term_write(t, p + i, n);
	}
}

/* The emulator decodes the same way however the input is split. */
static void
test_split_writes(void **state)
{
	static const char in[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	    "\xe2\x82x\xed\xa0\x80\xc3\xa9\xff\xe4\xb8\x80z";
	char want[256], got[256];
	struct term *t;
	size_t chunk;

	(void)state;
	assert_non_null(t = term_new(40, 2, NULL, NULL));
	term_write(t, (const uint8_t *)in, sizeof(in) - 1);
	term_line_text(t, 0, want, sizeof(want));
	assert_string_equal(want, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	    "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9"
	    "\xef\xbf\xbd\xe4\xb8\x80z");
	for (chunk = 1; chunk <= 4; chunk++) {
		term_write(t, (const uint8_t *)"\033c", 2);
		feed_split(t, (const uint8_t *)in, sizeof(in) - 1, chunk);
		term_line_text(t, 0, got, sizeof(got));
		assert_string_equal(got, want);
	}
	term_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_boundaries),
		cmocka_unit_test(test_lone_continuations),
		cmocka_unit_test(test_lonely_starts),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_overlong_and_impossible),
		cmocka_unit_test(test_surrogates_and_range),
		cmocka_unit_test(test_maximal_subparts),
		cmocka_unit_test(test_decode_one),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_table_sorted),
		cmocka_unit_test(test_split_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

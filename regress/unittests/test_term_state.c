/* test_term_state.c: terminal state snapshots: blank, copy, compare, validation, and the byte form with each malformed input refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"

#define CONT	TERM_CH_WIDE_CONT

/* The fixed part of a 2x1 state's encoding: version 1, 2 columns, 1 row,
 * cursor 0,0, shape/mouse 0, modes CURSOR_SHOWN, no bells, no titles. */
#define HEAD_2X1	0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, \
			0x00, 0x00

static struct buf *
bytes(const uint8_t *p, size_t n)
{
	struct buf *b = buf_new(4096);

	assert_non_null(b);
	assert_int_equal(buf_put(b, p, n), 0);
	return b;
}

static int
parse_bytes(const uint8_t *p, size_t n)
{
	struct term_state s;
	struct buf *b = bytes(p, n);
	int r = term_state_parse(b, &s);

	if (r == 0) {
		assert_int_equal(buf_len(b), 0);
		term_state_free(&s);
	} else {
		assert_int_equal(buf_len(b), n);	/* nothing consumed */
		assert_null(s.cells);
	}
	buf_free(b);
	return r;
}

/* A state with a bit of everything. */
static void
rich_state(struct term_state *s)
{
	struct term_cell *c;

	assert_int_equal(term_state_init(s, 10, 3), 0);
	c = s->cells;
	c[0].ch = 'a';
	c[1].ch = 0x4e2d;
	c[1].fg = TERM_COLOR_INDEX(1);
	c[2] = c[1];
	c[2].ch = CONT;
	c[3].ch = 'e';
	c[3].comb[0] = 0x301;
	c[3].comb[1] = 0x308;
	c[3].bg = TERM_COLOR_RGB(1, 2, 3);
	c[3].attrs = TERM_ATTR_BOLD | TERM_UL_CURLY << TERM_ATTR_UL_SHIFT;
	c[4].ch = ' ';
	c[5].bg = TERM_COLOR_INDEX(200);
	c[6].bg = TERM_COLOR_INDEX(200);
	c[12].ch = 0x1f600;
	c[13].ch = CONT;
	c[29].ch = 'z';
	c[29].attrs = TERM_ATTR_INVERSE | TERM_ATTR_STRIKE;
	s->cursor_x = 9;
	s->cursor_y = 2;
	s->cursor_shape = 6;
	s->mouse = TERM_MOUSE_ANY;
	s->mouse_enc = TERM_MOUSE_ENC_SGR;
	s->modes = TERM_MODE_CURSOR_KEYS | TERM_MODE_KEYPAD |
	    TERM_MODE_ALTSCREEN;
	s->bells = 0xfffffffe;
	strcpy(s->title, "caf\xc3\xa9 \xe4\xb8\xad");
	strcpy(s->icon, "icon");
}

static void
test_init(void **state)
{
	struct term_state s;
	size_t i;

	(void)state;
	assert_int_equal(term_state_init(&s, 80, 24), 0);
	assert_int_equal(s.cols, 80);
	assert_int_equal(s.rows, 24);
	assert_int_equal(s.modes, TERM_MODE_CURSOR_SHOWN);
	assert_int_equal(s.cursor_x, 0);
	assert_string_equal(s.title, "");
	for (i = 0; i < 80 * 24; i++)
		assert_int_equal(s.cells[i].ch, 0);
	assert_int_equal(term_state_check(&s), 0);
	term_state_free(&s);
	assert_null(s.cells);
	term_state_free(&s);		/* twice is harmless */

	assert_int_equal(term_state_init(&s, 0, 24), MP_ERR_INVALID_ARGUMENT);
	assert_null(s.cells);
	assert_int_equal(term_state_init(&s, 80, 0), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_state_init(&s, TERM_COLS_MAX + 1, 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_state_init(&s, 1, TERM_ROWS_MAX + 1),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_state_init(&s, 2048, 1024),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(term_state_init(&s, 1024, 1024), 0);
	term_state_free(&s);
	assert_int_equal(term_state_init(&s, TERM_COLS_MAX, 1), 0);
	term_state_free(&s);
}

static void
test_copy_equal(void **state)
{
	struct term_state a, b;

	(void)state;
	rich_state(&a);
	assert_int_equal(term_state_copy(&b, &a), 0);
	assert_ptr_not_equal(a.cells, b.cells);
	assert_true(term_state_equal(&a, &b));

	b.cells[25].comb[0] = 0x301;
	b.cells[25].ch = 'x';
	assert_false(term_state_equal(&a, &b));
	b.cells[25] = a.cells[25];
	assert_true(term_state_equal(&a, &b));
	b.bells++;
	assert_false(term_state_equal(&a, &b));
	b.bells--;
	b.icon[0] = 'I';
	assert_false(term_state_equal(&a, &b));
	b.icon[0] = 'i';
	b.cursor_shape = 0;
	assert_false(term_state_equal(&a, &b));
	b.cursor_shape = 6;
	b.modes ^= TERM_MODE_FOCUS;
	assert_false(term_state_equal(&a, &b));
	b.modes ^= TERM_MODE_FOCUS;
	assert_true(term_state_equal(&a, &b));
	term_state_free(&b);

	/* A copy of a broken state is refused, leaving dst empty. */
	a.cols = 0;
	assert_int_equal(term_state_copy(&b, &a), MP_ERR_INVALID_ARGUMENT);
	assert_null(b.cells);
	a.cols = 10;
	term_state_free(&a);
}

static void
test_check(void **state)
{
	struct term_state s;
	struct term_cell save;

	(void)state;
	rich_state(&s);
	assert_int_equal(term_state_check(&s), 0);
#define BREAKS(stmt) do {						\
	save = s.cells[20];						\
	stmt;								\
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);	\
	s.cells[20] = save;						\
	assert_int_equal(term_state_check(&s), 0);			\
} while (0)
	BREAKS(s.cells[20].ch = 0x1b);
	BREAKS(s.cells[20].ch = 0x85);
	BREAKS(s.cells[20].ch = 0x7f);
	BREAKS(s.cells[20].ch = 0xd800);
	BREAKS(s.cells[20].ch = 0x110000);
	BREAKS(s.cells[20].ch = CONT);		/* column 0 */
	BREAKS(s.cells[20].comb[0] = 0x301);	/* mark on a blank */
	BREAKS((s.cells[20].ch = 'a', s.cells[20].comb[1] = 0x301));
	BREAKS((s.cells[20].ch = 'a', s.cells[20].comb[0] = 0x1b));
	BREAKS(s.cells[20].fg = 0x03000000);
	BREAKS(s.cells[20].fg = 0x00000001);
	BREAKS(s.cells[20].bg = 0x01000100);
	BREAKS(s.cells[20].attrs = 0x0080);
	BREAKS(s.cells[20].attrs = 6 << TERM_ATTR_UL_SHIFT);
	BREAKS(s.cells[20].reserved = 1);
#undef BREAKS
	/* A right half after a blank, or in other colours than its left. */
	s.cells[7].ch = CONT;
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	s.cells[7].ch = 0;
	s.cells[2].fg = TERM_COLOR_INDEX(2);
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	s.cells[2].fg = TERM_COLOR_INDEX(1);
	s.cursor_x = 10;
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	s.cursor_x = 9;
	s.cursor_shape = 7;
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	s.cursor_shape = 6;
	s.modes |= 0x80;
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	s.modes &= ~0x80u;
	strcpy(s.title, "a\x07");
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	strcpy(s.title, "\xc0\xaf");		/* overlong */
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	strcpy(s.title, "\xc2\x9b");		/* C1 CSI */
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	memset(s.title, 'a', sizeof(s.title));	/* no terminator */
	assert_int_equal(term_state_check(&s), MP_ERR_INVALID_FORMAT);
	s.title[TERM_TITLE_MAX] = '\0';
	assert_int_equal(term_state_check(&s), 0);
	term_state_free(&s);
}

/* Beside a valid state, rows equal to its rows are taken as checked; a
 * changed row, the cursor and the titles are still checked. */
static void
test_check_beside(void **state)
{
	struct term_state s, valid, small;

	(void)state;
	rich_state(&valid);
	assert_int_equal(term_state_copy(&s, &valid), 0);
	assert_int_equal(term_state_check_beside(&s, &valid), 0);
	s.cells[20].ch = 'z';			/* a changed, valid row */
	assert_int_equal(term_state_check_beside(&s, &valid), 0);
	s.cells[20].ch = 0x1b;			/* a changed, broken row */
	assert_int_equal(term_state_check_beside(&s, &valid),
	    MP_ERR_INVALID_FORMAT);
	s.cells[20] = valid.cells[20];
	s.cursor_y = s.rows;
	assert_int_equal(term_state_check_beside(&s, &valid),
	    MP_ERR_INVALID_FORMAT);
	s.cursor_y = 0;
	strcpy(s.title, "a\x07");
	assert_int_equal(term_state_check_beside(&s, &valid),
	    MP_ERR_INVALID_FORMAT);
	/* Of another size: every row is checked. */
	assert_int_equal(term_state_init(&small, 2, 1), 0);
	small.cells[0].ch = CONT;
	assert_int_equal(term_state_check_beside(&small, &valid),
	    MP_ERR_INVALID_FORMAT);
	term_state_free(&small);
	term_state_free(&s);
	term_state_free(&valid);
}

static void
test_blank_bytes(void **state)
{
	static const uint8_t want[] = {
		0x01,			/* version */
		0x50, 0x18,		/* 80 x 24 */
		0x00, 0x00,		/* cursor */
		0x00,			/* shape, mouse, encoding */
		0x20,			/* modes */
		0x00,			/* bells */
		0x00, 0x00,		/* title, icon the same */
		0x80,			/* a blank cell */
		0x7f, 0xde, 0x0e,	/* and 1919 more */
	};
	struct term_state s, back;
	struct buf *b = buf_new(1024);

	(void)state;
	assert_non_null(b);
	assert_int_equal(term_state_init(&s, 80, 24), 0);
	assert_int_equal(term_state_serialize(&s, b), 0);
	assert_int_equal(buf_len(b), sizeof(want));
	assert_memory_equal(buf_ptr(b), want, sizeof(want));
	assert_int_equal(term_state_parse(b, &back), 0);
	assert_true(term_state_equal(&s, &back));
	term_state_free(&s);
	term_state_free(&back);
	buf_free(b);
}

static void
test_round_trip(void **state)
{
	struct term_state s, back;
	struct buf *b = buf_new(4096);

	(void)state;
	assert_non_null(b);
	rich_state(&s);
	assert_int_equal(term_state_serialize(&s, b), 0);
	assert_int_equal(term_state_parse(b, &back), 0);
	assert_int_equal(buf_len(b), 0);
	assert_true(term_state_equal(&s, &back));
	term_state_free(&back);

	/* Serialising appends. */
	assert_int_equal(buf_put_u8(b, 0xaa), 0);
	assert_int_equal(term_state_serialize(&s, b), 0);
	assert_int_equal(buf_get_u8(b, &(uint8_t){ 0 }), 0);
	assert_int_equal(term_state_parse(b, &back), 0);
	assert_true(term_state_equal(&s, &back));
	term_state_free(&back);
	term_state_free(&s);
	buf_free(b);
}

/* A screen of text costs about a byte a character. */
static void
test_compact(void **state)
{
	struct term_state s;
	struct buf *b = buf_new(65536);
	const char *line = "drwxr-xr-x  2 user user 4096 Nov 22 07:03 src";
	size_t y, x, len = strlen(line);

	(void)state;
	assert_non_null(b);
	assert_int_equal(term_state_init(&s, 80, 24), 0);
	for (y = 0; y < 20; y++)
		for (x = 0; x < len; x++)
			s.cells[y * 80 + x].ch = (uint8_t)line[x];
	assert_int_equal(term_state_serialize(&s, b), 0);
	assert_true(buf_len(b) < 20 * (len + 4) + 16);
	term_state_free(&s);
	buf_free(b);
}

static void
test_every_prefix_refused(void **state)
{
	struct term_state s;
	struct buf *b = buf_new(4096);
	size_t i, n;
	uint8_t enc[4096];

	(void)state;
	assert_non_null(b);
	rich_state(&s);
	assert_int_equal(term_state_serialize(&s, b), 0);
	n = buf_len(b);
	memcpy(enc, buf_ptr(b), n);
	for (i = 0; i < n; i++)
		assert_int_not_equal(parse_bytes(enc, i), 0);
	assert_int_equal(parse_bytes(enc, n), 0);
	enc[n] = 0;
	assert_int_equal(parse_bytes(enc, n + 1), MP_ERR_TRAILING_DATA);
	term_state_free(&s);
	buf_free(b);
}

static void
test_malformed(void **state)
{
#define GOOD(...) do {							\
	static const uint8_t in[] = { __VA_ARGS__ };			\
	assert_int_equal(parse_bytes(in, sizeof(in)), 0);		\
} while (0)
#define BAD(...) do {							\
	static const uint8_t in[] = { __VA_ARGS__ };			\
	assert_int_not_equal(parse_bytes(in, sizeof(in)), 0);		\
} while (0)
	(void)state;
	GOOD(HEAD_2X1, 0x80, 0x00);
	GOOD(HEAD_2X1, 'a', 'b');
	GOOD(HEAD_2X1, 'a', 0x00);
	GOOD(HEAD_2X1, 0x82, 0xad, 0x9c, 0x01, 0x81);	/* U+4E2D, right */
	BAD(0x02, 0x02, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	    'a', 'b');					/* version 2 */
	BAD(0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00);
	BAD(0x01, 0x81, 0x20, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00,
	    0x00, 0x80, 0x7f, 0xdf, 0x1f);		/* 4097 columns */
	BAD(0x01, 0x80, 0x20, 0x80, 0x20, 0x00, 0x00, 0x00, 0x20, 0x00,
	    0x00, 0x00, 0x80, 0x7f, 0xdf, 0xff, 0x3f);	/* 4096 x 4096 */
	BAD(0x01, 0x82, 0x00, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00,
	    0x00, 'a', 'b');				/* varint not minimal */
	BAD(0x01, 0x02, 0x01, 0x02, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	    'a', 'b');					/* cursor outside */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0x07, 0x20, 0x00, 0x00, 0x00,
	    'a', 'b');					/* shape 7 */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0x28, 0x20, 0x00, 0x00, 0x00,
	    'a', 'b');					/* mouse 5 */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0xc0, 0x20, 0x00, 0x00, 0x00,
	    'a', 'b');					/* encoding 3 */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00,
	    0x00, 'a', 'b');				/* unknown mode */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x02, 'a',
	    0x07, 0x00, 'a', 'b');			/* BEL in the title */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x01, 0xc3,
	    0x00, 'a', 'b');				/* cut UTF-8 */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x01, 'a',
	    0x02, 'a', 'a', 'b');			/* icon as title */
	GOOD(0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x01, 'a',
	    0x01, 'a', 'b');				/* empty icon */
	BAD(0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x81, 0x02,
	    'a', 'b');					/* title too long */
	BAD(HEAD_2X1, 0x00, 'a');			/* repeat first */
	BAD(HEAD_2X1, 'a', 0x01);			/* repeat too far */
	BAD(HEAD_2X1, 'a', 'a');			/* should repeat */
	BAD(HEAD_2X1, 0x80, 0x80);			/* should repeat */
	BAD(HEAD_2X1, 0x81, 'a');			/* right half first */
	BAD(HEAD_2X1, 0x80, 0x81);			/* after a blank */
	BAD(HEAD_2X1, 0x82, 0x61, 'b');			/* literal 'a' */
	BAD(HEAD_2X1, 0x82, 0x00, 'b');			/* ch 0 */
	BAD(HEAD_2X1, 0x82, 0x1b, 'b');			/* ESC */
	BAD(HEAD_2X1, 0x82, 0x80, 0xb0, 0x03, 'b');	/* surrogate */
	BAD(HEAD_2X1, 0x83, 'b');			/* form 3 */
	BAD(HEAD_2X1, 0xc0, 'b');			/* reserved bit */
	BAD(HEAD_2X1, 0x84, 0x00, 'b');			/* fg unchanged */
	BAD(HEAD_2X1, 0x84, 0x03, 'b');			/* colour kind 3 */
	GOOD(HEAD_2X1, 0x84, 0x01, 0x05, 'b');		/* fg index 5 */
	GOOD(HEAD_2X1, 0x88, 0x02, 0x01, 0x02, 0x03, 'b');	/* bg rgb */
	BAD(HEAD_2X1, 0x90, 0x80, 0x01, 'b');		/* attrs 0x80 */
	BAD(HEAD_2X1, 0x90, 0x00, 'b');			/* attrs unchanged */
	GOOD(HEAD_2X1, 0x90, 0x01, 'b');		/* bold, then bold */
	BAD(HEAD_2X1, 0xa0, 0x01, 0x81, 0x06, 'b');	/* mark on blank */
	GOOD(HEAD_2X1, 0xa2, 'e', 0x01, 0x81, 0x06, 'b');
	BAD(HEAD_2X1, 0xa2, 'e', 0x00, 'b');		/* no marks */
	BAD(HEAD_2X1, 0xa2, 'e', 0x03, 0x01, 0x01, 0x01, 'b');
	BAD(HEAD_2X1, 0xa2, 'e', 0x01, 0x00, 'b');	/* mark 0 */
	BAD(HEAD_2X1, 0x82, 0xad, 0x9c, 0x01, 0x85, 0x01, 0x01);
							/* other colour */
	BAD(HEAD_2X1, 0x7f, 'a');			/* long repeat first */
	BAD(HEAD_2X1, 'a', 0x7f, 0x00);			/* too far */
	GOOD(0x01, 0x28, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	    'a', 0x7f, 0x06);				/* 1 + 33 + 6 */
	BAD(0x01, 0x28, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	    'a', 0x1f, 0x06);				/* should be long */
	BAD(0x01, 0x28, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
	    'a', 0x1f, 0x7f, 0x00, 0x06);		/* two repeats */
	BAD(HEAD_2X1, 'a', 'b', 'c');			/* trailing */
#undef GOOD
#undef BAD
}

/* A repeat given in the short form when it fits, in the long form
 * when not: every canonical encoding, and only those, is read. */
static void
test_repeat_forms(void **state)
{
	struct term_state s, back;
	struct buf *b = buf_new(256);
	uint16_t cols;

	(void)state;
	assert_non_null(b);
	for (cols = 1; cols < 80; cols++) {
		assert_int_equal(term_state_init(&s, cols, 1), 0);
		s.cells[0].ch = 'x';
		buf_reset(b);
		assert_int_equal(term_state_serialize(&s, b), 0);
		assert_int_equal(term_state_parse(b, &back), 0);
		assert_true(term_state_equal(&s, &back));
		term_state_free(&back);
		term_state_free(&s);
	}
	buf_free(b);
}

static void
test_serialize_errors(void **state)
{
	struct term_state s;
	struct buf *b = buf_new(32), *big = buf_new(4096);

	(void)state;
	assert_non_null(b);
	assert_non_null(big);
	rich_state(&s);
	assert_int_equal(buf_put(b, "xy", 2), 0);
	assert_int_equal(term_state_serialize(&s, b), MP_ERR_NO_SPACE);
	assert_int_equal(buf_len(b), 2);		/* unchanged */
	assert_memory_equal(buf_ptr(b), "xy", 2);
	s.cells[5].reserved = 1;
	assert_int_equal(term_state_serialize(&s, big),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(buf_len(big), 0);
	term_state_free(&s);
	buf_free(b);
	buf_free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_copy_equal),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_beside),
		cmocka_unit_test(test_blank_bytes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_every_prefix_refused),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_repeat_forms),
		cmocka_unit_test(test_serialize_errors),
	};

	return cmocka_run_group_tests_name("term_state", tests, NULL, NULL);
}

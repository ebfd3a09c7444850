/* test_term_parser.c: the escape sequence state machine (vt100.net diagram), its limits, and the emulator's robustness against hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/term/parser.h"
#include "common/term/term.h"
#include "common/term/utf8.h"

/* What the parser did, as text: printed characters as themselves,
 * controls as ^XX, sequences as ESC.. / CSI.. / OSC[..]; one per line. */
struct rec {
	char log[8192];
	size_t len;
};

static void
add(struct rec *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add(struct rec *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->log + r->len, sizeof(r->log) - r->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(r->log) - r->len);
	r->len += (size_t)n;
}

static void
rec_print(void *arg, uint32_t cp)
{
	uint8_t b[4];
	size_t n = utf8_encode(cp, b);

	add(arg, "%.*s", (int)n, (const char *)b);
}

static void
rec_execute(void *arg, uint32_t c)
{
	add(arg, "^%02x", c);
}

static void
rec_seq(struct rec *r, const char *kind, const struct term_parser *p,
    uint32_t final)
{
	unsigned int i;

	add(r, "<%s", kind);
	if (p->prefix)
		add(r, "%c", p->prefix);
	for (i = 0; i < p->nparam; i++) {
		if (i > 0)
			add(r, "%c", tp_is_sub(p, i) ? ':' : ';');
		add(r, "%u", p->param[i]);
	}
	for (i = 0; i < p->ninter; i++)
		add(r, "%c", p->inter[i]);
	add(r, "%c>", (char)final);
}

static void
rec_esc(void *arg, const struct term_parser *p, uint32_t final)
{
	rec_seq(arg, "ESC", p, final);
}

static void
rec_csi(void *arg, const struct term_parser *p, uint32_t final)
{
	rec_seq(arg, "CSI", p, final);
}

static void
rec_osc(void *arg, const uint8_t *s, size_t len)
{
	if (len > 40)
		add(arg, "<OSC[%zu]>", len);
	else
		add(arg, "<OSC %.*s>", (int)len, (const char *)s);
}

static const struct tp_actions rec_actions = {
	rec_print, rec_execute, rec_esc, rec_csi, rec_osc,
};

struct fixture {
	struct term_parser p;
	struct rec r;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(tp_init(&f->p, &rec_actions, &f->r), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	tp_free(&f->p);
	free(f);
	return 0;
}

/* Feed UTF-8 text (decoded here); the log of what happened. */
static const char *
feed(struct fixture *f, const char *in, size_t len)
{
	struct utf8_dec d;
	uint32_t cp[2];
	size_t i;
	int k, j;

	f->r.len = 0;
	f->r.log[0] = '\0';
	utf8_dec_init(&d);
	for (i = 0; i < len; i++) {
		k = utf8_dec_byte(&d, (uint8_t)in[i], cp);
		for (j = 0; j < k; j++)
			tp_feed(&f->p, cp[j]);
	}
	return f->r.log;
}

static void
run(struct fixture *f, const char *in, size_t len, const char *want)
{
	assert_string_equal(feed(f, in, len), want);
}

#define RUN(f, in, want)	run(f, in, sizeof(in) - 1, want)

static void
test_ground(void **state)
{
	struct fixture *f = *state;

	RUN(f, "ab\xc3\xa9", "ab\xc3\xa9");
	RUN(f, "a\rb\n\x07\x7f", "a^0db^0a^07");
	/* C1 controls as code points act; U+00A0 and up print. */
	RUN(f, "\xc2\x84\xc2\x85\xc2\xa0", "^84^85\xc2\xa0");
}

static void
test_csi_params(void **state)
{
	struct fixture *f = *state;

	RUN(f, "\033[H", "<CSIH>");
	RUN(f, "\033[1;23H", "<CSI1;23H>");
	RUN(f, "\033[;5H", "<CSI0;5H>");
	RUN(f, "\033[5;H", "<CSI5;0H>");
	RUN(f, "\033[?25h", "<CSI?25h>");
	RUN(f, "\033[>c", "<CSI>c>");
	RUN(f, "\033[2 q", "<CSI2 q>");
	RUN(f, "\033[?1$p", "<CSI?1$p>");
	RUN(f, "\033[38:2::1:2:3m", "<CSI38:2:0:1:2:3m>");
	RUN(f, "\033[4:3;1m", "<CSI4:3;1m>");
	/* 8-bit CSI as a code point. */
	RUN(f, "\xc2\x9b" "5A", "<CSI5A>");
	/* A parameter too big is clamped. */
	RUN(f, "\033[99999999999999A", "<CSI65535A>");
}

static void
test_csi_malformed(void **state)
{
	struct fixture *f = *state;

	/* A private marker after a digit: the sequence is ignored up to
	 * its final byte. */
	RUN(f, "\033[1?2hx", "x");
	/* A digit after an intermediate: ignored too. */
	RUN(f, "\033[1 2qx", "x");
	/* Three intermediates: more than kept, not dispatched. */
	RUN(f, "\033[1 !\"px", "x");
	RUN(f, "\033[1 !px", "<CSI1 !p>x");
	/* C0 controls inside are executed; DEL is ignored. */
	RUN(f, "\033[1\n2\x7f" "A", "^0a<CSI12A>");
	/* CAN and SUB abort; ESC starts over. */
	RUN(f, "\033[1\x18" "A", "A");
	RUN(f, "\033[1\x1a" "A", "A");
	RUN(f, "\033[1\033[2A", "<CSI2A>");
	/* A non-ASCII character inside is ignored with the sequence. */
	RUN(f, "\033[1\xc3\xa9" "Ab", "b");
}

static void
test_too_many_params(void **state)
{
	struct fixture *f = *state;
	char in[4096], want[256];
	size_t n = 0, w = 0;
	int i;

	n += (size_t)snprintf(in + n, sizeof(in) - n, "\033[");
	for (i = 0; i < 1000; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "%d;", i % 10);
	n += (size_t)snprintf(in + n, sizeof(in) - n, "m");
	w += (size_t)snprintf(want + w, sizeof(want) - w, "<CSI");
	for (i = 0; i < TP_PARAM_MAX; i++)
		w += (size_t)snprintf(want + w, sizeof(want) - w, "%s%d",
		    i ? ";" : "", i % 10);
	snprintf(want + w, sizeof(want) - w, "m>");
	run(f, in, n, want);
	assert_int_equal(f->p.nparam, TP_PARAM_MAX);
}

static void
test_esc(void **state)
{
	struct fixture *f = *state;

	RUN(f, "\0337\0338", "<ESC7><ESC8>");
	RUN(f, "\033(0\033)B", "<ESC(0><ESC)B>");
	RUN(f, "\033#8", "<ESC#8>");
	RUN(f, "\033 F", "<ESC F>");
	RUN(f, "\033\n" "D", "^0a<ESCD>");
	RUN(f, "\033(\033(B", "<ESC(B>");
	RUN(f, "\033\x7f" "c", "<ESCc>");
}

static void
test_osc(void **state)
{
	struct fixture *f = *state;

	RUN(f, "\033]0;title\x07x", "<OSC 0;title>x");
	RUN(f, "\033]2;t\xc3\xa9\033\\x", "<OSC 2;t\xc3\xa9><ESC\\>x");
	RUN(f, "\033]2;t\xc2\x9cx", "<OSC 2;t>x");
	RUN(f, "\xc2\x9d" "1;i\x07", "<OSC 1;i>");
	/* C0 controls and DEL inside are dropped; CAN aborts. */
	RUN(f, "\033]2;a\nb\x7f" "c\x07", "<OSC 2;abc>");
	RUN(f, "\033]2;abc\x18x", "x");
}

static void
test_osc_limits(void **state)
{
	struct fixture *f = *state;
	char *in;
	size_t n;

	assert_non_null(in = malloc(TP_OSC52_MAX + 64));
	/* The longest OSC that is kept, and one byte more. */
	n = (size_t)snprintf(in, 8, "\033]2;");
	memset(in + n, 'a', TP_OSC_MAX - 2);
	n += TP_OSC_MAX - 2;
	in[n++] = 0x07;
	run(f, in, n, "<OSC[4096]>");
	in[n - 1] = 'a';
	in[n++] = 0x07;
	run(f, in, n, "");
	/* OSC 52 may be longer. */
	n = (size_t)snprintf(in, 12, "\033]52;c;");
	memset(in + n, 'A', TERM_CLIPBOARD_MAX);
	n += TERM_CLIPBOARD_MAX;
	in[n++] = 0x07;
	run(f, in, n, "<OSC[65541]>");
	n = (size_t)snprintf(in, 12, "\033]52;c;");
	memset(in + n, 'A', TP_OSC52_MAX);
	n += TP_OSC52_MAX;
	in[n++] = 0x07;
	run(f, in, n, "");
	assert_true(f->p.slen == 0);
	free(in);
}

static void
test_strings_ignored(void **state)
{
	struct fixture *f = *state;

	RUN(f, "\033P1$qm\033\\x", "<ESC\\>x");
	RUN(f, "\033P+q544e\x07y\033\\x", "<ESC\\>x");
	RUN(f, "\033_apc\033\\x", "<ESC\\>x");
	RUN(f, "\033^pm\xc2\x9cx", "x");
	RUN(f, "\033Xsos\033[Ax", "<CSIA>x");
	RUN(f, "\xc2\x90" "1;2|abc\xc2\x9cx", "x");
}

static void
test_reset(void **state)
{
	struct fixture *f = *state;

	RUN(f, "\033[12", "");
	tp_reset(&f->p);
	RUN(f, "A", "A");
}

/* The whole-sequence fast path does what byte by byte does, and
 * declines what it does not handle. */
static const char many_params[] =
    "\033[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;"
    "21;22;23;24;25;26;27;28;29;30;31;32;33;34m";

static void
test_csi_fast_path(void **state)
{
	static const char *const seqs[] = {
		"\033[H", "\033[1;23H", "\033[;5H", "\033[?25h", "\033[>0q",
		"\033[2 q", "\033[?1$p", "\033[38:2::1:2:3m",
		"\033[99999999999A", "\033[1 !\"p", "\033[1 !p", "\033[@",
		many_params,
	};
	static const char *const declined[] = {
		"\033[1?2h", "\033[1 2q", "\033[1\n2A", "\033[12", "\033[",
		"\033", "\033]0;x\007", "\033[1\177A", "\033[1\303\251A",
	};
	struct fixture *f = *state;
	char want[512];
	size_t i, n;

	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		snprintf(want, sizeof(want), "%s",
		    feed(f, seqs[i], strlen(seqs[i])));
		f->r.len = 0;
		f->r.log[0] = '\0';
		n = tp_csi_fast(&f->p, (const uint8_t *)seqs[i],
		    strlen(seqs[i]));
		assert_int_equal(n, strlen(seqs[i]));
		assert_string_equal(f->r.log, want);
		assert_true(tp_ground(&f->p));
	}
	for (i = 0; i < sizeof(declined) / sizeof(declined[0]); i++) {
		f->r.len = 0;
		f->r.log[0] = '\0';
		assert_int_equal(tp_csi_fast(&f->p,
		    (const uint8_t *)declined[i], strlen(declined[i])), 0);
		assert_string_equal(f->r.log, "");
		assert_true(tp_ground(&f->p));
	}
}

/* Random parameter strings: the fast path dispatches exactly what the
 * state machine does, or declines and does nothing. */
static void
test_csi_fast_random(void **state)
{
	static const char alphabet[] = "0123456789;;::?<> !\"$09";
	static const char finals[] = "mHhlqpcJ@~";
	struct fixture *f = *state;
	char in[64], want[512];
	uint32_t x = 7;
	size_t len, n, i, k, declined = 0;

	for (i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		len = 2 + (x >> 16) % 12;
		memcpy(in, "\033[", 2);
		for (k = 2; k < len; k++) {
			x = x * 1103515245u + 12345u;
			in[k] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		in[len++] = finals[(x >> 8) % (sizeof(finals) - 1)];
		memcpy(in + len, "zzzzzzzz", 9);
		snprintf(want, sizeof(want), "%s", feed(f, in, len));
		assert_true(tp_ground(&f->p));
		f->r.len = 0;
		f->r.log[0] = '\0';
		n = tp_csi_fast(&f->p, (const uint8_t *)in, len + 8);
		if (n == 0) {
			assert_string_equal(f->r.log, "");
			declined++;
		} else {
			assert_int_equal(n, len);
			assert_string_equal(f->r.log, want);
		}
	}
	/* Both kinds were seen. */
	assert_true(declined > 100 && declined < 19900);
}

/* ---- the emulator against hostile input ---- */

static size_t
heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks;
}

static void
check_invariants(const struct term *t)
{
	struct term_state s;
	size_t i;

	assert_int_equal(term_snapshot(t, &s), 0);
	assert_true(s.cursor_x < s.cols && s.cursor_y < s.rows);
	for (i = 0; i < (size_t)s.cols * s.rows; i++) {
		const struct term_cell *c = &s.cells[i];
		size_t x = i % s.cols;

		if (c->ch == TERM_CH_WIDE_CONT) {
			assert_true(x > 0);
			assert_true(s.cells[i - 1].ch != TERM_CH_WIDE_CONT);
			assert_true(s.cells[i - 1].ch != 0);
		} else if (x + 1 < s.cols &&
		    s.cells[i + 1].ch == TERM_CH_WIDE_CONT)
			assert_true(c->ch != 0);
		assert_true(c->reserved == 0);
	}
	assert_true(strlen(s.title) <= TERM_TITLE_MAX);
	free(s.cells);
}

/* A long OSC, thousands of parameters, 1 MB of random bytes: no
 * crash, and no memory kept from any of it. */
static void
test_hostile_input(void **state)
{
	struct term *t;
	uint8_t *buf;
	size_t before, i, n = 1024 * 1024;
	uint32_t x = 12345;

	(void)state;
	assert_non_null(buf = malloc(n));
	assert_non_null(t = term_new(80, 24, NULL, NULL));
	term_write(t, (const uint8_t *)"warm", 4);
	before = heap_in_use();

	memcpy(buf, "\033]2;", 4);
	memset(buf + 4, 'x', n - 4);
	term_write(t, buf, n);
	term_write(t, (const uint8_t *)"\x07", 1);
	check_invariants(t);

	memcpy(buf, "\033[", 2);
	for (i = 2; i < n - 1; i++)
		buf[i] = (i & 1) ? ';' : (uint8_t)('0' + i % 10);
	buf[n - 1] = 'm';
	term_write(t, buf, n);
	check_invariants(t);

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	term_write(t, buf, n);
	check_invariants(t);
	/* With many escapes: a byte from a small alphabet. */
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)"\033[]P;?:0123456789mHJKhl\x07\x9b\xc2\r\n "
		    "a\xe4\xb8\x80"[(x >> 16) % 34];
	}
	term_write(t, buf, n);
	check_invariants(t);
	/* The heap did not grow (mallinfo2 reads 0 under ASan). */
	assert_true(heap_in_use() <= before);
	term_free(t);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ground, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csi_params, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csi_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_too_many_params, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_esc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osc_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_strings_ignored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csi_fast_path, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csi_fast_random, setup,
		    teardown),
		cmocka_unit_test(test_hostile_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz_term_diff.c: libFuzzer harness for screen diffs: states made by the emulator from the input, each diff applied to a second emulator must give the target. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/*
 * Input: cols (1 + b % 48), rows (1 + b % 24), the length of junk J,
 * the length of stream A (u16), then J bytes of junk, A bytes, and
 * stream B as the rest. States: a = after A, b = after A then B, c =
 * after B alone. A second emulator fed the junk (any state, maybe in
 * the middle of a sequence) then diff(NULL, a), diff(a, b), diff(b, c)
 * must show a, b and c in turn, the bell count aside.
 */
#define HEAD	5

static void
snap(struct term *t, struct term_state *s)
{
	struct buf *b = buf_new(BUF_SIZE_MAX);
	struct term_state back;

	check(b != NULL);
	check(term_snapshot(t, s) == 0);
	check(term_state_serialize(s, b) == 0);
	check(term_state_parse(b, &back) == 0);
	check(term_state_equal(s, &back));
	term_state_free(&back);
	buf_free(b);
}

static void
apply(struct term *t, const struct term_state *from,
    const struct term_state *to)
{
	struct buf *d = buf_new(BUF_SIZE_MAX);
	struct term_state got;

	check(d != NULL);
	check(term_diff(from, to, d) == 0);
	term_write(t, buf_ptr(d), buf_len(d));
	check(term_snapshot(t, &got) == 0);
	got.bells = to->bells;
	check(term_state_equal(to, &got));
	term_state_free(&got);
	buf_free(d);
}

static struct term *
emulator(uint16_t cols, uint16_t rows, const uint8_t *p, size_t n)
{
	struct term *t = term_new(cols, rows, NULL, NULL);

	check(t != NULL);
	term_write(t, p, n);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct term_state a, b, c;
	struct term *src, *other, *dst;
	uint16_t cols, rows;
	size_t junk, alen;
	const uint8_t *p;

	if (len < HEAD)
		return 0;
	cols = (uint16_t)(1 + data[0] % 48);
	rows = (uint16_t)(1 + data[1] % 24);
	junk = data[2];
	alen = (size_t)data[3] << 8 | data[4];
	p = data + HEAD;
	len -= HEAD;
	if (junk > len)
		junk = len;
	if (alen > len - junk)
		alen = len - junk;
	dst = emulator(cols, rows, p, junk);
	src = emulator(cols, rows, p + junk, alen);
	snap(src, &a);
	term_write(src, p + junk + alen, len - junk - alen);
	snap(src, &b);
	other = emulator(cols, rows, p + junk + alen, len - junk - alen);
	snap(other, &c);
	apply(dst, NULL, &a);
	apply(dst, &a, &b);
	apply(dst, &b, &c);
	term_state_free(&a);
	term_state_free(&b);
	term_state_free(&c);
	term_free(src);
	term_free(other);
	term_free(dst);
	return 0;
}

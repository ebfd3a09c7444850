/* fuzz_term_state.c: libFuzzer harness for the terminal state parser: refuse or parse, re-serialise to the same bytes, and diff without failing. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/term/term.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/* A parsed state may be one no emulator makes; a diff to it must still
 * be made, and a diff to itself is empty. */
static void
check_diff(const struct term_state *s)
{
	struct buf *d = buf_new(BUF_SIZE_MAX);
	int r;

	check(d != NULL);
	r = term_diff(NULL, s, d);
	check(r == 0 || r == MP_ERR_NO_SPACE);
	buf_reset(d);
	check(term_diff(s, s, d) == 0 && buf_len(d) == 0);
	buf_free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct term_state s, c;
	struct buf *in, *out;

	if ((in = buf_from(data, len)) == NULL)
		return 0;
	if (term_state_parse(in, &s) != 0) {
		check(s.cells == NULL && buf_len(in) == len);
		buf_free(in);
		return 0;
	}
	check(buf_len(in) == 0);
	check(term_state_check(&s) == 0);
	/* The encoding is canonical: writing gives the input back. */
	check((out = buf_new(len)) != NULL);
	check(term_state_serialize(&s, out) == 0);
	check(buf_len(out) == len && memcmp(buf_ptr(out), data, len) == 0);
	check(term_state_copy(&c, &s) == 0 && term_state_equal(&c, &s));
	check_diff(&s);
	term_state_free(&c);
	term_state_free(&s);
	buf_free(out);
	buf_free(in);
	return 0;
}

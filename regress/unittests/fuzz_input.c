/* fuzz_input.c: reading a fuzz harness's input byte by byte, short at its end (fuzz_input.h). */
#include <stddef.h>
#include <stdint.h>

#include "regress/unittests/fuzz_input.h"

const uint8_t *
fuzz_take(struct fuzz_input *in, size_t *n)
{
	const uint8_t *p = in->d + in->off;

	if (*n > in->len - in->off)
		*n = in->len - in->off;
	in->off += *n;
	return p;
}

uint8_t
fuzz_take_byte(struct fuzz_input *in)
{
	size_t n = 1;
	const uint8_t *p = fuzz_take(in, &n);

	return n == 1 ? *p : 0;
}

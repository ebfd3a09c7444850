/* fuzz_input.h: reading a fuzz harness's input byte by byte, short at its end, for the fuzzers' operation loops. */
#ifndef MP_FUZZ_INPUT_H
#define MP_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* The input d of len bytes; off is the next byte to read. */
struct fuzz_input {
	const uint8_t *d;
	size_t len, off;
};

/* The next *n bytes of input (fewer at its end: *n is cut to what is
 * left), and move past them. */
const uint8_t *fuzz_take(struct fuzz_input *in, size_t *n);

/* The next byte of input, 0 at its end. */
uint8_t fuzz_take_byte(struct fuzz_input *in);

#endif

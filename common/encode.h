/* encode.h: base64 (RFC 4648, with and without padding) and hex, strict on input. */
#ifndef MP_ENCODE_H
#define MP_ENCODE_H

#include <stddef.h>
#include <stdint.h>

/* Length of the base64 text (without NUL) for len bytes. */
size_t b64_encoded_len(size_t len, int pad);
/* Write base64 of in to out (b64_encoded_len() + 1 bytes, NUL-terminated). */
void b64_encode(const uint8_t *in, size_t len, char *out, int pad);
/* Decode base64 text of text_len characters into out (at most out_cap
 * bytes). Padding is required when pad is set and refused otherwise; any
 * character outside the alphabet, whitespace included, and non-zero unused
 * bits are MP_ERR_INVALID_FORMAT; MP_ERR_NO_SPACE if out is too small.
 * On success *out_len gets the decoded length. */
int b64_decode(const char *text, size_t text_len, uint8_t *out,
    size_t out_cap, size_t *out_len, int pad);

/* Lower-case hex of in into out (2 * len + 1 bytes, NUL-terminated). */
void hex_encode(const uint8_t *in, size_t len, char *out);
/* The value of one hex digit (either case), or -1. */
int hex_digit_value(int c);
/* Decode hex (either case, even length) into out; same errors as above. */
int hex_decode(const char *text, size_t text_len, uint8_t *out,
    size_t out_cap, size_t *out_len);

#endif

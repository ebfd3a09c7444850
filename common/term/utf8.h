/* utf8.h: incremental UTF-8 decoding with U+FFFD for each maximal invalid subpart, and encoding. */
#ifndef MP_TERM_UTF8_H
#define MP_TERM_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT	0xfffdu

/*
 * Decoder state between bytes (and between writes). Well-formed
 * sequences are those of Unicode's table 3-7: no overlongs, no
 * surrogates, nothing above U+10FFFF. Each maximal subpart of an
 * ill-formed sequence becomes one U+FFFD (the WHATWG practice): a byte
 * that cannot continue the sequence ends it with U+FFFD and is then
 * decoded afresh.
 */
struct utf8_dec {
	uint32_t cp;		/* bits so far */
	uint8_t need;		/* continuation bytes still expected */
	uint8_t lo, hi;		/* range allowed for the next byte */
};

void utf8_dec_init(struct utf8_dec *d);
/* Feed one byte: writes 0, 1 or 2 code points to out, returns how many. */
int utf8_dec_byte(struct utf8_dec *d, uint8_t b, uint32_t out[2]);
/* End of input: 1 and U+FFFD in *out if a sequence was cut short. */
int utf8_dec_flush(struct utf8_dec *d, uint32_t *out);
/* One complete well-formed multi-byte sequence at p (len bytes): its
 * length, with the code point in *cp; 0 if p does not start with one. */
size_t utf8_decode_one(const uint8_t *p, size_t len, uint32_t *cp);
/* utf8_decode_one() with the two- and three-byte sequences inline. */
static inline size_t
utf8_decode_fast(const uint8_t *p, size_t len, uint32_t *cp)
{
	uint32_t c;

	if (len >= 3 && (p[0] & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80) {
		c = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
		    (p[2] & 0x3f);
		/* Not overlong (E0 80..9F), not a surrogate (ED A0..BF). */
		if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
			*cp = c;
			return 3;
		}
	}
	if (len >= 2 && p[0] >= 0xc2 && p[0] <= 0xdf &&
	    (p[1] & 0xc0) == 0x80) {
		*cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	return utf8_decode_one(p, len, cp);
}

/* Encode cp into out; surrogates and values above U+10FFFF encode
 * U+FFFD. Returns the length (1-4). */
size_t utf8_encode(uint32_t cp, uint8_t out[4]);
/* The longest prefix of the well-formed UTF-8 s (len bytes) that is at
 * most max bytes and ends on a character boundary. */
size_t utf8_cut(const uint8_t *s, size_t len, size_t max);

#endif

/* utf8.c: incremental UTF-8 decoding with U+FFFD for each maximal invalid subpart, and encoding. */
#include <stddef.h>
#include <stdint.h>

#include "common/term/utf8.h"

void
utf8_dec_init(struct utf8_dec *d)
{
	d->cp = 0;
	d->need = 0;
	d->lo = 0x80;
	d->hi = 0xbf;
}

/* Start a sequence with lead byte b; 0 if b cannot start one. */
static int
lead(struct utf8_dec *d, uint8_t b)
{
	d->lo = 0x80;
	d->hi = 0xbf;
	if (b >= 0xc2 && b <= 0xdf) {
		d->need = 1;
		d->cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		d->need = 2;
		d->cp = b & 0x0f;
		if (b == 0xe0)
			d->lo = 0xa0;	/* no overlongs */
		else if (b == 0xed)
			d->hi = 0x9f;	/* no surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		d->need = 3;
		d->cp = b & 0x07;
		if (b == 0xf0)
			d->lo = 0x90;	/* no overlongs */
		else if (b == 0xf4)
			d->hi = 0x8f;	/* nothing above U+10FFFF */
	} else
		return 0;
	return 1;
}

int
utf8_dec_byte(struct utf8_dec *d, uint8_t b, uint32_t out[2])
{
	int n = 0;

	if (d->need > 0) {
		if (b >= d->lo && b <= d->hi) {
			d->cp = d->cp << 6 | (b & 0x3f);
			d->lo = 0x80;
			d->hi = 0xbf;
			if (--d->need == 0)
				out[n++] = d->cp;
			return n;
		}
		d->need = 0;
		out[n++] = UTF8_REPLACEMENT;
	}
	if (b < 0x80)
		out[n++] = b;
	else if (!lead(d, b))
		out[n++] = UTF8_REPLACEMENT;
	return n;
}

int
utf8_dec_flush(struct utf8_dec *d, uint32_t *out)
{
	if (d->need == 0)
		return 0;
	utf8_dec_init(d);
	*out = UTF8_REPLACEMENT;
	return 1;
}

size_t
utf8_decode_one(const uint8_t *p, size_t len, uint32_t *cp)
{
	struct utf8_dec d;
	size_t i;

	if (len == 0 || !lead(&d, p[0]) || len <= d.need)
		return 0;
	for (i = 1; i <= d.need; i++) {
		if (p[i] < d.lo || p[i] > d.hi)
			return 0;
		d.cp = d.cp << 6 | (p[i] & 0x3f);
		d.lo = 0x80;
		d.hi = 0xbf;
	}
	*cp = d.cp;
	return i;
}

size_t
utf8_encode(uint32_t cp, uint8_t out[4])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | cp >> 18);
	out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

size_t
utf8_cut(const uint8_t *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* Back off continuation bytes so the cut lands before a lead. */
	while (max > 0 && (s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

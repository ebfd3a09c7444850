/* width.h: how many cells a code point takes (Unicode tables generated into width_table.h). */
#ifndef MP_TERM_WIDTH_H
#define MP_TERM_WIDTH_H

#include <stdint.h>

/* Property byte of a code point: the width (0, 1 or 2) in bits 0-1 and
 * TERM_WPROP_PICT if it is Extended_Pictographic. */
#define TERM_WPROP_WIDTH	0x03
#define TERM_WPROP_PICT		0x10

/* One range of the generated table. */
struct term_wrange {
	uint32_t lo, hi;
	uint8_t props;
};

/* The Unicode version the table was generated from ("15.0.0"). */
const char *term_unicode_version(void);

/* Properties of cp (any value; above U+10FFFF reads as width 1). */
unsigned int term_wprops(uint32_t cp);

/* Cells taken by cp: 0 (combining, attaches to the previous cell), 1 or
 * 2 (East Asian Wide/Fullwidth and emoji presentation). Controls are
 * never printed and read as 1. */
static inline int
term_wcwidth(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	return (int)(term_wprops(cp) & TERM_WPROP_WIDTH);
}

#endif

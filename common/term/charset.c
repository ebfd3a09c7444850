/* charset.c: character sets G0-G3 (SCS) with DEC special graphics and UK, shifted into GL by SI/SO. */
#include <stdint.h>

#include "common/term/screen.h"

/* DEC special graphics 0x5f-0x7e as Unicode (the VT100 line drawing). */
static const uint16_t dec_graphics[] = {
	0x00a0, 0x25c6, 0x2592, 0x2409, 0x240c, 0x240d, 0x240a, 0x00b0,
	0x00b1, 0x2424, 0x240b, 0x2518, 0x2510, 0x250c, 0x2514, 0x253c,
	0x23ba, 0x23bb, 0x2500, 0x23bc, 0x23bd, 0x251c, 0x2524, 0x2534,
	0x252c, 0x2502, 0x2264, 0x2265, 0x03c0, 0x2260, 0x00a3, 0x00b7,
};

/* ESC ( F, ESC ) F, ESC * F, ESC + F: designate set F into Gg. */
void
term_designate(struct term *t, unsigned int g, uint32_t final)
{
	if (g > 3)
		return;
	switch (final) {
	case '0':
		t->cur.g[g] = TERM_CS_DEC;
		break;
	case 'A':
		t->cur.g[g] = TERM_CS_UK;
		break;
	case 'B':
		t->cur.g[g] = TERM_CS_ASCII;
		break;
	default:
		break;	/* other national sets are not supported */
	}
}

/* The character c (0x20-0x7e) stands for in the set in GL. */
uint32_t
term_map(const struct term *t, uint32_t c)
{
	switch (t->cur.g[t->cur.gl]) {
	case TERM_CS_DEC:
		if (c >= 0x5f && c <= 0x7e)
			return dec_graphics[c - 0x5f];
		break;
	case TERM_CS_UK:
		if (c == '#')
			return 0x00a3;
		break;
	default:
		break;
	}
	return c;
}

/* sgr.c: SGR, the character attributes and colours of the pen, in both the ';' and the ':' (sub-parameter) forms. */
#include <stdint.h>

#include "common/term/screen.h"

static void
set_underline(struct term_pen *pen, unsigned int style)
{
	if (style > TERM_UL_DASHED)
		return;
	pen->attrs = (uint16_t)((pen->attrs & ~TERM_ATTR_UL_MASK) |
	    style << TERM_ATTR_UL_SHIFT);
}

/*
 * The colour of 38/48/58 from v[0..n): "5, index" or "2, r, g, b"; in
 * the ':' form (sub) "2" may be followed by a colour space id first
 * (38:2::r:g:b has four values after the 2). Returns how many values
 * were used; *out is left alone if the colour is invalid.
 */
static unsigned int
parse_color(const uint16_t *v, unsigned int n, int sub, uint32_t *out)
{
	unsigned int skip = 0;

	if (n == 0)
		return 0;
	if (v[0] == 5) {
		if (n < 2)
			return n;
		if (v[1] < 256)
			*out = TERM_COLOR_INDEX(v[1]);
		return 2;
	}
	if (v[0] != 2)
		return 1;
	if (sub && n >= 5)
		skip = 1;
	if (n < 4 + skip)
		return n;
	if (v[1 + skip] < 256 && v[2 + skip] < 256 && v[3 + skip] < 256)
		*out = TERM_COLOR_RGB(v[1 + skip], v[2 + skip], v[3 + skip]);
	return 4 + skip;
}

/* The attribute bits set by code v (1-9), or cleared by v (21-29). */
static const uint16_t attr_bits[10] = {
	0, TERM_ATTR_BOLD, TERM_ATTR_FAINT, TERM_ATTR_ITALIC, 0,
	TERM_ATTR_BLINK, TERM_ATTR_BLINK, TERM_ATTR_INVERSE,
	TERM_ATTR_INVISIBLE, TERM_ATTR_STRIKE,
};

/* One attribute without a colour argument. */
static void
sgr_simple(struct term_pen *pen, unsigned int v)
{
	switch (v / 10) {
	case 0:
		if (v == 0) {
			pen->fg = pen->bg = TERM_COLOR_DEFAULT;
			pen->attrs = 0;
		} else if (v == 4)
			set_underline(pen, TERM_UL_SINGLE);
		else
			pen->attrs |= attr_bits[v];
		break;
	case 2:
		if (v == 21)
			set_underline(pen, TERM_UL_DOUBLE);
		else if (v == 22)
			pen->attrs &= ~(TERM_ATTR_BOLD | TERM_ATTR_FAINT);
		else if (v == 24)
			pen->attrs &= ~TERM_ATTR_UL_MASK;
		else if (v != 20 && v != 26)
			pen->attrs &= (uint16_t)~attr_bits[v - 20];
		break;
	case 3:
		if (v <= 37)
			pen->fg = TERM_COLOR_INDEX(v - 30);
		else if (v == 39)
			pen->fg = TERM_COLOR_DEFAULT;
		break;
	case 4:
		if (v <= 47)
			pen->bg = TERM_COLOR_INDEX(v - 40);
		else if (v == 49)
			pen->bg = TERM_COLOR_DEFAULT;
		break;
	case 9:
		if (v <= 97)
			pen->fg = TERM_COLOR_INDEX(v - 90 + 8);
		break;
	case 10:
		if (v <= 107)
			pen->bg = TERM_COLOR_INDEX(v - 100 + 8);
		break;
	default:
		break;
	}
}

/* A colour (38, 48, 58) starting at parameter i with nsub
 * sub-parameters; returns the parameters used after i. */
static unsigned int
sgr_color(struct term_pen *pen, const struct term_parser *p, unsigned int i,
    unsigned int nsub)
{
	uint32_t c = 0xffffffffu;
	unsigned int used;

	if (nsub > 0) {
		parse_color(p->param + i + 1, nsub, 1, &c);
		used = nsub;
	} else
		used = parse_color(p->param + i + 1, p->nparam - i - 1, 0, &c);
	if (c != 0xffffffffu) {
		if (p->param[i] == 38)
			pen->fg = c;
		else if (p->param[i] == 48)
			pen->bg = c;
		/* 58, the underline colour, is not kept. */
	}
	return used;
}

void
term_sgr(struct term *t, const struct term_parser *p)
{
	struct term_pen *pen = &t->cur.pen;
	unsigned int i, nsub, v;

	if (p->nparam == 0) {
		sgr_simple(pen, 0);
		return;
	}
	for (i = 0; i < p->nparam; i += 1 + nsub) {
		for (nsub = 0; tp_is_sub(p, i + 1 + nsub) &&
		    i + 1 + nsub < p->nparam; nsub++)
			;
		v = p->param[i];
		if (tp_is_sub(p, i))
			continue;	/* stray sub-parameters */
		if (v == 38 || v == 48 || v == 58) {
			if (nsub > 0)
				sgr_color(pen, p, i, nsub);
			else
				i += sgr_color(pen, p, i, 0);
		} else if (v == 4 && nsub > 0)
			set_underline(pen, p->param[i + 1]);
		else
			sgr_simple(pen, v);
	}
}

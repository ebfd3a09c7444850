/* parser.c: the DEC/ECMA-48 escape sequence state machine (after vt100.net's diagram), over decoded code points. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/term/parser.h"
#include "common/term/utf8.h"

#define C_BEL	0x07
#define C_CAN	0x18
#define C_SUB	0x1a
#define C_ESC	0x1b
#define C_DEL	0x7f
#define C1_DCS	0x90
#define C1_SOS	0x98
#define C1_CSI	0x9b
#define C1_ST	0x9c
#define C1_OSC	0x9d
#define C1_PM	0x9e
#define C1_APC	0x9f

int
tp_init(struct term_parser *p, const struct tp_actions *act, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->act = act;
	p->arg = arg;
	if ((p->sbuf = malloc(TP_OSC52_MAX)) == NULL)
		return MP_ERR_ALLOC;
	return 0;
}

void
tp_free(struct term_parser *p)
{
	free(p->sbuf);
	p->sbuf = NULL;
}

/* Forget the sequence collected so far. */
static void
clear(struct term_parser *p)
{
	p->prefix = 0;
	p->ninter = 0;
	p->inter_over = 0;
	p->nparam = 0;
	p->param_over = 0;
	p->sub = 0;
}

void
tp_reset(struct term_parser *p)
{
	clear(p);
	p->slen = 0;
	p->str_over = 0;
	p->state = TP_GROUND;
}

static void
enter(struct term_parser *p, enum tp_state s)
{
	if (s == TP_ESC || s == TP_CSI_ENTRY || s == TP_DCS_ENTRY)
		clear(p);
	if (s == TP_OSC) {
		p->slen = 0;
		p->str_over = 0;
	}
	p->state = s;
}

static void
collect(struct term_parser *p, uint32_t c)
{
	if (p->ninter < TP_INTER_MAX)
		p->inter[p->ninter++] = (uint8_t)c;
	else
		p->inter_over = 1;
}

/* A digit, ';' or ':' of the parameters. */
static void
param(struct term_parser *p, uint32_t c)
{
	unsigned int v;

	if (p->nparam == 0) {
		p->nparam = 1;
		p->param[0] = 0;
	}
	if (c == ';' || c == ':') {
		if (p->nparam == TP_PARAM_MAX) {
			p->param_over = 1;
			return;
		}
		if (c == ':')
			p->sub |= 1u << p->nparam;
		p->param[p->nparam++] = 0;
		return;
	}
	if (p->param_over)
		return;
	v = p->param[p->nparam - 1] * 10u + (c - '0');
	p->param[p->nparam - 1] = v > TP_PARAM_CLAMP ? TP_PARAM_CLAMP :
	    (uint16_t)v;
}

static void
osc_put(struct term_parser *p, uint32_t c)
{
	uint8_t enc[4];
	size_t n, max;

	if (p->str_over)
		return;
	n = utf8_encode(c, enc);
	max = TP_OSC_MAX;
	if (p->slen >= 3 && memcmp(p->sbuf, "52;", 3) == 0)
		max = TP_OSC52_MAX;
	if (n > max - p->slen) {
		p->str_over = 1;
		return;
	}
	memcpy(p->sbuf + p->slen, enc, n);
	p->slen += n;
}

static void
osc_end(struct term_parser *p)
{
	if (!p->str_over && p->act->osc != NULL)
		p->act->osc(p->arg, p->sbuf, p->slen);
	p->slen = 0;
	p->str_over = 0;
}

static void
esc_dispatch(struct term_parser *p, uint32_t c)
{
	p->state = TP_GROUND;
	if (!p->inter_over && p->act->esc != NULL)
		p->act->esc(p->arg, p, c);
}

static void
csi_dispatch(struct term_parser *p, uint32_t c)
{
	p->state = TP_GROUND;
	if (!p->inter_over && p->act->csi != NULL)
		p->act->csi(p->arg, p, c);
}

static void
execute(struct term_parser *p, uint32_t c)
{
	if (p->act->execute != NULL)
		p->act->execute(p->arg, c);
}

/* CAN, SUB, ESC and C1 controls, whatever the state. */
static void
anywhere(struct term_parser *p, uint32_t c)
{
	if (p->state == TP_OSC && c != C_CAN && c != C_SUB)
		osc_end(p);
	switch (c) {
	case C_CAN:
	case C_SUB:
		enter(p, TP_GROUND);
		break;
	case C_ESC:
		enter(p, TP_ESC);
		break;
	case C1_DCS:
		enter(p, TP_DCS_ENTRY);
		break;
	case C1_CSI:
		enter(p, TP_CSI_ENTRY);
		break;
	case C1_OSC:
		enter(p, TP_OSC);
		break;
	case C1_SOS:
	case C1_PM:
	case C1_APC:
		enter(p, TP_SOS);
		break;
	case C1_ST:
		enter(p, TP_GROUND);
		break;
	default:
		enter(p, TP_GROUND);
		execute(p, c);
		break;
	}
}

static void
st_escape(struct term_parser *p, uint32_t c)
{
	if (c < 0x20)
		execute(p, c);
	else if (c < 0x30) {
		collect(p, c);
		p->state = TP_ESC_INT;
	} else if (c == '[')
		enter(p, TP_CSI_ENTRY);
	else if (c == ']')
		enter(p, TP_OSC);
	else if (c == 'P')
		enter(p, TP_DCS_ENTRY);
	else if (c == 'X' || c == '^' || c == '_')
		enter(p, TP_SOS);
	else if (c < C_DEL)
		esc_dispatch(p, c);
	else if (c > C_DEL)
		p->state = TP_GROUND;
}

static void
st_escape_int(struct term_parser *p, uint32_t c)
{
	if (c < 0x20)
		execute(p, c);
	else if (c < 0x30)
		collect(p, c);
	else if (c < C_DEL)
		esc_dispatch(p, c);
	else if (c > C_DEL)
		p->state = TP_GROUND;
}

/* CSI entry and parameters; DCS entry and parameters when dcs is set. */
static void
st_params(struct term_parser *p, uint32_t c, int dcs)
{
	int entry = p->state == TP_CSI_ENTRY || p->state == TP_DCS_ENTRY;

	if (c < 0x20) {
		if (!dcs)
			execute(p, c);
	} else if (c < 0x30) {
		collect(p, c);
		p->state = dcs ? TP_DCS_INT : TP_CSI_INT;
	} else if (c < 0x3c) {
		param(p, c);
		p->state = dcs ? TP_DCS_PARAM : TP_CSI_PARAM;
	} else if (c < 0x40) {
		if (entry) {
			p->prefix = (uint8_t)c;
			p->state = dcs ? TP_DCS_PARAM : TP_CSI_PARAM;
		} else
			p->state = dcs ? TP_DCS_IGNORE : TP_CSI_IGNORE;
	} else if (c < C_DEL) {
		if (dcs)
			p->state = TP_DCS_PASS;
		else
			csi_dispatch(p, c);
	} else if (c > C_DEL)
		p->state = dcs ? TP_DCS_IGNORE : TP_CSI_IGNORE;
}

static void
st_intermediate(struct term_parser *p, uint32_t c, int dcs)
{
	if (c < 0x20) {
		if (!dcs)
			execute(p, c);
	} else if (c < 0x30)
		collect(p, c);
	else if (c < 0x40)
		p->state = dcs ? TP_DCS_IGNORE : TP_CSI_IGNORE;
	else if (c < C_DEL) {
		if (dcs)
			p->state = TP_DCS_PASS;
		else
			csi_dispatch(p, c);
	} else if (c > C_DEL)
		p->state = dcs ? TP_DCS_IGNORE : TP_CSI_IGNORE;
}

static void
st_csi_ignore(struct term_parser *p, uint32_t c)
{
	if (c < 0x20)
		execute(p, c);
	else if (c >= 0x40 && c < C_DEL)
		p->state = TP_GROUND;
}

static void
st_osc(struct term_parser *p, uint32_t c)
{
	if (c == C_BEL) {
		osc_end(p);
		p->state = TP_GROUND;
	} else if (c >= 0x20 && c != C_DEL)
		osc_put(p, c);
}

void
tp_feed(struct term_parser *p, uint32_t c)
{
	if (c == C_CAN || c == C_SUB || c == C_ESC ||
	    (c >= 0x80 && c < 0xa0)) {
		anywhere(p, c);
		return;
	}
	switch (p->state) {
	case TP_GROUND:
		if (c < 0x20)
			execute(p, c);
		else if (c != C_DEL && p->act->print != NULL)
			p->act->print(p->arg, c);
		break;
	case TP_ESC:
		st_escape(p, c);
		break;
	case TP_ESC_INT:
		st_escape_int(p, c);
		break;
	case TP_CSI_ENTRY:
	case TP_CSI_PARAM:
		st_params(p, c, 0);
		break;
	case TP_CSI_INT:
		st_intermediate(p, c, 0);
		break;
	case TP_CSI_IGNORE:
		st_csi_ignore(p, c);
		break;
	case TP_OSC:
		st_osc(p, c);
		break;
	case TP_DCS_ENTRY:
	case TP_DCS_PARAM:
		st_params(p, c, 1);
		break;
	case TP_DCS_INT:
		st_intermediate(p, c, 1);
		break;
	default:
		/* DCS passthrough, DCS ignore, SOS/PM/APC: wait for ST. */
		break;
	}
}

/* One number at s[i], as param() would read it digit by digit. */
static size_t
fast_number(const uint8_t *s, size_t i, size_t len, unsigned int *out)
{
	unsigned int v = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > TP_PARAM_CLAMP)
			v = TP_PARAM_CLAMP;
	}
	*out = v;
	return i;
}

/* Parameters from s[i], as param() byte by byte. Returns the index of
 * the first other byte. */
static size_t
fast_params(struct term_parser *p, const uint8_t *s, size_t i, size_t len)
{
	unsigned int v, n = 0;

	if (i >= len || s[i] < 0x30 || s[i] > 0x3b)
		return i;
	for (;;) {
		i = fast_number(s, i, len, &v);
		if (n < TP_PARAM_MAX)
			p->param[n++] = (uint16_t)v;
		else
			p->param_over = 1;
		if (i >= len || (s[i] != ';' && s[i] != ':'))
			break;
		if (s[i++] == ':' && n < TP_PARAM_MAX)
			p->sub |= 1u << n;
	}
	p->nparam = (uint8_t)n;
	return i;
}

size_t
tp_csi_fast(struct term_parser *p, const uint8_t *s, size_t len)
{
	size_t i = 2;

	if (p->state != TP_GROUND || len < 3 || s[0] != 0x1b || s[1] != '[')
		return 0;
	clear(p);
	if (s[i] >= 0x3c && s[i] <= 0x3f)
		p->prefix = s[i++];
	i = fast_params(p, s, i, len);
	for (; i < len && s[i] >= 0x20 && s[i] <= 0x2f; i++)
		collect(p, s[i]);
	if (i >= len || s[i] < 0x40 || s[i] >= C_DEL)
		return 0;	/* incomplete or unusual: byte by byte */
	csi_dispatch(p, s[i]);
	return i + 1;
}

/* parser.h: the DEC/ECMA-48 escape sequence state machine (after vt100.net's diagram), over decoded code points. */
#ifndef MP_TERM_PARSER_H
#define MP_TERM_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "common/term/term.h"

/*
 * The parser is fed code points (UTF-8 is decoded first, see
 * emulator.c) and calls its actions. C1 controls are the code points
 * U+0080..U+009F; they act anywhere as in the diagram. Everything is
 * bounded: at most TP_PARAM_MAX parameters (more are dropped), each
 * clamped to TP_PARAM_CLAMP; at most TP_INTER_MAX intermediates (a
 * sequence with more is ignored); an OSC string of at most TP_OSC_MAX
 * bytes, or TP_OSC52_MAX for OSC 52 (longer ones are dropped whole).
 * DCS, SOS, PM and APC strings are consumed and ignored.
 */
#define TP_PARAM_MAX	32
#define TP_PARAM_CLAMP	65535
#define TP_INTER_MAX	2
#define TP_OSC_MAX	4096
#define TP_OSC52_MAX	(TERM_CLIPBOARD_MAX + 64)	/* "52;" Pc ";" data */

enum tp_state {
	TP_GROUND = 0,
	TP_ESC,
	TP_ESC_INT,
	TP_CSI_ENTRY,
	TP_CSI_PARAM,
	TP_CSI_INT,
	TP_CSI_IGNORE,
	TP_OSC,
	TP_DCS_ENTRY,
	TP_DCS_PARAM,
	TP_DCS_INT,
	TP_DCS_PASS,
	TP_DCS_IGNORE,
	TP_SOS,		/* SOS, PM and APC strings */
};

struct term_parser;

struct tp_actions {
	/* A graphic character in the ground state (0x20-0x7e, >= 0xa0). */
	void (*print)(void *arg, uint32_t cp);
	/* A C0 (< 0x20) or C1 (0x80-0x9f) control to act on. */
	void (*execute)(void *arg, uint32_t c);
	/* ESC [intermediates] final; CSI [prefix] params [intermediates]
	 * final. The sequence is read from the parser (tp_* below). */
	void (*esc)(void *arg, const struct term_parser *p, uint32_t final);
	void (*csi)(void *arg, const struct term_parser *p, uint32_t final);
	/* A complete OSC string (UTF-8, without the terminator). */
	void (*osc)(void *arg, const uint8_t *s, size_t len);
};

struct term_parser {
	const struct tp_actions *act;
	void *arg;
	uint8_t state;		/* enum tp_state */
	uint8_t prefix;		/* CSI private marker '<' '=' '>' '?' or 0 */
	uint8_t ninter;
	uint8_t inter[TP_INTER_MAX];
	uint8_t inter_over;	/* too many intermediates: ignore */
	uint8_t nparam;
	uint8_t param_over;	/* more than TP_PARAM_MAX: the rest dropped */
	uint32_t sub;		/* bit i: param i came after ':' */
	uint16_t param[TP_PARAM_MAX];
	uint8_t str_over;	/* the OSC string is too long: drop it */
	size_t slen;
	uint8_t *sbuf;		/* TP_OSC52_MAX bytes */
};

/* Allocates the string buffer (MP_ERR_ALLOC). */
int tp_init(struct term_parser *p, const struct tp_actions *act, void *arg);
void tp_free(struct term_parser *p);
/* Back to the ground state, dropping any sequence in progress. */
void tp_reset(struct term_parser *p);
/* Process one code point. */
void tp_feed(struct term_parser *p, uint32_t c);
/* The fast path for a whole CSI sequence in the ground state: if s
 * (len bytes) starts with ESC [ and a complete sequence of plain bytes
 * (parameters, intermediates, final), dispatch it exactly as tp_feed()
 * would and return its length; else 0 (still in the ground state). */
size_t tp_csi_fast(struct term_parser *p, const uint8_t *s, size_t len);

static inline int
tp_ground(const struct term_parser *p)
{
	return p->state == TP_GROUND;
}

/* Parameter i, or def if absent or 0 (the usual ECMA-48 default). */
static inline unsigned int
tp_arg(const struct term_parser *p, unsigned int i, unsigned int def)
{
	if (i >= p->nparam || p->param[i] == 0)
		return def;
	return p->param[i];
}

/* 1 if parameter i is a sub-parameter (it followed a ':'). */
static inline int
tp_is_sub(const struct term_parser *p, unsigned int i)
{
	return i < TP_PARAM_MAX && (p->sub >> i & 1);
}

/* The intermediates as one value: 0, c, or c1 << 8 | c2. */
static inline unsigned int
tp_inter(const struct term_parser *p)
{
	if (p->ninter == 0)
		return 0;
	if (p->ninter == 1)
		return p->inter[0];
	return (unsigned int)p->inter[0] << 8 | p->inter[1];
}

#endif

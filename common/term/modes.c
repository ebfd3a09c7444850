/* modes.c: SM/RM and DECSET/DECRST, DECRQM, the alternate screen, saving the cursor, soft and hard reset. */
#include <stdint.h>
#include <string.h>

#include "common/term/screen.h"

enum mode_kind {
	MK_MODE,	/* a TERM_MODE_* bit of the synchronised state */
	MK_FLAG,	/* a TF_* bit */
	MK_MOUSE,	/* t->mouse is the value */
	MK_ENC,		/* t->mouse_enc is the value */
	MK_ALT,		/* 47, 1047, 1049 */
	MK_SAVE,	/* 1048: DECSC / DECRC */
};

struct mode {
	uint16_t num;
	uint8_t kind;		/* enum mode_kind */
	uint32_t v;
};

/* DEC private modes (CSI ? Pm h / l). */
static const struct mode private_modes[] = {
	{ 1, MK_MODE, TERM_MODE_CURSOR_KEYS },
	{ 5, MK_MODE, TERM_MODE_REVERSE },
	{ 6, MK_FLAG, TF_ORIGIN },
	{ 7, MK_FLAG, TF_AUTOWRAP },
	{ 9, MK_MOUSE, TERM_MOUSE_X10 },
	{ 25, MK_MODE, TERM_MODE_CURSOR_SHOWN },
	{ 47, MK_ALT, 0 },
	{ 1000, MK_MOUSE, TERM_MOUSE_NORMAL },
	{ 1002, MK_MOUSE, TERM_MOUSE_BUTTON },
	{ 1003, MK_MOUSE, TERM_MOUSE_ANY },
	{ 1004, MK_MODE, TERM_MODE_FOCUS },
	{ 1005, MK_ENC, TERM_MOUSE_ENC_UTF8 },
	{ 1006, MK_ENC, TERM_MOUSE_ENC_SGR },
	{ 1047, MK_ALT, 0 },
	{ 1048, MK_SAVE, 0 },
	{ 1049, MK_ALT, 0 },
	{ 2004, MK_MODE, TERM_MODE_BRACKETED },
};

/* ANSI modes (CSI Pm h / l). */
static const struct mode ansi_modes[] = {
	{ 4, MK_FLAG, TF_INSERT },
	{ 20, MK_FLAG, TF_NEWLINE },
};

static const struct mode *
find(const struct mode *tab, size_t n, unsigned int num)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (tab[i].num == num)
			return &tab[i];
	}
	return NULL;
}

void
term_save_cursor(struct term *t)
{
	t->saved[t->alt] = t->cur;
	t->saved[t->alt].origin = (t->flags & TF_ORIGIN) != 0;
}

void
term_restore_cursor(struct term *t)
{
	const struct term_cursor *s = &t->saved[t->alt];

	t->cur = *s;
	if (s->origin)
		t->flags |= TF_ORIGIN;
	else
		t->flags &= ~TF_ORIGIN;
	term_goto(t, s->x, s->y);
}

/* 47 switches; 1047 also clears the alternate screen when leaving it;
 * 1049 saves the cursor and clears the alternate screen on entry, and
 * restores the cursor on exit. */
static void
alt_screen(struct term *t, unsigned int num, int on)
{
	if (on == t->alt)
		return;
	if (on) {
		if (num == 1049)
			term_save_cursor(t);
		t->alt = 1;
		if (num == 1049)
			scr_clear(&t->scr[1], t->cols, t->rows, t->cur.pen.bg);
	} else {
		if (num == 1047)
			scr_clear(&t->scr[1], t->cols, t->rows, t->cur.pen.bg);
		t->alt = 0;
		if (num == 1049)
			term_restore_cursor(t);
	}
	t->wrapnext = 0;
}

static void
set_mode(struct term *t, const struct mode *m, int on)
{
	switch (m->kind) {
	case MK_MODE:
		t->modes = on ? t->modes | m->v : t->modes & ~m->v;
		break;
	case MK_FLAG:
		t->flags = (uint8_t)(on ? t->flags | m->v : t->flags & ~m->v);
		if (m->v == TF_ORIGIN)
			term_goto_origin(t, 0, 0);
		break;
	case MK_MOUSE:
		t->mouse = on ? (uint8_t)m->v : TERM_MOUSE_NONE;
		break;
	case MK_ENC:
		t->mouse_enc = on ? (uint8_t)m->v : TERM_MOUSE_ENC_DEFAULT;
		break;
	case MK_ALT:
		alt_screen(t, m->num, on);
		break;
	case MK_SAVE:
		if (on)
			term_save_cursor(t);
		else
			term_restore_cursor(t);
		break;
	default:
		break;
	}
}

void
term_set_modes(struct term *t, const struct term_parser *p, int on)
{
	const struct mode *tab = private_modes, *m;
	size_t n = sizeof(private_modes) / sizeof(private_modes[0]);
	unsigned int i;

	if (p->prefix == 0) {
		tab = ansi_modes;
		n = sizeof(ansi_modes) / sizeof(ansi_modes[0]);
	}
	for (i = 0; i < p->nparam; i++) {
		if ((m = find(tab, n, p->param[i])) != NULL)
			set_mode(t, m, on);
	}
}

/* DECRQM answer: 0 not recognised, 1 set, 2 reset. */
static unsigned int
mode_value(const struct term *t, const struct mode *m)
{
	int on = 0;

	if (m == NULL)
		return 0;
	switch (m->kind) {
	case MK_MODE:
		on = (t->modes & m->v) != 0;
		break;
	case MK_FLAG:
		on = (t->flags & m->v) != 0;
		break;
	case MK_MOUSE:
		on = t->mouse == m->v;
		break;
	case MK_ENC:
		on = t->mouse_enc == m->v;
		break;
	case MK_ALT:
		on = t->alt;
		break;
	default:
		break;
	}
	return on ? 1 : 2;
}

/* DECRQM: CSI ? Ps $ p and CSI Ps $ p. */
void
term_request_mode(struct term *t, const struct term_parser *p)
{
	unsigned int num = p->nparam > 0 ? p->param[0] : 0;

	if (p->prefix == '?')
		term_reply(t, "\033[?%u;%u$y", num, mode_value(t,
		    find(private_modes, sizeof(private_modes) /
		    sizeof(private_modes[0]), num)));
	else if (p->prefix == 0)
		term_reply(t, "\033[%u;%u$y", num, mode_value(t,
		    find(ansi_modes, sizeof(ansi_modes) / sizeof(ansi_modes[0]),
		    num)));
}

/* DECSTR. */
void
term_soft_reset(struct term *t)
{
	t->flags = (uint8_t)((t->flags & ~(TF_INSERT | TF_ORIGIN)) |
	    TF_AUTOWRAP);
	t->modes = (t->modes & ~(TERM_MODE_CURSOR_KEYS | TERM_MODE_KEYPAD)) |
	    TERM_MODE_CURSOR_SHOWN;
	t->top = 0;
	t->bot = t->rows - 1;
	memset(&t->cur.pen, 0, sizeof(t->cur.pen));
	t->cur.gl = 0;
	memset(t->cur.g, TERM_CS_ASCII, sizeof(t->cur.g));
	memset(&t->saved[t->alt], 0, sizeof(t->saved[t->alt]));
	t->wrapnext = 0;
}

/* RIS: everything but the titles and the bell count. */
void
term_hard_reset(struct term *t)
{
	scr_clear(&t->scr[0], t->cols, t->rows, TERM_COLOR_DEFAULT);
	scr_clear(&t->scr[1], t->cols, t->rows, TERM_COLOR_DEFAULT);
	t->alt = 0;
	memset(&t->cur, 0, sizeof(t->cur));
	memset(t->saved, 0, sizeof(t->saved));
	t->flags = TF_AUTOWRAP;
	t->modes = TERM_MODE_CURSOR_SHOWN;
	t->mouse = TERM_MOUSE_NONE;
	t->mouse_enc = TERM_MOUSE_ENC_DEFAULT;
	t->cursor_shape = 0;
	t->top = 0;
	t->bot = t->rows - 1;
	t->wrapnext = 0;
	t->last_valid = 0;
	t->zwj = 0;
	t->last_ch = 0;
	term_tabs_reset(t, 0);
}

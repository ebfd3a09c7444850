/* dispatch.c: the parser's actions: C0/C1 controls, ESC and CSI sequences mapped to screen operations. */
#include <stdint.h>

#include "common/term/screen.h"

typedef void csi_fn(struct term *, const struct term_parser *);

static unsigned int
count(const struct term_parser *p)
{
	return tp_arg(p, 0, 1);
}

static void
move_up(struct term *t, unsigned int n, int cr)
{
	int stop = t->cur.y >= t->top ? t->top : 0;
	int y = (int)t->cur.y - (int)n;

	term_goto(t, cr ? 0 : t->cur.x, y < stop ? stop : y);
}

static void
move_down(struct term *t, unsigned int n, int cr)
{
	int stop = t->cur.y <= t->bot ? t->bot : t->rows - 1;
	int y = (int)t->cur.y + (int)n;

	term_goto(t, cr ? 0 : t->cur.x, y > stop ? stop : y);
}

static void
csi_cuu(struct term *t, const struct term_parser *p)
{
	move_up(t, count(p), 0);
}

static void
csi_cud(struct term *t, const struct term_parser *p)
{
	move_down(t, count(p), 0);
}

static void
csi_cuf(struct term *t, const struct term_parser *p)
{
	term_goto(t, t->cur.x + (int)count(p), t->cur.y);
}

static void
csi_cub(struct term *t, const struct term_parser *p)
{
	term_goto(t, t->cur.x - (int)count(p), t->cur.y);
}

static void
csi_cnl(struct term *t, const struct term_parser *p)
{
	move_down(t, count(p), 1);
}

static void
csi_cpl(struct term *t, const struct term_parser *p)
{
	move_up(t, count(p), 1);
}

static void
csi_cha(struct term *t, const struct term_parser *p)
{
	term_goto(t, (int)count(p) - 1, t->cur.y);
}

static void
csi_cup(struct term *t, const struct term_parser *p)
{
	term_goto_origin(t, (int)tp_arg(p, 1, 1) - 1, (int)count(p) - 1);
}

static void
csi_vpa(struct term *t, const struct term_parser *p)
{
	term_goto_origin(t, t->cur.x, (int)count(p) - 1);
}

static void
csi_cht(struct term *t, const struct term_parser *p)
{
	term_tab_forward(t, count(p));
}

static void
csi_cbt(struct term *t, const struct term_parser *p)
{
	term_tab_back(t, count(p));
}

static void
csi_ed(struct term *t, const struct term_parser *p)
{
	term_erase_display(t, tp_arg(p, 0, 0));
}

static void
csi_el(struct term *t, const struct term_parser *p)
{
	term_erase_line(t, tp_arg(p, 0, 0));
}

static void
csi_il(struct term *t, const struct term_parser *p)
{
	term_insert_lines(t, count(p));
}

static void
csi_dl(struct term *t, const struct term_parser *p)
{
	term_delete_lines(t, count(p));
}

static void
csi_ich(struct term *t, const struct term_parser *p)
{
	term_insert_cells(t, count(p));
}

static void
csi_dch(struct term *t, const struct term_parser *p)
{
	term_delete_cells(t, count(p));
}

static void
csi_ech(struct term *t, const struct term_parser *p)
{
	t->wrapnext = 0;
	term_erase(t, t->cur.y, t->cur.x, t->cur.x + count(p));
}

static void
csi_su(struct term *t, const struct term_parser *p)
{
	term_scroll_up(t, t->top, t->bot, count(p));
}

static void
csi_sd(struct term *t, const struct term_parser *p)
{
	/* With more parameters, T is xterm's mouse highlight tracking. */
	if (p->nparam <= 1)
		term_scroll_down(t, t->top, t->bot, count(p));
}

static void
csi_rep(struct term *t, const struct term_parser *p)
{
	term_repeat(t, count(p));
}

static void
csi_tbc(struct term *t, const struct term_parser *p)
{
	term_tab_clear(t, tp_arg(p, 0, 0));
}

static void
csi_sm(struct term *t, const struct term_parser *p)
{
	term_set_modes(t, p, 1);
}

static void
csi_rm(struct term *t, const struct term_parser *p)
{
	term_set_modes(t, p, 0);
}

static void
csi_sgr(struct term *t, const struct term_parser *p)
{
	term_sgr(t, p);
}

/* DECSTBM: top < bottom or nothing changes; the cursor goes home. */
static void
csi_stbm(struct term *t, const struct term_parser *p)
{
	unsigned int top = tp_arg(p, 0, 1), bot = tp_arg(p, 1, t->rows);

	if (bot > t->rows)
		bot = t->rows;
	if (top >= bot)
		return;
	t->top = (uint16_t)(top - 1);
	t->bot = (uint16_t)(bot - 1);
	term_goto_origin(t, 0, 0);
}

static void
csi_save(struct term *t, const struct term_parser *p)
{
	(void)p;
	term_save_cursor(t);
}

static void
csi_restore(struct term *t, const struct term_parser *p)
{
	(void)p;
	term_restore_cursor(t);
}

/* CSI with neither private marker nor intermediate, by final byte. */
static csi_fn *const csi_plain[64] = {
	['@' - 0x40] = csi_ich,
	['A' - 0x40] = csi_cuu,
	['B' - 0x40] = csi_cud,
	['C' - 0x40] = csi_cuf,
	['D' - 0x40] = csi_cub,
	['E' - 0x40] = csi_cnl,
	['F' - 0x40] = csi_cpl,
	['G' - 0x40] = csi_cha,
	['H' - 0x40] = csi_cup,
	['I' - 0x40] = csi_cht,
	['J' - 0x40] = csi_ed,
	['K' - 0x40] = csi_el,
	['L' - 0x40] = csi_il,
	['M' - 0x40] = csi_dl,
	['P' - 0x40] = csi_dch,
	['S' - 0x40] = csi_su,
	['T' - 0x40] = csi_sd,
	['X' - 0x40] = csi_ech,
	['Z' - 0x40] = csi_cbt,
	['`' - 0x40] = csi_cha,
	['a' - 0x40] = csi_cuf,
	['b' - 0x40] = csi_rep,
	['d' - 0x40] = csi_vpa,
	['e' - 0x40] = csi_cud,
	['f' - 0x40] = csi_cup,
	['g' - 0x40] = csi_tbc,
	['h' - 0x40] = csi_sm,
	['l' - 0x40] = csi_rm,
	['m' - 0x40] = csi_sgr,
	['r' - 0x40] = csi_stbm,
	['s' - 0x40] = csi_save,
	['u' - 0x40] = csi_restore,
};

/* Sequences with a private marker or an intermediate. */
static void
csi_other(struct term *t, const struct term_parser *p, uint32_t f)
{
	unsigned int key = (unsigned int)p->prefix << 16 | tp_inter(p) << 8 | f;

	switch (key) {
	case '?' << 16 | 'h':
		term_set_modes(t, p, 1);
		break;
	case '?' << 16 | 'l':
		term_set_modes(t, p, 0);
		break;
	case '?' << 16 | 'J':		/* DECSED, no protected cells */
		csi_ed(t, p);
		break;
	case '?' << 16 | 'K':		/* DECSEL */
		csi_el(t, p);
		break;
	case '?' << 16 | '$' << 8 | 'p':
	case '$' << 8 | 'p':
		term_request_mode(t, p);
		break;
	case '!' << 8 | 'p':
		term_soft_reset(t);
		break;
	case ' ' << 8 | 'q':
		if (tp_arg(p, 0, 0) <= 6)
			t->cursor_shape = (uint8_t)tp_arg(p, 0, 0);
		break;
	default:
		term_query(t, p, f);
		break;
	}
}

static void
act_csi(void *arg, const struct term_parser *p, uint32_t f)
{
	struct term *t = arg;

	t->last_valid = 0;
	if (p->ninter > 1)
		return;
	if (p->prefix == 0 && p->ninter == 0 && f >= 0x40 &&
	    csi_plain[f - 0x40] != NULL)
		csi_plain[f - 0x40](t, p);
	else
		csi_other(t, p, f);
}

static void
next_line(struct term *t)
{
	term_index(t);
	t->cur.x = 0;
}

static void
act_execute(void *arg, uint32_t c)
{
	struct term *t = arg;

	t->last_valid = 0;
	switch (c) {
	case 0x07:
		t->bells++;
		break;
	case 0x08:
		term_goto(t, t->cur.x - 1, t->cur.y);
		break;
	case 0x09:
		term_tab_forward(t, 1);
		break;
	case 0x0a:
	case 0x0b:
	case 0x0c:
		if (t->flags & TF_NEWLINE)
			next_line(t);
		else
			term_index(t);
		break;
	case 0x0d:
		term_goto(t, 0, t->cur.y);
		break;
	case 0x0e:
		t->cur.gl = 1;
		break;
	case 0x0f:
		t->cur.gl = 0;
		break;
	case 0x84:		/* IND */
		term_index(t);
		break;
	case 0x85:		/* NEL */
		next_line(t);
		break;
	case 0x88:		/* HTS */
		term_tab_set(t);
		break;
	case 0x8d:		/* RI */
		term_reverse_index(t);
		break;
	default:
		break;
	}
}

static void
act_esc(void *arg, const struct term_parser *p, uint32_t f)
{
	struct term *t = arg;
	unsigned int in = tp_inter(p);

	t->last_valid = 0;
	if (p->ninter == 1 && in >= '(' && in <= '+') {
		term_designate(t, in - '(', f);
		return;
	}
	switch (in << 8 | f) {
	case '7':
		term_save_cursor(t);
		break;
	case '8':
		term_restore_cursor(t);
		break;
	case 'D':
		act_execute(t, 0x84);
		break;
	case 'E':
		act_execute(t, 0x85);
		break;
	case 'H':
		act_execute(t, 0x88);
		break;
	case 'M':
		act_execute(t, 0x8d);
		break;
	case 'c':
		term_hard_reset(t);
		break;
	case '=':
		t->modes |= TERM_MODE_KEYPAD;
		break;
	case '>':
		t->modes &= ~TERM_MODE_KEYPAD;
		break;
	case 'Z':		/* DECID: as DA1 */
		term_reply(t, TERM_DA1);
		break;
	case '#' << 8 | '8':
		term_align(t);
		break;
	default:
		break;
	}
}

static void
act_print(void *arg, uint32_t cp)
{
	term_put_char(arg, cp);
}

static void
act_osc(void *arg, const uint8_t *s, size_t len)
{
	struct term *t = arg;

	t->last_valid = 0;
	term_osc(t, s, len);
}

const struct tp_actions term_actions = {
	.print = act_print,
	.execute = act_execute,
	.esc = act_esc,
	.csi = act_csi,
	.osc = act_osc,
};

/* predict.c: local echo prediction: keystrokes turned into predicted cells on the cursor's row, judged against the server's screen once echo-acknowledged (docs/prediction.md). */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/term/predict.h"
#include "common/term/utf8.h"
#include "common/term/width.h"

#define CONT		TERM_CH_WIDE_CONT
#define SEEN_MAX	4		/* characters remembered per cell */
#define SEEN_ANY	(SEEN_MAX + 1)	/* more: any is accepted */
#define SLOW_SHOW	10		/* slow-confirmation trigger: show */
#define SLOW_FLAG	20		/* ... show and underline */
#define QUICK_GAP_MS	150		/* quick confirmations lower it this often */

/* A keystroke as the parser sees it. */
enum key { KEY_NONE, KEY_CHAR, KEY_BACK, KEY_LEFT, KEY_RIGHT, KEY_OTHER };

/* Parser states: between keys, after ESC, in a CSI, after SS3, in UTF-8. */
enum pstate { PS_GROUND, PS_ESC, PS_CSI, PS_SS3, PS_UTF8 };

/* One cell of the predicted row. */
struct pcell {
	struct term_cell want;		/* what it will show */
	uint64_t end;			/* judged once ack >= end; 0: none */
	uint32_t seen[SEEN_MAX];	/* what else it may show until then */
	uint8_t nseen;			/* SEEN_ANY: not checked */
	uint8_t credit;			/* confirming it proves the echo */
};

/* A predicted keystroke not judged yet. */
struct pkey {
	uint64_t end;			/* offset after its last byte */
	uint64_t at;			/* when it was typed */
};

struct predict {
	enum predict_mode mode;
	/* The input parser. */
	uint8_t ps;			/* enum pstate */
	uint8_t seq[4];			/* a UTF-8 sequence so far */
	uint8_t seqlen, seqneed;
	uint8_t csi_plain;		/* no parameter or intermediate yet */
	uint64_t key_start;		/* offset of the key's first byte */
	uint64_t input_end;		/* offset after the last byte typed */
	uint64_t ack;			/* the highest ECHO_ACK */
	int echo_off;
	/* The server's screen as last seen. */
	int seen_server;
	uint16_t cols, rows;
	int alt;
	/* The predicted row, cursor and keystrokes. */
	int active;
	uint16_t row_y, cx;
	uint64_t cursor_end;		/* the cursor is judged once ack >= */
	struct pcell *row;		/* cols cells */
	struct term_cell *cur, *next;	/* the row before and after a key */
	struct pkey keys[PREDICT_MAX];	/* a ring */
	size_t key0, nkeys;
	/* Stopped until the server has echoed all input. */
	int held;
	uint64_t hold_start;		/* offset of the key that stopped it */
	int proven;			/* a prediction confirmed since */
	int alt_proven;			/* ... on this alternate screen */
	/* When to show and underline. */
	int srtt_on, flag_on;
	unsigned int slow;		/* slow-confirmation trigger */
	uint64_t last_quick;
	size_t glitches;
};

/* ---- cells --------------------------------------------------------------- */

static int
is_blank(uint32_t ch)
{
	return ch == 0 || ch == ' ';
}

static int
is_wide(uint32_t ch)
{
	return ch != 0 && ch != CONT && term_wcwidth(ch) == 2;
}

/* Cells a typed code point takes, 0 if it is not predicted (a control,
 * a combining mark). */
static int
char_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	return term_wcwidth(cp);
}

/* An erased cell as the emulator makes it. */
static struct term_cell
erased(uint32_t bg)
{
	struct term_cell c = { 0, { 0 }, TERM_COLOR_DEFAULT, bg, 0, 0 };

	return c;
}

static int
cell_eq(const struct term_cell *a, const struct term_cell *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Milliseconds from then to now, 0 if the clock went back. */
static uint64_t
since(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

static const struct term_cell *
server_row(const struct term_state *s, uint16_t y)
{
	return s->cells + (size_t)y * s->cols;
}

/* The first column from x on that starts two blanks (or the last blank
 * column, or cols): where the text under the cursor ends. */
static uint16_t
segment_end(const struct term_cell *row, uint16_t cols, uint16_t x)
{
	for (; x < cols; x++)
		if (is_blank(row[x].ch) &&
		    (x + 1 == cols || is_blank(row[x + 1].ch)))
			break;
	return x;
}

/* Keep a row as the emulator could show it: a right half only after a
 * wide left half and in its colours, a wide character only with its
 * right half. */
static void
mend_wide(struct term_cell *row, uint16_t cols)
{
	uint16_t x;

	for (x = 0; x < cols; x++) {
		if (row[x].ch == CONT && x > 0 && is_wide(row[x - 1].ch)) {
			row[x].fg = row[x - 1].fg;
			row[x].bg = row[x - 1].bg;
			row[x].attrs = row[x - 1].attrs;
		} else if (row[x].ch == CONT || (is_wide(row[x].ch) &&
		    (x + 1 == cols || row[x + 1].ch != CONT)))
			row[x] = erased(row[x].bg);
	}
}

/* ---- the predicted row --------------------------------------------------- */

static void
row_free(struct predict *p)
{
	free(p->row);
	free(p->cur);
	free(p->next);
	p->row = NULL;
	p->cur = p->next = NULL;
}

static int
row_alloc(struct predict *p)
{
	if (p->row != NULL)
		return 0;
	p->row = calloc(p->cols, sizeof(*p->row));
	p->cur = calloc(p->cols, sizeof(*p->cur));
	p->next = calloc(p->cols, sizeof(*p->next));
	if (p->row == NULL || p->cur == NULL || p->next == NULL) {
		row_free(p);
		return MP_ERR_ALLOC;
	}
	return 0;
}

/* No prediction left: the cursor follows the server's. */
static void
clear_row(struct predict *p)
{
	if (p->row != NULL)
		memset(p->row, 0, (size_t)p->cols * sizeof(*p->row));
	p->active = 0;
	p->nkeys = 0;
}

/* Stop predicting until all input so far is echoed. */
static void
hold(struct predict *p, uint64_t start)
{
	if (!p->held) {
		p->held = 1;
		p->hold_start = start;
	}
}

static void
drop(struct predict *p)
{
	clear_row(p);
	hold(p, p->input_end);
}

/* A new size or screen: what was predicted is about another screen. */
static void
observe(struct predict *p, const struct term_state *s)
{
	int alt = (s->modes & TERM_MODE_ALTSCREEN) != 0;

	if (p->seen_server && (s->cols != p->cols || s->rows != p->rows ||
	    alt != p->alt)) {
		drop(p);
		row_free(p);
		if (alt != p->alt)
			p->alt_proven = 0;
	}
	p->seen_server = 1;
	p->cols = s->cols;
	p->rows = s->rows;
	p->alt = alt;
}

/* The row as shown now into cur: the server's with the predictions. */
static void
load_row(struct predict *p, const struct term_state *s)
{
	const struct term_cell *srv = server_row(s, p->row_y);
	uint16_t x;

	for (x = 0; x < p->cols; x++)
		p->cur[x] = p->row[x].end != 0 ? p->row[x].want : srv[x];
}

static void
seen_add(struct pcell *c, uint32_t ch)
{
	uint8_t i;

	if (is_blank(ch) || ch == CONT || c->nseen == SEEN_ANY)
		return;
	for (i = 0; i < c->nseen; i++)
		if (c->seen[i] == ch)
			return;
	if (c->nseen == SEEN_MAX)
		c->nseen = SEEN_ANY;
	else
		c->seen[c->nseen++] = ch;
}

/* Cell x will show next[x] once the server has the key ending at end. */
static void
mark(struct predict *p, const struct term_cell *srv, uint16_t x,
    uint64_t end)
{
	struct pcell *c = &p->row[x];
	uint32_t ch = p->next[x].ch;

	if (c->end == 0)
		c->nseen = 0;
	seen_add(c, srv[x].ch);
	seen_add(c, ch);
	c->credit = !is_blank(ch) && ch != CONT && ch != srv[x].ch &&
	    ch != p->cur[x].ch;
	c->want = p->next[x];
	c->end = end;
}

/* The cells in [from, to) that the key changes become predictions. */
static void
commit(struct predict *p, const struct term_state *s, uint16_t from,
    uint16_t to, uint64_t end)
{
	const struct term_cell *srv = server_row(s, p->row_y);
	uint16_t x;

	for (x = from; x < to; x++)
		if (!cell_eq(&p->cur[x], &p->next[x]))
			mark(p, srv, x, end);
}

/* ---- keys ---------------------------------------------------------------- */

/* A character, inserted at the cursor as line editors do: the text up
 * to the next two blanks moves right. Never into the last column. */
static int
type_char(struct predict *p, const struct term_state *s, uint32_t cp,
    uint64_t end)
{
	uint16_t x = p->cx, e;
	int w = char_width(cp);
	struct term_cell c = erased(p->cur[x].bg);

	e = segment_end(p->cur, p->cols, x);
	if (w == 0 || e + w >= p->cols || p->cur[x].ch == CONT)
		return 0;
	memcpy(p->next, p->cur, (size_t)p->cols * sizeof(*p->next));
	memmove(p->next + x + w, p->cur + x, (size_t)(e - x) * sizeof(c));
	c.ch = cp;
	p->next[x] = c;
	if (w == 2) {
		c.ch = CONT;
		p->next[x + 1] = c;
	}
	commit(p, s, x, (uint16_t)(e + w), end);
	p->cx = (uint16_t)(x + w);
	return 1;
}

/* Backspace: the character left of the cursor goes, the text after it
 * moves left. */
static int
backspace(struct predict *p, const struct term_state *s, uint64_t end)
{
	uint16_t x = p->cx, e, i, k;

	if (x == 0 || p->cur[x].ch == CONT)
		return 0;
	k = p->cur[x - 1].ch == CONT ? 2 : 1;
	e = segment_end(p->cur, p->cols, x);
	if (x < k || e == p->cols)
		return 0;
	memcpy(p->next, p->cur, (size_t)p->cols * sizeof(*p->next));
	memmove(p->next + x - k, p->cur + x,
	    (size_t)(e - x) * sizeof(*p->next));
	for (i = e - k; i < e; i++)
		p->next[i] = erased(p->cur[i].bg);
	commit(p, s, (uint16_t)(x - k), e, end);
	p->cx = (uint16_t)(x - k);
	return 1;
}

static int
left(struct predict *p)
{
	uint16_t x = p->cx, k;

	if (x == 0)
		return 0;
	k = p->cur[x - 1].ch == CONT ? 2 : 1;
	if (x < k)
		return 0;
	p->cx = (uint16_t)(x - k);
	return 1;
}

/* Right: only over text, as a line editor stops at its end. */
static int
right(struct predict *p)
{
	uint16_t x = p->cx, k;

	k = x + 1 < p->cols && p->cur[x + 1].ch == CONT ? 2 : 1;
	if (segment_end(p->cur, p->cols, x) == x || x + k >= p->cols ||
	    p->cur[x].ch == CONT)
		return 0;
	p->cx = (uint16_t)(x + k);
	return 1;
}

/* 1 if the key could be predicted (then it is). */
static int
predict_key(struct predict *p, enum key k, uint32_t cp, uint64_t end,
    const struct term_state *s)
{
	int ok;

	if (k == KEY_OTHER || p->nkeys == PREDICT_MAX || row_alloc(p) != 0)
		return 0;
	if (!p->active) {
		p->row_y = s->cursor_y;
		p->cx = s->cursor_x;
	}
	load_row(p, s);
	if (k == KEY_CHAR)
		ok = type_char(p, s, cp, end);
	else if (k == KEY_BACK)
		ok = backspace(p, s, end);
	else if (k == KEY_LEFT)
		ok = left(p);
	else
		ok = right(p);
	if (ok) {
		p->active = 1;
		p->cursor_end = end;
	}
	return ok;
}

static void
keystroke(struct predict *p, enum key k, uint32_t cp, uint64_t end,
    const struct term_state *s, uint64_t now)
{
	if (p->held || p->echo_off || !predict_key(p, k, cp, end, s)) {
		hold(p, p->key_start);
		return;
	}
	p->keys[(p->key0 + p->nkeys) % PREDICT_MAX] =
	    (struct pkey){ end, now };
	p->nkeys++;
}

/* ---- the input parser ---------------------------------------------------- */

static enum key
parse_ground(struct predict *p, uint8_t b, uint32_t *cp)
{
	if (b == 0x1b) {
		p->ps = PS_ESC;
		return KEY_NONE;
	}
	if (b == 0x7f || b == 0x08)
		return KEY_BACK;
	if (b >= 0x20 && b < 0x7f) {
		*cp = b;
		return KEY_CHAR;
	}
	if (b < 0xc2 || b > 0xf4)
		return KEY_OTHER;
	p->seq[0] = b;
	p->seqlen = 1;
	p->seqneed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
	p->ps = PS_UTF8;
	return KEY_NONE;
}

/* After ESC: CSI and SS3 go on; anything else is an Alt key (a second
 * ESC starts a key of its own). */
static enum key
parse_esc(struct predict *p, uint8_t b, int *again)
{
	p->ps = PS_GROUND;
	if (b == '[') {
		p->ps = PS_CSI;
		p->csi_plain = 1;
		return KEY_NONE;
	}
	if (b == 'O') {
		p->ps = PS_SS3;
		return KEY_NONE;
	}
	*again = b == 0x1b;
	return KEY_OTHER;
}

static enum key
parse_csi(struct predict *p, uint8_t b, int *again)
{
	if (b >= 0x20 && b <= 0x3f) {
		p->csi_plain = 0;
		return KEY_NONE;
	}
	p->ps = PS_GROUND;
	if (b < 0x40 || b > 0x7e) {
		*again = 1;
		return KEY_OTHER;
	}
	if (p->csi_plain && b == 'C')
		return KEY_RIGHT;
	if (p->csi_plain && b == 'D')
		return KEY_LEFT;
	return KEY_OTHER;
}

/* SS3 arrows are what a terminal sends in application cursor mode. */
static enum key
parse_ss3(struct predict *p, uint8_t b, const struct term_state *s,
    int *again)
{
	p->ps = PS_GROUND;
	if (b < 0x40 || b > 0x7e) {
		*again = 1;
		return KEY_OTHER;
	}
	if ((s->modes & TERM_MODE_CURSOR_KEYS) == 0)
		return KEY_OTHER;
	return b == 'C' ? KEY_RIGHT : b == 'D' ? KEY_LEFT : KEY_OTHER;
}

static enum key
parse_utf8(struct predict *p, uint8_t b, uint32_t *cp, int *again)
{
	if ((b & 0xc0) != 0x80) {
		p->ps = PS_GROUND;
		*again = 1;
		return KEY_OTHER;
	}
	p->seq[p->seqlen++] = b;
	if (p->seqlen < p->seqneed)
		return KEY_NONE;
	p->ps = PS_GROUND;
	if (utf8_decode_one(p->seq, p->seqlen, cp) != p->seqlen)
		return KEY_OTHER;
	return KEY_CHAR;
}

/* One byte: a key when it completes one; *again if the byte does not
 * belong to the key it ended and starts the next. */
static enum key
parse(struct predict *p, uint8_t b, const struct term_state *s,
    uint32_t *cp, int *again)
{
	switch (p->ps) {
	case PS_ESC:
		return parse_esc(p, b, again);
	case PS_CSI:
		return parse_csi(p, b, again);
	case PS_SS3:
		return parse_ss3(p, b, s, again);
	case PS_UTF8:
		return parse_utf8(p, b, cp, again);
	default:
		return parse_ground(p, b, cp);
	}
}

static void
input_byte(struct predict *p, uint8_t b, uint64_t off,
    const struct term_state *s, uint64_t now)
{
	uint32_t cp = 0;
	enum key k;
	int again;

	do {
		again = 0;
		if (p->ps == PS_GROUND)
			p->key_start = off;
		k = parse(p, b, s, &cp, &again);
		if (k != KEY_NONE)
			keystroke(p, k, cp, again ? off : off + 1, s, now);
	} while (again);
}

/* ---- judging ------------------------------------------------------------- */

static int
matches(const struct term_cell *want, const struct term_cell *got)
{
	if (is_blank(want->ch))
		return is_blank(got->ch);
	return want->ch == got->ch;
}

/* Before its echo, a cell may show its prediction, what it showed or
 * was predicted to show before, a blank, or a right half. */
static int
may_show(const struct pcell *c, uint32_t ch)
{
	uint8_t i;

	if (is_blank(ch) || ch == CONT || ch == c->want.ch ||
	    c->nseen == SEEN_ANY)
		return 1;
	for (i = 0; i < c->nseen; i++)
		if (c->seen[i] == ch)
			return 1;
	return 0;
}

static int
wrong(struct predict *p, int counted)
{
	if (counted)
		p->glitches++;
	drop(p);
	return 0;
}

/* The cells and the cursor the ECHO_ACK covers against the server's
 * screen: 0 (all dropped) if one is wrong. A mismatch after the server
 * also had a key that stopped prediction is no glitch. */
static int
judge(struct predict *p, const struct term_state *s)
{
	const struct term_cell *srv = server_row(s, p->row_y);
	int evidence = !p->held || p->ack <= p->hold_start;
	uint16_t x;

	for (x = 0; x < p->cols; x++) {
		struct pcell *c = &p->row[x];

		if (c->end == 0 || c->end > p->ack)
			continue;
		if (!matches(&c->want, &srv[x]))
			return wrong(p, evidence);
		if (c->credit) {
			p->proven = 1;
			p->alt_proven |= p->alt;
		}
		c->end = 0;
	}
	if (evidence && p->cursor_end <= p->ack &&
	    (s->cursor_x != p->cx || s->cursor_y != p->row_y))
		return wrong(p, 1);
	return 1;
}

/* 1 if the server's row changed under a prediction not yet echoed in a
 * way no keystroke explains. */
static int
contradicted(const struct predict *p, const struct term_state *s)
{
	const struct term_cell *srv = server_row(s, p->row_y);
	uint16_t x;

	if (s->cursor_y != p->row_y)
		return 1;
	for (x = 0; x < p->cols; x++)
		if (p->row[x].end > p->ack && !may_show(&p->row[x], srv[x].ch))
			return 1;
	return 0;
}

/* Keystrokes the ECHO_ACK covers are done; quick ones slowly take the
 * slow-confirmation trigger down. */
static void
confirm_keys(struct predict *p, uint64_t now)
{
	struct pkey *k;

	while (p->nkeys > 0 && (k = &p->keys[p->key0])->end <= p->ack) {
		if (since(now, k->at) < PREDICT_SLOW_MS && p->slow > 0 &&
		    now >= p->last_quick + QUICK_GAP_MS) {
			p->slow--;
			p->last_quick = now;
		}
		p->key0 = (p->key0 + 1) % PREDICT_MAX;
		p->nkeys--;
	}
}

static void
slow_trigger(struct predict *p, uint64_t now)
{
	uint64_t age;

	if (p->nkeys == 0)
		return;
	age = since(now, p->keys[p->key0].at);
	if (age >= PREDICT_VERY_SLOW_MS)
		p->slow = SLOW_FLAG;
	else if (age >= PREDICT_SLOW_MS && p->slow < SLOW_SHOW)
		p->slow = SLOW_SHOW;
}

/* Hysteresis; showing stops only with nothing pending. */
static void
rtt_triggers(struct predict *p, uint32_t srtt)
{
	if (srtt > PREDICT_SHOW_ON_MS)
		p->srtt_on = 1;
	else if (srtt <= PREDICT_SHOW_OFF_MS && p->nkeys == 0)
		p->srtt_on = 0;
	if (srtt > PREDICT_FLAG_ON_MS)
		p->flag_on = 1;
	else if (srtt <= PREDICT_FLAG_OFF_MS)
		p->flag_on = 0;
}

/* All input echoed: the row is done; a stop ends, and the echo has to
 * be proven again. */
static void
catch_up(struct predict *p)
{
	if (p->ack < p->input_end)
		return;
	clear_row(p);
	if (p->held && !p->echo_off) {
		p->held = 0;
		p->proven = 0;
	}
}

/* ---- API ----------------------------------------------------------------- */

struct predict *
predict_new(enum predict_mode mode)
{
	struct predict *p;

	if (mode != PREDICT_NEVER && mode != PREDICT_ADAPTIVE &&
	    mode != PREDICT_ALWAYS)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->mode = mode;
	p->proven = 1;
	return p;
}

void
predict_free(struct predict *p)
{
	if (p == NULL)
		return;
	row_free(p);
	free(p);
}

void
predict_input(struct predict *p, const uint8_t *bytes, size_t len,
    uint64_t offset, const struct term_state *server, uint64_t now_ms)
{
	size_t i;

	if (p->mode == PREDICT_NEVER)
		return;
	observe(p, server);
	if (offset != p->input_end) {
		p->ps = PS_GROUND;
		drop(p);
	}
	for (i = 0; i < len; i++)
		input_byte(p, bytes[i], offset + i, server, now_ms);
	if (offset + len > p->input_end)
		p->input_end = offset + len;
}

void
predict_update(struct predict *p, const struct term_state *server,
    uint64_t echo_ack, int echo_off, uint32_t srtt_ms, uint64_t now_ms)
{
	if (p->mode == PREDICT_NEVER)
		return;
	observe(p, server);
	if (echo_ack > p->ack)
		p->ack = echo_ack;
	if (echo_off && !p->echo_off)
		drop(p);
	p->echo_off = echo_off != 0;
	if (p->active && judge(p, server) && contradicted(p, server))
		drop(p);
	confirm_keys(p, now_ms);
	slow_trigger(p, now_ms);
	catch_up(p);
	rtt_triggers(p, srtt_ms);
}

static int
shown(const struct predict *p)
{
	if (p->mode == PREDICT_NEVER || p->echo_off || !p->proven ||
	    (p->alt && !p->alt_proven))
		return 0;
	return p->mode == PREDICT_ALWAYS || p->srtt_on || p->slow > 0;
}

static void
draw(const struct predict *p, struct term_state *d)
{
	struct term_cell *row = d->cells + (size_t)p->row_y * d->cols;
	int flag = p->flag_on || p->slow > SLOW_SHOW;
	uint16_t x;

	for (x = 0; x < d->cols; x++) {
		if (p->row[x].end == 0)
			continue;
		row[x] = p->row[x].want;
		if (flag && row[x].ch != 0)
			row[x].attrs = (uint16_t)((row[x].attrs &
			    ~TERM_ATTR_UL_MASK) |
			    TERM_UL_SINGLE << TERM_ATTR_UL_SHIFT);
	}
	mend_wide(row, d->cols);
	d->cursor_x = p->cx;
	d->cursor_y = p->row_y;
}

int
predict_overlay(const struct predict *p, const struct term_state *server,
    struct term_state *display)
{
	int r;

	if ((r = term_state_copy(display, server)) != 0)
		return r;
	if (shown(p) && p->active && server->cols == p->cols &&
	    server->rows == p->rows &&
	    ((server->modes & TERM_MODE_ALTSCREEN) != 0) == p->alt)
		draw(p, display);
	return 0;
}

size_t
predict_pending(const struct predict *p)
{
	return p->nkeys;
}

int
predict_showing(const struct predict *p)
{
	return shown(p);
}

size_t
predict_glitches(const struct predict *p)
{
	return p->glitches;
}

int
predict_timeout_ms(const struct predict *p, uint64_t now_ms)
{
	uint64_t due, age;

	if (p->nkeys == 0 || p->slow >= SLOW_FLAG)
		return -1;
	due = p->slow >= SLOW_SHOW ? PREDICT_VERY_SLOW_MS : PREDICT_SLOW_MS;
	age = since(now_ms, p->keys[p->key0].at);
	return age >= due ? 0 : (int)(due - age);
}

/* screen.h: the emulator's insides shared by its files: screens, cursor, modes, and the operations on them. */
#ifndef MP_TERM_SCREEN_H
#define MP_TERM_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/term/parser.h"
#include "common/term/term.h"
#include "common/term/utf8.h"

/* Emulator flags that are not part of the synchronised state. */
#define TF_AUTOWRAP	0x01	/* DECAWM */
#define TF_ORIGIN	0x02	/* DECOM */
#define TF_INSERT	0x04	/* IRM */
#define TF_NEWLINE	0x08	/* LNM: LF, VT and FF also return */

/* Character sets designated into G0..G3. */
enum term_charset {
	TERM_CS_ASCII = 0,
	TERM_CS_DEC,		/* DEC special graphics (ESC ( 0) */
	TERM_CS_UK,		/* United Kingdom (ESC ( A) */
};

#define TERM_ZWJ	0x200du

/* The answer to DA1 and DECID: a VT220 with ANSI colour. */
#define TERM_DA1	"\033[?62;22c"

struct term_line {
	struct term_cell *c;	/* cols cells */
	uint8_t wrapped;	/* the text continues on the next line */
};

/* One screen: its cells in one block and the order of its lines, so
 * that scrolling moves pointers, not cells. */
struct term_screen {
	struct term_cell *cells;
	struct term_line *line;
};

struct term_pen {
	uint32_t fg, bg;
	uint16_t attrs;
};

/* The cursor and what DECSC saves with it. */
struct term_cursor {
	uint16_t x, y;
	struct term_pen pen;
	uint8_t gl;		/* 0: G0 in GL, 1: G1 */
	uint8_t g[4];		/* enum term_charset */
	uint8_t origin;		/* DECOM (saved only) */
};

struct term {
	struct term_callbacks cb;
	void *arg;
	uint16_t cols, rows;
	uint16_t top, bot;		/* scroll region, inclusive */
	uint16_t px_w, px_h;		/* window size in pixels, 0 unknown */
	struct term_screen scr[2];	/* primary, alternate */
	uint8_t alt;			/* 1: the alternate screen is shown */
	uint8_t wrapnext;		/* the pending-wrap state */
	uint8_t flags;			/* TF_* */
	uint8_t mouse, mouse_enc, cursor_shape;
	uint32_t modes;			/* TERM_MODE_*, but ALTSCREEN */
	struct term_cursor cur;
	struct term_cursor saved[2];	/* DECSC, one per screen */
	uint8_t tabs[TERM_COLS_MAX / 8];
	/* The cell last printed to, for combining marks; valid until the
	 * next control. */
	uint16_t last_x, last_y;
	uint8_t last_valid;
	uint8_t zwj;			/* a ZWJ was attached to it */
	uint32_t last_ch;		/* for REP */
	uint32_t bells;
	char title[TERM_TITLE_MAX + 1];
	char icon[TERM_TITLE_MAX + 1];
	struct utf8_dec dec;
	struct term_parser ps;
};

static inline struct term_line *
term_line(const struct term *t, unsigned int y)
{
	return &t->scr[t->alt].line[y];
}

static inline struct term_cell *
term_row(const struct term *t, unsigned int y)
{
	return t->scr[t->alt].line[y].c;
}

/* An erased cell with background bg (BCE). */
static inline struct term_cell
term_blank(uint32_t bg)
{
	struct term_cell c = { 0, { 0 }, TERM_COLOR_DEFAULT, bg, 0, 0 };

	return c;
}

/* screen.c: screens and the operations on the shown one. */
int scr_alloc(struct term_screen *s, uint16_t cols, uint16_t rows);
void scr_free(struct term_screen *s);
void scr_clear(struct term_screen *s, uint16_t cols, uint16_t rows,
    uint32_t bg);
void scr_copy(struct term_screen *dst, uint16_t dcols, uint16_t drows,
    struct term_screen *src, uint16_t scols, uint16_t srows,
    unsigned int shift);
void term_split_at(struct term_cell *row, unsigned int x);
/* No wide character may straddle the boundary between columns x-1 and
 * x: one that would is erased (both halves, keeping their background). */
static inline void
term_split(struct term_cell *row, unsigned int cols, unsigned int x)
{
	if (x - 1u < cols - 1u && row[x].ch == TERM_CH_WIDE_CONT)
		term_split_at(row, x);
}
void term_scroll_up(struct term *t, unsigned int top, unsigned int bot,
    unsigned int n);
void term_scroll_down(struct term *t, unsigned int top, unsigned int bot,
    unsigned int n);
void term_erase(struct term *t, unsigned int y, unsigned int x0,
    unsigned int x1);
void term_erase_display(struct term *t, unsigned int how);
void term_erase_line(struct term *t, unsigned int how);
void term_insert_cells(struct term *t, unsigned int n);
void term_delete_cells(struct term *t, unsigned int n);
void term_insert_lines(struct term *t, unsigned int n);
void term_delete_lines(struct term *t, unsigned int n);
void term_index(struct term *t);
void term_reverse_index(struct term *t);
void term_goto(struct term *t, int x, int y);
void term_goto_origin(struct term *t, int x, int y);
void term_put_ascii(struct term *t, const uint8_t *s, size_t n);
void term_put_char(struct term *t, uint32_t cp);
void term_repeat(struct term *t, unsigned int n);
void term_align(struct term *t);

/* tabs.c */
void term_tabs_reset(struct term *t, unsigned int from);
void term_tab_set(struct term *t);
void term_tab_clear(struct term *t, unsigned int how);
void term_tab_forward(struct term *t, unsigned int n);
void term_tab_back(struct term *t, unsigned int n);

/* charset.c: SCS, SI/SO and mapping. */
void term_designate(struct term *t, unsigned int g, uint32_t final);
uint32_t term_map(const struct term *t, uint32_t c);
/* Non-zero if GL holds a set other than ASCII. */
static inline int
term_gl_mapped(const struct term *t)
{
	return t->cur.g[t->cur.gl] != TERM_CS_ASCII;
}

/* sgr.c */
void term_sgr(struct term *t, const struct term_parser *p);

/* modes.c: SM/RM, DECSET/DECRST, DECRQM, saving the cursor, resets. */
void term_set_modes(struct term *t, const struct term_parser *p, int on);
void term_request_mode(struct term *t, const struct term_parser *p);
void term_save_cursor(struct term *t);
void term_restore_cursor(struct term *t);
void term_soft_reset(struct term *t);
void term_hard_reset(struct term *t);

/* reply.c: answers to queries and OSC. */
void term_reply(struct term *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void term_query(struct term *t, const struct term_parser *p, uint32_t final);
void term_osc(struct term *t, const uint8_t *s, size_t len);

/* dispatch.c: the parser's actions. */
extern const struct tp_actions term_actions;

#endif

/* term.h: the terminal emulator (DEC/ECMA-48 parser, screen, modes, replies) and its synchronised screen state, with no I/O of its own. */
#ifndef MP_TERM_H
#define MP_TERM_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/*
 * The server feeds everything the shell prints to term_write(); the
 * client runs the same emulator on what the server sends. A snapshot
 * (struct term_state) is the part of the emulator that both ends keep in
 * step: the visible cells, the cursor, the modes that change what the
 * local terminal sends or shows, the title. term_diff() turns one
 * snapshot into another as terminal escape sequences.
 *
 * Sizes: 1 to TERM_COLS_MAX columns, 1 to TERM_ROWS_MAX rows, and at
 * most TERM_CELLS_MAX cells, so a client cannot make the server allocate
 * without bound.
 */
#define TERM_COLS_MAX		4096
#define TERM_ROWS_MAX		4096
#define TERM_CELLS_MAX		(1024 * 1024)
#define TERM_TITLE_MAX		256	/* bytes of UTF-8, longer ones cut */
#define TERM_COMBINING_MAX	2	/* combining code points kept per cell */

/* Colours: default, one of 256 indexed (0-15 are the 16 ANSI colours),
 * or 24-bit. */
#define TERM_COLOR_DEFAULT	0u
#define TERM_COLOR_INDEX(n)	(0x01000000u | (uint32_t)(n))
#define TERM_COLOR_RGB(r, g, b)	(0x02000000u | (uint32_t)(r) << 16 | \
				    (uint32_t)(g) << 8 | (uint32_t)(b))
#define TERM_COLOR_KIND(c)	((c) >> 24)	/* 0 default, 1 index, 2 rgb */

/* Cell attributes. */
#define TERM_ATTR_BOLD		0x0001
#define TERM_ATTR_FAINT		0x0002
#define TERM_ATTR_ITALIC	0x0004
#define TERM_ATTR_BLINK		0x0008
#define TERM_ATTR_INVERSE	0x0010
#define TERM_ATTR_INVISIBLE	0x0020
#define TERM_ATTR_STRIKE	0x0040
#define TERM_ATTR_UL_SHIFT	8	/* underline style in bits 8-10: */
#define TERM_ATTR_UL_MASK	0x0700
enum term_underline {
	TERM_UL_NONE = 0, TERM_UL_SINGLE, TERM_UL_DOUBLE, TERM_UL_CURLY,
	TERM_UL_DOTTED, TERM_UL_DASHED,
};

/* ch of the right half of a wide character. */
#define TERM_CH_WIDE_CONT	0xffffffffu

/*
 * One cell. ch 0 is an erased cell (shown as a space); a wide character
 * takes its cell and the next, whose ch is TERM_CH_WIDE_CONT (with the
 * same colours and attributes). Combining marks beyond
 * TERM_COMBINING_MAX are dropped. All fields are compared by
 * term_state_equal(): unused combining slots must be 0.
 */
struct term_cell {
	uint32_t ch;
	uint32_t comb[TERM_COMBINING_MAX];
	uint32_t fg, bg;
	uint16_t attrs;
	uint16_t reserved;	/* 0 */
};

/* Modes the client reproduces (bits of term_state.modes). */
#define TERM_MODE_CURSOR_KEYS	0x0001	/* DECCKM: application cursor keys */
#define TERM_MODE_KEYPAD	0x0002	/* DECKPAM: application keypad */
#define TERM_MODE_BRACKETED	0x0004	/* 2004: bracketed paste */
#define TERM_MODE_FOCUS		0x0008	/* 1004: focus events */
#define TERM_MODE_REVERSE	0x0010	/* DECSCNM: reverse video */
#define TERM_MODE_CURSOR_SHOWN	0x0020	/* DECTCEM */
#define TERM_MODE_ALTSCREEN	0x0040	/* the alternate screen is shown */

enum term_mouse {
	TERM_MOUSE_NONE = 0,
	TERM_MOUSE_X10,		/* 9 */
	TERM_MOUSE_NORMAL,	/* 1000 */
	TERM_MOUSE_BUTTON,	/* 1002 */
	TERM_MOUSE_ANY,		/* 1003 */
};
enum term_mouse_enc {
	TERM_MOUSE_ENC_DEFAULT = 0,
	TERM_MOUSE_ENC_UTF8,	/* 1005 */
	TERM_MOUSE_ENC_SGR,	/* 1006 */
};

/* The synchronised state: the shown screen and what goes with it. */
struct term_state {
	uint16_t cols, rows;
	struct term_cell *cells;	/* rows * cols, row-major */
	uint16_t cursor_x, cursor_y;	/* 0-based, inside the screen */
	uint8_t cursor_shape;		/* DECSCUSR 0-6 */
	uint8_t mouse;			/* enum term_mouse */
	uint8_t mouse_enc;		/* enum term_mouse_enc */
	uint32_t modes;			/* TERM_MODE_* */
	char title[TERM_TITLE_MAX + 1];	/* OSC 0/2 */
	char icon[TERM_TITLE_MAX + 1];	/* OSC 0/1 */
	uint32_t bells;			/* BEL count, wrapping */
};

/* What the emulator tells its owner. Any callback may be NULL. */
struct term_callbacks {
	/* Bytes to write back to the program (replies to DA, DSR, DECRQM,
	 * XTVERSION, window-size queries). */
	void (*reply)(void *arg, const uint8_t *p, size_t len);
	/* A row that scrolled off the top of the primary screen; wrapped
	 * is 1 if the text continues on the next row. */
	void (*scrollback)(void *arg, const struct term_cell *row,
	    uint16_t cols, int wrapped);
	/* OSC 52: selection letters (e.g. "c") and the base64 data as sent,
	 * at most TERM_CLIPBOARD_MAX bytes (longer writes are dropped). */
	void (*clipboard)(void *arg, const char *selection,
	    const uint8_t *b64, size_t len);
};
#define TERM_CLIPBOARD_MAX	(64 * 1024)

struct term;

/* NULL if the size is out of range or memory runs out. */
struct term *term_new(uint16_t cols, uint16_t rows,
    const struct term_callbacks *cb, void *arg);
void term_free(struct term *t);
/* Process output of the program (UTF-8; C1 controls only as the code
 * points U+0080..U+009F, see docs/terminal.md); never fails, bounded
 * memory. */
void term_write(struct term *t, const uint8_t *p, size_t len);
/* Change the size (content kept as xterm does, without reflow). */
int term_resize(struct term *t, uint16_t cols, uint16_t rows);
/* The size of the text area in pixels, for the CSI 14 t and 16 t
 * reports (0 by default: unknown, those queries are not answered). */
void term_set_pixel_size(struct term *t, uint16_t width, uint16_t height);

/* The state now, into a fresh snapshot (cells allocated). */
int term_snapshot(const struct term *t, struct term_state *out);
/* The primary screen as leaving the alternate one would show it (its
 * cells, the cursor DECSC saved on entering); term_snapshot() when the
 * primary screen is shown. A full repaint of this, then the diff to
 * term_snapshot(), leaves a terminal whose later ?1049l shows the right
 * screen. */
int term_snapshot_primary(const struct term *t, struct term_state *out);
/* Line y of the shown screen as UTF-8 text, for tests and logs: erased
 * cells read as spaces, trailing spaces are dropped, combining marks
 * follow their character. NUL-terminated in buf (size > 0; cut at a
 * character boundary); returns the length, 0 if y is outside. */
size_t term_line_text(const struct term *t, uint16_t y, char *buf,
    size_t size);

/* ---- snapshots ---- */
/* The functions that fill a state (init, copy, parse) treat it as
 * uninitialised: a state held there before must be freed first. On
 * failure they leave it empty (cells NULL), so freeing it is harmless.
 * Format, invariants and the diff's assumptions: docs/terminal-state.md. */
/* A blank state of that size: erased cells, cursor at 0,0 shown, no
 * modes but TERM_MODE_CURSOR_SHOWN, empty titles. */
int term_state_init(struct term_state *s, uint16_t cols, uint16_t rows);
void term_state_free(struct term_state *s);
int term_state_copy(struct term_state *dst, const struct term_state *src);
/* 1 if every field is equal (the bell count too), else 0. */
int term_state_equal(const struct term_state *a, const struct term_state *b);
/* A compact, versioned byte form and its strict parser (every length
 * checked, trailing bytes refused; fuzzed). Serialising appends to out
 * (MP_ERR_INVALID_ARGUMENT if term_state_check() fails); parsing reads
 * all of in. On failure either buffer is left as it was. */
int term_state_serialize(const struct term_state *s, struct buf *out);
int term_state_parse(struct buf *in, struct term_state *s);
/* 0 if every field is well-formed (the checks the parser applies: size
 * in range, cursor inside, ch 0, TERM_CH_WIDE_CONT after a left half of
 * the same colours, or a Unicode scalar that is no C0/C1 control, marks
 * only on a character, colours and attributes well-formed, reserved 0,
 * titles UTF-8 without controls), else MP_ERR_INVALID_FORMAT. */
int term_state_check(const struct term_state *s);
/* The same for s beside valid, a state that passed term_state_check():
 * rows equal to valid's (same size) are not looked at again. */
int term_state_check_beside(const struct term_state *s,
    const struct term_state *valid);

/*
 * Escape sequences, appended to out, that turn a terminal showing from
 * into one showing to (from NULL: a terminal in an unknown state; the
 * diff then resets and repaints everything). Feeding the output to an
 * emulator whose snapshot equals from gives a snapshot equal to to,
 * bells excepted (a diff rings the bell once if the counts differ).
 * The terminal's hidden state (pen, margins, modes not in the state)
 * must be what the previous diff left; each diff leaves it the same
 * (docs/terminal-state.md). Both states must pass term_state_check()
 * and have the same size unless from is NULL, else
 * MP_ERR_INVALID_ARGUMENT; on failure out is left as it was.
 */
int term_diff(const struct term_state *from, const struct term_state *to,
    struct buf *out);

/*
 * Escape sequences, appended to out, that put line (line_cols cells, as
 * the scrollback callback gives it) into the scrollback of a terminal
 * showing *shown: it is written on the top row, then a line feed on the
 * bottom row scrolls it off. *shown becomes what the terminal then shows
 * (the rows moved up, a blank row at the bottom, the cursor on it). The
 * hidden state stays canonical. MP_ERR_INVALID_ARGUMENT on the alternate
 * screen (which has no scrollback); on failure nothing changes.
 */
int term_push_line(struct term_state *shown, const struct term_cell *line,
    uint16_t line_cols, struct buf *out);

#endif

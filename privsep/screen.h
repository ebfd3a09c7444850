/* screen.h: the session's screen in mps-net: the emulator fed with the PTY's output, its replies to the program, and the lines that scrolled off for the client's scrollback. */
#ifndef MP_PRIVSEP_SCREEN_H
#define MP_PRIVSEP_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/term/term.h"

#define SCREEN_REPLY_MAX	4096	/* reply bytes held for the PTY */
#define SCREEN_LINES_MAX	4096	/* scrolled lines held at most */

/* A line that scrolled off the top of the primary screen. */
struct screen_line {
	uint16_t cols;
	struct term_cell *cells;
};

/*
 * Lines are numbered from 0 in the order they scrolled off; the screen
 * keeps lines [screen_lines_first(), screen_lines_end()), at most
 * lines_max of them (older ones are forgotten first).
 */
struct screen;

/* NULL if out of memory or the size is out of range. lines_max 0 keeps
 * no lines. */
struct screen *screen_new(uint16_t cols, uint16_t rows, uint32_t lines_max);
void screen_free(struct screen *s);

/* Output of the program. */
void screen_write(struct screen *s, const uint8_t *p, size_t len);
/* The window changed (pixels 0 if unknown). */
int screen_resize(struct screen *s, uint16_t cols, uint16_t rows,
    uint16_t xpixel, uint16_t ypixel);
/* Counts every write and resize: equal values mean an unchanged screen. */
uint64_t screen_version(const struct screen *s);
int screen_snapshot(const struct screen *s, struct term_state *out);
/* The primary screen while the alternate one is shown (term.h). */
int screen_snapshot_primary(const struct screen *s, struct term_state *out);

/* Replies of the emulator to the program's queries, waiting for the PTY;
 * screen_replies_taken() drops n of them once written. */
size_t screen_replies(const struct screen *s, const uint8_t **p);
void screen_replies_taken(struct screen *s, size_t n);

uint64_t screen_lines_first(const struct screen *s);
uint64_t screen_lines_end(const struct screen *s);
/* Line number n, or NULL if it is not kept. */
const struct screen_line *screen_line(const struct screen *s, uint64_t n);
/* Forget the lines below n. */
void screen_lines_release(struct screen *s, uint64_t n);

#endif

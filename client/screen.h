/* screen.h: the server's screen as mp knows it: an emulator fed with the updates or the output stream of the session's mode, the states statesync may diff from, and the lines that scrolled off. */
#ifndef MP_CLIENT_SCREEN_H
#define MP_CLIENT_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/term/term.h"

#define SCREEN_HELD_STATES	8	/* statesync bases kept besides the newest */
#define SCREEN_HISTORY		(64 * 1024)	/* datagram output kept for replay */
#define SCREEN_QUEUE_LINES	4096	/* scrolled lines waiting for the terminal */

/* What applying an update did. */
enum screen_applied {
	SCREEN_APPLIED = 0,	/* the screen changed; acknowledge it */
	SCREEN_OLD,		/* older than what is shown: acknowledge again */
	SCREEN_LATER,		/* at a stream offset not reached yet: kept */
	SCREEN_NO_BASE,		/* its base is not held: ask for a repaint */
	SCREEN_BAD,		/* malformed: dropped */
};

struct client_screen;

/* mode is "statesync", "reliable" or "datagram"; the size is the local
 * window's. NULL if out of memory. */
struct client_screen *client_screen_new(const char *mode, uint16_t cols,
    uint16_t rows);
void client_screen_free(struct client_screen *s);

/* An update from the channel (PROTOCOL.md 3.4). read_offset is the
 * stream 1 offset read so far (reliable and datagram). */
enum screen_applied client_screen_update(struct client_screen *s,
    uint64_t base, uint64_t new_state, const uint8_t *p, size_t len,
    uint64_t read_offset);
/* Stream 1 bytes read at offset (reliable, datagram). */
void client_screen_output(struct client_screen *s, uint64_t offset,
    const uint8_t *p, size_t len);
/* The local window changed size: the emulator follows at once (the
 * server's next screen will be of that size too). */
int client_screen_resize(struct client_screen *s, uint16_t cols,
    uint16_t rows);

/* What to acknowledge: the newest state applied (its number in
 * statesync, its offset in reliable), or in datagram the offset up to
 * which the screen has every byte of output (PROTOCOL.md 3.4). */
uint64_t client_screen_state(const struct client_screen *s);
/* 1 once there is a state to acknowledge (an update applied, or in
 * datagram output received whole). */
int client_screen_has_state(const struct client_screen *s);
/* Counts changes: equal values mean an unchanged screen. */
uint64_t client_screen_version(const struct client_screen *s);
int client_screen_snapshot(const struct client_screen *s,
    struct term_state *out);

/* Lines that scrolled off the primary screen, oldest first, waiting to
 * be written to the local terminal's scrollback. */
size_t client_screen_lines(const struct client_screen *s);
const struct term_cell *client_screen_line(const struct client_screen *s,
    size_t i, uint16_t *cols);
void client_screen_lines_taken(struct client_screen *s, size_t n);
/* 1 once lines were dropped (the queue overflowed or the server said
 * so); cleared by reading. */
int client_screen_lines_dropped(struct client_screen *s);
void client_screen_note_dropped(struct client_screen *s);
/* A fresh screen for a resumed session goes on from the lines the
 * previous one kept (statesync numbers them for the whole session). */
void client_screen_continue(struct client_screen *s,
    const struct client_screen *previous);

#endif

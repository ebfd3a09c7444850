/* display.h: mp's side of a session with a PTY: the server's screen from the channel, local echo prediction, the status bar, and frames written to the local terminal. */
#ifndef MP_CLIENT_DISPLAY_H
#define MP_CLIENT_DISPLAY_H

#include <stdint.h>

#include "common/proto/channel.h"

#define DISPLAY_STATUS_AFTER_MS	5000	/* silence before the status bar */
#define DISPLAY_NOTICE_MS	5000	/* how long a notice stays */

struct display;

/* mode as the server answered it; predict "adaptive", "always" or
 * "never"; out the local terminal (standard output, non-blocking). */
struct display *display_new(const char *mode, const char *predict, int out,
    uint16_t cols, uint16_t rows);
void display_free(struct display *d);

/* Take what the channel brought: updates, output, echo reports. */
void display_receive(struct display *d, struct chan *c, uint64_t now);
/* The user typed these bytes, sent at input offset `offset`. */
void display_typed(struct display *d, const uint8_t *p, size_t len,
    uint64_t offset, uint64_t now);
void display_resized(struct display *d, uint16_t cols, uint16_t rows);
/* A new channel (a resume): the server's screen and the predictions
 * start afresh; the terminal keeps what it shows until the full update. */
int display_reset(struct display *d);
/* How long the server has been silent, and the escape key's name for
 * the hint ("" if there is none): the status bar follows. */
void display_silence(struct display *d, uint64_t silent_ms,
    const char *escape);

/* 1 if typed characters are being shown as predictions. */
int display_predicting(const struct display *d);
/* Render a frame if something changed and the terminal took the last. */
void display_render(struct display *d, uint64_t now);
/* 1 while frame bytes wait for the terminal. */
int display_wants_write(const struct display *d);
/* Write what the terminal takes now. */
void display_write(struct display *d);
/* Milliseconds until display_render() has timed work, or -1. */
int display_timeout_ms(const struct display *d, uint64_t now);
/* The last frame and the bytes leaving the terminal sane, written with
 * a deadline of timeout_ms. */
void display_finish(struct display *d, int timeout_ms);

#endif

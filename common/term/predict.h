/* predict.h: client-side local echo prediction: the server's screen with the keystrokes it has not echoed yet drawn in; no I/O, time passed in. */
#ifndef MP_TERM_PREDICT_H
#define MP_TERM_PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include "common/term/term.h"

/*
 * The client feeds every byte it sends on stream 0 to predict_input()
 * and every new server screen, ECHO_ACK and RTT estimate to
 * predict_update(); predict_overlay() gives the screen to show. Only
 * printable characters, backspace and left/right arrows on the cursor's
 * row are predicted; anything else stops prediction until the server
 * has echoed all input. A prediction is judged once ECHO_ACK covers its
 * keystroke: confirmed if the server's cell shows it, otherwise it and
 * the rest of the row go at once. Decisions: docs/prediction.md.
 */
enum predict_mode { PREDICT_NEVER, PREDICT_ADAPTIVE, PREDICT_ALWAYS };

/* Thresholds, in ms of smoothed RTT or of a keystroke's wait. */
#define PREDICT_SHOW_ON_MS	30	/* srtt above: show (adaptive) */
#define PREDICT_SHOW_OFF_MS	20	/* at or below, none pending: hide */
#define PREDICT_FLAG_ON_MS	80	/* srtt above: underline */
#define PREDICT_FLAG_OFF_MS	50	/* at or below: no underline */
#define PREDICT_SLOW_MS		250	/* unconfirmed this long: show */
#define PREDICT_VERY_SLOW_MS	5000	/* this long: show and underline */
#define PREDICT_MAX		256	/* keystrokes outstanding */

struct predict;

/* NULL if out of memory or mode unknown. */
struct predict *predict_new(enum predict_mode mode);
void predict_free(struct predict *p);

/* The user typed len bytes, the first at input-stream offset `offset`,
 * while the server's screen was `server`. Offsets must follow on; a gap
 * stops prediction until the server has caught up. */
void predict_input(struct predict *p, const uint8_t *bytes, size_t len,
    uint64_t offset, const struct term_state *server, uint64_t now_ms);
/* The server's screen now, its ECHO_ACK (bytes of input echoed; echo_off
 * its flag) and the smoothed RTT. Call it again after
 * predict_timeout_ms() even if nothing arrived. */
void predict_update(struct predict *p, const struct term_state *server,
    uint64_t echo_ack, int echo_off, uint32_t srtt_ms, uint64_t now_ms);
/* display: server with the shown predictions and the predicted cursor
 * (filled as by term_state_copy(); it passes term_state_check() if
 * server does). 0 or MP_ERR_ALLOC / MP_ERR_INVALID_ARGUMENT. */
int predict_overlay(const struct predict *p, const struct term_state *server,
    struct term_state *display);

/* Keystrokes predicted and not yet judged, shown or not. */
size_t predict_pending(const struct predict *p);
/* 1 if predictions are shown now (the RTT or a slow confirmation calls
 * for it, echo is on, the echo has been proven since the last stop). */
int predict_showing(const struct predict *p);
/* Predictions the server's screen proved wrong, since predict_new(). */
size_t predict_glitches(const struct predict *p);
/* Milliseconds until predict_update() should run for the timers, 0 if
 * due, -1 if none. */
int predict_timeout_ms(const struct predict *p, uint64_t now_ms);

#endif

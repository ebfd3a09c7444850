/* render.h: the local terminal: what it shows, the frames that bring it to the server's screen (scrolled lines first, then the diff), the status bar, and the sane state it is left in. */
#ifndef MP_CLIENT_RENDER_H
#define MP_CLIENT_RENDER_H

#include <stdint.h>

#include "client/screen.h"
#include "common/buf.h"
#include "common/term/term.h"

#define RENDER_STATUS_MAX	160	/* bytes of the status bar's text */

struct render;

struct render *render_new(void);
void render_free(struct render *r);
/* The terminal's content is unknown (start, resize, after a message was
 * printed over it): the next frame repaints everything. */
void render_invalidate(struct render *r);
/* The status bar's text for the top row ("" for none). */
void render_set_status(struct render *r, const char *text);

/*
 * Append to out the bytes of one frame for a terminal of cols x rows:
 * the lines waiting in cs's queue (into the terminal's scrollback, when
 * its primary screen is shown), then the diff from what the terminal
 * shows to screen (the server's screen with predictions; cut or padded
 * to the window) with the status bar over its top row. 0 or an mp_err.
 * The caller still frees screen, which may have been emptied (its cells
 * kept as what the terminal shows).
 */
int render_frame(struct render *r, struct client_screen *cs,
    struct term_state *screen, uint16_t cols, uint16_t rows,
    struct buf *out);
/* Bytes that leave the terminal sane when mp ends: modes the session
 * turned on are turned off, the cursor shown, on a fresh line below
 * the last screen. */
int render_finish(struct render *r, struct buf *out);

#endif

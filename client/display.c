/* display.c: mp's side of a session with a PTY: the server's screen from the channel, local echo prediction, the status bar, and frames written to the local terminal. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/display.h"
#include "client/render.h"
#include "client/screen.h"
#include "common/buf.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"
#include "common/proto/frame.h"
#include "common/term/predict.h"

#define WRITE_CHUNK	16384
#define READ_CHUNK	16384

struct display {
	char mode[16];
	enum predict_mode predict_mode;
	struct client_screen *screen;
	struct predict *predict;
	struct render *render;
	struct buf *frame;		/* bytes for the terminal */
	struct buf *update;		/* an update from the channel */
	int out;
	int stream_mode;		/* output comes on stream 1 */
	int statesync;
	uint16_t cols, rows;
	int dirty;			/* a frame is due */
	int stale;			/* server is the previous channel's */
	struct term_state server;	/* snapshot of the server's screen */
	uint64_t server_version;
	uint64_t acked;			/* state acknowledged to the server */
	int acked_any;
	uint64_t echo_ack;
	int echo_off;
	uint32_t srtt_ms;
	char status[RENDER_STATUS_MAX + 1];
	int dropped_said;		/* the lost-lines notice was shown */
	uint64_t notice_until;
};

static enum predict_mode
predict_mode(const char *name)
{
	if (strcmp(name, "always") == 0)
		return PREDICT_ALWAYS;
	if (strcmp(name, "never") == 0)
		return PREDICT_NEVER;
	return PREDICT_ADAPTIVE;
}

struct display *
display_new(const char *mode, const char *predict, int out, uint16_t cols,
    uint16_t rows)
{
	struct display *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	snprintf(d->mode, sizeof(d->mode), "%s", mode);
	d->predict_mode = predict_mode(predict);
	d->out = out;
	d->cols = cols;
	d->rows = rows;
	d->statesync = strcmp(mode, "statesync") == 0;
	d->stream_mode = !d->statesync;
	d->dirty = 1;
	d->server_version = (uint64_t)-1;
	if ((d->screen = client_screen_new(mode, cols, rows)) == NULL ||
	    (d->predict = predict_new(d->predict_mode)) == NULL ||
	    (d->render = render_new()) == NULL ||
	    (d->frame = buf_new(BUF_SIZE_MAX)) == NULL ||
	    (d->update = buf_new(BUF_SIZE_MAX)) == NULL) {
		display_free(d);
		return NULL;
	}
	return d;
}

void
display_free(struct display *d)
{
	if (d == NULL)
		return;
	client_screen_free(d->screen);
	predict_free(d->predict);
	render_free(d->render);
	buf_free(d->frame);
	buf_free(d->update);
	term_state_free(&d->server);
	free(d);
}

/* ---- from the channel ---------------------------------------------------- */

/* The server's screen as a state, taken again only when it changed. */
static int
refresh_server(struct display *d)
{
	uint64_t v = client_screen_version(d->screen);
	struct term_state st;

	if (d->stale && !client_screen_has_state(d->screen))
		return 0;
	d->stale = 0;
	if (v == d->server_version)
		return 0;
	if (client_screen_snapshot(d->screen, &st) != 0)
		return -1;
	term_state_free(&d->server);
	d->server = st;
	d->server_version = v;
	return 0;
}

static void
take_updates(struct display *d, struct chan *c)
{
	uint64_t base, state;
	uint8_t flags;

	while (chan_get_update(c, &base, &state, &flags, d->update) == 1) {
		if (flags & FRAME_STATE_LINES_DROPPED)
			client_screen_note_dropped(d->screen);
		switch (client_screen_update(d->screen, base, state,
		    buf_ptr(d->update), buf_len(d->update),
		    chan_read_offset(c, CHAN_STREAM_OUTPUT))) {
		case SCREEN_APPLIED:
			d->dirty = 1;
			break;
		case SCREEN_OLD:
			d->acked_any = 0;	/* our acknowledgement was lost */
			break;
		case SCREEN_NO_BASE:
			(void)chan_request_repaint(c);
			break;
		case SCREEN_LATER:
			break;
		case SCREEN_BAD:
			log_debug("dropped a malformed screen update");
			(void)chan_request_repaint(c);
			break;
		}
		buf_reset(d->update);
	}
}

static void
take_output(struct display *d, struct chan *c)
{
	uint8_t tmp[READ_CHUNK];
	uint64_t offset;
	size_t n;

	/* The bytes start at the offset before the read (a read stops at a
	 * gap; the offset may jump it afterwards). */
	while ((offset = chan_read_offset(c, CHAN_STREAM_OUTPUT),
	    n = chan_read(c, CHAN_STREAM_OUTPUT, tmp, sizeof(tmp))) > 0) {
		client_screen_output(d->screen, offset, tmp, n);
		d->dirty = 1;
	}
}

/* Acknowledge the newest state applied (a reliable session acknowledges
 * only the full screens it was sent). */
static void
acknowledge(struct display *d, struct chan *c)
{
	uint64_t state = client_screen_state(d->screen);

	if (!client_screen_has_state(d->screen) ||
	    (d->acked_any && state == d->acked))
		return;
	if (chan_ack_update(c, state) == 0) {
		d->acked = state;
		d->acked_any = 1;
	}
}

void
display_receive(struct display *d, struct chan *c, uint64_t now)
{
	uint64_t echo;
	uint8_t flags;

	take_updates(d, c);
	if (d->stream_mode)
		take_output(d, c);
	acknowledge(d, c);
	if (chan_get_echo_ack(c, &echo, &flags) == 1 &&
	    (echo != d->echo_ack || (flags & FRAME_ECHO_OFF) != d->echo_off)) {
		d->echo_ack = echo;
		d->echo_off = flags & FRAME_ECHO_OFF;
		d->dirty = 1;
	}
	d->srtt_ms = chan_get_stats(c)->srtt_ms;
	if (d->dirty && refresh_server(d) == 0)
		predict_update(d->predict, &d->server, d->echo_ack,
		    d->echo_off, d->srtt_ms, now);
}

/* ---- from the user ------------------------------------------------------- */

void
display_typed(struct display *d, const uint8_t *p, size_t len,
    uint64_t offset, uint64_t now)
{
	if (refresh_server(d) != 0)
		return;
	predict_input(d->predict, p, len, offset, &d->server, now);
	d->dirty = 1;
}

void
display_resized(struct display *d, uint16_t cols, uint16_t rows)
{
	d->cols = cols;
	d->rows = rows;
	if (client_screen_resize(d->screen, cols, rows) != 0)
		log_debug("cannot resize the screen to %ux%u", cols, rows);
	render_invalidate(d->render);
	d->dirty = 1;
}

int
display_reset(struct display *d)
{
	struct client_screen *screen;
	struct predict *predict;

	if ((screen = client_screen_new(d->mode, d->cols, d->rows)) == NULL ||
	    (predict = predict_new(d->predict_mode)) == NULL) {
		client_screen_free(screen);
		return MP_ERR_ALLOC;
	}
	client_screen_continue(screen, d->screen);
	client_screen_free(d->screen);
	predict_free(d->predict);
	d->screen = screen;
	d->predict = predict;
	d->stale = 1;		/* the last screen stays until a new one */
	d->server_version = (uint64_t)-1;
	d->acked = 0;
	d->acked_any = 0;
	d->echo_ack = 0;
	d->echo_off = 0;
	d->dirty = 1;
	return 0;
}

static void
set_status(struct display *d, const char *text)
{
	if (strcmp(d->status, text) == 0)
		return;
	snprintf(d->status, sizeof(d->status), "%s", text);
	d->dirty = 1;
}

void
display_silence(struct display *d, uint64_t silent_ms, const char *escape)
{
	char text[RENDER_STATUS_MAX + 1];
	uint64_t now = mp_monotonic_ms();

	if (!d->dropped_said && client_screen_lines_dropped(d->screen)) {
		d->dropped_said = 1;
		d->notice_until = now + DISPLAY_NOTICE_MS;
	}
	if (silent_ms >= DISPLAY_STATUS_AFTER_MS) {
		snprintf(text, sizeof(text), "mp: last contact %llu s ago, "
		    "reconnecting...%s%s%s",
		    (unsigned long long)(silent_ms / 1000),
		    escape[0] ? " (" : "", escape, escape[0] ? " . quits)" :
		    "");
		set_status(d, text);
	} else if (now < d->notice_until)
		set_status(d, "mp: output faster than the link: some lines "
		    "are left out of the local scrollback");
	else
		set_status(d, "");
}

/* ---- to the terminal ----------------------------------------------------- */

static int
build_frame(struct display *d, uint64_t now)
{
	struct term_state shown;
	int r;

	if ((r = refresh_server(d)) != 0)
		return r;
	predict_update(d->predict, &d->server, d->echo_ack, d->echo_off,
	    d->srtt_ms, now);
	if ((r = predict_overlay(d->predict, &d->server, &shown)) != 0)
		return r;
	render_set_status(d->render, d->status);
	r = render_frame(d->render, d->screen, &shown, d->cols, d->rows,
	    d->frame);
	term_state_free(&shown);
	return r;
}

int
display_predicting(const struct display *d)
{
	return d->dirty && predict_showing(d->predict);
}

void
display_render(struct display *d, uint64_t now)
{
	if (buf_len(d->frame) > 0)
		return;		/* the terminal has not taken the last one */
	if (!d->dirty && predict_timeout_ms(d->predict, now) != 0)
		return;
	if (build_frame(d, now) != 0)
		log_debug("cannot render the screen");
	d->dirty = 0;
	display_write(d);
}

int
display_wants_write(const struct display *d)
{
	return buf_len(d->frame) > 0;
}

void
display_write(struct display *d)
{
	size_t n = buf_len(d->frame);
	ssize_t w;

	if (n == 0)
		return;
	if ((w = write(d->out, buf_ptr(d->frame),
	    n < WRITE_CHUNK ? n : WRITE_CHUNK)) > 0)
		buf_consume(d->frame, (size_t)w);
	else if (w < 0 && errno != EAGAIN && errno != EINTR)
		buf_reset(d->frame);	/* nobody reads the terminal */
}

int
display_timeout_ms(const struct display *d, uint64_t now)
{
	int t = predict_timeout_ms(d->predict, now);

	if (d->dirty && buf_len(d->frame) == 0)
		return 0;
	if (d->notice_until > now && (t < 0 ||
	    d->notice_until - now < (uint64_t)t))
		t = (int)(d->notice_until - now);
	return t;
}

void
display_finish(struct display *d, int timeout_ms)
{
	uint64_t deadline = mp_monotonic_ms() + (uint64_t)timeout_ms;
	struct pollfd pfd = { .fd = d->out, .events = POLLOUT };

	set_status(d, "");
	while (buf_len(d->frame) > 0 && mp_monotonic_ms() < deadline &&
	    poll(&pfd, 1, 100) >= 0)
		display_write(d);
	buf_reset(d->frame);
	if (build_frame(d, mp_monotonic_ms()) != 0 ||
	    render_finish(d->render, d->frame) != 0)
		return;
	while (buf_len(d->frame) > 0 && mp_monotonic_ms() < deadline &&
	    poll(&pfd, 1, 100) >= 0)
		display_write(d);
}

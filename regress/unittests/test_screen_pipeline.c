/* test_screen_pipeline.c: the screen pipeline end to end: the server's emulator and updater driving a channel over UDP on 127.0.0.1 to the client's screen, in each delivery mode, with a driven clock and seeded loss. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/display.h"
#include "client/screen.h"
#include "common/buf.h"
#include "common/monmsg.h"
#include "common/proto/channel.h"
#include "common/proto/frame.h"
#include "common/proto/record.h"
#include "common/term/term.h"
#include "privsep/screen.h"
#include "privsep/updates.h"
#include "regress/unittests/chan_fixture.h"
#include "regress/unittests/test_term_fixture.h"

#define T0		1000		/* the driven clock's start */
#define COLS		80
#define ROWS		24
#define PUSH_MS		150		/* datagram_push_ms's default */
#define RATE		500		/* scrollback_rate's default */
#define IO_CHUNK	16384		/* as privsep/session.c reads */
#define QUIET_MS	400		/* quiet this long: settled */
#define SETTLE_MAX_MS	120000		/* give up after this */
#define TEXT_MAX	256
#define PROMPT		"\033]0;user@host: ~\007\033[1;32muser@host\033[m:" \
			"\033[1;34m~\033[m$ "

/* The two ends and what the test saw on the client's. */
struct pl {
	int mode;
	unsigned loss;			/* percent of datagrams dropped */
	uint32_t rng;
	uint64_t no_state_until;	/* those with a STATE frame dropped */
	struct rec_ctx *peek;		/* opens what the server sends */
	struct hs_keys keys;
	int sfd, cfd;
	struct sockaddr_in saddr;
	struct chan *s, *c;
	struct screen *scr;
	struct updater *u;
	struct client_screen *cs;
	struct buf *upd, *pty;		/* an update; output not read yet */
	uint64_t now, out_offset, acked;
	uint16_t cols, rows;		/* the client's window */
	uint16_t srv_cols, srv_rows;	/* the server's, from RESIZE */
	int redraw;			/* the program redraws on SIGWINCH */
	/* what the client saw */
	unsigned updates, base0, no_base, later, old, bad;
	size_t last_len;		/* bytes of the newest update */
	int dropped;			/* lines_dropped() said so once */
	int collect;			/* take the queued lines each step */
	char (*lines)[TEXT_MAX];
	size_t nlines, lines_cap;
	/* or client/display.c, its frames drained into a local terminal */
	struct display *disp;
	int pfd[2];
	struct term *local;
};

/* Datagrams the server sent, held back from the client. */
#define HELD_MAX	16
struct held {
	uint8_t d[HELD_MAX][REC_DATAGRAM_MAX + 1];
	size_t len[HELD_MAX];
	struct sockaddr_storage src[HELD_MAX];
	socklen_t sl[HELD_MAX];
	size_t n;
};

/* ---- sockets and the lossy net ------------------------------------------- */

static int
udp_socket(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd, size = 4 << 20;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)sin, sizeof(*sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)sin, &len), 0);
	return fd;
}

/* 1 if the server's datagram d carries a chunk of a screen update. */
static int
has_state(struct pl *p, const uint8_t *d, size_t len)
{
	uint8_t pt[REC_DATAGRAM_MAX];
	struct frame_reader rd;
	struct frame f;
	size_t n = 0;
	int newest;

	if (rec_open(p->peek, d, len, pt, sizeof(pt), &n, &newest) != 0 ||
	    frame_reader_init(&rd, pt, n) != 0)
		return 0;
	while (frame_next(&rd, &f))
		if (f.type == FRAME_STATE)
			return 1;
	return 0;
}

static int
lost(struct pl *p, int to_client, const uint8_t *d, size_t len)
{
	if (to_client && p->now < p->no_state_until && has_state(p, d, len))
		return 1;
	p->rng ^= p->rng << 13;
	p->rng ^= p->rng >> 17;
	p->rng ^= p->rng << 5;
	return p->rng % 100 < p->loss;
}

/* Everything waiting on fd, through the net, to ch. */
static void
deliver(struct pl *p, int fd, struct chan *ch, int to_client)
{
	static uint8_t d[REC_DATAGRAM_MAX + 1];
	struct sockaddr_storage src;
	socklen_t sl;
	ssize_t n;

	for (;;) {
		sl = sizeof(src);
		n = recvfrom(fd, d, sizeof(d), 0, (struct sockaddr *)&src,
		    &sl);
		if (n < 0) {
			assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
			return;
		}
		if (!lost(p, to_client, d, (size_t)n))
			chan_input(ch, d, (size_t)n, (struct sockaddr *)&src,
			    sl, p->now);
	}
}

/* ---- setting up ---------------------------------------------------------- */

static const char *
mode_name(int mode)
{
	return mode == MON_MODE_STATESYNC ? "statesync" :
	    mode == MON_MODE_DATAGRAM ? "datagram" : "reliable";
}

/* A channel pair on the sockets; generation changes the keys, so that
 * records of an older pair are not authentic to a newer one. */
static void
open_channels(struct pl *p, unsigned generation)
{
	chfx_keys(&p->keys);
	p->keys.c2s_key[0] ^= (uint8_t)generation;
	p->keys.s2c_key[0] ^= (uint8_t)generation;
	p->s = chan_new(&p->keys, 1, p->sfd, NULL, 0);
	p->c = chan_new(&p->keys, 0, p->cfd, (struct sockaddr *)&p->saddr,
	    sizeof(p->saddr));
	rec_free(p->peek);
	p->peek = rec_new(&p->keys, 0);
	assert_non_null(p->s);
	assert_non_null(p->c);
	assert_non_null(p->peek);
	if (p->mode == MON_MODE_DATAGRAM) {
		assert_int_equal(chan_set_best_effort(p->s,
		    CHAN_STREAM_OUTPUT), 0);
		assert_int_equal(chan_set_best_effort(p->c,
		    CHAN_STREAM_OUTPUT), 0);
	}
}

static struct pl *
pl_new(int mode, unsigned loss, uint32_t seed, uint32_t rate)
{
	struct pl *p = calloc(1, sizeof(*p));
	struct sockaddr_in caddr;

	assert_non_null(p);
	p->mode = mode;
	p->loss = loss;
	p->rng = seed | 1;
	p->now = T0;
	p->cols = p->srv_cols = COLS;
	p->rows = p->srv_rows = ROWS;
	p->sfd = udp_socket(&p->saddr);
	p->cfd = udp_socket(&caddr);
	open_channels(p, 0);
	/* As privsep/session.c: lines are kept only in statesync. */
	p->scr = screen_new(COLS, ROWS, mode == MON_MODE_STATESYNC ? rate : 0);
	p->u = updater_new(mode, PUSH_MS, rate);
	p->cs = client_screen_new(mode_name(mode), COLS, ROWS);
	p->upd = buf_new(BUF_SIZE_MAX);
	p->pty = buf_new(BUF_SIZE_MAX);
	assert_true(p->scr && p->u && p->cs && p->upd && p->pty);
	return p;
}

static void
pl_free(struct pl *p)
{
	chan_free(p->s);
	chan_free(p->c);
	rec_free(p->peek);
	close(p->sfd);
	close(p->cfd);
	screen_free(p->scr);
	updater_free(p->u);
	client_screen_free(p->cs);
	buf_free(p->upd);
	buf_free(p->pty);
	free(p->lines);
	if (p->disp != NULL) {
		display_free(p->disp);
		close(p->pfd[0]);
		close(p->pfd[1]);
		term_free(p->local);
	}
	free(p);
}

/* The client runs client/display.c (no prediction) instead of the
 * test's own loop; its frames go through a pipe to a local terminal. */
static void
use_display(struct pl *p)
{
	assert_int_equal(pipe2(p->pfd, O_NONBLOCK | O_CLOEXEC), 0);
	p->disp = display_new(mode_name(p->mode), "never", p->pfd[1], p->cols,
	    p->rows);
	p->local = term_new(p->cols, p->rows, NULL, NULL);
	assert_non_null(p->disp);
	assert_non_null(p->local);
}

/* ---- the server, as privsep/session.c runs it ---------------------------- */

/* The program's output, read from the PTY later. */
static void
emit(struct pl *p, const char *s)
{
	assert_int_equal(buf_put(p->pty, s, strlen(s)), 0);
}

static void emitf(struct pl *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
emitf(struct pl *p, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	emit(p, tmp);
}

/* session.c's take_output(): the screen takes everything; the stream
 * takes it too, except in statesync (in datagram, output the stream has
 * no room for is skipped: a gap the client sees). */
static void
take_output(struct pl *p, const uint8_t *d, size_t n)
{
	screen_write(p->scr, d, n);
	if (p->mode == MON_MODE_STATESYNC)
		return;
	p->out_offset += n;
	if (p->mode == MON_MODE_DATAGRAM &&
	    chan_write_room(p->s, CHAN_STREAM_OUTPUT) < n) {
		assert_int_equal(chan_skip(p->s, CHAN_STREAM_OUTPUT, n), 0);
		return;
	}
	if (n > 0)
		assert_int_equal(chan_write(p->s, CHAN_STREAM_OUTPUT, d, n), 0);
}

/* Read the PTY: in reliable only what the stream has room for. */
static void
pump_pty(struct pl *p)
{
	size_t n;
	int budget = 64;

	while (buf_len(p->pty) > 0 && budget-- > 0) {
		n = buf_len(p->pty) < IO_CHUNK ? buf_len(p->pty) : IO_CHUNK;
		if (p->mode == MON_MODE_RELIABLE &&
		    chan_write_room(p->s, CHAN_STREAM_OUTPUT) < n)
			n = chan_write_room(p->s, CHAN_STREAM_OUTPUT);
		if (n == 0)
			return;
		take_output(p, buf_ptr(p->pty), n);
		buf_consume(p->pty, n);
	}
}

/* The tty echoes what was typed (CR as CR LF). */
static void
echo_input(struct pl *p)
{
	uint8_t in[256];
	size_t n, i;

	while ((n = chan_read(p->s, CHAN_STREAM_INPUT, in, sizeof(in))) > 0)
		for (i = 0; i < n; i++)
			emit(p, in[i] == '\r' ? "\r\n" :
			    (char[]){ (char)in[i], '\0' });
}

/* A new window size: the screen, the updater and maybe the program
 * (which redraws its prompt on SIGWINCH, as zsh does). */
static void
apply_resize(struct pl *p)
{
	uint16_t cols, rows, xp, yp;

	while (chan_get_resize(p->s, &cols, &rows, &xp, &yp)) {
		assert_int_equal(screen_resize(p->scr, cols, rows, xp, yp), 0);
		updater_resized(p->u);
		p->srv_cols = cols;
		p->srv_rows = rows;
		if (p->redraw)
			emit(p, "\r\033[K" PROMPT);
	}
}

static void
server_step(struct pl *p)
{
	const uint8_t *r;

	deliver(p, p->sfd, p->s, 0);
	apply_resize(p);
	echo_input(p);
	pump_pty(p);
	screen_replies_taken(p->scr, screen_replies(p->scr, &r));
	updater_run(p->u, p->s, p->scr, p->out_offset, p->now);
	assert_int_equal(chan_flush(p->s, p->now), 0);
}

/* ---- the client, as client/display.c runs it ----------------------------- */

static void
count_result(struct pl *p, enum screen_applied r)
{
	switch (r) {
	case SCREEN_APPLIED:
		break;
	case SCREEN_OLD:
		p->old++;
		p->acked = 0;	/* our acknowledgement was lost */
		break;
	case SCREEN_LATER:
		p->later++;
		break;
	case SCREEN_NO_BASE:
		p->no_base++;
		assert_int_equal(chan_request_repaint(p->c), 0);
		break;
	case SCREEN_BAD:
		p->bad++;
		break;
	}
}

static void
take_updates(struct pl *p)
{
	uint64_t base, num;
	uint8_t flags;

	while (chan_get_update(p->c, &base, &num, &flags, p->upd) == 1) {
		if (flags & FRAME_STATE_LINES_DROPPED)
			client_screen_note_dropped(p->cs);
		p->updates++;
		p->base0 += base == 0;
		p->last_len = buf_len(p->upd);
		count_result(p, client_screen_update(p->cs, base, num,
		    buf_ptr(p->upd), buf_len(p->upd),
		    chan_read_offset(p->c, CHAN_STREAM_OUTPUT)));
		buf_reset(p->upd);
	}
}

/* Each read's bytes start at the offset before it (channel.h). */
static void
take_stream(struct pl *p)
{
	uint8_t tmp[IO_CHUNK];
	uint64_t at;
	size_t n;

	for (;;) {
		at = chan_read_offset(p->c, CHAN_STREAM_OUTPUT);
		if ((n = chan_read(p->c, CHAN_STREAM_OUTPUT, tmp,
		    sizeof(tmp))) == 0)
			return;
		client_screen_output(p->cs, at, tmp, n);
	}
}

static void
acknowledge(struct pl *p)
{
	uint64_t state = client_screen_state(p->cs);

	if (state == 0 || state == p->acked)
		return;
	assert_int_equal(chan_ack_update(p->c, state), 0);
	p->acked = state;
}

/* The queued lines, as the local terminal would take them. */
static void
take_lines(struct pl *p)
{
	const struct term_cell *c;
	uint16_t cols;
	size_t i, n = client_screen_lines(p->cs);

	if (client_screen_lines_dropped(p->cs))
		p->dropped = 1;
	if (!p->collect || n == 0)
		return;
	if (p->nlines + n > p->lines_cap) {
		p->lines_cap = (p->nlines + n) * 2;
		p->lines = realloc(p->lines, p->lines_cap * sizeof(*p->lines));
		assert_non_null(p->lines);
	}
	for (i = 0; i < n; i++) {
		c = client_screen_line(p->cs, i, &cols);
		tfx_cells_ascii(c, cols, p->lines[p->nlines++],
		    sizeof(*p->lines));
	}
	client_screen_lines_taken(p->cs, n);
}

/* What display.c wrote to the terminal, into the local one. */
static void
drain_frames(struct pl *p)
{
	uint8_t tmp[IO_CHUNK];
	ssize_t n;

	while ((n = read(p->pfd[0], tmp, sizeof(tmp))) > 0)
		term_write(p->local, tmp, (size_t)n);
}

static void
display_step(struct pl *p)
{
	display_receive(p->disp, p->c, p->now);
	display_render(p->disp, p->now);
	drain_frames(p);
	display_render(p->disp, p->now);	/* what the pipe took late */
	drain_frames(p);
}

/* What the client does with what arrived. */
static void
client_take(struct pl *p)
{
	if (p->disp != NULL) {
		display_step(p);
		return;
	}
	take_updates(p);
	if (p->mode != MON_MODE_STATESYNC)
		take_stream(p);
	acknowledge(p);
	take_lines(p);
}

static void
client_step(struct pl *p)
{
	deliver(p, p->cfd, p->c, 1);
	client_take(p);
	assert_int_equal(chan_flush(p->c, p->now), 0);
}

/* ---- driving ------------------------------------------------------------- */

static void
step(struct pl *p)
{
	server_step(p);
	client_step(p);
	p->now++;
}

static void
run(struct pl *p, unsigned ms)
{
	while (ms-- > 0)
		step(p);
}

/* Nothing left to send or show: the PTY read, the server's screen of
 * the client's size, the stream acknowledged (reliable), the client
 * caught up (updater_settled()). */
static int
quiet(const struct pl *p)
{
	if (buf_len(p->pty) > 0 || chan_update_pending(p->s) ||
	    p->srv_cols != p->cols || p->srv_rows != p->rows)
		return 0;
	if (p->mode == MON_MODE_RELIABLE &&
	    !chan_write_acked(p->s, CHAN_STREAM_OUTPUT))
		return 0;
	return updater_settled(p->u, p->s, p->scr, p->out_offset);
}

/* Run until quiet for QUIET_MS; the time it took, or fail. */
static uint64_t
settle(struct pl *p)
{
	uint64_t start = p->now, since = 0;

	while (p->now - start < SETTLE_MAX_MS) {
		step(p);
		if (!quiet(p))
			since = 0;
		else if (since == 0)
			since = p->now;
		else if (p->now - since >= QUIET_MS)
			return since - start;
	}
	print_error("%s, %u%% loss: not settled after %u ms\n",
	    mode_name(p->mode), p->loss, SETTLE_MAX_MS);
	fail();
	return 0;
}

/* Why the screens differ, as far as counts tell. */
static void
report_difference(const struct pl *p, const struct term_state *srv,
    const struct term_state *cli)
{
	print_error("%s%s, %u%% loss: screens differ (%ux%u / %ux%u, "
	    "cursor %u,%u / %u,%u, bells %u / %u)\n", mode_name(p->mode),
	    p->disp ? " through display.c" : "", p->loss, srv->cols,
	    srv->rows, cli->cols, cli->rows, srv->cursor_x, srv->cursor_y,
	    cli->cursor_x, cli->cursor_y, srv->bells, cli->bells);
	print_error("at %llu ms: %u updates (%u full, %u later, %u old, "
	    "%u without base, %u bad), offset %llu, read %llu, acked %llu\n",
	    (unsigned long long)(p->now - T0), p->updates, p->base0,
	    p->later, p->old, p->no_base, p->bad,
	    (unsigned long long)p->out_offset,
	    (unsigned long long)chan_read_offset(p->c, CHAN_STREAM_OUTPUT),
	    (unsigned long long)p->acked);
}

/* The client's screen is the server's (the bell count too if exact). */
static void
assert_same(const struct pl *p, int exact_bells)
{
	struct term_state srv, cli;
	int same;

	assert_int_equal(screen_snapshot(p->scr, &srv), 0);
	if (p->disp != NULL)
		assert_int_equal(term_snapshot(p->local, &cli), 0);
	else
		assert_int_equal(client_screen_snapshot(p->cs, &cli), 0);
	assert_int_equal(term_state_check(&cli), 0);
	if (!exact_bells)
		cli.bells = srv.bells;
	if (!(same = term_state_equal(&srv, &cli)))
		report_difference(p, &srv, &cli);
	term_state_free(&srv);
	term_state_free(&cli);
	assert_true(same);
}

static uint32_t
client_bells(const struct pl *p)
{
	struct term_state st;
	uint32_t n;

	assert_int_equal(client_screen_snapshot(p->cs, &st), 0);
	n = st.bells;
	term_state_free(&st);
	return n;
}

/* The user types s (the tty echoes it back). */
static void
type(struct pl *p, const char *s)
{
	assert_int_equal(chan_write(p->c, CHAN_STREAM_INPUT, s, strlen(s)), 0);
}

/* The window changes: the client's screen follows, RESIZE goes out. */
static void
window(struct pl *p, uint16_t cols, uint16_t rows)
{
	p->cols = cols;
	p->rows = rows;
	assert_int_equal(chan_resize(p->c, cols, rows, 0, 0), 0);
	assert_int_equal(client_screen_resize(p->cs, cols, rows), 0);
}

/* ---- the session's output ------------------------------------------------ */

/* seq from..to, as a PTY delivers it: in reads of about a KiB. */
static void
seq(struct pl *p, unsigned from, unsigned to, unsigned ms_between)
{
	unsigned n;

	for (n = from; n <= to; n++) {
		emitf(p, "%u\r\n", n);
		if (n % 200 == 0)
			run(p, ms_between);
	}
}

/* A frame of a full-screen program (as top draws one). */
static void
top_frame(struct pl *p, unsigned frame)
{
	unsigned y;

	emitf(p, "\033]2;top - frame %u\007\033[H\033[7m top - %02u:00 "
	    "load %u.%02u \033[K\033[m", frame, frame, frame % 4, frame * 7);
	for (y = 2; y < p->rows; y++)
		emitf(p, "\033[%u;1H\033[38;5;%um%5u\033[m \033[1;%um%-8s\033[m"
		    " %3u.%u \033[48;2;%u;0;%um%*s\033[m\033[K", y,
		    (y * 7 + frame) % 256, 1000 + y * 13 + frame, 31 + y % 7,
		    y % 3 ? "bash" : "sshd", (y * frame) % 100, y % 10,
		    y * 9 % 256, frame * 20 % 256, (int)((y + frame) % 20), "");
	emitf(p, "\033[%u;1H", p->rows);
}

static void
full_screen_program(struct pl *p)
{
	unsigned f;

	emit(p, "\033[?1049h\033[22;0;0t\033[?1h\033=\033[?25l\033[H\033[2J");
	for (f = 0; f < 12; f++) {
		top_frame(p, f);
		if (f == 5)
			emit(p, "\a");
		run(p, 37);
	}
	emit(p, "\033[?25h\033[?1049l\033[23;0;0t\033[?1l\033>");
	emit(p, PROMPT);
}

/* A shell session: prompt, seq, a full-screen program, a resize, bells
 * and titles, checking the screens agree whenever things settle. */
static void
shell_session(struct pl *p, int exact_bells)
{
	uint32_t bells;

	p->redraw = 1;
	emit(p, PROMPT);
	run(p, 30);
	type(p, "seq 1 2000\r");
	run(p, 40);
	seq(p, 1, 2000, 3);
	emit(p, PROMPT);
	settle(p);
	assert_same(p, exact_bells);
	type(p, "top\r");
	run(p, 30);
	full_screen_program(p);
	settle(p);
	assert_same(p, exact_bells);
	window(p, 100, 30);
	settle(p);
	assert_same(p, exact_bells);
	bells = client_bells(p);
	emit(p, "\a\033]2;done \xe2\x9c\x93\007\a\033[31mred\033[m "
	    "\xe4\xb8\xad\xe6\x96\x87 e\xcc\x81\r\n" PROMPT);
	settle(p);
	assert_same(p, exact_bells);
	/* In datagram, a bell in lost output is not rung again by the full
	 * screen that corrects the screen. */
	if (p->mode != MON_MODE_DATAGRAM)
		assert_true(client_bells(p) != bells);
}

/* ---- convergence in each mode ------------------------------------------- */

static void
converges(int mode, unsigned loss, uint32_t seed)
{
	struct pl *p = pl_new(mode, loss, seed, RATE);
	uint64_t t0 = p->now;

	/* Bells are exact when every byte of the stream is fed. */
	shell_session(p, mode == MON_MODE_RELIABLE && loss == 0);
	assert_int_equal(p->bad, 0);
	print_message("%s %u%% loss: %llu ms driven, %u updates (%u full), "
	    "%llu datagrams to the client\n", mode_name(mode), loss,
	    (unsigned long long)(p->now - t0), p->updates, p->base0,
	    (unsigned long long)chan_get_stats(p->s)->datagrams_sent);
	pl_free(p);
}

static void
test_statesync_0(void **arg)
{
	(void)arg;
	converges(MON_MODE_STATESYNC, 0, 1);
}

static void
test_statesync_10(void **arg)
{
	(void)arg;
	converges(MON_MODE_STATESYNC, 10, 2);
}

static void
test_statesync_30(void **arg)
{
	(void)arg;
	converges(MON_MODE_STATESYNC, 30, 3);
}

static void
test_datagram_0(void **arg)
{
	(void)arg;
	converges(MON_MODE_DATAGRAM, 0, 4);
}

static void
test_datagram_10(void **arg)
{
	(void)arg;
	converges(MON_MODE_DATAGRAM, 10, 5);
}

static void
test_datagram_30(void **arg)
{
	(void)arg;
	converges(MON_MODE_DATAGRAM, 30, 6);
}

static void
test_reliable_0(void **arg)
{
	(void)arg;
	converges(MON_MODE_RELIABLE, 0, 7);
}

static void
test_reliable_10(void **arg)
{
	(void)arg;
	converges(MON_MODE_RELIABLE, 10, 8);
}

static void
test_reliable_30(void **arg)
{
	(void)arg;
	converges(MON_MODE_RELIABLE, 30, 9);
}

/* ---- statesync's scrolled lines ------------------------------------------ */

/* The lines an emulator of the same size sends to its scrollback. */
struct ref_lines {
	char (*text)[TEXT_MAX];
	size_t n, cap;
};

static void
ref_line(void *arg, const struct term_cell *row, uint16_t cols, int wrapped)
{
	struct ref_lines *r = arg;

	(void)wrapped;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->text = realloc(r->text, r->cap * sizeof(*r->text));
		assert_non_null(r->text);
	}
	tfx_cells_ascii(row, cols, r->text[r->n++], sizeof(*r->text));
}

static void
reference(struct ref_lines *r, const struct buf *all)
{
	static const struct term_callbacks cb = { NULL, ref_line, NULL };
	struct term *t = term_new(COLS, ROWS, &cb, r);

	assert_non_null(t);
	memset(r, 0, sizeof(*r));
	term_write(t, buf_ptr(all), buf_len(all));
	term_free(t);
}

/* The client's lines are exactly the reference's. */
static void
assert_lines(const struct pl *p, const struct ref_lines *r)
{
	size_t i;

	if (p->nlines != r->n)
		print_error("%zu lines queued, %zu scrolled\n", p->nlines,
		    r->n);
	for (i = 0; i < p->nlines && i < r->n; i++)
		if (strcmp(p->lines[i], r->text[i]) != 0) {
			print_error("line %zu: \"%s\", want \"%s\"\n", i,
			    p->lines[i], r->text[i]);
			break;
		}
	assert_int_equal(p->nlines, r->n);
	assert_int_equal(i, r->n);
}

/* Output both to the server and to a copy for the reference. */
static void
emit_both(struct pl *p, struct buf *all, const char *s)
{
	emit(p, s);
	assert_int_equal(buf_put(all, s, strlen(s)), 0);
}

/* Lines scrolling slower than the cap reach the client in order, once:
 * in one burst, or in small pieces as a program prints them. */
static void
lines_under_cap(unsigned per_piece, unsigned ms_between)
{
	struct pl *p = pl_new(MON_MODE_STATESYNC, 0, 11, RATE);
	struct buf *all = buf_new(BUF_SIZE_MAX);
	struct ref_lines r;
	char line[32];
	unsigned n;

	assert_non_null(all);
	p->collect = 1;
	emit_both(p, all, "$ seq 300\r\n");
	for (n = 1; n <= 300; n++) {
		snprintf(line, sizeof(line), "%u\r\n", n);
		emit_both(p, all, line);
		if (n % per_piece == 0)
			run(p, ms_between);
	}
	emit_both(p, all, "$ ");
	settle(p);
	assert_same(p, 0);
	reference(&r, all);
	assert_int_equal(r.n, 300 + 2 - ROWS);
	assert_lines(p, &r);
	assert_int_equal(p->dropped, 0);
	free(r.text);
	buf_free(all);
	pl_free(p);
}

static void
test_lines_burst(void **arg)
{
	(void)arg;
	lines_under_cap(300, 0);
}

static void
test_lines_trickle(void **arg)
{
	(void)arg;
	lines_under_cap(5, 4);
}

/* The number in a line "N", 0 if it is not one. */
static unsigned
line_number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	return *end == '\0' && end != s ? (unsigned)v : 0;
}

/* 20000 lines at once: about RATE of them reach the client, the newest,
 * in order, and it is told that lines were dropped. */
static void
test_lines_capped(void **arg)
{
	struct pl *p = pl_new(MON_MODE_STATESYNC, 0, 12, RATE);
	unsigned prev = 0, v, numbered = 0;
	size_t i;

	(void)arg;
	p->collect = 1;
	emit(p, PROMPT);
	settle(p);
	seq(p, 1, 20000, 0);
	emit(p, PROMPT);
	settle(p);
	assert_same(p, 0);
	assert_int_equal(p->dropped, 1);
	for (i = 0; i < p->nlines; i++) {
		if ((v = line_number(p->lines[i])) == 0)
			continue;
		assert_true(v > prev);	/* in order, no duplicates */
		prev = v;
		numbered++;
	}
	print_message("20000 lines: %zu queued (%u numbered, the last %u)\n",
	    p->nlines, numbered, prev);
	assert_true(numbered >= RATE / 2);
	assert_true(p->nlines <= RATE + ROWS);
	assert_int_equal(prev, 20000 - ROWS + 1);
	pl_free(p);
}

/* scrollback_rate 0 copies no line to the client's scrollback
 * (docs/config.md), even when the screen scrolls by a few lines at a
 * time, which the diff may do by scrolling the client's whole screen
 * (line feeds at the bottom row). */
static void
test_lines_rate_zero(void **arg)
{
	struct pl *p = pl_new(MON_MODE_STATESYNC, 0, 23, 0);
	unsigned n;

	(void)arg;
	p->collect = 1;
	seq(p, 1, 30, 0);
	emit(p, PROMPT);
	settle(p);
	for (n = 31; n <= 60; n += 3) {
		emitf(p, "%u\r\n%u\r\n%u\r\n", n, n + 1, n + 2);
		settle(p);
	}
	assert_same(p, 0);
	print_message("scrollback_rate 0: %zu lines queued\n", p->nlines);
	assert_int_equal(p->nlines, 0);
	pl_free(p);
}

/* ---- REPAINT, restart, settled, cost ------------------------------------ */

/* REPAINT: the next update is a full one (base 0), the screens agree. */
static void
repaint(int mode)
{
	struct pl *p = pl_new(mode, 0, 13, RATE);
	unsigned base0;

	emit(p, PROMPT "ls\r\na b c\r\n" PROMPT);
	settle(p);
	base0 = p->base0;
	assert_int_equal(chan_request_repaint(p->c), 0);
	settle(p);
	assert_int_equal(p->base0, base0 + 1);
	assert_same(p, 0);
	pl_free(p);
}

static void
test_repaint_statesync(void **arg)
{
	(void)arg;
	repaint(MON_MODE_STATESYNC);
}

static void
test_repaint_reliable(void **arg)
{
	(void)arg;
	repaint(MON_MODE_RELIABLE);
}

static void
test_repaint_datagram(void **arg)
{
	(void)arg;
	repaint(MON_MODE_DATAGRAM);
}

/* A second REPAINT with no output since the first: the second full
 * screen has the same stream offset as the first; the client must
 * still get it, and the REPAINT must not go on and on. */
static void
repaint_twice(int mode)
{
	struct pl *p = pl_new(mode, 0, 20, RATE);
	const struct chan_stats *st = chan_get_stats(p->s);
	uint64_t sent;
	unsigned base0;

	emit(p, PROMPT "ls\r\na b c\r\n" PROMPT);
	settle(p);
	assert_int_equal(chan_request_repaint(p->c), 0);
	settle(p);
	base0 = p->base0;
	assert_int_equal(chan_request_repaint(p->c), 0);
	settle(p);
	sent = st->updates_sent;
	run(p, 3000);
	print_message("%s: %u full screen(s) taken for the second REPAINT, "
	    "%llu sent in the 3 s after\n", mode_name(mode), p->base0 - base0,
	    (unsigned long long)(st->updates_sent - sent));
	assert_int_equal(p->base0, base0 + 1);
	assert_int_equal(st->updates_sent - sent, 0);
	assert_same(p, 0);
	pl_free(p);
}

static void
test_repaint_twice_reliable(void **arg)
{
	(void)arg;
	repaint_twice(MON_MODE_RELIABLE);
}

static void
test_repaint_twice_datagram(void **arg)
{
	(void)arg;
	repaint_twice(MON_MODE_DATAGRAM);
}

/* Output faster than the best-effort stream takes it (1 MiB read at
 * once): what the stream had no room for must reach the client's
 * screen by a full update. */
static void
test_datagram_flood(void **arg)
{
	struct pl *p = pl_new(MON_MODE_DATAGRAM, 0, 21, RATE);
	unsigned n;

	(void)arg;
	emit(p, PROMPT "cat big.log\r\n");
	settle(p);
	for (n = 0; n < 10000; n++)
		emitf(p, "%06u %093u\r\n", n, n);
	emit(p, PROMPT);
	settle(p);
	assert_same(p, 0);
	pl_free(p);
}

/* Flush the server; what it sends is held back from the client. */
static void
hold_sent(struct pl *p, struct held *h)
{
	ssize_t n;

	assert_int_equal(chan_flush(p->s, p->now), 0);
	for (h->n = 0;; h->n++) {
		assert_true(h->n < HELD_MAX);
		h->sl[h->n] = sizeof(h->src[h->n]);
		n = recvfrom(p->cfd, h->d[h->n], sizeof(h->d[h->n]), 0,
		    (struct sockaddr *)&h->src[h->n], &h->sl[h->n]);
		if (n < 0)
			break;
		h->len[h->n] = (size_t)n;
	}
	assert_true(h->n > 0);
}

static void
hand_to_client(struct pl *p, const struct held *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		chan_input(p->c, h->d[i], h->len[i],
		    (const struct sockaddr *)&h->src[i], h->sl[i], p->now);
}

/* The program prints s, the server reads it and sends it. */
static void
print_and_send(struct pl *p, const char *s, struct held *h)
{
	emit(p, s);
	pump_pty(p);
	hold_sent(p, h);
}

/* A full screen at the stream offset now, as updates.c makes it. */
static void
send_full_now(struct pl *p, struct held *h)
{
	struct term_state st;
	struct buf *b = buf_new(BUF_SIZE_MAX);

	assert_non_null(b);
	assert_int_equal(screen_snapshot(p->scr, &st), 0);
	assert_int_equal(buf_put_u16(b, st.cols), 0);
	assert_int_equal(buf_put_u16(b, st.rows), 0);
	assert_int_equal(buf_put_u64(b, 0), 0);
	assert_int_equal(buf_put_u32(b, 0), 0);
	assert_int_equal(term_diff(NULL, &st, b), 0);
	assert_int_equal(chan_send_update(p->s, 0, p->out_offset, 0,
	    buf_ptr(b), buf_len(b)), 0);
	hold_sent(p, h);
	term_state_free(&st);
	buf_free(b);
}

/* Datagram: output A arrives, B (as long) is lost, C arrives, all read
 * at once: the read stops at the hole and the channel then jumps it
 * (channel.h: a read's bytes start at the offset before it). A full
 * screen taken between A and B arrives last; the client must not take
 * itself to have every byte, or the server never repairs what B
 * changed. With the test's client, then with client/display.c. */
static void
datagram_hole(int display)
{
	struct pl *p = pl_new(MON_MODE_DATAGRAM, 0, 24, RATE);
	static struct held a, full, b, c;

	if (display)
		use_display(p);
	emit(p, PROMPT);
	settle(p);
	assert_same(p, 0);
	print_and_send(p, "echo A\r\n", &a);
	send_full_now(p, &full);
	print_and_send(p, "echo B\r\n", &b);	/* lost */
	print_and_send(p, "echo C\r\n", &c);
	hand_to_client(p, &a);
	hand_to_client(p, &c);
	client_take(p);
	hand_to_client(p, &full);
	client_take(p);
	settle(p);
	assert_same(p, 0);
	pl_free(p);
}

static void
test_datagram_hole(void **arg)
{
	(void)arg;
	datagram_hole(0);
}

static void
test_display_datagram_hole(void **arg)
{
	(void)arg;
	datagram_hole(1);
}

/* The same session through display.c with loss: it converges. */
static void
test_display_datagram_10(void **arg)
{
	struct pl *p = pl_new(MON_MODE_DATAGRAM, 10, 25, RATE);

	(void)arg;
	use_display(p);
	emit(p, PROMPT);
	seq(p, 1, 500, 3);
	emit(p, PROMPT);
	settle(p);
	assert_same(p, 0);
	pl_free(p);
}

/* A resume: new channels (other keys) on the same sockets, the client's
 * screen from scratch, the server's updater restarted and its screen
 * given the window size of the resume, as privsep/session.c's rekey()
 * and client/session.c's switch_channel(). The client has another
 * window size by then. */
static void
resume(struct pl *p, unsigned generation)
{
	chan_free(p->s);
	chan_free(p->c);
	open_channels(p, generation);
	p->out_offset = 0;
	updater_restart(p->u);
	p->cols = p->srv_cols = 90;
	p->rows = p->srv_rows = 28;
	/* rekey()'s apply_size(): the size the resume request gave. */
	assert_int_equal(screen_resize(p->scr, p->cols, p->rows, 0, 0), 0);
	updater_resized(p->u);
	client_screen_free(p->cs);
	p->cs = client_screen_new(mode_name(p->mode), p->cols, p->rows);
	assert_non_null(p->cs);
	p->acked = 0;
	assert_int_equal(chan_resize(p->c, p->cols, p->rows, 0, 0), 0);
}

static void
restart_converges(int mode, unsigned loss, uint64_t state_lost_ms)
{
	struct pl *p = pl_new(mode, 0, 14, RATE);

	emit(p, PROMPT);
	type(p, "make\r");
	run(p, 50);
	full_screen_program(p);
	settle(p);
	assert_same(p, 0);
	emit(p, "\033[?1049hgone while away\033[?1049l\r\nnews\r\n" PROMPT);
	run(p, 5);
	resume(p, 1);
	p->loss = loss;
	p->no_state_until = p->now + state_lost_ms;
	emit(p, "after the resume\r\n" PROMPT);
	settle(p);
	assert_same(p, 0);
	pl_free(p);
}

static void
test_restart_statesync(void **arg)
{
	(void)arg;
	restart_converges(MON_MODE_STATESYNC, 10, 0);
}

static void
test_restart_datagram(void **arg)
{
	(void)arg;
	restart_converges(MON_MODE_DATAGRAM, 10, 0);
}

static void
test_restart_reliable(void **arg)
{
	(void)arg;
	restart_converges(MON_MODE_RELIABLE, 0, 0);
}

/* The resumed session's full screen is lost (its records, and those of
 * the one after the window size changed, for 300 ms); the stream gets
 * through: the client's screen must still come right. */
static void
test_restart_reliable_first_lost(void **arg)
{
	(void)arg;
	restart_converges(MON_MODE_RELIABLE, 0, 300);
}

/* A full screen (REPAINT) taken while a program shows the alternate
 * screen, then the program ends: the client must show the primary
 * screen the server shows, cursor included. */
static void
altscreen_full(int mode)
{
	struct pl *p = pl_new(mode, 0, 17, RATE);

	emit(p, PROMPT "ls\r\na b c\r\n" PROMPT "vi notes\r\n");
	settle(p);
	emit(p, "\033[?1049h\033[H\033[2J\033[1mnotes\033[m\r\n~\r\n~"
	    "\033[1;6H");
	settle(p);
	assert_int_equal(chan_request_repaint(p->c), 0);
	settle(p);
	assert_same(p, 0);
	emit(p, "\033[?1049l" PROMPT);
	settle(p);
	assert_same(p, 0);
	pl_free(p);
}

static void
test_altscreen_full_statesync(void **arg)
{
	(void)arg;
	altscreen_full(MON_MODE_STATESYNC);
}

static void
test_altscreen_full_datagram(void **arg)
{
	(void)arg;
	altscreen_full(MON_MODE_DATAGRAM);
}

static void
test_altscreen_full_reliable(void **arg)
{
	(void)arg;
	altscreen_full(MON_MODE_RELIABLE);
}

/* The window grows while a 90-column line is on its way: the server's
 * emulator wrapped it at 80 columns, the client's (already 100 wide)
 * does not. The full screen that follows the resize is lost (its
 * records dropped for 300 ms); the client's screen must still come
 * right. */
static void
resize_full_lost(int mode)
{
	struct pl *p = pl_new(mode, 0, 18, RATE);

	emit(p, PROMPT);
	settle(p);
	emitf(p, "%.90s\r\n" PROMPT, "0123456789012345678901234567890123456789"
	    "01234567890123456789012345678901234567890123456789");
	server_step(p);		/* the line leaves, wrapped at 80 */
	window(p, 100, 30);	/* before the client reads it */
	client_step(p);
	p->now++;
	p->no_state_until = p->now + 300;
	settle(p);
	assert_same(p, 0);
	pl_free(p);
}

static void
test_resize_full_lost_datagram(void **arg)
{
	(void)arg;
	resize_full_lost(MON_MODE_DATAGRAM);
}

static void
test_resize_full_lost_reliable(void **arg)
{
	(void)arg;
	resize_full_lost(MON_MODE_RELIABLE);
}

/* The same with nothing lost: the full screen puts it right. */
static void
test_resize_in_flight(void **arg)
{
	struct pl *p;
	int mode;

	(void)arg;
	for (mode = MON_MODE_RELIABLE; mode <= MON_MODE_STATESYNC; mode++) {
		p = pl_new(mode, 0, 19, RATE);
		emit(p, PROMPT);
		settle(p);
		emitf(p, "%090d\r\n" PROMPT, 7);
		server_step(p);
		window(p, 100, 30);
		client_step(p);
		p->now++;
		settle(p);
		assert_same(p, 0);
		pl_free(p);
	}
}

/* updater_settled(): 0 while the client has not acknowledged the
 * current screen, 1 once it has. */
static void
settled(int mode)
{
	struct pl *p = pl_new(mode, 0, 15, RATE);

	emit(p, PROMPT);
	settle(p);
	assert_int_equal(updater_settled(p->u, p->s, p->scr, p->out_offset),
	    1);
	emit(p, "ls\r\nfile\r\n" PROMPT);
	pump_pty(p);
	assert_int_equal(updater_settled(p->u, p->s, p->scr, p->out_offset),
	    0);
	p->loss = 100;		/* nothing arrives: still not settled */
	run(p, 500);
	assert_int_equal(updater_settled(p->u, p->s, p->scr, p->out_offset),
	    0);
	p->loss = 0;
	settle(p);
	assert_int_equal(updater_settled(p->u, p->s, p->scr, p->out_offset),
	    1);
	assert_same(p, 0);
	pl_free(p);
}

static void
test_settled_statesync(void **arg)
{
	(void)arg;
	settled(MON_MODE_STATESYNC);
}

static void
test_settled_datagram(void **arg)
{
	(void)arg;
	settled(MON_MODE_DATAGRAM);
}

/* In statesync with no loss, a typed character's echo costs one update
 * of a few bytes, in about one datagram each way. */
static void
test_echo_cost(void **arg)
{
	struct pl *p = pl_new(MON_MODE_STATESYNC, 0, 16, RATE);
	const struct chan_stats *st = chan_get_stats(p->s);
	uint64_t sent, dgrams;
	unsigned updates;

	(void)arg;
	emit(p, PROMPT "seq 1 100\r\n");
	seq(p, 1, 100, 0);
	emit(p, PROMPT);
	settle(p);
	sent = st->updates_sent;
	dgrams = st->datagrams_sent;
	updates = p->updates;
	type(p, "x");
	settle(p);
	assert_same(p, 1);
	print_message("echo of one character: %llu update(s), %zu bytes, "
	    "%llu datagram(s) to the client\n",
	    (unsigned long long)(st->updates_sent - sent), p->last_len,
	    (unsigned long long)(st->datagrams_sent - dgrams));
	assert_int_equal(st->updates_sent - sent, 1);
	assert_int_equal(p->updates - updates, 1);
	assert_true(p->last_len <= 16 + 8);	/* the header, then the diff */
	assert_true(st->datagrams_sent - dgrams <= 3);
	pl_free(p);
}

/* A burst of output in statesync costs at most one update per frame
 * interval (20 ms on a fast link), however much it prints. */
static void
test_burst_cost(void **arg)
{
	struct pl *p = pl_new(MON_MODE_STATESYNC, 0, 22, RATE);
	const struct chan_stats *st = chan_get_stats(p->s);
	unsigned burst_ms = 4000 / 200 * 10;	/* seq's 200 lines a step */
	uint64_t sent;

	(void)arg;
	emit(p, PROMPT);
	settle(p);
	sent = st->updates_sent;
	seq(p, 1, 4000, 10);
	emit(p, PROMPT);
	settle(p);
	assert_same(p, 0);
	print_message("4000 lines over %u ms: %llu updates\n", burst_ms,
	    (unsigned long long)(st->updates_sent - sent));
	assert_true(st->updates_sent - sent <= burst_ms / 20 + 2);
	pl_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statesync_0),
		cmocka_unit_test(test_statesync_10),
		cmocka_unit_test(test_statesync_30),
		cmocka_unit_test(test_datagram_0),
		cmocka_unit_test(test_datagram_10),
		cmocka_unit_test(test_datagram_30),
		cmocka_unit_test(test_reliable_0),
		cmocka_unit_test(test_reliable_10),
		cmocka_unit_test(test_reliable_30),
		cmocka_unit_test(test_lines_burst),
		cmocka_unit_test(test_lines_trickle),
		cmocka_unit_test(test_lines_capped),
		cmocka_unit_test(test_lines_rate_zero),
		cmocka_unit_test(test_repaint_statesync),
		cmocka_unit_test(test_repaint_reliable),
		cmocka_unit_test(test_repaint_datagram),
		cmocka_unit_test(test_repaint_twice_reliable),
		cmocka_unit_test(test_repaint_twice_datagram),
		cmocka_unit_test(test_datagram_flood),
		cmocka_unit_test(test_datagram_hole),
		cmocka_unit_test(test_display_datagram_hole),
		cmocka_unit_test(test_display_datagram_10),
		cmocka_unit_test(test_restart_statesync),
		cmocka_unit_test(test_restart_datagram),
		cmocka_unit_test(test_restart_reliable),
		cmocka_unit_test(test_restart_reliable_first_lost),
		cmocka_unit_test(test_altscreen_full_statesync),
		cmocka_unit_test(test_altscreen_full_datagram),
		cmocka_unit_test(test_altscreen_full_reliable),
		cmocka_unit_test(test_resize_in_flight),
		cmocka_unit_test(test_resize_full_lost_datagram),
		cmocka_unit_test(test_resize_full_lost_reliable),
		cmocka_unit_test(test_settled_statesync),
		cmocka_unit_test(test_settled_datagram),
		cmocka_unit_test(test_echo_cost),
		cmocka_unit_test(test_burst_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

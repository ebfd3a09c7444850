/* session.c: the net child during a session: the UDP channel on one side, the PTY (or the command's pipes) on the other, the monitor's exit report. */
#include <sys/ioctl.h>

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "common/proto/channel.h"
#include "common/proto/frame.h"
#include "privsep/echo.h"
#include "privsep/net.h"
#include "privsep/screen.h"
#include "privsep/updates.h"

#define IO_CHUNK	16384
#define INPUT_MAX	65536	/* client bytes not yet taken by the PTY */
#define CLOSE_WAIT_MS	10000	/* for the client to take the last output */
#define GONE_AFTER_EXIT_MS 60000 /* silent client once the command ended */
#define READS_PER_STEP	64	/* a flood of output still lets the loop run */
#define WAKE_MAX_MS	3600000	/* the longest poll() for a far timer */
#define TRIM_AFTER_MS	2000	/* quiet this long: memory back to the system */

/* One source of output: the PTY master, or a stdout/stderr pipe. */
struct source {
	int fd;			/* -1 once at end of file */
	int stream;
};

struct netsess {
	struct chan *chan;
	int no_pty;
	int mode;		/* enum mon_mode */
	struct screen *screen;	/* with a PTY: the emulator */
	struct updater *updates;
	struct echo echo;
	uint64_t out_offset;	/* PTY output fed to the screen */
	uint32_t pacing_us;
	uint32_t warmup_ms;	/* hold the first datagram this long */
	uint64_t timeout_ms;	/* end after this silence; 0 never */
	uint64_t chan_since;	/* when this channel started */
	uint64_t first_heard;	/* the client's first record on it */
	uint64_t input_before;	/* input received on earlier channels */
	uint64_t busy_at;	/* output last came from the program */
	int trimmed;		/* memory given back since */
	struct source src[2];
	size_t nsrc;
	int input_fd;		/* PTY master or the command's stdin; -1 closed */
	uint8_t input[INPUT_MAX];
	size_t input_len;
	int have_exit;		/* the monitor reported the end */
	uint8_t exit_kind;
	uint32_t exit_value;
	uint64_t exit_at;	/* when the monitor reported it */
	uint64_t closing_since;	/* 0, or when the shutdown began */
	struct buf *ipc;
};

/* How much output to read now: the stream's room when every byte must
 * reach the client (reliable, pipes); in statesync and datagram the
 * screen takes everything and the program never waits for the link. */
static size_t
source_room(const struct netsess *s, const struct source *src)
{
	size_t room;

	if (s->screen != NULL && s->mode != MON_MODE_RELIABLE)
		return IO_CHUNK;
	room = chan_write_room(s->chan, src->stream);
	return room < IO_CHUNK ? room : IO_CHUNK;
}

/* Output read from a source: to the screen, and to the stream unless in
 * statesync (in datagram, what the stream has no room for is left to
 * the next full screen). */
static void
take_output(struct netsess *s, struct source *src, const uint8_t *p,
    size_t n)
{
	size_t room;

	if (s->screen != NULL) {
		screen_write(s->screen, p, n);
		if (s->mode == MON_MODE_STATESYNC)
			return;
		s->out_offset += n;
		if (s->mode == MON_MODE_DATAGRAM &&
		    (room = chan_write_room(s->chan, src->stream)) < n) {
			/* No room: a gap the client sees, and the next full
			 * screen covers. */
			if (chan_skip(s->chan, src->stream, n) != 0)
				fatal("stream skip refused");
			return;
		}
	}
	if (n > 0 && chan_write(s->chan, src->stream, p, n) != 0)
		fatal("stream write refused");
}

/* Move output from a source while there is room for it. */
static void
pump_source(struct netsess *s, struct source *src)
{
	uint8_t tmp[IO_CHUNK];
	size_t room;
	ssize_t n;
	int budget = READS_PER_STEP;

	while (src->fd != -1 && budget-- > 0 &&
	    (room = source_room(s, src)) > 0) {
		n = read(src->fd, tmp, room);
		if (n > 0) {
			take_output(s, src, tmp, (size_t)n);
			s->busy_at = mp_monotonic_ms();
			s->trimmed = 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		/* End of file (EIO from a PTY whose slave is closed). */
		close(src->fd);
		src->fd = -1;
		if (s->no_pty)
			chan_write_fin(s->chan, src->stream);
		else
			s->input_fd = -1;	/* the same descriptor */
	}
}

/* Client keystrokes (or stdin) into the PTY / pipe. */
static void
pump_input(struct netsess *s)
{
	ssize_t n;

	if (s->input_fd == -1) {
		/* Nobody takes input any more; drain and forget it. */
		while (chan_read(s->chan, CHAN_STREAM_INPUT, s->input,
		    sizeof(s->input)) > 0)
			;
		return;
	}
	s->input_len += chan_read(s->chan, CHAN_STREAM_INPUT,
	    s->input + s->input_len, sizeof(s->input) - s->input_len);
	while (s->input_len > 0) {
		n = write(s->input_fd, s->input, s->input_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			s->input_len = 0;
			return;
		}
		memmove(s->input, s->input + n, s->input_len - (size_t)n);
		s->input_len -= (size_t)n;
		echo_written(&s->echo, (uint64_t)n, mp_monotonic_ms());
	}
	if (s->no_pty && chan_read_eof(s->chan, CHAN_STREAM_INPUT)) {
		close(s->input_fd);
		s->input_fd = -1;
	}
}

static int
replies_waiting(const struct netsess *s)
{
	const uint8_t *p;

	return s->screen != NULL && screen_replies(s->screen, &p) > 0;
}

/* The emulator's answers to the program's queries go to the PTY as if
 * typed; they are not part of the client's input stream. */
static void
write_replies(struct netsess *s)
{
	const uint8_t *p;
	size_t len;
	ssize_t n;

	if (s->input_fd == -1 ||
	    (len = screen_replies(s->screen, &p)) == 0)
		return;
	if ((n = write(s->input_fd, p, len)) > 0)
		screen_replies_taken(s->screen, (size_t)n);
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		screen_replies_taken(s->screen, len);
}

/* The client's window size to the PTY and the screen. */
static void
apply_size(struct netsess *s, uint16_t cols, uint16_t rows, uint16_t xp,
    uint16_t yp)
{
	struct winsize ws;

	if (s->no_pty || s->input_fd == -1)
		return;		/* no PTY, or it is closed */
	if (screen_resize(s->screen, cols, rows, xp, yp) != 0)
		log_error("cannot resize the screen to %ux%u", cols, rows);
	updater_resized(s->updates);
	memset(&ws, 0, sizeof(ws));
	ws.ws_col = cols;
	ws.ws_row = rows;
	ws.ws_xpixel = xp;
	ws.ws_ypixel = yp;
	if (ioctl(MON_FD_TERM, TIOCSWINSZ, &ws) == -1)
		log_verbose("TIOCSWINSZ: %s", strerror(errno));
}

static void
apply_resize(struct netsess *s)
{
	uint16_t cols, rows, xp, yp;

	while (chan_get_resize(s->chan, &cols, &rows, &xp, &yp))
		apply_size(s, cols, rows, xp, yp);
}

/* What the mode and the settings ask of a new channel. */
static void
set_up_channel(struct netsess *s)
{
	chan_set_pacing(s->chan, s->pacing_us);
	if (s->mode == MON_MODE_DATAGRAM &&
	    chan_set_best_effort(s->chan, CHAN_STREAM_OUTPUT) != 0)
		fatal("cannot set up the datagram mode");
}

/* A resume from another connection: a new channel with its keys on the
 * same socket, a full screen first (PROTOCOL.md 2.8.5, 3.4). */
static void
rekey(struct netsess *s)
{
	struct hs_keys keys;
	struct chan *c;
	uint16_t size[4];

	if (monmsg_get_rekey(s->ipc, &keys, size) != 0)
		fatal("bad keys for a resumed session from the monitor");
	c = chan_new(&keys, 1, MON_FD_NET, NULL, 0);
	hs_keys_clear(&keys);
	buf_reset(s->ipc);
	if (c == NULL)
		fatal("cannot set up the resumed session's channel");
	s->input_before += chan_read_offset(s->chan, CHAN_STREAM_INPUT);
	chan_free(s->chan);
	s->chan = c;
	(void)chan_set_input_base(s->chan, s->input_before);
	s->chan_since = mp_monotonic_ms();
	s->first_heard = 0;
	set_up_channel(s);
	s->out_offset = 0;
	memset(&s->echo, 0, sizeof(s->echo));
	if (s->screen != NULL) {
		updater_restart(s->updates);
		apply_size(s, size[0], size[1], size[2], size[3]);
	}
	log_verbose("session resumed on a new channel");
}

static void
read_monitor(struct netsess *s)
{
	uint16_t type;

	if (ipc_recv(MON_FD_IPC, &type, s->ipc, NULL) != 0)
		exit(NET_EXIT_MONITOR);	/* the monitor is gone: so is the session */
	if (type == MON_REKEY) {
		rekey(s);
		return;
	}
	if (type != MON_EXIT_STATUS || s->have_exit ||
	    buf_get_u8(s->ipc, &s->exit_kind) != 0 ||
	    buf_get_u32(s->ipc, &s->exit_value) != 0 ||
	    buf_expect_end(s->ipc) != 0 || s->exit_kind > FRAME_EXIT_SIGNAL)
		fatal("unexpected message %u from the monitor", type);
	s->have_exit = 1;
	s->exit_at = mp_monotonic_ms();
}

static int
output_done(const struct netsess *s)
{
	size_t i;

	for (i = 0; i < s->nsrc; i++)
		if (s->src[i].fd != -1)
			return 0;
	return 1;
}

/* Once the command has ended and its output is out: report and shut down. */
static void
maybe_close(struct netsess *s, uint64_t now)
{
	size_t i;

	if (!s->have_exit || s->closing_since != 0)
		return;
	if (!s->no_pty) {
		/* The shell is gone: what is still in the PTY is its last
		 * output; a background job holding the PTY does not keep
		 * the session open (as with ssh). */
		pump_source(s, &s->src[0]);
		if (s->src[0].fd != -1 && source_room(s, &s->src[0]) == 0)
			return;		/* more to send first */
		if (s->src[0].fd != -1) {
			close(s->src[0].fd);
			s->src[0].fd = s->input_fd = -1;
		}
	} else if (!output_done(s))
		return;
	for (i = 0; i < s->nsrc; i++)
		if (!chan_write_acked(s->chan, s->src[i].stream))
			return;
	if (s->screen != NULL && !updater_settled(s->updates, s->chan,
	    s->screen, s->out_offset))
		return;		/* the last screen is not shown yet */
	chan_set_exit(s->chan, s->exit_kind, s->exit_value);
	chan_shutdown(s->chan);
	s->closing_since = now;
}

/* When the client was last heard from, or the command ended if later
 * (a client that never spoke yet is given the same minute). */
static uint64_t
last_contact(const struct netsess *s)
{
	uint64_t heard = chan_last_heard_ms(s->chan);

	return heard > s->exit_at ? heard : s->exit_at;
}

/* The client's last record on this channel, or when the channel began. */
static uint64_t
heard_or_start(const struct netsess *s)
{
	uint64_t heard = chan_last_heard_ms(s->chan);

	return heard > s->chan_since ? heard : s->chan_since;
}

/* warmup_delay_ms: nothing is sent until that long after the client's
 * first record, so that its NAT has set up the binding. */
static int
warming_up(struct netsess *s, uint64_t now)
{
	if (s->warmup_ms == 0)
		return 0;
	if (s->first_heard == 0)
		s->first_heard = chan_last_heard_ms(s->chan);
	return s->first_heard == 0 || now < s->first_heard + s->warmup_ms;
}

static int
finished(const struct netsess *s, uint64_t now)
{
	if (chan_get_state(s->chan) == CHAN_CLOSED)
		return 1;
	if (s->closing_since != 0 && now - s->closing_since > CLOSE_WAIT_MS) {
		log_verbose("client did not confirm the end of the session");
		return 1;
	}
	/* The command has ended and the client has not been heard from
	 * for a minute: nobody is left to show the last output to. */
	if (s->have_exit && now - last_contact(s) > GONE_AFTER_EXIT_MS) {
		log_verbose("command ended and the client is silent; "
		    "closing the session");
		return 1;
	}
	if (chan_peer_shutdown(s->chan) && s->closing_since == 0) {
		log_verbose("client closed the session");
		return 1;
	}
	if (s->timeout_ms != 0 && now - heard_or_start(s) > s->timeout_ms) {
		log_info("no word from the client for %llu s (session_timeout); "
		    "ending the session",
		    (unsigned long long)(s->timeout_ms / 1000));
		return 1;
	}
	return 0;
}

static size_t
fill_pollfds(const struct netsess *s, struct pollfd *pfd)
{
	size_t n = 0, i;

	pfd[n++] = (struct pollfd){ MON_FD_NET, POLLIN, 0 };
	pfd[n++] = (struct pollfd){ MON_FD_IPC, POLLIN, 0 };
	for (i = 0; i < s->nsrc; i++)
		if (s->src[i].fd != -1 && source_room(s, &s->src[i]) > 0)
			pfd[n++] = (struct pollfd){ s->src[i].fd, POLLIN, 0 };
	if (s->input_fd != -1 && (s->input_len > 0 || replies_waiting(s)))
		pfd[n++] = (struct pollfd){ s->input_fd, POLLOUT, 0 };
	return n;
}

static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

static int
next_timeout(const struct netsess *s, uint64_t now)
{
	int t = chan_timeout_ms(s->chan, now);
	uint64_t end;

	if (s->warmup_ms != 0 && s->first_heard != 0 &&
	    now < s->first_heard + s->warmup_ms)
		t = (int)(s->first_heard + s->warmup_ms - now);
	if (s->timeout_ms != 0) {
		end = heard_or_start(s) + s->timeout_ms + 1;
		t = min_timeout(t, end <= now ? 0 : end - now > WAKE_MAX_MS ?
		    WAKE_MAX_MS : (int)(end - now));
	}

	if (s->screen == NULL)
		return t;
	t = min_timeout(t, echo_timeout_ms(&s->echo, now));
	return min_timeout(t, updater_timeout_ms(s->updates, s->chan,
	    s->screen, s->out_offset, now));
}

/* A burst of output leaves freed memory in the heap (scrolled lines,
 * compression buffers): an idle session gives it back. */
static void
trim_when_quiet(struct netsess *s, uint64_t now)
{
	if (s->trimmed || now - s->busy_at < TRIM_AFTER_MS)
		return;
	(void)malloc_trim(0);
	s->trimmed = 1;
}

/* The screen's side of a step: answers to the program's queries, the
 * echo report, the updates of the mode. */
static void
screen_step(struct netsess *s, uint64_t now)
{
	if (s->screen == NULL)
		return;
	write_replies(s);
	if (s->input_fd != -1)
		echo_run(&s->echo, s->chan, s->input_fd, now);
	updater_run(s->updates, s->chan, s->screen, s->out_offset, now);
}

static void
step(struct netsess *s)
{
	struct pollfd pfd[6];
	uint64_t now = mp_monotonic_ms();
	size_t n, i;
	int timeout;

	n = fill_pollfds(s, pfd);
	timeout = next_timeout(s, now);
	if (poll(pfd, n, timeout) < 0 && errno != EINTR)
		fatal("poll: %s", strerror(errno));
	now = mp_monotonic_ms();
	if (pfd[0].revents != 0 && chan_receive(s->chan, now) != 0)
		fatal("UDP socket: %s", strerror(errno));
	if (pfd[1].revents != 0)
		read_monitor(s);
	apply_resize(s);
	pump_input(s);
	for (i = 0; i < s->nsrc; i++)
		pump_source(s, &s->src[i]);
	screen_step(s, now);
	trim_when_quiet(s, now);
	maybe_close(s, now);
	if (!warming_up(s, now) && chan_flush(s->chan, now) == MP_ERR_LIMIT)
		fatal("record sequence exhausted; ending the session");
}

static void
start_screen(struct netsess *s, const struct mon_config *cfg)
{
	s->screen = screen_new(cfg->cols, cfg->rows,
	    cfg->mode == MON_MODE_STATESYNC ? cfg->scrollback_rate : 0);
	s->updates = updater_new(cfg->mode, cfg->push_ms,
	    cfg->scrollback_rate);
	if (s->screen == NULL || s->updates == NULL)
		fatal("out of memory for the session's screen");
	(void)screen_resize(s->screen, cfg->cols, cfg->rows, cfg->xpixel,
	    cfg->ypixel);
}

static void
start(struct netsess *s, const struct mon_config *cfg)
{
	struct hs_keys keys;

	/* s is static, zero already: writing it would make its 64 KiB input
	 * buffer resident for nothing. */
	if ((s->ipc = buf_new(IPC_PAYLOAD_MAX)) == NULL)
		fatal("out of memory");
	net_expect(MON_SESSION_KEYS, s->ipc);
	if (monmsg_get_keys(s->ipc, &keys) != 0)
		fatal("bad session keys from the monitor");
	s->chan = chan_new(&keys, 1, MON_FD_NET, NULL, 0);
	hs_keys_clear(&keys);
	buf_reset(s->ipc);	/* zeroes the keys' bytes too */
	if (s->chan == NULL)
		fatal("cannot set up the UDP channel");
	s->pacing_us = cfg->pacing_us;
	s->warmup_ms = cfg->warmup_ms;
	s->timeout_ms = (uint64_t)cfg->timeout_s * 1000;
	s->chan_since = mp_monotonic_ms();
	s->no_pty = cfg->no_pty;
	s->mode = cfg->mode;
	set_up_channel(s);
	s->input_fd = MON_FD_TERM;
	if (s->no_pty) {
		s->src[0] = (struct source){ MON_FD_OUT, CHAN_STREAM_OUTPUT };
		s->src[1] = (struct source){ MON_FD_ERR, CHAN_STREAM_ERROR };
		s->nsrc = 2;
	} else {
		s->src[0] = (struct source){ MON_FD_TERM, CHAN_STREAM_OUTPUT };
		s->nsrc = 1;
		start_screen(s, cfg);
	}
}

int
net_session(const struct mon_config *cfg)
{
	static struct netsess s;	/* large: not on the stack */
	const struct chan_stats *st;

	start(&s, cfg);
	while (!finished(&s, mp_monotonic_ms()))
		step(&s);
	st = chan_get_stats(s.chan);
	log_verbose("session ended: %llu datagrams in, %llu out, %llu "
	    "dropped", (unsigned long long)st->datagrams_received,
	    (unsigned long long)st->datagrams_sent,
	    (unsigned long long)(st->rec.too_short + st->rec.too_long +
	    st->rec.bad_version + st->rec.replayed + st->rec.bad_mac +
	    st->rec.bad_tag + st->bad_payload));
	updater_free(s.updates);
	screen_free(s.screen);
	chan_free(s.chan);
	buf_free(s.ipc);
	return NET_EXIT_OK;
}

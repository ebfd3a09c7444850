/* session.c: the UDP session after login: the event loop between the terminal (or pipes) and the channel, signals, the escape key, resizes, the silence warning and the exit status. */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/client.h"
#include "client/display.h"
#include "common/clock.h"
#include "common/crypto/random.h"
#include "common/err.h"
#include "common/log.h"
#include "common/secmem.h"
#include "common/proto/channel.h"

#define IO_CHUNK		4096	/* bytes per read or write */
#define OUTQ_SIZE		(64 * 1024)
#define SHUTDOWN_WAIT_MS	1000	/* SHUTDOWN_ACK after ESCAPE '.' */
#define FINAL_FLUSH_MS		5000	/* writing the last output */
#define RECONNECT_AFTER_MS	15000	/* silence before a new handshake */
#define RECONNECT_FIRST_MS	1000	/* then tries back off from this */
#define NAT_WARMUP_GAP_MS	20	/* between warm-up keepalives */
#define NAT_WARMUP_WAIT_MS	1000	/* for the server's answer */
#define SEND_HOLD_MS		1	/* keystrokes wait after a shown prediction */

/* Output of one stream waiting for its descriptor. */
struct outq {
	int fd;
	int stream;
	int broken;		/* the descriptor failed: drop output */
	size_t off, len;
	uint8_t buf[OUTQ_SIZE];
};

struct session {
	const struct mp_config *cfg;
	struct chan *chan;
	int udp;
	int no_pty;
	int tty;		/* standard input is a terminal */
	int stdin_open;
	struct escape esc;
	int escaped;		/* ESCAPE '.' typed */
	int quit_signal;	/* a signal asked mp to end */
	uint64_t start_ms;
	uint64_t heard_ms;	/* the server was last heard from */
	uint64_t warned_at;	/* silence warning printed at; 0: not */
	struct reconnect *rc;	/* with a PTY: resuming after a silence */
	struct display *display;	/* with a PTY: the screen */
	struct outq out[2];	/* without: standard output, standard error */
	int typed;		/* keystrokes read since the last loop */
	uint64_t send_at;	/* nothing is sent before (a shown prediction) */
};

static int sig_pipe[2] = { -1, -1 };

/* A message on standard error; lines end in CR LF while the terminal is
 * raw. Printed unless -q asked for less than level. */
static void __attribute__((format(printf, 2, 3)))
say(enum log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (log_get_level() < level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "mp: %s%s", line, rawmode_active() ? "\r\n" : "\n");
}

/* ---- signals ----------------------------------------------------------- */

static void
on_signal(int sig)
{
	int saved_errno = errno;
	uint8_t b = (uint8_t)sig;

	(void)!write(sig_pipe[1], &b, 1);
	errno = saved_errno;
}

static int
install_signals(void)
{
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT,
	    SIGQUIT };
	struct sigaction sa;
	size_t i;

	if (sig_pipe[0] == -1 && pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		return MP_ERR_SYSTEM;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return MP_ERR_SYSTEM;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static void
send_resize(struct session *s)
{
	uint16_t cols, rows, xpixel, ypixel;

	if (s->no_pty || !s->tty ||
	    winsize_get(STDIN_FILENO, &cols, &rows, &xpixel, &ypixel) != 0)
		return;
	log_debug("window size %ux%u", cols, rows);
	(void)chan_resize(s->chan, cols, rows, xpixel, ypixel);
	if (s->display != NULL)
		display_resized(s->display, cols, rows);
}

static void
handle_signals(struct session *s)
{
	uint8_t sigs[16];
	ssize_t i, n;

	while ((n = read(sig_pipe[0], sigs, sizeof(sigs))) > 0)
		for (i = 0; i < n; i++) {
			if (sigs[i] == SIGWINCH)
				send_resize(s);
			else
				s->quit_signal = sigs[i];
		}
}

/* ---- output ------------------------------------------------------------ */

/* Take what the channel has for q's stream. */
static void
outq_fill(struct session *s, struct outq *q)
{
	size_t n;

	if (q->len == 0)
		q->off = 0;
	else if (q->off + q->len == sizeof(q->buf)) {
		memmove(q->buf, q->buf + q->off, q->len);
		q->off = 0;
	}
	while (q->off + q->len < sizeof(q->buf) && (n = chan_read(s->chan,
	    q->stream, q->buf + q->off + q->len,
	    sizeof(q->buf) - q->off - q->len)) > 0)
		q->len += n;
	if (q->broken)
		q->off = q->len = 0;
}

static void
outq_write(struct outq *q)
{
	size_t n = q->len < IO_CHUNK ? q->len : IO_CHUNK;
	ssize_t w;

	if (n == 0)
		return;
	if ((w = write(q->fd, q->buf + q->off, n)) < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		q->broken = 1;	/* EPIPE and the like: nobody reads it */
		q->off = q->len = 0;
		return;
	}
	q->off += (size_t)w;
	q->len -= (size_t)w;
}

/* Write out everything the channel has delivered, waiting at most
 * FINAL_FLUSH_MS for slow descriptors. */
static void
flush_output(struct session *s)
{
	uint64_t deadline = mp_monotonic_ms() + FINAL_FLUSH_MS;
	struct pollfd pfd;
	size_t i;

	if (s->display != NULL) {
		display_receive(s->display, s->chan, mp_monotonic_ms());
		display_finish(s->display, FINAL_FLUSH_MS);
		return;
	}
	for (i = 0; i < 2; i++) {
		struct outq *q = &s->out[i];

		outq_fill(s, q);
		while (q->len > 0 && mp_monotonic_ms() < deadline) {
			pfd.fd = q->fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, 100) > 0)
				outq_write(q);
			outq_fill(s, q);
		}
	}
}

/* ---- input ------------------------------------------------------------- */

static int
stdin_ended(struct session *s)
{
	s->stdin_open = 0;
	if (rawmode_active()) {
		s->quit_signal = SIGHUP;	/* the terminal went away */
		return 0;
	}
	return chan_write_fin(s->chan, CHAN_STREAM_INPUT);
}

/* Bytes to read from standard input now: what the channel takes, less
 * one for an escape byte held back from the last read. */
static size_t
input_room(const struct session *s)
{
	size_t room;

	if (!s->stdin_open)
		return 0;
	if (s->rc != NULL && reconnect_waiting(s->rc))
		return IO_CHUNK;	/* held until the channel is ready */
	room = chan_write_room(s->chan, CHAN_STREAM_INPUT);
	room = room > 0 ? room - 1 : 0;
	return room < IO_CHUNK ? room : IO_CHUNK;
}

static int
read_stdin(struct session *s)
{
	uint8_t in[IO_CHUNK], out[IO_CHUNK + 1];
	size_t n;
	ssize_t got;
	int r = 0;

	if (input_room(s) == 0)
		return 0;
	if ((got = read(STDIN_FILENO, in, input_room(s))) < 0 &&
	    (errno == EINTR || errno == EAGAIN))
		return 0;
	if (got <= 0)
		return stdin_ended(s);
	if (escape_filter(&s->esc, in, (size_t)got, out, &n) ==
	    ESCAPE_DISCONNECT)
		s->escaped = 1;
	if (n > 0 && s->rc != NULL && reconnect_waiting(s->rc)) {
		if (reconnect_hold(s->rc, out, n) != 0)
			say(LOG_LEVEL_ERROR, "too much typed while reconnecting; "
			    "some of it was dropped");
	} else if (n > 0) {
		if (s->display != NULL)
			display_typed(s->display, out, n,
			    chan_input_sent(s->chan), mp_monotonic_ms());
		s->typed = 1;
		r = chan_write(s->chan, CHAN_STREAM_INPUT, out, n);
	}
	mp_zero(in, sizeof(in));	/* keystrokes may be passwords */
	mp_zero(out, sizeof(out));
	return r;
}

/* ---- the loop ---------------------------------------------------------- */

/* With a screen, silence shows in the status bar, counted in seconds. */
static int
status_bar(struct session *s, uint64_t silent)
{
	char key[16] = "";

	if (s->esc.key >= 0)
		escape_key_name(s->esc.key, key, sizeof(key));
	display_silence(s->display, silent, key);
	if (silent < DISPLAY_STATUS_AFTER_MS)
		return (int)(DISPLAY_STATUS_AFTER_MS - silent);
	return (int)(1000 - silent % 1000);
}

/* Warn once per silence when no authentic datagram came for
 * SILENCE_WARN_MS; the time until the warning is due, or -1. */
static int
check_silence(struct session *s, uint64_t now)
{
	uint64_t last = s->heard_ms;
	char key[16];

	if (s->display != NULL)
		return status_bar(s, now - last);
	if (s->warned_at != 0 && last > s->warned_at)
		s->warned_at = 0;	/* heard from the server again */
	if (s->warned_at != 0)
		return -1;
	if (now - last < SILENCE_WARN_MS)
		return (int)(last + SILENCE_WARN_MS - now);
	s->warned_at = now;
	escape_key_name(s->esc.key, key, sizeof(key));
	if (s->esc.key < 0)
		say(LOG_LEVEL_ERROR, "no contact with the server for %llu s; "
		    "still trying", (unsigned long long)(now - last) / 1000);
	else
		say(LOG_LEVEL_ERROR, "no contact with the server for %llu s; "
		    "still trying (%s . to quit)",
		    (unsigned long long)(now - last) / 1000, key);
	return -1;
}

static int
min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Until the channel has something to send, or the hold after a shown
 * prediction ends. */
static int
send_timeout(const struct session *s, uint64_t now)
{
	int t = chan_timeout_ms(s->chan, now);

	if (now < s->send_at && t >= 0 && (uint64_t)t < s->send_at - now)
		t = (int)(s->send_at - now);
	return t;
}

/* Fill pfd for ppoll; the stdin, stdout and stderr slots get fd -1 when
 * there is nothing to do with them. */
static void
poll_set(const struct session *s, struct pollfd pfd[5])
{
	size_t i;

	pfd[0].fd = sig_pipe[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = s->udp;
	pfd[1].events = POLLIN;
	pfd[2].fd = input_room(s) > 0 ? STDIN_FILENO : -1;
	pfd[2].events = POLLIN;
	for (i = 0; i < 2; i++) {
		pfd[3 + i].fd = s->out[i].len > 0 ? s->out[i].fd : -1;
		pfd[3 + i].events = POLLOUT;
	}
	if (s->display != NULL && display_wants_write(s->display))
		pfd[3].fd = STDOUT_FILENO;
}

static int
wait_events(struct session *s, struct pollfd pfd[5], int timeout_ms)
{
	struct timespec ts, *tsp = NULL;

	poll_set(s, pfd);
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		tsp = &ts;
	}
	if (ppoll(pfd, 5, tsp, NULL) >= 0 || errno == EINTR)
		return 0;
	say(LOG_LEVEL_ERROR, "ppoll: %s", strerror(errno));
	return MP_ERR_SYSTEM;
}

/* Act on what ppoll() reported. */
static int
handle_events(struct session *s, const struct pollfd pfd[5], uint64_t now)
{
	const short bad = POLLERR | POLLHUP | POLLNVAL;
	size_t i;
	int r;

	if (pfd[0].revents & POLLIN)
		handle_signals(s);
	if ((pfd[1].revents & (POLLIN | bad)) &&
	    (r = chan_receive(s->chan, now)) != 0) {
		say(LOG_LEVEL_ERROR, "receive from the server: %s",
		    strerror(errno));
		return r;
	}
	if (pfd[2].fd != -1 && (pfd[2].revents & (POLLIN | bad)) &&
	    (r = read_stdin(s)) != 0) {
		say(LOG_LEVEL_ERROR, "cannot send input: %s", mp_strerror(r));
		return r;
	}
	if (s->display != NULL && pfd[3].fd != -1 &&
	    (pfd[3].revents & (POLLOUT | bad)))
		display_write(s->display);
	else
		for (i = 0; i < 2; i++)
			if (pfd[3 + i].fd != -1 &&
			    (pfd[3 + i].revents & (POLLOUT | bad)))
				outq_write(&s->out[i]);
	return 0;
}

/* The UDP socket and where to send: the address the TCP connection
 * reached, on the port of the reply. */
static int
open_udp(const struct mp_conn *conn, uint16_t port,
    struct sockaddr_storage *peer)
{
	*peer = conn->addr;
	if (peer->ss_family == AF_INET)
		((struct sockaddr_in *)peer)->sin_port = htons(port);
	else if (peer->ss_family == AF_INET6)
		((struct sockaddr_in6 *)peer)->sin6_port = htons(port);
	else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return socket(peer->ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
}

/* A UDP socket and a channel for login's keys (which are erased). */
static int
open_channel(struct session *s, const struct mp_conn *conn,
    struct mp_login *login)
{
	struct sockaddr_storage peer;

	if ((s->udp = open_udp(conn, login->udp_port, &peer)) == -1) {
		hs_keys_clear(&login->keys);
		say(LOG_LEVEL_ERROR, "cannot open a UDP socket: %s",
		    strerror(errno));
		return MP_ERR_SYSTEM;
	}
	s->chan = chan_new(&login->keys, 0, s->udp,
	    (const struct sockaddr *)&peer, conn->addr_len);
	hs_keys_clear(&login->keys);	/* the channel has its copy */
	if (s->chan == NULL) {
		say(LOG_LEVEL_ERROR, "cannot start the session: out of memory "
		    "or unusable keys");
		return MP_ERR_ALLOC;
	}
	if (s->display != NULL && strcmp(login->mode, "datagram") == 0 &&
	    chan_set_best_effort(s->chan, CHAN_STREAM_OUTPUT) != 0)
		return MP_ERR_INTERNAL;
	return 0;
}

static void
close_channel(struct session *s)
{
	chan_free(s->chan);
	s->chan = NULL;
	if (s->udp != -1)
		close(s->udp);
	s->udp = -1;
}

/* When the next resume is due: after RECONNECT_AFTER_MS of silence, then
 * backing off exponentially, with jitter, up to the configured maximum. */
static void
schedule_reconnect(struct session *s, uint64_t now)
{
	uint32_t max = s->cfg->max_reconnect_backoff_secs * 1000u, jitter;
	struct reconnect *rc = s->rc;

	rc->backoff_ms = rc->backoff_ms == 0 ? RECONNECT_FIRST_MS :
	    rc->backoff_ms >= max / 2 ? max : rc->backoff_ms * 2;
	mp_random(&jitter, sizeof(jitter));
	rc->next_try = now + rc->backoff_ms / 2 +
	    jitter % (rc->backoff_ms / 2 + 1);
}

static int
reconnect_timeout(const struct session *s, uint64_t now)
{
	uint64_t due;

	if (s->rc == NULL)
		return -1;
	due = s->rc->next_try != 0 ? s->rc->next_try :
	    s->heard_ms + RECONNECT_AFTER_MS;
	return due > now ? (int)(due - now) : 0;
}

/* The new channel of a resumed session; the screen starts afresh from
 * the server's full update, the terminal keeps what it shows. */
static int
switch_channel(struct session *s, const struct mp_conn *conn,
    struct mp_login *login)
{
	uint16_t cols, rows, xpixel, ypixel;
	int r;

	if ((r = reconnect_carry(s->rc, s->chan)) != 0)
		return r;
	close_channel(s);
	if ((r = open_channel(s, conn, login)) != 0)
		return r;
	if ((r = display_reset(s->display)) != 0)
		return r;
	if (s->tty && winsize_get(STDIN_FILENO, &cols, &rows, &xpixel,
	    &ypixel) == 0)
		(void)chan_resize(s->chan, cols, rows, xpixel, ypixel);
	return 0;
}

/* Silent for too long: resume over a new handshake. 0 (go on), or a
 * negative mp_err when the session is gone. */
static int
maybe_reconnect(struct session *s, uint64_t now)
{
	struct client_error err;
	struct mp_login login;
	struct mp_conn conn;
	uint16_t cols = 80, rows = 24, xpixel, ypixel;
	int r;

	if (s->rc == NULL || reconnect_timeout(s, now) != 0)
		return 0;
	if (s->tty)
		(void)winsize_get(STDIN_FILENO, &cols, &rows, &xpixel, &ypixel);
	memset(&login, 0, sizeof(login));
	r = reconnect_resume(s->rc, cols, rows, &conn, &login, &err);
	if (r == 0) {
		log_debug("session resumed on UDP port %u", login.udp_port);
		s->rc->next_try = 0;
		s->rc->backoff_ms = 0;
		s->heard_ms = mp_monotonic_ms();
		return switch_channel(s, &conn, &login);
	}
	hs_keys_clear(&login.keys);
	if (r == MP_ERR_NOT_FOUND) {
		say(LOG_LEVEL_ERROR, "the server no longer has the session");
		return r;
	}
	log_debug("resume failed: %s", err.msg);
	schedule_reconnect(s, mp_monotonic_ms());
	return 0;
}

/* What the server sent: to the screen, or to standard output and
 * standard error. */
static void
take_server(struct session *s, uint64_t now)
{
	if (s->display != NULL) {
		display_receive(s->display, s->chan, now);
		display_render(s->display, now);
		return;
	}
	outq_fill(s, &s->out[0]);
	outq_fill(s, &s->out[1]);
}

static int
session_over(const struct session *s)
{
	return chan_get_state(s->chan) == CHAN_CLOSED ||
	    chan_peer_shutdown(s->chan);
}

/*
 * Run until the server ends the session (1), mp must end it (0: an
 * escape or a signal), or something fails (a negative mp_err).
 */
static int
loop(struct session *s)
{
	struct pollfd pfd[5];
	uint64_t now;
	int r, timeout;

	for (;;) {
		now = mp_monotonic_ms();
		if (chan_last_heard_ms(s->chan) > s->heard_ms)
			s->heard_ms = chan_last_heard_ms(s->chan);
		if ((r = maybe_reconnect(s, now)) != 0)
			return r;
		if (s->rc != NULL && (r = reconnect_deliver(s->rc,
		    s->chan)) != 0) {
			say(LOG_LEVEL_ERROR, "cannot send input: %s",
			    mp_strerror(r));
			return r;
		}
		/* Keystrokes leave before the screen is drawn, unless what
		 * was typed shows at once as a prediction: that is drawn
		 * first, and the keystrokes leave SEND_HOLD_MS later (as
		 * mosh-client's do), the network's work behind the echo. */
		if (s->display != NULL && display_predicting(s->display)) {
			take_server(s, now);
			if (s->typed)
				s->send_at = now + SEND_HOLD_MS;
		}
		s->typed = 0;
		if (now >= s->send_at && (r = chan_flush(s->chan, now)) != 0) {
			say(LOG_LEVEL_ERROR, "session failed: %s",
			    mp_strerror(r));
			return r;
		}
		take_server(s, now);
		if (session_over(s))
			return 1;
		if (s->escaped || s->quit_signal)
			return 0;
		timeout = min_timeout(send_timeout(s, now),
		    check_silence(s, now));
		timeout = min_timeout(timeout, reconnect_timeout(s, now));
		if (s->display != NULL)
			timeout = min_timeout(timeout,
			    display_timeout_ms(s->display, now));
		if ((r = wait_events(s, pfd, timeout)) != 0 ||
		    (r = handle_events(s, pfd, mp_monotonic_ms())) != 0)
			return r;
	}
}

/* ESCAPE '.' or a signal: ask the server to end the session and wait
 * briefly for its acknowledgement. */
static void
hang_up(struct session *s)
{
	uint64_t deadline = mp_monotonic_ms() + SHUTDOWN_WAIT_MS, now;
	struct pollfd pfd = { .fd = s->udp, .events = POLLIN };
	int timeout;

	if (s->display != NULL)
		display_finish(s->display, SHUTDOWN_WAIT_MS);
	(void)chan_shutdown(s->chan);
	while ((now = mp_monotonic_ms()) < deadline &&
	    chan_get_state(s->chan) != CHAN_CLOSED) {
		if (chan_flush(s->chan, now) != 0)
			break;
		timeout = min_timeout(chan_timeout_ms(s->chan, now),
		    (int)(deadline - now));
		if (poll(&pfd, 1, timeout) > 0)
			(void)chan_receive(s->chan, mp_monotonic_ms());
	}
}

int
session_exit_status(uint8_t kind, uint32_t value)
{
	if (kind == 0)
		return value <= 255 ? (int)value : MP_EXIT_ERROR;
	if (kind == 1 && value > 0 && value < 128)
		return 128 + (int)value;
	return MP_EXIT_ERROR;
}

/* The status once the server ended the session. */
static int
remote_status(struct session *s)
{
	uint32_t value;
	uint8_t kind;

	(void)chan_flush(s->chan, mp_monotonic_ms());	/* SHUTDOWN_ACK */
	flush_output(s);
	if (chan_get_exit(s->chan, &kind, &value)) {
		log_debug("remote %s %u", kind ? "signal" : "exit status",
		    value);
		return session_exit_status(kind, value);
	}
	return MP_EXIT_ERROR;
}

/* The screen of a PTY session, in the mode the server chose. */
static int
start_display(struct session *s, const char *mode)
{
	uint16_t cols = 80, rows = 24, xpixel, ypixel;

	if (s->tty)
		(void)winsize_get(STDIN_FILENO, &cols, &rows, &xpixel,
		    &ypixel);
	log_debug("delivery mode %s", mode);
	if ((s->display = display_new(mode, s->cfg->predict, STDOUT_FILENO,
	    cols, rows)) == NULL) {
		say(LOG_LEVEL_ERROR, "cannot start the session: out of memory");
		return MP_ERR_ALLOC;
	}
	return 0;
}

/* --nat-warmup: a few keepalives, then up to a second for the server's
 * answer, so that a NAT has its binding before the session's traffic. */
static void
nat_warmup(struct session *s)
{
	struct pollfd pfd = { .fd = s->udp, .events = POLLIN };
	uint64_t deadline;
	uint32_t i;

	for (i = 0; i < s->cfg->nat_warmup_count; i++) {
		chan_poke(s->chan, mp_monotonic_ms());
		(void)chan_flush(s->chan, mp_monotonic_ms());
		if (poll(&pfd, 1, NAT_WARMUP_GAP_MS) > 0)
			(void)chan_receive(s->chan, mp_monotonic_ms());
	}
	deadline = mp_monotonic_ms() + NAT_WARMUP_WAIT_MS;
	while (chan_last_heard_ms(s->chan) == 0 &&
	    mp_monotonic_ms() < deadline && poll(&pfd, 1, 50) >= 0)
		(void)chan_receive(s->chan, mp_monotonic_ms());
	log_verbose("NAT warm-up: %s", chan_last_heard_ms(s->chan) ?
	    "the server answered" : "no answer yet");
}

static int
session_start(struct session *s, const struct mp_conn *conn,
    struct mp_login *login)
{
	int r;

	if (!s->no_pty && (r = start_display(s, login->mode)) != 0) {
		hs_keys_clear(&login->keys);
		return r;
	}
	if ((r = open_channel(s, conn, login)) != 0)
		return r;
	if (s->cfg->nat_warmup)
		nat_warmup(s);
	if (install_signals() != 0) {
		say(LOG_LEVEL_ERROR, "cannot set up signal handling: %s",
		    strerror(errno));
		return MP_ERR_SYSTEM;
	}
	if (!s->no_pty && s->tty && rawmode_enter(STDIN_FILENO) != 0)
		say(LOG_LEVEL_ERROR, "cannot put the terminal in raw mode: %s",
		    strerror(errno));
	return 0;
}

static void
session_init(struct session *s, const struct mp_config *cfg, int no_pty)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->udp = -1;
	s->no_pty = no_pty;
	s->tty = isatty(STDIN_FILENO);
	s->stdin_open = 1;
	s->start_ms = s->heard_ms = mp_monotonic_ms();
	escape_init(&s->esc, !no_pty && s->tty ? cfg->escape_key : -1);
	s->out[0].fd = STDOUT_FILENO;
	s->out[0].stream = CHAN_STREAM_OUTPUT;
	s->out[1].fd = STDERR_FILENO;
	s->out[1].stream = CHAN_STREAM_ERROR;
}

/* How mp ends: the status, and what it says once the terminal is back. */
static int
session_end(struct session *s, int r)
{
	int interactive = rawmode_active(), status = MP_EXIT_ERROR;

	if (r == 1)
		status = remote_status(s);
	else if (r == 0)
		hang_up(s);
	else if (s->display != NULL)
		display_finish(s->display, SHUTDOWN_WAIT_MS);
	rawmode_leave();
	if (r == 0 && s->quit_signal && !s->escaped)
		say(LOG_LEVEL_ERROR, "killed by signal %d.", s->quit_signal);
	else if (r >= 0 && (interactive || s->escaped)) {
		if (s->escaped && log_get_level() >= LOG_LEVEL_INFO)
			fputc('\n', stderr);	/* the cursor is mid-line */
		say(LOG_LEVEL_INFO, "connection to %s closed.", s->cfg->host);
	}
	return status;
}

int
session_run(const struct mp_config *cfg, const struct mp_conn *conn,
    struct mp_login *login, int no_pty, struct reconnect *rc)
{
	struct session *s;
	int r;

	if ((s = malloc(sizeof(*s))) == NULL) {
		hs_keys_clear(&login->keys);
		say(LOG_LEVEL_ERROR, "out of memory");
		return MP_EXIT_ERROR;
	}
	session_init(s, cfg, no_pty);
	s->rc = rc;
	if ((r = session_start(s, conn, login)) == 0)
		r = loop(s);
	if (r >= 0 && rc != NULL)
		reconnect_end(rc);	/* the session is over */
	r = session_end(s, r);
	display_free(s->display);
	close_channel(s);
	free(s);
	return r;
}

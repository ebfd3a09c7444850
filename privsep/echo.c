/* echo.c: what mps-net tells the client's prediction: how much of its input has had time to be echoed, and whether the terminal echoes at all. */
#include <string.h>
#include <termios.h>

#include "common/proto/frame.h"
#include "privsep/echo.h"

void
echo_written(struct echo *e, uint64_t n, uint64_t now)
{
	if (n == 0)
		return;
	e->written += n;
	/* Writes within a millisecond, or more than the marks hold, share
	 * the last mark: its time only gets later, so nothing is reported
	 * too early. */
	if (e->nmark > 0 && (e->mark[e->nmark - 1].at == now ||
	    e->nmark == ECHO_MARKS)) {
		e->mark[e->nmark - 1].offset = e->written;
		e->mark[e->nmark - 1].at = now;
		return;
	}
	e->mark[e->nmark].offset = e->written;
	e->mark[e->nmark].at = now;
	e->nmark++;
}

/* A password prompt: the line discipline collects a line (canonical
 * mode) without echoing it. A program in raw mode with echo off (a shell's
 * line editor, a full-screen program) echoes by itself: not that. */
static int
pty_echo_off(int pty_fd, int was)
{
	struct termios t;

	if (tcgetattr(pty_fd, &t) != 0)
		return was;
	return (t.c_lflag & ECHO) == 0 && (t.c_lflag & ICANON) != 0;
}

void
echo_run(struct echo *e, struct chan *c, int pty_fd, uint64_t now)
{
	unsigned int settled = 0;
	uint64_t acked = e->acked;
	int off = pty_echo_off(pty_fd, e->echo_off);

	while (settled < e->nmark &&
	    e->mark[settled].at + ECHO_SETTLE_MS <= now)
		acked = e->mark[settled++].offset;
	memmove(e->mark, e->mark + settled,
	    (e->nmark - settled) * sizeof(e->mark[0]));
	e->nmark -= settled;
	if (acked == e->acked && off == e->echo_off)
		return;
	e->acked = acked;
	e->echo_off = off;
	(void)chan_set_echo_ack(c, acked, off ? FRAME_ECHO_OFF : 0);
}

int
echo_timeout_ms(const struct echo *e, uint64_t now)
{
	uint64_t due;

	if (e->nmark == 0)
		return -1;
	due = e->mark[0].at + ECHO_SETTLE_MS;
	return due > now ? (int)(due - now) : 0;
}

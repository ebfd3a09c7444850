/* ttylat.c: runs a program on a new PTY, reads its screen through the terminal emulator, types at it and measures how long what is typed takes to show. */
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common/encode.h"
#include "common/xmalloc.h"
#include "common/term/term.h"

/*
 * ttylat [--size COLSxROWS] [--timeout SEC] [--gap MS] [--term NAME]
 *     [--stderr FILE] [--screen] STEP... -- COMMAND [ARG...]
 *
 * STEP, run in the order given:
 *	--wait TEXT		until TEXT is on the screen
 *	--type TEXT		write TEXT to the program
 *	--echo-latency N	type N characters one at a time, time each
 *	--run CMD --until TEXT	type CMD and Enter, time until TEXT shows
 *	--sleep MS		keep reading the screen for MS milliseconds
 *	--exec SHELLCMD		run sh -c SHELLCMD and wait for it
 *	--expect-exit		until the program exits
 *
 * See docs/ttylat.md. Exit status: 0; 1 on a usage or system error; 2 if
 * a step timed out, the program ended too early or an --exec command
 * failed (the screen then goes to standard error).
 */

#define OUT_MAX		(64u * 1024)	/* bytes queued for the program */
#define READ_CHUNK	(64u * 1024)
#define STEPS_MAX	256
#define ECHO_MAX	10000
#define HANGUP_WAIT_MS	3000
#define EXEC_POLL_MS	10
#define NS_PER_MS	1000000ull

enum step_kind {
	STEP_WAIT, STEP_TYPE, STEP_ECHO, STEP_RUN, STEP_SLEEP, STEP_EXEC,
	STEP_EXIT,
};

struct step {
	enum step_kind	 kind;
	char		*text;		/* decoded; NUL-terminated */
	size_t		 len;
	char		*until;		/* STEP_RUN */
	size_t		 untillen;
	unsigned long	 n;		/* STEP_ECHO count, STEP_SLEEP ms */
	const char	*arg;		/* as given, for messages */
};

struct options {
	uint16_t	 cols, rows;
	uint64_t	 timeout_ns;
	uint64_t	 gap_ns;
	const char	*term;
	const char	*stderr_path;
	int		 screen;
	struct step	 steps[STEPS_MAX];
	size_t		 nsteps;
	char		**argv;
};

/* The program on its PTY, and the emulator that shows its screen. */
struct tty {
	int		 master;
	pid_t		 pid;
	int		 exited;	/* reaped */
	int		 status;
	int		 eof;		/* the PTY hung up */
	struct term	*t;
	uint16_t	 cols, rows;
	uint64_t	 scrolled;	/* rows pushed off the top */
	uint64_t	 last_read_ns;	/* when the latest output arrived */
	uint8_t		 out[OUT_MAX];
	size_t		 outlen;
	char		*text;		/* the screen as text, rows joined by \n */
	size_t		 textcap;
};

static struct tty *g_tty;
static volatile sig_atomic_t g_signalled;

static void usage(void) __attribute__((noreturn));
static void print_screen(struct tty *, FILE *);
static void fail(int code, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

static void
usage(void)
{
	fprintf(stderr,
	    "usage: ttylat [--size COLSxROWS] [--timeout SEC] [--gap MS] "
	    "[--term NAME]\n"
	    "              [--stderr FILE] [--screen] STEP... -- COMMAND "
	    "[ARG...]\n"
	    "steps, run in order:\n"
	    "  --wait TEXT             until TEXT is on the screen\n"
	    "  --type TEXT             write TEXT to the program\n"
	    "  --echo-latency N        type N characters one at a time "
	    "(each once the\n"
	    "                          previous one shows, --gap apart), "
	    "print the\n"
	    "                          keystroke-to-screen times, erase them\n"
	    "  --run CMD --until TEXT  type CMD and Enter, print the seconds "
	    "until TEXT shows\n"
	    "  --sleep MS              keep reading the screen for MS ms\n"
	    "  --exec SHELLCMD         run sh -c SHELLCMD, wait for it\n"
	    "  --expect-exit           until the program exits\n"
	    "TEXT and CMD take \\r \\n \\t \\e \\a \\b \\\\ \\xHH; in TEXT, \\n "
	    "separates screen rows.\n"
	    "defaults: --size 80x24 --timeout 30 --gap 100 "
	    "--term xterm-256color\n");
	exit(1);
}

/* ---- time ------------------------------------------------------------- */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Milliseconds for poll() until deadline, rounded up; -1 for none. */
static int
poll_ms(uint64_t deadline)
{
	uint64_t now = now_ns(), ms;

	if (deadline == UINT64_MAX)
		return -1;
	if (deadline <= now)
		return 0;
	ms = (deadline - now + NS_PER_MS - 1) / NS_PER_MS;
	return ms > 60000 ? 60000 : (int)ms;
}

/* ---- the program's end ------------------------------------------------ */

/* Reaps the program if it has exited; 1 once it has. */
static int
reap(struct tty *s, int options)
{
	pid_t r;

	if (s->exited || s->pid <= 0)
		return 1;
	do {
		r = waitpid(s->pid, &s->status, options);
	} while (r == -1 && errno == EINTR);
	if (r == s->pid || (r == -1 && errno == ECHILD))
		s->exited = 1;
	return s->exited;
}

/* Hangs up the program's terminal and reaps it (SIGKILL if it lingers). */
static void
hang_up(struct tty *s)
{
	uint64_t deadline;
	struct timespec ts = { 0, 10 * NS_PER_MS };

	if (s->master != -1) {
		close(s->master);
		s->master = -1;
	}
	if (reap(s, WNOHANG))
		return;
	kill(-s->pid, SIGHUP);
	kill(-s->pid, SIGCONT);
	deadline = now_ns() + HANGUP_WAIT_MS * NS_PER_MS;
	while (!reap(s, WNOHANG) && now_ns() < deadline)
		nanosleep(&ts, NULL);
	if (!s->exited) {
		kill(-s->pid, SIGKILL);
		kill(s->pid, SIGKILL);
		reap(s, 0);
	}
}

/* Reports, shows the screen for failures of the steps (code 2), cleans up
 * and exits with code. */
static void
fail(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ttylat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (g_tty != NULL) {
		if (code == 2 && g_tty->t != NULL) {
			fputs("ttylat: the screen:\n", stderr);
			print_screen(g_tty, stderr);
		}
		hang_up(g_tty);
	}
	exit(code);
}

/* ---- writing to the program ------------------------------------------- */

static void
flush_out(struct tty *s)
{
	ssize_t n;

	while (s->outlen > 0 && s->master != -1) {
		n = write(s->master, s->out, s->outlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n == -1)	/* EIO: the program is gone; reading sees it */
			return;
		memmove(s->out, s->out + n, s->outlen - (size_t)n);
		s->outlen -= (size_t)n;
	}
}

static void
queue_write(struct tty *s, const void *p, size_t len)
{
	if (len > OUT_MAX - s->outlen)
		fail(1, "more than %u bytes waiting for the program", OUT_MAX);
	memcpy(s->out + s->outlen, p, len);
	s->outlen += len;
	flush_out(s);
}

/* The emulator's answers to queries go back, as a terminal's would. */
static void
on_reply(void *arg, const uint8_t *p, size_t len)
{
	queue_write(arg, p, len);
}

static void
on_scrollback(void *arg, const struct term_cell *row, uint16_t cols,
    int wrapped)
{
	struct tty *s = arg;

	(void)row;
	(void)cols;
	(void)wrapped;
	s->scrolled++;
}

/* ---- reading the program ---------------------------------------------- */

/* Reads what is there into the emulator; -1 at the end of the PTY. */
static int
read_some(struct tty *s)
{
	uint8_t buf[READ_CHUNK];
	ssize_t n;

	n = read(s->master, buf, sizeof(buf));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {	/* EIO once no one has the slave open */
		s->eof = 1;
		return -1;
	}
	s->last_read_ns = now_ns();
	term_write(s->t, buf, (size_t)n);
	return 1;
}

/*
 * One round of the event loop, waiting at most until deadline: 1 if the
 * screen may have changed, 0 if not, -1 if the program is gone.
 */
static int
pump(struct tty *s, uint64_t deadline)
{
	struct pollfd pfd;
	int n;

	if (g_signalled)
		fail(1, "interrupted by a signal");
	if (s->eof)
		return -1;
	pfd.fd = s->master;
	pfd.events = POLLIN | (s->outlen > 0 ? POLLOUT : 0);
	pfd.revents = 0;
	n = poll(&pfd, 1, poll_ms(deadline));
	if (n == -1 && errno != EINTR)
		fail(1, "poll: %s", strerror(errno));
	if (n <= 0) {
		reap(s, WNOHANG);
		return 0;
	}
	if (pfd.revents & POLLOUT)
		flush_out(s);
	if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
		return read_some(s);
	return 0;
}

/* ---- the screen ------------------------------------------------------- */

/* The screen as text: rows without trailing spaces, joined by \n. */
static const char *
screen_text(struct tty *s)
{
	size_t off = 0;
	uint16_t y;

	for (y = 0; y < s->rows; y++) {
		off += term_line_text(s->t, y, s->text + off, s->textcap - off);
		s->text[off++] = '\n';
	}
	s->text[off > 0 ? off - 1 : 0] = '\0';
	return s->text;
}

static void
print_screen(struct tty *s, FILE *f)
{
	fprintf(f, "%s\n", screen_text(s));
}

static int
screen_has(struct tty *s, const char *text)
{
	return strstr(screen_text(s), text) != NULL;
}

/* The character at linear cell index idx of the screen (0 if outside),
 * and the cursor's index. */
static uint32_t
cell_at(struct tty *s, int64_t idx, int64_t *cursor)
{
	struct term_state st;
	uint32_t ch = 0;

	if (term_snapshot(s->t, &st) != 0)
		fail(1, "out of memory");
	if (idx >= 0 && idx < (int64_t)st.cols * st.rows)
		ch = st.cells[idx].ch;
	if (cursor != NULL)
		*cursor = (int64_t)st.cursor_y * st.cols + st.cursor_x;
	term_state_free(&st);
	return ch;
}

/* ---- waiting ---------------------------------------------------------- */

typedef int (*cond_fn)(struct tty *, const void *);

static const char *
ended_how(struct tty *s)
{
	static char how[64];
	uint64_t deadline = now_ns() + 500 * NS_PER_MS;
	struct timespec ts = { 0, 10 * NS_PER_MS };

	while (!reap(s, WNOHANG) && now_ns() < deadline)
		nanosleep(&ts, NULL);
	if (!s->exited)
		return "closed its terminal";
	if (WIFEXITED(s->status))
		snprintf(how, sizeof(how), "exited with status %d",
		    WEXITSTATUS(s->status));
	else if (WIFSIGNALED(s->status))
		snprintf(how, sizeof(how), "was killed by signal %d",
		    WTERMSIG(s->status));
	else
		snprintf(how, sizeof(how), "ended");
	return how;
}

/* Reads until cond holds; fails (2) on the timeout or if the program
 * ends first. what names the wait in messages. */
static void
wait_for(struct tty *s, cond_fn cond, const void *arg, uint64_t timeout,
    const char *what)
{
	uint64_t deadline = now_ns() + timeout;

	if (cond(s, arg))
		return;
	for (;;) {
		if (s->eof || s->exited) {
			while (pump(s, 0) > 0)	/* what it printed last */
				;
			if (cond(s, arg))
				return;
			fail(2, "the program %s while waiting for %s",
			    ended_how(s), what);
		}
		if (now_ns() >= deadline)
			fail(2, "timed out after %.1f s waiting for %s",
			    (double)timeout / 1e9, what);
		if (pump(s, deadline) > 0 && cond(s, arg))
			return;
	}
}

/* Keeps the screen up to date for ns nanoseconds. */
static void
idle_for(struct tty *s, uint64_t ns)
{
	uint64_t deadline = now_ns() + ns;

	while (now_ns() < deadline && pump(s, deadline) >= 0)
		;
}

static int
cond_text(struct tty *s, const void *arg)
{
	return screen_has(s, arg);
}

static int
cond_exited(struct tty *s, const void *arg)
{
	(void)arg;
	return s->eof || reap(s, WNOHANG);
}

/* ---- steps: echo latency ---------------------------------------------- */

struct echo_probe {
	int64_t		 start;		/* cell of the first character */
	uint64_t	 scrolled0;	/* s->scrolled then */
	unsigned long	 i;		/* the character being waited for */
};

static int64_t
probe_cell(struct tty *s, const struct echo_probe *p, unsigned long i)
{
	return p->start + (int64_t)i -
	    (int64_t)(s->scrolled - p->scrolled0) * s->cols;
}

static uint32_t
probe_char(unsigned long i)
{
	return (uint32_t)('a' + i % 26);
}

static int
cond_echoed(struct tty *s, const void *arg)
{
	const struct echo_probe *p = arg;

	return cell_at(s, probe_cell(s, p, p->i), NULL) == probe_char(p->i);
}

static int
cond_erased(struct tty *s, const void *arg)
{
	const struct echo_probe *p = arg;
	int64_t cursor, cell = probe_cell(s, p, 0);
	uint32_t ch = cell_at(s, cell, &cursor);

	return cursor == cell && (ch == 0 || ch == ' ');
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* min, median, p90 (nearest rank) and max of the samples, in ms. */
static void
print_latency(double *ms, unsigned long n)
{
	double median;
	unsigned long r90 = (n * 9 + 9) / 10;

	qsort(ms, n, sizeof(*ms), cmp_double);
	median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
	printf("echo-latency n=%lu min=%.2f median=%.2f p90=%.2f max=%.2f ms\n",
	    n, ms[0], median, ms[r90 - 1], ms[n - 1]);
	fflush(stdout);
}

/* Types character i and returns how long it took to show, in ms. */
static double
echo_one(struct tty *s, struct echo_probe *p, const struct options *o)
{
	char what[64];
	uint8_t ch = (uint8_t)probe_char(p->i);
	uint64_t t0;

	idle_for(s, o->gap_ns);
	if (cond_echoed(s, p))
		fail(2, "--echo-latency: the cell for character %lu already "
		    "shows '%c'", p->i + 1, ch);
	snprintf(what, sizeof(what), "character %lu ('%c') to show",
	    p->i + 1, ch);
	t0 = now_ns();
	queue_write(s, &ch, 1);
	wait_for(s, cond_echoed, p, o->timeout_ns, what);
	return (double)(s->last_read_ns - t0) / 1e6;
}

static void
step_echo(struct tty *s, unsigned long n, const struct options *o)
{
	struct echo_probe p;
	double *ms = xcalloc(n, sizeof(*ms));
	uint8_t del[256];
	unsigned long left;
	size_t k;

	p.scrolled0 = s->scrolled;
	(void)cell_at(s, -1, &p.start);
	for (p.i = 0; p.i < n; p.i++)
		ms[p.i] = echo_one(s, &p, o);
	print_latency(ms, n);
	free(ms);
	memset(del, 0x7f, sizeof(del));
	for (left = n; left > 0; left -= k) {
		k = left < sizeof(del) ? left : sizeof(del);
		queue_write(s, del, k);
	}
	wait_for(s, cond_erased, &p, o->timeout_ns, "the typed characters "
	    "to be erased");
}

/* ---- steps: the others ------------------------------------------------ */

static void
step_run(struct tty *s, const struct step *st, const struct options *o)
{
	uint64_t t0;

	if (screen_has(s, st->until))
		fail(1, "--until %s: already on the screen before --run "
		    "(clear the screen first)", st->arg);
	t0 = now_ns();
	queue_write(s, st->text, st->len);
	queue_write(s, "\r", 1);
	wait_for(s, cond_text, st->until, o->timeout_ns,
	    "the --until text after --run");
	printf("run seconds=%.3f\n", (double)(s->last_read_ns - t0) / 1e9);
	fflush(stdout);
}

/* Runs sh -c cmd while the screen keeps being read; fails (2) if it
 * fails or outlasts the timeout. */
static void
step_exec(struct tty *s, const char *cmd, const struct options *o)
{
	uint64_t deadline = now_ns() + o->timeout_ns;
	struct timespec ts = { 0, EXEC_POLL_MS * NS_PER_MS };
	pid_t pid, r;
	int status;

	fflush(stdout);
	if ((pid = fork()) == -1)
		fail(1, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(s->master);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while ((r = waitpid(pid, &status, WNOHANG)) == 0 ||
	    (r == -1 && errno == EINTR)) {
		if (now_ns() >= deadline || g_signalled) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail(2, "--exec %s: timed out or interrupted", cmd);
		}
		if (s->eof)
			nanosleep(&ts, NULL);
		else
			pump(s, now_ns() + EXEC_POLL_MS * NS_PER_MS);
	}
	if (r == -1 || !WIFEXITED(status))
		fail(2, "--exec %s: did not exit normally", cmd);
	if (WEXITSTATUS(status) != 0)
		fail(2, "--exec %s: exited with status %d", cmd,
		    WEXITSTATUS(status));
}

static void
run_step(struct tty *s, const struct step *st, const struct options *o)
{
	char what[128];

	switch (st->kind) {
	case STEP_WAIT:
		snprintf(what, sizeof(what), "--wait %.100s", st->arg);
		wait_for(s, cond_text, st->text, o->timeout_ns, what);
		break;
	case STEP_TYPE:
		queue_write(s, st->text, st->len);
		break;
	case STEP_ECHO:
		step_echo(s, st->n, o);
		break;
	case STEP_RUN:
		step_run(s, st, o);
		break;
	case STEP_SLEEP:
		idle_for(s, (uint64_t)st->n * NS_PER_MS);
		break;
	case STEP_EXEC:
		step_exec(s, st->arg, o);
		break;
	case STEP_EXIT:
		wait_for(s, cond_exited, NULL, o->timeout_ns,
		    "the program to exit");
		break;
	}
}

/* ---- starting the program --------------------------------------------- */

/* In the child: the slave as controlling terminal and standard
 * descriptors, then the program. */
static void __attribute__((noreturn))
child_exec(int slave, const struct options *o)
{
	int efd = -1;

	if (setsid() == -1 || ioctl(slave, TIOCSCTTY, 0) == -1)
		_exit(127);
	if (o->stderr_path != NULL && (efd = open(o->stderr_path,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1)
		_exit(127);
	if (dup2(slave, 0) == -1 || dup2(slave, 1) == -1 ||
	    dup2(efd != -1 ? efd : slave, 2) == -1)
		_exit(127);
	if (slave > 2)
		close(slave);
	if (o->term != NULL && setenv("TERM", o->term, 1) == -1)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	execvp(o->argv[0], o->argv);
	dprintf(2, "ttylat: %s: %s\n", o->argv[0], strerror(errno));
	_exit(127);
}

/* A PTY of the size asked for: the master (non-blocking) in s->master,
 * the slave returned. The slave is open before the child starts, so the
 * master never reads a hangup before the program has the terminal. */
static int
open_pty(struct tty *s, const struct options *o)
{
	struct winsize ws;
	char name[128];
	int fd;

	memset(&ws, 0, sizeof(ws));
	ws.ws_col = o->cols;
	ws.ws_row = o->rows;
	if ((s->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    grantpt(s->master) == -1 || unlockpt(s->master) == -1 ||
	    ptsname_r(s->master, name, sizeof(name)) != 0 ||
	    ioctl(s->master, TIOCSWINSZ, &ws) == -1 ||
	    (fd = open(name, O_RDWR | O_NOCTTY)) == -1)
		fail(1, "cannot open a PTY: %s", strerror(errno));
	if (fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) |
	    O_NONBLOCK) == -1)
		fail(1, "fcntl: %s", strerror(errno));
	return fd;
}

static void
start(struct tty *s, const struct options *o)
{
	static const struct term_callbacks cb = {
		.reply = on_reply, .scrollback = on_scrollback,
	};
	int slave;

	memset(s, 0, sizeof(*s));
	s->master = -1;
	s->cols = o->cols;
	s->rows = o->rows;
	if ((s->t = term_new(o->cols, o->rows, &cb, s)) == NULL)
		fail(1, "cannot make a %ux%u terminal", o->cols, o->rows);
	s->textcap = (size_t)o->rows *
	    ((size_t)o->cols * 4 * (1 + TERM_COMBINING_MAX) + 1) + 1;
	s->text = xmalloc(s->textcap);
	g_tty = s;
	slave = open_pty(s, o);
	fflush(NULL);
	if ((s->pid = fork()) == -1)
		fail(1, "fork: %s", strerror(errno));
	if (s->pid == 0)
		child_exec(slave, o);
	close(slave);
}

/* ---- arguments -------------------------------------------------------- */

/* The byte a backslash escape stands for; *in is moved past it. */
static int
unescape(const char **in)
{
	static const char from[] = "rntea\\b", to[] = "\r\n\t\033\a\\\b";
	const char *p = *in, *m;
	int v;

	if (*p != '\0' && (m = strchr(from, *p)) != NULL) {
		*in = p + 1;
		return (unsigned char)to[m - from];
	}
	if (*p != 'x' || (v = hex_digit_value((unsigned char)p[1])) < 0)
		return -1;
	p += 2;
	if (hex_digit_value((unsigned char)*p) >= 0)
		v = v * 16 + hex_digit_value((unsigned char)*p++);
	*in = p;
	return v;
}

/* in with its escapes decoded, NUL-terminated; the length in *len. */
static char *
decode(const char *opt, const char *in, size_t *len)
{
	char *out = xmalloc(strlen(in) + 1), *o = out;
	int c;

	while (*in != '\0') {
		if (*in != '\\') {
			*o++ = *in++;
			continue;
		}
		in++;
		if ((c = unescape(&in)) < 0) {
			fprintf(stderr, "ttylat: %s: bad escape in \"%s\"\n",
			    opt, in);
			exit(1);
		}
		*o++ = (char)c;
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

static unsigned long
parse_num(const char *opt, const char *s, unsigned long min,
    unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || errno != 0 || *end != '\0' || v < min ||
	    v > max) {
		fprintf(stderr, "ttylat: %s: want a number from %lu to %lu: "
		    "%s\n", opt, min, max, s);
		exit(1);
	}
	return v;
}

static uint64_t
parse_seconds(const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v > 0) || v > 86400) {
		fprintf(stderr, "ttylat: --timeout: want seconds (more than 0, at most 86400): "
		    "%s\n", s);
		exit(1);
	}
	return (uint64_t)(v * 1e9);
}

static void
parse_size(const char *s, struct options *o)
{
	unsigned long c, r;
	char *end;

	errno = 0;
	c = strtoul(s, &end, 10);
	if (*s >= '0' && *s <= '9' && errno == 0 && *end == 'x' &&
	    end[1] >= '0' && end[1] <= '9') {
		r = strtoul(end + 1, &end, 10);
		if (errno == 0 && *end == '\0' && c > 0 && r > 0 &&
		    c <= TERM_COLS_MAX && r <= TERM_ROWS_MAX &&
		    c * r <= TERM_CELLS_MAX) {
			o->cols = (uint16_t)c;
			o->rows = (uint16_t)r;
			return;
		}
	}
	fprintf(stderr, "ttylat: --size: want COLSxROWS within the "
	    "emulator's limits: %s\n", s);
	exit(1);
}

static struct step *
add_step(struct options *o, enum step_kind kind, const char *arg)
{
	struct step *st;

	if (o->nsteps == STEPS_MAX) {
		fprintf(stderr, "ttylat: more than %d steps\n", STEPS_MAX);
		exit(1);
	}
	st = &o->steps[o->nsteps++];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->arg = arg;
	return st;
}

enum {
	OPT_SIZE = 256, OPT_TIMEOUT, OPT_GAP, OPT_TERM, OPT_STDERR, OPT_SCREEN,
	OPT_WAIT, OPT_TYPE, OPT_ECHO, OPT_RUN, OPT_UNTIL, OPT_SLEEP, OPT_EXEC,
	OPT_EXIT,
};

/* --until completes the --run just before it. */
static void
add_until(struct options *o, const char *arg)
{
	struct step *st = o->nsteps > 0 ? &o->steps[o->nsteps - 1] : NULL;

	if (st == NULL || st->kind != STEP_RUN || st->until != NULL) {
		fprintf(stderr, "ttylat: --until must follow --run\n");
		exit(1);
	}
	st->until = decode("--until", arg, &st->untillen);
	st->arg = arg;
	if (st->untillen == 0) {
		fprintf(stderr, "ttylat: --until: empty text\n");
		exit(1);
	}
}

/* The options that add a step. */
static void
add_step_option(struct options *o, int ch, const char *arg)
{
	struct step *st;

	switch (ch) {
	case OPT_WAIT:
		st = add_step(o, STEP_WAIT, arg);
		st->text = decode("--wait", arg, &st->len);
		break;
	case OPT_TYPE:
		st = add_step(o, STEP_TYPE, arg);
		st->text = decode("--type", arg, &st->len);
		break;
	case OPT_RUN:
		st = add_step(o, STEP_RUN, arg);
		st->text = decode("--run", arg, &st->len);
		break;
	case OPT_UNTIL:
		add_until(o, arg);
		break;
	case OPT_ECHO:
		add_step(o, STEP_ECHO, arg)->n = parse_num("--echo-latency",
		    arg, 1, ECHO_MAX);
		break;
	case OPT_SLEEP:
		add_step(o, STEP_SLEEP, arg)->n = parse_num("--sleep", arg, 0,
		    86400000);
		break;
	case OPT_EXEC:
		add_step(o, STEP_EXEC, arg);
		break;
	case OPT_EXIT:
		add_step(o, STEP_EXIT, NULL);
		break;
	default:
		usage();
	}
}

static void
add_option(struct options *o, int ch, const char *arg)
{
	switch (ch) {
	case OPT_SIZE:
		parse_size(arg, o);
		break;
	case OPT_TIMEOUT:
		o->timeout_ns = parse_seconds(arg);
		break;
	case OPT_GAP:
		o->gap_ns = parse_num("--gap", arg, 0, 60000) * NS_PER_MS;
		break;
	case OPT_TERM:
		o->term = arg;
		break;
	case OPT_STDERR:
		o->stderr_path = arg;
		break;
	case OPT_SCREEN:
		o->screen = 1;
		break;
	default:
		add_step_option(o, ch, arg);
	}
}

static void
check_steps(const struct options *o)
{
	size_t i;

	for (i = 0; i < o->nsteps; i++) {
		if (o->steps[i].kind == STEP_RUN && o->steps[i].until == NULL) {
			fprintf(stderr, "ttylat: --run %s: no --until\n",
			    o->steps[i].arg);
			exit(1);
		}
		if (o->steps[i].kind == STEP_WAIT && o->steps[i].len == 0) {
			fprintf(stderr, "ttylat: --wait: empty text\n");
			exit(1);
		}
	}
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "gap", required_argument, NULL, OPT_GAP },
		{ "term", required_argument, NULL, OPT_TERM },
		{ "stderr", required_argument, NULL, OPT_STDERR },
		{ "screen", no_argument, NULL, OPT_SCREEN },
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "echo-latency", required_argument, NULL, OPT_ECHO },
		{ "run", required_argument, NULL, OPT_RUN },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "sleep", required_argument, NULL, OPT_SLEEP },
		{ "exec", required_argument, NULL, OPT_EXEC },
		{ "expect-exit", no_argument, NULL, OPT_EXIT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->cols = 80;
	o->rows = 24;
	o->timeout_ns = 30ull * 1000 * NS_PER_MS;
	o->gap_ns = 100 * NS_PER_MS;
	o->term = "xterm-256color";
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1)
		add_option(o, ch, optarg);
	if (optind >= argc)
		usage();
	check_steps(o);
	o->argv = argv + optind;
}

/* ---- main ------------------------------------------------------------- */

static void
on_signal(int sig)
{
	(void)sig;
	g_signalled = 1;
}

static void
set_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	static struct tty s;
	struct options *o = xcalloc(1, sizeof(*o));
	size_t i;

	parse_args(argc, argv, o);
	set_signals();
	start(&s, o);
	for (i = 0; i < o->nsteps; i++)
		run_step(&s, &o->steps[i], o);
	if (o->screen)
		print_screen(&s, stdout);
	fflush(stdout);
	hang_up(&s);
	term_free(s.t);
	free(s.text);
	return 0;
}

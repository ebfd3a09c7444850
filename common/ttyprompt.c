/* ttyprompt.c: a line from the terminal (echo on or off, signals caught while it is off) or from any descriptor, never read past its newline. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/err.h"
#include "common/ttyprompt.h"

static const int tty_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
#define NSIGNALS	(sizeof(tty_signals) / sizeof(tty_signals[0]))

static volatile sig_atomic_t caught_signal;

static void
catch_signal(int sig)
{
	caught_signal = sig;
}

int
tty_read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	char c;

	if (size == 0)
		return MP_ERR_INVALID_ARGUMENT;
	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR && !caught_signal)
			continue;
		if (n < 0 || caught_signal)
			return MP_ERR_SYSTEM;
		if (n == 0 || c == '\n')
			break;
		if (len == size - 1)
			return MP_ERR_TOO_LARGE;
		buf[len++] = c;
	}
	buf[len] = '\0';
	return n == 0 && len == 0 ? MP_ERR_INCOMPLETE : 0;
}

static void
set_signals(struct sigaction *old)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = catch_signal;	/* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	caught_signal = 0;
	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &sa, &old[i]);
}

static void
restore_signals(const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &old[i], NULL);
	if (caught_signal)
		raise(caught_signal);
}

int
tty_prompt(const char *prompt, int echo, char *buf, size_t size)
{
	struct sigaction old[NSIGNALS];
	struct termios saved, quiet;
	int fd, r, restore;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) == -1)
		return MP_ERR_NOT_FOUND;
	restore = !echo && tcgetattr(fd, &saved) == 0;
	set_signals(old);
	if (restore) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		(void)tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	(void)!write(fd, prompt, strlen(prompt));
	r = tty_read_line(fd, buf, size);
	if (restore) {
		(void)tcsetattr(fd, TCSAFLUSH, &saved);
		(void)!write(fd, "\n", 1);
	}
	close(fd);
	restore_signals(old);
	return r;
}

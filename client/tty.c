/* tty.c: the local terminal: raw mode like ssh's enter_raw_mode, restored on every way out (rawmode_leave(), exit, fatal signals), and the window size. */
#include <sys/ioctl.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "client/client.h"
#include "common/err.h"

#define WINSIZE_MAX	4096	/* PROTOCOL.md 2.8.2 */

/* Signals whose default action ends the process, and which mp does not
 * otherwise handle: the terminal is restored before they take effect.
 * (SIGHUP, SIGINT, SIGQUIT and SIGTERM belong to the session loop.) */
static const int fatal_signals[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP, SIGXCPU,
	SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF,
};
#define NFATAL	(sizeof(fatal_signals) / sizeof(fatal_signals[0]))

static struct termios saved_tio;
static volatile sig_atomic_t raw_fd = -1;
static int hooks_installed;

void
rawmode_leave(void)
{
	int fd = raw_fd;

	if (fd < 0)
		return;
	raw_fd = -1;
	(void)tcsetattr(fd, TCSADRAIN, &saved_tio);
}

int
rawmode_active(void)
{
	return raw_fd >= 0;
}

/* Restore the terminal, then let the signal do what it would have done
 * (SA_RESETHAND put the default action back, SA_NODEFER lets it in). */
static void
fatal_signal(int sig)
{
	int saved_errno = errno;

	rawmode_leave();
	errno = saved_errno;
	raise(sig);
}

static void
install_hooks(void)
{
	struct sigaction sa, old;
	size_t i;

	if (hooks_installed)
		return;
	hooks_installed = 1;
	atexit(rawmode_leave);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fatal_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NFATAL; i++) {
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_DFL)
			(void)sigaction(fatal_signals[i], &sa, NULL);
	}
}

/* The settings of ssh's enter_raw_mode(). */
static void
make_raw(struct termios *tio)
{
	tio->c_iflag |= IGNPAR;
	tio->c_iflag &= ~(tcflag_t)(ISTRIP | INLCR | IGNCR | ICRNL | IXON |
	    IXANY | IXOFF | IUCLC);
	tio->c_lflag &= ~(tcflag_t)(ISIG | ICANON | ECHO | ECHOE | ECHOK |
	    ECHONL | IEXTEN);
	tio->c_oflag &= ~(tcflag_t)OPOST;
	tio->c_cc[VMIN] = 1;
	tio->c_cc[VTIME] = 0;
}

int
rawmode_enter(int fd)
{
	struct termios tio;

	if (raw_fd >= 0)
		return 0;
	if (tcgetattr(fd, &saved_tio) == -1)
		return MP_ERR_SYSTEM;
	install_hooks();
	tio = saved_tio;
	make_raw(&tio);
	raw_fd = fd;	/* first, so that a signal from here on restores */
	if (tcsetattr(fd, TCSADRAIN, &tio) == -1) {
		raw_fd = -1;
		return MP_ERR_SYSTEM;
	}
	return 0;
}

static uint16_t
clamp(unsigned int v, unsigned int lo, unsigned int hi)
{
	return (uint16_t)(v < lo ? lo : v > hi ? hi : v);
}

int
winsize_get(int fd, uint16_t *cols, uint16_t *rows, uint16_t *xpixel,
    uint16_t *ypixel)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	*xpixel = *ypixel = 0;
	if (!isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == -1)
		return MP_ERR_SYSTEM;
	if (ws.ws_col != 0)
		*cols = clamp(ws.ws_col, 1, WINSIZE_MAX);
	if (ws.ws_row != 0)
		*rows = clamp(ws.ws_row, 1, WINSIZE_MAX);
	*xpixel = ws.ws_xpixel;
	*ypixel = ws.ws_ypixel;
	return 0;
}

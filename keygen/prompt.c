/* prompt.c: mp-keygen's passphrases and questions: from the terminal with echo off, or a line of standard input. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/log.h"
#include "common/secmem.h"
#include "common/xmalloc.h"
#include "keygen/keygen.h"

#define LINE_SIZE	(PASSPHRASE_MAX + 1)
#define LINE_TOO_LONG	(-2)

static const int tty_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
#define NSIGNALS	(sizeof(tty_signals) / sizeof(tty_signals[0]))

static volatile sig_atomic_t caught_signal;

static void
catch_signal(int sig)
{
	caught_signal = sig;
}

int
have_terminal(void)
{
	int fd;

	if (!isatty(STDIN_FILENO))
		return 0;
	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) == -1)
		return 0;
	close(fd);
	return 1;
}

/*
 * Read one line from fd into buf (LINE_SIZE bytes), one byte at a time
 * so that nothing beyond it is consumed. 0 with the newline removed;
 * LINE_TOO_LONG past PASSPHRASE_MAX bytes; -1 at end of input before any
 * byte, on error or on a caught signal.
 */
static int
read_line(int fd, char *buf)
{
	size_t len = 0;
	ssize_t n;
	char c;

	for (;;) {
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR && !caught_signal)
			continue;
		if (n < 0 || caught_signal)
			return -1;
		if (n == 0 || c == '\n')
			break;
		if (len == PASSPHRASE_MAX)
			return LINE_TOO_LONG;
		buf[len++] = c;
	}
	buf[len] = '\0';
	return n == 0 && len == 0 ? -1 : 0;
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

/* Prompt on /dev/tty and read the answer, echoing it only if echo. */
static int
tty_line(const char *prompt, int echo, char *buf)
{
	struct sigaction old[NSIGNALS];
	struct termios saved, quiet;
	int fd, r, restore;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) == -1)
		return -1;
	restore = !echo && tcgetattr(fd, &saved) == 0;
	set_signals(old);
	if (restore) {
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		(void)tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	(void)!write(fd, prompt, strlen(prompt));
	r = read_line(fd, buf);
	if (restore) {
		(void)tcsetattr(fd, TCSAFLUSH, &saved);
		(void)!write(fd, "\n", 1);
	}
	close(fd);
	restore_signals(old);
	return r;
}

int
ask_yes_no(const char *question)
{
	char answer[LINE_SIZE];

	if (tty_line(question, 1, answer) != 0)
		return 0;
	return answer[0] == 'y' || answer[0] == 'Y';
}

char *
ask_text(const char *question)
{
	char answer[LINE_SIZE];

	if (tty_line(question, 1, answer) != 0)
		return NULL;
	return xstrdup(answer);
}

void
passphrase_free(char *p)
{
	mp_free_secret(p, LINE_SIZE);
}

/* A passphrase from the terminal (from standard input if prompt is
 * NULL) in a fresh allocation, or NULL after saying why. */
static char *
get_line(const char *prompt)
{
	char *p = xmalloc(LINE_SIZE);
	int r;

	if (prompt != NULL)
		r = tty_line(prompt, 0, p);
	else
		r = read_line(STDIN_FILENO, p);
	if (r == 0)
		return p;
	passphrase_free(p);
	if (r == LINE_TOO_LONG)
		log_error("passphrase longer than %d bytes", PASSPHRASE_MAX);
	else if (prompt != NULL)
		log_error("no passphrase read from the terminal");
	else
		log_error("expected a passphrase line on standard input");
	return NULL;
}

/* NULL in *out for an empty passphrase. */
static void
empty_is_none(char **out)
{
	if (*out != NULL && **out == '\0') {
		passphrase_free(*out);
		*out = NULL;
	}
}

static int
no_terminal(void)
{
	log_error("no terminal to ask for a passphrase on; use -n for a key "
	    "without one, or --passphrase-stdin to read it from standard "
	    "input");
	return 1;
}

static int
ask_twice(const char *prompt, char **out)
{
	char *again;
	int same;

	if ((*out = get_line(prompt)) == NULL)
		return 1;
	if ((again = get_line("Enter same passphrase again: ")) == NULL) {
		passphrase_free(*out);
		*out = NULL;
		return 1;
	}
	same = strcmp(*out, again) == 0;
	passphrase_free(again);
	if (!same) {
		passphrase_free(*out);
		*out = NULL;
		log_error("Passphrases do not match; try again");
		return 1;
	}
	empty_is_none(out);
	return 0;
}

int
new_passphrase(enum pass_source src, const char *prompt, char **out)
{
	*out = NULL;
	switch (src) {
	case PASS_NONE:
		return 0;
	case PASS_STDIN:
		if ((*out = get_line(NULL)) == NULL)
			return 1;
		empty_is_none(out);
		return 0;
	case PASS_ASK:
		break;
	}
	if (!have_terminal())
		return no_terminal();
	return ask_twice(prompt, out);
}

int
old_passphrase(enum pass_source src, const char *path, char **out)
{
	char *prompt;

	*out = NULL;
	if (src == PASS_STDIN)
		return (*out = get_line(NULL)) == NULL;
	if (!have_terminal()) {
		log_error("%s is protected by a passphrase and there is no "
		    "terminal to ask for it on; use --passphrase-stdin", path);
		return 1;
	}
	xasprintf(&prompt, "Enter passphrase for %s: ", path);
	*out = get_line(prompt);
	free(prompt);
	return *out == NULL;
}

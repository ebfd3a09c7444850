/* prompt.c: mp-keygen's passphrases and questions: from the terminal with echo off, or a line of standard input. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/secmem.h"
#include "common/ttyprompt.h"
#include "common/xmalloc.h"
#include "keygen/keygen.h"

#define LINE_SIZE	(PASSPHRASE_MAX + 1)

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

int
ask_yes_no(const char *question)
{
	char answer[LINE_SIZE];

	if (tty_prompt(question, 1, answer, sizeof(answer)) != 0)
		return 0;
	return answer[0] == 'y' || answer[0] == 'Y';
}

char *
ask_text(const char *question)
{
	char answer[LINE_SIZE];

	if (tty_prompt(question, 1, answer, sizeof(answer)) != 0)
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
		r = tty_prompt(prompt, 0, p, LINE_SIZE);
	else
		r = tty_read_line(STDIN_FILENO, p, LINE_SIZE);
	if (r == 0)
		return p;
	passphrase_free(p);
	if (r == MP_ERR_TOO_LARGE)
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

/* prompt.c: mp's questions: passphrases from the terminal with echo off or from the MP_ASKPASS program, and answers typed on the terminal. */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "common/err.h"
#include "common/log.h"
#include "common/secmem.h"
#include "common/ttyprompt.h"

/* Whether to ask through MP_ASKPASS rather than on the terminal, as
 * ssh decides with SSH_ASKPASS and SSH_ASKPASS_REQUIRE. */
static int
use_askpass(const char *askpass)
{
	const char *require = getenv("MP_ASKPASS_REQUIRE");

	if (require != NULL && strcmp(require, "never") == 0)
		return 0;
	if (require != NULL && (strcmp(require, "force") == 0 ||
	    strcmp(require, "prefer") == 0))
		return askpass != NULL;
	return askpass != NULL && !isatty(STDIN_FILENO);
}

/* In the child: the program with the prompt, its output into the pipe. */
static void __attribute__((noreturn))
exec_askpass(const char *prog, const char *prompt, int out)
{
	if (dup2(out, STDOUT_FILENO) == -1)
		_exit(127);
	execlp(prog, prog, prompt, (char *)NULL);
	_exit(127);
}

/* The status of child pid once it has ended: 0 if it exited with 0. */
static int
reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The first line the askpass program prints; its failing is no answer. */
static int
run_askpass(const char *prog, const char *prompt, char *buf, size_t size)
{
	int fds[2], r;
	size_t len;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return MP_ERR_SYSTEM;
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return MP_ERR_SYSTEM;
	}
	if (pid == 0)
		exec_askpass(prog, prompt, fds[1]);
	close(fds[1]);
	r = tty_read_line(fds[0], buf, size);
	close(fds[0]);
	if (reap(pid) != 0) {
		log_verbose("%s failed or was cancelled", prog);
		r = MP_ERR_INCOMPLETE;
	}
	if (r == 0 && (len = strlen(buf)) > 0 && buf[len - 1] == '\r')
		buf[len - 1] = '\0';
	return r;
}

int
prompt_passphrase(const char *prompt, char *buf, size_t size)
{
	const char *askpass = getenv("MP_ASKPASS");
	const char *require = getenv("MP_ASKPASS_REQUIRE");
	int r;

	if (askpass != NULL && *askpass == '\0')
		askpass = NULL;
	if (use_askpass(askpass))
		r = run_askpass(askpass, prompt, buf, size);
	else if (require != NULL && strcmp(require, "force") == 0)
		r = MP_ERR_NOT_FOUND;	/* forced, but no program named */
	else
		r = tty_prompt(prompt, 0, buf, size);
	if (r != 0)
		mp_zero(buf, size);
	return r == MP_ERR_SYSTEM ? MP_ERR_INCOMPLETE : r;
}

int
prompt_line(const char *prompt, char *buf, size_t size)
{
	int r = tty_prompt(prompt, 1, buf, size);

	return r == MP_ERR_SYSTEM ? MP_ERR_INCOMPLETE : r;
}

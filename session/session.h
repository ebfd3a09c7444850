/* session.h: the per-user session process: from the monitor's fork to the user's shell. */
#ifndef MP_SESSION_H
#define MP_SESSION_H

#include <pwd.h>

/* Exit status of a session process that failed before its exec. */
#define SESSION_EXIT_FAILURE	254

struct session_params {
	const struct passwd *pw;
	/* 1: become pw's user (the monitor is root); 0: must already be. */
	int		 change_uid;
	/* The PTY slave, or -1 for a session without PTY. */
	int		 pty_slave;
	/* Without PTY: the pipe ends for stdin, stdout, stderr; else -1. */
	int		 in_fd, out_fd, err_fd;
	/* The session environment (common/sessenv.h builds it). */
	char *const	*envp;
	/* NULL or "": the login shell; else shell -c command. */
	const char	*command;
	/* Every descriptor >= this one (at least 3) is closed before exec. */
	int		 close_from;
};

/*
 * Called in the child the monitor forked; never returns. In order: setsid;
 * with a PTY make the slave the controlling terminal and dup it to 0, 1
 * and 2, else dup the three pipe ends; close the descriptors from
 * close_from up (and the originals of 0, 1 and 2); with change_uid
 * setgid, initgroups and setuid, then prove that uid and gid 0 cannot be
 * regained and that every id is the user's; chdir to the home directory
 * (else "/" with a message, as sshd); default signal dispositions and an
 * empty mask; execve of pw_shell ("/bin/sh" if empty) with argv[0]
 * "-<basename>" for a login shell, or {basename, "-c", command}.
 * On failure one line "mps: <what failed>: <why>" goes to the terminal or
 * the stderr pipe and the process exits with SESSION_EXIT_FAILURE.
 */
void	session_exec(const struct session_params *p)
	    __attribute__((noreturn));

#endif

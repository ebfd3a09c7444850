/* utmp.h: login and logout records of a session in utmp and wtmp (utmpx). */
#ifndef MP_MONITOR_UTMP_H
#define MP_MONITOR_UTMP_H

#include <sys/socket.h>
#include <sys/types.h>

/*
 * Write a USER_PROCESS record for tty_name ("/dev/pts/3" or "pts/3") to
 * utmp (pututxline) and append it to wtmp: ut_line without "/dev/",
 * ut_id the pts number as login(1) does (else the line's last four
 * characters), ut_user, ut_host (the client address), ut_addr_v6 from addr
 * (may be NULL), ut_pid = ut_session = pid (the session process), ut_tv
 * now. MP_ERR_SYSTEM with errno when a file cannot be written (expected
 * when not root: callers log it and go on), MP_ERR_INVALID_ARGUMENT.
 * Both files are tried even when the first fails.
 */
int	mutmp_login(const char *tty_name, const char *user, const char *host,
	    pid_t pid, const struct sockaddr *addr);

/* The matching DEAD_PROCESS record (empty user and host) in both files. */
int	mutmp_logout(const char *tty_name, pid_t pid);

/*
 * Use other files than _PATH_UTMP and _PATH_WTMP (tests); NULL restores
 * the default. MP_ERR_TOO_LARGE for a path that does not fit. Files are
 * never created: a missing one is an MP_ERR_SYSTEM with ENOENT.
 */
int	mutmp_set_files(const char *utmp_path, const char *wtmp_path);

#endif

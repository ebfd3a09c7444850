/* sandbox.h: confinement of the network-facing child (seccomp, capabilities, rlimits, uid drop). */
#ifndef MP_SANDBOX_H
#define MP_SANDBOX_H

#include <sys/types.h>

/*
 * Intended order in mps-net, while still root (each step returns 0 or a
 * negative enum mp_err; on any error the child must exit at once):
 *
 *	sandbox_limits_apply(highest_fd, dedicated_user);
 *	sandbox_caps_drop_bound();	   needs CAP_SETPCAP, so before the uid drop
 *	sandbox_drop_to(uid, gid, chroot_dir);
 *	sandbox_caps_clear();
 *	sandbox_seccomp_apply(&fds, debug);  last: it forbids everything above
 *
 * As an ordinary user the same calls apply: drop_to only verifies, the
 * bounding set cannot be reduced (no CAP_SETPCAP) but no_new_privs keeps
 * the process from ever gaining a capability.
 */

/* Exit status of a child whose debug filter trapped a forbidden syscall. */
#define SANDBOX_REPORT_HDR	3	/* bytes before the text of its report */
#define SANDBOX_DEBUG_EXIT	98

struct sandbox_fds {
	int	ioctl_fd;	/* PTY master: TIOCSWINSZ, TCGETS allowed; -1: none */
	int	report_fd;	/* debug mode: forbidden syscalls reported here */
};

/*
 * Sets no_new_privs and loads the seccomp filter of the steady-state loop.
 * Forbidden syscalls kill the process; open/openat/openat2 fail with
 * EACCES. With debug set the default action traps instead: a SIGSYS handler
 * writes "sandbox: forbidden syscall N" as one record of the log pipe's
 * format (SANDBOX_REPORT_HDR bytes: uint16 length, level; then the text)
 * to allowed->report_fd using only write(2) and exits with
 * SANDBOX_DEBUG_EXIT.
 */
int	sandbox_seccomp_apply(const struct sandbox_fds *allowed, int debug);

/* Empties the capability bounding set and the ambient set (needs CAP_SETPCAP). */
int	sandbox_caps_drop_bound(void);
/* Clears the effective, permitted, inheritable and ambient sets; verifies. */
int	sandbox_caps_clear(void);
/* Both of the above, for a caller that changes no uid in between. */
int	sandbox_caps_drop(void);

/*
 * RLIMIT_NOFILE max_fd + 1, RLIMIT_FSIZE 0, RLIMIT_CORE 0 and, when
 * dedicated_user is set, RLIMIT_NPROC 0. The last is only safe for a uid
 * that nothing else runs as (the privsep user): the limit counts every
 * process of the real uid, so as an ordinary user it would break nothing
 * now but describe the user's other processes too; it is then left alone.
 */
int	sandbox_limits_apply(int max_fd, int dedicated_user);

/*
 * Root: chroot(chroot_dir) and chdir("/") when chroot_dir is not NULL (the
 * directory must be owned by root and writable by nobody else), then
 * setgroups(0), setresgid and setresuid to the targets, and proves that
 * uid and gid 0 cannot be regained. Ordinary user: uid and gid must be the
 * caller's own and chroot_dir NULL; nothing changes, the same checks run.
 */
int	sandbox_drop_to(uid_t uid, gid_t gid, const char *chroot_dir);

#endif

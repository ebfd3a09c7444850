/* pty.h: allocation, ownership and release of a session's pseudo-terminal. */
#ifndef MP_MONITOR_PTY_H
#define MP_MONITOR_PTY_H

#include <sys/types.h>

struct mpty {
	int	master;
	int	slave;
	char	name[64];	/* "/dev/pts/3" */
};

/*
 * Open a PTY pair (both close-on-exec, the slave without becoming a
 * controlling terminal), set its window size, and give the slave to uid
 * with group "tty" (gid when there is no such group) and mode 0620.
 * As OpenSSH does, a chown that fails (an ordinary user, or /dev/pts
 * mounted without gid=5) is tolerated when the slave already belongs to
 * uid; the mode is then 0600 unless the group is "tty", so that no group
 * other than "tty" may write to the terminal. On error p->master and
 * p->slave are -1.
 */
int	mpty_open(struct mpty *p, uid_t uid, gid_t gid, unsigned short cols,
	    unsigned short rows, unsigned short xpix, unsigned short ypix);

/*
 * As sshd's pty_release: when root and while one of the descriptors is
 * still open (so the name cannot belong to another session yet), give the
 * slave back to 0:0. The mode becomes 0600, not sshd's 0666: devpts
 * removes the node at the last close, so 0666 would only let any local
 * user open the slave while the master is still held (by the net child or
 * leftover processes) and type into it. 0 when done or nothing to do,
 * MP_ERR_SYSTEM (errno set) when chown or chmod failed.
 */
int	mpty_disown(const struct mpty *p);

/* mpty_disown() (a caller that wants to log its failure calls it first),
 * then close both descriptors that are >= 0 and set them to -1. */
void	mpty_release(struct mpty *p);

#endif

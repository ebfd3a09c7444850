/* pty.c: allocation, ownership and release of a session's pseudo-terminal. */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "common/err.h"
#include "monitor/pty.h"

#define PTY_MODE_TTY	0620	/* group "tty" may write (wall) */
#define PTY_MODE_OWN	0600

static void
close_pair(struct mpty *p)
{
	int saved = errno;

	if (p->slave >= 0)
		(void)close(p->slave);
	if (p->master >= 0)
		(void)close(p->master);
	p->slave = p->master = -1;
	errno = saved;
}

static int
open_pair(struct mpty *p)
{
	int r;

	if ((p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return MP_ERR_SYSTEM;
	if (grantpt(p->master) != 0 || unlockpt(p->master) != 0)
		return MP_ERR_SYSTEM;
	if ((r = ptsname_r(p->master, p->name, sizeof(p->name))) != 0) {
		errno = r;
		return MP_ERR_SYSTEM;
	}
	if ((p->slave = open(p->name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return MP_ERR_SYSTEM;
	return 0;
}

/* A chown refused for lack of privilege or by the filesystem. */
static int
chown_tolerable(int err)
{
	return err == EPERM || err == EROFS || err == EINVAL;
}

/* Give the slave to uid and the tty group (or gid); see pty.h. */
static int
set_owner(const struct mpty *p, uid_t uid, gid_t gid)
{
	const struct group *gr;
	struct stat st;
	gid_t want_gid = gid;
	mode_t mode;

	if ((gr = getgrnam("tty")) != NULL)
		want_gid = gr->gr_gid;
	if (fstat(p->slave, &st) != 0)
		return MP_ERR_SYSTEM;
	if (st.st_uid != uid || st.st_gid != want_gid) {
		if (fchown(p->slave, uid, want_gid) != 0 &&
		    (!chown_tolerable(errno) || st.st_uid != uid))
			return MP_ERR_SYSTEM;
		if (fstat(p->slave, &st) != 0)
			return MP_ERR_SYSTEM;
	}
	mode = (gr != NULL && st.st_gid == want_gid) ?
	    PTY_MODE_TTY : PTY_MODE_OWN;
	if ((st.st_mode & 07777) != mode && fchmod(p->slave, mode) != 0 &&
	    (st.st_mode & 077 & ~mode) != 0)
		return MP_ERR_SYSTEM;	/* still open to others: refuse */
	return 0;
}

int
mpty_open(struct mpty *p, uid_t uid, gid_t gid, unsigned short cols,
    unsigned short rows, unsigned short xpix, unsigned short ypix)
{
	struct winsize ws;
	int r;

	p->master = p->slave = -1;
	p->name[0] = '\0';
	ws.ws_col = cols;
	ws.ws_row = rows;
	ws.ws_xpixel = xpix;
	ws.ws_ypixel = ypix;
	if ((r = open_pair(p)) != 0)
		goto fail;
	if (ioctl(p->master, TIOCSWINSZ, &ws) != 0) {
		r = MP_ERR_SYSTEM;
		goto fail;
	}
	if ((r = set_owner(p, uid, gid)) != 0)
		goto fail;
	return 0;
 fail:
	close_pair(p);
	return r;
}

int
mpty_disown(const struct mpty *p)
{
	if (geteuid() != 0 || p->name[0] == '\0')
		return 0;
	if (p->slave >= 0) {
		if (fchown(p->slave, 0, 0) != 0 ||
		    fchmod(p->slave, PTY_MODE_OWN) != 0)
			return MP_ERR_SYSTEM;
	} else if (p->master >= 0) {
		/* The open master keeps the name ours. */
		if (chown(p->name, 0, 0) != 0 ||
		    chmod(p->name, PTY_MODE_OWN) != 0)
			return MP_ERR_SYSTEM;
	}
	return 0;
}

void
mpty_release(struct mpty *p)
{
	if (p == NULL)
		return;
	if (mpty_disown(p) != 0) {
		/* Nothing more to do; the caller logs via mpty_disown(). */
	}
	close_pair(p);
}

/* drop.c: chroot and permanent uid/gid change of the net child, with an irreversibility proof. */
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <unistd.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* The chroot must be a directory only root can change. */
static int
check_chroot_dir(const char *dir)
{
	struct stat st;

	if (dir[0] != '/')
		return MP_ERR_INVALID_ARGUMENT;
	if (lstat(dir, &st) != 0)
		return MP_ERR_SYSTEM;
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	return 0;
}

static int
do_chroot(const char *dir)
{
	int r;

	if ((r = check_chroot_dir(dir)) != 0)
		return r;
	if (chroot(dir) != 0 || chdir("/") != 0)
		return MP_ERR_SYSTEM;
	return 0;
}

static int
verify_ids(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return MP_ERR_SYSTEM;
	if (ru != uid || eu != uid || su != uid ||
	    rg != gid || eg != gid || sg != gid)
		return MP_ERR_INTERNAL;
	return 0;
}

/*
 * A process that got root back is a bug the caller must not survive:
 * MP_ERR_INTERNAL means exit now.
 */
static int
verify_irreversible(uid_t uid, gid_t gid)
{
	if (gid != 0 && (setgid(0) != -1 || setegid(0) != -1))
		return MP_ERR_INTERNAL;
	if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1))
		return MP_ERR_INTERNAL;
	return verify_ids(uid, gid);
}

static int
drop_root(uid_t uid, gid_t gid, const char *chroot_dir)
{
	int r;

	if (uid == 0 || gid == 0)
		return MP_ERR_INVALID_ARGUMENT;
	if (chroot_dir != NULL && (r = do_chroot(chroot_dir)) != 0)
		return r;
	if (setgroups(0, NULL) != 0)
		return MP_ERR_SYSTEM;
	if (setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
		return MP_ERR_SYSTEM;
	if (getgroups(0, NULL) != 0)
		return MP_ERR_INTERNAL;
	return verify_irreversible(uid, gid);
}

int
sandbox_drop_to(uid_t uid, gid_t gid, const char *chroot_dir)
{
	uid_t ru, eu, su;

	if (getresuid(&ru, &eu, &su) != 0)
		return MP_ERR_SYSTEM;
	if (ru == 0 || eu == 0 || su == 0)
		return drop_root(uid, gid, chroot_dir);
	/* Ordinary user: nothing to change, only to prove. */
	if (chroot_dir != NULL || uid != ru || gid != getgid())
		return MP_ERR_INVALID_ARGUMENT;
	return verify_irreversible(uid, gid);
}

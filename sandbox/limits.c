/* limits.c: resource limits of the net child (descriptors, files, processes, core dumps). */
#include <sys/resource.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* Sets soft and hard limit, then reads them back. */
static int
set_limit(int resource, rlim_t value)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = value;
	if (setrlimit(resource, &rl) != 0)
		return MP_ERR_SYSTEM;
	if (getrlimit(resource, &rl) != 0)
		return MP_ERR_SYSTEM;
	if (rl.rlim_cur != value || rl.rlim_max != value)
		return MP_ERR_INTERNAL;
	return 0;
}

int
sandbox_limits_apply(int max_fd, int dedicated_user)
{
	int r;

	if (max_fd < 0)
		return MP_ERR_INVALID_ARGUMENT;
	/* No core dump: the child's memory holds session keys. */
	if ((r = set_limit(RLIMIT_CORE, 0)) != 0)
		return r;
	if ((r = set_limit(RLIMIT_FSIZE, 0)) != 0)
		return r;
	if ((r = set_limit(RLIMIT_NOFILE, (rlim_t)max_fd + 1)) != 0)
		return r;
	if (dedicated_user && (r = set_limit(RLIMIT_NPROC, 0)) != 0)
		return r;
	return 0;
}

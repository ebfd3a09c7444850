/* caps.c: empties every capability set of the net child with libcap. */
#include <sys/prctl.h>

#include <errno.h>
#include <unistd.h>

#include <sys/capability.h>

#include "common/err.h"
#include "sandbox/sandbox.h"

/* Highest capability number known to the running kernel, plus one. */
static int
cap_count(void)
{
	int n = (int)cap_max_bits();

	return n > 0 ? n : CAP_LAST_CAP + 1;
}

static int
clear_ambient(void)
{
	/* Kernels before 4.3 have no ambient set: nothing to clear. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
	    errno != EINVAL)
		return MP_ERR_SYSTEM;
	return 0;
}

int
sandbox_caps_drop_bound(void)
{
	cap_value_t c;
	int n = cap_count();

	for (c = 0; c < n; c++) {
		if (cap_get_bound(c) == 0)
			continue;
		if (cap_drop_bound(c) != 0) {
			/* An ordinary user cannot shrink it; see sandbox.h. */
			if (errno == EPERM && geteuid() != 0)
				break;
			return MP_ERR_SYSTEM;
		}
		if (cap_get_bound(c) != 0)
			return MP_ERR_INTERNAL;
	}
	return clear_ambient();
}

static int
verify_empty(void)
{
	cap_t now, empty;
	int r;

	if ((now = cap_get_proc()) == NULL)
		return MP_ERR_ALLOC;
	if ((empty = cap_init()) == NULL) {
		cap_free(now);
		return MP_ERR_ALLOC;
	}
	r = cap_compare(now, empty) == 0 ? 0 : MP_ERR_INTERNAL;
	cap_free(empty);
	cap_free(now);
	return r;
}

int
sandbox_caps_clear(void)
{
	cap_t caps;
	int r;

	if ((r = clear_ambient()) != 0)
		return r;
	if ((caps = cap_get_proc()) == NULL)
		return MP_ERR_ALLOC;
	r = (cap_clear(caps) == 0 && cap_set_proc(caps) == 0) ?
	    0 : MP_ERR_SYSTEM;
	cap_free(caps);
	if (r != 0)
		return r;
	return verify_empty();
}

int
sandbox_caps_drop(void)
{
	int r;

	if ((r = sandbox_caps_drop_bound()) != 0)
		return r;
	return sandbox_caps_clear();
}

/* moncaps.c: the per-connection monitor gives up every capability it does not use (the bounding set stays whole, so setuid programs in sessions work). */
#include <sys/capability.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "monitor/monitor.h"

/*
 * What the monitor and the processes it forks before they drop do as
 * root: change uids and gids (session process, reading authorized_keys
 * as the user), chown the PTY, read users' files, signal the user's
 * session, chroot and lower the bounding set in the net child before its
 * exec (exec as root regains the bounding set anyway), raise limits and
 * write audit records and the login uid for PAM, bind low UDP ports if
 * the range says so.
 */
static const cap_value_t kept[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER,
	CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
	CAP_SYS_CHROOT, CAP_SYS_RESOURCE, CAP_AUDIT_WRITE, CAP_AUDIT_CONTROL,
};

/* Those of kept[] the process has now (a container may withhold some). */
static size_t
kept_now(cap_value_t *out)
{
	cap_flag_value_t v;
	cap_t cur;
	size_t i, n = 0;

	if ((cur = cap_get_proc()) == NULL)
		return 0;
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (cap_get_flag(cur, kept[i], CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			out[n++] = kept[i];
	cap_free(cur);
	return n;
}

int
monitor_drop_capabilities(void)
{
	cap_value_t have[sizeof(kept) / sizeof(kept[0])];
	cap_t caps;
	int r = 0;
	size_t n;

	if (geteuid() != 0)
		return 0;
	n = kept_now(have);
	if ((caps = cap_init()) == NULL)
		return MP_ERR_ALLOC;
	if ((n > 0 && (cap_set_flag(caps, CAP_EFFECTIVE, (int)n, have,
	    CAP_SET) != 0 || cap_set_flag(caps, CAP_PERMITTED, (int)n, have,
	    CAP_SET) != 0)) || cap_set_proc(caps) != 0) {
		log_error("cannot drop the monitor's capabilities: %s",
		    strerror(errno));
		r = MP_ERR_SYSTEM;
	}
	cap_free(caps);
	return r;
}

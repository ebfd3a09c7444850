/* monitor_wrap.c: the net child's side of the monitor messages: one request, one answer of the next type. */
#include <stdlib.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "privsep/net.h"

void
net_expect(uint16_t type, struct buf *msg)
{
	uint16_t got;
	int r;

	if ((r = ipc_recv(MON_FD_IPC, &got, msg, NULL)) != 0) {
		if (r == MP_ERR_NOT_FOUND)
			exit(NET_EXIT_MONITOR);	/* the monitor is gone */
		log_error("reading from the monitor: %s", mp_strerror(r));
		exit(NET_EXIT_MONITOR);
	}
	if (got != type) {
		log_error("monitor sent message %u, expected %u", got, type);
		exit(NET_EXIT_MONITOR);
	}
}

void
net_call(uint16_t type, const struct buf *req, struct buf *ans)
{
	int r;

	if ((r = ipc_send(MON_FD_IPC, type, req, -1)) != 0) {
		log_error("writing to the monitor: %s", mp_strerror(r));
		exit(NET_EXIT_MONITOR);
	}
	net_expect(type + 1, ans);
}

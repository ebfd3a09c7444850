/* net.h: the net child (mps-net): its two phases and its side of the monitor messages. */
#ifndef MP_NET_H
#define MP_NET_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/monmsg.h"

/*
 * Exit statuses of mps-net, read by the monitor (penalties, log lines).
 * Whatever the child says is only a hint: the monitor decides on its own
 * state, never on a claim of the child.
 */
#define NET_EXIT_OK		0	/* keys exported / session ended */
#define NET_EXIT_CLOSED		1	/* the peer went away or spoke wrongly */
#define NET_EXIT_AUTHFAIL	2	/* too many authentication failures */
#define NET_EXIT_GRACE		3	/* login grace time */
#define NET_EXIT_MONITOR	4	/* the monitor went away or answered wrongly */
#define NET_EXIT_CONFINE	5	/* the sandbox could not be set up */

/* Send a request of type and wait for the answer of type + 1 into ans
 * (emptied first). Any other answer, or a closed monitor, ends the child. */
void net_call(uint16_t type, const struct buf *req, struct buf *ans);
/* Receive one message of the given type from the monitor, else exit. */
void net_expect(uint16_t type, struct buf *msg);

int net_preauth(const struct mon_config *cfg);
int net_session(const struct mon_config *cfg);

#endif

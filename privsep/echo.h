/* echo.h: what mps-net tells the client's prediction: how much of its input has had time to be echoed, and whether the terminal echoes at all. */
#ifndef MP_PRIVSEP_ECHO_H
#define MP_PRIVSEP_ECHO_H

#include <stdint.h>

#include "common/proto/channel.h"

#define ECHO_SETTLE_MS	50	/* input older than this shows its echo */
#define ECHO_MARKS	64

struct echo {
	struct {
		uint64_t offset;	/* input written up to here ... */
		uint64_t at;		/* ... at this time */
	} mark[ECHO_MARKS];
	unsigned int nmark;
	uint64_t written;		/* input bytes given to the PTY */
	uint64_t acked;			/* reported as settled */
	int echo_off;
};

/* n more input bytes went to the PTY at now. */
void echo_written(struct echo *e, uint64_t n, uint64_t now);
/* Report what settled by now and the PTY's echo flag (pty_fd the
 * master, read with TCGETS) to the channel. */
void echo_run(struct echo *e, struct chan *c, int pty_fd, uint64_t now);
/* Milliseconds until echo_run() has something to report, or -1. */
int echo_timeout_ms(const struct echo *e, uint64_t now);

#endif

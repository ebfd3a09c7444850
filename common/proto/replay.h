/* replay.h: the UDP receiver's sliding replay window of 1024 sequence numbers (PROTOCOL.md 3.2). */
#ifndef MP_REPLAY_H
#define MP_REPLAY_H

#include <stdint.h>

/*
 * The window remembers the highest sequence number accepted and which of
 * the REPLAY_WINDOW numbers ending with it (the highest included) have
 * been seen. A number is acceptable once: newer than the highest, or at
 * most REPLAY_WINDOW - 1 behind it and not yet seen. Every 64-bit value
 * is valid, 0 included; nothing has been seen after replay_init().
 *
 * replay_check() has no side effects, so a receiver can drop stale
 * records before spending work on them; replay_update() is called only
 * once a record has authenticated, and checks again before it marks.
 */

#define REPLAY_WINDOW	1024	/* a multiple of 64 */

struct replay {
	uint64_t top;		/* highest number accepted */
	int empty;		/* nothing accepted yet */
	uint64_t bits[REPLAY_WINDOW / 64];	/* seen, indexed by seq mod window */
};

void replay_init(struct replay *w);
/* 0 if seq would be accepted; MP_ERR_EXISTS if it was seen or is too old. */
int replay_check(const struct replay *w, uint64_t seq);
/* Accept seq: 1 if it is the new highest, 0 if it is an older one filled
 * in, MP_ERR_EXISTS (window unchanged) if replay_check() refuses it. */
int replay_update(struct replay *w, uint64_t seq);

#endif

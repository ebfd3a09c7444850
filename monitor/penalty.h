/* penalty.h: per-source penalties of the listener (crashes, failed authentication, grace time), as OpenSSH's PerSourcePenalties. */
#ifndef MP_PENALTY_H
#define MP_PENALTY_H

#include <sys/socket.h>

#include <stdint.h>

#define PENALTY_SLOTS		512
#define PENALTY_CRASH_S		90
#define PENALTY_AUTHFAIL_S	5
#define PENALTY_NOAUTH_S	1
#define PENALTY_GRACE_S		10
#define PENALTY_MAX_S		600	/* a source is never owed more */
#define PENALTY_MIN_S		15	/* refused once it owes more than this */

/*
 * Sources are IPv4 addresses and IPv6 /64 prefixes (one host usually
 * owns a whole /64). The table is fixed-size; when full, the entry that
 * expires first makes room.
 */
struct penalty_slot {
	uint8_t key[17];	/* family byte, then the masked address */
	uint64_t until_ms;	/* 0: free */
};

struct penalties {
	struct penalty_slot slot[PENALTY_SLOTS];
};

/* Add seconds of penalty to the source of sa at now_ms. */
void penalty_add(struct penalties *p, const struct sockaddr *sa,
    unsigned seconds, uint64_t now_ms);
/* Seconds the source still owes if it is to be refused now, else 0. */
unsigned penalty_refuse(struct penalties *p, const struct sockaddr *sa,
    uint64_t now_ms);

#endif

/* penalty.c: the listener's per-source penalty table. */
#include <netinet/in.h>

#include <string.h>

#include "monitor/penalty.h"

static int
source_key(const struct sockaddr *sa, uint8_t key[17])
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

	memset(key, 0, 17);
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &s4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		key[0] = 4;
		memcpy(key + 1, &s6->sin6_addr.s6_addr[12], 4);
		return 0;
	}
	key[0] = 6;
	memcpy(key + 1, &s6->sin6_addr, 8);	/* the /64 */
	return 0;
}

static struct penalty_slot *
find(struct penalties *p, const uint8_t key[17], uint64_t now_ms)
{
	size_t i;

	for (i = 0; i < PENALTY_SLOTS; i++)
		if (p->slot[i].until_ms > now_ms &&
		    memcmp(p->slot[i].key, key, 17) == 0)
			return &p->slot[i];
	return NULL;
}

static struct penalty_slot *
take(struct penalties *p, uint64_t now_ms)
{
	struct penalty_slot *best = &p->slot[0];
	size_t i;

	for (i = 0; i < PENALTY_SLOTS; i++) {
		if (p->slot[i].until_ms <= now_ms)
			return &p->slot[i];
		if (p->slot[i].until_ms < best->until_ms)
			best = &p->slot[i];
	}
	return best;
}

void
penalty_add(struct penalties *p, const struct sockaddr *sa, unsigned seconds,
    uint64_t now_ms)
{
	struct penalty_slot *s;
	uint8_t key[17];
	uint64_t until, cap = now_ms + PENALTY_MAX_S * 1000ull;

	if (source_key(sa, key) != 0 || seconds == 0)
		return;
	if ((s = find(p, key, now_ms)) == NULL) {
		s = take(p, now_ms);
		memcpy(s->key, key, sizeof(key));
		s->until_ms = now_ms;
	}
	until = s->until_ms + seconds * 1000ull;
	s->until_ms = until < cap ? until : cap;
}

unsigned
penalty_refuse(struct penalties *p, const struct sockaddr *sa,
    uint64_t now_ms)
{
	struct penalty_slot *s;
	uint8_t key[17];

	if (source_key(sa, key) != 0 || (s = find(p, key, now_ms)) == NULL)
		return 0;
	if (s->until_ms - now_ms <= PENALTY_MIN_S * 1000ull)
		return 0;
	return (unsigned)((s->until_ms - now_ms + 999) / 1000);
}

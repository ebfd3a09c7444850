/* replay.c: the sliding replay window, a ring bitmap indexed by sequence number. */
#include <string.h>

#include "common/err.h"
#include "common/proto/replay.h"

#define WORDS	(REPLAY_WINDOW / 64)

void
replay_init(struct replay *w)
{
	memset(w, 0, sizeof(*w));
	w->empty = 1;
}

static uint64_t *
word_of(struct replay *w, uint64_t seq)
{
	return &w->bits[(seq / 64) % WORDS];
}

static uint64_t
bit_of(uint64_t seq)
{
	return 1ull << (seq % 64);
}

int
replay_check(const struct replay *w, uint64_t seq)
{
	if (w->empty || seq > w->top)
		return 0;
	if (w->top - seq >= REPLAY_WINDOW)
		return MP_ERR_EXISTS;
	if (w->bits[(seq / 64) % WORDS] & bit_of(seq))
		return MP_ERR_EXISTS;
	return 0;
}

/* Forget the numbers in [from, to): their slots now stand for new ones. */
static void
clear_range(struct replay *w, uint64_t from, uint64_t to)
{
	if (to - from >= REPLAY_WINDOW) {
		memset(w->bits, 0, sizeof(w->bits));
		return;
	}
	while (from < to) {
		if (from % 64 == 0 && to - from >= 64) {
			*word_of(w, from) = 0;
			from += 64;
		} else {
			*word_of(w, from) &= ~bit_of(from);
			from++;
		}
	}
}

int
replay_update(struct replay *w, uint64_t seq)
{
	int newest;

	if (replay_check(w, seq) != 0)
		return MP_ERR_EXISTS;
	newest = w->empty || seq > w->top;
	if (newest) {
		if (!w->empty)
			clear_range(w, w->top + 1, seq);
		w->top = seq;
		w->empty = 0;
	}
	*word_of(w, seq) |= bit_of(seq);
	return newest;
}

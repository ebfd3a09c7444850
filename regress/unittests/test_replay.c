/* test_replay.c: the replay window at its edges, after jumps and against a simple reference model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/proto/replay.h"

static void
test_seq_zero_and_duplicates(void **state)
{
	struct replay w;

	(void)state;
	replay_init(&w);
	assert_int_equal(replay_check(&w, 0), 0);
	assert_int_equal(replay_update(&w, 0), 1);
	assert_int_equal(replay_check(&w, 0), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, 0), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, 1), 1);
	assert_int_equal(replay_update(&w, 1), MP_ERR_EXISTS);
}

static void
assert_same_window(const struct replay *a, const struct replay *b)
{
	assert_true(a->top == b->top);
	assert_int_equal(a->empty, b->empty);
	assert_memory_equal(a->bits, b->bits, sizeof(a->bits));
}

static void
test_check_has_no_side_effects(void **state)
{
	struct replay w, before;

	(void)state;
	replay_init(&w);
	assert_int_equal(replay_update(&w, 10), 1);
	before = w;
	assert_int_equal(replay_check(&w, 5), 0);
	assert_int_equal(replay_check(&w, 11), 0);
	assert_same_window(&w, &before);
	/* A refused update leaves the window as it was. */
	assert_int_equal(replay_update(&w, 10), MP_ERR_EXISTS);
	assert_same_window(&w, &before);
}

static void
test_window_edge(void **state)
{
	struct replay w;

	(void)state;
	replay_init(&w);
	assert_int_equal(replay_update(&w, 2000), 1);
	assert_int_equal(replay_check(&w, 2000 - 1024), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, 2000 - 1024), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, 2000 - 1023), 0);
	assert_int_equal(replay_update(&w, 2000 - 1023), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, 1999), 0);
	/* Moving the top by one pushes 977 out of the window. */
	assert_int_equal(replay_update(&w, 2001), 1);
	assert_int_equal(replay_check(&w, 2001 - 1024), MP_ERR_EXISTS);
	assert_int_equal(replay_check(&w, 2001 - 1023), 0);
}

static void
test_ring_slots_reused(void **state)
{
	struct replay w;
	uint64_t s;

	(void)state;
	replay_init(&w);
	for (s = 0; s < 1024; s++)
		assert_int_equal(replay_update(&w, s), 1);
	/* Top 1523: 1024..1522 were never seen, though their slots held
	 * 0..498 which were; 500 is too old, 501..1023 are duplicates. */
	assert_int_equal(replay_update(&w, 1523), 1);
	for (s = 1024; s < 1523; s++)
		assert_int_equal(replay_check(&w, s), 0);
	assert_int_equal(replay_check(&w, 499), MP_ERR_EXISTS);
	assert_int_equal(replay_check(&w, 500), MP_ERR_EXISTS);
	for (s = 501; s < 1024; s++)
		assert_int_equal(replay_check(&w, s), MP_ERR_EXISTS);
	for (s = 1024; s < 1523; s++)
		assert_int_equal(replay_update(&w, s), 0);
	for (s = 500; s <= 1523; s++)
		assert_int_equal(replay_check(&w, s), MP_ERR_EXISTS);
}

static void
test_jumps(void **state)
{
	struct replay w;
	uint64_t s, big = 1000000000000ull;

	(void)state;
	replay_init(&w);
	for (s = 0; s < 100; s++)
		assert_int_equal(replay_update(&w, s), 1);
	assert_int_equal(replay_update(&w, big), 1);
	for (s = 0; s < 100; s++)
		assert_int_equal(replay_check(&w, s), MP_ERR_EXISTS);
	/* The jump forgot everything: the slots below are all free. */
	for (s = big - 1023; s < big; s++)
		assert_int_equal(replay_check(&w, s), 0);
	/* Exactly one window ahead. */
	assert_int_equal(replay_update(&w, big + 1024), 1);
	assert_int_equal(replay_check(&w, big), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, big + 1), 0);
	/* Exactly one window less one. */
	assert_int_equal(replay_update(&w, big + 2047), 1);
	assert_int_equal(replay_check(&w, big + 1024), MP_ERR_EXISTS);
	assert_int_equal(replay_check(&w, big + 1023), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, big + 1025), 0);
	/* To the very top of the 64-bit range. */
	assert_int_equal(replay_update(&w, UINT64_MAX), 1);
	assert_int_equal(replay_update(&w, UINT64_MAX), MP_ERR_EXISTS);
	assert_int_equal(replay_update(&w, UINT64_MAX - 1023), 0);
	assert_int_equal(replay_check(&w, UINT64_MAX - 1024), MP_ERR_EXISTS);
	assert_int_equal(replay_check(&w, 0), MP_ERR_EXISTS);
}

static void
test_first_seq_large(void **state)
{
	struct replay w;

	(void)state;
	replay_init(&w);
	assert_int_equal(replay_update(&w, UINT64_MAX), 1);
	assert_int_equal(replay_update(&w, UINT64_MAX - 1), 0);
	replay_init(&w);
	assert_int_equal(replay_update(&w, 5), 1);
	assert_int_equal(replay_update(&w, 0), 0);
	assert_int_equal(replay_update(&w, 0), MP_ERR_EXISTS);
}

/* ---- randomized comparison with a reference model ------------------- */

#define MODEL_SPAN	(1u << 25)	/* seqs the model can hold */
#define MODEL_OPS	100000

/* The rule written out plainly: a set of every seq ever accepted. */
struct model {
	uint8_t *seen;			/* bitset over [0, MODEL_SPAN) */
	uint64_t max;
	int any;
};

static int
model_seen(const struct model *m, uint64_t s)
{
	return (m->seen[s / 8] >> (s % 8)) & 1;
}

/* What replay_check() should answer. */
static int
model_check(const struct model *m, uint64_t s)
{
	if (!m->any || s > m->max)
		return 0;
	if (m->max - s >= 1024 || model_seen(m, s))
		return MP_ERR_EXISTS;
	return 0;
}

/* What replay_update() should answer, applying it. */
static int
model_update(struct model *m, uint64_t s)
{
	int newest;

	if (model_check(m, s) != 0)
		return MP_ERR_EXISTS;
	newest = !m->any || s > m->max;
	if (newest)
		m->max = s;
	m->any = 1;
	m->seen[s / 8] |= (uint8_t)(1u << (s % 8));
	return newest;
}

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A seq mostly near the model's top, sometimes far behind or ahead. */
static uint64_t
pick_seq(const struct model *m, uint64_t *rng)
{
	uint64_t r = xorshift(rng), top = m->max;

	switch (r % 8) {
	case 0:
		return top + (r >> 8) % 3000;
	case 1:
		return (r >> 8) % (top + 1);
	default:
		return top > 1100 ? top - 1100 + (r >> 8) % 1110 :
		    (r >> 8) % 1110;
	}
}

static void
test_random_against_model(void **state)
{
	struct model m = { NULL, 0, 0 };
	struct replay w;
	uint64_t rng = 0x9e3779b97f4a7c15ull, s;
	unsigned i, accepted = 0;
	int want;

	(void)state;
	m.seen = calloc(MODEL_SPAN / 8, 1);
	assert_non_null(m.seen);
	replay_init(&w);
	for (i = 0; i < MODEL_OPS; i++) {
		s = pick_seq(&m, &rng);
		assert_true(s < MODEL_SPAN);
		if (xorshift(&rng) & 1) {
			want = model_check(&m, s);
			assert_int_equal(replay_check(&w, s), want);
		} else {
			want = model_update(&m, s);
			assert_int_equal(replay_update(&w, s), want);
			accepted += want >= 0;
		}
	}
	/* The run must exercise both outcomes a fair number of times. */
	assert_true(accepted > MODEL_OPS / 10);
	assert_true(accepted < MODEL_OPS / 2);
	free(m.seen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_zero_and_duplicates),
		cmocka_unit_test(test_check_has_no_side_effects),
		cmocka_unit_test(test_window_edge),
		cmocka_unit_test(test_ring_slots_reused),
		cmocka_unit_test(test_jumps),
		cmocka_unit_test(test_first_seq_large),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}

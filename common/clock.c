/* clock.c: monotonic time helpers. */
#include <time.h>

#include "common/clock.h"

uint64_t
mp_monotonic_ns(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
mp_monotonic_ms(void)
{
	return mp_monotonic_ns() / 1000000u;
}

/* clock.h: monotonic time helpers. */
#ifndef MP_CLOCK_H
#define MP_CLOCK_H

#include <stdint.h>

uint64_t mp_monotonic_ns(void);	/* CLOCK_MONOTONIC in nanoseconds */
uint64_t mp_monotonic_ms(void);	/* the same in milliseconds */

#endif

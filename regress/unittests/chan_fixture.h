/* chan_fixture.h: pieces the channel and stream tests and the channel fuzzer share: fixed session keys and a deterministic byte pattern. */
#ifndef MP_CHAN_FIXTURE_H
#define MP_CHAN_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto/handshake.h"

/* Session keys for aes256-gcm-siv with the implicit MAC: every c2s key
 * byte 0x11, every s2c byte 0x22, the rest zero. */
void chfx_keys(struct hs_keys *k);

/* Fill p with len pseudo-random bytes, the same for the same seed. */
void chfx_pattern(uint8_t *p, size_t len, uint32_t seed);

#endif

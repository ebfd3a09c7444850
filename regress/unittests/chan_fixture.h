/* chan_fixture.h: pieces the channel, stream and monitor-message tests and the channel fuzzer share: fixed session keys and a deterministic byte pattern. */
#ifndef MP_CHAN_FIXTURE_H
#define MP_CHAN_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto/handshake.h"

/* Session keys for aes256-gcm-siv with the implicit MAC: every c2s key
 * byte 0x11, every s2c byte 0x22, the rest zero. */
void chfx_keys(struct hs_keys *k);

/* A complete key set as a net child exports it after a new session:
 * the default algorithm names, H and the session id all 0x11 (32
 * bytes), c2s key 0x33, s2c key 0x44, resume secret 0x55. */
void chfx_session_keys(struct hs_keys *k);

/* Fill p with len pseudo-random bytes, the same for the same seed. */
void chfx_pattern(uint8_t *p, size_t len, uint32_t seed);

#endif

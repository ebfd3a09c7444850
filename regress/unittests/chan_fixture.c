/* chan_fixture.c: pieces the channel, stream and monitor-message tests and the channel fuzzer share: fixed session keys and a deterministic byte pattern. */
#include <string.h>

#include "regress/unittests/chan_fixture.h"

void
chfx_keys(struct hs_keys *k)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->aead, "aes256-gcm-siv");
	strcpy(k->mac, "implicit");
	k->key_len = 32;
	memset(k->c2s_key, 0x11, sizeof(k->c2s_key));
	memset(k->s2c_key, 0x22, sizeof(k->s2c_key));
}

void
chfx_session_keys(struct hs_keys *k)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->kex, "mlkem768x25519-sha256");
	strcpy(k->hostkey, "ed25519");
	strcpy(k->aead, "aes256-gcm-siv");
	strcpy(k->mac, "implicit");
	strcpy(k->kdf, "hkdf-sha256");
	k->h_len = k->session_id_len = 32;
	memset(k->h, 0x11, 32);
	memset(k->session_id, 0x11, 32);
	k->key_len = 32;
	memset(k->c2s_key, 0x33, 32);
	memset(k->s2c_key, 0x44, 32);
	memset(k->resume, 0x55, sizeof(k->resume));
}

void
chfx_pattern(uint8_t *p, size_t len, uint32_t seed)
{
	uint32_t x = seed;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
}

/* fuzz_record.c: libFuzzer harness for rec_open() on hostile datagrams, and the seal-then-open property. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"
#include "common/proto/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static const char *aeads[] = {
	"aes256-gcm-siv", "aes256-gcm", "chacha20-poly1305", "aes128-gcm-siv",
};
static const char *macs[] = { "implicit", "hmac-sha256", "hmac-sha512" };

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/*
 * Fixed keys for combination i (aead i / 3, mac i % 3): every key byte
 * of c2s is 0x11, s2c 0x22, and the MAC keys 0x33 and 0x44. The seed
 * corpus holds records sealed by a client with these keys, after a
 * selector byte.
 */
static void
fixed_keys(struct hs_keys *k, unsigned i)
{
	enum hash_alg alg;
	int is_hmac;

	memset(k, 0, sizeof(*k));
	strcpy(k->aead, aeads[i / 3]);
	strcpy(k->mac, macs[i % 3]);
	k->key_len = aead_by_name(k->aead)->key_len;
	check(mac_by_name(k->mac, &is_hmac, &alg) == 0);
	k->mac_len = is_hmac ? hash_len(alg) : 0;
	memset(k->c2s_key, 0x11, sizeof(k->c2s_key));
	memset(k->s2c_key, 0x22, sizeof(k->s2c_key));
	memset(k->c2s_mac, 0x33, sizeof(k->c2s_mac));
	memset(k->s2c_mac, 0x44, sizeof(k->s2c_mac));
}

static uint64_t
total(const struct rec_stats *s)
{
	return s->too_short + s->too_long + s->bad_version + s->replayed +
	    s->bad_mac + s->bad_tag + s->accepted;
}

/* Whatever arrives: no crash, every datagram counted once, and an
 * accepted one refused the second time. */
static void
open_hostile(struct rec_ctx *r, const uint8_t *dg, size_t len)
{
	uint8_t out[REC_DATAGRAM_MAX];
	size_t n = 0;
	int newest = 0, ret;

	ret = rec_open(r, dg, len, out, sizeof(out), &n, &newest);
	check(total(rec_stats(r)) == 1);
	if (ret != 0)
		return;
	check(n == len - rec_overhead(r) && newest == 1);
	check(rec_open(r, dg, len, out, sizeof(out), &n, &newest) != 0);
	check(rec_stats(r)->replayed == 1);
}

/* Sealing any payload that fits and opening it gives it back; a flipped
 * bit (chosen by the input) makes it fail. */
static void
seal_open(struct rec_ctx *tx, struct rec_ctx *rx, const uint8_t *pt,
    size_t len)
{
	uint8_t dg[REC_DATAGRAM_MAX], out[REC_DATAGRAM_MAX];
	size_t n = 0, m = 0, bit;
	int newest = 0;

	if (len > rec_max_payload(tx))
		len = rec_max_payload(tx);
	check(rec_seal(tx, pt, len, dg, sizeof(dg), &n) == 0);
	check(n == len + rec_overhead(tx));
	bit = len > 0 ? (pt[0] * 256u + pt[len - 1]) % (n * 8) : 0;
	dg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	check(rec_open(rx, dg, n, out, sizeof(out), &m, &newest) != 0);
	dg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	check(rec_open(rx, dg, n, out, sizeof(out), &m, &newest) == 0);
	check(m == len && newest == 1 && memcmp(out, pt, len) == 0);
	check(rec_open(tx, dg, n, out, sizeof(out), &m, &newest) != 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rec_ctx *server, *fresh, *client;
	struct hs_keys k;

	if (len < 1)
		return 0;
	check(mp_crypto_init() == 0);
	fixed_keys(&k, data[0] % 12u);
	server = rec_new(&k, 1);
	fresh = rec_new(&k, 1);
	client = rec_new(&k, 0);
	check(server != NULL && fresh != NULL && client != NULL);
	open_hostile(server, data + 1, len - 1);
	seal_open(client, fresh, data + 1, len - 1);
	rec_free(server);
	rec_free(fresh);
	rec_free(client);
	return 0;
}

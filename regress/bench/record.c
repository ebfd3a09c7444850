/* record.c: benchmark of sealing and opening UDP records for every aead and mac, at a keystroke-sized and a full payload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"
#include "common/proto/record.h"

#define BENCH_NS	200000000ull	/* each figure runs ~0.2 s */
#define POOL		256		/* records sealed ahead for opening */
#define SMALL		100

static const char *aeads[] = {
	"aes256-gcm-siv", "aes256-gcm", "chacha20-poly1305", "aes128-gcm-siv",
};
static const char *macs[] = { "implicit", "hmac-sha256", "hmac-sha512" };

struct bench {
	struct rec_ctx *client, *server;
	uint8_t pt[REC_DATAGRAM_MAX];
	uint8_t (*pool)[REC_DATAGRAM_MAX];
	size_t len[POOL];
};

static void
fail(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s\n", what, mp_strerror(err));
	exit(1);
}

static void
bench_init(struct bench *b, const char *aead, const char *mac)
{
	struct hs_keys k;
	enum hash_alg alg;
	int is_hmac;

	memset(&k, 0, sizeof(k));
	snprintf(k.aead, sizeof(k.aead), "%s", aead);
	snprintf(k.mac, sizeof(k.mac), "%s", mac);
	k.key_len = aead_by_name(aead)->key_len;
	if (mac_by_name(mac, &is_hmac, &alg) != 0)
		fail(mac, MP_ERR_UNKNOWN_ALGORITHM);
	k.mac_len = is_hmac ? hash_len(alg) : 0;
	mp_random(k.c2s_key, sizeof(k.c2s_key));
	mp_random(k.s2c_key, sizeof(k.s2c_key));
	mp_random(k.c2s_mac, sizeof(k.c2s_mac));
	mp_random(k.s2c_mac, sizeof(k.s2c_mac));
	b->client = rec_new(&k, 0);
	b->server = rec_new(&k, 1);
	if (b->client == NULL || b->server == NULL)
		fail("rec_new", MP_ERR_INTERNAL);
	mp_random(b->pt, sizeof(b->pt));
	if ((b->pool = malloc(POOL * sizeof(*b->pool))) == NULL)
		fail("malloc", MP_ERR_ALLOC);
}

static void
bench_free(struct bench *b)
{
	rec_free(b->client);
	rec_free(b->server);
	free(b->pool);
}

/* Nanoseconds per rec_seal() of len bytes. */
static double
seal_ns(struct bench *b, size_t len)
{
	uint64_t start = mp_monotonic_ns(), elapsed;
	unsigned long n = 0, i;
	int r;

	do {
		for (i = 0; i < POOL; i++)
			if ((r = rec_seal(b->client, b->pt, len, b->pool[0],
			    REC_DATAGRAM_MAX, &b->len[0])) != 0)
				fail("rec_seal", r);
		n += POOL;
		elapsed = mp_monotonic_ns() - start;
	} while (elapsed < BENCH_NS);
	return (double)elapsed / (double)n;
}

/* Nanoseconds per rec_open() of a fresh len-byte record; the records
 * are sealed ahead, off the clock, as each opens only once. */
static double
open_ns(struct bench *b, size_t len)
{
	uint8_t out[REC_DATAGRAM_MAX];
	uint64_t elapsed = 0, t;
	unsigned long n = 0, i;
	size_t m;
	int r, newest;

	do {
		for (i = 0; i < POOL; i++)
			if ((r = rec_seal(b->client, b->pt, len, b->pool[i],
			    REC_DATAGRAM_MAX, &b->len[i])) != 0)
				fail("rec_seal", r);
		t = mp_monotonic_ns();
		for (i = 0; i < POOL; i++)
			if ((r = rec_open(b->server, b->pool[i], b->len[i], out,
			    sizeof(out), &m, &newest)) != 0)
				fail("rec_open", r);
		elapsed += mp_monotonic_ns() - t;
		n += POOL;
	} while (elapsed < BENCH_NS);
	return (double)elapsed / (double)n;
}

static void
row(const char *aead, const char *mac)
{
	struct bench b;
	size_t max;

	bench_init(&b, aead, mac);
	max = rec_max_payload(b.client);
	printf("%-18s %-12s %9.0f %9.0f %9.0f %9.0f\n", aead, mac,
	    seal_ns(&b, SMALL), open_ns(&b, SMALL), seal_ns(&b, max),
	    open_ns(&b, max));
	bench_free(&b);
}

int
main(void)
{
	size_t a, m;

	if (mp_crypto_init() != 0)
		fail("init", MP_ERR_LIBCRYPTO);
	printf("moshpit UDP record benchmark (ns per record; each figure "
	    "about %.1f s;\n\"full\" is the largest payload that fits a "
	    "%d-byte datagram)\n\n", BENCH_NS / 1e9, REC_DATAGRAM_MAX);
	printf("%-18s %-12s %9s %9s %9s %9s\n", "aead", "mac", "seal 100",
	    "open 100", "seal full", "open full");
	for (a = 0; a < sizeof(aeads) / sizeof(aeads[0]); a++)
		for (m = 0; m < sizeof(macs) / sizeof(macs[0]); m++)
			row(aeads[a], macs[m]);
	return 0;
}

/* handshake.c: benchmark of a complete handshake (CPU time of each side, for the defaults and each kex) and of sealing and opening UDP records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/clock.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/kex.h"
#include "common/crypto/random.h"
#include "common/proto/handshake.h"
#include "common/proto/record.h"
#include "regress/unittests/hs_fake.h"

#define BENCH_NS	300000000ull	/* each row runs ~0.3 s of CPU */
#define IO_MAX		(64 * 1024)
#define TARGET_US	2000.0		/* default handshake, both sides */

struct side_times {
	uint64_t client, server;	/* CPU nanoseconds */
	unsigned long runs;
};

static void
fail(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s\n", what, mp_strerror(err));
	exit(1);
}

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Feed data to one machine, charging its CPU time to *t. */
static int
feed(void *m, int to_client, struct buf *data, struct buf *out, uint64_t *t)
{
	uint64_t start = cpu_ns();
	int r;

	r = to_client ? hs_client_input(m, buf_ptr(data), buf_len(data), out) :
	    hs_server_input(m, buf_ptr(data), buf_len(data), out);
	*t += cpu_ns() - start;
	buf_reset(data);
	return r;
}

/* ---- handshakes ---------------------------------------------------- */

/* One login: new session, the client's key authorised by the fake
 * monitor, whose signing and verifying count as the server's. */
static void
one_handshake(const struct hs_algorithms *algs, struct fake_id *id,
    struct buf *to_s, struct buf *to_c, struct side_times *st)
{
	struct hs_identity ident = fake_identity(id);
	struct hs_client_params p;
	struct hs_client *c;
	struct hs_server *s;
	struct fake f;
	uint64_t start;
	int cr = HS_CONTINUE, sr = HS_CONTINUE;

	memset(&p, 0, sizeof(p));
	p.user = "bench";
	p.ids = &ident;
	p.nids = 1;
	p.verify_host = fake_verify_host;
	p.request.type = HS_REQ_NEW;
	p.request.term = (char *)"xterm-256color";
	p.request.mode = (char *)"statesync";
	p.request.command = (char *)"";
	p.request.cols = 80;
	p.request.rows = 24;
	fake_init(&f, "ed25519");
	fake_allow(&f, "bench", id->key);
	start = cpu_ns();
	c = hs_client_new(algs, "moshpit_bench", &p);
	if (c == NULL || hs_client_start(c, to_s) < 0)
		fail("client start", MP_ERR_INTERNAL);
	st->client += cpu_ns() - start;
	start = cpu_ns();
	if ((s = hs_server_new(algs, "moshpit_bench", &f.ops, &f)) == NULL)
		fail("server", MP_ERR_INTERNAL);
	st->server += cpu_ns() - start;
	while (buf_len(to_s) > 0 || buf_len(to_c) > 0) {
		if (buf_len(to_s) > 0 && sr == HS_CONTINUE)
			sr = feed(s, 0, to_s, to_c, &st->server);
		buf_reset(to_s);
		if (buf_len(to_c) > 0 && cr == HS_CONTINUE)
			cr = feed(c, 1, to_c, to_s, &st->client);
		buf_reset(to_c);
	}
	if (cr != HS_DONE || sr != HS_DONE) {
		fprintf(stderr, "bench: handshake failed: client: %s; "
		    "server: %s\n", hs_client_error(c), hs_server_error(s));
		exit(1);
	}
	hs_client_free(c);
	hs_server_free(s);
	fake_free(&f);
	st->runs++;
}

/* Microseconds of CPU per handshake, each side, for kex (NULL: the
 * defaults of every category). */
static void
row(const char *kex, struct fake_id *id)
{
	struct hs_algorithms algs;
	struct side_times st;
	struct buf *to_s = buf_new(IO_MAX), *to_c = buf_new(IO_MAX);
	double cl, sv;

	if (to_s == NULL || to_c == NULL)
		fail("buf_new", MP_ERR_ALLOC);
	memset(&algs, 0, sizeof(algs));
	memset(&st, 0, sizeof(st));
	algs.kex = kex;
	do
		one_handshake(&algs, id, to_s, to_c, &st);
	while (st.client + st.server < BENCH_NS);
	cl = (double)st.client / (double)st.runs / 1000.0;
	sv = (double)st.server / (double)st.runs / 1000.0;
	printf("%-24s %10.0f %10.0f %10.0f", kex ? kex : "default", cl, sv,
	    cl + sv);
	if (kex == NULL)
		printf("   (target < %.0f us: %s)", TARGET_US,
		    cl + sv < TARGET_US ? "PASS" : "MISS");
	printf("\n");
	buf_free(to_s);
	buf_free(to_c);
}

/* ---- UDP records --------------------------------------------------- */

#define REC_BENCH_NS	200000000ull	/* each record figure ~0.2 s */
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
	} while (elapsed < REC_BENCH_NS);
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
	} while (elapsed < REC_BENCH_NS);
	return (double)elapsed / (double)n;
}

static void
rec_row(const char *aead, const char *mac)
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
	char list[] = KEX_DEFAULT_LIST;
	struct fake_id id;
	char *name, *save = NULL;
	size_t a, m;

	if (mp_crypto_init() != 0)
		fail("init", MP_ERR_LIBCRYPTO);
	fake_id_init(&id, "ed25519");
	printf("moshpit handshake benchmark: CPU microseconds per complete "
	    "login (version lines, key exchange, host and user signatures, "
	    "session request); ed25519 host and user keys, other "
	    "algorithms default\n\n");
	printf("%-24s %10s %10s %10s\n", "kex", "client", "server", "total");
	row(NULL, &id);
	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save))
		row(name, &id);
	printf("\nUDP records: ns per record (\"full\" is the largest payload "
	    "that fits a %d-byte datagram)\n\n", REC_DATAGRAM_MAX);
	printf("%-18s %-12s %9s %9s %9s %9s\n", "aead", "mac", "seal 100",
	    "open 100", "seal full", "open full");
	for (a = 0; a < sizeof(aeads) / sizeof(aeads[0]); a++)
		for (m = 0; m < sizeof(macs) / sizeof(macs[0]); m++)
			rec_row(aeads[a], macs[m]);
	return 0;
}

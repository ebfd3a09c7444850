/* chan_fixture.c: pieces the channel, stream and monitor-message tests and the channel fuzzer share: fixed session keys, a deterministic byte pattern, and two channel ends over UDP on 127.0.0.1 with a driven clock and a lossy net. */
#include <arpa/inet.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
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

int
chfx_udp_socket(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int fd, size = 1 << 20;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		abort();
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sin, sizeof(*sin)) != 0 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) != 0)
		abort();
	return fd;
}

void
chfx_pair_new(struct chfx_pair *p)
{
	memset(p, 0, sizeof(*p));
	chfx_keys(&p->keys);
	p->sfd = chfx_udp_socket(&p->saddr);
	p->cfd = chfx_udp_socket(&p->caddr);
	p->s = chan_new(&p->keys, 1, p->sfd, NULL, 0);
	p->c = chan_new(&p->keys, 0, p->cfd, (struct sockaddr *)&p->saddr,
	    sizeof(p->saddr));
	if (p->s == NULL || p->c == NULL)
		abort();
	p->now = CHFX_T0;
}

void
chfx_pair_free(struct chfx_pair *p)
{
	chan_free(p->s);
	chan_free(p->c);
	close(p->sfd);
	close(p->cfd);
}

size_t
chfx_grab(int fd, struct chfx_dgram *g, size_t max)
{
	ssize_t r;
	size_t k;

	for (k = 0; k < max; k++) {
		g[k].sl = sizeof(g[k].src);
		r = recvfrom(fd, g[k].d, sizeof(g[k].d), 0,
		    (struct sockaddr *)&g[k].src, &g[k].sl);
		if (r < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				abort();
			break;
		}
		g[k].len = (size_t)r;
	}
	return k;
}

void
chfx_input(struct chan *ch, const struct chfx_dgram *g, uint64_t now)
{
	chan_input(ch, g->d, g->len, (const struct sockaddr *)&g->src, g->sl,
	    now);
}

void
chfx_hand(struct chfx_pair *p, int to_server, const uint8_t *d, size_t len)
{
	const struct sockaddr_in *from = to_server ? &p->caddr : &p->saddr;

	chan_input(to_server ? p->s : p->c, d, len,
	    (const struct sockaddr *)from, sizeof(*from), p->now);
}

size_t
chfx_forge(const struct hs_keys *k, int is_server, uint64_t seq,
    const struct frame *f, size_t nf, uint8_t *out)
{
	struct rec_ctx *r = rec_new(k, is_server);
	struct buf *b = r != NULL ? buf_new(rec_max_payload(r)) : NULL;
	size_t i, n = 0;
	int e;

	e = b == NULL || frame_put_header(b, 5, FRAME_TS_NONE) != 0;
	for (i = 0; !e && i < nf; i++)
		e = frame_put(b, &f[i]) != 0;
	if (!e) {
		rec_set_seq_for_test(r, seq);
		e = rec_seal(r, buf_ptr(b), buf_len(b), out, REC_DATAGRAM_MAX,
		    &n) != 0;
	}
	buf_free(b);
	rec_free(r);
	return e ? 0 : n;
}

static uint32_t
rnd(struct chfx_net *n)
{
	n->seed = n->seed * 1664525u + 1013904223u;
	return n->seed >> 8;
}

/* Swap neighbours of the k datagrams in g, as n says. */
static void
reorder(struct chfx_net *n, struct chfx_dgram *g, size_t k)
{
	struct chfx_dgram t;
	size_t i;

	for (i = 0; i + 1 < k; i++) {
		if (rnd(n) % 100 >= n->swap)
			continue;
		t = g[i];
		g[i] = g[i + 1];
		g[i + 1] = t;
		n->swapped++;
	}
}

/* Deliver what waits for the server (to_server) or the client through
 * the observer and the lossy net n (none if NULL). */
static void
deliver(struct chfx_pair *p, int to_server, struct chfx_net *n)
{
	static struct chfx_dgram g[CHFX_BATCH];
	struct chan *ch = to_server ? p->s : p->c;
	void *arg = to_server ? p->to_server : p->to_client;
	size_t k, i;

	while ((k = chfx_grab(to_server ? p->sfd : p->cfd, g,
	    CHFX_BATCH)) > 0) {
		for (i = 0; p->see != NULL && arg != NULL && i < k; i++)
			p->see(arg, g[i].d, g[i].len);
		if (n != NULL)
			reorder(n, g, k);
		for (i = 0; i < k; i++) {
			if (n != NULL && rnd(n) % 100 < n->drop) {
				n->dropped++;
				continue;
			}
			chfx_input(ch, &g[i], p->now);
		}
	}
}

int
chfx_step(struct chfx_pair *p, struct chfx_net *n, unsigned ms)
{
	int r;

	p->now += ms;
	if ((r = chan_flush(p->c, p->now)) != 0 ||
	    (r = chan_flush(p->s, p->now)) != 0)
		return r;
	if (n == NULL && p->see == NULL) {
		if ((r = chan_receive(p->s, p->now)) != 0)
			return r;
		return chan_receive(p->c, p->now);
	}
	deliver(p, 1, n);
	deliver(p, 0, n);
	return 0;
}

int
chfx_settle(struct chfx_pair *p, int steps)
{
	int r = 0;

	while (r == 0 && steps-- > 0)
		r = chfx_step(p, NULL, 1);
	return r;
}

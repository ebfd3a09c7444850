/* chan_fixture.h: pieces the channel, stream and monitor-message tests and the channel fuzzer share: fixed session keys, a deterministic byte pattern, and two channel ends over UDP on 127.0.0.1 with a driven clock and a lossy net. */
#ifndef MP_CHAN_FIXTURE_H
#define MP_CHAN_FIXTURE_H

#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

#include "common/proto/channel.h"
#include "common/proto/frame.h"
#include "common/proto/handshake.h"
#include "common/proto/record.h"

#define CHFX_T0		1000	/* the driven clock of a new pair */
#define CHFX_BATCH	64	/* datagrams read from a socket at a time */

/* Session keys for aes256-gcm-siv with the implicit MAC: every c2s key
 * byte 0x11, every s2c byte 0x22, the rest zero. */
void chfx_keys(struct hs_keys *k);

/* A complete key set as a net child exports it after a new session:
 * the default algorithm names, H and the session id all 0x11 (32
 * bytes), c2s key 0x33, s2c key 0x44, resume secret 0x55. */
void chfx_session_keys(struct hs_keys *k);

/* Fill p with len pseudo-random bytes, the same for the same seed. */
void chfx_pattern(uint8_t *p, size_t len, uint32_t seed);

/*
 * Two ends of a channel (chfx_keys) over their own sockets. If see is
 * set, chfx_step shows it every datagram it delivers to the server
 * (with the argument to_server) and to the client (to_client), where
 * that argument is not NULL, before the net can drop it.
 */
struct chfx_pair {
	struct hs_keys keys;
	int sfd, cfd;
	struct sockaddr_in saddr, caddr;
	struct chan *s, *c;
	uint64_t now;
	void (*see)(void *arg, const uint8_t *d, size_t len);
	void *to_server, *to_client;
};

/* Drops and swaps datagrams between the socket and chan_input(). */
struct chfx_net {
	unsigned drop, swap;	/* percent */
	uint32_t seed;
	unsigned dropped, swapped;
};

/* One datagram read from a socket (one byte too many fits) and its
 * sender. */
struct chfx_dgram {
	uint8_t d[REC_DATAGRAM_MAX + 1];
	size_t len;
	struct sockaddr_storage src;
	socklen_t sl;
};

/* The fixture's own system calls cannot fail on a working loopback:
 * where one does, these abort(). */

/* A non-blocking UDP socket on 127.0.0.1, port chosen by the kernel. */
int chfx_udp_socket(struct sockaddr_in *sin);
/* A new pair at CHFX_T0, nothing sent, no observer. */
void chfx_pair_new(struct chfx_pair *p);
void chfx_pair_free(struct chfx_pair *p);
/* Read up to max datagrams waiting on fd into g: the count. */
size_t chfx_grab(int fd, struct chfx_dgram *g, size_t max);

/* Hand g to ch as from its sender, at now. */
void chfx_input(struct chan *ch, const struct chfx_dgram *g, uint64_t now);
/* Hand the server (to_server) or the client one datagram from its peer's
 * address, at p->now. */
void chfx_hand(struct chfx_pair *p, int to_server, const uint8_t *d,
    size_t len);
/* Seal a payload of the nf frames f as the server (is_server) or the
 * client would, at seq, into out (REC_DATAGRAM_MAX): its length, 0 if
 * the frames do not fit or the keys are refused. */
size_t chfx_forge(const struct hs_keys *k, int is_server, uint64_t seq,
    const struct frame *f, size_t nf, uint8_t *out);

/*
 * ms driven milliseconds: both ends flush, then each receives what the
 * other sent. With neither a net n nor an observer each end reads its
 * own socket (chan_receive()); otherwise the datagrams pass through the
 * observer and n (no loss if NULL) to chan_input(). 0, or what the
 * channel returned.
 */
int chfx_step(struct chfx_pair *p, struct chfx_net *n, unsigned ms);
/* steps lossless steps of 1 ms. */
int chfx_settle(struct chfx_pair *p, int steps);

#endif

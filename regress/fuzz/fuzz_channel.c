/* fuzz_channel.c: libFuzzer harness for a channel's receive path: raw datagrams, or payloads sealed with the peer's keys so every frame handler runs. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/crypto/random.h"
#include "common/proto/channel.h"
#include "common/proto/frame.h"
#include "common/proto/record.h"
#include "regress/unittests/chan_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/*
 * Input: a mode byte, then chunks of uint16 length (big-endian) and
 * bytes. Mode bit 0: each chunk is a payload that the peer's record
 * context seals first (so it authenticates and its frames are acted
 * on); otherwise a raw datagram. Bit 1: fuzz the client end instead of
 * the server. Bit 2: the end starts shutting down, with an exit status.
 * Bit 3: the output streams are best effort. The server has an update
 * (0 -> 3) and an ECHO_ACK queued; the client a REPAINT and a STATE_ACK.
 * In a chunk's length, bit 15 means "send the previous datagram again"
 * (a replay), bit 14 picks the second source address, bits 11-13 how
 * far the clock moves first (so timers fire); the low 11 bits are the
 * length, cut to what is left. Keys are fixed: c2s bytes 0x11, s2c
 * 0x22, aes256-gcm-siv, implicit MAC.
 */
#define MODE_SEAL	0x01
#define MODE_CLIENT	0x02
#define MODE_SHUTDOWN	0x04
#define MODE_BEST_EFFORT 0x08
#define UPDATE_NEW	3	/* the newest state the server sends */
#define JUNK_LEN	3000	/* bytes queued on each stream */
#define LEN_REPLAY	0x8000
#define LEN_OTHER_SRC	0x4000
#define LEN_MASK	0x07ff
#define LEN_TIME(h)	(((h) >> 11) & 7)

static const uint32_t time_steps[8] = { 1, 5, 20, 50, 200, 1000, 3000, 10000 };

struct run {
	struct chan *c;
	struct rec_ctx *peer;		/* seals for the fuzzed end */
	struct sockaddr_in src[2];
	uint8_t dgram[REC_DATAGRAM_MAX];
	size_t dgram_len;
	uint64_t now, fed;
	uint64_t read_off[CHAN_NSTREAMS];	/* never goes back */
	uint64_t echo_off;			/* never goes back */
	int is_server;
	int best_effort;			/* stream 1 is best effort */
};

static void
addr(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = htons(port);
}

/* Something queued on every stream this end sends, so ACKs and NAKs
 * have data to act on. */
static void
preload(struct run *r, uint8_t mode)
{
	static uint8_t junk[JUNK_LEN];
	int id;

	memset(junk, 'j', sizeof(junk));
	if (mode & MODE_BEST_EFFORT) {
		r->best_effort = 1;
		check(chan_set_best_effort(r->c, CHAN_STREAM_OUTPUT) == 0);
		check(chan_set_best_effort(r->c, CHAN_STREAM_ERROR) == 0);
	}
	for (id = 0; id < CHAN_NSTREAMS; id++)
		(void)chan_write(r->c, id, junk, sizeof(junk));
	if (r->is_server) {
		check(chan_send_update(r->c, 0, UPDATE_NEW, 0, junk,
		    sizeof(junk)) == 0);
		check(chan_set_echo_ack(r->c, 5, FRAME_ECHO_OFF) == 0);
	} else {
		check(chan_request_repaint(r->c) == 0);
		check(chan_ack_update(r->c, 1) == 0);
	}
	if (mode & MODE_SHUTDOWN) {
		(void)chan_set_exit(r->c, 0, 7);
		check(chan_shutdown(r->c) == 0);
	}
	check(chan_flush(r->c, r->now) == 0);
}

static uint64_t
total(const struct rec_stats *s)
{
	return s->too_short + s->too_long + s->bad_version + s->replayed +
	    s->bad_mac + s->bad_tag + s->accepted;
}

/* The update, echo and REPAINT getters, with their invariants. */
static void
poke_updates(struct run *r)
{
	static struct buf *upd;
	uint64_t base, next, off;
	uint8_t flags;
	int got;

	if (upd == NULL)
		check((upd = buf_new(BUF_SIZE_MAX)) != NULL);
	buf_reset(upd);
	got = chan_get_update(r->c, &base, &next, &flags, upd);
	if (r->is_server)
		check(got == MP_ERR_INVALID_ARGUMENT);
	else
		check(got == 0 || got == MP_ERR_NO_SPACE || (got == 1 &&
		    (flags & ~FRAME_STATE_FLAGS) == 0));
	if (chan_get_echo_ack(r->c, &off, &flags)) {
		check(!r->is_server && (flags & ~FRAME_ECHO_FLAGS) == 0);
		check(off >= r->echo_off);
		r->echo_off = off;
	}
	(void)chan_repaint_requested(r->c);
	/* Acknowledgements name a state sent, or in datagram mode an offset
	 * of the best-effort stream sent. */
	check(chan_update_acked(r->c) <= (r->best_effort ? JUNK_LEN :
	    UPDATE_NEW));
	check(chan_update_pending(r->c) == 0 || r->is_server);
}

/* Everything the caller of a channel does after input. */
static void
poke(struct run *r)
{
	static uint8_t sink[4096];
	const struct chan_stats *st = chan_get_stats(r->c);
	struct sockaddr_storage ss;
	uint16_t a, b, c, d;
	uint32_t v;
	uint8_t k;
	int id, t;

	for (id = 0; id < CHAN_NSTREAMS; id++) {
		while (chan_read(r->c, id, sink, sizeof(sink)) > 0)
			;
		check(chan_read_offset(r->c, id) >= r->read_off[id]);
		r->read_off[id] = chan_read_offset(r->c, id);
		(void)chan_read_eof(r->c, id);
		check(chan_write_room(r->c, id) <= CHAN_BACKLOG_MAX);
	}
	(void)chan_get_resize(r->c, &a, &b, &c, &d);
	(void)chan_get_exit(r->c, &k, &v);
	poke_updates(r);
	check(chan_flush(r->c, r->now) == 0);
	t = chan_timeout_ms(r->c, r->now);
	check(t >= -1);
	check(chan_get_state(r->c) <= CHAN_CLOSED);
	check(st->datagrams_received == r->fed);
	check(total(&st->rec) == r->fed);
	if (r->is_server && chan_peer(r->c, &ss) != 0)
		check(st->rec.accepted > 0 &&
		    (memcmp(&ss, &r->src[0], sizeof(r->src[0])) == 0 ||
		    memcmp(&ss, &r->src[1], sizeof(r->src[1])) == 0));
}

/* Feed one chunk; p/n is the chunk's bytes. */
static void
feed(struct run *r, uint16_t hdr, const uint8_t *p, size_t n, int seal)
{
	const struct sockaddr_in *src = &r->src[(hdr & LEN_OTHER_SRC) != 0];

	if (!(hdr & LEN_REPLAY)) {
		if (!seal) {
			if (n > sizeof(r->dgram))
				n = sizeof(r->dgram);
			memcpy(r->dgram, p, n);
			r->dgram_len = n;
		} else {
			if (n > rec_max_payload(r->peer))
				n = rec_max_payload(r->peer);
			check(rec_seal(r->peer, p, n, r->dgram,
			    sizeof(r->dgram), &r->dgram_len) == 0);
		}
	}
	r->now += time_steps[LEN_TIME(hdr)];
	r->fed++;
	chan_input(r->c, r->dgram, r->dgram_len, (const struct sockaddr *)src,
	    sizeof(*src), r->now);
	poke(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct hs_keys k;
	struct run r;
	size_t off = 1, n;
	uint16_t hdr;
	uint8_t mode;

	if (len < 1)
		return 0;
	check(mp_crypto_init() == 0);
	mode = data[0];
	memset(&r, 0, sizeof(r));
	chfx_keys(&k);
	addr(&r.src[0], 40000);
	addr(&r.src[1], 40001);
	r.is_server = !(mode & MODE_CLIENT);
	r.now = 1000;
	r.c = chan_new(&k, r.is_server, -1, r.is_server ? NULL :
	    (const struct sockaddr *)&r.src[0], sizeof(r.src[0]));
	r.peer = rec_new(&k, !r.is_server);
	check(r.c != NULL && r.peer != NULL);
	preload(&r, mode);
	while (len - off >= 2) {
		hdr = (uint16_t)(data[off] << 8 | data[off + 1]);
		off += 2;
		n = hdr & LEN_MASK;
		if (n > len - off)
			n = len - off;
		feed(&r, hdr, data + off, n, mode & MODE_SEAL);
		off += n;
	}
	chan_free(r.c);
	rec_free(r.peer);
	return 0;
}

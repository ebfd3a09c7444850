/* channel.h: one end of a UDP session: records over a socket, round-trip timing, keepalives, the reliable streams, resize, exit status and shutdown. */
#ifndef MP_CHANNEL_H
#define MP_CHANNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/proto/handshake.h"
#include "common/proto/record.h"

/*
 * The layer between the record codec (record.h, frame.h) and a program's
 * event loop. It owns no event loop and no timer of its own: the caller
 * polls the socket, calls chan_receive() when it is readable, moves bytes
 * with chan_write()/chan_read(), and calls chan_flush() whenever
 * chan_timeout_ms() says something is due (and after writing). Time is
 * always passed in, in milliseconds of a monotonic clock, so tests can
 * drive it.
 *
 * Streams (PROTOCOL.md 3.3): CHAN_STREAM_INPUT (0, client to server),
 * CHAN_STREAM_OUTPUT (1, server to client) and CHAN_STREAM_ERROR (2,
 * server to client, standard error of a session without a PTY). Each is
 * an ordered, reliable byte stream: the sender keeps what it sent until
 * acknowledged and resends ranges the receiver NAKs, or the oldest unacked
 * range after a retransmission timeout; the receiver holds a bounded
 * amount of out-of-order data and delivers in order. STREAM_FIN ends a
 * stream at an offset (end of file). Backlog is bounded: chan_write_room()
 * says how much may be written now, so a server stops reading its PTY
 * while the link is slow and the shell blocks instead of memory growing.
 *
 * The server end learns its peer's address from the first record that
 * authenticates, and follows the newest authentic record (roaming, PROTOCOL.md
 * 3.2). The client end sends to the address it is given.
 *
 * Received datagrams that fail any check are dropped and counted
 * (struct chan_stats); nothing is ever sent in answer to them.
 */

#define CHAN_STREAM_INPUT	0
#define CHAN_STREAM_OUTPUT	1
#define CHAN_STREAM_ERROR	2
#define CHAN_NSTREAMS		3

#define CHAN_BACKLOG_MAX	(256u * 1024)	/* unacked + unsent bytes a stream holds */
#define CHAN_REORDER_MAX	(256u * 1024)	/* out-of-order bytes a receiver holds */
#define CHAN_KEEPALIVE_MS	3000		/* PROTOCOL.md 3.3 */

enum chan_state {
	CHAN_OPEN = 0,
	CHAN_SHUTTING_DOWN,	/* we sent SHUTDOWN, waiting for SHUTDOWN_ACK */
	CHAN_CLOSED,		/* SHUTDOWN acknowledged either way: done */
};

struct chan_stats {
	struct rec_stats rec;		/* record-layer drops and accepts */
	uint64_t bad_payload;		/* authentic records with malformed frames */
	uint64_t unknown_frames;	/* frames of unknown type, skipped */
	uint64_t wrong_direction;	/* frames the other end must not send */
	uint64_t datagrams_sent, datagrams_received;
	uint64_t bytes_sent, bytes_received;	/* whole datagrams */
	uint64_t retransmitted;		/* stream bytes sent more than once */
	uint64_t send_errors;		/* sendto() failures (ignored otherwise) */
	uint32_t srtt_ms, rttvar_ms;	/* smoothed round trip, 0 until measured */
};

struct chan;

/*
 * A channel on the datagram socket fd (non-blocking; the caller keeps
 * owning it) with the handshake's keys (copied). is_server selects the
 * directions. peer is where to send: required for the client; NULL for
 * the server, which then waits for the client's first record. NULL on
 * bad keys or lack of memory.
 */
struct chan *chan_new(const struct hs_keys *keys, int is_server, int fd,
    const struct sockaddr *peer, socklen_t peer_len);
/* Erase the keys, free everything; c may be NULL. */
void chan_free(struct chan *c);

/* Minimum spacing in microseconds between datagrams of one burst (0: no
 * pacing; mps's pacing_delay_us). */
void chan_set_pacing(struct chan *c, uint32_t pacing_us);

/*
 * Read every datagram waiting on the socket (until EAGAIN) and act on the
 * authentic ones. 0, or MP_ERR_SYSTEM for a socket error other than
 * EAGAIN/EINTR/ECONNREFUSED (which are not errors for UDP). Bad datagrams
 * are not errors: they are counted.
 */
int chan_receive(struct chan *c, uint64_t now_ms);
/* Process one datagram as if received from src (tests, fuzzing). */
void chan_input(struct chan *c, const uint8_t *dgram, size_t len,
    const struct sockaddr *src, socklen_t src_len, uint64_t now_ms);

/* ---- sending ---- */
/* Bytes chan_write() accepts now on stream id. */
size_t chan_write_room(const struct chan *c, int stream);
/* Queue len bytes on a stream this end sends (MP_ERR_INVALID_ARGUMENT
 * otherwise, or after chan_write_fin()); MP_ERR_NO_SPACE if above the
 * room (nothing queued). */
int chan_write(struct chan *c, int stream, const void *p, size_t len);
/* End a stream this end sends: the peer sees end of file after the data. */
int chan_write_fin(struct chan *c, int stream);
/* 1 once everything written to the stream (and its FIN, if any) is acked. */
int chan_write_acked(const struct chan *c, int stream);
/* Client: announce a window size (numbered; the newest wins). */
int chan_resize(struct chan *c, uint16_t cols, uint16_t rows,
    uint16_t xpixel, uint16_t ypixel);
/* Server: how the session ended (FRAME_EXIT_CODE/SIGNAL); it is resent
 * with SHUTDOWN until acknowledged. */
int chan_set_exit(struct chan *c, uint8_t kind, uint32_t value);
/* Ask the peer to end the session (SHUTDOWN, resent until SHUTDOWN_ACK). */
int chan_shutdown(struct chan *c);

/* ---- receiving ---- */
/* Copy up to len in-order bytes of a stream the peer sends; returns the
 * count (0 when none are waiting). */
size_t chan_read(struct chan *c, int stream, void *p, size_t len);
/* 1 if the peer ended the stream and every byte of it has been read. */
int chan_read_eof(const struct chan *c, int stream);
/* Server: 1 and *r filled if a resize newer than the last one returned
 * arrived. */
int chan_get_resize(struct chan *c, uint16_t *cols, uint16_t *rows,
    uint16_t *xpixel, uint16_t *ypixel);
/* Client: 1 and the exit status once the server reported it. */
int chan_get_exit(const struct chan *c, uint8_t *kind, uint32_t *value);

/* ---- timing and state ---- */
/* Send whatever is due at now_ms: new stream data, retransmissions, NAKs,
 * acknowledgements, resize, exit/shutdown, a keepalive. 0 or a negative
 * mp_err (MP_ERR_LIMIT when the record sequence is exhausted: end the
 * session). Socket send errors are counted, not returned. */
int chan_flush(struct chan *c, uint64_t now_ms);
/* Milliseconds until chan_flush() has something to do (0: now), or -1. */
int chan_timeout_ms(const struct chan *c, uint64_t now_ms);
enum chan_state chan_get_state(const struct chan *c);
/* 1 once the peer asked to shut down (we answered with SHUTDOWN_ACK). */
int chan_peer_shutdown(const struct chan *c);
/* When the last authentic record arrived (0: never). */
uint64_t chan_last_heard_ms(const struct chan *c);
/* The address the server sends to now; 0 if none known yet. */
socklen_t chan_peer(const struct chan *c, struct sockaddr_storage *ss);
const struct chan_stats *chan_get_stats(const struct chan *c);

#endif

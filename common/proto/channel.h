/* channel.h: one end of a UDP session: records over a socket, round-trip timing, keepalives, the streams, screen updates, resize, exit status and shutdown. */
#ifndef MP_CHANNEL_H
#define MP_CHANNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/buf.h"
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
 * A stream made best effort (chan_set_best_effort(), the `datagram` mode
 * of PROTOCOL.md 3.4) sends each byte once and delivers what arrives in
 * offset order, skipping what was lost.
 *
 * Screen updates (PROTOCOL.md 3.4, update.h) go from server to client as
 * STATE chunks sharing records with everything else; the client
 * acknowledges the states it applied (STATE_ACK), asks for a full update
 * (REPAINT), and learns how much of its input the server has echoed
 * (ECHO_ACK).
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
#define CHAN_INPUT_BASE_MS	5000	/* INPUT_BASE repeated this long */
#define CHAN_ECHO_HOLD_MS	1000		/* ECHO_ACK repeated after a change */
#define CHAN_STATE_ACK_DELAY_MS	50	/* longest a STATE_ACK is held back */

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
	uint64_t updates_sent;		/* transmissions with every chunk out */
	uint64_t update_chunks_sent;
	uint64_t updates_received;	/* complete and decoded */
	uint64_t update_chunks_ignored;	/* repeated, or of an older state */
	uint64_t updates_bad_chunk;	/* count, index or length out of bounds */
	uint64_t updates_bad_zstd;	/* not one zstd frame of its stated size */
	uint64_t updates_too_big;	/* stated size above 32 MiB */
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
/* A best-effort stream (datagram mode) that has no room for n more bytes:
 * the bytes not yet sent and n offsets more are skipped, never sent, so
 * the peer sees a gap where output was lost. */
int chan_skip(struct chan *c, int stream, size_t n);
/* The bytes written to a stream this end sends that the peer has not
 * acknowledged (at most max, into out); their first offset in *offset.
 * What a resumed session sends again on its new channel. */
size_t chan_unacked(const struct chan *c, int stream, uint64_t *offset,
    uint8_t *out, size_t max);
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
/* Send a record (a KEEPALIVE if nothing else is due) at the next
 * chan_flush() from now on (NAT warm-up). */
void chan_poke(struct chan *c, uint64_t now);
/*
 * Make a stream best effort (both ends, before its first byte; not
 * CHAN_STREAM_INPUT): the sender sends each byte once, never resends
 * it, does not count it against the congestion limit, and its write
 * room is limited only by bytes not yet sent; the receiver sends no
 * ACK or NAK, delivers bytes in offset order as they come and skips
 * what is missing (late bytes are dropped). STREAM_FIN still ends it.
 */
int chan_set_best_effort(struct chan *c, int stream);

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
/* The stream offset of the next byte chan_read() returns (0 for a
 * stream this end sends). */
uint64_t chan_read_offset(const struct chan *c, int stream);
/* Client: bytes written to CHAN_STREAM_INPUT so far (0 on the server). */
uint64_t chan_input_sent(const struct chan *c);

/* ---- screen updates (PROTOCOL.md 3.4) ---- */
/*
 * Server: queue the update from state base to new_state (flags may hold
 * FRAME_STATE_LINES_DROPPED), replacing any update not yet fully sent.
 * It is compressed and cut into chunks (update.h) that go out over the
 * following chan_flush() calls as record room and pacing allow, once:
 * the channel never resends it by itself. MP_ERR_INVALID_ARGUMENT (also
 * on the client), MP_ERR_TOO_LARGE (above 32 MiB or 1024 chunks), or
 * MP_ERR_ALLOC; the previous update stays on error.
 */
int chan_send_update(struct chan *c, uint64_t base, uint64_t new_state,
    uint8_t flags, const uint8_t *p, size_t len);
/* Server: send every chunk of the last update again (the caller's
 * retransmission). MP_ERR_INVALID_ARGUMENT if there is none. */
int chan_resend_update(struct chan *c);
/* Server: 1 while chunks of the update wait to go out. */
int chan_update_pending(const struct chan *c);
/* Server: the newest state the client acknowledged (STATE_ACK), 0 before
 * any. Acknowledgements that go backwards or name a state above the
 * newest sent are ignored. */
uint64_t chan_update_acked(const struct chan *c);
/* Server: 1 once any STATE_ACK was accepted (state 0 included). */
int chan_update_ack_seen(const struct chan *c);
/* Server: 1 once per REPAINT received. */
int chan_repaint_requested(struct chan *c);
/* Server: stream 0 bytes written to the PTY at least 50 ms ago, and
 * FRAME_ECHO_OFF if the terminal does not echo. After a change, ECHO_ACK
 * goes out within 20 ms and in every record for CHAN_ECHO_HOLD_MS.
 * MP_ERR_INVALID_ARGUMENT on the client or for other flags. */
int chan_set_echo_ack(struct chan *c, uint64_t input_offset, uint8_t flags);

/* Server, on a channel of a resumed session: how many bytes of input
 * the session received before this channel (INPUT_BASE, in every record
 * for CHAN_INPUT_BASE_MS). */
int chan_set_input_base(struct chan *c, uint64_t received);
/* Client: 1 and that count once INPUT_BASE arrived. */
int chan_get_input_base(const struct chan *c, uint64_t *received);

/*
 * Client: 1 and the newest update completed since the last call (older
 * ones completed meanwhile are dropped), its bytes decompressed and
 * appended to out; 0 if none; a negative mp_err if out cannot take it
 * (it stays to be taken) or on the server.
 */
int chan_get_update(struct chan *c, uint64_t *base, uint64_t *new_state,
    uint8_t *flags, struct buf *out);
/* Client: state was applied. STATE_ACK naming it goes out within 50 ms
 * (unless it is the one already set) and in every record after, until
 * another is set. */
int chan_ack_update(struct chan *c, uint64_t state);
/* Client: ask for a full update. REPAINT goes out within 20 ms and again
 * once per RTO until a chunk of an update from state 0 is accepted. */
int chan_request_repaint(struct chan *c);
/* Client: 1 and the newest ECHO_ACK once one arrived (from the newest
 * record; the offset never goes backwards). */
int chan_get_echo_ack(const struct chan *c, uint64_t *input_offset,
    uint8_t *flags);

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

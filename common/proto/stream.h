/* stream.h: the two halves of a reliable byte stream over lossy records (PROTOCOL.md 3.3), without sockets or frames. */
#ifndef MP_STREAM_H
#define MP_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto/channel.h"

/*
 * A sender (struct stream_tx) keeps every byte written until the peer
 * acknowledges it, in a ring of CHAN_BACKLOG_MAX bytes. It hands out
 * ranges to send: first a range to resend (asked for by a NAK, or the
 * oldest unacknowledged bytes after a retransmission timeout), then new
 * bytes. A receiver (struct stream_rx) places data at its offset in a
 * ring of CHAN_REORDER_MAX bytes starting at the first byte not yet read,
 * marks which bytes it holds in a bitmap, and delivers them in order.
 *
 * Offsets are uint64 from 0. A STREAM_FIN at offset F ends the stream;
 * the receiver acknowledges it by acknowledging F + 1 (the FIN counts as
 * one position after the data, as in TCP).
 *
 * Times are milliseconds of the caller's monotonic clock; "never" is
 * STREAM_NEVER. Nothing here allocates after stream_*_init().
 */

#define STREAM_NEVER		UINT64_MAX
#define STREAM_RTO_MIN_MS	50
#define STREAM_RTO_MAX_MS	2000
#define STREAM_RTO_INITIAL_MS	1000	/* until an RTT is measured */
#define STREAM_ACK_BYTES	2048	/* new bytes making an ACK urgent */
#define STREAM_ACK_DELAY_MS	20	/* longest an ACK is held back */

/* ---- round-trip estimate (RFC 6298) ---- */
struct stream_rtt {
	uint32_t srtt8;		/* smoothed round trip, eighths of ms */
	uint32_t rttvar4;	/* its mean deviation, quarters of ms */
	int measured;
};

/* Fold in one sample of ms milliseconds (gains 1/8 and 1/4). */
void stream_rtt_sample(struct stream_rtt *r, uint32_t ms);
/* srtt and rttvar rounded to ms; srtt is at least 1 once measured. */
uint32_t stream_rtt_srtt_ms(const struct stream_rtt *r);
uint32_t stream_rtt_var_ms(const struct stream_rtt *r);
/* srtt + max(1, 4 rttvar) + STREAM_ACK_DELAY_MS (samples exclude the
 * time the peer held our timestamp, but an ACK may wait that long),
 * within [STREAM_RTO_MIN_MS, STREAM_RTO_MAX_MS]; STREAM_RTO_INITIAL_MS
 * until measured. */
uint32_t stream_rto_ms(const struct stream_rtt *r);
/* rto doubled n times, at most STREAM_RTO_MAX_MS. */
uint32_t stream_backoff_ms(uint32_t rto, unsigned n);

/* ---- sender ---- */
struct stream_tx {
	uint8_t *ring;		/* CHAN_BACKLOG_MAX bytes */
	size_t seg;		/* bytes resent per timeout or partial ACK */
	uint64_t acked;		/* every byte below is acknowledged */
	uint64_t next;		/* first byte never sent */
	uint64_t end;		/* first byte not yet written */
	uint64_t rs, re;	/* range to resend; empty if rs == re */
	uint64_t recover;	/* after a timeout: next at that time */
	uint64_t resent_to;	/* end of the last range resent since */
	uint64_t rto_at;	/* retransmission deadline or STREAM_NEVER */
	unsigned backoff;	/* timeouts since the last progress */
	uint8_t fin;		/* ended: no more writes, FIN at end */
	uint8_t fin_send;	/* the FIN is to be sent (again) */
	uint8_t fin_sent, fin_acked;
};

/* seg is what one datagram carries of a stream (at least 1): a timeout
 * resends that much. 0 or MP_ERR_ALLOC. */
int stream_tx_init(struct stream_tx *tx, size_t seg);
/* Zero and free the ring; tx may be zeroed or initialised. */
void stream_tx_free(struct stream_tx *tx);
/* Bytes stream_tx_write() accepts now (0 after stream_tx_fin()). */
size_t stream_tx_room(const struct stream_tx *tx);
/* Queue bytes: MP_ERR_INVALID_ARGUMENT after the FIN, MP_ERR_NO_SPACE
 * above the room (nothing queued). */
int stream_tx_write(struct stream_tx *tx, const void *p, size_t len);
/* End the stream after the bytes written so far. */
void stream_tx_fin(struct stream_tx *tx);
/* Copy the bytes written and not acknowledged (at most max) to out; the
 * count, their first offset in *offset. */
size_t stream_tx_unacked(const struct stream_tx *tx, uint64_t *offset,
    uint8_t *out, size_t max);
/* 1 once everything written (and the FIN, if any) is acknowledged. */
int stream_tx_done(const struct stream_tx *tx);
/* Bytes sent and not yet acknowledged. */
uint64_t stream_tx_inflight(const struct stream_tx *tx);
/* 1 if a range to resend, new bytes (when new_max > 0) or the FIN wait. */
int stream_tx_wants(const struct stream_tx *tx, size_t new_max);

/*
 * The next bytes to send, contiguous in the ring: the resend range if
 * any, else up to new_max new bytes; at most max in all. 1 and *off, *p,
 * *len (>= 1), or 0 if there is nothing. Nothing changes until
 * stream_tx_sent().
 */
int stream_tx_peek(const struct stream_tx *tx, size_t max, size_t new_max,
    uint64_t *off, const uint8_t **p, size_t *len);
/* The range stream_tx_peek() gave went out at now; rto_ms arms the
 * timer if it is not running. Returns the bytes sent before (resent). */
size_t stream_tx_sent(struct stream_tx *tx, uint64_t off, size_t len,
    uint64_t now, uint32_t rto_ms);
/* 1 and the final offset if a STREAM_FIN is to go out now. */
int stream_tx_fin_due(const struct stream_tx *tx, uint64_t *final);
void stream_tx_fin_sent(struct stream_tx *tx, uint64_t now, uint32_t rto_ms);

/* A STREAM_ACK: next is the first offset the peer lacks (end + 1 for
 * the FIN). Values outside what was sent are ignored. */
void stream_tx_ack(struct stream_tx *tx, uint64_t next, uint64_t now,
    uint32_t rto_ms);
/* A STREAM_NAK: resend [start, end), clipped to what is unacknowledged. */
void stream_tx_nak(struct stream_tx *tx, uint64_t start, uint64_t end);
/* When the retransmission timer fires (STREAM_NEVER: not running). */
uint64_t stream_tx_deadline(const struct stream_tx *tx);
/* If the timer fired by now: mark the oldest seg bytes unacknowledged
 * (and the FIN) for resending, double the timeout and rearm. 1 if it
 * fired. */
int stream_tx_expire(struct stream_tx *tx, uint64_t now, uint32_t rto_ms);

/* ---- receiver ---- */
struct stream_rx {
	uint8_t *ring;		/* CHAN_REORDER_MAX bytes */
	uint64_t *have;		/* a bit per ring byte: held, > next */
	uint64_t read;		/* next byte stream_rx_read() returns */
	uint64_t next;		/* first byte not received in order */
	uint64_t high;		/* end of the highest byte held */
	uint64_t fin_off;
	uint8_t fin;		/* the FIN arrived */
	uint8_t need_ack;	/* something arrived since the last ACK */
	uint8_t nak_sent;	/* a NAK went out for the gap at nak_start */
	size_t unacked;		/* new bytes since the last ACK */
	uint64_t nak_start, nak_time;
};

/* 0 or MP_ERR_ALLOC. */
int stream_rx_init(struct stream_rx *rx);
void stream_rx_free(struct stream_rx *rx);
/*
 * A STREAM frame. Bytes already held are ignored; bytes at or beyond
 * read + CHAN_REORDER_MAX, or beyond the FIN, are dropped. Returns 1 if
 * the ACK should go out at once (a duplicate, which means our ACK was
 * lost, or STREAM_ACK_BYTES new bytes), else 0.
 */
int stream_rx_data(struct stream_rx *rx, uint64_t off, const uint8_t *p,
    size_t len);
/* A STREAM_FIN: ignored if bytes beyond it are held or a FIN at
 * another offset came first. Returns 1 (the ACK is urgent). */
int stream_rx_fin(struct stream_rx *rx, uint64_t final);
/* Copy up to len in-order bytes; the count. */
size_t stream_rx_read(struct stream_rx *rx, void *p, size_t len);
/* Bytes waiting to be read. */
size_t stream_rx_readable(const struct stream_rx *rx);
/* 1 once the FIN arrived and every byte before it was read. */
int stream_rx_eof(const struct stream_rx *rx);
/* The STREAM_ACK value: next, or fin offset + 1 once complete. */
uint64_t stream_rx_ack_value(const struct stream_rx *rx);
/* Clear need_ack and unacked. */
void stream_rx_acked(struct stream_rx *rx);
/* 1 and the first gap [*start, *end) if bytes (or the FIN) beyond one
 * are held. */
int stream_rx_gap(const struct stream_rx *rx, uint64_t *start,
    uint64_t *end);
/* When a NAK for the first gap is due: 0 (now) for a new gap, a NAK's
 * time + interval_ms while the same gap persists, STREAM_NEVER if no gap. */
uint64_t stream_rx_nak_at(const struct stream_rx *rx, uint32_t interval_ms);
void stream_rx_nak_sent(struct stream_rx *rx, uint64_t now);

#endif

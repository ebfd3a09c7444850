/* stream.c: reliable byte stream halves: sender backlog with ACK/NAK/timeout resends, receiver reordering, RTT estimate. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/proto/stream.h"

#define TX_SIZE		((uint64_t)CHAN_BACKLOG_MAX)
#define RX_SIZE		((uint64_t)CHAN_REORDER_MAX)
#define BACKOFF_MAX	8

_Static_assert((CHAN_REORDER_MAX % 64) == 0, "bitmap words");

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t
max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* ---- round-trip estimate ---------------------------------------------- */

void
stream_rtt_sample(struct stream_rtt *r, uint32_t ms)
{
	uint32_t srtt = r->srtt8 >> 3, err;

	if (!r->measured) {
		r->srtt8 = ms << 3;
		r->rttvar4 = ms << 1;	/* rttvar = R / 2 */
		r->measured = 1;
		return;
	}
	/* RFC 6298 2.3: rttvar first, with the old srtt. */
	err = srtt > ms ? srtt - ms : ms - srtt;
	r->rttvar4 = r->rttvar4 - (r->rttvar4 >> 2) + err;
	r->srtt8 = r->srtt8 - (r->srtt8 >> 3) + ms;
}

uint32_t
stream_rtt_srtt_ms(const struct stream_rtt *r)
{
	uint32_t ms = (r->srtt8 + 4) >> 3;

	if (!r->measured)
		return 0;
	return ms > 0 ? ms : 1;
}

uint32_t
stream_rtt_var_ms(const struct stream_rtt *r)
{
	return (r->rttvar4 + 2) >> 2;
}

uint32_t
stream_rto_ms(const struct stream_rtt *r)
{
	uint32_t rto;

	if (!r->measured)
		return STREAM_RTO_INITIAL_MS;
	rto = (r->srtt8 >> 3) + (r->rttvar4 > 1 ? r->rttvar4 : 1) +
	    STREAM_ACK_DELAY_MS;
	if (rto < STREAM_RTO_MIN_MS)
		return STREAM_RTO_MIN_MS;
	return rto > STREAM_RTO_MAX_MS ? STREAM_RTO_MAX_MS : rto;
}

uint32_t
stream_backoff_ms(uint32_t rto, unsigned n)
{
	uint64_t v = rto;

	v <<= n < BACKOFF_MAX ? n : BACKOFF_MAX;
	return v > STREAM_RTO_MAX_MS ? STREAM_RTO_MAX_MS : (uint32_t)v;
}

/* ---- sender ------------------------------------------------------------- */

int
stream_tx_init(struct stream_tx *tx, size_t seg)
{
	memset(tx, 0, sizeof(*tx));
	tx->rto_at = STREAM_NEVER;
	tx->seg = seg > 0 ? seg : 1;
	if ((tx->ring = malloc(TX_SIZE)) == NULL)
		return MP_ERR_ALLOC;
	return 0;
}

void
stream_tx_free(struct stream_tx *tx)
{
	mp_free_secret(tx->ring, tx->ring != NULL ? TX_SIZE : 0);
	memset(tx, 0, sizeof(*tx));
}

size_t
stream_tx_room(const struct stream_tx *tx)
{
	if (tx->fin)
		return 0;
	return (size_t)(TX_SIZE - (tx->end - tx->acked));
}

int
stream_tx_write(struct stream_tx *tx, const void *p, size_t len)
{
	size_t pos, n;

	if (tx->fin)
		return MP_ERR_INVALID_ARGUMENT;
	if (len > stream_tx_room(tx))
		return MP_ERR_NO_SPACE;
	if (len == 0)
		return 0;
	pos = (size_t)(tx->end % TX_SIZE);
	n = len < TX_SIZE - pos ? len : (size_t)(TX_SIZE - pos);
	memcpy(tx->ring + pos, p, n);
	memcpy(tx->ring, (const uint8_t *)p + n, len - n);
	tx->end += len;
	return 0;
}

size_t
stream_tx_unacked(const struct stream_tx *tx, uint64_t *offset, uint8_t *out,
    size_t max)
{
	uint64_t n = tx->end - tx->acked, o;
	size_t i;

	if (n > max)
		n = max;
	*offset = tx->acked;
	for (i = 0, o = tx->acked; i < n; i++, o++)
		out[i] = tx->ring[o % TX_SIZE];
	return (size_t)n;
}

void
stream_tx_fin(struct stream_tx *tx)
{
	if (tx->fin)
		return;
	tx->fin = 1;
	tx->fin_send = 1;
}

int
stream_tx_done(const struct stream_tx *tx)
{
	return tx->acked == tx->end && (!tx->fin || tx->fin_acked);
}

uint64_t
stream_tx_inflight(const struct stream_tx *tx)
{
	return tx->next - tx->acked;
}

int
stream_tx_fin_due(const struct stream_tx *tx, uint64_t *final)
{
	if (!tx->fin || !tx->fin_send || tx->fin_acked || tx->next != tx->end)
		return 0;
	*final = tx->end;
	return 1;
}

int
stream_tx_wants(const struct stream_tx *tx, size_t new_max)
{
	uint64_t final;

	return tx->rs < tx->re || (new_max > 0 && tx->next < tx->end) ||
	    stream_tx_fin_due(tx, &final);
}

int
stream_tx_peek(const struct stream_tx *tx, size_t max, size_t new_max,
    uint64_t *off, const uint8_t **p, size_t *len)
{
	uint64_t start, n;
	size_t pos;

	if (tx->rs < tx->re) {
		start = tx->rs;
		n = tx->re - tx->rs;
	} else {
		start = tx->next;
		n = min64(tx->end - tx->next, new_max);
	}
	pos = (size_t)(start % TX_SIZE);
	n = min64(min64(n, max), TX_SIZE - pos);
	if (n == 0)
		return 0;
	*off = start;
	*p = tx->ring + pos;
	*len = (size_t)n;
	return 1;
}

static void
arm(struct stream_tx *tx, uint64_t now, uint32_t rto_ms)
{
	if (tx->rto_at == STREAM_NEVER)
		tx->rto_at = now + stream_backoff_ms(rto_ms, tx->backoff);
}

size_t
stream_tx_sent(struct stream_tx *tx, uint64_t off, size_t len,
    uint64_t now, uint32_t rto_ms)
{
	uint64_t stop = off + len;
	size_t again;

	again = off < tx->next ? (size_t)(min64(stop, tx->next) - off) : 0;
	if (off == tx->rs && tx->rs < tx->re)
		tx->rs = min64(stop, tx->re);
	if (stop > tx->next)
		tx->next = stop;
	arm(tx, now, rto_ms);
	return again;
}

void
stream_tx_fin_sent(struct stream_tx *tx, uint64_t now, uint32_t rto_ms)
{
	tx->fin_send = 0;
	tx->fin_sent = 1;
	arm(tx, now, rto_ms);
}

/* Add [start, stop) to the resend range (their hull), within what is
 * unacknowledged. */
static void
want_resend(struct stream_tx *tx, uint64_t start, uint64_t stop)
{
	start = max64(start, tx->acked);
	stop = min64(stop, tx->next);
	if (start >= stop)
		return;
	if (tx->rs == tx->re) {
		tx->rs = start;
		tx->re = stop;
		return;
	}
	tx->rs = min64(tx->rs, start);
	tx->re = max64(tx->re, stop);
}

/*
 * After a timeout: resend the next seg bytes once all those
 * resent before are acknowledged but not all that was in flight at the
 * timeout (NewReno's partial ACK: those bytes were probably lost too).
 */
static void
recovery_step(struct stream_tx *tx)
{
	uint64_t stop;

	if (tx->acked >= tx->recover || tx->acked < tx->resent_to)
		return;
	stop = min64(tx->recover, tx->acked + tx->seg);
	want_resend(tx, tx->acked, stop);
	tx->resent_to = stop;
}

static int
in_flight(const struct stream_tx *tx)
{
	return tx->next > tx->acked || (tx->fin_sent && !tx->fin_acked);
}

void
stream_tx_ack(struct stream_tx *tx, uint64_t next, uint64_t now,
    uint32_t rto_ms)
{
	int fin_ack = tx->fin_sent && tx->next == tx->end &&
	    next == tx->end + 1;

	if (next <= tx->acked || (next > tx->next && !fin_ack))
		return;		/* old, or never sent */
	tx->acked = min64(next, tx->end);
	tx->fin_acked |= fin_ack;
	tx->rs = max64(tx->rs, tx->acked);
	tx->re = max64(tx->re, tx->rs);
	tx->backoff = 0;
	tx->rto_at = STREAM_NEVER;
	if (in_flight(tx))
		arm(tx, now, rto_ms);
	recovery_step(tx);
}

void
stream_tx_nak(struct stream_tx *tx, uint64_t start, uint64_t end)
{
	/* The peer holds bytes past a gap and names it: it leads the
	 * resends from here, not partial ACKs. */
	tx->recover = 0;
	want_resend(tx, start, end);
}

uint64_t
stream_tx_deadline(const struct stream_tx *tx)
{
	return tx->rto_at;
}

int
stream_tx_expire(struct stream_tx *tx, uint64_t now, uint32_t rto_ms)
{
	if (tx->rto_at == STREAM_NEVER || now < tx->rto_at)
		return 0;
	tx->rto_at = STREAM_NEVER;
	if (!in_flight(tx))
		return 0;
	tx->recover = tx->next;
	tx->resent_to = tx->acked;
	recovery_step(tx);
	if (tx->fin_sent && !tx->fin_acked)
		tx->fin_send = 1;
	if (tx->backoff < BACKOFF_MAX)
		tx->backoff++;
	arm(tx, now, rto_ms);
	return 1;
}

/* ---- receiver's bitmap -------------------------------------------------- */

/* The first offset in [from, to) whose bit is set (want 1) or clear
 * (want 0); to if none. to - from <= RX_SIZE. */
static uint64_t
bits_find(const uint64_t *bm, uint64_t from, uint64_t to, int want)
{
	uint64_t w, at;
	size_t pos;
	unsigned bit;

	while (from < to) {
		pos = (size_t)(from % RX_SIZE);
		bit = pos % 64;
		w = want ? bm[pos / 64] : ~bm[pos / 64];
		w >>= bit;
		if (w != 0) {
			at = from + (uint64_t)__builtin_ctzll(w);
			return at < to ? at : to;
		}
		from += 64 - bit;
	}
	return to;
}

/* Set (on 1) or clear the bits of [from, to). */
static void
bits_mark(uint64_t *bm, uint64_t from, uint64_t to, int on)
{
	uint64_t n, mask;
	size_t pos;
	unsigned bit;

	while (from < to) {
		pos = (size_t)(from % RX_SIZE);
		bit = pos % 64;
		n = min64(64 - bit, to - from);
		mask = (n == 64 ? ~0ull : (1ull << n) - 1) << bit;
		if (on)
			bm[pos / 64] |= mask;
		else
			bm[pos / 64] &= ~mask;
		from += n;
	}
}

/* ---- receiver ----------------------------------------------------------- */

int
stream_rx_init(struct stream_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
	rx->ring = malloc(RX_SIZE);
	rx->have = calloc(RX_SIZE / 64, sizeof(uint64_t));
	if (rx->ring == NULL || rx->have == NULL) {
		stream_rx_free(rx);
		return MP_ERR_ALLOC;
	}
	return 0;
}

void
stream_rx_free(struct stream_rx *rx)
{
	mp_free_secret(rx->ring, rx->ring != NULL ? RX_SIZE : 0);
	free(rx->have);
	memset(rx, 0, sizeof(*rx));
}

/* Copy [from, to) of p (whose first byte is at offset base) into the
 * ring. */
static void
ring_put(struct stream_rx *rx, uint64_t base, const uint8_t *p,
    uint64_t from, uint64_t to)
{
	size_t pos = (size_t)(from % RX_SIZE), len = (size_t)(to - from), n;

	p += from - base;
	n = len < RX_SIZE - pos ? len : (size_t)(RX_SIZE - pos);
	memcpy(rx->ring + pos, p, n);
	memcpy(rx->ring, p + n, len - n);
}

int
stream_rx_data(struct stream_rx *rx, uint64_t off, const uint8_t *p,
    size_t len)
{
	uint64_t limit = rx->read + RX_SIZE, start, stop, old = rx->next;

	rx->need_ack = 1;
	if (rx->fin)
		limit = min64(limit, rx->fin_off);
	if (off >= limit)
		return 0;	/* no room: the sender will resend */
	if (off + len <= rx->next)
		return 1;	/* a duplicate: our ACK was lost */
	start = max64(off, rx->next);
	stop = min64(off + len, limit);
	ring_put(rx, off, p, start, stop);
	bits_mark(rx->have, start, stop, 1);
	rx->high = max64(rx->high, stop);
	rx->next = bits_find(rx->have, rx->next, rx->high, 0);
	bits_mark(rx->have, old, rx->next, 0);
	rx->unacked += (size_t)(stop - start);
	return rx->unacked >= STREAM_ACK_BYTES;
}

int
stream_rx_fin(struct stream_rx *rx, uint64_t final)
{
	rx->need_ack = 1;
	if (!rx->fin && final >= rx->high) {
		rx->fin = 1;
		rx->fin_off = final;
	}
	return 1;
}

size_t
stream_rx_readable(const struct stream_rx *rx)
{
	return (size_t)(rx->next - rx->read);
}

size_t
stream_rx_read(struct stream_rx *rx, void *p, size_t len)
{
	size_t pos = (size_t)(rx->read % RX_SIZE), n, first;

	n = len < stream_rx_readable(rx) ? len : stream_rx_readable(rx);
	if (n == 0)
		return 0;
	first = n < RX_SIZE - pos ? n : (size_t)(RX_SIZE - pos);
	memcpy(p, rx->ring + pos, first);
	memcpy((uint8_t *)p + first, rx->ring, n - first);
	rx->read += n;
	return n;
}

int
stream_rx_eof(const struct stream_rx *rx)
{
	return rx->fin && rx->read == rx->fin_off;
}

uint64_t
stream_rx_ack_value(const struct stream_rx *rx)
{
	return rx->next + (rx->fin && rx->next == rx->fin_off);
}

void
stream_rx_acked(struct stream_rx *rx)
{
	rx->need_ack = 0;
	rx->unacked = 0;
}

int
stream_rx_gap(const struct stream_rx *rx, uint64_t *start, uint64_t *end)
{
	if (rx->high > rx->next) {
		/* The bit at next is clear, the one below high set. */
		*start = rx->next;
		*end = bits_find(rx->have, rx->next, rx->high, 1);
		return 1;
	}
	if (rx->fin && rx->fin_off > rx->next) {
		*start = rx->next;
		*end = rx->fin_off;
		return 1;
	}
	return 0;
}

uint64_t
stream_rx_nak_at(const struct stream_rx *rx, uint32_t interval_ms)
{
	uint64_t start, end;

	if (!stream_rx_gap(rx, &start, &end))
		return STREAM_NEVER;
	if (!rx->nak_sent || rx->nak_start != start)
		return 0;
	return rx->nak_time + interval_ms;
}

void
stream_rx_nak_sent(struct stream_rx *rx, uint64_t now)
{
	uint64_t start, end;

	if (!stream_rx_gap(rx, &start, &end))
		return;
	rx->nak_sent = 1;
	rx->nak_start = start;
	rx->nak_time = now;
}

/* conn.h: what the two handshake machines share: bounded input, the version lines, framing in each direction, flights, DISCONNECT and the failure text. */
#ifndef MP_PROTO_CONN_H
#define MP_PROTO_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/proto/handshake.h"
#include "common/proto/msg.h"
#include "common/proto/tcprecord.h"
#include "common/proto/transcript.h"

/*
 * The connection reads the peer's version line, then frames, and hands
 * each message other than DISCONNECT to the machine's on_message(), which
 * returns HS_CONTINUE, HS_DONE or a negative mp_err (after hs_conn_fail()).
 * What the machine sends while handling one message is collected in a
 * flight and appended to the caller's output in one piece, preceded by
 * the own version line the first time. On failure the flight is dropped
 * and, if the failure names a reason, a DISCONNECT is sent instead.
 */
struct hs_conn {
	int is_server;
	struct buf *in;			/* received, not yet used */
	struct buf *msg;		/* the message being read */
	struct buf *wmsg;		/* the message being written */
	struct buf *flight;		/* frames not yet in the output */
	uint64_t flight_sealed;		/* encrypted records in flight */
	struct buf *own_version;	/* CR LF included */
	struct buf *peer_version;	/* CR LF excluded */
	struct buf *own_hello, *peer_hello;	/* as sent, type included */
	struct hs_rec send, recv;
	int version_sent;
	int have_peer_version;
	int result;			/* HS_CONTINUE while running */
	uint32_t reason;		/* DISCONNECT to send on failure */
	char err[HS_TEXT_MAX + 1];
	int (*on_message)(void *arg, unsigned int type, struct buf *payload);
	void *arg;
};

int hs_conn_init(struct hs_conn *c, int is_server, const char *software,
    int (*on_message)(void *, unsigned int, struct buf *), void *arg);
void hs_conn_free(struct hs_conn *c);

/* Feed received bytes: HS_CONTINUE, HS_DONE or a negative mp_err, the
 * same again on every later call once finished. */
int hs_conn_input(struct hs_conn *c, const uint8_t *data, size_t len,
    struct buf *out);

/* End with the failure r outside hs_conn_input(): nothing is sent. */
int hs_conn_abort(struct hs_conn *c, int r);

/* Record a failure: its text (also the DISCONNECT description) and the
 * DISCONNECT reason to send, 0 for none. Returns rc. */
int hs_conn_fail(struct hs_conn *c, int rc, uint32_t reason,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Fail with PROTOCOL_ERROR for a message that does not parse (r says
 * why), or that is not expected now (wanted names what is). */
int hs_conn_malformed(struct hs_conn *c, unsigned int type, int r);
int hs_conn_unexpected(struct hs_conn *c, unsigned int type,
    const char *wanted);
/* Fail with INTERNAL_ERROR: "what: mp_strerror(r)". */
int hs_conn_internal(struct hs_conn *c, int r, const char *what);

/* The emptied buffer to build the next message in, then hs_conn_send()
 * to frame it into the flight. */
struct buf *hs_conn_msg(struct hs_conn *c);
int hs_conn_send(struct hs_conn *c);
/* Build, keep (for H) and send the own HELLO. */
int hs_conn_send_hello(struct hs_conn *c, const struct hs_hello *m);
/* Append the flight to out (the client's first flight). */
int hs_conn_flush(struct hs_conn *c, struct buf *out);

/* The values of the key exchange that enter H besides the version
 * lines and HELLOs the connection keeps. */
struct hs_exchange {
	const uint8_t *host_key, *q_c, *q_s, *k;
	size_t host_key_len, q_c_len, q_s_len, k_len;
};
/* H into k->h (the hash of k->kex). */
int hs_conn_hash(const struct hs_conn *c, const struct hs_exchange *x,
    struct hs_keys *k);
/* Every key from the secret and k->h; both directions are encrypted
 * from now on. */
int hs_conn_start_keys(struct hs_conn *c, struct hs_keys *k,
    const uint8_t *secret, size_t secret_len);

#endif

/* conn.c: what the two handshake machines share: bounded input, the version lines, framing in each direction, flights, DISCONNECT and the failure text. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/proto/conn.h"
#include "common/proto/version.h"

#define STEP_MORE	2	/* a step that needs more input */
#define HELLO_MAX	HS_MAX_MESSAGE
/* A flight: the version line and at most two full frames. */
#define FLIGHT_MAX	(HS_VERSION_LINE_MAX + 2 * HS_REC_FRAME_MAX)

/* DISCONNECT reasons: their names, and the error a peer's DISCONNECT
 * with each turns into. */
static const struct {
	uint32_t code;
	const char *name;
	int err;
} reasons[] = {
	{ HS_R_PROTOCOL_ERROR, "PROTOCOL_ERROR", MP_ERR_INVALID_FORMAT },
	{ HS_R_KEX_FAILED, "KEX_FAILED", MP_ERR_UNKNOWN_ALGORITHM },
	{ HS_R_HOST_KEY_NOT_VERIFIABLE, "HOST_KEY_NOT_VERIFIABLE",
	    MP_ERR_SIGNATURE },
	{ HS_R_AUTH_FAILED, "AUTH_FAILED", MP_ERR_AUTH },
	{ HS_R_VERSION_NOT_SUPPORTED, "VERSION_NOT_SUPPORTED",
	    MP_ERR_UNKNOWN_ALGORITHM },
	{ HS_R_LOGIN_GRACE_TIME, "LOGIN_GRACE_TIME", MP_ERR_LIMIT },
	{ HS_R_SESSION_NOT_FOUND, "SESSION_NOT_FOUND", MP_ERR_NOT_FOUND },
	{ HS_R_SESSION_REFUSED, "SESSION_REFUSED", MP_ERR_AUTH },
	{ HS_R_RESOURCE_SHORTAGE, "RESOURCE_SHORTAGE", MP_ERR_LIMIT },
	{ HS_R_INTERNAL_ERROR, "INTERNAL_ERROR", MP_ERR_INTERNAL },
	{ HS_R_BY_APPLICATION, "BY_APPLICATION", MP_ERR_LIMIT },
};

int
hs_conn_init(struct hs_conn *c, int is_server, const char *software,
    int (*on_message)(void *, unsigned int, struct buf *), void *arg)
{
	memset(c, 0, sizeof(*c));
	c->is_server = is_server;
	c->on_message = on_message;
	c->arg = arg;
	c->result = HS_CONTINUE;
	if ((c->in = buf_new(HS_REC_FRAME_MAX)) == NULL ||
	    (c->msg = buf_new(HS_MAX_MESSAGE)) == NULL ||
	    (c->wmsg = buf_new(HS_MAX_MESSAGE)) == NULL ||
	    (c->flight = buf_new(FLIGHT_MAX)) == NULL ||
	    (c->own_version = buf_new(HS_VERSION_LINE_MAX)) == NULL ||
	    (c->peer_version = buf_new(HS_VERSION_LINE_MAX)) == NULL ||
	    (c->own_hello = buf_new(HELLO_MAX)) == NULL ||
	    (c->peer_hello = buf_new(HELLO_MAX)) == NULL) {
		hs_conn_free(c);
		return MP_ERR_ALLOC;
	}
	return hs_version_put(c->own_version, software);
}

void
hs_conn_free(struct hs_conn *c)
{
	buf_free(c->in);
	buf_free(c->msg);
	buf_free(c->wmsg);
	buf_free(c->flight);
	buf_free(c->own_version);
	buf_free(c->peer_version);
	buf_free(c->own_hello);
	buf_free(c->peer_hello);
	hs_rec_clear(&c->send);
	hs_rec_clear(&c->recv);
	memset(c, 0, sizeof(*c));
}

int
hs_conn_fail(struct hs_conn *c, int rc, uint32_t reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->reason = reason;
	/* A callback that broke its contract must not read as HS_CONTINUE
	 * or HS_DONE. */
	return rc < 0 ? rc : MP_ERR_INTERNAL;
}

int
hs_conn_malformed(struct hs_conn *c, unsigned int type, int r)
{
	return hs_conn_fail(c, r, HS_R_PROTOCOL_ERROR, "malformed %s message "
	    "(%s)", hs_msg_name(type), mp_strerror(r));
}

int
hs_conn_unexpected(struct hs_conn *c, unsigned int type, const char *wanted)
{
	return hs_conn_fail(c, MP_ERR_INVALID_FORMAT, HS_R_PROTOCOL_ERROR,
	    "unexpected %s message while waiting for %s", hs_msg_name(type),
	    wanted);
}

int
hs_conn_internal(struct hs_conn *c, int r, const char *what)
{
	return hs_conn_fail(c, r, HS_R_INTERNAL_ERROR, "%s: %s", what,
	    mp_strerror(r));
}

struct buf *
hs_conn_msg(struct hs_conn *c)
{
	buf_reset(c->wmsg);
	return c->wmsg;
}

int
hs_conn_send(struct hs_conn *c)
{
	uint64_t seq = c->send.seq;
	int r;

	r = hs_rec_write(&c->send, buf_ptr(c->wmsg), buf_len(c->wmsg),
	    c->flight);
	c->flight_sealed += c->send.seq - seq;
	return r;
}

/* Forget the unsent flight, and the sequence numbers its encrypted
 * records took: they never leave this process, and the peer expects the
 * next record (a DISCONNECT, say) under the first of them. */
static void
drop_flight(struct hs_conn *c)
{
	buf_reset(c->flight);
	c->send.seq -= c->flight_sealed;
	c->flight_sealed = 0;
}

int
hs_conn_send_hello(struct hs_conn *c, const struct hs_hello *m)
{
	struct buf *b = hs_conn_msg(c);
	int r;

	buf_reset(c->own_hello);
	if ((r = hs_msg_put_hello(b, m)) != 0 ||
	    (r = buf_put(c->own_hello, buf_ptr(b), buf_len(b))) != 0)
		return r;
	return hs_conn_send(c);
}

int
hs_conn_flush(struct hs_conn *c, struct buf *out)
{
	size_t vlen = c->version_sent ? 0 : buf_len(c->own_version);
	size_t flen = buf_len(c->flight);
	uint8_t *p;
	int r;

	if (flen == 0)
		return 0;
	/* One reservation: out gets the whole flight or nothing. */
	if ((r = buf_reserve(out, vlen + flen, &p)) != 0)
		return r;
	memcpy(p, buf_ptr(c->own_version), vlen);
	memcpy(p + vlen, buf_ptr(c->flight), flen);
	c->version_sent = 1;
	buf_reset(c->flight);
	c->flight_sealed = 0;
	return 0;
}

/* The parts of H from both sides' version lines and HELLOs. */
static void
own_and_peer(const struct hs_conn *c, struct hs_transcript *t)
{
	int own_v = c->is_server ? HS_V_S : HS_V_C;
	int own_i = c->is_server ? HS_I_S : HS_I_C;
	int peer_v = c->is_server ? HS_V_C : HS_V_S;
	int peer_i = c->is_server ? HS_I_C : HS_I_S;

	t->p[own_v] = buf_ptr(c->own_version);
	t->len[own_v] = buf_len(c->own_version) - 2;	/* CR LF */
	t->p[peer_v] = buf_ptr(c->peer_version);
	t->len[peer_v] = buf_len(c->peer_version);
	t->p[own_i] = buf_ptr(c->own_hello);
	t->len[own_i] = buf_len(c->own_hello);
	t->p[peer_i] = buf_ptr(c->peer_hello);
	t->len[peer_i] = buf_len(c->peer_hello);
}

int
hs_conn_hash(const struct hs_conn *c, const struct hs_exchange *x,
    struct hs_keys *k)
{
	struct hs_transcript t;

	own_and_peer(c, &t);
	t.p[HS_K_S] = x->host_key;
	t.len[HS_K_S] = x->host_key_len;
	t.p[HS_Q_C] = x->q_c;
	t.len[HS_Q_C] = x->q_c_len;
	t.p[HS_Q_S] = x->q_s;
	t.len[HS_Q_S] = x->q_s_len;
	t.p[HS_K] = x->k;
	t.len[HS_K] = x->k_len;
	return hs_exchange_hash(&t, k->kex, k->h, &k->h_len);
}

int
hs_conn_start_keys(struct hs_conn *c, struct hs_keys *k,
    const uint8_t *secret, size_t secret_len)
{
	struct hs_tcp_keys tcp;
	const uint8_t *ck = tcp.c2s_key, *sk = tcp.s2c_key;
	const uint8_t *cm = tcp.c2s_mac, *sm = tcp.s2c_mac;
	int r;

	if ((r = hs_derive_keys(k, secret, secret_len, &tcp)) == 0 &&
	    (r = hs_rec_start(&c->send, k->aead, k->mac,
	    c->is_server ? sk : ck, c->is_server ? sm : cm)) == 0)
		r = hs_rec_start(&c->recv, k->aead, k->mac,
		    c->is_server ? ck : sk, c->is_server ? cm : sm);
	mp_zero(&tcp, sizeof(tcp));
	return r;
}

/* ---- reading ------------------------------------------------------ */

/* The first bytes must announce moshpit: anything else is refused
 * without a word (PROTOCOL.md 2.9). */
static int
check_peer_kind(struct hs_conn *c)
{
	const char *what;

	switch (hs_version_classify(buf_ptr(c->in), buf_len(c->in))) {
	case HS_PEER_INCOMPLETE:
		return STEP_MORE;
	case HS_PEER_MOSHPIT:
		return 0;
	case HS_PEER_SSH:
		what = c->is_server ?
		    "refusing an SSH client on the moshpit port" :
		    "the server speaks SSH, not moshpit";
		break;
	case HS_PEER_RUST_MOSHPIT:
		what = c->is_server ?
		    "refusing a client that speaks the Rust moshpit protocol, "
		    "which cannot authenticate; use mp from this suite" :
		    "the server speaks the Rust moshpit protocol, which "
		    "cannot authenticate";
		break;
	case HS_PEER_UNKNOWN:
	default:
		what = c->is_server ?
		    "refusing a peer that sent no moshpit version line" :
		    "the server sent no moshpit version line";
		break;
	}
	return hs_conn_fail(c, MP_ERR_INVALID_FORMAT, 0, "%s", what);
}

static int
read_version(struct hs_conn *c)
{
	char version[HS_VERSION_TOKEN_MAX + 1];
	const uint8_t *line = buf_ptr(c->in);
	size_t n, avail = buf_len(c->in);
	int r, scan;

	if ((r = check_peer_kind(c)) != 0)
		return r;
	if ((scan = hs_version_scan(line, avail, &n)) == MP_ERR_INCOMPLETE)
		return STEP_MORE;
	/* Another version gets its answer however the rest of its line
	 * looks, so parse what there is even if the scan failed. */
	r = hs_version_parse(line, scan == 0 ? n : avail < HS_VERSION_LINE_MAX ?
	    avail : HS_VERSION_LINE_MAX, version);
	if (version[0] != '\0' && strcmp(version, HS_PROTOCOL_VERSION) != 0)
		return hs_conn_fail(c, MP_ERR_UNKNOWN_ALGORITHM,
		    HS_R_VERSION_NOT_SUPPORTED, "protocol version %s is not "
		    "supported (this side speaks %s)", version,
		    HS_PROTOCOL_VERSION);
	if (scan != 0)
		return hs_conn_fail(c, scan, HS_R_PROTOCOL_ERROR,
		    scan == MP_ERR_TOO_LARGE ?
		    "version line longer than %d bytes" :
		    "version line holds a byte outside 0x20..0x7e (limit %d)",
		    HS_VERSION_LINE_MAX);
	if (r != 0)
		return hs_conn_fail(c, r, HS_R_PROTOCOL_ERROR,
		    "malformed version line \"%.*s\"", (int)n,
		    (const char *)line);
	if ((r = buf_put(c->peer_version, line, n)) != 0 ||
	    (r = buf_consume(c->in, n + 2)) != 0)
		return hs_conn_internal(c, r, "version line");
	c->have_peer_version = 1;
	return HS_CONTINUE;
}

static int
peer_disconnect(struct hs_conn *c, struct buf *payload)
{
	char text[HS_TEXT_MAX + 1], unknown[32];
	const char *name = NULL;
	uint32_t code;
	int err = MP_ERR_INVALID_FORMAT;
	size_t i;

	if (hs_msg_get_coded(payload, &code, text) != 0)
		return hs_conn_fail(c, MP_ERR_INVALID_FORMAT, 0,
		    "malformed DISCONNECT from the %s",
		    c->is_server ? "client" : "server");
	hs_msg_clean_text(text);
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].code == code) {
			name = reasons[i].name;
			err = reasons[i].err;
		}
	if (name == NULL) {
		snprintf(unknown, sizeof(unknown), "reason %u", code);
		name = unknown;
	}
	return hs_conn_fail(c, err, 0, "%s disconnected (%s): %s",
	    c->is_server ? "client" : "server", name, text);
}

static int
read_message(struct hs_conn *c)
{
	uint8_t type;
	int r;

	if ((r = hs_rec_read(&c->recv, c->in, c->msg)) == 0)
		return STEP_MORE;
	if (r == MP_ERR_AUTH)
		return hs_conn_fail(c, r, 0, "a record from the %s failed to "
		    "authenticate: the connection was altered in transit",
		    c->is_server ? "client" : "server");
	if (r < 0)
		return hs_conn_fail(c, r, HS_R_PROTOCOL_ERROR,
		    "bad frame length (%s)", mp_strerror(r));
	if ((r = buf_get_u8(c->msg, &type)) != 0)
		return hs_conn_fail(c, r, HS_R_PROTOCOL_ERROR, "empty message");
	if (hs_msg_name(type) == NULL)
		return hs_conn_fail(c, MP_ERR_INVALID_FORMAT,
		    HS_R_PROTOCOL_ERROR, "unknown message type %u", type);
	if (type == HS_MSG_DISCONNECT)
		return peer_disconnect(c, c->msg);
	if (type == HS_MSG_HELLO) {
		buf_reset(c->peer_hello);
		if ((r = buf_put_u8(c->peer_hello, type)) != 0 ||
		    (r = buf_put(c->peer_hello, buf_ptr(c->msg),
		    buf_len(c->msg))) != 0)
			return hs_conn_internal(c, r, "HELLO");
	}
	return c->on_message(c->arg, type, c->msg);
}

/* Steps until one needs more input, finishes or fails; each step's
 * flight goes out whole. */
static int
run(struct hs_conn *c, struct buf *out)
{
	int r, f;

	do {
		r = c->have_peer_version ? read_message(c) : read_version(c);
		if ((r == HS_CONTINUE || r == HS_DONE) &&
		    (f = hs_conn_flush(c, out)) != 0)
			return hs_conn_fail(c, f, 0, "cannot queue output: %s",
			    mp_strerror(f));
	} while (r == HS_CONTINUE);
	return r;
}

/* End with r: drop the unsent flight, send the DISCONNECT if any. */
static int
finish(struct hs_conn *c, struct buf *out, int r)
{
	struct buf *b;

	c->result = r;
	drop_flight(c);
	if (r >= 0 || c->reason == 0)
		return r;
	b = hs_conn_msg(c);
	if (hs_msg_put_coded(b, HS_MSG_DISCONNECT, c->reason, c->err) == 0 &&
	    hs_conn_send(c) == 0)
		(void)hs_conn_flush(c, out);
	return r;
}

int
hs_conn_abort(struct hs_conn *c, int r)
{
	drop_flight(c);
	return c->result = r;
}

int
hs_conn_input(struct hs_conn *c, const uint8_t *data, size_t len,
    struct buf *out)
{
	size_t n;
	int r;

	if (c->result != HS_CONTINUE)
		return c->result;
	do {
		n = buf_max_size(c->in) - buf_len(c->in);
		if (n > len)
			n = len;
		if (n == 0 && len > 0)		/* a whole frame always fits */
			return finish(c, out, hs_conn_fail(c, MP_ERR_INTERNAL,
			    HS_R_INTERNAL_ERROR, "input buffer full"));
		if ((r = buf_put(c->in, data, n)) != 0)
			return finish(c, out, hs_conn_internal(c, r, "input"));
		data += n;
		len -= n;
		r = run(c, out);
	} while (r == STEP_MORE && len > 0);
	return finish(c, out, r == STEP_MORE ? HS_CONTINUE : r);
}

/* reconnect.c: resuming the running session over a new TCP handshake (PROTOCOL.md 2.8.3), and keeping its resume secret in ~/.mp/sessions/ for a restarted mp. */
#include <string.h>

#include "client/client.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/secmem.h"

#define RECONNECT_CONNECT_MS	5000	/* per address, while reconnecting */
#define CARRY_MAX		(CHAN_BACKLOG_MAX + 64 * 1024)

void
reconnect_start(struct reconnect *rc, const struct hs_keys *k)
{
	int r;

	memcpy(rc->session.id, k->session_id, k->session_id_len);
	rc->session.id_len = k->session_id_len;
	memcpy(rc->session.secret, k->resume, sizeof(rc->session.secret));
	if (rc->saved[0] != '\0' && (r = saved_store(rc->saved, k)) != 0)
		log_verbose("cannot save the session for a restart in %s: %s",
		    rc->saved, mp_strerror(r));
}

void
reconnect_end(struct reconnect *rc)
{
	if (rc->saved[0] != '\0')
		saved_remove(rc->saved);
	mp_zero(&rc->session, sizeof(rc->session));
	buf_free(rc->carry);	/* zeroed: keystrokes may be passwords */
	rc->carry = NULL;
}

/* ---- input across channels ---------------------------------------------- */

int
reconnect_carry(struct reconnect *rc, const struct chan *old)
{
	uint64_t offset;
	uint8_t *p;
	size_t n;
	int r;

	if (rc->base_unknown)
		return 0;	/* nothing went on that channel: kept already */
	rc->base_unknown = 1;
	if (rc->carry == NULL && (rc->carry = buf_new(CARRY_MAX)) == NULL)
		return MP_ERR_ALLOC;
	buf_reset(rc->carry);
	if ((r = buf_reserve(rc->carry, CHAN_BACKLOG_MAX, &p)) != 0)
		return r;
	n = chan_unacked(old, CHAN_STREAM_INPUT, &offset, p, CHAN_BACKLOG_MAX);
	buf_consume_end(rc->carry, CHAN_BACKLOG_MAX - n);
	rc->carry_at = rc->input_base + offset;
	rc->carry_old = n;
	return 0;
}

int
reconnect_waiting(const struct reconnect *rc)
{
	return rc->base_unknown || (rc->carry != NULL && buf_len(rc->carry) > 0);
}

int
reconnect_hold(struct reconnect *rc, const uint8_t *p, size_t n)
{
	return buf_put(rc->carry, p, n);
}

int
reconnect_deliver(struct reconnect *rc, struct chan *c)
{
	uint64_t base;
	size_t n, skip = 0;
	int r;

	if (rc->base_unknown) {
		if (!chan_get_input_base(c, &base))
			return 0;
		/* What the server had of the carried input is not sent
		 * again. */
		if (base > rc->carry_at)
			skip = base - rc->carry_at < rc->carry_old ?
			    (size_t)(base - rc->carry_at) : rc->carry_old;
		buf_consume(rc->carry, skip);
		rc->input_base = base;
		rc->base_unknown = 0;
	}
	if (rc->carry == NULL || (n = buf_len(rc->carry)) == 0)
		return 0;
	if (n > chan_write_room(c, CHAN_STREAM_INPUT))
		n = chan_write_room(c, CHAN_STREAM_INPUT);
	if ((r = chan_write(c, CHAN_STREAM_INPUT, buf_ptr(rc->carry), n)) == 0)
		buf_consume(rc->carry, n);
	return r;
}

int
reconnect_resume(struct reconnect *rc, uint16_t cols, uint16_t rows,
    struct mp_conn *conn, struct mp_login *login, struct client_error *err)
{
	struct mp_config strict = *rc->cfg;
	struct hs_request req;
	int r;

	/* Nobody can answer a question now: the host key must be known. */
	strict.host_key_checking = MP_HKC_STRICT;
	memset(&req, 0, sizeof(req));
	req.type = HS_REQ_RESUME;
	memcpy(req.session_id, rc->session.id, rc->session.id_len);
	req.session_id_len = rc->session.id_len;
	req.cols = cols;
	req.rows = rows;
	if ((r = client_connect(strict.host, strict.port,
	    RECONNECT_CONNECT_MS, conn, err)) != 0)
		return r;
	r = login_run(&strict, conn, rc->ids, &req, rc->session.secret,
	    login, err);
	client_disconnect(conn);
	if (r == 0)
		reconnect_start(rc, &login->keys);
	return r;
}

/* reconnect.c: resuming the running session over a new TCP handshake (PROTOCOL.md 2.8.3), and keeping its resume secret in ~/.mp/sessions/ for a restarted mp. */
#include <string.h>

#include "client/client.h"
#include "common/err.h"
#include "common/log.h"
#include "common/secmem.h"

#define RECONNECT_CONNECT_MS	5000	/* per address, while reconnecting */

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

/* resume.c: resuming a session from another connection: the session's monitor listens on a control socket named by the session, checks the proof with its secret, and hands the new keys to its net child. */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "common/proto/transcript.h"
#include "common/secmem.h"
#include "monitor/monitor.h"

#define CTL_NAME_BYTES	32	/* of the session id, in hex, in the name */
#define CHECK_WAIT_MS	5000
#define KEYS_WAIT_MS	10000	/* the client's reply, then its keys */
#define CTL_BACKLOG	4

/* The control socket's address: "mps-session-" and the session id in
 * hex, in the abstract namespace (nothing to clean up in the file
 * system; both ends check that the other runs as the same user). */
static socklen_t
ctl_address(struct sockaddr_un *sa, const uint8_t *id, size_t id_len)
{
	size_t i, o;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	o = 1 + (size_t)snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1,
	    "mps-session-");
	for (i = 0; i < id_len && i < CTL_NAME_BYTES; i++, o += 2)
		snprintf(sa->sun_path + o, 3, "%02x", id[i]);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + o);
}

static int
peer_is_us(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
	    len == sizeof(cred) && cred.uid == geteuid();
}

/* One message of the expected type within ms; 0 or a negative mp_err. */
static int
recv_within(int fd, uint16_t want, struct buf *b, int ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	uint16_t type;
	int r;

	if ((r = poll(&pfd, 1, ms)) <= 0)
		return r == 0 ? MP_ERR_LIMIT : MP_ERR_SYSTEM;	/* timeout */
	if ((r = ipc_recv(fd, &type, b, NULL)) != 0)
		return r;
	return type == want ? 0 : MP_ERR_INVALID_FORMAT;
}

static int
send_result(int fd, uint16_t type, int result, uint16_t port, uint8_t mode)
{
	struct buf *b = buf_new(64);
	int r;

	if (b == NULL)
		return MP_ERR_ALLOC;
	r = 0;
	if (type == MON_CTL_CHECK_ANS && ((r = buf_put_u16(b, port)) != 0 ||
	    (r = buf_put_u8(b, mode)) != 0))
		r = MP_ERR_ALLOC;
	if (r == 0 && (r = monmsg_put_result(b, result)) == 0)
		r = ipc_send(fd, type, b, -1);
	buf_free(b);
	return r;
}

void
resume_clear(struct mon_conn *mc)
{
	if (mc->ctl_fd > 0)
		close(mc->ctl_fd);
	mc->ctl_fd = -1;
	mp_zero(mc->resume_secret, sizeof(mc->resume_secret));
}

/* ---- the session's side -------------------------------------------------- */

static void
keep_secret(struct mon_conn *mc, const struct hs_keys *k)
{
	memcpy(mc->session_id, k->session_id, k->session_id_len);
	mc->session_id_len = k->session_id_len;
	snprintf(mc->session_kdf, sizeof(mc->session_kdf), "%s", k->kdf);
	memcpy(mc->resume_secret, k->resume, sizeof(mc->resume_secret));
}

/* What proves a resume, from the session's keys (MON_SESSION_KEYS, or
 * with_size: MON_CTL_KEYS); the buffer is left as it was. */
static int
take_secret(struct mon_conn *mc, const struct buf *keys, int with_size)
{
	struct buf *copy = buf_from(buf_ptr(keys), buf_len(keys));
	struct hs_keys k;
	uint16_t size[4];
	int r;

	if (copy == NULL)
		return MP_ERR_ALLOC;
	r = with_size ? monmsg_get_rekey(copy, &k, size) :
	    monmsg_get_keys(copy, &k);
	if (r == 0)
		keep_secret(mc, &k);
	hs_keys_clear(&k);
	buf_free(copy);
	return r;
}

int
resume_listen(struct mon_conn *mc, const struct buf *keys)
{
	struct sockaddr_un sa;
	socklen_t len;
	int r;

	mc->ctl_fd = -1;
	if ((r = take_secret(mc, keys, 0)) != 0)
		return r;
	len = ctl_address(&sa, mc->session_id, mc->session_id_len);
	if ((mc->ctl_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) == -1 ||
	    bind(mc->ctl_fd, (struct sockaddr *)&sa, len) != 0 ||
	    listen(mc->ctl_fd, CTL_BACKLOG) != 0) {
		log_error("the session of %s cannot be resumed: control "
		    "socket: %s", mc->user.name, strerror(errno));
		resume_clear(mc);
		return MP_ERR_SYSTEM;
	}
	return 0;
}

/* Why the claim does not hold, or NULL if it does. */
static const char *
claim_refusal(const struct mon_conn *mc, const struct mon_resume_claim *c)
{
	uint8_t want[HASH_MAX_BYTES];
	size_t want_len;
	int same;

	if (strcmp(c->user, mc->user.name) != 0)
		return "the session belongs to another user";
	if (mc->no_pty)
		return "a session without a terminal cannot be resumed";
	if (strcmp(c->kdf, mc->session_kdf) != 0 ||
	    hs_resume_proof(mc->session_kdf, mc->resume_secret, c->h,
	    c->h_len, want, &want_len) != 0)
		return "wrong proof";
	same = want_len == c->proof_len &&
	    mp_ct_equal(want, c->proof, want_len);
	mp_zero(want, sizeof(want));
	return same ? NULL : "wrong proof";
}

/* The new keys (and the window size) to the net child. */
static int
serve_keys(struct mon_conn *mc, int fd, struct buf *b)
{
	uint8_t saved[HS_RESUME_BYTES], id[HS_H_MAX];
	char kdf[sizeof(mc->session_kdf)];
	size_t id_len = mc->session_id_len;
	int r;

	memcpy(id, mc->session_id, id_len);
	memcpy(saved, mc->resume_secret, sizeof(saved));
	memcpy(kdf, mc->session_kdf, sizeof(kdf));
	if ((r = recv_within(fd, MON_CTL_KEYS, b, KEYS_WAIT_MS)) != 0 ||
	    (r = take_secret(mc, b, 1)) != 0)
		goto out;
	if (mc->session_id_len != id_len ||
	    !mp_ct_equal(mc->session_id, id, id_len)) {
		r = MP_ERR_INVALID_ARGUMENT;
		goto out;
	}
	if (mc->ipc_fd < 0 || (r = ipc_send(mc->ipc_fd, MON_REKEY, b,
	    -1)) != 0)
		r = r != 0 ? r : MP_ERR_NOT_FOUND;
out:
	if (r != 0) {	/* the old secret still holds */
		memcpy(mc->resume_secret, saved, sizeof(saved));
		memcpy(mc->session_kdf, kdf, sizeof(kdf));
		memcpy(mc->session_id, id, id_len);
		mc->session_id_len = id_len;
	}
	mp_zero(saved, sizeof(saved));
	buf_reset(b);
	(void)send_result(fd, MON_CTL_KEYS_ANS, r, 0, 0);
	return r;
}

static void
serve(struct mon_conn *mc, int fd, struct buf *b)
{
	struct mon_resume_claim c;
	const char *why;
	int r;

	memset(&c, 0, sizeof(c));
	if ((r = recv_within(fd, MON_CTL_CHECK, b, CHECK_WAIT_MS)) != 0 ||
	    (r = monmsg_get_resume_claim(b, &c)) != 0) {
		log_error("malformed resume request on the control socket of "
		    "the session of %s: %s", mc->user.name, mp_strerror(r));
		return;
	}
	if ((why = claim_refusal(mc, &c)) != NULL) {
		log_info("refused to resume the session of %s for %s from %s "
		    "port %u: %s", mc->user.name, c.user, c.addr, c.port, why);
		(void)send_result(fd, MON_CTL_CHECK_ANS, MP_ERR_NOT_FOUND, 0, 0);
		return;
	}
	if (send_result(fd, MON_CTL_CHECK_ANS, 0, mc->udp_port,
	    (uint8_t)mc->mode) != 0)
		return;
	if ((r = serve_keys(mc, fd, b)) != 0)
		log_error("resuming the session of %s from %s port %u failed: "
		    "%s", mc->user.name, c.addr, c.port, mp_strerror(r));
	else
		log_info("session of %s resumed from %s port %u",
		    mc->user.name, c.addr, c.port);
}

void
resume_serve(struct mon_conn *mc)
{
	struct buf *b;
	int fd;

	if ((fd = accept4(mc->ctl_fd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	if (!peer_is_us(fd)) {
		log_error("refused a connection to the control socket of the "
		    "session of %s from another user", mc->user.name);
		close(fd);
		return;
	}
	if ((b = buf_new(IPC_PAYLOAD_MAX)) != NULL)
		serve(mc, fd, b);
	buf_free(b);
	close(fd);
}

/* ---- the resuming connection's side -------------------------------------- */

/* This connection's claim; a KDF name or proof too long for it is
 * refused. */
static int
put_claim(const struct mon_conn *mc, const char *kdf, const uint8_t *proof,
    size_t proof_len, struct buf *b)
{
	struct mon_resume_claim c;
	int r;

	memset(&c, 0, sizeof(c));
	if (strlen(kdf) >= sizeof(c.kdf) || proof_len > sizeof(c.proof) ||
	    mc->h_len > sizeof(c.h))
		return MP_ERR_INVALID_ARGUMENT;
	snprintf(c.user, sizeof(c.user), "%s", mc->user.name);
	snprintf(c.kdf, sizeof(c.kdf), "%s", kdf);
	snprintf(c.addr, sizeof(c.addr), "%s", mc->peer_addr);
	memcpy(c.h, mc->h, mc->h_len);
	c.h_len = mc->h_len;
	memcpy(c.proof, proof, proof_len);
	c.proof_len = proof_len;
	c.port = mc->peer_port;
	r = monmsg_put_resume_claim(b, &c);
	mp_zero(&c, sizeof(c));
	return r;
}

static int
connect_session(const uint8_t *id, size_t id_len)
{
	struct sockaddr_un sa;
	socklen_t len = ctl_address(&sa, id, id_len);
	int fd;

	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, len) != 0 || !peer_is_us(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
ask_session(struct mon_conn *mc, const char *kdf, const uint8_t *proof,
    size_t proof_len, struct buf *b)
{
	uint8_t mode;
	int r, result;

	if ((r = put_claim(mc, kdf, proof, proof_len, b)) != 0 ||
	    (r = ipc_send(mc->ctl_fd, MON_CTL_CHECK, b, -1)) != 0 ||
	    (r = recv_within(mc->ctl_fd, MON_CTL_CHECK_ANS, b,
	    CHECK_WAIT_MS)) != 0 ||
	    (r = buf_get_u16(b, &mc->udp_port)) != 0 ||
	    (r = buf_get_u8(b, &mode)) != 0 ||
	    (r = monmsg_get_result(b, &result)) != 0)
		return r;
	if (result != 0)
		return result;
	if (mode > MON_MODE_STATESYNC || mc->udp_port == 0)
		return MP_ERR_INVALID_FORMAT;
	mc->mode = mode;
	return 0;
}

int
resume_check(struct mon_conn *mc, const char *kdf, const uint8_t *id,
    size_t id_len, const uint8_t *proof, size_t proof_len)
{
	struct buf *b;
	int r;

	resume_clear(mc);
	if (id_len > sizeof(mc->session_id))
		return MP_ERR_NOT_FOUND;
	if ((mc->ctl_fd = connect_session(id, id_len)) == -1) {
		log_info("resume requested by %s from %s port %u: no such "
		    "session", mc->user.name, mc->peer_addr, mc->peer_port);
		return MP_ERR_NOT_FOUND;
	}
	if ((b = buf_new(IPC_PAYLOAD_MAX)) == NULL)
		r = MP_ERR_ALLOC;
	else
		r = ask_session(mc, kdf, proof, proof_len, b);
	buf_free(b);
	if (r != 0) {
		log_info("resume requested by %s from %s port %u: refused by "
		    "the session (%s)", mc->user.name, mc->peer_addr,
		    mc->peer_port, mp_strerror(r));
		resume_clear(mc);
		return MP_ERR_NOT_FOUND;
	}
	memcpy(mc->session_id, id, id_len);
	mc->session_id_len = id_len;
	return 0;
}

int
resume_hand_over(struct mon_conn *mc, const struct buf *keys)
{
	struct buf *b = buf_new(IPC_PAYLOAD_MAX);
	const uint16_t size[4] = { mc->req.cols, mc->req.rows,
	    mc->req.xpixel, mc->req.ypixel };
	struct hs_keys k;
	struct buf *copy;
	int r, result;

	if (b == NULL || (copy = buf_from(buf_ptr(keys), buf_len(keys))) ==
	    NULL) {
		buf_free(b);
		return MP_ERR_ALLOC;
	}
	r = monmsg_get_keys(copy, &k);
	buf_free(copy);
	if (r == 0 && (r = monmsg_put_rekey(b, &k, size)) == 0 &&
	    (r = ipc_send(mc->ctl_fd, MON_CTL_KEYS, b, -1)) == 0 &&
	    (r = recv_within(mc->ctl_fd, MON_CTL_KEYS_ANS, b,
	    KEYS_WAIT_MS)) == 0 &&
	    (r = monmsg_get_result(b, &result)) == 0)
		r = result;
	hs_keys_clear(&k);
	buf_free(b);
	resume_clear(mc);
	return r;
}

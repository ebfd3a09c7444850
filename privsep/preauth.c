/* preauth.c: the net child before authentication: runs the server handshake on the TCP socket, every privileged step a request to the monitor. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/io.h"
#include "common/ipc.h"
#include "common/log.h"
#include "common/monmsg.h"
#include "common/proto/handshake.h"
#include "common/proto/msg.h"
#include "common/secmem.h"
#include "privsep/net.h"

#define SOFTWARE	"moshpit_0.1.0"
#define READ_CHUNK	4096

/* The answer buffer every request reuses. */
static struct buf *answer;

static struct buf *
request_buf(void)
{
	struct buf *b;

	if ((b = buf_new(IPC_PAYLOAD_MAX)) == NULL)
		fatal("out of memory");
	return b;
}

/* Send req (freed) as type; the answer's payload is left in answer. */
static void
call(uint16_t type, struct buf *req)
{
	net_call(type, req, answer);
	buf_free(req);
}

static int
result_call(uint16_t type, struct buf *req)
{
	int result;

	call(type, req);
	if (monmsg_get_result(answer, &result) != 0)
		fatal("malformed answer %u from the monitor", type + 1);
	return result;
}

/* Copy the single string of the answer into out. */
static int
string_answer(struct buf *out)
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(answer, &p, &len, HS_MAX_MESSAGE)) != 0 ||
	    (r = buf_expect_end(answer)) != 0)
		fatal("malformed answer from the monitor: %s", mp_strerror(r));
	if (len == 0)
		return MP_ERR_NOT_FOUND;
	return buf_put(out, p, len);
}

static int
op_host_key(void *arg, const char *alg, struct buf *blob)
{
	struct buf *req = request_buf();

	(void)arg;
	if (buf_put_cstring(req, alg) != 0)
		fatal("out of memory");
	call(MON_HOSTKEY, req);
	return string_answer(blob);
}

static int
op_sign_h(void *arg, const char *alg, const uint8_t *h, size_t h_len,
    struct buf *sig)
{
	struct buf *req = request_buf();

	(void)arg;
	if (buf_put_cstring(req, alg) != 0 ||
	    buf_put_string(req, h, h_len) != 0)
		fatal("out of memory");
	call(MON_SIGN, req);
	return string_answer(sig);
}

static int
op_key_allowed(void *arg, const char *user, const uint8_t *blob,
    size_t blob_len)
{
	struct buf *req = request_buf();

	(void)arg;
	if (buf_put_cstring(req, user) != 0 ||
	    buf_put_string(req, blob, blob_len) != 0)
		fatal("out of memory");
	return result_call(MON_KEYALLOWED, req);
}

static int
op_verify_user(void *arg, const char *user, const uint8_t *blob,
    size_t blob_len, const uint8_t *sig, size_t sig_len)
{
	struct buf *req = request_buf();

	(void)arg;
	if (buf_put_cstring(req, user) != 0 ||
	    buf_put_string(req, blob, blob_len) != 0 ||
	    buf_put_string(req, sig, sig_len) != 0)
		fatal("out of memory");
	return result_call(MON_VERIFY, req);
}

static int
op_verify_resume(void *arg, const char *user, const char *kdf,
    const uint8_t *id, size_t id_len, const uint8_t *proof, size_t proof_len)
{
	struct mon_resume_request q;
	struct buf *req = request_buf();

	(void)arg;
	/* The handshake keeps each within its bound. */
	memset(&q, 0, sizeof(q));
	if (strlen(user) >= sizeof(q.user) || strlen(kdf) >= sizeof(q.kdf) ||
	    id_len > sizeof(q.id) || proof_len > sizeof(q.proof))
		fatal("resume request too long for the monitor");
	memcpy(q.user, user, strlen(user));
	memcpy(q.kdf, kdf, strlen(kdf));
	memcpy(q.id, id, id_len);
	q.id_len = id_len;
	memcpy(q.proof, proof, proof_len);
	q.proof_len = proof_len;
	if (monmsg_put_resume_request(req, &q) != 0)
		fatal("out of memory");
	mp_zero(&q, sizeof(q));
	return result_call(MON_RESUME, req);
}

static int
op_request(void *arg, const char *user, const struct hs_request *hreq,
    struct hs_reply *reply)
{
	static const uint8_t checked[32];	/* MON_RESUME checked the proof */
	struct buf *req = request_buf();

	(void)arg;
	(void)user;	/* the monitor knows whom it authenticated */
	if (hs_msg_put_request(req, hreq, checked, sizeof(checked)) != 0)
		fatal("cannot encode the session request");
	call(MON_REQUEST, req);
	if (monmsg_get_reply(answer, reply) != 0)
		fatal("malformed session reply from the monitor");
	return 0;
}

static int
write_all(int fd, struct buf *out)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	ssize_t n;

	for (;;) {
		if ((n = io_write_some(fd, buf_ptr(out), buf_len(out))) < 0)
			return -1;
		buf_consume(out, (size_t)n);
		if (buf_len(out) == 0)
			break;
		if (poll(&pfd, 1, 10000) <= 0)	/* it would block */
			return -1;
	}
	buf_reset(out);
	return 0;
}

static int
export_keys(struct hs_server *hs)
{
	struct hs_keys keys;
	struct buf *msg = request_buf();
	int r;

	if ((r = hs_server_keys(hs, &keys)) != 0)
		return NET_EXIT_OK;	/* a list, or a refused request */
	r = monmsg_put_keys(msg, &keys);
	hs_keys_clear(&keys);
	if (r != 0 || ipc_send(MON_FD_IPC, MON_KEYS, msg, -1) != 0)
		fatal("cannot hand the session keys to the monitor");
	buf_free(msg);
	return NET_EXIT_OK;
}

static int
failure_status(struct hs_server *hs, int r)
{
	log_info("handshake failed: %s", hs_server_error(hs));
	return r == MP_ERR_AUTH ? NET_EXIT_AUTHFAIL : NET_EXIT_CLOSED;
}

/* Wait for input until the deadline (0: none); 0 on input, -1 on expiry. */
static int
wait_input(uint64_t deadline)
{
	struct pollfd pfd = { MON_FD_NET, POLLIN, 0 };
	uint64_t now;
	int timeout = -1, n;

	if (deadline != 0) {
		now = mp_monotonic_ms();
		if (now >= deadline)
			return -1;
		timeout = (int)(deadline - now);
	}
	n = poll(&pfd, 1, timeout);
	return n > 0 || (n < 0 && errno == EINTR) ? 0 : -1;
}

static int
run(struct hs_server *hs, struct buf *out, uint64_t deadline)
{
	uint8_t in[READ_CHUNK];
	ssize_t n;
	int r;

	for (;;) {
		if (wait_input(deadline) != 0) {
			log_info("login grace time exceeded");
			return NET_EXIT_GRACE;
		}
		n = read(MON_FD_NET, in, sizeof(in));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			log_verbose("connection closed by the client during "
			    "the handshake");
			return NET_EXIT_CLOSED;
		}
		r = hs_server_input(hs, in, (size_t)n, out);
		if (write_all(MON_FD_NET, out) != 0 && r >= 0) {
			log_verbose("cannot write to the client");
			return NET_EXIT_CLOSED;
		}
		if (r == HS_DONE)
			return export_keys(hs);
		if (r < 0)
			return failure_status(hs, r);
	}
}

int
net_preauth(const struct mon_config *cfg)
{
	static const struct hs_server_ops ops_template = {
		NULL, op_host_key, op_sign_h, op_key_allowed, op_verify_user,
		op_verify_resume, op_request,
	};
	struct hs_server_ops ops = ops_template;
	struct hs_algorithms algs = {
		cfg->kex[0] ? cfg->kex : NULL, NULL,
		cfg->aead[0] ? cfg->aead : NULL, cfg->mac[0] ? cfg->mac : NULL,
		cfg->kdf[0] ? cfg->kdf : NULL,
	};
	struct hs_server *hs;
	struct buf *out;
	uint64_t deadline = 0;
	int status;

	ops.hostkey_algorithms = cfg->hostkey;
	algs.hostkey = cfg->hostkey;
	if (cfg->grace_ms != 0)
		deadline = mp_monotonic_ms() + cfg->grace_ms;
	answer = request_buf();
	if ((out = buf_new(4 * HS_MAX_MESSAGE)) == NULL ||
	    (hs = hs_server_new(&algs, SOFTWARE, &ops, NULL)) == NULL)
		fatal("cannot start the handshake");
	status = run(hs, out, deadline);
	hs_server_free(hs);
	buf_free(out);
	buf_free(answer);
	return status;
}

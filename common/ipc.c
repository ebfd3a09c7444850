/* ipc.c: one monitor IPC record per sendmsg/recvmsg on a SOCK_SEQPACKET socket, with at most one passed descriptor. */
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/err.h"
#include "common/ipc.h"

/* Room for two descriptors, so a second one arrives and is refused
 * instead of being dropped by the kernel unseen. */
union ipc_cmsg {
	struct cmsghdr hdr;
	uint8_t buf[CMSG_SPACE(2 * sizeof(int))];
};

int
ipc_parse_header(const uint8_t *p, size_t len, uint16_t *type,
    uint32_t *plen)
{
	uint32_t n;

	if (len < IPC_HDR_LEN)
		return MP_ERR_INCOMPLETE;
	n = load_be32(p);
	if (n > IPC_PAYLOAD_MAX)
		return MP_ERR_TOO_LARGE;
	if (load_be16(p + 6) != 0)
		return MP_ERR_INVALID_FORMAT;
	if (len - IPC_HDR_LEN < n)
		return MP_ERR_INCOMPLETE;
	if (len - IPC_HDR_LEN > n)
		return MP_ERR_TRAILING_DATA;
	*type = load_be16(p + 4);
	*plen = n;
	return 0;
}

static void
attach_fd(struct msghdr *msg, union ipc_cmsg *cm, int pass_fd)
{
	struct cmsghdr *c;

	memset(cm, 0, sizeof(*cm));
	msg->msg_control = cm->buf;
	msg->msg_controllen = CMSG_SPACE(sizeof(int));
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &pass_fd, sizeof(pass_fd));
}

int
ipc_send(int fd, uint16_t type, const struct buf *payload, int pass_fd)
{
	uint8_t hdr[IPC_HDR_LEN];
	struct iovec iov[2];
	struct msghdr msg;
	union ipc_cmsg cm;
	size_t len = payload == NULL ? 0 : buf_len(payload);
	ssize_t n;

	if (len > IPC_PAYLOAD_MAX)
		return MP_ERR_TOO_LARGE;
	store_be16(store_be16(store_be32(hdr, (uint32_t)len), type), 0);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = len == 0 ? NULL : (void *)(uintptr_t)buf_ptr(payload);
	iov[1].iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	if (pass_fd >= 0)
		attach_fd(&msg, &cm, pass_fd);
	while ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) == -1 && errno == EINTR)
		;
	if (n == -1)
		return MP_ERR_SYSTEM;
	if ((size_t)n != sizeof(hdr) + len) {
		errno = EMSGSIZE;	/* not a SOCK_SEQPACKET socket */
		return MP_ERR_SYSTEM;
	}
	return 0;
}

/* One recvmsg into the header and the payload area p, retrying EINTR. */
static ssize_t
recv_record(int fd, struct msghdr *msg, union ipc_cmsg *cm, uint8_t *hdr,
    uint8_t *p)
{
	struct iovec iov[2];
	ssize_t n;

	iov[0].iov_base = hdr;
	iov[0].iov_len = IPC_HDR_LEN;
	iov[1].iov_base = p;
	iov[1].iov_len = IPC_PAYLOAD_MAX;
	memset(msg, 0, sizeof(*msg));
	memset(cm, 0, sizeof(*cm));
	msg->msg_iov = iov;
	msg->msg_iovlen = 2;
	msg->msg_control = cm->buf;
	msg->msg_controllen = sizeof(cm->buf);
	while ((n = recvmsg(fd, msg, MSG_CMSG_CLOEXEC)) == -1 && errno == EINTR)
		;
	msg->msg_iov = NULL;	/* iov dies here */
	return n;
}

/* Take every received descriptor: the first into *fd, the others closed;
 * *nfds counts them all. Ancillary data of another kind is refused. */
static int
take_fds(struct msghdr *msg, int *fd, int *nfds)
{
	struct cmsghdr *c;
	size_t i, n;
	int got, r = 0;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			r = MP_ERR_INVALID_FORMAT;
			continue;
		}
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(got));
			if ((*nfds)++ == 0)
				*fd = got;
			else
				close(got);
		}
	}
	return r;
}

/* Judge a record of n bytes that came with nfds descriptors. */
static int
check_record(const struct msghdr *msg, ssize_t n, int nfds, int fd_ok,
    const uint8_t *hdr, uint16_t *type, uint32_t *plen)
{
	if (n == 0)
		return MP_ERR_NOT_FOUND;
	if (msg->msg_flags & MSG_TRUNC)
		return MP_ERR_TOO_LARGE;
	if ((msg->msg_flags & MSG_CTRUNC) || nfds > 1)
		return MP_ERR_LIMIT;
	if (nfds == 1 && !fd_ok)
		return MP_ERR_INVALID_FORMAT;
	return ipc_parse_header(hdr, (size_t)n, type, plen);
}

int
ipc_recv(int fd, uint16_t *type, struct buf *payload, int *recv_fd)
{
	uint8_t hdr[IPC_HDR_LEN], *p;
	struct msghdr msg;
	union ipc_cmsg cm;
	ssize_t n;
	uint32_t plen = 0;
	int r, got = -1, nfds = 0, saved;

	if (recv_fd != NULL)
		*recv_fd = -1;
	buf_reset(payload);
	if (buf_max_size(payload) < IPC_PAYLOAD_MAX)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = buf_reserve(payload, IPC_PAYLOAD_MAX, &p)) != 0)
		return r;
	if ((n = recv_record(fd, &msg, &cm, hdr, p)) == -1) {
		saved = errno;
		buf_reset(payload);
		errno = saved;
		return MP_ERR_SYSTEM;
	}
	if ((r = take_fds(&msg, &got, &nfds)) == 0)
		r = check_record(&msg, n, nfds, recv_fd != NULL, hdr, type, &plen);
	if (r != 0) {
		if (nfds > 0)
			close(got);
		buf_reset(payload);
		return r;
	}
	if (recv_fd != NULL)
		*recv_fd = got;
	return buf_consume_end(payload, IPC_PAYLOAD_MAX - plen);
}

/* test_ipc.c: unit tests of the monitor IPC records over real SOCK_SEQPACKET socketpairs, hostile records included. */
#include <sys/socket.h>
#include <sys/uio.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ipc.h"

struct pair {
	int s[2];
	struct buf *in;
};

static int
setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));

	if (p == NULL ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p->s) != 0)
		return -1;
	if ((p->in = buf_new(IPC_PAYLOAD_MAX)) == NULL)
		return -1;
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct pair *p = *state;

	close(p->s[0]);
	close(p->s[1]);
	buf_free(p->in);
	free(p);
	return 0;
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* A raw record: header fields as given, then body. */
static void
send_raw(int fd, uint32_t len, uint16_t type, uint16_t rsv,
    const void *body, size_t blen)
{
	uint8_t *m = malloc(IPC_HDR_LEN + blen + 1);

	assert_non_null(m);
	m[0] = len >> 24;
	m[1] = len >> 16;
	m[2] = len >> 8;
	m[3] = len;
	m[4] = type >> 8;
	m[5] = type;
	m[6] = rsv >> 8;
	m[7] = rsv;
	if (blen > 0)
		memcpy(m + IPC_HDR_LEN, body, blen);
	assert_int_equal(send(fd, m, IPC_HDR_LEN + blen, 0),
	    (ssize_t)(IPC_HDR_LEN + blen));
	free(m);
}

/* Send n descriptors in one record with a valid empty-payload header. */
static void
send_fds(int fd, const int *fds, size_t n)
{
	uint8_t hdr[IPC_HDR_LEN] = { 0, 0, 0, 0, 0, 9, 0, 0 };
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct iovec iov = { hdr, sizeof(hdr) };
	struct msghdr msg;
	struct cmsghdr *c;

	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.b;
	msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	assert_int_equal(sendmsg(fd, &msg, 0), (ssize_t)sizeof(hdr));
}

static void
round_trip(struct pair *p, size_t len)
{
	struct buf *out = buf_new(IPC_PAYLOAD_MAX + 1);
	uint16_t type = 0;
	uint8_t *w;
	size_t i;

	assert_non_null(out);
	assert_int_equal(buf_reserve(out, len, &w), 0);
	for (i = 0; i < len; i++)
		w[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(ipc_send(p->s[0], 0xbeef, out, -1), 0);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL), 0);
	assert_int_equal(type, 0xbeef);
	assert_int_equal(buf_len(p->in), len);
	if (len > 0)
		assert_memory_equal(buf_ptr(p->in), buf_ptr(out), len);
	buf_free(out);
}

static void
test_round_trip_sizes(void **state)
{
	round_trip(*state, 0);
	round_trip(*state, 1);
	round_trip(*state, IPC_PAYLOAD_MAX);
}

static void
test_round_trip_typed_and_null(void **state)
{
	struct pair *p = *state;
	struct buf *out = buf_new(64);
	uint16_t type;
	uint32_t v;
	int rfd = 5;

	assert_int_equal(buf_put_u32(out, 0x01020304), 0);
	assert_int_equal(ipc_send(p->s[0], 1, out, -1), 0);
	assert_int_equal(buf_len(out), 4);	/* not consumed */
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, &rfd), 0);
	assert_int_equal(rfd, -1);
	assert_int_equal(buf_get_u32(p->in, &v), 0);
	assert_int_equal(v, 0x01020304);
	assert_int_equal(buf_expect_end(p->in), 0);
	assert_int_equal(ipc_send(p->s[0], 2, NULL, -1), 0);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL), 0);
	assert_int_equal(type, 2);
	assert_int_equal(buf_len(p->in), 0);
	buf_free(out);
}

static void
test_over_max_send(void **state)
{
	struct pair *p = *state;
	struct buf *out = buf_new(IPC_PAYLOAD_MAX + 1);
	uint8_t *w;

	assert_int_equal(buf_reserve(out, IPC_PAYLOAD_MAX + 1, &w), 0);
	memset(w, 0, IPC_PAYLOAD_MAX + 1);
	assert_int_equal(ipc_send(p->s[0], 1, out, -1), MP_ERR_TOO_LARGE);
	buf_free(out);
}

static void
test_over_max_recv(void **state)
{
	struct pair *p = *state;
	uint8_t *body = calloc(1, IPC_PAYLOAD_MAX + 1);
	uint16_t type;

	/* Honest length, too big: truncated by the kernel. */
	send_raw(p->s[0], IPC_PAYLOAD_MAX + 1, 1, 0, body, IPC_PAYLOAD_MAX + 1);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_TOO_LARGE);
	assert_int_equal(buf_len(p->in), 0);
	/* A lying length field alone. */
	send_raw(p->s[0], 0xffffffffu, 1, 0, body, 4);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_TOO_LARGE);
	free(body);
}

static void
test_malformed_records(void **state)
{
	struct pair *p = *state;
	uint16_t type;

	send_raw(p->s[0], 5, 1, 0, "abcd", 4);		/* fewer than said */
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_INCOMPLETE);
	send_raw(p->s[0], 3, 1, 0, "abcd", 4);		/* trailing byte */
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_TRAILING_DATA);
	assert_int_equal(buf_len(p->in), 0);
	send_raw(p->s[0], 4, 1, 1, "abcd", 4);		/* reserved set */
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(send(p->s[0], "\0\0\0\0\0", 5, 0), 5); /* short */
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_INCOMPLETE);
	/* The stream is still usable afterwards. */
	send_raw(p->s[0], 4, 7, 0, "abcd", 4);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL), 0);
	assert_int_equal(type, 7);
	assert_memory_equal(buf_ptr(p->in), "abcd", 4);
}

static void
test_parse_header(void **state)
{
	static const uint8_t m[] = { 0, 0, 0, 2, 0x12, 0x34, 0, 0, 'h', 'i' };
	uint16_t type;
	uint32_t plen;

	(void)state;
	assert_int_equal(ipc_parse_header(m, sizeof(m), &type, &plen), 0);
	assert_int_equal(type, 0x1234);
	assert_int_equal(plen, 2);
	assert_int_equal(ipc_parse_header(m, 0, &type, &plen),
	    MP_ERR_INCOMPLETE);
	assert_int_equal(ipc_parse_header(m, 7, &type, &plen),
	    MP_ERR_INCOMPLETE);
	assert_int_equal(ipc_parse_header(m, 9, &type, &plen),
	    MP_ERR_INCOMPLETE);
}

static void
test_small_buffer_refused(void **state)
{
	struct pair *p = *state;
	struct buf *small = buf_new(16);
	uint16_t type;

	assert_int_equal(ipc_recv(p->s[1], &type, small, NULL),
	    MP_ERR_INVALID_ARGUMENT);
	buf_free(small);
}

static void
test_fd_passing(void **state)
{
	struct pair *p = *state;
	int pfd[2], rfd = -1;
	uint16_t type;
	char c = 0;

	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(ipc_send(p->s[0], 3, NULL, pfd[0]), 0);
	close(pfd[0]);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, &rfd), 0);
	assert_int_equal(type, 3);
	assert_true(rfd >= 0);
	assert_int_equal(write(pfd[1], "x", 1), 1);
	assert_int_equal(read(rfd, &c, 1), 1);
	assert_int_equal(c, 'x');
	close(rfd);
	close(pfd[1]);
}

static void
test_unexpected_fd_closed(void **state)
{
	struct pair *p = *state;
	int pfd[2], before;
	uint16_t type;

	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(ipc_send(p->s[0], 3, NULL, pfd[0]), 0);
	close(pfd[0]);
	close(pfd[1]);
	before = count_fds();
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(count_fds(), before);
}

static void
test_two_fds_refused(void **state)
{
	struct pair *p = *state;
	int pfd[2], before, rfd = 5;
	uint16_t type;

	assert_int_equal(pipe(pfd), 0);
	send_fds(p->s[0], pfd, 2);
	close(pfd[0]);
	close(pfd[1]);
	before = count_fds();
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, &rfd), MP_ERR_LIMIT);
	assert_int_equal(rfd, -1);
	assert_int_equal(count_fds(), before);
}

static void
test_three_fds_refused(void **state)
{
	struct pair *p = *state;
	int pfd[2], three[3], before, rfd = 5;
	uint16_t type;

	assert_int_equal(pipe(pfd), 0);
	three[0] = pfd[0];
	three[1] = pfd[1];
	three[2] = pfd[0];
	send_fds(p->s[0], three, 3);
	close(pfd[0]);
	close(pfd[1]);
	before = count_fds();
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, &rfd), MP_ERR_LIMIT);
	assert_int_equal(rfd, -1);
	assert_int_equal(count_fds(), before);
}

static void
test_eof(void **state)
{
	struct pair *p = *state;
	uint16_t type;

	assert_int_equal(ipc_send(p->s[0], 4, NULL, -1), 0);
	close(p->s[0]);
	p->s[0] = -1;
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL), 0);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(ipc_recv(p->s[1], &type, p->in, NULL),
	    MP_ERR_NOT_FOUND);
}

static void
test_send_to_closed_peer(void **state)
{
	struct pair *p = *state;

	close(p->s[1]);
	p->s[1] = -1;
	assert_int_equal(ipc_send(p->s[0], 1, NULL, -1), MP_ERR_SYSTEM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_sizes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_typed_and_null,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_over_max_send,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_over_max_recv,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_records,
		    setup, teardown),
		cmocka_unit_test(test_parse_header),
		cmocka_unit_test_setup_teardown(test_small_buffer_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_passing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected_fd_closed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_fds_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_three_fds_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_to_closed_peer,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* connect.c: the TCP connection to the server: resolve the host, try each address with a timeout, set TCP_NODELAY. */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/log.h"

static int
set_blocking(int fd, int blocking)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	fl = blocking ? fl & ~O_NONBLOCK : fl | O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl);
}

/* Wait for a non-blocking connect() to finish; 0 or -1 with errno. */
static int
wait_connected(int fd, int timeout_ms)
{
	uint64_t deadline = mp_monotonic_ms() + (uint64_t)timeout_ms;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	uint64_t now;
	int n, err;

	for (;;) {
		if ((now = mp_monotonic_ms()) >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = poll(&pfd, 1, (int)(deadline - now));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n > 0)
			break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return -1;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

/* One address: a connected, blocking socket with TCP_NODELAY, or -1. */
static int
try_address(const struct addrinfo *ai, int timeout_ms)
{
	int fd, one = 1, saved_errno;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if ((connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
	    (errno == EINPROGRESS && wait_connected(fd, timeout_ms) == 0)) &&
	    set_blocking(fd, 1) == 0 &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0)
		return fd;
	saved_errno = errno;
	close(fd);
	errno = saved_errno;
	return -1;
}

static void
address_text(const struct sockaddr *sa, socklen_t len, char *out,
    size_t size)
{
	if (getnameinfo(sa, len, out, (socklen_t)size, NULL, 0,
	    NI_NUMERICHOST) != 0)
		snprintf(out, size, "?");
}

/* Try the addresses in order; the first that connects fills conn. */
static int
try_addresses(const struct addrinfo *list, uint16_t port, int timeout_ms,
    struct mp_conn *conn)
{
	const struct addrinfo *ai;
	char text[sizeof(conn->addr_text)];
	int fd, last_errno = EADDRNOTAVAIL;

	for (ai = list; ai != NULL; ai = ai->ai_next) {
		address_text(ai->ai_addr, ai->ai_addrlen, text, sizeof(text));
		log_debug("connecting to %s port %u", text, port);
		if ((fd = try_address(ai, timeout_ms)) == -1) {
			last_errno = errno;
			log_verbose("connect to address %s port %u: %s", text,
			    port, strerror(last_errno));
			continue;
		}
		conn->fd = fd;
		memcpy(&conn->addr, ai->ai_addr, ai->ai_addrlen);
		conn->addr_len = ai->ai_addrlen;
		memcpy(conn->addr_text, text, sizeof(text));
		return 0;
	}
	errno = last_errno;
	return -1;
}

int
client_connect(const char *host, uint16_t port, int timeout_ms,
    struct mp_conn *conn, struct client_error *err)
{
	struct addrinfo hints, *list;
	char service[8];
	int r, saved_errno;

	memset(conn, 0, sizeof(*conn));
	conn->fd = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%u", port);
	if ((r = getaddrinfo(host, service, &hints, &list)) != 0) {
		snprintf(err->msg, sizeof(err->msg), "Could not resolve "
		    "hostname %s: %s", host, r == EAI_SYSTEM ?
		    strerror(errno) : gai_strerror(r));
		return MP_ERR_NOT_FOUND;
	}
	r = try_addresses(list, port, timeout_ms, conn);
	saved_errno = errno;
	freeaddrinfo(list);
	if (r == 0)
		return 0;
	snprintf(err->msg, sizeof(err->msg), "connect to host %s port %u: %s",
	    host, port, strerror(saved_errno));
	return MP_ERR_SYSTEM;
}

void
client_disconnect(struct mp_conn *conn)
{
	if (conn->fd != -1)
		close(conn->fd);
	conn->fd = -1;
}

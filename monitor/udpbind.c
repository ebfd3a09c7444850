/* udpbind.c: binding a session's UDP socket to a free port of the configured range, starting at a random one. */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/crypto/random.h"
#include "common/err.h"
#include "monitor/udpbind.h"

/* Copy local into ss and check it; *sslen is the family's length. */
static int
copy_local(const struct sockaddr *local, socklen_t len,
    struct sockaddr_storage *ss, socklen_t *sslen)
{
	if (local == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (local->sa_family == AF_INET)
		*sslen = sizeof(struct sockaddr_in);
	else if (local->sa_family == AF_INET6)
		*sslen = sizeof(struct sockaddr_in6);
	else
		return MP_ERR_INVALID_ARGUMENT;
	if (len < *sslen)
		return MP_ERR_INVALID_ARGUMENT;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, local, *sslen);
	return 0;
}

static void
set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)(void *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons(port);
}

static int
new_socket(int family)
{
	int fd, on = 1;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) != 0) {
		int saved = errno;

		(void)close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Try each port once from a random start; 0 and *port, or an error. */
static int
try_ports(int s, struct sockaddr_storage *ss, socklen_t sslen,
    uint16_t low, uint16_t high, uint16_t *port)
{
	uint32_t n = (uint32_t)high - low + 1, start, i;
	uint16_t p;

	start = mp_random_uniform(n);
	for (i = 0; i < n; i++) {
		p = (uint16_t)(low + (start + i) % n);
		set_port(ss, p);
		if (bind(s, (struct sockaddr *)ss, sslen) == 0) {
			*port = p;
			return 0;
		}
		if (errno != EADDRINUSE)
			return MP_ERR_SYSTEM;
	}
	return MP_ERR_LIMIT;
}

int
udp_bind_range(const struct sockaddr *local, socklen_t len, uint16_t low,
    uint16_t high, int *fd, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int s, r, saved;

	*fd = -1;
	if (low == 0 || low > high)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = copy_local(local, len, &ss, &sslen)) != 0)
		return r;
	if ((s = new_socket(ss.ss_family)) == -1)
		return MP_ERR_SYSTEM;
	if ((r = try_ports(s, &ss, sslen, low, high, port)) != 0) {
		saved = errno;
		(void)close(s);
		errno = saved;
		return r;
	}
	*fd = s;
	return 0;
}

/* test_udpbind.c: unit tests of binding a session's UDP socket in a port range, on 127.0.0.1 and ::1. */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/crypto/random.h"
#include "common/err.h"
#include "monitor/udpbind.h"

#define BASE_LOW	40000
#define BASE_SPAN	20000
#define ATTEMPTS	50

static socklen_t
loopback(int family, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons(9);	/* ignored */
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_loopback;
	sin6->sin6_port = htons(9);
	return sizeof(*sin6);
}

/* 1 if the kernel lets us bind ::1. */
static int
have_ipv6(void)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(AF_INET6, &ss);
	int fd, ok;

	((struct sockaddr_in6 *)(void *)&ss)->sin6_port = 0;
	if ((fd = socket(AF_INET6, SOCK_DGRAM, 0)) == -1)
		return 0;
	ok = bind(fd, (struct sockaddr *)&ss, len) == 0;
	(void)close(fd);
	return ok;
}

static uint16_t
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
}

static void
check_socket(int family, int fd, uint16_t port, uint16_t low, uint16_t high)
{
	int v6only = 0;
	socklen_t len = sizeof(v6only);

	assert_true(fd >= 0);
	assert_true(port >= low && port <= high);
	assert_int_equal(bound_port(fd), port);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	if (family == AF_INET6) {
		assert_int_equal(getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		    &v6only, &len), 0);
		assert_int_equal(v6only, 1);
	}
}

/* Fill a 2-port range; the third bind finds it full. */
static void
exhaust(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, &ss);
	uint16_t low, port[3];
	int fd[3], i, r;

	for (i = 0; i < ATTEMPTS; i++) {
		low = (uint16_t)(BASE_LOW + mp_random_uniform(BASE_SPAN));
		if (udp_bind_range((struct sockaddr *)&ss, len, low, low + 1,
		    &fd[0], &port[0]) != 0)
			continue;
		r = udp_bind_range((struct sockaddr *)&ss, len, low, low + 1,
		    &fd[1], &port[1]);
		if (r == 0)
			break;
		(void)close(fd[0]);	/* someone else holds a port */
	}
	assert_true(i < ATTEMPTS);
	check_socket(family, fd[0], port[0], low, low + 1);
	check_socket(family, fd[1], port[1], low, low + 1);
	assert_int_not_equal(port[0], port[1]);
	fd[2] = 12345;
	assert_int_equal(udp_bind_range((struct sockaddr *)&ss, len, low,
	    low + 1, &fd[2], &port[2]), MP_ERR_LIMIT);
	assert_int_equal(fd[2], -1);
	(void)close(fd[0]);
	(void)close(fd[1]);
}

/* The first port tried is random: 20 binds in a free range vary. */
static void
random_start(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, &ss);
	uint16_t port, first = 0;
	int fd, i, differ = 0;

	for (i = 0; i < 20; i++) {
		assert_int_equal(udp_bind_range((struct sockaddr *)&ss, len,
		    BASE_LOW, BASE_LOW + BASE_SPAN, &fd, &port), 0);
		check_socket(family, fd, port, BASE_LOW, BASE_LOW + BASE_SPAN);
		if (i == 0)
			first = port;
		differ |= port != first;
		(void)close(fd);
	}
	assert_true(differ);
}

static void
test_ipv4(void **state)
{
	(void)state;
	exhaust(AF_INET);
	random_start(AF_INET);
}

static void
test_ipv6(void **state)
{
	(void)state;
	if (!have_ipv6()) {
		printf("SKIPPED: the kernel has no ::1\n");
		skip();
		return;
	}
	exhaust(AF_INET6);
	random_start(AF_INET6);
}

static void
test_bad_arguments(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_un sun;
	socklen_t len = loopback(AF_INET, &ss);
	uint16_t port;
	int fd;

	(void)state;
	assert_int_equal(udp_bind_range((struct sockaddr *)&ss, len, 0, 10,
	    &fd, &port), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(udp_bind_range((struct sockaddr *)&ss, len, 50001,
	    50000, &fd, &port), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(udp_bind_range((struct sockaddr *)&ss, len - 1,
	    50000, 50001, &fd, &port), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(udp_bind_range(NULL, len, 50000, 50001, &fd, &port),
	    MP_ERR_INVALID_ARGUMENT);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_int_equal(udp_bind_range((struct sockaddr *)&sun, sizeof(sun),
	    50000, 50001, &fd, &port), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(fd, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_bad_arguments),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

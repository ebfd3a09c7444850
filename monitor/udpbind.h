/* udpbind.h: binding a session's UDP socket to a free port of the configured range. */
#ifndef MP_MONITOR_UDPBIND_H
#define MP_MONITOR_UDPBIND_H

#include <sys/socket.h>

#include <stdint.h>

/*
 * Bind a non-blocking, close-on-exec UDP socket on the address in local
 * (its port ignored; AF_INET, or AF_INET6 with IPV6_V6ONLY) to a port of
 * low..high: the first try is a random port of the range, then each
 * following one (wrapping) is tried once. On success *fd and *port are
 * set. MP_ERR_LIMIT when every port is taken, MP_ERR_INVALID_ARGUMENT
 * (low 0, low > high, an unknown family or a short len), MP_ERR_SYSTEM
 * with errno. Needs the random generator (mp_crypto_init()).
 */
int	udp_bind_range(const struct sockaddr *local, socklen_t len,
	    uint16_t low, uint16_t high, int *fd, uint16_t *port);

#endif

/* io.h: descriptor helpers shared by every process: writing a whole buffer, retrying EINTR. */
#ifndef MP_IO_H
#define MP_IO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Write as much of the len bytes at p as fd takes, retrying writes
 * interrupted by a signal: the number of bytes written (len, or fewer when
 * a non-blocking fd would block, errno EAGAIN), or -1 when a write fails
 * (errno tells why) or writes nothing. Allocates nothing; not for signal
 * handlers.
 */
ssize_t io_write_some(int fd, const void *p, size_t len);

/*
 * Write all len bytes of p to fd, retrying writes interrupted by a signal.
 * Returns 0, or MP_ERR_SYSTEM when a write fails, would block or writes
 * nothing (errno tells why). Allocates nothing, so log paths may use it;
 * not for signal handlers.
 */
int io_write_all(int fd, const void *p, size_t len);

#endif

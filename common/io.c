/* io.c: descriptor helpers shared by every process: writing a whole buffer, retrying EINTR. */
#include <errno.h>
#include <unistd.h>

#include "common/err.h"
#include "common/io.h"

ssize_t
io_write_some(int fd, const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, c + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int
io_write_all(int fd, const void *p, size_t len)
{
	ssize_t n;

	if ((n = io_write_some(fd, p, len)) < 0 || (size_t)n != len)
		return MP_ERR_SYSTEM;
	return 0;
}

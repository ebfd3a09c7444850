/* ipc.h: fixed-format messages between the monitor and its children over SOCK_SEQPACKET socketpairs. */
#ifndef MP_IPC_H
#define MP_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/*
 * One message is one SOCK_SEQPACKET record (AF_UNIX socketpair), so the
 * kernel keeps message boundaries and a record can never be split or
 * merged with the next one. The record is a fixed header then the payload:
 *
 *	uint32	payload length (big-endian), at most IPC_PAYLOAD_MAX
 *	uint16	type
 *	uint16	reserved, must be 0
 *	byte[]	payload, exactly "payload length" bytes
 *
 * A record may carry at most one file descriptor (SCM_RIGHTS), used to
 * hand the session's UDP socket and the PTY master to the net child.
 * The payload's own schema is decoded by the caller with buf_get_*() and
 * buf_expect_end().
 */

#define IPC_HDR_LEN	8
#define IPC_PAYLOAD_MAX	(64u * 1024)

/*
 * Parse and check the header of a record of len bytes starting at p
 * (p holds at least min(len, IPC_HDR_LEN) bytes; only the header is
 * read). On success *type and *plen are set and len == IPC_HDR_LEN + *plen.
 * Errors: MP_ERR_INCOMPLETE for a short header or fewer payload bytes
 * than announced, MP_ERR_TRAILING_DATA for more, MP_ERR_TOO_LARGE for a
 * length above IPC_PAYLOAD_MAX, MP_ERR_INVALID_FORMAT for a nonzero
 * reserved field.
 */
int ipc_parse_header(const uint8_t *p, size_t len, uint16_t *type,
    uint32_t *plen);

/*
 * Send one record in one sendmsg(). payload may be NULL for an empty
 * payload; it is not consumed. pass_fd >= 0 is sent along (SCM_RIGHTS;
 * the caller keeps its copy), -1 sends none. MP_ERR_TOO_LARGE for a
 * payload over IPC_PAYLOAD_MAX, MP_ERR_SYSTEM (errno set) if sendmsg fails.
 */
int ipc_send(int fd, uint16_t type, const struct buf *payload, int pass_fd);

/*
 * Receive one record. payload is emptied, then holds the payload; its
 * maximum size must be at least IPC_PAYLOAD_MAX (else
 * MP_ERR_INVALID_ARGUMENT). With recv_fd non-NULL, one descriptor is
 * allowed: *recv_fd is it (close-on-exec) or -1 if none came. With
 * recv_fd NULL any descriptor is closed and the record refused.
 * Errors, besides those of ipc_parse_header(), and always with every
 * received descriptor closed and payload empty:
 *	MP_ERR_NOT_FOUND	end of file: the peer closed its end (a
 *				zero-length record is taken as the same)
 *	MP_ERR_TOO_LARGE	record longer than the maximum (MSG_TRUNC)
 *	MP_ERR_LIMIT		more than one descriptor (or MSG_CTRUNC)
 *	MP_ERR_INVALID_FORMAT	a descriptor not expected, or ancillary
 *				data other than SCM_RIGHTS
 *	MP_ERR_SYSTEM		recvmsg failed (errno set); EINTR is retried
 */
int ipc_recv(int fd, uint16_t *type, struct buf *payload, int *recv_fd);

#endif

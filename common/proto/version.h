/* version.h: the version line of PROTOCOL.md 2.1: building, finding, parsing, and telling moshpit peers from others by their first bytes. */
#ifndef MP_PROTO_VERSION_H
#define MP_PROTO_VERSION_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define HS_VERSION_LINE_MAX	255	/* CR LF included */
#define HS_PROTOCOL_VERSION	"1"
#define HS_SOFTWARE_MAX		64
#define HS_VERSION_TOKEN_MAX	9	/* digits of the protocol version */

/* What a peer's first bytes say it speaks (PROTOCOL.md 2.9). */
enum hs_peer_kind {
	HS_PEER_INCOMPLETE,	/* too few bytes to tell */
	HS_PEER_MOSHPIT,	/* "MOSHPIT-" */
	HS_PEER_SSH,		/* "SSH-" */
	HS_PEER_RUST_MOSHPIT,	/* a frame of the Rust moshpit (docs/seed.md) */
	HS_PEER_UNKNOWN,	/* anything else */
};

/* Classify the first len bytes a peer sent. */
enum hs_peer_kind hs_version_classify(const uint8_t *p, size_t len);

/* Append "MOSHPIT-1-<software>\r\n"; software is 1 to HS_SOFTWARE_MAX
 * characters of A-Z a-z 0-9 . _ - (else MP_ERR_INVALID_ARGUMENT). */
int hs_version_put(struct buf *out, const char *software);

/*
 * Look for the end of a version line in the len bytes at p: 0 with
 * *line_len (CR LF excluded) when found; MP_ERR_INCOMPLETE if more bytes
 * are needed; MP_ERR_TOO_LARGE if HS_VERSION_LINE_MAX bytes hold no CR LF;
 * MP_ERR_INVALID_FORMAT for a byte outside 0x20..0x7e before the CR LF.
 */
int hs_version_scan(const uint8_t *p, size_t len, size_t *line_len);

/* Parse a line found by hs_version_scan() (CR LF excluded): "MOSHPIT-",
 * 1 to HS_VERSION_TOKEN_MAX digits, "-", the software, optionally a space
 * and a comment. 0 or MP_ERR_INVALID_FORMAT. The digits are copied to
 * version (else it is empty) as soon as they are read, even if the rest
 * is malformed: a line of another version need not follow this one's
 * rules. Compare them with HS_PROTOCOL_VERSION. */
int hs_version_parse(const uint8_t *line, size_t len,
    char version[HS_VERSION_TOKEN_MAX + 1]);

#endif

/* version.c: the version line of PROTOCOL.md 2.1: building, finding, parsing, and telling moshpit peers from others by their first bytes. */
#include <string.h>

#include "common/err.h"
#include "common/proto/version.h"

#define MOSHPIT_PREFIX	"MOSHPIT-"
#define SSH_PREFIX	"SSH-"

/* 1 if the len bytes at p agree with prefix as far as both go. */
static int
agrees(const uint8_t *p, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return memcmp(p, prefix, len < n ? len : n) == 0;
}

/*
 * The Rust moshpit opens with a frame: a frame id byte (0 to 11), the
 * payload length as a big-endian uint64 (1 to 65536), then the bincode
 * payload, whose first byte repeats the frame id. -1 if the bytes at p
 * cannot be such a frame, 0 if they may be but are too few, 1 if they are.
 */
#define RUST_FRAME_ID_MAX	11
#define RUST_FRAME_LEN_MAX	65536
#define RUST_FRAME_PREFIX	10
static int
rust_frame(const uint8_t *p, size_t len)
{
	uint64_t flen = 0;
	size_t i;

	if (len == 0)
		return 0;
	if (p[0] > RUST_FRAME_ID_MAX)
		return -1;
	for (i = 1; i <= 8 && i < len; i++) {
		flen = flen << 8 | p[i];
		if (flen > RUST_FRAME_LEN_MAX)
			return -1;
	}
	if (len < RUST_FRAME_PREFIX)
		return 0;
	return flen >= 1 && p[9] == p[0] ? 1 : -1;
}

enum hs_peer_kind
hs_version_classify(const uint8_t *p, size_t len)
{
	int moshpit = agrees(p, len, MOSHPIT_PREFIX);
	int ssh = agrees(p, len, SSH_PREFIX);
	int rust = rust_frame(p, len);

	if (moshpit && len >= strlen(MOSHPIT_PREFIX))
		return HS_PEER_MOSHPIT;
	if (ssh && len >= strlen(SSH_PREFIX))
		return HS_PEER_SSH;
	if (rust == 1)
		return HS_PEER_RUST_MOSHPIT;
	if (moshpit || ssh || rust == 0)
		return HS_PEER_INCOMPLETE;
	return HS_PEER_UNKNOWN;
}

static int
software_char(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
}

/* Length of the software token at p (up to len bytes): the run of
 * software characters, which must be 1 to HS_SOFTWARE_MAX long. 0 if
 * not. */
static size_t
software_len(const uint8_t *p, size_t len)
{
	size_t n = 0;

	while (n < len && software_char(p[n]))
		n++;
	return n <= HS_SOFTWARE_MAX ? n : 0;
}

int
hs_version_put(struct buf *out, const char *software)
{
	size_t n = strlen(software);
	struct buf *b;
	int r;

	if (n == 0 || software_len((const uint8_t *)software, n) != n)
		return MP_ERR_INVALID_ARGUMENT;
	if ((b = buf_new(HS_VERSION_LINE_MAX)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = buf_put(b, MOSHPIT_PREFIX HS_PROTOCOL_VERSION "-",
	    strlen(MOSHPIT_PREFIX HS_PROTOCOL_VERSION "-"))) == 0 &&
	    (r = buf_put(b, software, n)) == 0 &&
	    (r = buf_put(b, "\r\n", 2)) == 0)
		r = buf_put(out, buf_ptr(b), buf_len(b));
	buf_free(b);
	return r;
}

int
hs_version_scan(const uint8_t *p, size_t len, size_t *line_len)
{
	size_t i;

	for (i = 0; i < len && i < HS_VERSION_LINE_MAX; i++) {
		if (p[i] >= 0x20 && p[i] <= 0x7e)
			continue;
		if (p[i] != '\r')
			return MP_ERR_INVALID_FORMAT;
		if (i + 1 == HS_VERSION_LINE_MAX)
			return MP_ERR_TOO_LARGE;
		if (i + 1 == len)
			return MP_ERR_INCOMPLETE;
		if (p[i + 1] != '\n')
			return MP_ERR_INVALID_FORMAT;
		*line_len = i;
		return 0;
	}
	return i == HS_VERSION_LINE_MAX ? MP_ERR_TOO_LARGE : MP_ERR_INCOMPLETE;
}

int
hs_version_parse(const uint8_t *line, size_t len,
    char version[HS_VERSION_TOKEN_MAX + 1])
{
	size_t pre = strlen(MOSHPIT_PREFIX), n = 0, sw;

	version[0] = '\0';
	if (len < pre || memcmp(line, MOSHPIT_PREFIX, pre) != 0)
		return MP_ERR_INVALID_FORMAT;
	line += pre;
	len -= pre;
	while (n < len && n <= HS_VERSION_TOKEN_MAX &&
	    line[n] >= '0' && line[n] <= '9')
		n++;
	if (n == 0 || n > HS_VERSION_TOKEN_MAX || n == len || line[n] != '-')
		return MP_ERR_INVALID_FORMAT;
	memcpy(version, line, n);
	version[n] = '\0';
	line += n + 1;
	len -= n + 1;
	if ((sw = software_len(line, len)) == 0)
		return MP_ERR_INVALID_FORMAT;
	/* The rest is empty or " comment"; scan checked it is printable. */
	if (sw < len && line[sw] != ' ')
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

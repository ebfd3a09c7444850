/* fuzz_ipc.c: libFuzzer harness for the IPC record header parser and a typed decode of the payload it delimits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/buf.h"
#include "common/ipc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Decode the payload as a sample schema: u32, string, then the end. */
static void
decode_payload(const uint8_t *p, size_t len)
{
	struct buf *b = buf_from(p, len);
	const uint8_t *s;
	size_t slen;
	uint32_t v;

	if (b == NULL)
		return;
	if (buf_get_u32(b, &v) == 0 &&
	    buf_get_string_direct(b, &s, &slen, IPC_PAYLOAD_MAX) == 0 &&
	    buf_expect_end(b) == 0 && (slen > len || s < p || s + slen > p + len))
		__builtin_trap();
	buf_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint16_t type;
	uint32_t plen;

	if (ipc_parse_header(data, len, &type, &plen) != 0)
		return 0;
	/* Accepted means exactly one header and its payload. */
	if (len != IPC_HDR_LEN + (size_t)plen || plen > IPC_PAYLOAD_MAX)
		__builtin_trap();
	decode_payload(data + IPC_HDR_LEN, plen);
	return 0;
}

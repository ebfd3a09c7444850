/* fuzz_monmsg.c: libFuzzer harness for the monitor's decoders of what a (possibly compromised) net child sends and of the monitor's own messages: first byte picks the decoder, the rest is the payload; an accepted message must encode back to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/ipc.h"
#include "common/monmsg.h"
#include "common/proto/handshake.h"
#include "common/proto/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* The re-encoding of an accepted message equals the input. */
static void
same(const struct buf *out, const uint8_t *p, size_t len)
{
	if (buf_len(out) != len || memcmp(buf_ptr(out), p, len) != 0)
		__builtin_trap();
}

static void
one(uint8_t which, const uint8_t *p, size_t len, struct buf *in,
    struct buf *out)
{
	static struct mon_config cfg;
	static struct hs_keys keys;
	static struct hs_reply rep;
	struct hs_request req;
	uint8_t proof[64];
	size_t proof_len;
	int result;

	switch (which % 5) {
	case 0:
		if (monmsg_get_config(in, &cfg) == 0 &&
		    monmsg_put_config(out, &cfg) == 0)
			same(out, p, len);
		break;
	case 1:
		if (monmsg_get_keys(in, &keys) == 0 &&
		    monmsg_put_keys(out, &keys) == 0)
			same(out, p, len);
		hs_keys_clear(&keys);
		break;
	case 2:
		if (monmsg_get_reply(in, &rep) == 0 &&
		    monmsg_put_reply(out, &rep) == 0)
			same(out, p, len);
		break;
	case 3:
		if (monmsg_get_result(in, &result) == 0 && result > 0)
			__builtin_trap();
		break;
	default:
		/* MON_REQUEST: a SESSION_NEW or SESSION_LIST body. */
		/* Its strings are the caller's to free, accepted or not. */
		(void)hs_msg_get_request(in, HS_MSG_SESSION_NEW, &req, proof,
		    &proof_len);
		hs_request_clear(&req);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf *in, *out;

	if (len < 1 || len - 1 > IPC_PAYLOAD_MAX)
		return 0;
	if ((in = buf_from(data + 1, len - 1)) == NULL)
		return 0;
	if ((out = buf_new(IPC_PAYLOAD_MAX)) == NULL) {
		buf_free(in);
		return 0;
	}
	one(data[0], data + 1, len - 1, in, out);
	buf_free(in);
	buf_free(out);
	return 0;
}

/* fuzz_monmsg.c: libFuzzer harness for the monitor's decoders of what a (possibly compromised) net child sends and of the monitor's own messages: first byte picks the decoder (and a text's buffer size), the rest is the payload; an accepted message must encode back to the same bytes, a refused one leaves no key behind. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/ipc.h"
#include "common/monmsg.h"
#include "common/proto/handshake.h"
#include "common/proto/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* The first byte modulo DECODERS picks one; for a text, the rest of it
 * gives the buffer size, at most TEXT_SIZE_MAX. */
#define DECODERS	9
#define TEXT_SIZE_MAX	(1 + 255 / DECODERS)

static int
size_ok(uint16_t n)
{
	return n >= 1 && n <= 4096;
}

/* The re-encoding of an accepted message equals the input. */
static void
same(const struct buf *out, const uint8_t *p, size_t len)
{
	if (buf_len(out) != len || memcmp(buf_ptr(out), p, len) != 0)
		__builtin_trap();
}

/* k holds nothing: erased after a refusal. */
static void
erased(const struct hs_keys *k)
{
	static const struct hs_keys zero;

	if (memcmp(k, &zero, sizeof(*k)) != 0)
		__builtin_trap();
}

/* An accepted configuration keeps the session rules. */
static void
config(const uint8_t *p, size_t len, struct buf *in, struct buf *out)
{
	static struct mon_config cfg;

	if (monmsg_get_config(in, &cfg) != 0)
		return;
	if (cfg.mode > MON_MODE_STATESYNC ||
	    (cfg.no_pty && cfg.mode != MON_MODE_RELIABLE) ||
	    (cfg.phase == MON_PHASE_SESSION && !cfg.no_pty &&
	    (!size_ok(cfg.cols) || !size_ok(cfg.rows))))
		__builtin_trap();
	if (monmsg_put_config(out, &cfg) == 0)
		same(out, p, len);
}

static void
keys(const uint8_t *p, size_t len, struct buf *in, struct buf *out)
{
	static struct hs_keys k;

	if (monmsg_get_keys(in, &k) != 0)
		erased(&k);
	else if (monmsg_put_keys(out, &k) == 0)
		same(out, p, len);
	hs_keys_clear(&k);
}

/* MON_REKEY: the keys and a window of 1 to 4096 columns and rows. */
static void
rekey(const uint8_t *p, size_t len, struct buf *in, struct buf *out)
{
	static struct hs_keys k;
	uint16_t size[4];

	if (monmsg_get_rekey(in, &k, size) != 0) {
		erased(&k);
		return;
	}
	if (!size_ok(size[0]) || !size_ok(size[1]))
		__builtin_trap();
	if (monmsg_put_rekey(out, &k, size) == 0)
		same(out, p, len);
	hs_keys_clear(&k);
}

/* The codec of a resume message (MON_CTL_CHECK's claim or MON_RESUME's
 * request), for the checks both get. */
struct resume_codec {
	int (*get)(struct buf *, void *);
	int (*put)(struct buf *, const void *);
	size_t size;
};

static int
get_claim(struct buf *b, void *c)
{
	return monmsg_get_resume_claim(b, c);
}

static int
put_claim(struct buf *b, const void *c)
{
	return monmsg_put_resume_claim(b, c);
}

static int
get_request(struct buf *b, void *q)
{
	return monmsg_get_resume_request(b, q);
}

static int
put_request(struct buf *b, const void *q)
{
	return monmsg_put_resume_request(b, q);
}

static const struct resume_codec claim_codec = {
	get_claim, put_claim, sizeof(struct mon_resume_claim),
}, request_codec = {
	get_request, put_request, sizeof(struct mon_resume_request),
};

/* An accepted message encodes back to the bytes read, and those decode
 * to the same message. */
static void
resume(const struct resume_codec *m, const uint8_t *p, size_t len,
    struct buf *in, struct buf *out)
{
	static union {
		struct mon_resume_claim c;
		struct mon_resume_request q;
	} x, again;

	if (m->get(in, &x) != 0)
		return;
	if (m->put(out, &x) != 0)
		__builtin_trap();
	same(out, p, len);
	if (m->get(out, &again) != 0 || memcmp(&x, &again, m->size) != 0)
		__builtin_trap();
}

/* A text read into size bytes fits with its NUL, holds no other NUL,
 * and encodes back to the bytes read. */
static void
text(size_t size, const uint8_t *p, size_t len, struct buf *in,
    struct buf *out)
{
	char t[TEXT_SIZE_MAX];

	if (monmsg_get_text(in, t, size) != 0)
		return;
	if (strlen(t) >= size || buf_put_cstring(out, t) != 0)
		__builtin_trap();
	same(out, p, len - buf_len(in));
}

static void
one(uint8_t which, const uint8_t *p, size_t len, struct buf *in,
    struct buf *out)
{
	static struct hs_reply rep;
	struct hs_request req;
	uint8_t proof[64];
	size_t proof_len;
	int result;

	switch (which % DECODERS) {
	case 0:
		config(p, len, in, out);
		break;
	case 1:
		keys(p, len, in, out);
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
	case 4:
		/* MON_REQUEST: a SESSION_NEW or SESSION_LIST body. */
		/* Its strings are the caller's to free, accepted or not. */
		(void)hs_msg_get_request(in, HS_MSG_SESSION_NEW, &req, proof,
		    &proof_len);
		hs_request_clear(&req);
		break;
	case 5:
		rekey(p, len, in, out);
		break;
	case 6:
		resume(&claim_codec, p, len, in, out);
		break;
	case 7:
		resume(&request_codec, p, len, in, out);
		break;
	default:
		text(1 + which / DECODERS, p, len, in, out);
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

/* fuzz_hsmsg.c: libFuzzer harness for the handshake message parsers: the first byte picks the message type (0: a version line); what parses must encode back to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/crypto/random.h"
#include "common/proto/msg.h"
#include "common/proto/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void
version_line(const uint8_t *p, size_t len)
{
	char version[HS_VERSION_TOKEN_MAX + 1];
	size_t n;

	(void)hs_version_classify(p, len);
	if (hs_version_scan(p, len, &n) == 0 &&
	    hs_version_parse(p, n, version) == 0 && version[0] == '\0')
		__builtin_trap();
}

/* DISCONNECT, USERAUTH_FAILURE, SESSION_FAILURE. */
static int
coded(unsigned int type, struct buf *b, struct buf *again)
{
	char text[HS_TEXT_MAX + 1];
	uint32_t code;

	if (hs_msg_get_coded(b, &code, text) != 0 ||
	    hs_msg_put_coded(again, type, code, text) != 0)
		return 0;
	hs_msg_clean_text(text);
	return 1;
}

static int
request(unsigned int type, struct buf *b, struct buf *again)
{
	uint8_t proof[HASH_MAX_BYTES];
	struct hs_request req;
	size_t proof_len;
	int ok;

	ok = hs_msg_get_request(b, type, &req, proof, &proof_len) == 0 &&
	    hs_msg_put_request(again, &req, proof, proof_len) == 0;
	hs_request_clear(&req);
	return ok;
}

/* SESSION_REPLY, SESSION_LIST_REPLY. */
static int
reply(unsigned int type, struct buf *b, struct buf *again)
{
	static struct hs_reply r;

	return hs_msg_get_reply(b, type, &r) == 0 &&
	    hs_msg_put_reply(again, type == HS_MSG_SESSION_REPLY ?
	    HS_REQ_NEW : HS_REQ_LIST, &r) == 0;
}

/* SESSION_FAILURE into the reply struct (its message cut to fit). */
static void
failure_reply(const uint8_t *p, size_t len)
{
	static struct hs_reply r;
	struct buf *b;

	if ((b = buf_from(p, len)) == NULL)
		__builtin_trap();
	if (hs_msg_get_reply(b, HS_MSG_SESSION_FAILURE, &r) == 0 &&
	    (r.ok || strlen(r.message) >= sizeof(r.message)))
		__builtin_trap();
	buf_free(b);
}

/* Parse the payload in b as a message of type and encode what parses
 * into again; 1 if both worked. */
static int
parse_put(unsigned int type, struct buf *b, struct buf *again)
{
	static struct hs_hello hello;
	char name[HS_NAME_MAX + 1];
	struct hs_kex_client kc;
	struct hs_kex_server ks;
	struct hs_userauth ua;

	switch (type) {
	case HS_MSG_HELLO:
		return hs_msg_get_hello(b, &hello) == 0 &&
		    hs_msg_put_hello(again, &hello) == 0;
	case HS_MSG_KEX_CLIENT:
		return hs_msg_get_kex_client(b, &kc) == 0 &&
		    hs_msg_put_kex_client(again, kc.name, kc.q, kc.q_len) == 0;
	case HS_MSG_KEX_RETRY:
		return hs_msg_get_kex_retry(b, name) == 0 &&
		    hs_msg_put_kex_retry(again, name) == 0;
	case HS_MSG_KEX_SERVER:
		return hs_msg_get_kex_server(b, &ks) == 0 &&
		    hs_msg_put_kex_server(again, &ks) == 0;
	case HS_MSG_USERAUTH_REQUEST:
		return hs_msg_get_userauth(b, &ua) == 0 &&
		    hs_msg_put_userauth(again, &ua) == 0;
	case HS_MSG_USERAUTH_SUCCESS:
		return buf_expect_end(b) == 0 &&
		    hs_msg_put_empty(again, type) == 0;
	case HS_MSG_SESSION_FAILURE:
		failure_reply(buf_ptr(b), buf_len(b));
		return coded(type, b, again);
	case HS_MSG_DISCONNECT:
	case HS_MSG_USERAUTH_FAILURE:
		return coded(type, b, again);
	case HS_MSG_SESSION_NEW:
	case HS_MSG_SESSION_RESUME:
	case HS_MSG_SESSION_LIST:
		return request(type, b, again);
	case HS_MSG_SESSION_REPLY:
	case HS_MSG_SESSION_LIST_REPLY:
		return reply(type, b, again);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct buf *b, *again;
	int ok;

	if (len == 0)
		return 0;
	if (data[0] == 0) {
		version_line(data + 1, len - 1);
		return 0;
	}
	if ((b = buf_from(data + 1, len - 1)) == NULL ||
	    (again = buf_new(2 * HS_MAX_MESSAGE)) == NULL)
		__builtin_trap();
	ok = parse_put(data[0], b, again);
	/* What parses is the one encoding of its content. */
	if (ok && (buf_len(again) != len ||
	    memcmp(buf_ptr(again), data, len) != 0))
		__builtin_trap();
	buf_free(b);
	buf_free(again);
	return 0;
}

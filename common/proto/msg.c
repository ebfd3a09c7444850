/* msg.c: the negotiation, key exchange, authentication and DISCONNECT messages (PROTOCOL.md 2.4, 2.5, 2.8.1, 2.10). */
#include <string.h>

#include "common/err.h"
#include "common/pubkey.h"
#include "common/crypto/kex.h"
#include "common/crypto/sign.h"
#include "common/proto/msg.h"

static const struct {
	enum hs_msg_type type;
	const char *name;
} msg_names[] = {
	{ HS_MSG_DISCONNECT, "DISCONNECT" },
	{ HS_MSG_HELLO, "HELLO" },
	{ HS_MSG_KEX_CLIENT, "KEX_CLIENT" },
	{ HS_MSG_KEX_RETRY, "KEX_RETRY" },
	{ HS_MSG_KEX_SERVER, "KEX_SERVER" },
	{ HS_MSG_USERAUTH_REQUEST, "USERAUTH_REQUEST" },
	{ HS_MSG_USERAUTH_FAILURE, "USERAUTH_FAILURE" },
	{ HS_MSG_USERAUTH_SUCCESS, "USERAUTH_SUCCESS" },
	{ HS_MSG_SESSION_NEW, "SESSION_NEW" },
	{ HS_MSG_SESSION_RESUME, "SESSION_RESUME" },
	{ HS_MSG_SESSION_LIST, "SESSION_LIST" },
	{ HS_MSG_SESSION_REPLY, "SESSION_REPLY" },
	{ HS_MSG_SESSION_LIST_REPLY, "SESSION_LIST_REPLY" },
	{ HS_MSG_SESSION_FAILURE, "SESSION_FAILURE" },
};

const char *
hs_msg_name(unsigned int type)
{
	size_t i;

	for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (msg_names[i].type == type)
			return msg_names[i].name;
	return NULL;
}

/* A name list (an empty one only if allow_empty) into a C string. */
static int
get_list(struct buf *b, char out[NAMES_LIST_MAX + 1], int allow_empty)
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len, NAMES_LIST_MAX)) != 0)
		return r;
	if ((r = hs_names_valid((const char *)p, len, allow_empty)) != 0)
		return r;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int
put_list(struct buf *b, const char *list, int allow_empty)
{
	int r;

	if ((r = hs_names_valid(list, strlen(list), allow_empty)) != 0)
		return r;
	return buf_put_cstring(b, list);
}

/* One algorithm name: a valid list of exactly one name. */
static int
get_name(struct buf *b, char out[HS_NAME_MAX + 1])
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len, HS_NAME_MAX)) != 0)
		return r;
	if ((r = hs_names_valid((const char *)p, len, 0)) != 0)
		return r;
	if (memchr(p, ',', len) != NULL)
		return MP_ERR_INVALID_FORMAT;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int
put_name(struct buf *b, const char *name)
{
	if (strlen(name) > HS_NAME_MAX || strchr(name, ',') != NULL)
		return MP_ERR_INVALID_ARGUMENT;
	return put_list(b, name, 0);
}

/* A string of 1 to max bytes, by reference. */
static int
get_bytes(struct buf *b, const uint8_t **p, size_t *len, size_t max)
{
	int r;

	if ((r = buf_get_string_direct(b, p, len, max)) != 0)
		return r;
	return *len == 0 ? MP_ERR_INVALID_FORMAT : 0;
}

static int
put_bytes(struct buf *b, const uint8_t *p, size_t len, size_t max)
{
	if (len == 0 || len > max)
		return MP_ERR_INVALID_ARGUMENT;
	return buf_put_string(b, p, len);
}

int
hs_msg_put_hello(struct buf *b, const struct hs_hello *m)
{
	int i, r;

	if ((r = buf_put_u8(b, HS_MSG_HELLO)) != 0 ||
	    (r = buf_put(b, m->cookie, sizeof(m->cookie))) != 0)
		return r;
	for (i = 0; i < HS_NLISTS; i++)
		if ((r = put_list(b, m->list[i], i == HS_LIST_EXT)) != 0)
			return r;
	return 0;
}

int
hs_msg_get_hello(struct buf *b, struct hs_hello *m)
{
	int i, r;

	if ((r = buf_get(b, m->cookie, sizeof(m->cookie))) != 0)
		return r;
	for (i = 0; i < HS_NLISTS; i++)
		if ((r = get_list(b, m->list[i], i == HS_LIST_EXT)) != 0)
			return r;
	return buf_expect_end(b);
}

/*
 * The value of a KEX_CLIENT is bounded only by the message size: a guess
 * for a kex this side does not know is answered by KEX_RETRY, whatever
 * the size of its value.
 */
int
hs_msg_put_kex_client(struct buf *b, const char *name, const uint8_t *q,
    size_t q_len)
{
	int r;

	if ((r = buf_put_u8(b, HS_MSG_KEX_CLIENT)) != 0 ||
	    (r = put_name(b, name)) != 0)
		return r;
	return put_bytes(b, q, q_len, HS_MAX_MESSAGE);
}

int
hs_msg_get_kex_client(struct buf *b, struct hs_kex_client *m)
{
	int r;

	if ((r = get_name(b, m->name)) != 0 ||
	    (r = get_bytes(b, &m->q, &m->q_len, HS_MAX_MESSAGE)) != 0)
		return r;
	return buf_expect_end(b);
}

int
hs_msg_put_kex_retry(struct buf *b, const char *name)
{
	int r;

	if ((r = buf_put_u8(b, HS_MSG_KEX_RETRY)) != 0)
		return r;
	return put_name(b, name);
}

int
hs_msg_get_kex_retry(struct buf *b, char name[HS_NAME_MAX + 1])
{
	int r;

	if ((r = get_name(b, name)) != 0)
		return r;
	return buf_expect_end(b);
}

int
hs_msg_put_kex_server(struct buf *b, const struct hs_kex_server *m)
{
	int r;

	if ((r = buf_put_u8(b, HS_MSG_KEX_SERVER)) != 0 ||
	    (r = put_bytes(b, m->host_key, m->host_key_len,
	    PUBKEY_BLOB_MAX)) != 0 ||
	    (r = put_bytes(b, m->q, m->q_len, KEX_SERVER_MSG_MAX)) != 0)
		return r;
	return put_bytes(b, m->sig, m->sig_len, HS_SIG_MAX);
}

int
hs_msg_get_kex_server(struct buf *b, struct hs_kex_server *m)
{
	int r;

	if ((r = get_bytes(b, &m->host_key, &m->host_key_len,
	    PUBKEY_BLOB_MAX)) != 0 ||
	    (r = get_bytes(b, &m->q, &m->q_len, KEX_SERVER_MSG_MAX)) != 0 ||
	    (r = get_bytes(b, &m->sig, &m->sig_len, HS_SIG_MAX)) != 0)
		return r;
	return buf_expect_end(b);
}

int
hs_msg_user_valid(const char *user, size_t len)
{
	if (len == 0 || len > HS_NAME_MAX)
		return MP_ERR_INVALID_FORMAT;
	if (memchr(user, '/', len) != NULL || memchr(user, ':', len) != NULL)
		return MP_ERR_INVALID_FORMAT;
	/* Well-formed UTF-8 without C0, DEL or C1 controls. */
	return pubkey_comment_valid(user, len);
}

int
hs_msg_put_userauth(struct buf *b, const struct hs_userauth *m)
{
	int r;

	if ((r = hs_msg_user_valid(m->user, strlen(m->user))) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_u8(b, HS_MSG_USERAUTH_REQUEST)) != 0 ||
	    (r = buf_put_cstring(b, m->user)) != 0 ||
	    (r = put_bytes(b, m->blob, m->blob_len, PUBKEY_BLOB_MAX)) != 0)
		return r;
	return put_bytes(b, m->sig, m->sig_len, HS_SIG_MAX);
}

int
hs_msg_get_userauth(struct buf *b, struct hs_userauth *m)
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len, HS_NAME_MAX)) != 0 ||
	    (r = hs_msg_user_valid((const char *)p, len)) != 0)
		return r;
	memcpy(m->user, p, len);
	m->user[len] = '\0';
	if ((r = get_bytes(b, &m->blob, &m->blob_len, PUBKEY_BLOB_MAX)) != 0 ||
	    (r = get_bytes(b, &m->sig, &m->sig_len, HS_SIG_MAX)) != 0)
		return r;
	return buf_expect_end(b);
}

int
hs_msg_put_coded(struct buf *b, enum hs_msg_type type, uint32_t code,
    const char *text)
{
	int r;

	if (strlen(text) > HS_TEXT_MAX)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_u8(b, type)) != 0 || (r = buf_put_u32(b, code)) != 0)
		return r;
	return buf_put_cstring(b, text);
}

int
hs_msg_get_coded(struct buf *b, uint32_t *code, char text[HS_TEXT_MAX + 1])
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_get_u32(b, code)) != 0 ||
	    (r = buf_get_string_direct(b, &p, &len, HS_TEXT_MAX)) != 0)
		return r;
	if (len > 0 && memchr(p, '\0', len) != NULL)
		return MP_ERR_INVALID_FORMAT;
	memcpy(text, p, len);
	text[len] = '\0';
	return buf_expect_end(b);
}

void
hs_msg_clean_text(char *s)
{
	size_t in = 0, out = 0, len = strlen(s), n;

	while (in < len) {
		/* The shortest valid character here, or none. */
		for (n = 1; n <= 4 && in + n <= len; n++)
			if (pubkey_comment_valid(s + in, n) == 0)
				break;
		if (n > 4 || in + n > len) {
			in++;
			continue;
		}
		memmove(s + out, s + in, n);
		in += n;
		out += n;
	}
	s[out] = '\0';
}

int
hs_msg_put_empty(struct buf *b, enum hs_msg_type type)
{
	return buf_put_u8(b, type);
}

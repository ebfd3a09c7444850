/* msg_session.c: the session requests and the server's answers (PROTOCOL.md 2.8.2 to 2.8.5). */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/proto/msg.h"

#define TERM_MAX	64
#define ENV_NAME_MAX	128
#define ENV_VALUE_MAX	4096
#define COMMAND_MAX	16384
#define MODE_MAX	16
#define DIM_MAX		4096	/* columns and rows */
#define FLAG_NO_PTY	1u
#define LIST_COMMAND_MAX	(sizeof(((struct hs_session_info *)0)->command) - 1)

static const char *const modes[] = { "statesync", "reliable", "datagram" };

static int
mode_ok(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(s, modes[i]) == 0)
			return 1;
	return 0;
}

/* 1 if s is min to max bytes of letters, digits and the bytes of extra. */
static int
token_ok(const char *s, size_t min, size_t max, const char *extra)
{
	size_t i, len = strlen(s);

	if (len < min || len > max)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr(extra, s[i]) != NULL))
			return 0;
	return 1;
}

/* A text string of at most max bytes into a fresh C string that must
 * pass token_ok() (unless extra is NULL). */
static int
get_text(struct buf *b, char **out, size_t min, size_t max, const char *extra)
{
	int r;

	if ((r = buf_get_cstring(b, out, max)) != 0)
		return r;
	if (extra == NULL || token_ok(*out, min, max, extra))
		return 0;
	free(*out);
	*out = NULL;
	return MP_ERR_INVALID_FORMAT;
}

int
hs_msg_id_len_ok(size_t n)
{
	return n == 32 || n == 48;
}

static int
get_id(struct buf *b, uint8_t id[HS_H_MAX], size_t *len)
{
	const uint8_t *p;
	int r;

	if ((r = buf_get_string_direct(b, &p, len, HS_H_MAX)) != 0)
		return r;
	if (!hs_msg_id_len_ok(*len))
		return MP_ERR_INVALID_FORMAT;
	memcpy(id, p, *len);
	return 0;
}

static int
put_id(struct buf *b, const uint8_t *id, size_t len)
{
	if (!hs_msg_id_len_ok(len))
		return MP_ERR_INVALID_ARGUMENT;
	return buf_put_string(b, id, len);
}

static int
dim_ok(uint16_t v)
{
	return v >= 1 && v <= DIM_MAX;
}

/* Columns, rows, width and height of a new or resumed session. */
static int
put_size(struct buf *b, const struct hs_request *r)
{
	int e;

	if (!dim_ok(r->cols) || !dim_ok(r->rows))
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = buf_put_u16(b, r->cols)) != 0 ||
	    (e = buf_put_u16(b, r->rows)) != 0 ||
	    (e = buf_put_u16(b, r->xpixel)) != 0)
		return e;
	return buf_put_u16(b, r->ypixel);
}

static int
get_size(struct buf *b, struct hs_request *r)
{
	int e;

	if ((e = buf_get_u16(b, &r->cols)) != 0 ||
	    (e = buf_get_u16(b, &r->rows)) != 0 ||
	    (e = buf_get_u16(b, &r->xpixel)) != 0 ||
	    (e = buf_get_u16(b, &r->ypixel)) != 0)
		return e;
	return dim_ok(r->cols) && dim_ok(r->rows) ? 0 : MP_ERR_INVALID_FORMAT;
}

static int
put_env(struct buf *b, const struct hs_request *r)
{
	size_t i;
	int e;

	if (r->nenv > HS_ENV_MAX)
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = buf_put_u32(b, (uint32_t)r->nenv)) != 0)
		return e;
	for (i = 0; i < r->nenv; i++) {
		if (!token_ok(r->env[i].name, 1, ENV_NAME_MAX, "_") ||
		    strlen(r->env[i].value) > ENV_VALUE_MAX)
			return MP_ERR_INVALID_ARGUMENT;
		if ((e = buf_put_cstring(b, r->env[i].name)) != 0 ||
		    (e = buf_put_cstring(b, r->env[i].value)) != 0)
			return e;
	}
	return 0;
}

static int
get_env(struct buf *b, struct hs_request *r)
{
	uint32_t n;
	int e;

	if ((e = buf_get_u32(b, &n)) != 0)
		return e;
	if (n > HS_ENV_MAX)
		return MP_ERR_TOO_LARGE;
	for (r->nenv = 0; r->nenv < n; r->nenv++) {
		if ((e = get_text(b, &r->env[r->nenv].name, 1, ENV_NAME_MAX,
		    "_")) != 0)
			return e;
		if ((e = get_text(b, &r->env[r->nenv].value, 0, ENV_VALUE_MAX,
		    NULL)) != 0) {
			free(r->env[r->nenv].name);
			r->env[r->nenv].name = NULL;
			return e;
		}
	}
	return 0;
}

static int
put_new(struct buf *b, const struct hs_request *r)
{
	int e;

	if (!token_ok(r->term, 1, TERM_MAX, "._+-") || !mode_ok(r->mode) ||
	    strlen(r->command) > COMMAND_MAX || (r->flags & ~FLAG_NO_PTY) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = buf_put_u8(b, HS_MSG_SESSION_NEW)) != 0 ||
	    (e = buf_put_cstring(b, r->term)) != 0 ||
	    (e = put_size(b, r)) != 0 ||
	    (e = buf_put_cstring(b, r->mode)) != 0 ||
	    (e = put_env(b, r)) != 0 ||
	    (e = buf_put_cstring(b, r->command)) != 0)
		return e;
	return buf_put_u32(b, r->flags);
}

static int
get_new(struct buf *b, struct hs_request *r)
{
	int e;

	if ((e = get_text(b, &r->term, 1, TERM_MAX, "._+-")) != 0 ||
	    (e = get_size(b, r)) != 0 ||
	    (e = get_text(b, &r->mode, 1, MODE_MAX, "")) != 0)
		return e;
	if (!mode_ok(r->mode))
		return MP_ERR_INVALID_FORMAT;
	if ((e = get_env(b, r)) != 0 ||
	    (e = get_text(b, &r->command, 0, COMMAND_MAX, NULL)) != 0 ||
	    (e = buf_get_u32(b, &r->flags)) != 0)
		return e;
	return (r->flags & ~FLAG_NO_PTY) != 0 ? MP_ERR_INVALID_FORMAT : 0;
}

static int
proof_len_ok(size_t n)
{
	return n == 32 || n == 48 || n == 64;
}

static int
put_resume(struct buf *b, const struct hs_request *r, const uint8_t *proof,
    size_t proof_len)
{
	int e;

	if (!proof_len_ok(proof_len))
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = buf_put_u8(b, HS_MSG_SESSION_RESUME)) != 0 ||
	    (e = put_id(b, r->session_id, r->session_id_len)) != 0 ||
	    (e = buf_put_string(b, proof, proof_len)) != 0)
		return e;
	return put_size(b, r);
}

static int
get_resume(struct buf *b, struct hs_request *r, uint8_t proof[HASH_MAX_BYTES],
    size_t *proof_len)
{
	const uint8_t *p;
	int e;

	if ((e = get_id(b, r->session_id, &r->session_id_len)) != 0 ||
	    (e = buf_get_string_direct(b, &p, proof_len, HASH_MAX_BYTES)) != 0)
		return e;
	if (!proof_len_ok(*proof_len))
		return MP_ERR_INVALID_FORMAT;
	memcpy(proof, p, *proof_len);
	return get_size(b, r);
}

int
hs_msg_put_request(struct buf *b, const struct hs_request *r,
    const uint8_t *proof, size_t proof_len)
{
	switch (r->type) {
	case HS_REQ_NEW:
		return put_new(b, r);
	case HS_REQ_RESUME:
		return put_resume(b, r, proof, proof_len);
	case HS_REQ_LIST:
		return hs_msg_put_empty(b, HS_MSG_SESSION_LIST);
	}
	return MP_ERR_INVALID_ARGUMENT;
}

int
hs_msg_get_request(struct buf *b, enum hs_msg_type type, struct hs_request *r,
    uint8_t proof[HASH_MAX_BYTES], size_t *proof_len)
{
	int e;

	memset(r, 0, sizeof(*r));
	*proof_len = 0;
	switch (type) {
	case HS_MSG_SESSION_NEW:
		r->type = HS_REQ_NEW;
		e = get_new(b, r);
		break;
	case HS_MSG_SESSION_RESUME:
		r->type = HS_REQ_RESUME;
		e = get_resume(b, r, proof, proof_len);
		break;
	case HS_MSG_SESSION_LIST:
		r->type = HS_REQ_LIST;
		e = 0;
		break;
	default:
		return MP_ERR_INVALID_ARGUMENT;
	}
	return e != 0 ? e : buf_expect_end(b);
}

/* Free one string of a parsed request, zeroing it: environment values
 * and commands may hold secrets. */
static void
free_text(char **s)
{
	if (*s != NULL)
		mp_free_secret(*s, strlen(*s));
	*s = NULL;
}

void
hs_request_clear(struct hs_request *r)
{
	size_t i;

	free_text(&r->term);
	free_text(&r->mode);
	free_text(&r->command);
	for (i = 0; i < r->nenv && i < HS_ENV_MAX; i++) {
		free_text(&r->env[i].name);
		free_text(&r->env[i].value);
	}
	mp_zero(r, sizeof(*r));
}

/* ---- answers ------------------------------------------------------ */

static int
put_session(struct buf *b, const struct hs_session_info *s)
{
	int e;

	if (strnlen(s->command, sizeof(s->command)) > LIST_COMMAND_MAX ||
	    !dim_ok(s->cols) || !dim_ok(s->rows))
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = put_id(b, s->session_id, s->session_id_len)) != 0 ||
	    (e = buf_put_u64(b, s->started)) != 0 ||
	    (e = buf_put_u8(b, s->attached ? 1 : 0)) != 0 ||
	    (e = buf_put_u16(b, s->cols)) != 0 ||
	    (e = buf_put_u16(b, s->rows)) != 0)
		return e;
	return buf_put_cstring(b, s->command);
}

static int
get_session(struct buf *b, struct hs_session_info *s)
{
	const uint8_t *p;
	uint8_t attached;
	size_t len;
	int e;

	if ((e = get_id(b, s->session_id, &s->session_id_len)) != 0 ||
	    (e = buf_get_u64(b, &s->started)) != 0 ||
	    (e = buf_get_u8(b, &attached)) != 0 ||
	    (e = buf_get_u16(b, &s->cols)) != 0 ||
	    (e = buf_get_u16(b, &s->rows)) != 0 ||
	    (e = buf_get_string_direct(b, &p, &len, LIST_COMMAND_MAX)) != 0)
		return e;
	if (attached > 1 || !dim_ok(s->cols) || !dim_ok(s->rows) ||
	    (len > 0 && memchr(p, '\0', len) != NULL))
		return MP_ERR_INVALID_FORMAT;
	s->attached = attached;
	memcpy(s->command, p, len);
	s->command[len] = '\0';
	return 0;
}

static int
put_list_reply(struct buf *b, const struct hs_reply *r)
{
	size_t i;
	int e;

	if (r->nsessions > HS_LIST_MAX)
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = buf_put_u8(b, HS_MSG_SESSION_LIST_REPLY)) != 0 ||
	    (e = buf_put_u32(b, (uint32_t)r->nsessions)) != 0)
		return e;
	for (i = 0; i < r->nsessions; i++)
		if ((e = put_session(b, &r->sessions[i])) != 0)
			return e;
	return 0;
}

static int
get_list_reply(struct buf *b, struct hs_reply *r)
{
	uint32_t n;
	int e;

	if ((e = buf_get_u32(b, &n)) != 0)
		return e;
	if (n > HS_LIST_MAX)
		return MP_ERR_TOO_LARGE;
	for (r->nsessions = 0; r->nsessions < n; r->nsessions++)
		if ((e = get_session(b, &r->sessions[r->nsessions])) != 0)
			return e;
	return 0;
}

static int
put_session_reply(struct buf *b, const struct hs_reply *r)
{
	int e;

	if (r->udp_port == 0 || strnlen(r->mode, sizeof(r->mode)) ==
	    sizeof(r->mode) || !mode_ok(r->mode))
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = buf_put_u8(b, HS_MSG_SESSION_REPLY)) != 0 ||
	    (e = buf_put_u16(b, r->udp_port)) != 0 ||
	    (e = put_id(b, r->session_id, r->session_id_len)) != 0 ||
	    (e = buf_put_cstring(b, r->mode)) != 0)
		return e;
	return buf_put_u32(b, 0);	/* flags: none defined */
}

static int
get_session_reply(struct buf *b, struct hs_reply *r)
{
	const uint8_t *p;
	uint32_t flags;
	size_t len;
	int e;

	if ((e = buf_get_u16(b, &r->udp_port)) != 0 ||
	    (e = get_id(b, r->session_id, &r->session_id_len)) != 0 ||
	    (e = buf_get_string_direct(b, &p, &len, sizeof(r->mode) - 1)) != 0)
		return e;
	if (len > 0 && memchr(p, '\0', len) != NULL)
		return MP_ERR_INVALID_FORMAT;
	memcpy(r->mode, p, len);
	r->mode[len] = '\0';
	if ((e = buf_get_u32(b, &flags)) != 0)
		return e;
	if (r->udp_port == 0 || !mode_ok(r->mode) || flags != 0)
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

int
hs_msg_put_reply(struct buf *b, enum hs_request_type req,
    const struct hs_reply *r)
{
	if (!r->ok) {
		if (strnlen(r->message, sizeof(r->message)) ==
		    sizeof(r->message))
			return MP_ERR_INVALID_ARGUMENT;
		return hs_msg_put_coded(b, HS_MSG_SESSION_FAILURE, r->reason,
		    r->message);
	}
	return req == HS_REQ_LIST ? put_list_reply(b, r) :
	    put_session_reply(b, r);
}

/* SESSION_FAILURE: the message is cut to what hs_reply holds. */
static int
get_failure(struct buf *b, struct hs_reply *r)
{
	char text[HS_TEXT_MAX + 1];
	size_t len;
	int e;

	if ((e = hs_msg_get_coded(b, &r->reason, text)) != 0)
		return e;
	len = strlen(text);
	if (len >= sizeof(r->message))
		len = sizeof(r->message) - 1;
	memcpy(r->message, text, len);
	r->message[len] = '\0';
	return 0;
}

int
hs_msg_get_reply(struct buf *b, enum hs_msg_type type, struct hs_reply *r)
{
	int e;

	memset(r, 0, sizeof(*r));
	switch (type) {
	case HS_MSG_SESSION_FAILURE:
		return get_failure(b, r);	/* checks the end itself */
	case HS_MSG_SESSION_LIST_REPLY:
		e = get_list_reply(b, r);
		break;
	case HS_MSG_SESSION_REPLY:
		e = get_session_reply(b, r);
		break;
	default:
		return MP_ERR_INVALID_ARGUMENT;
	}
	if (e == 0 && (e = buf_expect_end(b)) == 0)
		r->ok = 1;
	return e;
}

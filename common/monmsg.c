/* monmsg.c: encoding and strict decoding of the monitor/net-child message payloads. */
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/monmsg.h"
#include "common/proto/msg.h"


int
monmsg_get_text(struct buf *b, char *out, size_t size)
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len, size - 1)) != 0)
		return r;
	if (memchr(p, '\0', len) != NULL)
		return MP_ERR_INVALID_FORMAT;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

int
monmsg_put_config(struct buf *b, const struct mon_config *c)
{
	int r;

	if ((r = buf_put_u8(b, c->phase)) != 0 ||
	    (r = buf_put_u32(b, c->uid)) != 0 ||
	    (r = buf_put_u32(b, c->gid)) != 0 ||
	    (r = buf_put_cstring(b, c->chroot)) != 0 ||
	    (r = buf_put_u8(b, c->dedicated_user)) != 0 ||
	    (r = buf_put_u8(b, c->seccomp_debug)) != 0 ||
	    (r = buf_put_u8(b, c->log_level)) != 0 ||
	    (r = buf_put_u32(b, c->grace_ms)) != 0 ||
	    (r = buf_put_u32(b, c->pacing_us)) != 0 ||
	    (r = buf_put_u8(b, c->no_pty)) != 0 ||
	    (r = buf_put_u8(b, c->mode)) != 0 ||
	    (r = buf_put_u16(b, c->cols)) != 0 ||
	    (r = buf_put_u16(b, c->rows)) != 0 ||
	    (r = buf_put_u16(b, c->xpixel)) != 0 ||
	    (r = buf_put_u16(b, c->ypixel)) != 0 ||
	    (r = buf_put_u32(b, c->push_ms)) != 0 ||
	    (r = buf_put_u32(b, c->scrollback_rate)) != 0 ||
	    (r = buf_put_u32(b, c->warmup_ms)) != 0 ||
	    (r = buf_put_u32(b, c->timeout_s)) != 0 ||
	    (r = buf_put_u8(b, c->test_violation)) != 0 ||
	    (r = buf_put_cstring(b, c->kex)) != 0 ||
	    (r = buf_put_cstring(b, c->hostkey)) != 0 ||
	    (r = buf_put_cstring(b, c->aead)) != 0 ||
	    (r = buf_put_cstring(b, c->mac)) != 0)
		return r;
	return buf_put_cstring(b, c->kdf);
}

int
monmsg_get_config(struct buf *b, struct mon_config *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = buf_get_u8(b, &c->phase)) != 0 ||
	    (r = buf_get_u32(b, &c->uid)) != 0 ||
	    (r = buf_get_u32(b, &c->gid)) != 0 ||
	    (r = monmsg_get_text(b, c->chroot, sizeof(c->chroot))) != 0 ||
	    (r = buf_get_u8(b, &c->dedicated_user)) != 0 ||
	    (r = buf_get_u8(b, &c->seccomp_debug)) != 0 ||
	    (r = buf_get_u8(b, &c->log_level)) != 0 ||
	    (r = buf_get_u32(b, &c->grace_ms)) != 0 ||
	    (r = buf_get_u32(b, &c->pacing_us)) != 0 ||
	    (r = buf_get_u8(b, &c->no_pty)) != 0 ||
	    (r = buf_get_u8(b, &c->mode)) != 0 ||
	    (r = buf_get_u16(b, &c->cols)) != 0 ||
	    (r = buf_get_u16(b, &c->rows)) != 0 ||
	    (r = buf_get_u16(b, &c->xpixel)) != 0 ||
	    (r = buf_get_u16(b, &c->ypixel)) != 0 ||
	    (r = buf_get_u32(b, &c->push_ms)) != 0 ||
	    (r = buf_get_u32(b, &c->scrollback_rate)) != 0 ||
	    (r = buf_get_u32(b, &c->warmup_ms)) != 0 ||
	    (r = buf_get_u32(b, &c->timeout_s)) != 0 ||
	    (r = buf_get_u8(b, &c->test_violation)) != 0 ||
	    (r = monmsg_get_text(b, c->kex, sizeof(c->kex))) != 0 ||
	    (r = monmsg_get_text(b, c->hostkey, sizeof(c->hostkey))) != 0 ||
	    (r = monmsg_get_text(b, c->aead, sizeof(c->aead))) != 0 ||
	    (r = monmsg_get_text(b, c->mac, sizeof(c->mac))) != 0 ||
	    (r = monmsg_get_text(b, c->kdf, sizeof(c->kdf))) != 0)
		return r;
	if (c->phase != MON_PHASE_PREAUTH && c->phase != MON_PHASE_SESSION)
		return MP_ERR_INVALID_FORMAT;
	if (c->dedicated_user > 1 || c->seccomp_debug > 1 || c->no_pty > 1 ||
	    c->test_violation > 1 || c->mode > MON_MODE_STATESYNC ||
	    (c->phase == MON_PHASE_SESSION && !c->no_pty &&
	    (c->cols == 0 || c->cols > 4096 || c->rows == 0 || c->rows > 4096)) ||
	    (c->no_pty && c->mode != MON_MODE_RELIABLE))
		return MP_ERR_INVALID_FORMAT;
	return buf_expect_end(b);
}

int
monmsg_put_keys(struct buf *b, const struct hs_keys *k)
{
	int r;

	if ((r = buf_put_cstring(b, k->kex)) != 0 ||
	    (r = buf_put_cstring(b, k->hostkey)) != 0 ||
	    (r = buf_put_cstring(b, k->aead)) != 0 ||
	    (r = buf_put_cstring(b, k->mac)) != 0 ||
	    (r = buf_put_cstring(b, k->kdf)) != 0 ||
	    (r = buf_put_string(b, k->h, k->h_len)) != 0 ||
	    (r = buf_put_string(b, k->session_id, k->session_id_len)) != 0 ||
	    (r = buf_put_string(b, k->c2s_key, k->key_len)) != 0 ||
	    (r = buf_put_string(b, k->s2c_key, k->key_len)) != 0 ||
	    (r = buf_put_string(b, k->c2s_mac, k->mac_len)) != 0 ||
	    (r = buf_put_string(b, k->s2c_mac, k->mac_len)) != 0)
		return r;
	return buf_put_string(b, k->resume, sizeof(k->resume));
}

/* A string of at most max bytes into out; its length in *len. */
static int
get_bytes(struct buf *b, uint8_t *out, size_t max, size_t *len)
{
	const uint8_t *p;
	int r;

	if ((r = buf_get_string_direct(b, &p, len, max)) != 0)
		return r;
	memcpy(out, p, *len);
	return 0;
}

static int
keys_valid(const struct hs_keys *k, size_t c2s_mac_len)
{
	if (!hs_msg_id_len_ok(k->h_len) ||
	    !hs_msg_id_len_ok(k->session_id_len) || k->key_len == 0 ||
	    c2s_mac_len != k->mac_len)
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

static int
get_keys(struct buf *b, struct hs_keys *k)
{
	size_t c2s_len, c2s_mac_len, resume_len;
	int r;

	if ((r = monmsg_get_text(b, k->kex, sizeof(k->kex))) != 0 ||
	    (r = monmsg_get_text(b, k->hostkey, sizeof(k->hostkey))) != 0 ||
	    (r = monmsg_get_text(b, k->aead, sizeof(k->aead))) != 0 ||
	    (r = monmsg_get_text(b, k->mac, sizeof(k->mac))) != 0 ||
	    (r = monmsg_get_text(b, k->kdf, sizeof(k->kdf))) != 0 ||
	    (r = get_bytes(b, k->h, sizeof(k->h), &k->h_len)) != 0 ||
	    (r = get_bytes(b, k->session_id, sizeof(k->session_id),
	    &k->session_id_len)) != 0 ||
	    (r = get_bytes(b, k->c2s_key, sizeof(k->c2s_key), &c2s_len)) != 0 ||
	    (r = get_bytes(b, k->s2c_key, sizeof(k->s2c_key),
	    &k->key_len)) != 0 ||
	    (r = get_bytes(b, k->c2s_mac, sizeof(k->c2s_mac),
	    &c2s_mac_len)) != 0 ||
	    (r = get_bytes(b, k->s2c_mac, sizeof(k->s2c_mac),
	    &k->mac_len)) != 0 ||
	    (r = get_bytes(b, k->resume, sizeof(k->resume), &resume_len)) != 0)
		return r;
	if (c2s_len != k->key_len || resume_len != sizeof(k->resume))
		return MP_ERR_KEY_LENGTH;
	return keys_valid(k, c2s_mac_len);
}

int
monmsg_get_keys(struct buf *b, struct hs_keys *k)
{
	int r;

	memset(k, 0, sizeof(*k));
	if ((r = get_keys(b, k)) != 0 || (r = buf_expect_end(b)) != 0)
		hs_keys_clear(k);
	return r;
}

int
monmsg_put_rekey(struct buf *b, const struct hs_keys *k,
    const uint16_t size[4])
{
	int r, i;

	if ((r = monmsg_put_keys(b, k)) != 0)
		return r;
	for (i = 0; i < 4; i++)
		if ((r = buf_put_u16(b, size[i])) != 0)
			return r;
	return 0;
}

int
monmsg_get_rekey(struct buf *b, struct hs_keys *k, uint16_t size[4])
{
	int r = 0, i;

	memset(k, 0, sizeof(*k));
	if ((r = get_keys(b, k)) == 0)
		for (i = 0; i < 4 && r == 0; i++)
			r = buf_get_u16(b, &size[i]);
	if (r == 0 && (size[0] == 0 || size[0] > 4096 || size[1] == 0 ||
	    size[1] > 4096))
		r = MP_ERR_INVALID_FORMAT;
	if (r != 0 || (r = buf_expect_end(b)) != 0)
		hs_keys_clear(k);
	return r;
}

/* A text of a fixed-size field ends within it. */
static int
has_nul(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* The fields a claim and a request start with: user, KDF, id (H) and
 * proof, each checked against its field's size before anything is
 * written. */
static int
put_resume_head(struct buf *b, const char user[static HS_NAME_MAX + 1],
    const char kdf[static HS_NAME_MAX + 1], const uint8_t *id, size_t id_len,
    const uint8_t *proof, size_t proof_len)
{
	int r;

	if (!has_nul(user, HS_NAME_MAX + 1) || !has_nul(kdf, HS_NAME_MAX + 1) ||
	    id_len > HS_H_MAX || proof_len > HASH_MAX_BYTES)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_cstring(b, user)) != 0 ||
	    (r = buf_put_cstring(b, kdf)) != 0 ||
	    (r = buf_put_string(b, id, id_len)) != 0)
		return r;
	return buf_put_string(b, proof, proof_len);
}

static int
get_resume_head(struct buf *b, char user[static HS_NAME_MAX + 1],
    char kdf[static HS_NAME_MAX + 1], uint8_t id[static HS_H_MAX],
    size_t *id_len, uint8_t proof[static HASH_MAX_BYTES], size_t *proof_len)
{
	int r;

	if ((r = monmsg_get_text(b, user, HS_NAME_MAX + 1)) != 0 ||
	    (r = monmsg_get_text(b, kdf, HS_NAME_MAX + 1)) != 0 ||
	    (r = get_bytes(b, id, HS_H_MAX, id_len)) != 0)
		return r;
	return get_bytes(b, proof, HASH_MAX_BYTES, proof_len);
}

int
monmsg_put_resume_claim(struct buf *b, const struct mon_resume_claim *c)
{
	int r;

	if (!has_nul(c->addr, sizeof(c->addr)))
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = put_resume_head(b, c->user, c->kdf, c->h, c->h_len,
	    c->proof, c->proof_len)) != 0 ||
	    (r = buf_put_cstring(b, c->addr)) != 0)
		return r;
	return buf_put_u32(b, c->port);
}

int
monmsg_get_resume_claim(struct buf *b, struct mon_resume_claim *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = get_resume_head(b, c->user, c->kdf, c->h, &c->h_len,
	    c->proof, &c->proof_len)) != 0 ||
	    (r = monmsg_get_text(b, c->addr, sizeof(c->addr))) != 0 ||
	    (r = buf_get_u32(b, &c->port)) != 0)
		return r;
	return buf_expect_end(b);
}

int
monmsg_put_resume_request(struct buf *b, const struct mon_resume_request *q)
{
	return put_resume_head(b, q->user, q->kdf, q->id, q->id_len, q->proof,
	    q->proof_len);
}

int
monmsg_get_resume_request(struct buf *b, struct mon_resume_request *q)
{
	int r;

	memset(q, 0, sizeof(*q));
	if ((r = get_resume_head(b, q->user, q->kdf, q->id, &q->id_len,
	    q->proof, &q->proof_len)) != 0)
		return r;
	return buf_expect_end(b);
}

static int
put_session(struct buf *b, const struct hs_session_info *s)
{
	int r;

	if ((r = buf_put_string(b, s->session_id, s->session_id_len)) != 0 ||
	    (r = buf_put_u64(b, s->started)) != 0 ||
	    (r = buf_put_u8(b, s->attached ? 1 : 0)) != 0 ||
	    (r = buf_put_u16(b, s->cols)) != 0 ||
	    (r = buf_put_u16(b, s->rows)) != 0)
		return r;
	return buf_put_cstring(b, s->command);
}

static int
get_session(struct buf *b, struct hs_session_info *s)
{
	uint8_t attached;
	int r;

	if ((r = get_bytes(b, s->session_id, sizeof(s->session_id),
	    &s->session_id_len)) != 0 ||
	    (r = buf_get_u64(b, &s->started)) != 0 ||
	    (r = buf_get_u8(b, &attached)) != 0 ||
	    (r = buf_get_u16(b, &s->cols)) != 0 ||
	    (r = buf_get_u16(b, &s->rows)) != 0 ||
	    (r = monmsg_get_text(b, s->command, sizeof(s->command))) != 0)
		return r;
	if (attached > 1 || !hs_msg_id_len_ok(s->session_id_len))
		return MP_ERR_INVALID_FORMAT;
	s->attached = attached;
	return 0;
}

int
monmsg_put_reply(struct buf *b, const struct hs_reply *rep)
{
	size_t i;
	int r;

	if (rep->nsessions > HS_LIST_MAX)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = buf_put_u8(b, rep->ok ? 1 : 0)) != 0 ||
	    (r = buf_put_u32(b, rep->reason)) != 0 ||
	    (r = buf_put_cstring(b, rep->message)) != 0 ||
	    (r = buf_put_u16(b, rep->udp_port)) != 0 ||
	    (r = buf_put_cstring(b, rep->mode)) != 0 ||
	    (r = buf_put_u32(b, (uint32_t)rep->nsessions)) != 0)
		return r;
	for (i = 0; i < rep->nsessions; i++)
		if ((r = put_session(b, &rep->sessions[i])) != 0)
			return r;
	return 0;
}

int
monmsg_get_reply(struct buf *b, struct hs_reply *rep)
{
	uint32_t n;
	uint8_t ok;
	size_t i;
	int r;

	memset(rep, 0, sizeof(*rep));
	if ((r = buf_get_u8(b, &ok)) != 0 ||
	    (r = buf_get_u32(b, &rep->reason)) != 0 ||
	    (r = monmsg_get_text(b, rep->message, sizeof(rep->message))) != 0 ||
	    (r = buf_get_u16(b, &rep->udp_port)) != 0 ||
	    (r = monmsg_get_text(b, rep->mode, sizeof(rep->mode))) != 0 ||
	    (r = buf_get_u32(b, &n)) != 0)
		return r;
	if (ok > 1 || n > HS_LIST_MAX)
		return MP_ERR_INVALID_FORMAT;
	rep->ok = ok;
	rep->nsessions = n;
	for (i = 0; i < n; i++)
		if ((r = get_session(b, &rep->sessions[i])) != 0)
			return r;
	return buf_expect_end(b);
}

int
monmsg_put_result(struct buf *b, int result)
{
	if (result > 0)
		return MP_ERR_INVALID_ARGUMENT;
	return buf_put_u32(b, (uint32_t)-result);
}

int
monmsg_get_result(struct buf *b, int *result)
{
	uint32_t v;
	int r;

	if ((r = buf_get_u32(b, &v)) != 0)
		return r;
	if ((r = buf_expect_end(b)) != 0)
		return r;
	/* Only codes the sender could have meant; anything else is a bug
	 * or an attack, and reads as one. */
	*result = v <= (uint32_t)-MP_ERR_LIMIT ? -(int)v : MP_ERR_INTERNAL;
	return 0;
}

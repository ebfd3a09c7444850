/* buf.c: bounded byte buffer with typed, checked get/put. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/secmem.h"

#define BUF_INITIAL	256

struct buf {
	uint8_t *data;		/* allocation (or borrowed memory) */
	size_t off;		/* first unread byte */
	size_t end;		/* one past the last written byte */
	size_t alloc;		/* bytes allocated */
	size_t max_size;	/* ceiling for end - off and for alloc */
	int readonly;		/* data is borrowed: no puts, no free */
};

struct buf *
buf_new(size_t max_size)
{
	struct buf *b;

	if (max_size == 0 || max_size > BUF_SIZE_MAX)
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->max_size = max_size;
	return b;
}

struct buf *
buf_from(const void *data, size_t len)
{
	struct buf *b;

	if (len > BUF_SIZE_MAX || (data == NULL && len != 0))
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->data = (uint8_t *)(uintptr_t)data;	/* never written: readonly */
	b->end = b->alloc = b->max_size = len;
	b->readonly = 1;
	return b;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	if (!b->readonly)
		mp_free_secret(b->data, b->alloc);
	mp_zero(b, sizeof(*b));
	free(b);
}

size_t
buf_len(const struct buf *b)
{
	return b->end - b->off;
}

const uint8_t *
buf_ptr(const struct buf *b)
{
	static const uint8_t empty[1];

	/* A buffer that never held data has no allocation yet. */
	return b->data == NULL ? empty : b->data + b->off;
}

size_t
buf_max_size(const struct buf *b)
{
	return b->max_size;
}

void
buf_reset(struct buf *b)
{
	if (b->readonly) {
		b->off = b->end;
		return;
	}
	mp_zero(b->data, b->alloc);
	b->off = b->end = 0;
}

/* Make room for len more bytes: compact, then grow (copying, so the old
 * allocation can be zeroed) up to max_size. */
static int
buf_make_room(struct buf *b, size_t len)
{
	size_t need, nalloc;
	uint8_t *n;

	if (b->readonly)
		return MP_ERR_INVALID_ARGUMENT;
	if (len > b->max_size || buf_len(b) > b->max_size - len)
		return MP_ERR_NO_SPACE;
	need = buf_len(b) + len;
	if (b->off > 0 && b->end + len > b->alloc) {
		memmove(b->data, b->data + b->off, buf_len(b));
		b->end -= b->off;
		mp_zero(b->data + b->end, b->off);
		b->off = 0;
	}
	if (need <= b->alloc)
		return 0;
	nalloc = b->alloc ? b->alloc : BUF_INITIAL;
	while (nalloc < need)
		nalloc = nalloc > b->max_size / 2 ? b->max_size : nalloc * 2;
	if (nalloc > b->max_size)
		nalloc = b->max_size;
	if ((n = malloc(nalloc)) == NULL)
		return MP_ERR_ALLOC;
	if (b->end > 0)
		memcpy(n, b->data, b->end);
	memset(n + b->end, 0, nalloc - b->end);
	mp_free_secret(b->data, b->alloc);
	b->data = n;
	b->alloc = nalloc;
	return 0;
}

int
buf_reserve(struct buf *b, size_t len, uint8_t **p)
{
	int r;

	static uint8_t empty[1];

	if (len == 0 && !b->readonly) {
		*p = empty;	/* nothing may be written through it */
		return 0;
	}
	if ((r = buf_make_room(b, len)) != 0)
		return r;
	*p = b->data + b->end;
	b->end += len;
	return 0;
}

int
buf_consume(struct buf *b, size_t len)
{
	if (len > buf_len(b))
		return MP_ERR_INCOMPLETE;
	b->off += len;
	if (b->off == b->end && !b->readonly)
		b->off = b->end = 0;
	return 0;
}

int
buf_consume_end(struct buf *b, size_t len)
{
	if (len > buf_len(b))
		return MP_ERR_INCOMPLETE;
	b->end -= len;
	return 0;
}

int
buf_put(struct buf *b, const void *data, size_t len)
{
	uint8_t *p;
	int r;

	if (len == 0)
		return 0;
	if ((r = buf_reserve(b, len, &p)) != 0)
		return r;
	memcpy(p, data, len);
	return 0;
}

/* Store v big-endian in n bytes. */
static int
put_be(struct buf *b, uint64_t v, size_t n)
{
	uint8_t tmp[8];
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return buf_put(b, tmp, n);
}

int buf_put_u8(struct buf *b, uint8_t v) { return put_be(b, v, 1); }
int buf_put_u16(struct buf *b, uint16_t v) { return put_be(b, v, 2); }
int buf_put_u32(struct buf *b, uint32_t v) { return put_be(b, v, 4); }
int buf_put_u64(struct buf *b, uint64_t v) { return put_be(b, v, 8); }

int
buf_put_string(struct buf *b, const void *data, size_t len)
{
	uint8_t *p;
	int r;

	if (len > BUF_SIZE_MAX)
		return MP_ERR_TOO_LARGE;
	if (len > SIZE_MAX - 4)
		return MP_ERR_NO_SPACE;
	/* One reservation, so a failure leaves the buffer unchanged. */
	if ((r = buf_reserve(b, 4 + len, &p)) != 0)
		return r;
	p[0] = (uint8_t)(len >> 24);
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	if (len > 0)
		memcpy(p + 4, data, len);
	return 0;
}

int
buf_put_cstring(struct buf *b, const char *s)
{
	return buf_put_string(b, s, strlen(s));
}

int
buf_put_stringb(struct buf *b, const struct buf *v)
{
	return buf_put_string(b, buf_ptr(v), buf_len(v));
}

int
buf_get(struct buf *b, void *out, size_t len)
{
	if (len > buf_len(b))
		return MP_ERR_INCOMPLETE;
	if (out != NULL && len > 0)
		memcpy(out, buf_ptr(b), len);
	return buf_consume(b, len);
}

/* Read an n-byte big-endian integer. */
static int
get_be(struct buf *b, uint64_t *v, size_t n)
{
	const uint8_t *p = buf_ptr(b);
	uint64_t x = 0;
	size_t i;

	if (n > buf_len(b))
		return MP_ERR_INCOMPLETE;
	for (i = 0; i < n; i++)
		x = x << 8 | p[i];
	*v = x;
	return buf_consume(b, n);
}

#define GET_UINT(name, type, n)					\
int								\
name(struct buf *b, type *v)					\
{								\
	uint64_t x;						\
	int r;							\
								\
	if ((r = get_be(b, &x, n)) != 0)			\
		return r;					\
	if (v != NULL)						\
		*v = (type)x;					\
	return 0;						\
}
GET_UINT(buf_get_u8, uint8_t, 1)
GET_UINT(buf_get_u16, uint16_t, 2)
GET_UINT(buf_get_u32, uint32_t, 4)
GET_UINT(buf_get_u64, uint64_t, 8)

/* Peek at a string's length and body without consuming anything. */
static int
peek_string(const struct buf *b, const uint8_t **p, size_t *len,
    size_t max_len)
{
	const uint8_t *q = buf_ptr(b);
	size_t n;

	if (buf_len(b) < 4)
		return MP_ERR_INCOMPLETE;
	n = (size_t)q[0] << 24 | (size_t)q[1] << 16 | (size_t)q[2] << 8 | q[3];
	if (n > max_len || n > BUF_SIZE_MAX)
		return MP_ERR_TOO_LARGE;
	if (n > buf_len(b) - 4)
		return MP_ERR_INCOMPLETE;
	*p = q + 4;
	*len = n;
	return 0;
}

int
buf_get_string_direct(struct buf *b, const uint8_t **p, size_t *len,
    size_t max_len)
{
	int r;

	if ((r = peek_string(b, p, len, max_len)) != 0)
		return r;
	return buf_consume(b, 4 + *len);
}

int
buf_get_string_exact(struct buf *b, void *out, size_t want)
{
	const uint8_t *p;
	size_t len;
	int r;

	if ((r = peek_string(b, &p, &len, BUF_SIZE_MAX)) != 0)
		return r;
	if (len != want)
		return MP_ERR_KEY_LENGTH;
	if (len > 0)
		memcpy(out, p, len);
	return buf_consume(b, 4 + len);
}

int
buf_get_cstring(struct buf *b, char **s, size_t max_len)
{
	const uint8_t *p;
	size_t len;
	char *out;
	int r;

	if ((r = peek_string(b, &p, &len, max_len)) != 0)
		return r;
	if (len > 0 && memchr(p, '\0', len) != NULL)
		return MP_ERR_INVALID_FORMAT;
	if ((out = malloc(len + 1)) == NULL)
		return MP_ERR_ALLOC;
	if (len > 0)
		memcpy(out, p, len);
	out[len] = '\0';
	*s = out;
	return buf_consume(b, 4 + len);
}

int
buf_expect_end(const struct buf *b)
{
	return buf_len(b) == 0 ? 0 : MP_ERR_TRAILING_DATA;
}

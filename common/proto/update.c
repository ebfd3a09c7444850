/* update.c: screen updates as STATE chunks: zstd and cutting for the sender, bounded assembly and checked decompression for the receiver. */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/proto/update.h"

/* A typical update (a few KiB) compresses a fifth smaller at level 6 than
 * at 1 in the same 212 KiB of zstd workspace and some microseconds; a
 * large one (a full screen at a resize, a burst of scrollback) is
 * compressed fast. */
#define ZSTD_LEVEL_SMALL	6
#define ZSTD_SMALL_MAX		(16u * 1024)
#define ZSTD_LEVEL_LARGE	1
#define CHUNK_MISSING	UINT16_MAX	/* above any chunk length */
#define GROW_MIN	256

_Static_assert(UPDATE_CHUNK_MAX < CHUNK_MISSING, "chunk lengths fit");

/* A byte array reused for the largest content seen; growing it drops
 * what it held. */
struct bytes {
	uint8_t *p;
	size_t len, cap;
};

static int
bytes_size(struct bytes *b, size_t need)
{
	size_t cap = need > GROW_MIN ? need : GROW_MIN;

	b->len = 0;
	if (b->p != NULL && b->cap >= need)
		return 0;
	mp_free_secret(b->p, b->cap);
	b->cap = 0;
	if ((b->p = malloc(cap)) == NULL)
		return MP_ERR_ALLOC;
	b->cap = cap;
	return 0;
}

static void
bytes_free(struct bytes *b)
{
	mp_free_secret(b->p, b->cap);
	memset(b, 0, sizeof(*b));
}

static void
bytes_swap(struct bytes *a, struct bytes *b)
{
	struct bytes t = *a;

	*a = *b;
	*b = t;
}

/* ---- sender ------------------------------------------------------------- */

struct update_tx {
	ZSTD_CCtx *cctx;
	size_t chunk_size;
	struct bytes data;	/* the chunks of the update, back to back */
	struct bytes work;	/* where the next update is prepared */
	uint64_t base, next;
	uint8_t flags;
	unsigned count;		/* chunks; 0 before the first update */
	unsigned cursor;	/* next chunk to send; count when none */
};

struct update_tx *
update_tx_new(size_t chunk_size)
{
	struct update_tx *u;

	if (chunk_size == 0 || chunk_size > UPDATE_CHUNK_MAX)
		return NULL;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	u->chunk_size = chunk_size;
	if ((u->cctx = ZSTD_createCCtx()) == NULL) {
		free(u);
		return NULL;
	}
	return u;
}

void
update_tx_free(struct update_tx *u)
{
	if (u == NULL)
		return;
	ZSTD_freeCCtx(u->cctx);
	bytes_free(&u->data);
	bytes_free(&u->work);
	free(u);
}

/* Compress p into work if that makes it shorter and it fits max bytes:
 * 1, 0 if not (work is then unspecified), or MP_ERR_ALLOC. */
static int
compress(struct update_tx *u, const uint8_t *p, size_t len, size_t max)
{
	size_t cap, n;
	int r;

	if (len < UPDATE_COMPRESS_MIN)
		return 0;
	cap = len - 1 < max ? len - 1 : max;
	if ((r = bytes_size(&u->work, cap)) != 0)
		return r;
	/* The zstd frame states its content size (the default). */
	n = ZSTD_compressCCtx(u->cctx, u->work.p, cap, p, len,
	    len <= ZSTD_SMALL_MAX ? ZSTD_LEVEL_SMALL : ZSTD_LEVEL_LARGE);
	if (ZSTD_isError(n))
		return 0;	/* did not fit: longer than the input */
	u->work.len = n;
	return 1;
}

int
update_tx_set(struct update_tx *u, uint64_t base, uint64_t next,
    uint8_t flags, const uint8_t *p, size_t len)
{
	size_t max = u->chunk_size * UPDATE_CHUNKS_MAX;
	int zstd, r;

	if ((flags & ~FRAME_STATE_LINES_DROPPED) != 0 ||
	    (p == NULL && len > 0))
		return MP_ERR_INVALID_ARGUMENT;
	if (len > UPDATE_PLAIN_MAX)
		return MP_ERR_TOO_LARGE;
	if ((zstd = compress(u, p, len, max)) < 0)
		return zstd;
	if (!zstd) {
		if (len > max)
			return MP_ERR_TOO_LARGE;
		if ((r = bytes_size(&u->work, len)) != 0)
			return r;
		if (len > 0)
			memcpy(u->work.p, p, len);
		u->work.len = len;
	}
	bytes_swap(&u->data, &u->work);
	u->base = base;
	u->next = next;
	u->flags = flags | (zstd ? FRAME_STATE_ZSTD : 0);
	u->count = u->data.len == 0 ? 1 :
	    (unsigned)((u->data.len + u->chunk_size - 1) / u->chunk_size);
	u->cursor = 0;
	return 0;
}

int
update_tx_requeue(struct update_tx *u)
{
	if (u->count == 0)
		return MP_ERR_INVALID_ARGUMENT;
	u->cursor = 0;
	return 0;
}

int
update_tx_pending(const struct update_tx *u)
{
	return u->cursor < u->count;
}

int
update_tx_peek(const struct update_tx *u, struct frame_state *s)
{
	size_t off = u->cursor * u->chunk_size;

	if (!update_tx_pending(u))
		return 0;
	s->base = u->base;
	s->next = u->next;
	s->flags = u->flags;
	s->index = (uint16_t)u->cursor;
	s->count = (uint16_t)u->count;
	s->data = u->data.p + off;
	s->len = u->data.len - off < u->chunk_size ? u->data.len - off :
	    u->chunk_size;
	return 1;
}

int
update_tx_sent(struct update_tx *u)
{
	if (!update_tx_pending(u))
		return 0;
	return ++u->cursor == u->count;
}

unsigned
update_tx_chunks(const struct update_tx *u)
{
	return u->count;
}

/* ---- receiver ----------------------------------------------------------- */

struct update_rx {
	ZSTD_DCtx *dctx;
	/* The assembly in progress: chunk i at parts + i * UPDATE_CHUNK_MAX,
	 * its length in len[i] (CHUNK_MISSING until it arrives). */
	int assembling;
	uint64_t base, next;
	uint8_t flags;
	unsigned count, have;
	uint16_t *len;
	struct bytes parts;
	struct bytes plain;	/* the update being decoded */
	/* The newest update completed, and whether it waits to be taken. */
	int applied, ready;
	int repeat_full;	/* a full update may repeat the last state */
	uint64_t done_base, done_next;
	uint8_t done_flags;
	struct bytes done;
};

struct update_rx *
update_rx_new(void)
{
	struct update_rx *u;

	if ((u = calloc(1, sizeof(*u))) == NULL)
		return NULL;
	u->dctx = ZSTD_createDCtx();
	u->len = calloc(UPDATE_CHUNKS_MAX, sizeof(*u->len));
	if (u->dctx == NULL || u->len == NULL) {
		update_rx_free(u);
		return NULL;
	}
	return u;
}

void
update_rx_repeat_full(struct update_rx *u)
{
	u->repeat_full = 1;
}

void
update_rx_free(struct update_rx *u)
{
	if (u == NULL)
		return;
	ZSTD_freeDCtx(u->dctx);
	free(u->len);
	bytes_free(&u->parts);
	bytes_free(&u->plain);
	bytes_free(&u->done);
	free(u);
}

/* 1 if p is exactly one zstd frame (no skippable frame, nothing after)
 * stating its content size, which goes in *size. */
static int
zstd_exact_frame(const uint8_t *p, size_t len, unsigned long long *size)
{
	static const uint8_t magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	size_t n;

	if (len < sizeof(magic) || memcmp(p, magic, sizeof(magic)) != 0)
		return 0;
	*size = ZSTD_getFrameContentSize(p, len);
	if (*size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    *size == ZSTD_CONTENTSIZE_ERROR)
		return 0;
	n = ZSTD_findFrameCompressedSize(p, len);
	return !ZSTD_isError(n) && n == len;
}

/* Decompress p into plain: UPDATE_COMPLETE, UPDATE_BAD_ZSTD,
 * UPDATE_TOO_BIG or MP_ERR_ALLOC. */
static int
decompress(struct update_rx *u, const uint8_t *p, size_t len)
{
	unsigned long long size;
	size_t n;
	int r;

	if (!zstd_exact_frame(p, len, &size))
		return UPDATE_BAD_ZSTD;
	if (size > UPDATE_PLAIN_MAX)
		return UPDATE_TOO_BIG;
	if ((r = bytes_size(&u->plain, (size_t)size)) != 0)
		return r;
	n = ZSTD_decompressDCtx(u->dctx, u->plain.p, (size_t)size, p, len);
	if (ZSTD_isError(n) || n != size)
		return UPDATE_BAD_ZSTD;
	u->plain.len = n;
	return UPDATE_COMPLETE;
}

static int
copy_plain(struct update_rx *u, const uint8_t *p, size_t len)
{
	int r;

	if ((r = bytes_size(&u->plain, len)) != 0)
		return r;
	if (len > 0)
		memcpy(u->plain.p, p, len);
	u->plain.len = len;
	return UPDATE_COMPLETE;
}

/* The update of state s (whose flags are known) arrived whole as p. */
static int
finish(struct update_rx *u, const struct frame_state *s, uint8_t flags,
    const uint8_t *p, size_t len)
{
	int r;

	r = (flags & FRAME_STATE_ZSTD) ? decompress(u, p, len) :
	    copy_plain(u, p, len);
	if (r != UPDATE_COMPLETE)
		return r;
	bytes_swap(&u->plain, &u->done);
	u->done_base = s->base;
	u->done_next = s->next;
	u->done_flags = flags;
	u->applied = u->ready = 1;
	return UPDATE_COMPLETE;
}

static int
same_update(const struct update_rx *u, const struct frame_state *s,
    uint8_t flags)
{
	return u->assembling && u->base == s->base && u->next == s->next &&
	    u->flags == flags && u->count == s->count;
}

/* Start assembling the update s is a chunk of, dropping any other. */
static int
start(struct update_rx *u, const struct frame_state *s, uint8_t flags)
{
	int r;

	u->assembling = 0;
	if ((r = bytes_size(&u->parts, (size_t)s->count * UPDATE_CHUNK_MAX))
	    != 0)
		return r;
	memset(u->len, 0xff, s->count * sizeof(*u->len));
	u->base = s->base;
	u->next = s->next;
	u->flags = flags;
	u->count = s->count;
	u->have = 0;
	u->assembling = 1;
	return 0;
}

/* Move the chunks together in index order; their total length. */
static size_t
join(struct update_rx *u)
{
	size_t pos = 0;
	unsigned i;

	for (i = 0; i < u->count; i++) {
		memmove(u->parts.p + pos, u->parts.p +
		    (size_t)i * UPDATE_CHUNK_MAX, u->len[i]);
		pos += u->len[i];
	}
	return pos;
}

static int
add_chunk(struct update_rx *u, const struct frame_state *s, uint8_t flags)
{
	int r;

	if (!same_update(u, s, flags) && (r = start(u, s, flags)) != 0)
		return r;
	if (u->len[s->index] != CHUNK_MISSING)
		return UPDATE_IGNORED;
	if (s->len > 0)
		memcpy(u->parts.p + (size_t)s->index * UPDATE_CHUNK_MAX,
		    s->data, s->len);
	u->len[s->index] = (uint16_t)s->len;
	if (++u->have < u->count)
		return UPDATE_PARTIAL;
	u->assembling = 0;
	return finish(u, s, flags, u->parts.p, join(u));
}

static int
chunk_ok(const struct frame_state *s)
{
	return s->count >= 1 && s->count <= UPDATE_CHUNKS_MAX &&
	    s->index < s->count && s->len <= UPDATE_CHUNK_MAX &&
	    (s->data != NULL || s->len == 0);
}

int
update_rx_chunk(struct update_rx *u, const struct frame_state *s)
{
	uint8_t flags = s->flags & FRAME_STATE_FLAGS;

	if (!chunk_ok(s))
		return UPDATE_BAD_CHUNK;
	/* After a repaint request, a full update (base 0) of a state already
	 * delivered is taken again: the client lost its screen. */
	if ((u->applied && (s->next < u->done_next ||
	    (s->next == u->done_next && !(s->base == 0 &&
	    u->repeat_full)))) ||
	    (u->assembling && s->next < u->next))
		return UPDATE_IGNORED;
	if (s->base == 0)
		u->repeat_full = 0;
	if (s->count == 1) {
		u->assembling = 0;
		return finish(u, s, flags, s->data, s->len);
	}
	return add_chunk(u, s, flags);
}

int
update_rx_take(struct update_rx *u, uint64_t *base, uint64_t *next,
    uint8_t *flags, struct buf *out)
{
	int r;

	if (!u->ready)
		return 0;
	if ((r = buf_put(out, u->done.p, u->done.len)) != 0)
		return r;
	*base = u->done_base;
	*next = u->done_next;
	*flags = u->done_flags;
	u->ready = 0;
	return 1;
}

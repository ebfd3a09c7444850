/* buf.h: bounded byte buffer with typed, checked get/put, in the spirit of OpenSSH's sshbuf. */
#ifndef MP_BUF_H
#define MP_BUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * A buffer holds bytes between a read offset and a write end, never more
 * than its maximum size. Puts append at the end; gets consume from the
 * front. Every function returns 0 or a negative mp_err code, and on error
 * leaves the buffer unchanged: a get past the end is MP_ERR_INCOMPLETE, a
 * put beyond the maximum is MP_ERR_NO_SPACE. Integers are big-endian;
 * strings are a u32 length then the bytes. buf_free() zeroes the memory,
 * so buffers may hold secrets.
 */

#define BUF_SIZE_MAX	(16u * 1024 * 1024)	/* hard ceiling for any buffer */

struct buf;

/* A new empty buffer that will never grow beyond max_size bytes
 * (<= BUF_SIZE_MAX). NULL on allocation failure or a bad size. */
struct buf *buf_new(size_t max_size);
/* A read-only buffer over caller memory (no copy; puts fail). */
struct buf *buf_from(const void *data, size_t len);
void buf_free(struct buf *b);

size_t buf_len(const struct buf *b);		/* bytes left to read */
const uint8_t *buf_ptr(const struct buf *b);	/* first unread byte */
size_t buf_max_size(const struct buf *b);
void buf_reset(struct buf *b);			/* empty it, zeroing the old bytes */

/* Reserve len bytes at the end and return a pointer to them in *p. */
int buf_reserve(struct buf *b, size_t len, uint8_t **p);
/* Drop len bytes from the front / the end. */
int buf_consume(struct buf *b, size_t len);
int buf_consume_end(struct buf *b, size_t len);

int buf_put(struct buf *b, const void *data, size_t len);
int buf_put_u8(struct buf *b, uint8_t v);
int buf_put_u16(struct buf *b, uint16_t v);
int buf_put_u32(struct buf *b, uint32_t v);
int buf_put_u64(struct buf *b, uint64_t v);
/* u32 length then the bytes. */
int buf_put_string(struct buf *b, const void *data, size_t len);
int buf_put_cstring(struct buf *b, const char *s);
/* The readable bytes of another buffer as a string. */
int buf_put_stringb(struct buf *b, const struct buf *v);

/* Copy exactly len bytes into out (out may be NULL to skip them). */
int buf_get(struct buf *b, void *out, size_t len);
int buf_get_u8(struct buf *b, uint8_t *v);
int buf_get_u16(struct buf *b, uint16_t *v);
int buf_get_u32(struct buf *b, uint32_t *v);
int buf_get_u64(struct buf *b, uint64_t *v);
/* A string without copying: *p points into the buffer, valid until the
 * next put or free. Lengths above max_len are MP_ERR_TOO_LARGE. */
int buf_get_string_direct(struct buf *b, const uint8_t **p, size_t *len,
    size_t max_len);
/* A string of exactly want bytes copied into out (else MP_ERR_KEY_LENGTH
 * for wrong length). */
int buf_get_string_exact(struct buf *b, void *out, size_t want);
/* A string that must be text: no NUL bytes; returned NUL-terminated in a
 * fresh allocation (*s), length at most max_len. */
int buf_get_cstring(struct buf *b, char **s, size_t max_len);

/* MP_ERR_TRAILING_DATA unless every byte has been read. */
int buf_expect_end(const struct buf *b);

#endif

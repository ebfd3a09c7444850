/* secmem.h: secret hygiene: zeroing that the compiler keeps, constant-time comparison (libsodium). */
#ifndef MP_SECMEM_H
#define MP_SECMEM_H

#include <stddef.h>

/* Overwrite len bytes with zeros; never optimised away. */
void mp_zero(void *p, size_t len);

/* 1 if the two buffers are equal, 0 otherwise; the time taken depends
 * only on len. */
int mp_ct_equal(const void *a, const void *b, size_t len);

/* mp_zero then free; p may be NULL. */
void mp_free_secret(void *p, size_t len);

#endif

/* secmem.c: zeroing and constant-time comparison through libsodium. */
#include <stdlib.h>
#include <sodium.h>

#include "common/secmem.h"

void
mp_zero(void *p, size_t len)
{
	if (p != NULL && len > 0)
		sodium_memzero(p, len);
}

int
mp_ct_equal(const void *a, const void *b, size_t len)
{
	if (len == 0)
		return 1;
	return sodium_memcmp(a, b, len) == 0;
}

void
mp_free_secret(void *p, size_t len)
{
	if (p == NULL)
		return;
	mp_zero(p, len);
	free(p);
}

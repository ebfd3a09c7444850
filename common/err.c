/* err.c: messages for the mp_err codes, and reasons formatted for the caller. */
#include <stdarg.h>
#include <stdio.h>

#include "common/err.h"

const char *
mp_strerror(int err)
{
	switch (err) {
	case MP_OK: return "success";
	case MP_ERR_INTERNAL: return "internal error";
	case MP_ERR_ALLOC: return "out of memory";
	case MP_ERR_NO_SPACE: return "data exceeds the buffer's maximum size";
	case MP_ERR_INCOMPLETE: return "data ends too early";
	case MP_ERR_INVALID_ARGUMENT: return "invalid argument";
	case MP_ERR_INVALID_FORMAT: return "invalid format";
	case MP_ERR_TRAILING_DATA: return "unexpected data after the end";
	case MP_ERR_TOO_LARGE: return "length exceeds the allowed maximum";
	case MP_ERR_UNKNOWN_ALGORITHM: return "unknown or unsupported algorithm";
	case MP_ERR_KEY_LENGTH: return "key or value has the wrong length";
	case MP_ERR_INVALID_KEY: return "invalid key";
	case MP_ERR_SIGNATURE: return "signature verification failed";
	case MP_ERR_AUTH: return "message authentication failed";
	case MP_ERR_LIBCRYPTO: return "cryptographic library error";
	case MP_ERR_SYSTEM: return "system error";
	case MP_ERR_PASSPHRASE: return "incorrect passphrase";
	case MP_ERR_KEY_PERMISSIONS: return "bad permissions on private key file";
	case MP_ERR_NOT_FOUND: return "not found";
	case MP_ERR_EXISTS: return "already exists";
	case MP_ERR_NEED_PASSPHRASE: return "key is protected by a passphrase";
	case MP_ERR_LIMIT: return "limit reached";
	}
	return "unknown error";
}

void
mp_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

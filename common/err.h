/* err.h: error codes returned by every common/ function, and their messages. */
#ifndef MP_ERR_H
#define MP_ERR_H

#include <stddef.h>

/*
 * Functions return 0 (MP_OK) on success or one of these negative codes.
 * They never print: the caller decides what the user sees, using
 * mp_strerror() for the human text.
 */
enum mp_err {
	MP_OK = 0,
	MP_ERR_INTERNAL = -1,		/* a bug: an invariant did not hold */
	MP_ERR_ALLOC = -2,		/* out of memory */
	MP_ERR_NO_SPACE = -3,		/* buffer would exceed its maximum */
	MP_ERR_INCOMPLETE = -4,		/* read past the end of the data */
	MP_ERR_INVALID_ARGUMENT = -5,	/* caller passed something unusable */
	MP_ERR_INVALID_FORMAT = -6,	/* input is malformed */
	MP_ERR_TRAILING_DATA = -7,	/* input has bytes after its end */
	MP_ERR_TOO_LARGE = -8,		/* a length field exceeds its limit */
	MP_ERR_UNKNOWN_ALGORITHM = -9,	/* algorithm name or id not supported */
	MP_ERR_KEY_LENGTH = -10,	/* key or value has the wrong size */
	MP_ERR_INVALID_KEY = -11,	/* key fails its validity checks */
	MP_ERR_SIGNATURE = -12,		/* signature does not verify */
	MP_ERR_AUTH = -13,		/* AEAD tag or MAC does not verify */
	MP_ERR_LIBCRYPTO = -14,		/* OpenSSL or libsodium failed */
	MP_ERR_SYSTEM = -15,		/* a system call failed; see errno */
	MP_ERR_PASSPHRASE = -16,	/* incorrect passphrase */
	MP_ERR_KEY_PERMISSIONS = -17,	/* private key file readable by others */
	MP_ERR_NOT_FOUND = -18,		/* no such file, key or entry */
	MP_ERR_EXISTS = -19,		/* refusing to overwrite */
	MP_ERR_NEED_PASSPHRASE = -20,	/* key is encrypted, no passphrase given */
	MP_ERR_LIMIT = -21,		/* a counter or resource limit was reached */
};

/* Human-readable text for an mp_err code; never NULL. */
const char *mp_strerror(int err);

/* Format a reason into why (len bytes, truncated as snprintf does); does
 * nothing when why is NULL or len is 0. */
void mp_why(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

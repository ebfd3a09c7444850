/* keyfile.h: private key files (armoured, optionally Argon2id + ChaCha20-Poly1305 encrypted) and .pub files (docs/keys.md). */
#ifndef MP_KEYFILE_H
#define MP_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/sign.h"

#define KEYFILE_BEGIN		"-----BEGIN MOSHPIT PRIVATE KEY-----"
#define KEYFILE_END		"-----END MOSHPIT PRIVATE KEY-----"
#define KEYFILE_SIZE_MAX	(64 * 1024)	/* any key file, in bytes */

/*
 * Argon2id cost for a passphrase-protected file. Writers accept and
 * readers require crypto_pwhash_argon2id_{OPS,MEM}LIMIT_MIN <= value <=
 * ..._MODERATE; a reader gets MP_ERR_LIMIT for a file asking for more.
 * A NULL struct keyfile_kdf * means the interactive limits.
 */
struct keyfile_kdf {
	uint64_t opslimit;
	uint64_t memlimit;	/* bytes */
};

/* 1 if text starts with the KEYFILE_BEGIN line, else 0. */
int keyfile_is_private(const uint8_t *text, size_t len);

/*
 * Append the armoured private key file for key (which must hold its
 * private half) to out. An empty or NULL passphrase stores the key
 * unencrypted. comment may be NULL (stored as "").
 */
int keyfile_encode(const struct sig_key *key, const char *comment,
    const char *passphrase, const struct keyfile_kdf *kdf, struct buf *out);

/*
 * Parse and verify a private key file of len bytes. passphrase is
 * ignored for an unencrypted file; for an encrypted one NULL gives
 * MP_ERR_NEED_PASSPHRASE and a wrong one MP_ERR_PASSPHRASE. A damaged
 * file is MP_ERR_INVALID_FORMAT. *comment (if comment is not NULL) is a
 * fresh string for the caller to free().
 */
int keyfile_decode(const uint8_t *text, size_t len, const char *passphrase,
    struct sig_key **key, char **comment);

/* The public key of a private key file, without a passphrase (the
 * checksum is still verified). *comment, if wanted, is NULL when the
 * file is encrypted (the comment is inside the encrypted part). */
int keyfile_decode_public(const uint8_t *text, size_t len,
    struct sig_key **key, char **comment);

/*
 * Files. A private key file must be a regular file of at most
 * KEYFILE_SIZE_MAX bytes, owned by the effective user or root, with no
 * group or other permission bits (else MP_ERR_KEY_PERMISSIONS); symbolic
 * links are followed. A missing file is MP_ERR_NOT_FOUND; MP_ERR_SYSTEM
 * leaves errno set.
 */
int keyfile_load(const char *path, const char *passphrase,
    struct sig_key **key, char **comment);
/* The public key from a .pub file or, without a passphrase, from a
 * private key file (see keyfile_decode_public()). */
int keyfile_load_public(const char *path, struct sig_key **key,
    char **comment);

/*
 * Write a private key file (mode 0600) or a .pub file (one line, mode
 * 0644). Without overwrite an existing path is MP_ERR_EXISTS (even a
 * symbolic link); with it the data goes to a temporary file in the same
 * directory that is then renamed over path.
 */
int keyfile_save(const char *path, const struct sig_key *key,
    const char *comment, const char *passphrase,
    const struct keyfile_kdf *kdf, int overwrite);
int keyfile_save_public(const char *path, const struct sig_key *key,
    const char *comment, int overwrite);

#endif

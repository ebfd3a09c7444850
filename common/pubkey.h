/* pubkey.h: public key blobs, "moshpit" public key lines, SHA256 fingerprints and randomart (docs/keys.md). */
#ifndef MP_PUBKEY_H
#define MP_PUBKEY_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/sign.h"

#define PUBKEY_LINE_TYPE	"moshpit"	/* first token of a line */
#define PUBKEY_LINE_MAX		8192	/* bytes in a line, newline excluded */
#define PUBKEY_BLOB_MAX		4096	/* room for ml-dsa-65 (1952 bytes) */
#define PUBKEY_ALG_NAME_MAX	64
#define PUBKEY_COMMENT_MAX	1024

/* "SHA256:" + 43 characters of unpadded base64, and the NUL. */
#define PUBKEY_FP_SIZE		51
/* 11 lines of 19 characters joined by newlines (none at the end), NUL. */
#define PUBKEY_RANDOMART_SIZE	(11 * 20)

/* Append the blob string(algorithm) || string(public value) to b. */
int pubkey_put_blob(struct buf *b, const struct sig_key *key);

/*
 * Parse a whole blob strictly: known algorithm, exact length, a valid
 * point, no trailing bytes. *out is a public-only key. If alg is not
 * NULL it receives the algorithm name as soon as it has been read (also
 * when the result is MP_ERR_UNKNOWN_ALGORITHM), else an empty string.
 */
int pubkey_from_blob(const uint8_t *blob, size_t len, struct sig_key **out,
    char alg[PUBKEY_ALG_NAME_MAX + 1]);

/*
 * Parse one line "moshpit BASE64 [COMMENT]" of len bytes (no newline).
 * The comment is everything after the space following the base64 and
 * must pass pubkey_comment_valid(); *comment gets a fresh NUL-terminated
 * copy (empty if absent). alg as for pubkey_from_blob(). Lines over
 * PUBKEY_LINE_MAX are MP_ERR_TOO_LARGE.
 */
int pubkey_parse_line(const char *line, size_t len, struct sig_key **key,
    char **comment, char alg[PUBKEY_ALG_NAME_MAX + 1]);

/* The line for key, with " comment" unless comment is NULL or empty, in a
 * fresh allocation without newline. */
int pubkey_format_line(const struct sig_key *key, const char *comment,
    char **out);

/* 0 if s (len bytes) is a usable comment: at most PUBKEY_COMMENT_MAX
 * bytes of well-formed UTF-8 without control characters; else
 * MP_ERR_INVALID_FORMAT or MP_ERR_TOO_LARGE. */
int pubkey_comment_valid(const char *s, size_t len);

/* "SHA256:" and the unpadded base64 of SHA-256 over the blob. */
int pubkey_fingerprint(const struct sig_key *key, char out[PUBKEY_FP_SIZE]);

/* OpenSSH-style randomart ("drunken bishop") of the same digest. */
int pubkey_randomart(const struct sig_key *key,
    char out[PUBKEY_RANDOMART_SIZE]);

/* Display name ("ED25519", "ECDSA-P256", ...) and size in bits. */
const char *pubkey_label(const struct sig_key *key);
unsigned int pubkey_bits(const struct sig_key *key);

#endif

/* knownhosts.h: known_hosts files: "patterns moshpit BASE64 [comment]" lines; check, format and remove entries. */
#ifndef MP_KNOWNHOSTS_H
#define MP_KNOWNHOSTS_H

#include <stddef.h>

#include "common/buf.h"
#include "common/crypto/sign.h"

#define KNOWNHOSTS_DEFAULT_PORT	40404
#define KNOWNHOSTS_LINE_MAX	8192	/* bytes in a line, newline excluded */
#define KNOWNHOSTS_HOST_MAX	255	/* bytes in a host name */

enum kh_status {
	KH_OK,		/* a line for the host has this key */
	KH_CHANGED,	/* the host is known, with other keys only */
	KH_UNKNOWN,	/* no line for the host */
};

struct knownhosts_result {
	enum kh_status status;
	size_t line;	/* the matching (KH_OK) or first conflicting line */
	size_t nbad;	/* skipped malformed lines that may name the host */
	size_t bad_line;	/* the first of them, 0 if none */
};

/*
 * Look host (port; KNOWNHOSTS_DEFAULT_PORT names it "host", any other
 * "[host]:port") up in text (len bytes). A line whose patterns match
 * the name and none of whose negated patterns does counts; any key
 * other than key (another algorithm too) is a conflict. Returns 0 and
 * fills *res, or MP_ERR_INVALID_ARGUMENT for an unusable host or port.
 */
int knownhosts_check(const char *text, size_t len, const char *host,
    unsigned int port, const struct sig_key *key,
    struct knownhosts_result *res);

/* Append the line "NAME moshpit BASE64\n" for host, port and key to b. */
int knownhosts_add_line(struct buf *b, const char *host, unsigned int port,
    const struct sig_key *key);

/*
 * Append to out every line of text except those whose patterns match
 * host and port (as in knownhosts_check()); comments, blank and
 * malformed lines are kept byte for byte. *removed gets the number of
 * lines left out.
 */
int knownhosts_remove(const char *text, size_t len, const char *host,
    unsigned int port, struct buf *out, size_t *removed);

#endif

/* match.h: shell-style patterns (* ? !) and CIDR blocks for host, address and pattern-list matching. */
#ifndef MP_MATCH_H
#define MP_MATCH_H

#include <stddef.h>

enum match_result {
	MATCH_NONE = 0,		/* no pattern of the list matched */
	MATCH_YES = 1,		/* a positive pattern matched, no negated one */
	MATCH_NEGATED = 2,	/* a negated pattern matched: refuse */
};

#define MATCH_CIDR	0x1	/* patterns containing '/' are CIDR blocks */

/* 1 if s matches pat (patlen bytes; '*' any run, '?' one character),
 * ignoring ASCII case (host names); else 0. Linear in memory, no
 * recursion. match_glob_case() is the same with case significant
 * (environment variable names). */
int match_glob(const char *s, const char *pat, size_t patlen);
int match_glob_case(const char *s, const char *pat, size_t patlen);

/* 1 if the address addr lies in the block pat ("192.0.2.0/24",
 * "2001:db8::/32"), 0 if not (or addr is not an address of that family);
 * MP_ERR_INVALID_FORMAT for a malformed block or one with host bits set. */
int match_cidr(const char *addr, const char *pat, size_t patlen);

/*
 * Match s against a comma-separated list (len bytes) of patterns, each
 * optionally negated with '!'. Any negated match gives MATCH_NEGATED;
 * else MATCH_YES if a positive pattern matched, else MATCH_NONE. An empty
 * pattern or a bad CIDR block is MP_ERR_INVALID_FORMAT.
 */
int match_list(const char *s, const char *list, size_t len, int flags);

#endif

/* names.h: algorithm name lists (PROTOCOL.md section 1): validation, membership and the server-wins choice. */
#ifndef MP_PROTO_NAMES_H
#define MP_PROTO_NAMES_H

#include <stddef.h>

#include "common/proto/handshake.h"

#define NAMES_COUNT_MAX	32	/* names in one list */
#define NAMES_LIST_MAX	1024	/* bytes in one list */

/*
 * A list is comma-separated names of 1 to HS_NAME_MAX characters from
 * a-z 0-9 . - @ _. hs_names_valid() checks len bytes of list (which need
 * not be NUL-terminated): 0, MP_ERR_INVALID_FORMAT or MP_ERR_TOO_LARGE.
 * An empty list is valid only with allow_empty. The other functions take
 * NUL-terminated lists that passed this check.
 */
int hs_names_valid(const char *list, size_t len, int allow_empty);

/* 1 if name is one of the names of list, else 0. */
int hs_names_has(const char *list, const char *name);

/* The first name of server that client also lists (PROTOCOL.md 2.4), or
 * MP_ERR_NOT_FOUND. */
int hs_names_choose(const char *server, const char *client,
    char out[HS_NAME_MAX + 1]);

/* The first name of list, or MP_ERR_NOT_FOUND for an empty list. */
int hs_names_first(const char *list, char out[HS_NAME_MAX + 1]);

/* The names of pref that avail also lists, in pref's order, as a list in
 * out (out_size bytes); MP_ERR_NOT_FOUND if there are none. */
int hs_names_intersect(const char *pref, const char *avail, char *out,
    size_t out_size);

#endif

/* names.c: algorithm name lists (PROTOCOL.md section 1): validation, membership and the server-wins choice. */
#include <string.h>

#include "common/err.h"
#include "common/proto/names.h"

static int
name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	    ch == '.' || ch == '-' || ch == '@' || ch == '_';
}

int
hs_names_valid(const char *list, size_t len, int allow_empty)
{
	size_t i, start = 0, count = 0;

	if (len == 0)
		return allow_empty ? 0 : MP_ERR_INVALID_FORMAT;
	if (len > NAMES_LIST_MAX)
		return MP_ERR_TOO_LARGE;
	for (i = 0; i <= len; i++) {
		if (i < len && list[i] != ',') {
			if (!name_char(list[i]))
				return MP_ERR_INVALID_FORMAT;
			continue;
		}
		if (i == start)
			return MP_ERR_INVALID_FORMAT;	/* empty name */
		if (i - start > HS_NAME_MAX || ++count > NAMES_COUNT_MAX)
			return MP_ERR_TOO_LARGE;
		start = i + 1;
	}
	return 0;
}

/* Step through a list: the next name at *cur as (*name, *len). 0 at the
 * end. */
static int
next_name(const char **cur, const char **name, size_t *len)
{
	const char *p = *cur, *comma;

	if (*p == '\0')
		return 0;
	comma = strchr(p, ',');
	*len = comma != NULL ? (size_t)(comma - p) : strlen(p);
	*name = p;
	*cur = comma != NULL ? comma + 1 : p + *len;
	return 1;
}

/* 1 if list holds the name of len bytes at name. */
static int
has_n(const char *list, const char *name, size_t len)
{
	const char *n;
	size_t l;

	while (next_name(&list, &n, &l))
		if (l == len && memcmp(n, name, len) == 0)
			return 1;
	return 0;
}

int
hs_names_has(const char *list, const char *name)
{
	return has_n(list, name, strlen(name));
}

/* Copy a name of len bytes (at most HS_NAME_MAX) into out. */
static int
copy_name(char out[HS_NAME_MAX + 1], const char *name, size_t len)
{
	if (len > HS_NAME_MAX)
		return MP_ERR_TOO_LARGE;
	memcpy(out, name, len);
	out[len] = '\0';
	return 0;
}

int
hs_names_choose(const char *server, const char *client,
    char out[HS_NAME_MAX + 1])
{
	const char *n;
	size_t l;

	while (next_name(&server, &n, &l))
		if (has_n(client, n, l))
			return copy_name(out, n, l);
	return MP_ERR_NOT_FOUND;
}

int
hs_names_first(const char *list, char out[HS_NAME_MAX + 1])
{
	const char *n;
	size_t l;

	if (!next_name(&list, &n, &l))
		return MP_ERR_NOT_FOUND;
	return copy_name(out, n, l);
}

int
hs_names_intersect(const char *pref, const char *avail, char *out,
    size_t out_size)
{
	const char *n;
	size_t l, used = 0;

	while (next_name(&pref, &n, &l)) {
		if (!has_n(avail, n, l))
			continue;
		if (used + (used > 0) + l >= out_size)
			return MP_ERR_NO_SPACE;
		if (used > 0)
			out[used++] = ',';
		memcpy(out + used, n, l);
		used += l;
	}
	if (used == 0)
		return MP_ERR_NOT_FOUND;
	out[used] = '\0';
	return 0;
}

/* knownhosts.c: known_hosts lookup, line formatting and removal, with the shared pattern matcher. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/knownhosts.h"
#include "common/match.h"
#include "common/pubkey.h"
#include "common/crypto/sign.h"

/* "[" host "]:" port and the NUL. */
#define NAME_MAX_LEN	(KNOWNHOSTS_HOST_MAX + 10)

/* One known_hosts line split into its fields. */
struct kh_line {
	const char *patterns;
	size_t plen;
	const char *key;	/* the public key line */
	size_t klen;
};

/* A host name is printable ASCII without spaces and pattern characters. */
static int
host_valid(const char *host)
{
	size_t i, n = strlen(host);

	if (n == 0 || n > KNOWNHOSTS_HOST_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (host[i] <= 0x20 || host[i] >= 0x7f ||
		    strchr(",*?![]#", host[i]) != NULL)
			return 0;
	return 1;
}

/* The name that lines list for host and port. */
static int
host_name(const char *host, unsigned int port, char name[NAME_MAX_LEN])
{
	if (!host_valid(host) || port == 0 || port > 65535)
		return MP_ERR_INVALID_ARGUMENT;
	if (port == KNOWNHOSTS_DEFAULT_PORT)
		snprintf(name, NAME_MAX_LEN, "%s", host);
	else
		snprintf(name, NAME_MAX_LEN, "[%s]:%u", host, port);
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split a line: 1 for a blank or comment line, 0, or
 * MP_ERR_INVALID_FORMAT. */
static int
split_line(const char *p, size_t len, struct kh_line *l)
{
	const char *end = p + len;

	if (len > KNOWNHOSTS_LINE_MAX)
		return MP_ERR_TOO_LARGE;
	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '#')
		return 1;
	l->patterns = p;
	while (p < end && !is_blank(*p))
		p++;
	l->plen = (size_t)(p - l->patterns);
	while (p < end && is_blank(*p))
		p++;
	if (p == end)
		return MP_ERR_INVALID_FORMAT;
	l->key = p;
	l->klen = (size_t)(end - p);
	return 0;
}

/* 1 if the line's patterns take name, 0 if not, negative if malformed. */
static int
line_matches(const struct kh_line *l, const char *name)
{
	int r;

	if ((r = match_list(name, l->patterns, l->plen, 0)) < 0)
		return r;
	return r == MATCH_YES;
}

/* Fold one line into res; keeps the first OK line, else the first
 * conflicting one. */
static int
check_line(const char *p, size_t len, size_t lineno, const char *name,
    const struct sig_key *key, struct knownhosts_result *res)
{
	struct sig_key *lkey;
	struct kh_line l;
	char *comment;
	int r, same;

	if ((r = split_line(p, len, &l)) == 1)
		return 0;
	if (r == 0 && (r = line_matches(&l, name)) == 0)
		return 0;
	if (r == 1)
		r = pubkey_parse_line(l.key, l.klen, &lkey, &comment, NULL);
	if (r == MP_ERR_ALLOC)
		return r;
	if (r != 0) {
		if (res->nbad++ == 0)
			res->bad_line = lineno;
		return 0;
	}
	same = sig_key_equal(lkey, key);
	sig_free(lkey);
	free(comment);
	if (same && res->status != KH_OK) {
		res->status = KH_OK;
		res->line = lineno;
	} else if (!same && res->status == KH_UNKNOWN) {
		res->status = KH_CHANGED;
		res->line = lineno;
	}
	return 0;
}

int
knownhosts_check(const char *text, size_t len, const char *host,
    unsigned int port, const struct sig_key *key,
    struct knownhosts_result *res)
{
	char name[NAME_MAX_LEN];
	const char *nl;
	size_t off = 0, n, lineno = 0;
	int r;

	memset(res, 0, sizeof(*res));
	res->status = KH_UNKNOWN;
	if ((r = host_name(host, port, name)) != 0)
		return r;
	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (text + off)) : len - off;
		if ((r = check_line(text + off, n, ++lineno, name, key,
		    res)) != 0)
			return r;
		off += n + 1;
	}
	return 0;
}

int
knownhosts_add_line(struct buf *b, const char *host, unsigned int port,
    const struct sig_key *key)
{
	char name[NAME_MAX_LEN], *line;
	int r;

	if ((r = host_name(host, port, name)) != 0)
		return r;
	if ((r = pubkey_format_line(key, NULL, &line)) != 0)
		return r;
	if ((r = buf_put(b, name, strlen(name))) == 0 &&
	    (r = buf_put_u8(b, ' ')) == 0 &&
	    (r = buf_put(b, line, strlen(line))) == 0)
		r = buf_put_u8(b, '\n');
	free(line);
	return r;
}

int
knownhosts_remove(const char *text, size_t len, const char *host,
    unsigned int port, struct buf *out, size_t *removed)
{
	char name[NAME_MAX_LEN];
	struct kh_line l;
	const char *nl;
	size_t off = 0, n, take;
	int r;

	*removed = 0;
	if ((r = host_name(host, port, name)) != 0)
		return r;
	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (text + off)) : len - off;
		take = nl != NULL ? n + 1 : n;
		if (split_line(text + off, n, &l) == 0 &&
		    line_matches(&l, name) == 1)
			(*removed)++;
		else if ((r = buf_put(out, text + off, take)) != 0)
			return r;
		off += take;
	}
	return 0;
}

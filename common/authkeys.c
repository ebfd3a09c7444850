/* authkeys.c: strict authorized_keys parser: OpenSSH-style options before a moshpit public key line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/authkeys.h"
#include "common/err.h"
#include "common/match.h"
#include "common/pubkey.h"
#include "common/crypto/sign.h"

#define OPT_NAME_SHOW	64	/* bytes of an option name in a message */
#define ENV_VALUE_MAX	AUTHKEYS_LINE_MAX
#define FROM_MAX	AUTHKEYS_LINE_MAX

/* One line being parsed. */
struct entry {
	struct authkeys_match m;
	struct sig_key *key;
	size_t nenv_seen;	/* environment= options, kept or not */
	int permit_env;
	char msg[AUTHKEYS_MSG_MAX];
};

static int
fail(struct entry *e, int code, const char *what, const char *name,
    size_t nlen)
{
	if (nlen > OPT_NAME_SHOW)
		nlen = OPT_NAME_SHOW;
	if (name != NULL)
		snprintf(e->msg, sizeof(e->msg), "%s \"%.*s\"", what,
		    (int)nlen, name);
	else
		snprintf(e->msg, sizeof(e->msg), "%s", what);
	return code;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A quoted value at *pp: '"', bytes with \" for a quote, '"'. Other
 * backslashes are kept. Control characters are refused. */
static int
parse_quoted(struct entry *e, const char **pp, const char *end, size_t max,
    char **out)
{
	const char *p = *pp;
	char *v;
	size_t n = 0;

	if (p >= end || *p++ != '"')
		return fail(e, MP_ERR_INVALID_FORMAT, "missing quote", NULL, 0);
	if ((v = malloc((size_t)(end - p) + 1)) == NULL)
		return MP_ERR_ALLOC;
	for (; p < end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < end && p[1] == '"')
			p++;
		if ((unsigned char)*p < 0x20 || *p == 0x7f || n >= max) {
			free(v);
			return fail(e, n >= max ? MP_ERR_TOO_LARGE :
			    MP_ERR_INVALID_FORMAT, n >= max ? "value too long" :
			    "control character in value", NULL, 0);
		}
		v[n++] = *p;
	}
	if (p >= end) {
		free(v);
		return fail(e, MP_ERR_INVALID_FORMAT, "unterminated quote",
		    NULL, 0);
	}
	v[n] = '\0';
	*pp = p + 1;
	*out = v;
	return 0;
}

/* NAME=value with NAME a C identifier. */
static int
env_valid(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	    s[0] == '_'))
		return 0;
	for (i = 1; s[i] != '=' && s[i] != '\0'; i++)
		if (!is_name_char(s[i]) || s[i] == '-')
			return 0;
	return s[i] == '=';
}

static int
add_env(struct entry *e, char **value)
{
	size_t i, n;

	if (!env_valid(*value))
		return fail(e, MP_ERR_INVALID_FORMAT,
		    "invalid environment variable name", NULL, 0);
	if (++e->nenv_seen > AUTHKEYS_ENV_MAX)
		return fail(e, MP_ERR_LIMIT, "too many environment options",
		    NULL, 0);
	if (!e->permit_env)
		return 0;
	n = (size_t)(strchr(*value, '=') - *value) + 1;
	for (i = 0; i < e->m.nenv; i++)
		if (strncmp(e->m.env[i], *value, n) == 0)
			return 0;	/* the first one wins */
	e->m.env[e->m.nenv++] = *value;
	*value = NULL;
	return 0;
}

static int
name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && strncasecmp(name, want, nlen) == 0;
}

/* Set a string option once; takes *value. */
static int
set_once(struct entry *e, char **slot, char **value, const char *name,
    size_t nlen)
{
	if (*slot != NULL)
		return fail(e, MP_ERR_INVALID_FORMAT, "repeated option", name,
		    nlen);
	*slot = *value;
	*value = NULL;
	return 0;
}

/* Apply one option; *value (NULL for a flag) is taken or left to free. */
static int
apply_option(struct entry *e, const char *name, size_t nlen, char **value)
{
	int flag = name_is(name, nlen, "no-pty") ||
	    name_is(name, nlen, "restrict");
	int valued = name_is(name, nlen, "command") ||
	    name_is(name, nlen, "from") || name_is(name, nlen, "environment");

	if (!flag && !valued)
		return fail(e, MP_ERR_INVALID_FORMAT, "unknown option", name,
		    nlen);
	if (flag != (*value == NULL))
		return fail(e, MP_ERR_INVALID_FORMAT, flag ?
		    "option takes no value" : "option needs a value", name,
		    nlen);
	if (name_is(name, nlen, "restrict"))
		e->m.restricted = 1;
	if (flag) {
		e->m.no_pty = 1;
		return 0;
	}
	if (name_is(name, nlen, "command"))
		return set_once(e, &e->m.command, value, name, nlen);
	if (name_is(name, nlen, "from")) {
		if (**value == '\0')
			return fail(e, MP_ERR_INVALID_FORMAT, "empty option",
			    name, nlen);
		return set_once(e, &e->m.from, value, name, nlen);
	}
	return add_env(e, value);
}

static size_t
value_max(const char *name, size_t nlen)
{
	return name_is(name, nlen, "command") ? AUTHKEYS_COMMAND_MAX :
	    name_is(name, nlen, "from") ? FROM_MAX : ENV_VALUE_MAX;
}

/* One option at *pp and the separator after it. 1: the options end here. */
static int
parse_option(struct entry *e, const char **pp, const char *end)
{
	const char *p = *pp, *name = p;
	char *value = NULL;
	size_t nlen;
	int r;

	while (p < end && is_name_char(*p))
		p++;
	if ((nlen = (size_t)(p - name)) == 0)
		return fail(e, MP_ERR_INVALID_FORMAT, "invalid option syntax",
		    NULL, 0);
	if (p < end && *p == '=') {
		p++;
		r = parse_quoted(e, &p, end, value_max(name, nlen), &value);
		if (r != 0)
			return r;
	}
	r = apply_option(e, name, nlen, &value);
	free(value);
	if (r != 0)
		return r;
	if (p < end && *p == ',') {
		*pp = p + 1;
		return 0;
	}
	if (p < end && is_blank(*p)) {
		*pp = p;
		return 1;
	}
	return fail(e, MP_ERR_INVALID_FORMAT, p < end ?
	    "junk after option" : "missing key after options", NULL, 0);
}

static int
parse_key(struct entry *e, const char *p, const char *end)
{
	char alg[PUBKEY_ALG_NAME_MAX + 1];
	int r;

	r = pubkey_parse_line(p, (size_t)(end - p), &e->key, &e->m.comment,
	    alg);
	if (r == MP_ERR_UNKNOWN_ALGORITHM)
		return fail(e, r, "unknown key algorithm", alg, strlen(alg));
	if (r == MP_ERR_ALLOC)
		return r;
	if (r != 0)
		return fail(e, r, "invalid public key", NULL, 0);
	return 0;
}

/* Parse a line; 1 for a blank or comment line. */
static int
parse_line(struct entry *e, const char *p, size_t len)
{
	const char *end = p + len;
	size_t tlen = strlen(PUBKEY_LINE_TYPE);
	int r;

	if (len > AUTHKEYS_LINE_MAX)
		return fail(e, MP_ERR_TOO_LARGE, "line too long", NULL, 0);
	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '#')
		return 1;
	if (!((size_t)(end - p) > tlen && memcmp(p, PUBKEY_LINE_TYPE,
	    tlen) == 0 && p[tlen] == ' ')) {
		while ((r = parse_option(e, &p, end)) == 0)
			;
		if (r < 0)
			return r;
		while (p < end && is_blank(*p))
			p++;
	}
	return parse_key(e, p, end);
}

static void
entry_free(struct entry *e)
{
	authkeys_match_free(&e->m);
	sig_free(e->key);
	e->key = NULL;
}

static void
note_bad(struct authkeys_error *err, size_t line, int code, const char *msg)
{
	err->nbad++;
	if (err->line != 0)
		return;
	err->line = line;
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static void
note_refused(struct authkeys_error *err, size_t line, const char *from,
    const char *addr, int r)
{
	if (err->refused_line != 0)
		return;
	err->refused_line = line;
	snprintf(err->refused_msg, sizeof(err->refused_msg),
	    "from=\"%.64s\" %s %.64s", from, r < 0 ?
	    "is malformed; refusing" : "does not allow", addr);
}

/* 1 if line lineno allows key; 0 if not; MP_ERR_ALLOC. */
static int
try_line(const char *p, size_t len, size_t lineno, const struct sig_key *key,
    const char *addr, int permit_env, struct authkeys_match *out,
    struct authkeys_error *err)
{
	struct entry e;
	int r;

	memset(&e, 0, sizeof(e));
	e.permit_env = permit_env;
	if ((r = parse_line(&e, p, len)) != 0) {
		if (r < 0 && r != MP_ERR_ALLOC)
			note_bad(err, lineno, r, e.msg);
		entry_free(&e);
		return r == MP_ERR_ALLOC ? r : 0;
	}
	if (!sig_key_equal(e.key, key))
		r = 0;
	else if (e.m.from != NULL &&
	    (r = authkeys_from_matches(e.m.from, addr)) != 1) {
		note_refused(err, lineno, e.m.from, addr, r);
		r = 0;
	} else {
		*out = e.m;
		out->line = lineno;
		memset(&e.m, 0, sizeof(e.m));
		r = 1;
	}
	entry_free(&e);
	return r;
}

int
authkeys_find(const char *text, size_t len, const struct sig_key *key,
    const char *client_addr, int permit_user_env, struct authkeys_match *out,
    struct authkeys_error *err)
{
	const char *nl;
	size_t off = 0, n, lineno = 0;
	int r;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (text + off)) : len - off;
		r = try_line(text + off, n, ++lineno, key, client_addr,
		    permit_user_env, out, err);
		if (r != 0)
			return r < 0 ? r : 0;
		off += n + 1;
	}
	return MP_ERR_NOT_FOUND;
}

int
authkeys_from_matches(const char *patterns, const char *addr)
{
	int r;

	if ((r = match_list(addr, patterns, strlen(patterns), MATCH_CIDR)) < 0)
		return r;
	return r == MATCH_YES;
}

void
authkeys_match_free(struct authkeys_match *m)
{
	size_t i;

	free(m->command);
	free(m->from);
	free(m->comment);
	for (i = 0; i < m->nenv; i++)
		free(m->env[i]);
	memset(m, 0, sizeof(*m));
}

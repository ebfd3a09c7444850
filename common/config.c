/* config.c: a bounded parser for the TOML subset of moshpit's configuration files, with typed lookups. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/encode.h"
#include "common/err.h"

struct entry {
	char			*key;
	size_t			 table;		/* index into tables */
	int			 line;
	enum config_type	 type;
	char			*str;
	int64_t			 num;		/* integer or boolean */
	char			**strs;		/* NULL-terminated */
	int64_t			*ints;
	size_t			 n;
};

struct table {
	char	*name;
	int	 line;
};

struct config {
	struct entry	*ents;
	size_t		 nents, ecap;
	struct table	*tabs;		/* tabs[0] is the root, "" */
	size_t		 ntabs, tcap;
};

struct parser {
	const char		*p, *end;
	int			 line;
	size_t			 cur;		/* current table */
	const char		*key;		/* key being parsed, for errors */
	struct config		*cfg;
	struct config_error	*err;
};

static int
perr(struct parser *ps, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *ps, int code, const char *fmt, ...)
{
	struct config_error *e = ps->err;
	va_list ap;

	if (e == NULL)
		return code;
	e->line = ps->line;
	snprintf(e->table, sizeof(e->table), "%s",
	    ps->cfg->tabs[ps->cur].name);
	snprintf(e->key, sizeof(e->key), "%s", ps->key ? ps->key : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* ---- text checks: line length, UTF-8, control characters ------------- */

/* Length of the valid UTF-8 sequence at s, or 0; C1 controls are invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

static int
is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Check one line starting at ps->p; leaves ps->p at its end (LF or EOF). */
static int
check_line(struct parser *ps)
{
	const unsigned char *s = (const unsigned char *)ps->p;
	const unsigned char *end = (const unsigned char *)ps->end;
	const unsigned char *start = s;
	size_t n;

	while (s < end && *s != '\n') {
		if (*s == '\r' && s + 1 < end && s[1] == '\n')
			break;
		if (is_control(*s))
			return perr(ps, MP_ERR_INVALID_FORMAT,
			    "control character 0x%02x", *s);
		if ((n = utf8_seq(s, (size_t)(end - s))) == 0)
			return perr(ps, MP_ERR_INVALID_FORMAT,
			    "invalid UTF-8 or C1 control character");
		s += n;
		if (s - start > CONFIG_LINE_MAX)
			return perr(ps, MP_ERR_TOO_LARGE,
			    "line longer than %d bytes", CONFIG_LINE_MAX);
	}
	if (s < end && *s == '\r')
		s++;
	ps->p = (const char *)s;
	return 0;
}

static int
check_text(struct parser *ps)
{
	const char *start = ps->p;
	int r;

	if (ps->end - ps->p > CONFIG_FILE_MAX)
		return perr(ps, MP_ERR_TOO_LARGE, "file larger than %d bytes",
		    CONFIG_FILE_MAX);
	while (ps->p < ps->end) {
		if ((r = check_line(ps)) != 0)
			return r;
		if (ps->p < ps->end) {
			ps->p++;
			ps->line++;
		}
	}
	ps->p = start;
	ps->line = 1;
	return 0;
}

/* ---- storage ------------------------------------------------------------ */

static int
grow(void **arr, size_t *cap, size_t used, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *n;

	if (used < *cap)
		return 0;
	if ((n = reallocarray(*arr, ncap, size)) == NULL)
		return MP_ERR_ALLOC;
	*arr = n;
	*cap = ncap;
	return 0;
}

static const struct entry *
find(const struct config *cfg, const char *table, const char *key)
{
	size_t i;

	for (i = 0; i < cfg->nents; i++) {
		if (strcmp(cfg->ents[i].key, key) == 0 &&
		    strcmp(cfg->tabs[cfg->ents[i].table].name, table) == 0)
			return &cfg->ents[i];
	}
	return NULL;
}

static const struct table *
find_table(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ntabs; i++) {
		if (strcmp(cfg->tabs[i].name, name) == 0)
			return &cfg->tabs[i];
	}
	return NULL;
}

static void
free_entry(struct entry *e)
{
	size_t i;

	free(e->key);
	free(e->str);
	if (e->strs != NULL) {
		for (i = 0; i < e->n; i++)
			free(e->strs[i]);
	}
	free(e->strs);
	free(e->ints);
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nents; i++)
		free_entry(&cfg->ents[i]);
	for (i = 0; i < cfg->ntabs; i++)
		free(cfg->tabs[i].name);
	free(cfg->ents);
	free(cfg->tabs);
	free(cfg);
}

/* ---- lexing helpers ----------------------------------------------------- */

static int
at(const struct parser *ps, char c)
{
	return ps->p < ps->end && *ps->p == c;
}

static int
at_eol(const struct parser *ps)
{
	return ps->p == ps->end || *ps->p == '\n' || *ps->p == '\r';
}

static void
skip_ws(struct parser *ps)
{
	while (at(ps, ' ') || at(ps, '\t'))
		ps->p++;
}

/* Skip an optional comment; stays at the line end. */
static void
skip_comment(struct parser *ps)
{
	if (!at(ps, '#'))
		return;
	while (!at_eol(ps))
		ps->p++;
}

/* Consume a line end (check_text() made every CR part of a CRLF). */
static void
next_line(struct parser *ps)
{
	if (at(ps, '\r'))
		ps->p++;
	if (at(ps, '\n')) {
		ps->p++;
		ps->line++;
	}
}

/* Whitespace, comments and line ends, as allowed inside arrays. */
static void
skip_blank(struct parser *ps)
{
	for (;;) {
		skip_ws(ps);
		skip_comment(ps);
		if (ps->p == ps->end || !at_eol(ps))
			return;
		next_line(ps);
	}
}

static int
end_of_line(struct parser *ps, const char *what)
{
	skip_ws(ps);
	skip_comment(ps);
	if (!at_eol(ps))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "unexpected text after %s", what);
	next_line(ps);
	return 0;
}

static int
is_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Read a bare name into out (CONFIG_NAME_MAX + 1 bytes). */
static int
parse_name(struct parser *ps, char *out, const char *what)
{
	size_t n = 0;

	if (at(ps, '"') || at(ps, '\''))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "quoted %ss are not supported", what);
	while (ps->p < ps->end && is_bare(*ps->p)) {
		if (n == CONFIG_NAME_MAX)
			return perr(ps, MP_ERR_TOO_LARGE,
			    "%s longer than %d bytes", what, CONFIG_NAME_MAX);
		out[n++] = *ps->p++;
	}
	out[n] = '\0';
	if (n == 0)
		return perr(ps, MP_ERR_INVALID_FORMAT, "expected a %s", what);
	skip_ws(ps);
	if (at(ps, '.'))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "dotted %ss are not supported", what);
	return 0;
}

/* ---- strings ------------------------------------------------------------ */

static size_t
utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* After "\u": four hex digits naming a non-control scalar value. */
static int
parse_uescape(struct parser *ps, char *out, size_t *n)
{
	uint32_t cp = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		if (ps->p == ps->end || (h = hex_digit_value(*ps->p)) < 0)
			return perr(ps, MP_ERR_INVALID_FORMAT,
			    "\\u needs four hex digits");
		cp = (cp << 4) | (uint32_t)h;
		ps->p++;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "\\u%04X is a surrogate, not a scalar value", (unsigned)cp);
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "\\u%04X is a control character", (unsigned)cp);
	*n = utf8_put(cp, out);
	return 0;
}

/* After a backslash: one escape into out; *n gets its length. */
static int
parse_escape(struct parser *ps, char *out, size_t *n)
{
	char c;

	if (at_eol(ps))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "line-ending backslash is not supported");
	c = *ps->p++;
	*n = 1;
	switch (c) {
	case '"':
	case '\\':
		out[0] = c;
		return 0;
	case 'n':
		out[0] = '\n';
		return 0;
	case 't':
		out[0] = '\t';
		return 0;
	case 'u':
		return parse_uescape(ps, out, n);
	default:
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "unsupported escape \\%c", c);
	}
}

/*
 * A basic or literal string at ps->p into out (CONFIG_STRING_MAX + 1
 * bytes, NUL-terminated); check_text() already vetted its characters.
 */
static int
parse_string(struct parser *ps, char *out)
{
	char q = *ps->p, tmp[4];
	size_t len = 0, n = 0;
	int r;

	if (ps->end - ps->p >= 3 && ps->p[1] == q && ps->p[2] == q)
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "multi-line strings are not supported");
	ps->p++;
	for (;;) {
		if (at_eol(ps))
			return perr(ps, MP_ERR_INVALID_FORMAT,
			    "unterminated string");
		if (*ps->p == q) {
			ps->p++;
			break;
		}
		if (q == '"' && *ps->p == '\\') {
			ps->p++;
			if ((r = parse_escape(ps, tmp, &n)) != 0)
				return r;
		} else {
			tmp[0] = *ps->p++;
			n = 1;
		}
		if (len + n > CONFIG_STRING_MAX)
			return perr(ps, MP_ERR_TOO_LARGE,
			    "string longer than %d bytes", CONFIG_STRING_MAX);
		memcpy(out + len, tmp, n);
		len += n;
	}
	out[len] = '\0';
	return 0;
}

/* ---- integers and other bare values ------------------------------------- */

/* Length of the bare token at ps->p (up to a delimiter). */
static size_t
token_len(const struct parser *ps)
{
	const char *s = ps->p;

	while (s < ps->end && *s != ' ' && *s != '\t' && *s != ',' &&
	    *s != ']' && *s != '#' && *s != '\r' && *s != '\n')
		s++;
	return (size_t)(s - ps->p);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* TOML decimal integer: sign, no leading zero, _ only between digits. */
static int
decimal(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	int64_t v = 0;

	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	if (i == n || !is_digit(s[i]))
		return MP_ERR_INVALID_FORMAT;
	if (s[i] == '0' && i + 1 < n)
		return MP_ERR_INVALID_FORMAT;
	for (; i < n; i++) {
		if (s[i] == '_') {
			if (i + 1 == n || !is_digit(s[i - 1]) ||
			    !is_digit(s[i + 1]))
				return MP_ERR_INVALID_FORMAT;
			continue;
		}
		if (!is_digit(s[i]))
			return MP_ERR_INVALID_FORMAT;
		/* Accumulate negatively so INT64_MIN fits. */
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_sub_overflow(v, s[i] - '0', &v))
			return MP_ERR_TOO_LARGE;
	}
	if (!neg && __builtin_mul_overflow(v, -1, &v))
		return MP_ERR_TOO_LARGE;
	*out = v;
	return 0;
}

/* Why a token that is not an integer or boolean was refused. */
static const char *
bare_refusal(const char *s, size_t n)
{
	if (n > 0 && (s[0] == '+' || s[0] == '-')) {
		s++;
		n--;
	}
	if (n == 3 && (memcmp(s, "inf", 3) == 0 || memcmp(s, "nan", 3) == 0))
		return "floats are not supported";
	if (n == 0 || !is_digit(s[0]))
		return "invalid value (strings need quotes)";
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' ||
	    s[1] == 'b'))
		return "only decimal integers are supported";
	if (memchr(s, ':', n) != NULL || memchr(s, '-', n) != NULL)
		return "dates and times are not supported";
	if (memchr(s, '.', n) != NULL || memchr(s, 'e', n) != NULL ||
	    memchr(s, 'E', n) != NULL)
		return "floats are not supported";
	return "invalid integer";
}

/* An integer or boolean token; *type tells which. */
static int
parse_bare(struct parser *ps, enum config_type *type, int64_t *out)
{
	size_t n = token_len(ps);
	const char *s = ps->p;
	int r;

	if (n == 0)
		return perr(ps, MP_ERR_INVALID_FORMAT, "missing value");
	if ((n == 4 && memcmp(s, "true", 4) == 0) ||
	    (n == 5 && memcmp(s, "false", 5) == 0)) {
		*type = CONFIG_BOOL;
		*out = n == 4;
	} else if ((r = decimal(s, n, out)) == 0)
		*type = CONFIG_INT;
	else if (r == MP_ERR_TOO_LARGE)
		return perr(ps, r, "integer out of 64-bit range");
	else
		return perr(ps, MP_ERR_INVALID_FORMAT, "%s",
		    bare_refusal(s, n));
	ps->p += n;
	return 0;
}

/* ---- arrays --------------------------------------------------------------- */

static int
array_add_string(struct parser *ps, struct entry *e, size_t *cap)
{
	char buf[CONFIG_STRING_MAX + 1];
	int r;

	if ((r = parse_string(ps, buf)) != 0)
		return r;
	/* Keep one slot for the terminating NULL. */
	if ((r = grow((void **)&e->strs, cap, e->n + 1, sizeof(*e->strs))) != 0)
		return perr(ps, r, "out of memory");
	if ((e->strs[e->n] = strdup(buf)) == NULL)
		return perr(ps, MP_ERR_ALLOC, "out of memory");
	e->strs[++e->n] = NULL;
	return 0;
}

static int
array_add_int(struct parser *ps, struct entry *e, size_t *cap)
{
	enum config_type t;
	int64_t v;
	int r;

	if ((r = parse_bare(ps, &t, &v)) != 0)
		return r;
	if (t != CONFIG_INT)
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "arrays hold only strings or integers");
	if ((r = grow((void **)&e->ints, cap, e->n, sizeof(*e->ints))) != 0)
		return perr(ps, r, "out of memory");
	e->ints[e->n++] = v;
	return 0;
}

static int
array_element(struct parser *ps, struct entry *e, size_t *cap)
{
	int str = at(ps, '"') || at(ps, '\'');

	if (at(ps, '[') || at(ps, '{'))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "arrays hold only strings or integers");
	if (e->n == CONFIG_ARRAY_MAX)
		return perr(ps, MP_ERR_TOO_LARGE,
		    "array longer than %d elements", CONFIG_ARRAY_MAX);
	if (e->n > 0 && str != (e->type == CONFIG_STRING_ARRAY))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "array mixes strings and integers");
	e->type = str ? CONFIG_STRING_ARRAY : CONFIG_INT_ARRAY;
	return str ? array_add_string(ps, e, cap) : array_add_int(ps, e, cap);
}

static int
parse_array(struct parser *ps, struct entry *e)
{
	size_t cap = 0;
	int r;

	ps->p++;
	e->type = CONFIG_STRING_ARRAY;
	for (;;) {
		skip_blank(ps);
		if (at(ps, ']'))
			break;
		if (ps->p == ps->end)
			return perr(ps, MP_ERR_INVALID_FORMAT,
			    "unterminated array");
		if ((r = array_element(ps, e, &cap)) != 0)
			return r;
		skip_blank(ps);
		if (at(ps, ','))
			ps->p++;
		else if (!at(ps, ']'))
			return perr(ps, MP_ERR_INVALID_FORMAT,
			    "expected , or ] in array");
	}
	ps->p++;
	if (e->type == CONFIG_STRING_ARRAY && e->strs == NULL &&
	    (e->strs = calloc(1, sizeof(*e->strs))) == NULL)
		return perr(ps, MP_ERR_ALLOC, "out of memory");
	return 0;
}

/* ---- values, keys and tables -------------------------------------------- */

static int
parse_value(struct parser *ps, struct entry *e)
{
	char buf[CONFIG_STRING_MAX + 1];
	int r;

	if (at(ps, '"') || at(ps, '\'')) {
		if ((r = parse_string(ps, buf)) != 0)
			return r;
		e->type = CONFIG_STRING;
		if ((e->str = strdup(buf)) == NULL)
			return perr(ps, MP_ERR_ALLOC, "out of memory");
		return 0;
	}
	if (at(ps, '['))
		return parse_array(ps, e);
	if (at(ps, '{'))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "inline tables are not supported");
	return parse_bare(ps, &e->type, &e->num);
}

static int
new_entry(struct parser *ps, const char *key, struct entry **out)
{
	struct config *cfg = ps->cfg;
	struct entry *e;

	if (find(cfg, cfg->tabs[ps->cur].name, key) != NULL)
		return perr(ps, MP_ERR_INVALID_FORMAT, "duplicate key");
	if (cfg->nents == CONFIG_KEYS_MAX)
		return perr(ps, MP_ERR_TOO_LARGE, "more than %d keys",
		    CONFIG_KEYS_MAX);
	if (grow((void **)&cfg->ents, &cfg->ecap, cfg->nents,
	    sizeof(*cfg->ents)) != 0)
		return perr(ps, MP_ERR_ALLOC, "out of memory");
	e = &cfg->ents[cfg->nents];
	memset(e, 0, sizeof(*e));
	if ((e->key = strdup(key)) == NULL)
		return perr(ps, MP_ERR_ALLOC, "out of memory");
	e->table = ps->cur;
	e->line = ps->line;
	cfg->nents++;
	*out = e;
	return 0;
}

static int
parse_keyval(struct parser *ps)
{
	char key[CONFIG_NAME_MAX + 1];
	struct entry *e = NULL;
	int r;

	if ((r = parse_name(ps, key, "key")) != 0)
		return r;
	ps->key = key;
	if (!at(ps, '='))
		return perr(ps, MP_ERR_INVALID_FORMAT, "expected = after key");
	ps->p++;
	skip_ws(ps);
	if ((r = new_entry(ps, key, &e)) != 0 ||
	    (r = parse_value(ps, e)) != 0 ||
	    (r = end_of_line(ps, "value")) != 0)
		return r;
	ps->key = NULL;
	return 0;
}

static int
add_table(struct parser *ps, const char *name)
{
	struct config *cfg = ps->cfg;
	struct table *t;

	if (find_table(cfg, name) != NULL)
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "duplicate table [%s]", name);
	if (find(cfg, "", name) != NULL)
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "table [%s] redefines a key", name);
	if (cfg->ntabs > CONFIG_TABLES_MAX)
		return perr(ps, MP_ERR_TOO_LARGE, "more than %d tables",
		    CONFIG_TABLES_MAX);
	if (grow((void **)&cfg->tabs, &cfg->tcap, cfg->ntabs,
	    sizeof(*cfg->tabs)) != 0)
		return perr(ps, MP_ERR_ALLOC, "out of memory");
	t = &cfg->tabs[cfg->ntabs];
	if ((t->name = strdup(name)) == NULL)
		return perr(ps, MP_ERR_ALLOC, "out of memory");
	t->line = ps->line;
	ps->cur = cfg->ntabs++;
	return 0;
}

static int
parse_table(struct parser *ps)
{
	char name[CONFIG_NAME_MAX + 1];
	int r;

	ps->p++;
	if (at(ps, '['))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "arrays of tables are not supported");
	skip_ws(ps);
	if ((r = parse_name(ps, name, "table name")) != 0)
		return r;
	if (!at(ps, ']'))
		return perr(ps, MP_ERR_INVALID_FORMAT,
		    "expected ] after table name");
	ps->p++;
	if ((r = add_table(ps, name)) != 0)
		return r;
	return end_of_line(ps, "table header");
}

static int
parse_lines(struct parser *ps)
{
	int r;

	while (ps->p < ps->end) {
		skip_ws(ps);
		skip_comment(ps);
		if (at_eol(ps)) {
			next_line(ps);
			continue;
		}
		r = at(ps, '[') ? parse_table(ps) : parse_keyval(ps);
		if (r != 0)
			return r;
	}
	return 0;
}

static struct config *
config_new(void)
{
	struct config *cfg;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return NULL;
	if ((cfg->tabs = calloc(8, sizeof(*cfg->tabs))) == NULL ||
	    (cfg->tabs[0].name = strdup("")) == NULL) {
		config_free(cfg);
		return NULL;
	}
	cfg->tcap = 8;
	cfg->ntabs = 1;
	return cfg;
}

static void
set_error(struct config_error *err, int line, const char *msg)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->line = line;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static int
parse_into(struct config *cfg, const char *text, size_t len,
    struct config_error *err)
{
	struct parser ps;
	int r;

	memset(&ps, 0, sizeof(ps));
	ps.p = text;
	ps.end = text + len;
	ps.line = 1;
	ps.cfg = cfg;
	ps.err = err;
	if ((r = check_text(&ps)) != 0)
		return r;
	return parse_lines(&ps);
}

static int
parse_alloc(const char *text, size_t len, struct config **out,
    struct config_error *err)
{
	struct config *cfg;
	int r;

	*out = NULL;
	set_error(err, 0, "");
	if (text == NULL && len > 0) {
		set_error(err, 0, "no text");
		return MP_ERR_INVALID_ARGUMENT;
	}
	if ((cfg = config_new()) == NULL) {
		set_error(err, 0, "out of memory");
		return MP_ERR_ALLOC;
	}
	if ((r = parse_into(cfg, text == NULL ? "" : text, len, err)) != 0) {
		config_free(cfg);
		return r;
	}
	*out = cfg;
	return 0;
}

struct config *
config_parse(const char *text, size_t len, struct config_error *err)
{
	struct config *cfg;

	(void)parse_alloc(text, len, &cfg, err);
	return cfg;
}

/* ---- files -------------------------------------------------------------- */

static int
read_fd(int fd, char *buf, size_t cap, size_t *len)
{
	ssize_t n;

	*len = 0;
	while (*len < cap) {
		n = read(fd, buf + *len, cap - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return MP_ERR_SYSTEM;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

static int
load_fd(int fd, struct config **out, struct config_error *err)
{
	struct stat st;
	char *buf;
	size_t len;
	int r;

	if (fstat(fd, &st) == -1) {
		set_error(err, 0, strerror(errno));
		return MP_ERR_SYSTEM;
	}
	if (!S_ISREG(st.st_mode)) {
		set_error(err, 0, "not a regular file");
		return MP_ERR_INVALID_FORMAT;
	}
	/* One byte more than allowed, to notice a file that grew. */
	if ((buf = malloc(CONFIG_FILE_MAX + 1)) == NULL) {
		set_error(err, 0, "out of memory");
		return MP_ERR_ALLOC;
	}
	if ((r = read_fd(fd, buf, CONFIG_FILE_MAX + 1, &len)) != 0)
		set_error(err, 0, strerror(errno));
	else if (len > CONFIG_FILE_MAX) {
		set_error(err, 0, "file larger than 256 KiB");
		r = MP_ERR_TOO_LARGE;
	} else
		r = parse_alloc(buf, len, out, err);
	free(buf);
	return r;
}

int
config_load(const char *path, struct config **out, struct config_error *err)
{
	int fd, r, saved;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1) {
		saved = errno;
		set_error(err, 0, strerror(saved));
		errno = saved;
		return saved == ENOENT ? MP_ERR_NOT_FOUND : MP_ERR_SYSTEM;
	}
	r = load_fd(fd, out, err);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/* ---- lookups -------------------------------------------------------------- */

static int
lookup(const struct config *cfg, const char *table, const char *key,
    enum config_type type, const struct entry **out)
{
	const struct entry *e;

	if (cfg == NULL || table == NULL || key == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if ((e = find(cfg, table, key)) == NULL)
		return MP_ERR_NOT_FOUND;
	/* An empty array is stored as a string array and fits both. */
	if (e->type != type && !(type == CONFIG_INT_ARRAY &&
	    e->type == CONFIG_STRING_ARRAY && e->n == 0))
		return MP_ERR_INVALID_FORMAT;
	*out = e;
	return 0;
}

int
config_get_string(const struct config *cfg, const char *table,
    const char *key, const char **out)
{
	const struct entry *e;
	int r;

	if ((r = lookup(cfg, table, key, CONFIG_STRING, &e)) != 0)
		return r;
	*out = e->str;
	return 0;
}

int
config_get_int(const struct config *cfg, const char *table,
    const char *key, int64_t *out)
{
	const struct entry *e;
	int r;

	if ((r = lookup(cfg, table, key, CONFIG_INT, &e)) != 0)
		return r;
	*out = e->num;
	return 0;
}

int
config_get_bool(const struct config *cfg, const char *table,
    const char *key, int *out)
{
	const struct entry *e;
	int r;

	if ((r = lookup(cfg, table, key, CONFIG_BOOL, &e)) != 0)
		return r;
	*out = (int)e->num;
	return 0;
}

int
config_get_string_array(const struct config *cfg, const char *table,
    const char *key, const char *const **items, size_t *n)
{
	const struct entry *e;
	int r;

	if ((r = lookup(cfg, table, key, CONFIG_STRING_ARRAY, &e)) != 0)
		return r;
	*items = (const char *const *)e->strs;
	*n = e->n;
	return 0;
}

int
config_get_int_array(const struct config *cfg, const char *table,
    const char *key, const int64_t **items, size_t *n)
{
	static const int64_t none[1];
	const struct entry *e;
	int r;

	if ((r = lookup(cfg, table, key, CONFIG_INT_ARRAY, &e)) != 0)
		return r;
	*items = e->ints != NULL ? e->ints : none;
	*n = e->n;
	return 0;
}

int
config_key_line(const struct config *cfg, const char *table,
    const char *key)
{
	const struct entry *e;

	if (cfg == NULL || table == NULL || key == NULL ||
	    (e = find(cfg, table, key)) == NULL)
		return 0;
	return e->line;
}

void
config_key_error(const struct config *cfg, const char *table,
    const char *key, struct config_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->line = config_key_line(cfg, table, key);
	snprintf(err->table, sizeof(err->table), "%s", table ? table : "");
	snprintf(err->key, sizeof(err->key), "%s", key ? key : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static const char *
type_name(enum config_type t)
{
	switch (t) {
	case CONFIG_STRING:
		return "a string";
	case CONFIG_INT:
		return "an integer";
	case CONFIG_BOOL:
		return "a boolean";
	case CONFIG_STRING_ARRAY:
		return "an array of strings";
	case CONFIG_INT_ARRAY:
		return "an array of integers";
	}
	return "a value";
}

void
config_type_error(const struct config *cfg, const char *table,
    const char *key, enum config_type expected, struct config_error *err)
{
	config_key_error(cfg, table, key, err, "expected %s",
	    type_name(expected));
}

int
config_next_key(const struct config *cfg, size_t *pos,
    struct config_key *out)
{
	const struct entry *e;

	if (cfg == NULL || pos == NULL || out == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (*pos >= cfg->nents)
		return MP_ERR_NOT_FOUND;
	e = &cfg->ents[(*pos)++];
	out->table = cfg->tabs[e->table].name;
	out->key = e->key;
	out->line = e->line;
	out->type = e->type;
	return 0;
}

int
config_next_table(const struct config *cfg, size_t *pos, const char **name,
    int *line)
{
	const struct table *t;

	if (cfg == NULL || pos == NULL || name == NULL || line == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	/* Skip the root, which has no header. */
	if (*pos == 0)
		*pos = 1;
	if (*pos >= cfg->ntabs)
		return MP_ERR_NOT_FOUND;
	t = &cfg->tabs[(*pos)++];
	*name = t->name;
	*line = t->line;
	return 0;
}

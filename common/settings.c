/* settings.c: a table of typed settings applied to a struct from a parsed config file, environment variables and flags, and printed back as TOML. */
#include <arpa/inet.h>

#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/config.h"
#include "common/err.h"
#include "common/settings.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/kex.h"

#define ENV_NAME_MAX	(2 * CONFIG_NAME_MAX)

_Static_assert(SETTING_TEXT_MAX == CONFIG_STRING_MAX,
    "text values and file strings have the same bound");

static int
whyf(char *why, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
whyf(char *why, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, SETTING_WHY_MAX, fmt, ap);
	va_end(ap);
	return code;
}

/* The field of row s in obj, and its second field (off2). */
static void *
field(void *obj, const struct setting *s)
{
	return (char *)obj + s->off;
}

static void *
field2(void *obj, const struct setting *s)
{
	return (char *)obj + s->off2;
}

static const void *
cfield(const void *obj, const struct setting *s)
{
	return (const char *)obj + s->off;
}

static const void *
cfield2(const void *obj, const struct setting *s)
{
	return (const char *)obj + s->off2;
}

/* ---- text checks ------------------------------------------------------- */

/* 1 if s is valid UTF-8 without C1 controls. */
static int
utf8_ok(const unsigned char *s)
{
	uint32_t cp, min;
	size_t i, n;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 1, cp = *s & 0x1f, min = 0x80;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 2, cp = *s & 0x0f, min = 0x800;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 3, cp = *s & 0x07, min = 0x10000;
		} else
			return 0;
		/* A NUL fails the test, so this never reads past the end. */
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 &&
		    cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
			return 0;
		s += n + 1;
	}
	return 1;
}

int
settings_check_text(const char *text, char *why)
{
	const unsigned char *p;
	size_t len = strnlen(text, SETTING_TEXT_MAX + 1);

	if (len == 0)
		return whyf(why, MP_ERR_INVALID_FORMAT, "empty value");
	if (len > SETTING_TEXT_MAX)
		return whyf(why, MP_ERR_TOO_LARGE, "longer than %d bytes",
		    SETTING_TEXT_MAX);
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return whyf(why, MP_ERR_INVALID_FORMAT,
			    "control character 0x%02x", *p);
	if (!utf8_ok((const unsigned char *)text))
		return whyf(why, MP_ERR_INVALID_FORMAT, "invalid UTF-8");
	return 0;
}

/* 1 if every byte of s is a letter, a digit or one of extra. */
static int
only(const char *s, size_t len, const char *extra)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != '\0' &&
		    strchr(extra, c) != NULL)))
			return 0;
	}
	return 1;
}

int
settings_check_user(const char *name, char *why)
{
	size_t len = strnlen(name, SETTINGS_USER_MAX + 1);

	if (len == 0 || len > SETTINGS_USER_MAX || name[0] == '-' ||
	    !only(name, len, "._-@$"))
		return whyf(why, MP_ERR_INVALID_FORMAT, "\"%.64s\" is not a "
		    "valid user name", name);
	return 0;
}

int
settings_check_env_pattern(const char *pat, char *why)
{
	if (*pat == '\0' || !only(pat, strlen(pat), "_*?"))
		return whyf(why, MP_ERR_INVALID_FORMAT, "\"%.64s\" is not a "
		    "variable name pattern (letters, digits, _, * and ?)", pat);
	return 0;
}

int
settings_check_absolute(const char *path, char *why)
{
	if (path[0] != '/')
		return whyf(why, MP_ERR_INVALID_FORMAT,
		    "expected an absolute path");
	return 0;
}

static int
check_alg(int known, const char *what, const char *name, char *why)
{
	if (!known)
		return whyf(why, MP_ERR_UNKNOWN_ALGORITHM,
		    "unknown %s algorithm \"%.64s\"", what, name);
	return 0;
}

int
settings_check_kex(const char *name, char *why)
{
	return check_alg(kex_by_name(name) != NULL, "kex", name, why);
}

int
settings_check_aead(const char *name, char *why)
{
	return check_alg(aead_by_name(name) != NULL, "aead", name, why);
}

int
settings_check_mac(const char *name, char *why)
{
	enum hash_alg h;
	int is_hmac;

	return check_alg(mac_by_name(name, &is_hmac, &h) == 0, "mac", name,
	    why);
}

int
settings_check_kdf(const char *name, char *why)
{
	enum hash_alg h;

	return check_alg(kdf_by_name(name, &h) == 0, "kdf", name, why);
}

/* ---- numbers ------------------------------------------------------------ */

int
settings_parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return MP_ERR_INVALID_FORMAT;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return MP_ERR_INVALID_FORMAT;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return MP_ERR_INVALID_FORMAT;
	*out = (uint32_t)v;
	return 0;
}

/* A port from 1 to 65535 in len bytes of s. */
static int
parse_port(const char *s, size_t len, uint16_t *out)
{
	uint32_t v;

	if (settings_parse_u32(s, len, &v) != 0 || v == 0 || v > 65535)
		return MP_ERR_INVALID_FORMAT;
	*out = (uint16_t)v;
	return 0;
}

/* ---- what a row expects ------------------------------------------------ */

static void
join_names(const char *const *names, char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; names[i] != NULL && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
		    i ? ", " : "", names[i]);
}

/* The message for a value of the wrong type or out of range. */
static int
expected(const struct setting *s, char *why)
{
	char list[SETTING_WHY_MAX - 32];

	switch (s->type) {
	case SETTING_STRING:
	case SETTING_ENUM:
	case SETTING_CUSTOM:
		if (s->names == NULL)
			return whyf(why, MP_ERR_INVALID_FORMAT,
			    "expected a string");
		join_names(s->names, list, sizeof(list));
		return whyf(why, MP_ERR_INVALID_FORMAT, "expected one of %s",
		    list);
	case SETTING_UINT:
		return whyf(why, MP_ERR_INVALID_FORMAT,
		    "expected an integer from %u to %u", s->min, s->max);
	case SETTING_BOOL:
		return whyf(why, MP_ERR_INVALID_FORMAT,
		    "expected true or false");
	case SETTING_PORTS:
		return whyf(why, MP_ERR_INVALID_FORMAT, "expected a port "
		    "range \"LOW-HIGH\" with 1 <= LOW <= HIGH <= 65535");
	default:
		return whyf(why, MP_ERR_INVALID_FORMAT,
		    "expected a string or an array of strings");
	}
}

/* ---- storing values ---------------------------------------------------- */

static int
store_string(void *obj, const struct setting *s, const char *text, char *why)
{
	char **slot = field(obj, s), *copy;
	size_t i;
	int r;

	if ((r = settings_check_text(text, why)) != 0)
		return r;
	if (s->names != NULL) {
		for (i = 0; s->names[i] != NULL; i++)
			if (strcmp(s->names[i], text) == 0)
				break;
		if (s->names[i] == NULL)
			return expected(s, why);
		if (s->type == SETTING_ENUM) {
			*(int *)slot = (int)i;
			return 0;
		}
	}
	if (s->check != NULL && (r = s->check(text, why)) != 0)
		return r;
	if ((copy = strdup(text)) == NULL)
		return whyf(why, MP_ERR_ALLOC, "out of memory");
	free(*slot);
	*slot = copy;
	return 0;
}

static int
store_uint(void *obj, const struct setting *s, const char *text, char *why)
{
	uint32_t v;

	if (settings_parse_u32(text, strlen(text), &v) != 0 || v < s->min ||
	    v > s->max)
		return expected(s, why);
	if (s->size == sizeof(uint16_t) && v <= UINT16_MAX)
		*(uint16_t *)field(obj, s) = (uint16_t)v;
	else if (s->size == sizeof(uint32_t))
		*(uint32_t *)field(obj, s) = v;
	else
		return whyf(why, MP_ERR_INTERNAL, "bad setting size");
	return 0;
}

static int
store_bool(void *obj, const struct setting *s, const char *text, char *why)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(text, yes[i]) == 0 ||
		    strcasecmp(text, no[i]) == 0) {
			*(int *)field(obj, s) = strcasecmp(text, yes[i]) == 0;
			return 0;
		}
	}
	return expected(s, why);
}

static int
store_ports(void *obj, const struct setting *s, const char *text, char *why)
{
	const char *dash = strchr(text, '-');
	uint16_t lo, hi;

	if (dash == NULL || parse_port(text, (size_t)(dash - text), &lo) != 0 ||
	    parse_port(dash + 1, strlen(dash + 1), &hi) != 0 || lo > hi)
		return expected(s, why);
	*(uint16_t *)field(obj, s) = lo;
	*(uint16_t *)field2(obj, s) = hi;
	return 0;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Check n items and copy them into a new NULL-terminated array. */
static int
dup_items(const struct setting *s, const char *const *items, size_t n,
    char ***out, char *why)
{
	char **v;
	size_t i;
	int r;

	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return whyf(why, MP_ERR_ALLOC, "out of memory");
	for (i = 0; i < n; i++) {
		if ((r = settings_check_text(items[i], why)) != 0 ||
		    (s->check != NULL && (r = s->check(items[i], why)) != 0)) {
			free_strv(v, i);
			return r;
		}
		if ((v[i] = strdup(items[i])) == NULL) {
			free_strv(v, i);
			return whyf(why, MP_ERR_ALLOC, "out of memory");
		}
	}
	*out = v;
	return 0;
}

/* Comma-joined items, in a new string. */
static int
join_items(char *const *v, size_t n, char **out, char *why)
{
	size_t i, len = 0;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	if (len > SETTING_TEXT_MAX + 1)
		return whyf(why, MP_ERR_TOO_LARGE, "longer than %d bytes",
		    SETTING_TEXT_MAX);
	if ((s = calloc(1, len + 1)) == NULL)
		return whyf(why, MP_ERR_ALLOC, "out of memory");
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, ",");
		strcat(s, v[i]);
	}
	*out = s;
	return 0;
}

static int
store_items(void *obj, const struct setting *s, const char *const *items,
    size_t n, char *why)
{
	size_t *count = field2(obj, s), i;
	char **v = NULL, **inline_v = field(obj, s), *list = NULL;
	int r;

	if (n < s->min || n > s->max)
		return whyf(why, MP_ERR_INVALID_FORMAT, "expected from %u to "
		    "%u values, not %zu", s->min, s->max, n);
	if (s->type == SETTING_STRA && n * sizeof(*v) > s->size)
		return whyf(why, MP_ERR_INTERNAL, "bad setting size");
	if ((r = dup_items(s, items, n, &v, why)) != 0)
		return r;
	if (s->type == SETTING_LIST) {
		r = join_items(v, n, &list, why);
		free_strv(v, n);
		if (r == 0) {
			free(*inline_v);
			*inline_v = list;
		}
		return r;
	}
	if (s->type == SETTING_STRV) {
		free_strv(*(char ***)field(obj, s), *count);
		*(char ***)field(obj, s) = v;
	} else {
		for (i = 0; i < *count; i++)
			free(inline_v[i]);
		memset(inline_v, 0, s->size);
		memcpy(inline_v, v, n * sizeof(*v));
		free(v);
	}
	*count = n;
	return 0;
}

static void
trim(char **start, char **end)
{
	while (*start < *end && (**start == ' ' || **start == '\t'))
		(*start)++;
	while (*end > *start && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
}

/* Split text at commas (spaces around items dropped) and store. */
static int
store_split(void *obj, const struct setting *s, const char *text, char *why)
{
	const char *items[CONFIG_ARRAY_MAX];
	char *copy, *p, *start, *end, sep;
	size_t n = 0;
	int r;

	if (strnlen(text, SETTING_TEXT_MAX + 1) > SETTING_TEXT_MAX)
		return whyf(why, MP_ERR_TOO_LARGE, "longer than %d bytes",
		    SETTING_TEXT_MAX);
	if ((copy = strdup(text)) == NULL)
		return whyf(why, MP_ERR_ALLOC, "out of memory");
	for (p = copy, sep = *p; sep != '\0'; p++) {
		if (n == CONFIG_ARRAY_MAX) {
			free(copy);
			return whyf(why, MP_ERR_TOO_LARGE,
			    "more than %d values", CONFIG_ARRAY_MAX);
		}
		start = p;
		p += strcspn(p, ",");
		sep = *p;
		end = p;
		trim(&start, &end);
		*end = '\0';
		items[n++] = start;
	}
	r = store_items(obj, s, items, n, why);
	free(copy);
	return r;
}

static int
store_custom(void *obj, const struct setting *s, const char *text, char *why)
{
	int r;

	if ((r = settings_check_text(text, why)) != 0)
		return r;
	return s->parse(obj, text, why);
}

/* Store a text value (items, if not NULL, instead for the array types). */
static int
store(void *obj, const struct setting *s, const char *text,
    const char *const *items, size_t n, char *why)
{
	switch (s->type) {
	case SETTING_STRING:
	case SETTING_ENUM:
		return store_string(obj, s, text, why);
	case SETTING_UINT:
		return store_uint(obj, s, text, why);
	case SETTING_BOOL:
		return store_bool(obj, s, text, why);
	case SETTING_PORTS:
		return store_ports(obj, s, text, why);
	case SETTING_STRV:
	case SETTING_STRA:
	case SETTING_LIST:
		if (items != NULL)
			return store_items(obj, s, items, n, why);
		return store_split(obj, s, text, why);
	case SETTING_CUSTOM:
		return store_custom(obj, s, text, why);
	}
	return whyf(why, MP_ERR_INTERNAL, "bad setting type");
}

/* ---- the table ---------------------------------------------------------- */

const struct setting *
settings_find(const struct settings *set, const char *table, const char *key)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->rows[i].table, table) == 0 &&
		    strcmp(set->rows[i].key, key) == 0)
			return &set->rows[i];
	return NULL;
}

int
settings_set(const struct settings *set, void *obj, const struct setting *s,
    const char *text, const char *origin, char *err, size_t errlen)
{
	char why[SETTING_WHY_MAX];
	int r;

	(void)set;
	if ((r = store(obj, s, text, NULL, 0, why)) != 0)
		snprintf(err, errlen, "%s: %s", origin, why);
	return r;
}

int
settings_defaults(const struct settings *set, void *obj, char *err,
    size_t errlen)
{
	size_t i;
	int r;

	for (i = 0; i < set->n; i++) {
		if (set->rows[i].def == NULL)
			continue;
		if ((r = settings_set(set, obj, &set->rows[i],
		    set->rows[i].def, "default", err, errlen)) != 0)
			return r;
	}
	return 0;
}

int
settings_apply_flag(const struct settings *set, void *obj,
    const struct settings_flag *flags, int val, const char *arg,
    char *err, size_t errlen)
{
	const struct setting *s;

	for (; flags->val != 0; flags++) {
		if (flags->val != val)
			continue;
		s = settings_find(set, flags->table, flags->key);
		if (s == NULL) {
			snprintf(err, errlen, "%s: no such setting",
			    flags->name);
			return MP_ERR_INTERNAL;
		}
		return settings_set(set, obj, s, arg, flags->name, err, errlen);
	}
	return MP_ERR_NOT_FOUND;
}

/* getopt's '?' or ':' in words, given optopt and argv[optind - 1]. */
static void
getopt_error(int c, int opt, const char *arg, char *err, size_t errlen)
{
	if (c == ':' && opt > 0 && opt < 256)
		snprintf(err, errlen, "option -%c needs a value", opt);
	else if (c == ':')
		snprintf(err, errlen, "option %s needs a value", arg);
	else if (opt > 0 && opt < 256)
		snprintf(err, errlen, "unknown option -%c", opt);
	else
		snprintf(err, errlen, "unknown option %s", arg);
}

int
settings_early_flag(int c, const char *arg, const char *usage,
    const char *version, const char **path, int *exit_now, char *err,
    size_t errlen)
{
	switch (c) {
	case 'c':
		*path = arg;
		return 0;
	case 'h':
	case 'V':
		puts(c == 'h' ? usage : version);
		*exit_now = 1;
		return 0;
	case '?':
	case ':':
		getopt_error(c, optopt, arg, err, errlen);
		return MP_ERR_INVALID_ARGUMENT;
	default:
		return 0;
	}
}

void
settings_failed(int r, char *err, size_t errlen)
{
	if (errlen > 0 && err[0] == '\0')
		snprintf(err, errlen, "%s", mp_strerror(r));
}

enum log_level
settings_log_level(int verbosity)
{
	if (verbosity < 0)
		return LOG_LEVEL_QUIET;
	if (verbosity > LOG_LEVEL_DEBUG2 - LOG_LEVEL_INFO)
		return LOG_LEVEL_DEBUG2;
	return (enum log_level)(LOG_LEVEL_INFO + verbosity);
}

/* ---- the file ----------------------------------------------------------- */

static int
table_known(const struct settings *set, const char *table)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->rows[i].table, table) == 0)
			return 1;
	return 0;
}

/* err = "path:line: [table] key: why", or "path:line: key: why" at the
 * root, or "path:line: why" without a key. */
static void
file_error(char *err, size_t errlen, const char *name, int line,
    const char *table, const char *key, const char *why)
{
	snprintf(err, errlen, "%s:%d: %s%s%s%s%s%s", name, line,
	    *table ? "[" : "", table, *table ? "] " : "", key,
	    *table || *key ? ": " : "", why);
}

/* Why key has no row: unknown, or known in another table. */
static int
unknown_key(const struct settings *set, const struct config_key *k,
    char *why)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->rows[i].key, k->key) != 0)
			continue;
		if (set->rows[i].table[0] == '\0')
			return whyf(why, MP_ERR_INVALID_FORMAT, "unknown key "
			    "(it belongs at the top, before any table)");
		return whyf(why, MP_ERR_INVALID_FORMAT, "unknown key (it "
		    "belongs in [%s])", set->rows[i].table);
	}
	return whyf(why, MP_ERR_INVALID_FORMAT, "unknown key");
}

/* 1 if a TOML value of type t fits row s. */
static int
type_fits(const struct setting *s, enum config_type t)
{
	switch (s->type) {
	case SETTING_UINT:
		return t == CONFIG_INT;
	case SETTING_BOOL:
		return t == CONFIG_BOOL;
	case SETTING_STRV:
	case SETTING_STRA:
	case SETTING_LIST:
		return t == CONFIG_STRING || t == CONFIG_STRING_ARRAY;
	case SETTING_CUSTOM:	/* scalars, as text for parse to judge */
		return t != CONFIG_STRING_ARRAY && t != CONFIG_INT_ARRAY;
	default:
		return t == CONFIG_STRING;
	}
}

static int
apply_key(void *obj, const struct config *cfg, const struct setting *s,
    const struct config_key *k, char *why)
{
	const char *const *items;
	const char *text;
	char num[32];
	int64_t v;
	size_t n;
	int b;

	if (!type_fits(s, k->type))
		return expected(s, why);
	switch (k->type) {
	case CONFIG_STRING_ARRAY:
		if (config_get_string_array(cfg, k->table, k->key, &items,
		    &n) != 0)
			break;
		return store(obj, s, NULL, items, n, why);
	case CONFIG_STRING:
		if (config_get_string(cfg, k->table, k->key, &text) != 0)
			break;
		return store(obj, s, text, NULL, 0, why);
	case CONFIG_INT:
		if (config_get_int(cfg, k->table, k->key, &v) != 0)
			break;
		snprintf(num, sizeof(num), "%lld", (long long)v);
		return store(obj, s, num, NULL, 0, why);
	case CONFIG_BOOL:
		if (config_get_bool(cfg, k->table, k->key, &b) != 0)
			break;
		return store(obj, s, b ? "true" : "false", NULL, 0, why);
	default:
		break;
	}
	return whyf(why, MP_ERR_INTERNAL, "lookup failed");
}

static int
check_tables(const struct settings *set, const struct config *cfg,
    const char *name, char *err, size_t errlen)
{
	const char *table;
	size_t pos = 0;
	int line;

	while (config_next_table(cfg, &pos, &table, &line) == 0) {
		if (!table_known(set, table)) {
			snprintf(err, errlen, "%s:%d: [%s]: unknown table",
			    name, line, table);
			return MP_ERR_INVALID_FORMAT;
		}
	}
	return 0;
}

int
settings_apply_config(const struct settings *set, void *obj,
    const struct config *cfg, const char *name, char *err, size_t errlen)
{
	char why[SETTING_WHY_MAX];
	const struct setting *s;
	struct config_key k;
	size_t pos = 0;
	int r;

	if ((r = check_tables(set, cfg, name, err, errlen)) != 0)
		return r;
	while (config_next_key(cfg, &pos, &k) == 0) {
		if ((s = settings_find(set, k.table, k.key)) == NULL)
			r = unknown_key(set, &k, why);
		else
			r = apply_key(obj, cfg, s, &k, why);
		if (r != 0) {
			file_error(err, errlen, name, k.line, k.table, k.key,
			    why);
			return r;
		}
	}
	return 0;
}

int
settings_load_file(const struct settings *set, void *obj, const char *path,
    char *err, size_t errlen)
{
	struct config_error ce;
	struct config *cfg;
	int r;

	if ((r = config_load(path, &cfg, &ce)) != 0) {
		if (ce.line == 0)
			snprintf(err, errlen, "%s: %s", path, ce.msg);
		else
			file_error(err, errlen, path, ce.line, ce.table,
			    ce.key, ce.msg);
		return r;
	}
	r = settings_apply_config(set, obj, cfg, path, err, errlen);
	config_free(cfg);
	return r;
}

int
settings_load_config(const struct settings *set, void *obj,
    const char *path, const char *def, char **loaded, char *err,
    size_t errlen)
{
	const char *p = path != NULL ? path : def;
	int r;

	*loaded = NULL;
	if (p == NULL)
		return 0;
	r = settings_load_file(set, obj, p, err, errlen);
	if (r == MP_ERR_NOT_FOUND && path == NULL) {
		err[0] = '\0';
		return 0;
	}
	if (r == 0 && (*loaded = strdup(p)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return MP_ERR_ALLOC;
	}
	return r;
}

/* ---- the environment ---------------------------------------------------- */

/* The value of the variable named name in envp, or NULL. */
static const char *
env_value(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

static void
env_name(const struct settings *set, const struct setting *s, char *out,
    size_t size)
{
	char *p;

	snprintf(out, size, "%s%s", set->env_prefix, s->key);
	for (p = out + strlen(set->env_prefix); *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (*p == '-')
			*p = '_';
	}
}

int
settings_apply_env(const struct settings *set, void *obj, char *const *envp,
    char *err, size_t errlen)
{
	char name[ENV_NAME_MAX];
	const char *value;
	size_t i;
	int r;

	for (i = 0; i < set->n; i++) {
		env_name(set, &set->rows[i], name, sizeof(name));
		if ((value = env_value(envp, name)) == NULL)
			continue;
		if ((r = settings_set(set, obj, &set->rows[i], value, name,
		    err, errlen)) != 0)
			return r;
	}
	return 0;
}

/* ---- printing ----------------------------------------------------------- */

static void
print_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
print_strv(FILE *fp, char *const *v, size_t n)
{
	size_t i;

	fputc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", fp);
		print_string(fp, v[i]);
	}
	fputc(']', fp);
}

static void
print_unset(FILE *fp, const struct setting *s)
{
	fprintf(fp, "# %s is unset", s->key);
	if (s->note != NULL)
		fprintf(fp, ": %s", s->note);
	fputc('\n', fp);
}

static void
print_row(FILE *fp, const struct setting *s, const void *obj)
{
	const void *f = cfield(obj, s), *f2 = cfield2(obj, s);
	char text[SETTING_WHY_MAX];

	if ((s->type == SETTING_STRING || s->type == SETTING_LIST) &&
	    *(char *const *)f == NULL) {
		print_unset(fp, s);
		return;
	}
	fprintf(fp, "%s = ", s->key);
	switch (s->type) {
	case SETTING_STRING:
	case SETTING_LIST:
		print_string(fp, *(char *const *)f);
		break;
	case SETTING_ENUM:
		print_string(fp, s->names[*(const int *)f]);
		break;
	case SETTING_UINT:
		fprintf(fp, "%lu", s->size == sizeof(uint16_t) ?
		    (unsigned long)*(const uint16_t *)f :
		    (unsigned long)*(const uint32_t *)f);
		break;
	case SETTING_BOOL:
		fputs(*(const int *)f ? "true" : "false", fp);
		break;
	case SETTING_STRV:
		print_strv(fp, *(char **const *)f, *(const size_t *)f2);
		break;
	case SETTING_STRA:
		print_strv(fp, (char *const *)f, *(const size_t *)f2);
		break;
	case SETTING_PORTS:
		fprintf(fp, "\"%u-%u\"", *(const uint16_t *)f,
		    *(const uint16_t *)f2);
		break;
	case SETTING_CUSTOM:
		s->format(obj, text, sizeof(text));
		print_string(fp, text);
		break;
	}
	fputc('\n', fp);
}

/* The rows of table, under its header unless it is the root. */
static void
print_table(const struct settings *set, const void *obj, const char *table,
    FILE *fp)
{
	size_t i;

	if (*table != '\0')
		fprintf(fp, "\n[%s]\n", table);
	for (i = 0; i < set->n; i++)
		if (strcmp(set->rows[i].table, table) == 0)
			print_row(fp, &set->rows[i], obj);
}

void
settings_print(const struct settings *set, const void *obj, FILE *fp)
{
	size_t i, j;

	print_table(set, obj, "", fp);
	for (i = 0; i < set->n; i++) {
		if (set->rows[i].table[0] == '\0')
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(set->rows[j].table, set->rows[i].table) == 0)
				break;
		if (j == i)
			print_table(set, obj, set->rows[i].table, fp);
	}
}

void
settings_free(const struct settings *set, void *obj)
{
	const struct setting *s;
	size_t i, j, *count;
	char **v;

	for (i = 0; i < set->n; i++) {
		s = &set->rows[i];
		count = field2(obj, s);
		v = field(obj, s);
		switch (s->type) {
		case SETTING_STRING:
		case SETTING_LIST:
			free(*v);
			*v = NULL;
			break;
		case SETTING_STRV:
			free_strv(*(char ***)v, *count);
			*(char ***)v = NULL;
			*count = 0;
			break;
		case SETTING_STRA:
			for (j = 0; j < *count; j++)
				free(v[j]);
			memset(v, 0, s->size);
			*count = 0;
			break;
		default:
			break;
		}
	}
}

/* ---- home --------------------------------------------------------------- */

const char *
settings_home(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && *home != '\0')
		return home;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL &&
	    pw->pw_dir[0] != '\0')
		return pw->pw_dir;
	return NULL;
}

int
settings_home_path(const char *suffix, char **out)
{
	const char *home = settings_home();

	*out = NULL;
	if (home == NULL)
		return MP_ERR_NOT_FOUND;
	if (asprintf(out, "%s%s", home, suffix) == -1) {
		*out = NULL;
		return MP_ERR_ALLOC;
	}
	return 0;
}

/* ---- destinations ------------------------------------------------------- */

/* Copy len bytes of s into out (size bytes) if they fit. */
static int
copy_part(char *out, size_t size, const char *s, size_t len)
{
	if (len >= size)
		return MP_ERR_TOO_LARGE;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

/* An IPv6 address with an optional %zone, as len bytes of s. */
static int
ipv6_ok(const char *s, size_t len)
{
	const char *pct = memchr(s, '%', len);
	size_t alen = pct != NULL ? (size_t)(pct - s) : len;
	unsigned char bin[16];
	char addr[INET6_ADDRSTRLEN];

	if (alen >= sizeof(addr))
		return 0;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET6, addr, bin) != 1)
		return 0;
	return pct == NULL || (len - alen > 1 &&
	    only(pct + 1, len - alen - 1, "._-"));
}

static int
set_host(struct settings_dest *d, const char *s, size_t len, int v6,
    char *why)
{
	if (len == 0)
		return whyf(why, MP_ERR_INVALID_FORMAT, "no host name");
	if (copy_part(d->host, sizeof(d->host), s, len) != 0)
		return whyf(why, MP_ERR_TOO_LARGE, "host name longer than %d "
		    "bytes", SETTINGS_HOST_MAX);
	if (v6 ? !ipv6_ok(s, len) : (s[0] == '-' || !only(s, len, "._-")))
		return whyf(why, MP_ERR_INVALID_FORMAT, "\"%.64s\" is not a "
		    "valid %s", d->host, v6 ? "IPv6 address" : "host name");
	return 0;
}

static int
set_port(struct settings_dest *d, const char *s, char *why)
{
	if (parse_port(s, strlen(s), &d->port) != 0)
		return whyf(why, MP_ERR_INVALID_FORMAT, "\"%.16s\" is not a "
		    "port from 1 to 65535", s);
	return 0;
}

/* "[addr]" or "[addr]:port". */
static int
parse_bracketed(struct settings_dest *d, const char *s, char *why)
{
	const char *close = strchr(s, ']');
	int r;

	if (close == NULL)
		return whyf(why, MP_ERR_INVALID_FORMAT, "missing ]");
	if ((r = set_host(d, s + 1, (size_t)(close - s - 1), 1, why)) != 0)
		return r;
	if (close[1] == '\0')
		return 0;
	if (close[1] != ':')
		return whyf(why, MP_ERR_INVALID_FORMAT, "unexpected text "
		    "after ]");
	return set_port(d, close + 2, why);
}

int
settings_parse_destination(const char *arg, struct settings_dest *d,
    char *why)
{
	const char *at, *host, *colon;
	int r;

	memset(d, 0, sizeof(*d));
	if (strnlen(arg, SETTING_TEXT_MAX + 1) > SETTING_TEXT_MAX)
		return whyf(why, MP_ERR_TOO_LARGE, "destination too long");
	host = arg;
	if ((at = strrchr(arg, '@')) != NULL) {
		if (copy_part(d->user, sizeof(d->user), arg,
		    (size_t)(at - arg)) != 0)
			return whyf(why, MP_ERR_TOO_LARGE, "user name longer "
			    "than %d bytes", SETTINGS_USER_MAX);
		if ((r = settings_check_user(d->user, why)) != 0)
			return r;
		host = at + 1;
	}
	if (*host == '[')
		return parse_bracketed(d, host, why);
	colon = strchr(host, ':');
	if (colon == NULL)
		return set_host(d, host, strlen(host), 0, why);
	if (strchr(colon + 1, ':') != NULL)
		return set_host(d, host, strlen(host), 1, why);
	if ((r = set_host(d, host, (size_t)(colon - host), 0, why)) != 0)
		return r;
	return set_port(d, colon + 1, why);
}

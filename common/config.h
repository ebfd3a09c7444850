/* config.h: a bounded parser for the TOML subset of moshpit's configuration files, with typed lookups. */
#ifndef MP_CONFIG_H
#define MP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The subset: comments, blank lines, one-level [table] headers, bare keys
 * ([A-Za-z0-9_-]) assigned with "key = value", and values that are basic
 * strings ("..." with the escapes \" \\ \n \t \uXXXX), literal strings
 * ('...'), decimal 64-bit integers (sign and _ separators as TOML allows),
 * true/false, and arrays of strings or of integers (over several lines,
 * with comments and a trailing comma). Lines end in LF or CRLF.
 *
 * Everything else is refused with the line, key and a message: multi-line
 * strings, floats, dates, inline tables, arrays of tables, quoted or dotted
 * keys, nested or mixed arrays, duplicate keys and tables, invalid UTF-8,
 * control characters (C0, DEL and C1, raw or as \u escapes; tab is allowed
 * raw).
 */

#define CONFIG_FILE_MAX		(256 * 1024)	/* bytes in a file */
#define CONFIG_LINE_MAX		4096	/* bytes in a line, without its end */
#define CONFIG_STRING_MAX	4096	/* bytes in a decoded string */
#define CONFIG_ARRAY_MAX	256	/* elements in an array */
#define CONFIG_KEYS_MAX		1024	/* keys in a file, all tables */
#define CONFIG_TABLES_MAX	256	/* table headers in a file */
#define CONFIG_NAME_MAX		64	/* bytes in a key or table name */

struct config;

/* Where and why parsing or a lookup failed; line 0 when no line applies. */
struct config_error {
	int	line;
	char	table[CONFIG_NAME_MAX + 1];	/* "" for the root */
	char	key[CONFIG_NAME_MAX + 1];	/* "" when not about a key */
	char	msg[160];
};

enum config_type {
	CONFIG_STRING = 1,
	CONFIG_INT,
	CONFIG_BOOL,
	CONFIG_STRING_ARRAY,	/* also an empty array */
	CONFIG_INT_ARRAY,
};

/* One key, as returned by config_next_key(). */
struct config_key {
	const char		*table;	/* "" for the root */
	const char		*key;
	int			 line;
	enum config_type	 type;
};

/*
 * Parse len bytes of text (not necessarily NUL-terminated). Returns NULL
 * and fills err (if not NULL) on any error, out of memory included.
 */
struct config *config_parse(const char *text, size_t len,
    struct config_error *err);

/*
 * Read and parse the file at path. MP_ERR_NOT_FOUND if it does not exist,
 * MP_ERR_SYSTEM for other system errors (errno kept), MP_ERR_INVALID_FORMAT
 * if it is not a regular file or does not parse, MP_ERR_TOO_LARGE above
 * CONFIG_FILE_MAX or past another bound, MP_ERR_ALLOC. err is always
 * filled on failure (line 0 for file-level errors).
 */
int config_load(const char *path, struct config **out,
    struct config_error *err);

void config_free(struct config *cfg);

/*
 * Typed lookups; table "" is the root. Each returns 0, MP_ERR_NOT_FOUND if
 * the key is absent, or MP_ERR_INVALID_FORMAT if it has another type (see
 * config_type_error()). Pointers stay valid until config_free().
 * An empty array is both a string and an integer array.
 */
int config_get_string(const struct config *cfg, const char *table,
    const char *key, const char **out);
int config_get_int(const struct config *cfg, const char *table,
    const char *key, int64_t *out);
int config_get_bool(const struct config *cfg, const char *table,
    const char *key, int *out);
int config_get_string_array(const struct config *cfg, const char *table,
    const char *key, const char *const **items, size_t *n);
int config_get_int_array(const struct config *cfg, const char *table,
    const char *key, const int64_t **items, size_t *n);

/* Line of a key, or 0 if absent. */
int config_key_line(const struct config *cfg, const char *table,
    const char *key);

/* Fill err with the key's line and "expected <a string|...>". */
void config_type_error(const struct config *cfg, const char *table,
    const char *key, enum config_type expected, struct config_error *err);

/* Fill err with the key's line and a formatted message (e.g. a range). */
void config_key_error(const struct config *cfg, const char *table,
    const char *key, struct config_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Iterate over keys in file order: start with *pos = 0; returns 0 and
 * fills out, or MP_ERR_NOT_FOUND after the last key.
 */
int config_next_key(const struct config *cfg, size_t *pos,
    struct config_key *out);

/* Iterate over table headers likewise (empty tables included). */
int config_next_table(const struct config *cfg, size_t *pos,
    const char **name, int *line);

#endif

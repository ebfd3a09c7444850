/* settings.h: a table of typed settings applied to a struct from a parsed config file, environment variables and flags, and printed back as TOML. */
#ifndef MP_SETTINGS_H
#define MP_SETTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/log.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/kex.h"
#include "common/proto/names.h"

/*
 * A program describes its configuration struct with an array of struct
 * setting, one per TOML key, and lets this module do the rest: defaults,
 * the file (every key and table must be known), the environment and the
 * flags, all through the same validation, and -T style printing.
 *
 * Values as text (defaults, flags, environment variables) are read as:
 * decimal integers; true/false, yes/no, on/off or 1/0 for booleans;
 * comma-separated items for arrays and lists. In the file each type takes
 * its TOML type (see enum setting_type).
 *
 * Errors go to a caller's buffer: "FILE:LINE: [table] key: why" for the
 * file ("FILE:LINE: key: why" at the root) and "ORIGIN: why" for text
 * values, ORIGIN being the variable or the flag.
 */

/*
 * The field's C type, and the TOML type it takes:
 * STRING	char *, a string; names, if set, are the values allowed
 * ENUM		int, the index of the string among names
 * UINT		uint16_t or uint32_t (by size) from min to max, an integer
 * BOOL		int 0 or 1, a boolean
 * STRV		char **, allocated and NULL-terminated, with a size_t count
 *		at off2; from min to max strings, as an array or one string
 * STRA		char *[max] inside the struct, count at off2; as STRV
 * PORTS	"LOW-HIGH": uint16_t at off and at off2; a string
 * LIST		char *, comma-separated names, each passed to check; a string
 *		or an array, from min to max names
 * CUSTOM	parse and format; any scalar, as text
 */
enum setting_type {
	SETTING_STRING = 1,
	SETTING_ENUM,
	SETTING_UINT,
	SETTING_BOOL,
	SETTING_STRV,
	SETTING_STRA,
	SETTING_PORTS,
	SETTING_LIST,
	SETTING_CUSTOM,
};

/* Not common/config.h: its include guard is also the generated config.h's. */
struct config;

#define SETTING_TEXT_MAX	4096	/* bytes in a text value, as a file's */
#define SETTING_WHY_MAX		256	/* bytes in a "why" message */

struct setting {
	const char		*table;	/* "" for the root */
	const char		*key;
	enum setting_type	 type;
	size_t			 off;	/* offsetof() the field */
	size_t			 size;	/* sizeof() the field */
	size_t			 off2;	/* see the types */
	uint32_t		 min, max;
	const char *const	*names;	/* NULL-terminated */
	const char		*def;	/* default as text; NULL: none */
	const char		*note;	/* what unset means, for print */
	/* Extra check of a string, of each array item, of each list name:
	 * 0, or a negative mp_err with why (SETTING_WHY_MAX bytes) filled. */
	int	(*check)(const char *value, char *why);
	/* SETTING_CUSTOM: store text into obj, or fill why. */
	int	(*parse)(void *obj, const char *text, char *why);
	/* SETTING_CUSTOM: obj's value as text that parse accepts. */
	void	(*format)(const void *obj, char *out, size_t size);
};

/* The field of struct type T, for a struct setting. */
#define SETTING_FIELD(T, f)	.off = offsetof(T, f), \
				.size = sizeof(((T *)0)->f)

struct settings {
	const struct setting	*rows;
	size_t			 n;
	const char		*env_prefix;	/* "MOSHPITS_", then KEY */
};

/* A flag that sets a row: getopt's val, the row, the flag's name for
 * errors ("-p", "--term-type"). Arrays of them end with val 0. */
struct settings_flag {
	int		 val;
	const char	*table;
	const char	*key;
	const char	*name;
};

/* One row of [preferred_algorithms], and the table for struct T's
 * char *kex, *aead, *mac, *kdf (NULL meaning the built-in list): from 1
 * to NAMES_COUNT_MAX names that this build implements. */
#define SETTINGS_ALGORITHM(T, f, list)					\
	{ .table = "preferred_algorithms", .key = #f,			\
	  .type = SETTING_LIST, SETTING_FIELD(T, f), .min = 1,		\
	  .max = NAMES_COUNT_MAX, .check = settings_check_##f,		\
	  .note = "the built-in " list }
#define SETTINGS_ALGORITHMS(T)						\
	SETTINGS_ALGORITHM(T, kex, KEX_DEFAULT_LIST),			\
	SETTINGS_ALGORITHM(T, aead, AEAD_DEFAULT_LIST),			\
	SETTINGS_ALGORITHM(T, mac, MAC_DEFAULT_LIST),			\
	SETTINGS_ALGORITHM(T, kdf, KDF_DEFAULT_LIST)

/*
 * The long options both programs take besides their own, as rows of a
 * struct option array (<getopt.h>): --kex-algos, --aead-algos,
 * --mac-algos and --kdf-algos (getopt values SETTINGS_OPT_*, above any
 * character and above a program's own values), --help (-h) and
 * --version (-V). SETTINGS_ALGORITHM_FLAGS are the struct settings_flag
 * rows that store the first four into [preferred_algorithms].
 */
enum {
	SETTINGS_OPT_KEX = 1000,
	SETTINGS_OPT_AEAD,
	SETTINGS_OPT_MAC,
	SETTINGS_OPT_KDF,
};
#define SETTINGS_LONG_OPTIONS						\
	{ "kex-algos", required_argument, NULL, SETTINGS_OPT_KEX },	\
	{ "aead-algos", required_argument, NULL, SETTINGS_OPT_AEAD },	\
	{ "mac-algos", required_argument, NULL, SETTINGS_OPT_MAC },	\
	{ "kdf-algos", required_argument, NULL, SETTINGS_OPT_KDF },	\
	{ "help", no_argument, NULL, 'h' },				\
	{ "version", no_argument, NULL, 'V' }
#define SETTINGS_ALGORITHM_FLAG(F, f)					\
	{ SETTINGS_OPT_##F, "preferred_algorithms", #f, "--" #f "-algos" }
#define SETTINGS_ALGORITHM_FLAGS					\
	SETTINGS_ALGORITHM_FLAG(KEX, kex),				\
	SETTINGS_ALGORITHM_FLAG(AEAD, aead),				\
	SETTINGS_ALGORITHM_FLAG(MAC, mac),				\
	SETTINGS_ALGORITHM_FLAG(KDF, kdf)

/*
 * Checks for struct setting's check: a known algorithm of each kind
 * (MP_ERR_UNKNOWN_ALGORITHM naming it); a user name (letters, digits and
 * . _ - @ $, not starting with '-'); an environment variable pattern
 * (letters, digits, _ * ?); an absolute path.
 */
int settings_check_kex(const char *name, char *why);
int settings_check_aead(const char *name, char *why);
int settings_check_mac(const char *name, char *why);
int settings_check_kdf(const char *name, char *why);
int settings_check_user(const char *name, char *why);
int settings_check_env_pattern(const char *pattern, char *why);
int settings_check_absolute(const char *path, char *why);

/* What every text value must be: 1 to SETTING_TEXT_MAX bytes of UTF-8
 * without control characters. */
int settings_check_text(const char *text, char *why);

/* Exactly len bytes of s as a decimal number (no sign); 0 or
 * MP_ERR_INVALID_FORMAT. */
int settings_parse_u32(const char *s, size_t len, uint32_t *out);

/* The row of table and key, or NULL. */
const struct setting *settings_find(const struct settings *set,
    const char *table, const char *key);

/* Apply every row's def to obj (whose fields start zeroed). */
int settings_defaults(const struct settings *set, void *obj, char *err,
    size_t errlen);

/* Store text as the value of row s; origin names it in err. */
int settings_set(const struct settings *set, void *obj,
    const struct setting *s, const char *text, const char *origin,
    char *err, size_t errlen);

/* If flags has val, store arg in its row (0 or an error naming the
 * flag); else MP_ERR_NOT_FOUND. */
int settings_apply_flag(const struct settings *set, void *obj,
    const struct settings_flag *flags, int val, const char *arg,
    char *err, size_t errlen);

/*
 * The flags both programs read before their file, for getopt_long() with
 * opterr 0 and an optstring starting "+:": -c into *path; -h and -V
 * print usage or version (and a newline) to stdout and set *exit_now;
 * '?' and ':' are errors naming the option. Any other c is left: 0.
 * arg is argv[optind - 1] for '?' and ':', else optarg.
 */
int settings_early_flag(int c, const char *arg, const char *usage,
    const char *version, const char **path, int *exit_now, char *err,
    size_t errlen);

/* After a program's loading failed with r: err as the failure filled it,
 * else mp_strerror(r). */
void settings_failed(int r, char *err, size_t errlen);

/* -v counted up from 0, or SETTINGS_QUIET after -q, as a log level. */
#define SETTINGS_QUIET	(-1000)
enum log_level settings_log_level(int verbosity);

/* Apply a parsed file; name (the path) prefixes errors. Any key or table
 * without a row is an error. */
int settings_apply_config(const struct settings *set, void *obj,
    const struct config *cfg, const char *name, char *err, size_t errlen);

/*
 * Read path and apply it. A missing file is MP_ERR_NOT_FOUND with err
 * filled, for the caller to forgive when the path was a default.
 */
int settings_load_file(const struct settings *set, void *obj,
    const char *path, char *err, size_t errlen);

/* The file path (-c: it must exist), else def if not NULL (and only if it
 * exists); *loaded gets a copy of the path read, or NULL. */
int settings_load_config(const struct settings *set, void *obj,
    const char *path, const char *def, char **loaded, char *err,
    size_t errlen);

/* Apply the variables of envp named env_prefix + KEY. Others are left. */
int settings_apply_env(const struct settings *set, void *obj,
    char *const *envp, char *err, size_t errlen);

/* Print every row's value as TOML that settings_apply_config() takes
 * back; unset strings as a comment. */
void settings_print(const struct settings *set, const void *obj, FILE *fp);

/* Free every string and array of the rows and clear the fields. */
void settings_free(const struct settings *set, void *obj);

/* HOME, else the password entry's directory, else NULL. */
const char *settings_home(void);
/* home + suffix into *out (malloc'd); MP_ERR_NOT_FOUND without a home. */
int settings_home_path(const char *suffix, char **out);

/* ---- [user@]host[:port] ------------------------------------------------ */

#define SETTINGS_USER_MAX	255
#define SETTINGS_HOST_MAX	255

struct settings_dest {
	char		user[SETTINGS_USER_MAX + 1];	/* "": none */
	char		host[SETTINGS_HOST_MAX + 1];	/* no brackets */
	uint16_t	port;				/* 0: none */
};

/*
 * Parse a destination: [user@]host[:port], the user up to the last '@';
 * an IPv6 address as [addr] or [addr]:port (a zone as %name allowed),
 * or bare when it has two colons or more (then no port). Host and user
 * may not start with '-' nor hold spaces, control characters or '/'.
 * 0, or MP_ERR_INVALID_FORMAT with why filled.
 */
int settings_parse_destination(const char *arg, struct settings_dest *d,
    char *why);

#endif

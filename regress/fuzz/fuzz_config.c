/* fuzz_config.c: libFuzzer harness for the configuration parser: parse, then read back every key and value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/config.h"
#include "common/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Read one key back through its typed getter; any mismatch is a bug. */
static void
check_key(const struct config *cfg, const struct config_key *k)
{
	const char *const *strs;
	const int64_t *ints;
	const char *s;
	int64_t v;
	size_t n, i;
	int b, r = MP_ERR_INTERNAL;

	switch (k->type) {
	case CONFIG_STRING:
		if ((r = config_get_string(cfg, k->table, k->key, &s)) == 0 &&
		    strlen(s) > CONFIG_STRING_MAX)
			__builtin_trap();
		break;
	case CONFIG_INT:
		r = config_get_int(cfg, k->table, k->key, &v);
		break;
	case CONFIG_BOOL:
		if ((r = config_get_bool(cfg, k->table, k->key, &b)) == 0 &&
		    b != 0 && b != 1)
			__builtin_trap();
		break;
	case CONFIG_STRING_ARRAY:
		r = config_get_string_array(cfg, k->table, k->key, &strs, &n);
		for (i = 0; r == 0 && i < n; i++)
			(void)strlen(strs[i]);
		if (r == 0 && (n > CONFIG_ARRAY_MAX || strs[n] != NULL))
			__builtin_trap();
		break;
	case CONFIG_INT_ARRAY:
		r = config_get_int_array(cfg, k->table, k->key, &ints, &n);
		if (r == 0 && (n == 0 || n > CONFIG_ARRAY_MAX))
			__builtin_trap();
		break;
	}
	if (r != 0 || config_key_line(cfg, k->table, k->key) != k->line)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct config_error err;
	struct config_key k;
	struct config *cfg;
	const char *name;
	size_t pos = 0, keys = 0;
	int line;

	if ((cfg = config_parse((const char *)data, len, &err)) == NULL) {
		if (err.line < 0 || strlen(err.msg) == 0)
			__builtin_trap();
		return 0;
	}
	while (config_next_key(cfg, &pos, &k) == 0) {
		check_key(cfg, &k);
		keys++;
	}
	if (keys > CONFIG_KEYS_MAX)
		__builtin_trap();
	pos = 0;
	while (config_next_table(cfg, &pos, &name, &line) == 0)
		(void)strlen(name);
	config_free(cfg);
	return 0;
}

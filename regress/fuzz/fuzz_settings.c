/* fuzz_settings.c: libFuzzer harness for the settings engine: destinations, text values of every type, and whole files applied to a table. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/err.h"
#include "common/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

struct demo {
	char		*s, *choice, *list;
	int		 e, b;
	uint16_t	 port, lo, hi;
	uint32_t	 n;
	char		**v;
	size_t		 nv;
	char		*a[4];
	size_t		 na;
	char		 custom[8];
	char		*kex, *aead, *mac, *kdf;
};

static const char *const names[] = { "one", "two", NULL };

static int
custom_parse(void *obj, const char *text, char *why)
{
	struct demo *d = obj;

	if (strlen(text) >= sizeof(d->custom)) {
		snprintf(why, SETTING_WHY_MAX, "too long");
		return MP_ERR_INVALID_FORMAT;
	}
	snprintf(d->custom, sizeof(d->custom), "%s", text);
	return 0;
}

static void
custom_format(const void *obj, char *out, size_t size)
{
	snprintf(out, size, "%s", ((const struct demo *)obj)->custom);
}

#define D	struct demo
static const struct setting rows[] = {
	{ .table = "", .key = "s", .type = SETTING_STRING, SETTING_FIELD(D, s),
	  .def = "x" },
	{ .table = "", .key = "choice", .type = SETTING_STRING,
	  SETTING_FIELD(D, choice), .names = names },
	{ .table = "", .key = "e", .type = SETTING_ENUM, SETTING_FIELD(D, e),
	  .names = names },
	{ .table = "", .key = "b", .type = SETTING_BOOL, SETTING_FIELD(D, b) },
	{ .table = "t", .key = "port", .type = SETTING_UINT,
	  SETTING_FIELD(D, port), .min = 1, .max = 65535 },
	{ .table = "t", .key = "n", .type = SETTING_UINT, SETTING_FIELD(D, n),
	  .max = UINT32_MAX },
	{ .table = "t", .key = "range", .type = SETTING_PORTS,
	  SETTING_FIELD(D, lo), .off2 = offsetof(D, hi) },
	{ .table = "t", .key = "v", .type = SETTING_STRV, SETTING_FIELD(D, v),
	  .off2 = offsetof(D, nv), .max = 64, .def = "A,B",
	  .check = settings_check_env_pattern },
	{ .table = "t", .key = "a", .type = SETTING_STRA, SETTING_FIELD(D, a),
	  .off2 = offsetof(D, na), .min = 1, .max = 4, .def = "a" },
	{ .table = "t", .key = "custom", .type = SETTING_CUSTOM,
	  .parse = custom_parse, .format = custom_format },
	SETTINGS_ALGORITHMS(D),
};
static const struct settings set = {
	rows, sizeof(rows) / sizeof(rows[0]), "FUZZ_"
};

/* The parts of a parsed destination keep to their rules. */
static void
destination(const char *text)
{
	struct settings_dest d;
	char why[SETTING_WHY_MAX];

	why[0] = '\0';
	if (settings_parse_destination(text, &d, why) != 0) {
		if (why[0] == '\0')
			__builtin_trap();
		return;
	}
	if (d.host[0] == '\0' || d.host[0] == '-' ||
	    strlen(d.host) > SETTINGS_HOST_MAX ||
	    strlen(d.user) > SETTINGS_USER_MAX ||
	    strpbrk(d.host, " /@[]\n") != NULL ||
	    strpbrk(d.user, " /:\n") != NULL)
		__builtin_trap();
}

/* Every row takes or refuses text, and what it took prints. */
static void
values(const char *text)
{
	struct demo d;
	char err[512];
	FILE *fp;
	size_t i;

	memset(&d, 0, sizeof(d));
	if (settings_defaults(&set, &d, err, sizeof(err)) != 0)
		__builtin_trap();
	for (i = 0; i < set.n; i++) {
		err[0] = '\0';
		if (settings_set(&set, &d, &rows[i], text, "FUZZ", err,
		    sizeof(err)) != 0 && strncmp(err, "FUZZ: ", 6) != 0)
			__builtin_trap();
	}
	if (d.na < 1 || d.na > 4 || d.a[d.na - 1] == NULL ||
	    (d.v != NULL && d.v[d.nv] != NULL) || d.lo > d.hi)
		__builtin_trap();
	if ((fp = fopen("/dev/null", "w")) != NULL) {
		settings_print(&set, &d, fp);
		fclose(fp);
	}
	settings_free(&set, &d);
}

static void
file(const char *text, size_t len)
{
	struct config_error ce;
	struct config *cfg;
	struct demo d;
	char err[512];

	if ((cfg = config_parse(text, len, &ce)) == NULL)
		return;
	memset(&d, 0, sizeof(d));
	err[0] = '\0';
	if (settings_apply_config(&set, &d, cfg, "f", err, sizeof(err)) != 0 &&
	    strncmp(err, "f:", 2) != 0)
		__builtin_trap();
	settings_free(&set, &d);
	config_free(cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *text;

	if (len < 1 || len > 8192 || (text = malloc(len)) == NULL)
		return 0;
	memcpy(text, data + 1, len - 1);
	text[len - 1] = '\0';
	switch (data[0] % 3) {
	case 0:
		destination(text);
		break;
	case 1:
		values(text);
		break;
	default:
		file(text, len - 1);
		break;
	}
	free(text);
	return 0;
}

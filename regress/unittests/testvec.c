/* testvec.c: readers for the shared test-vector files used by the vector tests. */
#include <stdarg.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <cmocka.h>

#include "common/encode.h"
#include "testvec.h"

struct tv_reader {
	FILE *fp;
	char section[64];
	char *line;
	size_t cap;
	struct tv_record last;	/* owns the strings handed out */
};

const char *
tv_path(const char *relpath)
{
	static char path[4096];
	const char *dir = getenv("MP_VECTORS_DIR");

	if (dir == NULL || *dir == '\0')
		fail_msg("MP_VECTORS_DIR is not set: run the vector tests "
		    "through `make check`");
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, relpath) >=
	    sizeof(path))
		fail_msg("vector path too long: %s", relpath);
	return path;
}

json_t *
tv_load_json(const char *relpath)
{
	json_error_t jerr;
	const char *path = tv_path(relpath);
	json_t *root = json_load_file(path, 0, &jerr);

	if (root == NULL)
		fail_msg("cannot load vector file %s: %s (line %d)", path,
		    jerr.text, jerr.line);
	return root;
}

uint8_t *
tv_unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex), i;
	uint8_t *out;

	if (n % 2 != 0)
		fail_msg("odd-length hex string in vector file");
	out = malloc(n / 2 + 1);
	assert_non_null(out);
	for (i = 0; i < n / 2; i++) {
		int hi = hex_digit_value((unsigned char)hex[2 * i]);
		int lo = hex_digit_value((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			fail_msg("bad hex digit in vector file");
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return out;
}

const char *
tv_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	if (s == NULL)
		fail_msg("vector lacks string field \"%s\"", key);
	return s;
}

uint8_t *
tv_hexfield(const json_t *obj, const char *key, size_t *len)
{
	return tv_unhex(tv_str(obj, key), len);
}

long long
tv_int(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		fail_msg("vector lacks integer field \"%s\"", key);
	return json_integer_value(v);
}

struct tv_reader *
tv_rec_open(const char *relpath)
{
	struct tv_reader *r = calloc(1, sizeof(*r));
	const char *path = tv_path(relpath);

	assert_non_null(r);
	if ((r->fp = fopen(path, "r")) == NULL)
		fail_msg("cannot open vector file %s", path);
	return r;
}

static void
rec_clear(struct tv_record *rec)
{
	int i;

	for (i = 0; i < rec->nfields; i++) {
		free(rec->name[i]);
		free(rec->value[i]);
	}
	memset(rec, 0, sizeof(*rec));
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void
rec_add(struct tv_reader *r, char *line)
{
	char *eq = strchr(line, '=');
	struct tv_record *rec = &r->last;

	if (eq == NULL)
		fail_msg("vector line without '=': %s", line);
	if (rec->nfields == TV_REC_MAX_FIELDS)
		fail_msg("vector record has too many fields");
	if (rec->nfields == 0)
		memcpy(rec->section, r->section, sizeof(rec->section));
	*eq = '\0';
	rec->name[rec->nfields] = strdup(trim(line));
	rec->value[rec->nfields] = strdup(trim(eq + 1));
	assert_non_null(rec->name[rec->nfields]);
	assert_non_null(rec->value[rec->nfields]);
	rec->nfields++;
}

int
tv_rec_next(struct tv_reader *r, struct tv_record *out)
{
	ssize_t n;

	rec_clear(&r->last);
	while ((n = getline(&r->line, &r->cap, r->fp)) != -1) {
		char *s = trim(r->line);
		if (*s == '#')
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');
			if (e == NULL)
				fail_msg("bad section line: %s", s);
			*e = '\0';
			snprintf(r->section, sizeof(r->section), "%s", s + 1);
			if (r->last.nfields > 0)
				break;
			continue;
		}
		if (*s == '\0') {
			if (r->last.nfields > 0)
				break;
			continue;
		}
		rec_add(r, s);
	}
	if (r->last.nfields == 0)
		return 0;
	*out = r->last;
	return 1;
}

void
tv_rec_close(struct tv_reader *r)
{
	rec_clear(&r->last);
	fclose(r->fp);
	free(r->line);
	free(r);
}

const char *
tv_rec_get(const struct tv_record *rec, const char *name)
{
	int i;

	for (i = 0; i < rec->nfields; i++)
		if (strcmp(rec->name[i], name) == 0)
			return rec->value[i];
	return NULL;
}

void
tv_report(const char *file, unsigned run, unsigned passed)
{
	printf("vectors: %s: %u run, %u passed\n", file, run, passed);
	fflush(stdout);
	if (run == 0)
		fail_msg("%s: no vector ran", file);
	if (passed != run)
		fail_msg("%s: %u of %u vectors failed", file, run - passed, run);
}

const uint8_t tv_p256_order[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};
const uint8_t tv_p384_order[48] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
	0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a,
	0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
};

int
tv_is_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

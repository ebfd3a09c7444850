/* testvec.h: loading the shared test-vector files (Wycheproof JSON, Botan .vec, CCTV text). */
#ifndef MP_TESTVEC_H
#define MP_TESTVEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

/*
 * The vectors live outside the repository; their directory comes from the
 * MP_VECTORS_DIR environment variable (set by `make check`). A missing file
 * fails the test: a vector suite never passes by running nothing.
 */

/* Full path of a file under the vectors directory (static buffer). */
const char *tv_path(const char *relpath);

/* Parse a JSON file under the vectors directory; fails the test on error. */
json_t *tv_load_json(const char *relpath);

/* Decode hex (either case) into a fresh allocation; *len gets its length.
 * Fails the test on bad hex. Never returns NULL (empty input gives a
 * 1-byte allocation with *len = 0). */
uint8_t *tv_unhex(const char *hex, size_t *len);

/* String member of a JSON object, or fail the test. */
const char *tv_str(const json_t *obj, const char *key);

/* Hex member of a JSON object decoded, or fail the test. */
uint8_t *tv_hexfield(const json_t *obj, const char *key, size_t *len);

/* Integer member of a JSON object, or fail the test. */
long long tv_int(const json_t *obj, const char *key);

/*
 * Line-oriented "Name = value" records (Botan .vec, CCTV .txt): records are
 * separated by blank lines, "#" starts a comment line, "[Section]" lines set
 * the current section. tv_rec_next() returns 1 with a record, 0 at the end.
 */
#define TV_REC_MAX_FIELDS 16
struct tv_record {
	char section[64];
	int nfields;
	char *name[TV_REC_MAX_FIELDS];
	char *value[TV_REC_MAX_FIELDS];
};
struct tv_reader;
struct tv_reader *tv_rec_open(const char *relpath);	/* fails test if missing */
int tv_rec_next(struct tv_reader *r, struct tv_record *rec);
void tv_rec_close(struct tv_reader *r);
/* Value of a field in the record, or NULL. */
const char *tv_rec_get(const struct tv_record *rec, const char *name);

/* Print "vectors: FILE: N run, N passed" and fail the test unless all
 * run vectors passed and at least one ran. */
void tv_report(const char *file, unsigned run, unsigned passed);

/* Orders n of the P-256 and P-384 groups, big-endian. */
extern const uint8_t tv_p256_order[32];
extern const uint8_t tv_p384_order[48];

/* 1 if all len bytes are zero. */
int tv_is_zero(const uint8_t *p, size_t len);

#endif

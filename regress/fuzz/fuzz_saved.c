/* fuzz_saved.c: libFuzzer harness for mp's saved-session files: an accepted text has a 32- or 48-byte id and is exactly the text saved_store() writes for it; saved_load() of the same bytes agrees and leaves nothing behind when it refuses. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"

/* The fuzzers link libmpcommon and libmptest only: the client's file
 * comes in here. */
#include "client/client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

static char file[] = "/tmp/fuzz_saved.XXXXXX";
static int file_fd = -1;

static void
remove_file(void)
{
	unlink(file);
}

/* The scratch file saved_load() reads (mode 0600, the user's). */
static int
scratch(void)
{
	if (file_fd == -1 && (file_fd = mkstemp(file)) != -1)
		atexit(remove_file);
	return file_fd;
}

static void
hex(char *out, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* text is exactly what saved_store() writes for s. */
static void
check_canonical(const char *text, const struct saved_session *s)
{
	char id[2 * sizeof(s->id) + 1], secret[2 * sizeof(s->secret) + 1];
	char want[SAVED_FILE_MAX];

	hex(id, s->id, s->id_len);
	hex(secret, s->secret, sizeof(s->secret));
	snprintf(want, sizeof(want), "%s\nid %s\nsecret %s\n", SAVED_MAGIC,
	    id, secret);
	check(strcmp(text, want) == 0);
}

/* The same bytes as a file: the same answer, s zeroed on refusal. */
static void
check_load(const char *text, size_t len, int want,
    const struct saved_session *parsed)
{
	static const struct saved_session zero;
	struct saved_session s;
	int fd = scratch();

	if (fd == -1 || ftruncate(fd, 0) != 0 ||
	    pwrite(fd, text, len, 0) != (ssize_t)len)
		return;
	memset(&s, 0xa5, sizeof(s));
	check(saved_load(file, &s) == want);
	check(memcmp(&s, want != 0 ? &zero : parsed, sizeof(s)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct saved_session s;
	char *text;
	int r;

	if ((text = malloc(len + 1)) == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	memset(&s, 0, sizeof(s));
	r = saved_parse(text, &s);
	check(r == 0 || r == MP_ERR_INVALID_FORMAT);
	if (r == 0) {
		check(s.id_len == 32 || s.id_len == 48);
		check_canonical(text, &s);
	}
	/* saved_load() reads 1024 bytes and stops at a NUL. */
	if (len <= SAVED_FILE_MAX && strlen(text) == len)
		check_load(text, len, r, &s);
	free(text);
	return 0;
}

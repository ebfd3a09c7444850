/* fuzz_pubkey.c: libFuzzer harness for the public key blob and line parsers: parse, re-encode, compare, fingerprint. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/pubkey.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void
show(const struct sig_key *key)
{
	char fp[PUBKEY_FP_SIZE], art[PUBKEY_RANDOMART_SIZE];

	if (pubkey_fingerprint(key, fp) != 0 || pubkey_randomart(key, art) != 0)
		__builtin_trap();
}

/* A parsed blob must be the one canonical encoding of its key. */
static void
check_blob(const uint8_t *data, size_t len)
{
	struct sig_key *key;
	struct buf *b;

	if (pubkey_from_blob(data, len, &key, NULL) != 0)
		return;
	if ((b = buf_new(PUBKEY_BLOB_MAX)) == NULL)
		__builtin_trap();
	if (pubkey_put_blob(b, key) != 0 || buf_len(b) != len ||
	    memcmp(buf_ptr(b), data, len) != 0)
		__builtin_trap();
	show(key);
	buf_free(b);
	sig_free(key);
}

/* A parsed line formats back to itself (an empty comment may have been
 * written with its separating space). */
static void
check_line(const char *line, size_t len)
{
	struct sig_key *key;
	char *comment, *again;
	size_t n;

	if (pubkey_parse_line(line, len, &key, &comment, NULL) != 0)
		return;
	if (pubkey_format_line(key, comment, &again) != 0)
		__builtin_trap();
	n = strlen(again);
	if (memcmp(again, line, n) != 0 || !(n == len ||
	    (n + 1 == len && comment[0] == '\0' && line[n] == ' ')))
		__builtin_trap();
	show(key);
	free(again);
	free(comment);
	sig_free(key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int ready;

	if (!ready && mp_crypto_init() != 0)
		__builtin_trap();
	ready = 1;
	check_blob(data, len);
	check_line((const char *)data, len);
	return 0;
}

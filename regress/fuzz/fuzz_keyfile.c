/* fuzz_keyfile.c: libFuzzer harness for the private key file reader: armour, structure, checksum, plaintext section. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/keyfile.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* A key read back must survive writing and reading again. */
static void
check_reencode(const struct sig_key *key, const char *comment)
{
	struct sig_key *back;
	struct buf *out;

	if ((out = buf_new(KEYFILE_SIZE_MAX)) == NULL)
		__builtin_trap();
	if (keyfile_encode(key, comment, NULL, NULL, out) != 0 ||
	    keyfile_decode(buf_ptr(out), buf_len(out), NULL, &back,
	    NULL) != 0 || !sig_key_equal(key, back))
		__builtin_trap();
	sig_free(back);
	buf_free(out);
}

/*
 * No passphrase is given: an encrypted file stops before Argon2id (whose
 * cost a file may set as high as 256 MiB), while files with cipher
 * "none" reach the private section parser, the same code that reads a
 * decrypted section.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int ready;
	struct sig_key *key, *pub;
	char *comment;
	int r;

	if (!ready && mp_crypto_init() != 0)
		__builtin_trap();
	ready = 1;
	r = keyfile_decode(data, len, NULL, &key, &comment);
	if (r == 0) {
		check_reencode(key, comment);
		free(comment);
		sig_free(key);
	}
	if (keyfile_decode_public(data, len, &pub, &comment) == 0) {
		/* The public view agrees with the full reading. */
		if (r != 0 && r != MP_ERR_NEED_PASSPHRASE)
			__builtin_trap();
		free(comment);
		sig_free(pub);
	}
	return 0;
}

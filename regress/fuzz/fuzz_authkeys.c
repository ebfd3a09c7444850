/* fuzz_authkeys.c: libFuzzer harness for the authorized_keys parser and the from= pattern matcher. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/authkeys.h"
#include "common/err.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* The key that the seeds use (RFC 8032 test 1). */
static const uint8_t ed_pub[32] = {
	0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7,
	0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
	0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
	0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
};

/* A found entry must be consistent with the file and the limits. */
static void
check_match(const struct authkeys_match *m, size_t len, int permit)
{
	if (m->line == 0 || m->line > len + 1 || m->comment == NULL ||
	    m->nenv > AUTHKEYS_ENV_MAX || (!permit && m->nenv != 0) ||
	    (m->restricted && !m->no_pty) ||
	    (m->from != NULL && authkeys_from_matches(m->from,
	    "192.0.2.1") != 1))
		__builtin_trap();
}

static void
run(const char *text, size_t len, const struct sig_key *key, int permit)
{
	struct authkeys_match m;
	struct authkeys_error e;
	int r;

	r = authkeys_find(text, len, key, "192.0.2.1", permit, &m, &e);
	if (r == 0)
		check_match(&m, len, permit);
	else if (r != MP_ERR_NOT_FOUND && r != MP_ERR_ALLOC)
		__builtin_trap();
	if (e.line != 0 && (e.nbad == 0 || e.msg[0] == '\0'))
		__builtin_trap();
	authkeys_match_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct sig_key *key;
	char *pat;

	if (key == NULL && (mp_crypto_init() != 0 ||
	    sig_from_public(sig_by_name("ed25519"), ed_pub, sizeof(ed_pub),
	    &key) != 0))
		__builtin_trap();
	run((const char *)data, len, key, 0);
	run((const char *)data, len, key, 1);
	if ((pat = strndup((const char *)data, len)) == NULL)
		return 0;
	(void)authkeys_from_matches(pat, "2001:db8::1");
	free(pat);
	return 0;
}

/* fuzz_knownhosts.c: libFuzzer harness for known_hosts lookup and removal: removing a host leaves it unknown. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/knownhosts.h"
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

static enum kh_status
status(const char *text, size_t len, const char *host, unsigned int port,
    const struct sig_key *key)
{
	struct knownhosts_result res;

	if (knownhosts_check(text, len, host, port, key, &res) != 0)
		__builtin_trap();
	if ((res.status == KH_UNKNOWN) != (res.line == 0))
		__builtin_trap();
	return res.status;
}

/* After removing host:port, nothing may be known about it; nothing
 * removed means an unchanged file. */
static void
check_remove(const char *text, size_t len, const char *host,
    unsigned int port, const struct sig_key *key)
{
	struct buf *out;
	size_t removed;

	(void)status(text, len, host, port, key);
	if ((out = buf_new(len + 1)) == NULL)
		return;
	if (knownhosts_remove(text, len, host, port, out, &removed) != 0)
		__builtin_trap();
	if (status((const char *)buf_ptr(out), buf_len(out), host, port,
	    key) != KH_UNKNOWN)
		__builtin_trap();
	if (removed == 0 && (buf_len(out) != len ||
	    memcmp(buf_ptr(out), text, len) != 0))
		__builtin_trap();
	buf_free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct sig_key *key;

	if (key == NULL && (mp_crypto_init() != 0 ||
	    sig_from_public(sig_by_name("ed25519"), ed_pub, sizeof(ed_pub),
	    &key) != 0))
		__builtin_trap();
	check_remove((const char *)data, len, "host.example.org", 40404, key);
	check_remove((const char *)data, len, "192.0.2.1", 2222, key);
	return 0;
}

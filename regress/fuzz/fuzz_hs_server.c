/* fuzz_hs_server.c: libFuzzer harness: arbitrary bytes from a "client" to a fresh handshake server with a fake monitor, fed whole and in small pieces, which must end alike. */
#include <stddef.h>
#include <stdint.h>

#include "common/crypto/random.h"
#include "regress/unittests/hs_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Feed a fresh server in chunks of chunk bytes; its result. */
static int
feed(const uint8_t *data, size_t len, size_t chunk)
{
	struct hs_server *s;
	struct buf *out;
	struct fake f;
	size_t off, n;
	int r = HS_CONTINUE;

	fake_init(&f, "ed25519,ecdsa-p256");
	if ((s = hs_server_new(NULL, "fuzz", &f.ops, &f)) == NULL ||
	    (out = buf_new(FAKE_IO_MAX)) == NULL)
		__builtin_trap();
	for (off = 0; off < len && r == HS_CONTINUE; off += n) {
		n = len - off < chunk ? len - off : chunk;
		r = hs_server_input(s, data + off, n, out);
	}
	/* The monitor signs at most once, and a finished machine stays so. */
	if (f.sign_calls > 1 || (r != HS_CONTINUE &&
	    hs_server_input(s, data, len, out) != r))
		__builtin_trap();
	buf_free(out);
	hs_server_free(s);
	fake_free(&f);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int ready;

	if (!ready && mp_crypto_init() != 0)
		__builtin_trap();
	ready = 1;
	if (feed(data, len, len + 1) != feed(data, len, len <= 4096 ? 1 : 97))
		__builtin_trap();
	return 0;
}

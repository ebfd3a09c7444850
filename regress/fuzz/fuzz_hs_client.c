/* fuzz_hs_client.c: libFuzzer harness: arbitrary bytes from a "server" to a handshake client after its first flight, fed whole and in small pieces, which must end alike. */
#include <stddef.h>
#include <stdint.h>

#include "common/crypto/random.h"
#include "regress/unittests/hs_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static char term[] = "xterm", mode[] = "statesync", command[] = "";
static struct fake_id id;

/* Feed a fresh client in chunks of chunk bytes; its result. */
static int
feed(const uint8_t *data, size_t len, size_t chunk)
{
	struct hs_identity ids[1] = { fake_identity(&id) };
	struct hs_client_params p = { 0 };
	struct hs_client *c;
	struct buf *out;
	size_t off, n;
	int r;

	p.user = "alice";
	p.ids = ids;
	p.nids = 1;
	p.verify_host = fake_verify_host;
	p.request.type = HS_REQ_NEW;
	p.request.term = term;
	p.request.mode = mode;
	p.request.command = command;
	p.request.cols = 80;
	p.request.rows = 24;
	if ((c = hs_client_new(NULL, "fuzz", &p)) == NULL ||
	    (out = buf_new(FAKE_IO_MAX)) == NULL ||
	    (r = hs_client_start(c, out)) != HS_CONTINUE)
		__builtin_trap();
	for (off = 0; off < len && r == HS_CONTINUE; off += n) {
		n = len - off < chunk ? len - off : chunk;
		r = hs_client_input(c, data + off, n, out);
	}
	if (r != HS_CONTINUE && hs_client_input(c, data, len, out) != r)
		__builtin_trap();
	buf_free(out);
	hs_client_free(c);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int ready;

	if (!ready) {
		if (mp_crypto_init() != 0)
			__builtin_trap();
		fake_id_init(&id, "ed25519");
		ready = 1;
	}
	if (feed(data, len, len + 1) != feed(data, len, len <= 4096 ? 1 : 97))
		__builtin_trap();
	return 0;
}

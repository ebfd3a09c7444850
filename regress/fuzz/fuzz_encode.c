/* fuzz_encode.c: libFuzzer harness for the strict base64 and hex decoders: decode, re-encode, compare. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/encode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void
check_b64(const char *text, size_t len, int pad)
{
	static uint8_t out[65536];
	static char again[65536 * 2];
	size_t n;

	if (b64_decode(text, len, out, sizeof(out), &n, pad) != 0)
		return;
	/* Strict decoding means exactly one text per value. */
	b64_encode(out, n, again, pad);
	if (strlen(again) != len || memcmp(again, text, len) != 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t out[65536];
	size_t n;

	if (len > 65536)
		return 0;
	check_b64((const char *)data, len, 1);
	check_b64((const char *)data, len, 0);
	(void)hex_decode((const char *)data, len, out, sizeof(out), &n);
	return 0;
}

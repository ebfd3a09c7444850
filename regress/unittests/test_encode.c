/* test_encode.c: unit tests of base64 and hex, including the strictness that keeps one encoding per value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/encode.h"
#include "common/err.h"

/* RFC 4648 section 10 test vectors. */
static const struct {
	const char *in, *padded, *unpadded;
} rfc4648[] = {
	{ "", "", "" },
	{ "f", "Zg==", "Zg" },
	{ "fo", "Zm8=", "Zm8" },
	{ "foo", "Zm9v", "Zm9v" },
	{ "foob", "Zm9vYg==", "Zm9vYg" },
	{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static void
test_b64_rfc4648(void **state)
{
	char out[16];
	uint8_t dec[16];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		const uint8_t *in = (const uint8_t *)rfc4648[i].in;
		size_t len = strlen(rfc4648[i].in);

		b64_encode(in, len, out, 1);
		assert_string_equal(out, rfc4648[i].padded);
		assert_int_equal(b64_encoded_len(len, 1), strlen(out));
		b64_encode(in, len, out, 0);
		assert_string_equal(out, rfc4648[i].unpadded);
		assert_int_equal(b64_encoded_len(len, 0), strlen(out));
		assert_int_equal(b64_decode(rfc4648[i].padded,
		    strlen(rfc4648[i].padded), dec, sizeof(dec), &n, 1), 0);
		assert_int_equal(n, len);
		assert_memory_equal(dec, in, len);
		assert_int_equal(b64_decode(rfc4648[i].unpadded,
		    strlen(rfc4648[i].unpadded), dec, sizeof(dec), &n, 0), 0);
		assert_int_equal(n, len);
		assert_memory_equal(dec, in, len);
	}
}

static void
test_b64_rejects(void **state)
{
	static const char *bad_padded[] = {
		"Zg=", "Zg", "Z===", "Zm9v\n", " Zm9v", "Zm9v=", "Zh==",
		"Zm9=", "Zm-v", "Zm9v====", "=Zm9", "Zg=a",
	};
	static const char *bad_unpadded[] = { "Zg==", "Z", "Zh", "Zm9", "Zm_v" };
	uint8_t dec[16];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad_padded) / sizeof(bad_padded[0]); i++)
		assert_int_equal(b64_decode(bad_padded[i], strlen(bad_padded[i]),
		    dec, sizeof(dec), &n, 1), MP_ERR_INVALID_FORMAT);
	for (i = 0; i < sizeof(bad_unpadded) / sizeof(bad_unpadded[0]); i++)
		assert_int_equal(b64_decode(bad_unpadded[i],
		    strlen(bad_unpadded[i]), dec, sizeof(dec), &n, 0),
		    MP_ERR_INVALID_FORMAT);
	/* Bytes with the top bit set are not part of the alphabet, even
	 * where the low seven bits name a character (libsodium 1.0.18 took
	 * "\xaf" for "/"). */
	assert_int_equal(b64_decode("Zm8\xaf", 4, dec, sizeof(dec), &n, 1),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(b64_decode("Zm\xb9v", 4, dec, sizeof(dec), &n, 1),
	    MP_ERR_INVALID_FORMAT);
	/* An embedded NUL is not part of the alphabet. */
	assert_int_equal(b64_decode("Zm\0v", 4, dec, sizeof(dec), &n, 1),
	    MP_ERR_INVALID_FORMAT);
	/* Output space is checked before writing. */
	assert_int_equal(b64_decode("Zm9vYmFy", 8, dec, 5, &n, 1),
	    MP_ERR_NO_SPACE);
}

static void
test_b64_all_byte_values(void **state)
{
	uint8_t in[256], dec[256];
	char out[400];
	size_t i, n, len;

	(void)state;
	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	for (len = 0; len <= 256; len += 37) {
		b64_encode(in, len, out, 1);
		assert_int_equal(b64_decode(out, strlen(out), dec, sizeof(dec),
		    &n, 1), 0);
		assert_int_equal(n, len);
		assert_memory_equal(dec, in, len);
	}
}

static void
test_hex(void **state)
{
	static const uint8_t in[] = { 0x00, 0x7f, 0x80, 0xff, 0xab };
	uint8_t dec[8];
	char out[16];
	size_t n;

	(void)state;
	hex_encode(in, sizeof(in), out);
	assert_string_equal(out, "007f80ffab");
	assert_int_equal(hex_decode("007F80FFab", 10, dec, sizeof(dec), &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(dec, in, 5);
	assert_int_equal(hex_decode("abc", 3, dec, sizeof(dec), &n),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(hex_decode("zz", 2, dec, sizeof(dec), &n),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(hex_decode("0011", 4, dec, 1, &n), MP_ERR_NO_SPACE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_rfc4648),
		cmocka_unit_test(test_b64_rejects),
		cmocka_unit_test(test_b64_all_byte_values),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}

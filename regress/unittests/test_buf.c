/* test_buf.c: unit tests of the bounded buffer API, including misuse and hostile lengths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"

static void
test_integers_round_trip(void **state)
{
	struct buf *b = buf_new(64);
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	assert_non_null(b);
	assert_int_equal(buf_put_u8(b, 0xab), 0);
	assert_int_equal(buf_put_u16(b, 0x1234), 0);
	assert_int_equal(buf_put_u32(b, 0xdeadbeef), 0);
	assert_int_equal(buf_put_u64(b, 0x0102030405060708ull), 0);
	assert_int_equal(buf_len(b), 15);
	/* Big-endian on the wire. */
	assert_memory_equal(buf_ptr(b), "\xab\x12\x34\xde\xad\xbe\xef"
	    "\x01\x02\x03\x04\x05\x06\x07\x08", 15);
	assert_int_equal(buf_get_u8(b, &u8), 0);
	assert_int_equal(buf_get_u16(b, &u16), 0);
	assert_int_equal(buf_get_u32(b, &u32), 0);
	assert_int_equal(buf_get_u64(b, &u64), 0);
	assert_int_equal(u8, 0xab);
	assert_int_equal(u16, 0x1234);
	assert_int_equal(u32, 0xdeadbeef);
	assert_true(u64 == 0x0102030405060708ull);
	assert_int_equal(buf_expect_end(b), 0);
	buf_free(b);
}

static void
test_get_past_end_leaves_buffer_unchanged(void **state)
{
	static const uint8_t three[] = { 1, 2, 3 };
	struct buf *b = buf_from(three, sizeof(three));
	uint32_t u32 = 7;
	uint8_t out[4];

	(void)state;
	assert_int_equal(buf_get_u32(b, &u32), MP_ERR_INCOMPLETE);
	assert_int_equal(u32, 7);
	assert_int_equal(buf_get(b, out, 4), MP_ERR_INCOMPLETE);
	assert_int_equal(buf_len(b), 3);
	assert_int_equal(buf_consume(b, 4), MP_ERR_INCOMPLETE);
	assert_int_equal(buf_expect_end(b), MP_ERR_TRAILING_DATA);
	assert_int_equal(buf_get(b, out, 3), 0);
	assert_memory_equal(out, three, 3);
	assert_int_equal(buf_expect_end(b), 0);
	buf_free(b);
}

static void
test_max_size_enforced(void **state)
{
	struct buf *b = buf_new(10);
	uint8_t data[11] = { 0 };

	(void)state;
	assert_int_equal(buf_put(b, data, 11), MP_ERR_NO_SPACE);
	assert_int_equal(buf_len(b), 0);
	assert_int_equal(buf_put(b, data, 10), 0);
	assert_int_equal(buf_put_u8(b, 1), MP_ERR_NO_SPACE);
	/* A string header plus body must fit whole or not at all. */
	assert_int_equal(buf_consume(b, 5), 0);
	assert_int_equal(buf_put_string(b, data, 2), MP_ERR_NO_SPACE);
	assert_int_equal(buf_len(b), 5);
	assert_int_equal(buf_put_string(b, data, 1), 0);
	assert_int_equal(buf_len(b), 10);
	buf_free(b);
	assert_null(buf_new(0));
	assert_null(buf_new(BUF_SIZE_MAX + 1));
}

static void
test_growth_keeps_content(void **state)
{
	struct buf *b = buf_new(BUF_SIZE_MAX);
	uint32_t i, v;

	(void)state;
	for (i = 0; i < 100000; i++)
		assert_int_equal(buf_put_u32(b, i), 0);
	for (i = 0; i < 100000; i++) {
		assert_int_equal(buf_get_u32(b, &v), 0);
		assert_int_equal(v, i);
	}
	assert_int_equal(buf_len(b), 0);
	buf_free(b);
}

static void
test_strings(void **state)
{
	struct buf *b = buf_new(1024);
	const uint8_t *p;
	size_t len;
	char *s;
	uint8_t exact[4];

	(void)state;
	assert_int_equal(buf_put_cstring(b, "hello"), 0);
	assert_int_equal(buf_put_string(b, "", 0), 0);
	assert_int_equal(buf_put_string(b, "abcd", 4), 0);
	assert_int_equal(buf_put_cstring(b, "toolong"), 0);
	assert_int_equal(buf_get_cstring(b, &s, 64), 0);
	assert_string_equal(s, "hello");
	free(s);
	assert_int_equal(buf_get_string_direct(b, &p, &len, 64), 0);
	assert_int_equal(len, 0);
	assert_int_equal(buf_get_string_exact(b, exact, 4), 0);
	assert_memory_equal(exact, "abcd", 4);
	/* Over the caller's limit: refused, nothing consumed. */
	assert_int_equal(buf_get_string_direct(b, &p, &len, 6), MP_ERR_TOO_LARGE);
	assert_int_equal(buf_get_string_exact(b, exact, 4), MP_ERR_KEY_LENGTH);
	assert_int_equal(buf_get_string_direct(b, &p, &len, 7), 0);
	assert_memory_equal(p, "toolong", 7);
	buf_free(b);
}

static void
test_hostile_string_lengths(void **state)
{
	/* Length 0xffffffff with 2 bytes of body; and an embedded NUL. */
	static const uint8_t huge[] = { 0xff, 0xff, 0xff, 0xff, 'a', 'b' };
	static const uint8_t shortbody[] = { 0, 0, 0, 5, 'a', 'b' };
	static const uint8_t nul[] = { 0, 0, 0, 3, 'a', 0, 'b' };
	static const uint8_t header_only[] = { 0, 0, 0 };
	struct buf *b;
	const uint8_t *p;
	size_t len;
	char *s = NULL;

	(void)state;
	b = buf_from(huge, sizeof(huge));
	assert_int_equal(buf_get_string_direct(b, &p, &len, SIZE_MAX),
	    MP_ERR_TOO_LARGE);
	assert_int_equal(buf_len(b), sizeof(huge));
	buf_free(b);

	b = buf_from(shortbody, sizeof(shortbody));
	assert_int_equal(buf_get_string_direct(b, &p, &len, 64),
	    MP_ERR_INCOMPLETE);
	assert_int_equal(buf_len(b), sizeof(shortbody));
	buf_free(b);

	b = buf_from(nul, sizeof(nul));
	assert_int_equal(buf_get_cstring(b, &s, 64), MP_ERR_INVALID_FORMAT);
	assert_null(s);
	assert_int_equal(buf_len(b), sizeof(nul));
	buf_free(b);

	b = buf_from(header_only, sizeof(header_only));
	assert_int_equal(buf_get_string_direct(b, &p, &len, 64),
	    MP_ERR_INCOMPLETE);
	buf_free(b);
}

static void
test_readonly_refuses_puts(void **state)
{
	static const uint8_t data[] = { 1, 2 };
	struct buf *b = buf_from(data, sizeof(data));

	(void)state;
	assert_int_not_equal(buf_put_u8(b, 3), 0);
	assert_int_equal(buf_len(b), 2);
	buf_free(b);
}

static void
test_reserve_consume_end_reset(void **state)
{
	struct buf *b = buf_new(32), *v = buf_new(32);
	uint8_t *p;

	(void)state;
	assert_int_equal(buf_reserve(b, 4, &p), 0);
	memcpy(p, "wxyz", 4);
	assert_int_equal(buf_consume_end(b, 2), 0);
	assert_int_equal(buf_len(b), 2);
	assert_memory_equal(buf_ptr(b), "wx", 2);
	assert_int_equal(buf_consume_end(b, 3), MP_ERR_INCOMPLETE);
	assert_int_equal(buf_put_stringb(v, b), 0);
	assert_memory_equal(buf_ptr(v), "\0\0\0\2wx", 6);
	buf_reset(b);
	assert_int_equal(buf_len(b), 0);
	assert_int_equal(buf_max_size(b), 32);
	buf_free(b);
	buf_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_round_trip),
		cmocka_unit_test(test_get_past_end_leaves_buffer_unchanged),
		cmocka_unit_test(test_max_size_enforced),
		cmocka_unit_test(test_growth_keeps_content),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_hostile_string_lengths),
		cmocka_unit_test(test_readonly_refuses_puts),
		cmocka_unit_test(test_reserve_consume_end_reset),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}

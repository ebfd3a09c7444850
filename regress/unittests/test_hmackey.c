/* test_hmackey.c: the keyed HMAC agrees with the one-shot HMAC and rejects any altered tag. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/crypto/hash.h"
#include "common/crypto/hmackey.h"
#include "common/crypto/random.h"

static void
agree(enum hash_alg alg)
{
	uint8_t key[200], data[300], want[HASH_MAX_BYTES], got[HASH_MAX_BYTES];
	struct hmac_key *k;
	size_t klen, dlen, i;

	for (klen = 0; klen <= sizeof(key); klen += 25) {
		mp_random(key, klen);
		assert_non_null(k = hmac_key_new(alg, key, klen));
		for (dlen = 0; dlen <= sizeof(data); dlen += 61) {
			mp_random(data, dlen);
			assert_int_equal(hmac(alg, key, klen, data, dlen, want), 0);
			/* Twice: the keyed state is reused, not consumed. */
			hmac_key_tag(k, data, dlen, got);
			hmac_key_tag(k, data, dlen, got);
			assert_memory_equal(got, want, hash_len(alg));
			assert_int_equal(hmac_key_check(k, data, dlen, want), 0);
			for (i = 0; i < hash_len(alg); i += 7) {
				want[i] ^= 0x40;
				assert_int_equal(hmac_key_check(k, data, dlen,
				    want), MP_ERR_AUTH);
				want[i] ^= 0x40;
			}
		}
		hmac_key_free(k);
	}
}

static void
test_sha256_agrees(void **state)
{
	(void)state;
	agree(HASH_SHA256);
}

static void
test_sha512_agrees(void **state)
{
	(void)state;
	agree(HASH_SHA512);
}

static void
test_sha384_refused(void **state)
{
	uint8_t key[32] = { 0 };

	(void)state;
	assert_null(hmac_key_new(HASH_SHA384, key, sizeof(key)));
	hmac_key_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_agrees),
		cmocka_unit_test(test_sha512_agrees),
		cmocka_unit_test(test_sha384_refused),
	};

	assert_int_equal(mp_crypto_init(), 0);
	return cmocka_run_group_tests_name("hmackey", tests, NULL, NULL);
}

/* test_mon_keys.c: unit tests of the monitor's check of the session keys the preauth net child exports: only keys for the H the monitor signed, naming a new session by it, with the host key in use, are taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ipc.h"
#include "common/monmsg.h"
#include "monitor/monitor.h"
#include "regress/unittests/chan_fixture.h"

static const struct hostkey hk = { NULL, "ed25519" };

/* A monitor that signed H = 0x11... (32 bytes) with an ed25519 key. */
static void
signed_conn(struct mon_conn *mc)
{
	memset(mc, 0, sizeof(*mc));
	mc->hostkey = &hk;
	mc->signed_h = 1;
	mc->h_len = 32;
	memset(mc->h, 0x11, 32);
}

static int
check(const struct mon_conn *mc, const struct hs_keys *k)
{
	struct buf *b = buf_new(IPC_PAYLOAD_MAX);
	int r;

	assert_non_null(b);
	assert_int_equal(monmsg_put_keys(b, k), 0);
	r = mon_keys_check(mc, b);
	/* The message is left whole for the session net child. */
	assert_int_equal(monmsg_get_keys(b, &(struct hs_keys){ 0 }), 0);
	buf_free(b);
	return r;
}

static void
test_keys_of_the_signed_h(void **state)
{
	struct mon_conn mc;
	struct hs_keys k;

	(void)state;
	signed_conn(&mc);
	chfx_session_keys(&k);
	assert_int_equal(check(&mc, &k), 0);
}

static void
test_keys_of_another_h(void **state)
{
	struct mon_conn mc;
	struct hs_keys k;

	(void)state;
	signed_conn(&mc);
	chfx_session_keys(&k);
	k.h[31] ^= 1;
	assert_int_not_equal(check(&mc, &k), 0);
	chfx_session_keys(&k);
	k.h_len = k.session_id_len = 48;
	assert_int_not_equal(check(&mc, &k), 0);
	/* Nothing was signed: no keys at all. */
	chfx_session_keys(&k);
	mc.signed_h = 0;
	assert_int_not_equal(check(&mc, &k), 0);
}

/* A new session is named by this connection's H (no resume yet). */
static void
test_keys_of_another_session(void **state)
{
	struct mon_conn mc;
	struct hs_keys k;

	(void)state;
	signed_conn(&mc);
	chfx_session_keys(&k);
	memset(k.session_id, 0x22, 32);
	assert_int_not_equal(check(&mc, &k), 0);
}

static void
test_keys_of_another_host_key(void **state)
{
	struct mon_conn mc;
	struct hs_keys k;

	(void)state;
	signed_conn(&mc);
	chfx_session_keys(&k);
	strcpy(k.hostkey, "ecdsa-p256");
	assert_int_not_equal(check(&mc, &k), 0);
}

static void
test_keys_malformed(void **state)
{
	struct mon_conn mc;
	struct buf *b = buf_new(IPC_PAYLOAD_MAX);
	struct hs_keys k;

	(void)state;
	signed_conn(&mc);
	chfx_session_keys(&k);
	assert_non_null(b);
	assert_int_equal(monmsg_put_keys(b, &k), 0);
	assert_int_equal(buf_put_u8(b, 0), 0);	/* a trailing byte */
	assert_int_not_equal(mon_keys_check(&mc, b), 0);
	buf_reset(b);
	assert_int_not_equal(mon_keys_check(&mc, b), 0);	/* empty */
	buf_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_of_the_signed_h),
		cmocka_unit_test(test_keys_of_another_h),
		cmocka_unit_test(test_keys_of_another_session),
		cmocka_unit_test(test_keys_of_another_host_key),
		cmocka_unit_test(test_keys_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

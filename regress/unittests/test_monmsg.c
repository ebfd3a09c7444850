/* test_monmsg.c: unit tests of the monitor/net-child message codecs: round trips, and refusal of truncated, oversized, trailing and out-of-range input. */
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
#include "regress/unittests/chan_fixture.h"

static const struct hs_keys erased;	/* keys after a refusal */

static struct buf *
fresh(void)
{
	struct buf *b = buf_new(IPC_PAYLOAD_MAX);

	assert_non_null(b);
	return b;
}

static void
test_keys_round_trip(void **state)
{
	struct hs_keys k, got;
	struct buf *b = fresh();

	(void)state;
	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_keys(b, &k), 0);
	assert_int_equal(monmsg_get_keys(b, &got), 0);
	assert_memory_equal(&k, &got, sizeof(k));
	buf_free(b);
}

/* Every strict prefix of a valid message is refused, and so is one
 * more byte; the keys come back erased. */
static void
test_keys_truncated_and_trailing(void **state)
{
	struct hs_keys k, got;
	struct buf *b = fresh(), *cut;
	size_t n, i;

	(void)state;
	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_keys(b, &k), 0);
	n = buf_len(b);
	for (i = 0; i < n; i++) {
		cut = buf_from(buf_ptr(b), i);
		assert_non_null(cut);
		assert_int_not_equal(monmsg_get_keys(cut, &got), 0);
		assert_int_equal(got.key_len, 0);
		buf_free(cut);
	}
	assert_int_equal(buf_put_u8(b, 0), 0);
	assert_int_equal(monmsg_get_keys(b, &got), MP_ERR_TRAILING_DATA);
	buf_free(b);
}

static void
test_keys_bad_lengths(void **state)
{
	struct hs_keys k, got;
	struct buf *b = fresh();

	(void)state;
	chfx_session_keys(&k);
	k.h_len = 31;		/* not the length of any exchange hash */
	assert_int_equal(monmsg_put_keys(b, &k), 0);
	assert_int_not_equal(monmsg_get_keys(b, &got), 0);
	buf_free(b);
}

/* c encoded (and one more byte if trailing) and decoded: the decoder's
 * result; on success the same configuration. */
static int
config_trip(const struct mon_config *c, int trailing)
{
	struct mon_config got;
	struct buf *b = fresh();
	int r;

	assert_int_equal(monmsg_put_config(b, c), 0);
	if (trailing)
		assert_int_equal(buf_put_u8(b, 0), 0);
	r = monmsg_get_config(b, &got);
	if (r == 0)
		assert_memory_equal(c, &got, sizeof(*c));
	buf_free(b);
	return r;
}

static void
test_config_round_trip_and_ranges(void **state)
{
	struct mon_config c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.phase = MON_PHASE_SESSION;
	c.uid = 999;
	c.gid = 995;
	strcpy(c.chroot, "/var/empty/mps");
	c.dedicated_user = 1;
	c.grace_ms = 120000;
	c.pacing_us = 1000;
	c.no_pty = 1;
	strcpy(c.hostkey, "ed25519");
	assert_int_equal(config_trip(&c, 0), 0);
	assert_int_equal(config_trip(&c, 1), MP_ERR_TRAILING_DATA);
	c.phase = 3;		/* no such phase */
	assert_int_equal(config_trip(&c, 0), MP_ERR_INVALID_FORMAT);
	c.phase = MON_PHASE_PREAUTH;
	c.no_pty = 2;		/* a flag is 0 or 1 */
	assert_int_equal(config_trip(&c, 0), MP_ERR_INVALID_FORMAT);
}

/* A session with a PTY: its mode, window, push interval and scrollback
 * rate. */
static void
session_config(struct mon_config *c)
{
	*c = (struct mon_config){ .phase = MON_PHASE_SESSION,
	    .mode = MON_MODE_STATESYNC, .cols = 80, .rows = 24,
	    .xpixel = 65535, .ypixel = 480, .push_ms = 30,
	    .scrollback_rate = 0xfffffffe, .warmup_ms = 50,
	    .timeout_s = 3600 };
}

/* A window of 1 to 4096 columns and rows with a PTY; a session without
 * one is reliable; no mode above statesync. */
static void
test_config_session_fields(void **state)
{
	static const struct {
		uint16_t cols, rows;
		uint8_t no_pty, mode;
		int want;
	} cases[] = {
		{ 80, 24, 0, MON_MODE_STATESYNC, 0 },
		{ 1, 1, 0, MON_MODE_DATAGRAM, 0 },
		{ 4096, 4096, 0, MON_MODE_RELIABLE, 0 },
		{ 0, 24, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 4097, 24, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 80, 0, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 80, 4097, 0, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
		{ 80, 24, 0, MON_MODE_STATESYNC + 1, MP_ERR_INVALID_FORMAT },
		{ 80, 24, 0, 255, MP_ERR_INVALID_FORMAT },
		{ 0, 0, 1, MON_MODE_RELIABLE, 0 },
		{ 80, 24, 1, MON_MODE_DATAGRAM, MP_ERR_INVALID_FORMAT },
		{ 80, 24, 1, MON_MODE_STATESYNC, MP_ERR_INVALID_FORMAT },
	};
	struct mon_config c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		session_config(&c);
		c.cols = cases[i].cols;
		c.rows = cases[i].rows;
		c.no_pty = cases[i].no_pty;
		c.mode = cases[i].mode;
		assert_int_equal(config_trip(&c, 0), cases[i].want);
	}
	/* Before login there is no window yet, but still no such mode. */
	session_config(&c);
	c.phase = MON_PHASE_PREAUTH;
	c.cols = c.rows = 0;
	assert_int_equal(config_trip(&c, 0), 0);
	c.mode = MON_MODE_STATESYNC + 1;
	assert_int_equal(config_trip(&c, 0), MP_ERR_INVALID_FORMAT);
}

/* chfx_session_keys() and size encoded (and one more byte if trailing),
 * decoded into got and got_size: the decoder's result; got is the keys
 * on success, erased on failure. */
static int
rekey_trip(const uint16_t size[4], int trailing, struct hs_keys *got,
    uint16_t got_size[4])
{
	struct hs_keys k;
	struct buf *b = fresh();
	int r;

	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_rekey(b, &k, size), 0);
	if (trailing)
		assert_int_equal(buf_put_u8(b, 0), 0);
	memset(got, 0xa5, sizeof(*got));
	r = monmsg_get_rekey(b, got, got_size);
	if (r == 0)
		assert_memory_equal(&k, got, sizeof(k));
	else
		assert_memory_equal(got, &erased, sizeof(*got));
	buf_free(b);
	return r;
}

static void
test_rekey_round_trip(void **state)
{
	static const uint16_t sizes[][4] = {
		{ 80, 24, 640, 480 },
		{ 1, 1, 0, 0 },
		{ 4096, 4096, 65535, 65535 },
	};
	struct hs_keys got;
	uint16_t got_size[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(rekey_trip(sizes[i], 0, &got, got_size), 0);
		assert_memory_equal(got_size, sizes[i], sizeof(got_size));
	}
}

/* Columns or rows out of 1 .. 4096, a trailing byte, any strict prefix:
 * refused, the keys erased. */
static void
test_rekey_refused(void **state)
{
	static const uint16_t sizes[][4] = {
		{ 0, 24, 0, 0 },
		{ 4097, 24, 0, 0 },
		{ 80, 0, 0, 0 },
		{ 80, 65535, 0, 0 },
	};
	static const uint16_t good[4] = { 80, 24, 0, 0 };
	struct hs_keys k, got;
	uint16_t got_size[4];
	struct buf *b = fresh(), *cut;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		assert_int_equal(rekey_trip(sizes[i], 0, &got, got_size),
		    MP_ERR_INVALID_FORMAT);
	assert_int_equal(rekey_trip(good, 1, &got, got_size),
	    MP_ERR_TRAILING_DATA);
	chfx_session_keys(&k);
	assert_int_equal(monmsg_put_rekey(b, &k, good), 0);
	n = buf_len(b);
	for (i = 0; i < n; i++) {
		assert_non_null(cut = buf_from(buf_ptr(b), i));
		memset(&got, 0xa5, sizeof(got));
		assert_int_not_equal(monmsg_get_rekey(cut, &got, got_size), 0);
		assert_memory_equal(&got, &erased, sizeof(got));
		buf_free(cut);
	}
	buf_free(b);
}

static void
test_reply_round_trip(void **state)
{
	struct hs_reply r, got;
	struct buf *b = fresh();

	(void)state;
	memset(&r, 0, sizeof(r));
	r.ok = 1;
	r.udp_port = 50123;
	strcpy(r.mode, "reliable");
	r.nsessions = 1;
	r.sessions[0].session_id_len = 48;
	r.sessions[0].started = 1700000000;
	r.sessions[0].cols = 80;
	r.sessions[0].rows = 24;
	strcpy(r.sessions[0].command, "top");
	assert_int_equal(monmsg_put_reply(b, &r), 0);
	assert_int_equal(monmsg_get_reply(b, &got), 0);
	assert_int_equal(got.ok, 1);
	assert_int_equal(got.udp_port, 50123);
	assert_string_equal(got.mode, "reliable");
	assert_int_equal(got.nsessions, 1);
	assert_string_equal(got.sessions[0].command, "top");
	buf_free(b);
}

static void
test_reply_too_many_sessions(void **state)
{
	struct hs_reply got;
	struct buf *b = fresh();

	(void)state;
	assert_int_equal(buf_put_u8(b, 1), 0);
	assert_int_equal(buf_put_u32(b, 0), 0);
	assert_int_equal(buf_put_cstring(b, ""), 0);
	assert_int_equal(buf_put_u16(b, 1), 0);
	assert_int_equal(buf_put_cstring(b, "reliable"), 0);
	assert_int_equal(buf_put_u32(b, HS_LIST_MAX + 1), 0);
	assert_int_equal(monmsg_get_reply(b, &got), MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

static void
test_result_codes(void **state)
{
	struct buf *b = fresh();
	int r;

	(void)state;
	assert_int_equal(monmsg_put_result(b, MP_ERR_NOT_FOUND), 0);
	assert_int_equal(monmsg_get_result(b, &r), 0);
	assert_int_equal(r, MP_ERR_NOT_FOUND);
	/* A code no sender means reads as an internal error, not as 0. */
	buf_reset(b);
	assert_int_equal(buf_put_u32(b, 0x7fffffff), 0);
	assert_int_equal(monmsg_get_result(b, &r), 0);
	assert_int_equal(r, MP_ERR_INTERNAL);
	assert_int_equal(monmsg_put_result(b, 1), MP_ERR_INVALID_ARGUMENT);
	buf_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_round_trip),
		cmocka_unit_test(test_keys_truncated_and_trailing),
		cmocka_unit_test(test_keys_bad_lengths),
		cmocka_unit_test(test_config_round_trip_and_ranges),
		cmocka_unit_test(test_config_session_fields),
		cmocka_unit_test(test_rekey_round_trip),
		cmocka_unit_test(test_rekey_refused),
		cmocka_unit_test(test_reply_round_trip),
		cmocka_unit_test(test_reply_too_many_sessions),
		cmocka_unit_test(test_result_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_penalty.c: unit tests of the listener's per-source penalties: accumulation, the refusal threshold, the cap, expiry, IPv6 /64 sources and a full table. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/penalty.h"

static struct penalties table;

static struct sockaddr_storage
v4(const char *addr)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	s4->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, addr, &s4->sin_addr), 1);
	return ss;
}

static struct sockaddr_storage
v6(const char *addr)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	s6->sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, addr, &s6->sin6_addr), 1);
	return ss;
}

#define SA(ss)	((const struct sockaddr *)&(ss))

static int
reset(void **state)
{
	(void)state;
	memset(&table, 0, sizeof(table));
	return 0;
}

/* Penalties add up; a source is refused only above the threshold. */
static void
test_threshold(void **state)
{
	struct sockaddr_storage a = v4("192.0.2.1"), b = v4("192.0.2.2");
	uint64_t now = 1000000;

	(void)state;
	penalty_add(&table, SA(a), PENALTY_AUTHFAIL_S, now);
	penalty_add(&table, SA(a), PENALTY_AUTHFAIL_S, now);
	penalty_add(&table, SA(a), PENALTY_AUTHFAIL_S, now);
	assert_int_equal(penalty_refuse(&table, SA(a), now), 0);   /* 15 s */
	penalty_add(&table, SA(a), PENALTY_AUTHFAIL_S, now);
	assert_int_equal(penalty_refuse(&table, SA(a), now), 20);
	assert_int_equal(penalty_refuse(&table, SA(b), now), 0);
	/* Once it owes no more than the threshold it may come back. */
	assert_int_equal(penalty_refuse(&table, SA(a), now + 5000), 0);
}

static void
test_cap_and_expiry(void **state)
{
	struct sockaddr_storage a = v4("198.51.100.7");
	uint64_t now = 5000000;
	int i;

	(void)state;
	for (i = 0; i < 20; i++)
		penalty_add(&table, SA(a), PENALTY_CRASH_S, now);
	assert_int_equal(penalty_refuse(&table, SA(a), now), PENALTY_MAX_S);
	assert_int_equal(penalty_refuse(&table, SA(a),
	    now + PENALTY_MAX_S * 1000ull), 0);
}

/* One IPv6 host usually has a whole /64: it is one source. A v4-mapped
 * address is the IPv4 source. */
static void
test_ipv6_prefix(void **state)
{
	struct sockaddr_storage a = v6("2001:db8:1:2::1");
	struct sockaddr_storage same = v6("2001:db8:1:2:ffff::9");
	struct sockaddr_storage other = v6("2001:db8:1:3::1");
	struct sockaddr_storage mapped = v6("::ffff:192.0.2.9");
	struct sockaddr_storage plain = v4("192.0.2.9");
	uint64_t now = 1000;

	(void)state;
	penalty_add(&table, SA(a), PENALTY_CRASH_S, now);
	assert_true(penalty_refuse(&table, SA(same), now) > 0);
	assert_int_equal(penalty_refuse(&table, SA(other), now), 0);
	penalty_add(&table, SA(mapped), PENALTY_CRASH_S, now);
	assert_true(penalty_refuse(&table, SA(plain), now) > 0);
}

/* A full table makes room from the entry that expires first; it never
 * grows. */
static void
test_full_table(void **state)
{
	struct sockaddr_storage a;
	char addr[32];
	uint64_t now = 1000;
	int i;

	(void)state;
	for (i = 0; i < PENALTY_SLOTS + 10; i++) {
		snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 256, i % 256);
		a = v4(addr);
		penalty_add(&table, SA(a), i < 10 ? 20 : PENALTY_CRASH_S, now);
	}
	a = v4("10.0.2.9");	/* among the last: still there */
	assert_true(penalty_refuse(&table, SA(a), now) > 0);
	a = v4("10.0.0.0");	/* the shortest: made room */
	assert_int_equal(penalty_refuse(&table, SA(a), now), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_threshold, reset),
		cmocka_unit_test_setup(test_cap_and_expiry, reset),
		cmocka_unit_test_setup(test_ipv6_prefix, reset),
		cmocka_unit_test_setup(test_full_table, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

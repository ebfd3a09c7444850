/* match.c: shell-style and CIDR pattern matching shared by authorized_keys and known_hosts. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "common/err.h"
#include "common/match.h"

#define CIDR_TEXT_MAX	(INET6_ADDRSTRLEN + 4)

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int
glob(const char *s, const char *pat, size_t patlen, int fold)
{
	size_t si = 0, pi = 0, star = SIZE_MAX, mark = 0;

	while (s[si] != '\0') {
		if (pi < patlen && (pat[pi] == '?' ||
		    (pat[pi] != '*' && (fold ? lower(pat[pi]) == lower(s[si]) :
		    pat[pi] == s[si])))) {
			si++;
			pi++;
		} else if (pi < patlen && pat[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else
			return 0;
	}
	while (pi < patlen && pat[pi] == '*')
		pi++;
	return pi == patlen;
}

int
match_glob(const char *s, const char *pat, size_t patlen)
{
	return glob(s, pat, patlen, 1);
}

int
match_glob_case(const char *s, const char *pat, size_t patlen)
{
	return glob(s, pat, patlen, 0);
}

/* Prefix length: 1 to 3 decimal digits, at most max. */
static int
parse_bits(const char *s, unsigned int max, unsigned int *bits)
{
	size_t i;

	*bits = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= 3 || s[i] < '0' || s[i] > '9')
			return MP_ERR_INVALID_FORMAT;
		*bits = *bits * 10 + (unsigned int)(s[i] - '0');
	}
	if (i == 0 || *bits > max)
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

/* 1 if the first bits bits of a and b agree. */
static int
prefix_equal(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	size_t full = bits / 8;
	uint8_t mask = (uint8_t)(0xff00 >> (bits % 8));

	if (memcmp(a, b, full) != 0)
		return 0;
	return bits % 8 == 0 || ((a[full] ^ b[full]) & mask) == 0;
}

/* 1 if every bit of net after the first bits bits is zero. */
static int
host_bits_zero(const uint8_t *net, unsigned int bits, size_t alen)
{
	uint8_t keep;
	size_t i;

	for (i = bits / 8; i < alen; i++) {
		keep = i == bits / 8 ? (uint8_t)(0xff00 >> (bits % 8)) : 0;
		if ((net[i] & (uint8_t)~keep) != 0)
			return 0;
	}
	return 1;
}

int
match_cidr(const char *addr, const char *pat, size_t patlen)
{
	char text[CIDR_TEXT_MAX], *slash;
	uint8_t net[16], a[16];
	unsigned int bits;
	size_t alen;
	int af;

	if (patlen >= sizeof(text))
		return MP_ERR_INVALID_FORMAT;
	memcpy(text, pat, patlen);
	text[patlen] = '\0';
	if ((slash = strchr(text, '/')) == NULL)
		return MP_ERR_INVALID_FORMAT;
	*slash = '\0';
	af = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;
	alen = af == AF_INET6 ? 16 : 4;
	if (inet_pton(af, text, net) != 1 ||
	    parse_bits(slash + 1, (unsigned int)alen * 8, &bits) != 0 ||
	    !host_bits_zero(net, bits, alen))
		return MP_ERR_INVALID_FORMAT;
	if (inet_pton(af, addr, a) != 1)
		return 0;
	return prefix_equal(a, net, bits);
}

/* Match s against one pattern of len bytes (without its '!'). */
static int
match_one(const char *s, const char *pat, size_t len, int flags)
{
	if ((flags & MATCH_CIDR) && memchr(pat, '/', len) != NULL)
		return match_cidr(s, pat, len);
	return match_glob(s, pat, len);
}

int
match_list(const char *s, const char *list, size_t len, int flags)
{
	const char *p = list, *end = list + len, *comma;
	int negated, r, result = MATCH_NONE;
	size_t n;

	while (p <= end && len > 0) {
		comma = memchr(p, ',', (size_t)(end - p));
		n = (comma != NULL ? comma : end) - p;
		if ((negated = n > 0 && *p == '!')) {
			p++;
			n--;
		}
		if (n == 0)
			return MP_ERR_INVALID_FORMAT;
		if ((r = match_one(s, p, n, flags)) < 0)
			return r;
		if (r == 1 && negated)
			return MATCH_NEGATED;
		if (r == 1)
			result = MATCH_YES;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return result;
}

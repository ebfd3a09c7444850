/* pubkey.c: public key blobs and lines, fingerprints and randomart; strict parsers for untrusted input. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/encode.h"
#include "common/err.h"
#include "common/pubkey.h"
#include "common/crypto/hash.h"
#include "common/crypto/sign.h"

#define FP_PREFIX	"SHA256:"
#define DIGEST_LEN	32

/* Randomart field and symbols: a cell shows how often the bishop visited
 * it (capped at '^'); 'S' and 'E' mark where the walk started and ended. */
#define ART_W		17
#define ART_H		9
#define ART_SYMBOLS	" .o+=*BOX@%&#/^SE"
#define ART_VISITS_MAX	14
#define ART_START	15
#define ART_END		16

static const struct key_kind {
	enum sig_type type;
	const char *label;
	unsigned int bits;
} key_kinds[] = {
	{ SIG_ED25519, "ED25519", 256 },
	{ SIG_ECDSA_P256, "ECDSA-P256", 256 },
	{ SIG_ECDSA_P384, "ECDSA-P384", 384 },
};

int
pubkey_put_blob(struct buf *b, const struct sig_key *key)
{
	const struct sig_alg *alg = sig_key_alg(key);
	int r;

	if ((r = buf_put_cstring(b, alg->name)) != 0)
		return r;
	return buf_put_string(b, sig_key_pub(key), alg->pub_len);
}

/* Read the algorithm name: 1..PUBKEY_ALG_NAME_MAX printable ASCII bytes. */
static int
get_alg_name(struct buf *b, char name[PUBKEY_ALG_NAME_MAX + 1])
{
	const uint8_t *p;
	size_t len, i;
	int r;

	if ((r = buf_get_string_direct(b, &p, &len, PUBKEY_ALG_NAME_MAX)) != 0)
		return r;
	if (len == 0)
		return MP_ERR_INVALID_FORMAT;
	for (i = 0; i < len; i++)
		if (p[i] <= 0x20 || p[i] >= 0x7f)
			return MP_ERR_INVALID_FORMAT;
	memcpy(name, p, len);
	name[len] = '\0';
	return 0;
}

static int
parse_blob(struct buf *b, struct sig_key **out,
    char name[PUBKEY_ALG_NAME_MAX + 1])
{
	const struct sig_alg *alg;
	const uint8_t *pub;
	size_t pub_len;
	int r;

	if ((r = get_alg_name(b, name)) != 0)
		return r;
	if ((alg = sig_by_name(name)) == NULL)
		return MP_ERR_UNKNOWN_ALGORITHM;
	r = buf_get_string_direct(b, &pub, &pub_len, PUBKEY_BLOB_MAX);
	if (r != 0)
		return r;
	if ((r = buf_expect_end(b)) != 0)
		return r;
	return sig_from_public(alg, pub, pub_len, out);
}

int
pubkey_from_blob(const uint8_t *blob, size_t len, struct sig_key **out,
    char alg[PUBKEY_ALG_NAME_MAX + 1])
{
	char name[PUBKEY_ALG_NAME_MAX + 1] = "";
	struct buf *b;
	int r;

	*out = NULL;
	if (len > PUBKEY_BLOB_MAX)
		r = MP_ERR_TOO_LARGE;
	else if ((b = buf_from(blob, len)) == NULL)
		r = MP_ERR_ALLOC;
	else {
		r = parse_blob(b, out, name);
		buf_free(b);
	}
	if (alg != NULL)
		memcpy(alg, name, sizeof(name));
	return r;
}

/* Length of one well-formed UTF-8 character at s that is not a control
 * character (C0, DEL, C1), or 0. */
static size_t
utf8_char_len(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		if (s[0] == 0xc2)
			lo = 0xa0;		/* U+0080..U+009F are C1 */
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
	} else
		return 0;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

int
pubkey_comment_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (len > PUBKEY_COMMENT_MAX)
		return MP_ERR_TOO_LARGE;
	while (len > 0) {
		if ((n = utf8_char_len(p, len)) == 0)
			return MP_ERR_INVALID_FORMAT;
		p += n;
		len -= n;
	}
	return 0;
}

/* Decode the base64 token and parse the blob it holds. */
static int
parse_b64_blob(const char *text, size_t len, struct sig_key **key,
    char alg[PUBKEY_ALG_NAME_MAX + 1])
{
	uint8_t blob[PUBKEY_BLOB_MAX];
	size_t blob_len;
	int r;

	r = b64_decode(text, len, blob, sizeof(blob), &blob_len, 1);
	if (r == MP_ERR_NO_SPACE)
		return MP_ERR_TOO_LARGE;
	if (r != 0)
		return r;
	return pubkey_from_blob(blob, blob_len, key, alg);
}

int
pubkey_parse_line(const char *line, size_t len, struct sig_key **key,
    char **comment, char alg[PUBKEY_ALG_NAME_MAX + 1])
{
	size_t type_len = strlen(PUBKEY_LINE_TYPE), b64_len, c_len = 0;
	const char *b64, *sp, *c = "";
	int r;

	*key = NULL;
	*comment = NULL;
	if (alg != NULL)
		alg[0] = '\0';
	if (len > PUBKEY_LINE_MAX)
		return MP_ERR_TOO_LARGE;
	if (len <= type_len || memcmp(line, PUBKEY_LINE_TYPE, type_len) != 0 ||
	    line[type_len] != ' ')
		return MP_ERR_INVALID_FORMAT;
	b64 = line + type_len + 1;
	b64_len = len - type_len - 1;
	if ((sp = memchr(b64, ' ', b64_len)) != NULL) {
		c = sp + 1;
		c_len = b64_len - (size_t)(c - b64);
		b64_len = (size_t)(sp - b64);
	}
	if (b64_len == 0)
		return MP_ERR_INVALID_FORMAT;
	if ((r = pubkey_comment_valid(c, c_len)) != 0)
		return r;
	if ((r = parse_b64_blob(b64, b64_len, key, alg)) != 0)
		return r;
	if ((*comment = strndup(c, c_len)) == NULL) {
		sig_free(*key);
		*key = NULL;
		return MP_ERR_ALLOC;
	}
	return 0;
}

/* The blob of key in a fresh buffer. */
static int
blob_of(const struct sig_key *key, struct buf **out)
{
	int r;

	if ((*out = buf_new(PUBKEY_BLOB_MAX)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = pubkey_put_blob(*out, key)) != 0) {
		buf_free(*out);
		*out = NULL;
	}
	return r;
}

int
pubkey_format_line(const struct sig_key *key, const char *comment, char **out)
{
	struct buf *blob;
	size_t b64_len, c_len, len;
	char *line, *p;
	int r;

	*out = NULL;
	c_len = comment == NULL ? 0 : strlen(comment);
	if (pubkey_comment_valid(comment, c_len) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = blob_of(key, &blob)) != 0)
		return r;
	b64_len = b64_encoded_len(buf_len(blob), 1);
	len = strlen(PUBKEY_LINE_TYPE) + 1 + b64_len + (c_len ? 1 + c_len : 0);
	if (len > PUBKEY_LINE_MAX)
		r = MP_ERR_TOO_LARGE;
	else if ((line = malloc(len + 1)) == NULL)
		r = MP_ERR_ALLOC;
	else {
		p = stpcpy(line, PUBKEY_LINE_TYPE " ");
		b64_encode(buf_ptr(blob), buf_len(blob), p, 1);
		if (c_len != 0) {
			p += b64_len;
			*p++ = ' ';
			memcpy(p, comment, c_len + 1);
		}
		*out = line;
	}
	buf_free(blob);
	return r;
}

static int
key_digest(const struct sig_key *key, uint8_t digest[DIGEST_LEN])
{
	struct buf *blob;
	int r;

	if ((r = blob_of(key, &blob)) != 0)
		return r;
	r = hash_digest(HASH_SHA256, buf_ptr(blob), buf_len(blob), digest);
	buf_free(blob);
	return r;
}

int
pubkey_fingerprint(const struct sig_key *key, char out[PUBKEY_FP_SIZE])
{
	uint8_t digest[DIGEST_LEN];
	int r;

	if ((r = key_digest(key, digest)) != 0)
		return r;
	memcpy(out, FP_PREFIX, strlen(FP_PREFIX));
	b64_encode(digest, sizeof(digest), out + strlen(FP_PREFIX), 0);
	return 0;
}

static const struct key_kind *
kind_of(const struct sig_key *key)
{
	enum sig_type type = sig_key_alg(key)->type;
	size_t i;

	for (i = 0; i < sizeof(key_kinds) / sizeof(key_kinds[0]); i++)
		if (key_kinds[i].type == type)
			return &key_kinds[i];
	return NULL;
}

const char *
pubkey_label(const struct sig_key *key)
{
	const struct key_kind *k = kind_of(key);

	return k != NULL ? k->label : sig_key_alg(key)->name;
}

unsigned int
pubkey_bits(const struct sig_key *key)
{
	const struct key_kind *k = kind_of(key);

	return k != NULL ? k->bits : 0;
}

/* The bishop starts in the centre and takes four diagonal steps per
 * byte, two bits each, low bits first, sliding along the walls. */
static void
bishop_walk(const uint8_t *d, size_t len, uint8_t field[ART_H][ART_W])
{
	int x = ART_W / 2, y = ART_H / 2, step;
	uint8_t bits;
	size_t i;

	memset(field, 0, ART_H * ART_W);
	for (i = 0; i < len; i++) {
		bits = d[i];
		for (step = 0; step < 4; step++, bits >>= 2) {
			x += (bits & 1) ? 1 : -1;
			y += (bits & 2) ? 1 : -1;
			x = x < 0 ? 0 : (x >= ART_W ? ART_W - 1 : x);
			y = y < 0 ? 0 : (y >= ART_H ? ART_H - 1 : y);
			if (field[y][x] < ART_VISITS_MAX)
				field[y][x]++;
		}
	}
	field[ART_H / 2][ART_W / 2] = ART_START;
	field[y][x] = ART_END;
}

/* A border line with text centred in it (cut to the field's width). */
static char *
art_border(char *p, const char *text)
{
	size_t n = strlen(text), left, i;

	if (n > ART_W)
		n = ART_W;
	left = (ART_W - n) / 2;
	*p++ = '+';
	for (i = 0; i < ART_W; i++)
		*p++ = (i >= left && i < left + n) ? text[i - left] : '-';
	*p++ = '+';
	return p;
}

int
pubkey_randomart(const struct sig_key *key, char out[PUBKEY_RANDOMART_SIZE])
{
	uint8_t digest[DIGEST_LEN], field[ART_H][ART_W];
	char title[PUBKEY_ALG_NAME_MAX + 16];
	char *p = out;
	int r, x, y;

	if ((r = key_digest(key, digest)) != 0)
		return r;
	bishop_walk(digest, sizeof(digest), field);
	snprintf(title, sizeof(title), "[%s %u]", pubkey_label(key),
	    pubkey_bits(key));
	p = art_border(p, title);
	for (y = 0; y < ART_H; y++) {
		*p++ = '\n';
		*p++ = '|';
		for (x = 0; x < ART_W; x++)
			*p++ = ART_SYMBOLS[field[y][x]];
		*p++ = '|';
	}
	*p++ = '\n';
	p = art_border(p, "[SHA256]");
	*p = '\0';
	return 0;
}

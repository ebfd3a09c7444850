/* keyfile.c: the private key file format: armour, structure, checksum, Argon2id + ChaCha20-Poly1305 protection, verification. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "common/buf.h"
#include "common/encode.h"
#include "common/err.h"
#include "common/keyfile.h"
#include "common/pubkey.h"
#include "common/secmem.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

#define MAGIC		"moshpit-private-key-v1"
#define KDF_NONE	"none"
#define KDF_ARGON2ID	"argon2id"
#define CIPHER_NONE	"none"
#define CIPHER_AEAD	"chacha20-poly1305"
#define SALT_LEN	16
#define CHECKSUM_LEN	32
#define PAD_BLOCK	16
#define B64_LINE	70

#define OPS_MIN		crypto_pwhash_argon2id_OPSLIMIT_MIN
#define OPS_MAX		crypto_pwhash_argon2id_OPSLIMIT_MODERATE
#define MEM_MIN		crypto_pwhash_argon2id_MEMLIMIT_MIN
#define MEM_MAX		crypto_pwhash_argon2id_MEMLIMIT_MODERATE

/* The strings of the outer structure, in file order. */
enum field {
	F_MAGIC, F_KDF, F_KDFOPTS, F_CIPHER, F_NONCE, F_BLOB, F_SECTION,
	F_CHECKSUM, F_COUNT
};

struct parsed {
	const uint8_t *data;		/* the decoded binary */
	const uint8_t *p[F_COUNT];
	size_t len[F_COUNT];
	size_t aad_len;			/* bytes before the section string */
};

/* How the private section is protected. */
struct protection {
	int encrypted;
	uint8_t salt[SALT_LEN];
	uint64_t ops, mem;
	uint8_t nonce[AEAD_NONCE_BYTES];
};

int
keyfile_is_private(const uint8_t *text, size_t len)
{
	size_t n = strlen(KEYFILE_BEGIN "\n");

	return len >= n && memcmp(text, KEYFILE_BEGIN "\n", n) == 0;
}

static int
field_is(const struct parsed *pp, enum field f, const char *s)
{
	return pp->len[f] == strlen(s) && memcmp(pp->p[f], s, pp->len[f]) == 0;
}

static int
limits_check(uint64_t ops, uint64_t mem)
{
	if (ops > OPS_MAX || mem > MEM_MAX)
		return MP_ERR_LIMIT;
	if (ops < OPS_MIN || mem < MEM_MIN)
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

/* ---- armour ------------------------------------------------------------ */

static int
armour(const struct buf *bin, struct buf *out)
{
	size_t len = b64_encoded_len(buf_len(bin), 1), off, n;
	char *b64;
	int r;

	if ((b64 = malloc(len + 1)) == NULL)
		return MP_ERR_ALLOC;
	b64_encode(buf_ptr(bin), buf_len(bin), b64, 1);
	r = buf_put(out, KEYFILE_BEGIN "\n", strlen(KEYFILE_BEGIN "\n"));
	for (off = 0; r == 0 && off < len; off += n) {
		n = len - off < B64_LINE ? len - off : B64_LINE;
		if ((r = buf_put(out, b64 + off, n)) == 0)
			r = buf_put_u8(out, '\n');
	}
	if (r == 0)
		r = buf_put(out, KEYFILE_END "\n", strlen(KEYFILE_END "\n"));
	mp_free_secret(b64, len + 1);
	return r;
}

/* Join the base64 lines between the BEGIN and END lines into b64
 * (*b64_len characters). Every line but the last holds B64_LINE. */
static int
join_lines(const char *p, const char *end, char *b64, size_t *b64_len)
{
	size_t n, end_len = strlen(KEYFILE_END), rest;
	const char *nl;
	int short_seen = 0;

	*b64_len = 0;
	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == end_len && memcmp(p, KEYFILE_END, n) == 0)
			break;
		if (nl == NULL || short_seen || n == 0 || n > B64_LINE)
			return MP_ERR_INVALID_FORMAT;
		short_seen = n < B64_LINE;
		memcpy(b64 + *b64_len, p, n);
		*b64_len += n;
		p = nl + 1;
	}
	rest = (size_t)(end - p) - end_len;
	if (*b64_len == 0 || (rest != 0 && (rest != 1 || p[end_len] != '\n')))
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

static int
dearmour(const uint8_t *text, size_t len, struct buf **out)
{
	const char *p = (const char *)text;
	size_t b64_len, cap, n;
	uint8_t *d;
	char *b64;
	int r;

	*out = NULL;
	if (len > KEYFILE_SIZE_MAX)
		return MP_ERR_TOO_LARGE;
	if (!keyfile_is_private(text, len))
		return MP_ERR_INVALID_FORMAT;
	if ((b64 = malloc(len)) == NULL)
		return MP_ERR_ALLOC;
	n = strlen(KEYFILE_BEGIN "\n");
	if ((r = join_lines(p + n, p + len, b64, &b64_len)) != 0)
		goto out;
	if (b64_len % 4 != 0) {
		r = MP_ERR_INVALID_FORMAT;
		goto out;
	}
	cap = b64_len / 4 * 3;
	if ((*out = buf_new(cap)) == NULL) {
		r = MP_ERR_ALLOC;
		goto out;
	}
	if ((r = buf_reserve(*out, cap, &d)) == 0 &&
	    (r = b64_decode(b64, b64_len, d, cap, &n, 1)) == 0)
		r = buf_consume_end(*out, cap - n);
	if (r != 0) {
		buf_free(*out);
		*out = NULL;
		r = MP_ERR_INVALID_FORMAT;
	}
 out:
	mp_free_secret(b64, len);
	return r;
}

/* ---- the outer structure ----------------------------------------------- */

/* Read every field and check the trailing checksum; any structural
 * fault is MP_ERR_INVALID_FORMAT. */
static int
split(const struct buf *bin, struct parsed *pp)
{
	size_t total = buf_len(bin), sum_off = 0;
	uint8_t digest[CHECKSUM_LEN];
	struct buf *b;
	int f, r = 0;

	pp->data = buf_ptr(bin);
	if ((b = buf_from(pp->data, total)) == NULL)
		return MP_ERR_ALLOC;
	for (f = 0; r == 0 && f < F_COUNT; f++) {
		if (f == F_SECTION)
			pp->aad_len = total - buf_len(b);
		if (f == F_CHECKSUM)
			sum_off = total - buf_len(b);
		r = buf_get_string_direct(b, &pp->p[f], &pp->len[f],
		    KEYFILE_SIZE_MAX);
	}
	if (r == 0)
		r = buf_expect_end(b);
	buf_free(b);
	if (r != 0 || pp->len[F_CHECKSUM] != CHECKSUM_LEN)
		return MP_ERR_INVALID_FORMAT;
	if ((r = hash_digest(HASH_SHA256, pp->data, sum_off, digest)) != 0)
		return r;
#ifndef MP_FUZZING	/* let mutated inputs reach the parsers below */
	if (!mp_ct_equal(digest, pp->p[F_CHECKSUM], CHECKSUM_LEN))
		return MP_ERR_INVALID_FORMAT;
#endif
	return field_is(pp, F_MAGIC, MAGIC) ? 0 : MP_ERR_INVALID_FORMAT;
}

/* Argon2id options: string(salt) || u64 opslimit || u64 memlimit. */
static int
get_kdf_options(const struct parsed *pp, struct protection *pr)
{
	struct buf *b;
	int r;

	if ((b = buf_from(pp->p[F_KDFOPTS], pp->len[F_KDFOPTS])) == NULL)
		return MP_ERR_ALLOC;
	if (buf_get_string_exact(b, pr->salt, SALT_LEN) != 0 ||
	    buf_get_u64(b, &pr->ops) != 0 || buf_get_u64(b, &pr->mem) != 0 ||
	    buf_expect_end(b) != 0)
		r = MP_ERR_INVALID_FORMAT;
	else
		r = limits_check(pr->ops, pr->mem);
	buf_free(b);
	return r;
}

static int
get_protection(const struct parsed *pp, struct protection *pr)
{
	int kdf_none = field_is(pp, F_KDF, KDF_NONE);
	int cipher_none = field_is(pp, F_CIPHER, CIPHER_NONE);

	memset(pr, 0, sizeof(*pr));
	if (!kdf_none && !field_is(pp, F_KDF, KDF_ARGON2ID))
		return MP_ERR_UNKNOWN_ALGORITHM;
	if (!cipher_none && !field_is(pp, F_CIPHER, CIPHER_AEAD))
		return MP_ERR_UNKNOWN_ALGORITHM;
	if (kdf_none != cipher_none)
		return MP_ERR_INVALID_FORMAT;
	if (kdf_none)
		return pp->len[F_KDFOPTS] == 0 && pp->len[F_NONCE] == 0 ? 0 :
		    MP_ERR_INVALID_FORMAT;
	if (pp->len[F_NONCE] != AEAD_NONCE_BYTES)
		return MP_ERR_INVALID_FORMAT;
	memcpy(pr->nonce, pp->p[F_NONCE], AEAD_NONCE_BYTES);
	pr->encrypted = 1;
	return get_kdf_options(pp, pr);
}

/* ---- the private section ----------------------------------------------- */

/* A ChaCha20-Poly1305 context keyed from the passphrase by Argon2id. */
static int
passphrase_cipher(const char *passphrase, const struct protection *pr,
    struct aead_ctx **ctx)
{
	const struct aead_alg *alg = aead_by_name(CIPHER_AEAD);
	uint8_t k[AEAD_KEY_MAX];
	int r = 0;

	*ctx = NULL;
	if (alg == NULL || alg->key_len > sizeof(k))
		return MP_ERR_INTERNAL;
	if (crypto_pwhash(k, alg->key_len, passphrase, strlen(passphrase),
	    pr->salt, pr->ops, (size_t)pr->mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		r = MP_ERR_ALLOC;	/* libsodium fails only for memory */
	else if ((*ctx = aead_new(alg, k, alg->key_len)) == NULL)
		r = MP_ERR_ALLOC;
	mp_zero(k, sizeof(k));
	return r;
}

/* The section holds a non-empty multiple of PAD_BLOCK bytes of plaintext
 * (and the tag when encrypted). */
static int
check_section_len(const struct parsed *pp, const struct protection *pr)
{
	size_t len = pp->len[F_SECTION];

	if (pr->encrypted && len < AEAD_TAG_BYTES)
		return MP_ERR_INVALID_FORMAT;
	if (pr->encrypted)
		len -= AEAD_TAG_BYTES;
	return len != 0 && len % PAD_BLOCK == 0 ? 0 : MP_ERR_INVALID_FORMAT;
}

/* The plaintext private section in a fresh buffer. */
static int
open_section(const struct parsed *pp, const struct protection *pr,
    const char *passphrase, struct buf **out)
{
	const uint8_t *ct = pp->p[F_SECTION];
	size_t ct_len = pp->len[F_SECTION], pt_len;
	struct aead_ctx *ctx;
	uint8_t *pt;
	int r;

	*out = NULL;
	pt_len = pr->encrypted ? ct_len - AEAD_TAG_BYTES : ct_len;
	if (pr->encrypted && passphrase == NULL)
		return MP_ERR_NEED_PASSPHRASE;
	if ((*out = buf_new(pt_len)) == NULL)
		return MP_ERR_ALLOC;
	if (!pr->encrypted)
		return buf_put(*out, ct, ct_len);
	if ((r = passphrase_cipher(passphrase, pr, &ctx)) != 0)
		return r;
	if ((r = buf_reserve(*out, pt_len, &pt)) == 0)
		r = aead_open(ctx, pr->nonce, pp->data, pp->aad_len, ct, ct_len,
		    pt);
	aead_free(ctx);
	return r == MP_ERR_AUTH ? MP_ERR_PASSPHRASE : r;
}

/* Padding is 1, 2, 3, ... up to the next multiple of PAD_BLOCK (the
 * section's length has been checked). */
static int
check_padding(const struct buf *b)
{
	const uint8_t *p = buf_ptr(b);
	size_t i, n = buf_len(b);

	if (n >= PAD_BLOCK)
		return MP_ERR_INVALID_FORMAT;
	for (i = 0; i < n; i++)
		if (p[i] != i + 1)
			return MP_ERR_INVALID_FORMAT;
	return 0;
}

/* check, check, algorithm and public value (equal to the blob's). */
static int
get_section_header(struct buf *b, const struct sig_key *pub)
{
	const struct sig_alg *alg = sig_key_alg(pub);
	uint32_t c1, c2;
	const uint8_t *p;
	size_t n;

	if (buf_get_u32(b, &c1) != 0 || buf_get_u32(b, &c2) != 0 || c1 != c2)
		return MP_ERR_INVALID_FORMAT;
	if (buf_get_string_direct(b, &p, &n, PUBKEY_ALG_NAME_MAX) != 0 ||
	    n != strlen(alg->name) || memcmp(p, alg->name, n) != 0)
		return MP_ERR_INVALID_FORMAT;
	if (buf_get_string_direct(b, &p, &n, SIG_PUB_MAX) != 0 ||
	    n != alg->pub_len || memcmp(p, sig_key_pub(pub), n) != 0)
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

/* Parse the plaintext section; the private value must derive pub. */
static int
parse_section(struct buf *b, const struct sig_key *pub,
    struct sig_key **key, char **comment)
{
	const uint8_t *priv;
	size_t n;
	int r;

	*key = NULL;
	*comment = NULL;
	if ((r = get_section_header(b, pub)) != 0)
		return r;
	if (buf_get_string_direct(b, &priv, &n, SIG_PRIV_MAX) != 0)
		return MP_ERR_INVALID_FORMAT;
	if ((r = sig_from_private(sig_key_alg(pub), priv, n, key)) != 0)
		return r == MP_ERR_ALLOC ? r : MP_ERR_INVALID_KEY;
	if (!sig_key_equal(*key, pub))
		r = MP_ERR_INVALID_KEY;
	else if (buf_get_cstring(b, comment, PUBKEY_COMMENT_MAX) != 0 ||
	    pubkey_comment_valid(*comment, strlen(*comment)) != 0)
		r = MP_ERR_INVALID_FORMAT;
	else
		r = check_padding(b);
	if (r != 0) {
		sig_free(*key);
		*key = NULL;
		free(*comment);
		*comment = NULL;
	}
	return r;
}

/* want_private: the key with its private half, else the public key
 * (and, for an unencrypted file, the comment after full verification). */
static int
decode(const uint8_t *text, size_t len, const char *passphrase,
    int want_private, struct sig_key **key, char **comment)
{
	struct buf *bin = NULL, *plain = NULL;
	struct sig_key *pub = NULL, *priv = NULL;
	struct protection pr;
	struct parsed pp;
	char *c = NULL;
	int r;

	*key = NULL;
	if (comment != NULL)
		*comment = NULL;
	if ((r = dearmour(text, len, &bin)) != 0 ||
	    (r = split(bin, &pp)) != 0 ||
	    (r = get_protection(&pp, &pr)) != 0 ||
	    (r = check_section_len(&pp, &pr)) != 0 ||
	    (r = pubkey_from_blob(pp.p[F_BLOB], pp.len[F_BLOB], &pub,
	    NULL)) != 0)
		goto out;
	if (pr.encrypted && !want_private) {
		*key = pub;
		pub = NULL;
		goto out;
	}
	if ((r = open_section(&pp, &pr, passphrase, &plain)) != 0 ||
	    (r = parse_section(plain, pub, &priv, &c)) != 0)
		goto out;
	if (want_private) {
		*key = priv;
		priv = NULL;
	} else {
		*key = pub;
		pub = NULL;
	}
	if (comment != NULL) {
		*comment = c;
		c = NULL;
	}
 out:
	free(c);
	sig_free(priv);
	sig_free(pub);
	buf_free(plain);
	buf_free(bin);
	mp_zero(&pr, sizeof(pr));
	return r;
}

int
keyfile_decode(const uint8_t *text, size_t len, const char *passphrase,
    struct sig_key **key, char **comment)
{
	return decode(text, len, passphrase, 1, key, comment);
}

int
keyfile_decode_public(const uint8_t *text, size_t len, struct sig_key **key,
    char **comment)
{
	return decode(text, len, NULL, 0, key, comment);
}

/* ---- encoding ---------------------------------------------------------- */

static int
build_section(const struct sig_key *key, const char *comment,
    struct buf **out)
{
	const struct sig_alg *alg = sig_key_alg(key);
	uint8_t priv[SIG_PRIV_MAX];
	uint32_t check;
	uint8_t i;
	int r;

	if ((*out = buf_new(KEYFILE_SIZE_MAX)) == NULL)
		return MP_ERR_ALLOC;
	mp_random(&check, sizeof(check));
	if ((r = sig_key_priv(key, priv)) == 0 &&
	    (r = buf_put_u32(*out, check)) == 0 &&
	    (r = buf_put_u32(*out, check)) == 0 &&
	    (r = buf_put_cstring(*out, alg->name)) == 0 &&
	    (r = buf_put_string(*out, sig_key_pub(key), alg->pub_len)) == 0 &&
	    (r = buf_put_string(*out, priv, alg->priv_len)) == 0 &&
	    (r = buf_put_cstring(*out, comment)) == 0)
		for (i = 1; r == 0 && buf_len(*out) % PAD_BLOCK != 0; i++)
			r = buf_put_u8(*out, i);
	mp_zero(priv, sizeof(priv));
	mp_zero(&check, sizeof(check));
	return r;
}

/* Argon2id options: string(salt) || u64 opslimit || u64 memlimit; empty
 * for "none". */
static int
put_kdf_options(struct buf *b, const struct protection *pr)
{
	struct buf *opts;
	int r;

	if (!pr->encrypted)
		return buf_put_string(b, NULL, 0);
	if ((opts = buf_new(64)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = buf_put_string(opts, pr->salt, SALT_LEN)) == 0 &&
	    (r = buf_put_u64(opts, pr->ops)) == 0 &&
	    (r = buf_put_u64(opts, pr->mem)) == 0)
		r = buf_put_stringb(b, opts);
	buf_free(opts);
	return r;
}

/* Every field before the section. */
static int
put_header(struct buf *b, const struct sig_key *key,
    const struct protection *pr)
{
	struct buf *blob;
	int r;

	if ((blob = buf_new(PUBKEY_BLOB_MAX)) == NULL)
		return MP_ERR_ALLOC;
	if ((r = pubkey_put_blob(blob, key)) == 0 &&
	    (r = buf_put_cstring(b, MAGIC)) == 0 &&
	    (r = buf_put_cstring(b, pr->encrypted ? KDF_ARGON2ID :
	    KDF_NONE)) == 0 &&
	    (r = put_kdf_options(b, pr)) == 0 &&
	    (r = buf_put_cstring(b, pr->encrypted ? CIPHER_AEAD :
	    CIPHER_NONE)) == 0 &&
	    (r = buf_put_string(b, pr->nonce,
	    pr->encrypted ? AEAD_NONCE_BYTES : 0)) == 0)
		r = buf_put_stringb(b, blob);
	buf_free(blob);
	return r;
}

/* Append the section string, sealed with everything before it as
 * associated data when a passphrase is given. */
static int
put_section(struct buf *b, const struct buf *plain, const char *passphrase,
    const struct protection *pr)
{
	size_t aad_len = buf_len(b), len = buf_len(plain) + AEAD_TAG_BYTES;
	struct aead_ctx *ctx;
	uint8_t *ct;
	int r;

	if (!pr->encrypted)
		return buf_put_stringb(b, plain);
	if ((r = passphrase_cipher(passphrase, pr, &ctx)) != 0)
		return r;
	if ((r = buf_put_u32(b, (uint32_t)len)) == 0 &&
	    (r = buf_reserve(b, len, &ct)) == 0)
		r = aead_seal(ctx, pr->nonce, buf_ptr(b), aad_len,
		    buf_ptr(plain), buf_len(plain), ct);
	aead_free(ctx);
	return r;
}

static int
put_checksum(struct buf *b)
{
	uint8_t digest[CHECKSUM_LEN];
	int r;

	if ((r = hash_digest(HASH_SHA256, buf_ptr(b), buf_len(b), digest)) != 0)
		return r;
	return buf_put_string(b, digest, sizeof(digest));
}

static int
init_protection(const char *passphrase, const struct keyfile_kdf *kdf,
    struct protection *pr)
{
	memset(pr, 0, sizeof(*pr));
	if (passphrase == NULL || *passphrase == '\0')
		return 0;
	pr->encrypted = 1;
	pr->ops = kdf != NULL ? kdf->opslimit :
	    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	pr->mem = kdf != NULL ? kdf->memlimit :
	    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	mp_random(pr->salt, sizeof(pr->salt));
	mp_random(pr->nonce, sizeof(pr->nonce));
	return limits_check(pr->ops, pr->mem) == 0 ? 0 :
	    MP_ERR_INVALID_ARGUMENT;
}

int
keyfile_encode(const struct sig_key *key, const char *comment,
    const char *passphrase, const struct keyfile_kdf *kdf, struct buf *out)
{
	struct buf *plain = NULL, *bin = NULL;
	struct protection pr;
	int r;

	if (comment == NULL)
		comment = "";
	if (!sig_key_has_private(key) ||
	    pubkey_comment_valid(comment, strlen(comment)) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = init_protection(passphrase, kdf, &pr)) != 0)
		return r;
	if ((bin = buf_new(KEYFILE_SIZE_MAX)) == NULL)
		r = MP_ERR_ALLOC;
	else if ((r = build_section(key, comment, &plain)) == 0 &&
	    (r = put_header(bin, key, &pr)) == 0 &&
	    (r = put_section(bin, plain, passphrase, &pr)) == 0 &&
	    (r = put_checksum(bin)) == 0)
		r = armour(bin, out);
	buf_free(plain);
	buf_free(bin);
	mp_zero(&pr, sizeof(pr));
	return r;
}

/* test_keyfile.c: public key blobs, lines, fingerprints and randomart; private key files in memory and on disk. */
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "common/buf.h"
#include "common/encode.h"
#include "common/err.h"
#include "common/keyfile.h"
#include "common/pubkey.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

static const char b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static const char art_chars[] = " .o+=*BOX@%&#/^SE";

static const char *const alg_names[] = {
	"ed25519", "ecdsa-p256", "ecdsa-p384",
};
#define NALGS	(sizeof(alg_names) / sizeof(alg_names[0]))

/* Cheap Argon2id so that the whole binary stays fast. */
static const struct keyfile_kdf fast_kdf = {
	crypto_pwhash_argon2id_OPSLIMIT_MIN,
	crypto_pwhash_argon2id_MEMLIMIT_MIN,
};

/* RFC 8032 test 1 public key. */
static const uint8_t ed_pub[32] = {
	0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7,
	0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
	0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
	0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
};

static struct sig_key *
gen(const char *name)
{
	struct sig_key *key;

	assert_int_equal(sig_generate(sig_by_name(name), &key), 0);
	return key;
}

/* The blob built by hand from the documented layout. */
static struct buf *
manual_blob(const char *name, const uint8_t *pub, size_t len)
{
	struct buf *b = buf_new(PUBKEY_BLOB_MAX);

	assert_non_null(b);
	assert_int_equal(buf_put_cstring(b, name), 0);
	assert_int_equal(buf_put_string(b, pub, len), 0);
	return b;
}

static int
parse_buf(const struct buf *b, char alg[PUBKEY_ALG_NAME_MAX + 1])
{
	struct sig_key *k;
	int r;

	r = pubkey_from_blob(buf_ptr(b), buf_len(b), &k, alg);
	if (r == 0)
		sig_free(k);
	else
		assert_null(k);
	return r;
}

static void
test_blob_roundtrip(void **state)
{
	char alg[PUBKEY_ALG_NAME_MAX + 1];
	struct sig_key *key, *back;
	struct buf *b, *m;
	size_t i;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		key = gen(alg_names[i]);
		assert_non_null(b = buf_new(PUBKEY_BLOB_MAX));
		assert_int_equal(pubkey_put_blob(b, key), 0);
		m = manual_blob(alg_names[i], sig_key_pub(key),
		    sig_key_alg(key)->pub_len);
		assert_int_equal(buf_len(b), buf_len(m));
		assert_memory_equal(buf_ptr(b), buf_ptr(m), buf_len(m));
		assert_int_equal(pubkey_from_blob(buf_ptr(b), buf_len(b),
		    &back, alg), 0);
		assert_string_equal(alg, alg_names[i]);
		assert_true(sig_key_equal(key, back));
		assert_false(sig_key_has_private(back));
		sig_free(back);
		buf_free(m);
		buf_free(b);
		sig_free(key);
	}
}

static void
test_blob_rejects(void **state)
{
	char alg[PUBKEY_ALG_NAME_MAX + 1];
	uint8_t pub[SIG_PUB_MAX];
	struct sig_key *key;
	struct buf *b;
	size_t n;

	(void)state;
	b = manual_blob("ml-dsa-65", ed_pub, sizeof(ed_pub));
	assert_int_equal(parse_buf(b, alg), MP_ERR_UNKNOWN_ALGORITHM);
	assert_string_equal(alg, "ml-dsa-65");
	buf_free(b);

	b = manual_blob("ed25519", ed_pub, 31);
	assert_int_equal(parse_buf(b, NULL), MP_ERR_KEY_LENGTH);
	buf_free(b);
	b = manual_blob("ecdsa-p256", ed_pub, sizeof(ed_pub));
	assert_int_equal(parse_buf(b, NULL), MP_ERR_KEY_LENGTH);
	buf_free(b);

	/* Off the curve: a valid point with its y coordinate changed. */
	key = gen("ecdsa-p256");
	memcpy(pub, sig_key_pub(key), 65);
	pub[64] ^= 1;
	b = manual_blob("ecdsa-p256", pub, 65);
	assert_int_equal(parse_buf(b, NULL), MP_ERR_INVALID_KEY);
	buf_free(b);
	sig_free(key);

	b = manual_blob("ed25519", ed_pub, sizeof(ed_pub));
	assert_int_equal(parse_buf(b, NULL), 0);
	assert_int_equal(buf_put_u8(b, 0), 0);
	assert_int_equal(parse_buf(b, NULL), MP_ERR_TRAILING_DATA);
	for (n = 0; n < buf_len(b) - 1; n++) {
		struct sig_key *k;

		assert_int_not_equal(pubkey_from_blob(buf_ptr(b), n, &k, NULL),
		    0);
		assert_null(k);
	}
	buf_free(b);

	b = manual_blob("", ed_pub, sizeof(ed_pub));
	assert_int_equal(parse_buf(b, NULL), MP_ERR_INVALID_FORMAT);
	buf_free(b);
	b = manual_blob("ed 25519", ed_pub, sizeof(ed_pub));
	assert_int_equal(parse_buf(b, NULL), MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

static char *
line_of(const struct sig_key *key, const char *comment)
{
	char *line;

	assert_int_equal(pubkey_format_line(key, comment, &line), 0);
	return line;
}

static int
parse_str(const char *line)
{
	struct sig_key *k;
	char *c;
	int r;

	r = pubkey_parse_line(line, strlen(line), &k, &c, NULL);
	if (r == 0) {
		sig_free(k);
		free(c);
	} else {
		assert_null(k);
		assert_null(c);
	}
	return r;
}

static void
test_line_roundtrip(void **state)
{
	static const char *const comments[] = {
		"alice@example.org", "two words  and more", "", "caf\xc3\xa9",
	};
	struct sig_key *key, *back;
	char *line, *c;
	size_t i, j;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		key = gen(alg_names[i]);
		for (j = 0; j < sizeof(comments) / sizeof(comments[0]); j++) {
			line = line_of(key, comments[j]);
			assert_int_equal(strncmp(line, "moshpit ", 8), 0);
			assert_int_equal(pubkey_parse_line(line, strlen(line),
			    &back, &c, NULL), 0);
			assert_true(sig_key_equal(key, back));
			assert_string_equal(c, comments[j]);
			free(c);
			sig_free(back);
			free(line);
		}
		sig_free(key);
	}
}

/* prefix, then line without its last drop_last bytes, then suffix. */
static char *
edited(const char *line, const char *prefix, const char *suffix,
    int drop_last)
{
	size_t n = strlen(line) - (size_t)drop_last;
	char *out;

	assert_true(asprintf(&out, "%s%.*s%s", prefix, (int)n, line,
	    suffix) > 0);
	return out;
}

static void
expect_line(const char *line, int want)
{
	assert_int_equal(parse_str(line), want);
}

static void
test_line_rejects(void **state)
{
	struct sig_key *key;
	char *line, *bad, *b64;
	size_t n;

	(void)state;
	key = gen("ed25519");
	line = line_of(key, NULL);
	b64 = line + 8;
	expect_line(line, 0);

	bad = edited(b64, "ssh-ed25519 ", "", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(b64, "Moshpit ", "", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(b64, "moshpit  ", "", 0);		/* two spaces */
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(b64, "moshpit\t", "", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	expect_line("moshpit", MP_ERR_INVALID_FORMAT);
	expect_line("moshpit ", MP_ERR_INVALID_FORMAT);
	expect_line("moshpit ****", MP_ERR_INVALID_FORMAT);

	/* Without its padding, and with junk glued to it. */
	bad = edited(line, "", "", 1);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(line, "", "junk", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(line, "", "\r", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(line, "", " bad\x1b[2Jcomment", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(line, "", " c1\xc2\x9b", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);
	bad = edited(line, "", " latin1\xe9", 0);
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);

	/* Non-canonical: an unused bit set in the last character before
	 * the '=' (an ed25519 blob is 47 bytes: two unused bits). */
	bad = strdup(line);
	n = strlen(bad);
	assert_int_equal(bad[n - 1], '=');
	assert_int_not_equal(bad[n - 2], '=');
	bad[n - 2] = b64_chars[(strchr(b64_chars, bad[n - 2]) - b64_chars) ^ 1];
	expect_line(bad, MP_ERR_INVALID_FORMAT);
	free(bad);

	/* Over-long: a comment that makes the line exceed the limit. */
	bad = malloc(PUBKEY_LINE_MAX + 2);
	memset(bad, 'x', PUBKEY_LINE_MAX + 1);
	memcpy(bad, line, strlen(line));
	bad[strlen(line)] = ' ';
	bad[PUBKEY_LINE_MAX + 1] = '\0';
	expect_line(bad, MP_ERR_TOO_LARGE);
	free(bad);

	free(line);
	sig_free(key);
}

/* SHA-256 by OpenSSL, unpadded base64 by OpenSSL, as the expected value. */
static void
openssl_fingerprint(const uint8_t *blob, size_t len, char *out)
{
	unsigned char md[32], b64[64];
	unsigned int mdlen;
	int n;

	assert_int_equal(EVP_Digest(blob, len, md, &mdlen, EVP_sha256(), NULL),
	    1);
	assert_int_equal(mdlen, 32);
	n = EVP_EncodeBlock(b64, md, 32);
	assert_int_equal(n, 44);
	assert_int_equal(b64[43], '=');
	memcpy(out, "SHA256:", 7);
	memcpy(out + 7, b64, 43);
	out[50] = '\0';
}

static void
test_fingerprint(void **state)
{
	char fp[PUBKEY_FP_SIZE], want[PUBKEY_FP_SIZE];
	struct sig_key *key;
	struct buf *b;
	size_t i;

	(void)state;
	b = manual_blob("ed25519", ed_pub, sizeof(ed_pub));
	assert_int_equal(pubkey_from_blob(buf_ptr(b), buf_len(b), &key, NULL),
	    0);
	assert_int_equal(pubkey_fingerprint(key, fp), 0);
	openssl_fingerprint(buf_ptr(b), buf_len(b), want);
	assert_string_equal(fp, want);
	assert_int_equal(strlen(fp), PUBKEY_FP_SIZE - 1);
	assert_int_equal(strncmp(fp, "SHA256:", 7), 0);
	for (i = 7; fp[i] != '\0'; i++)
		assert_non_null(strchr(b64_chars, fp[i]));
	assert_string_equal(pubkey_label(key), "ED25519");
	assert_int_equal(pubkey_bits(key), 256);
	sig_free(key);
	buf_free(b);
}

static void
check_art(const struct sig_key *key, const char *top)
{
	char art[PUBKEY_RANDOMART_SIZE], *line, *save = NULL;
	int rows = 0, s = 0, e = 0;
	const char *p;

	assert_int_equal(pubkey_randomart(key, art), 0);
	for (line = strtok_r(art, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), rows++) {
		assert_int_equal(strlen(line), 19);
		if (rows == 0)
			assert_string_equal(line, top);
		else if (rows == 10)
			assert_string_equal(line, "+----[SHA256]-----+");
		else {
			assert_int_equal(line[0], '|');
			assert_int_equal(line[18], '|');
			for (p = line + 1; p < line + 18; p++) {
				assert_non_null(strchr(art_chars, *p));
				s += *p == 'S';
				e += *p == 'E';
			}
		}
	}
	assert_int_equal(rows, 11);
	assert_int_equal(e, 1);
	assert_true(s <= 1);
}

static void
test_randomart(void **state)
{
	struct sig_key *key;
	struct buf *b;

	(void)state;
	b = manual_blob("ed25519", ed_pub, sizeof(ed_pub));
	assert_int_equal(pubkey_from_blob(buf_ptr(b), buf_len(b), &key, NULL),
	    0);
	check_art(key, "+--[ED25519 256]--+");
	sig_free(key);
	buf_free(b);
	key = gen("ecdsa-p256");
	check_art(key, "+[ECDSA-P256 256]-+");
	sig_free(key);
	key = gen("ecdsa-p384");
	check_art(key, "+[ECDSA-P384 384]-+");
	sig_free(key);
}

static struct buf *
encode(const struct sig_key *key, const char *comment, const char *pass)
{
	struct buf *out = buf_new(KEYFILE_SIZE_MAX);

	assert_non_null(out);
	assert_int_equal(keyfile_encode(key, comment, pass, &fast_kdf, out),
	    0);
	return out;
}

static void
roundtrip(const char *name, const char *pass)
{
	struct sig_key *key, *back;
	struct buf *text;
	char *c;

	key = gen(name);
	text = encode(key, "test key", pass);
	assert_true(keyfile_is_private(buf_ptr(text), buf_len(text)));
	assert_int_equal(keyfile_decode(buf_ptr(text), buf_len(text), pass,
	    &back, &c), 0);
	assert_true(sig_key_equal(key, back));
	assert_true(sig_key_has_private(back));
	assert_string_equal(c, "test key");
	free(c);
	sig_free(back);

	assert_int_equal(keyfile_decode_public(buf_ptr(text), buf_len(text),
	    &back, &c), 0);
	assert_true(sig_key_equal(key, back));
	assert_false(sig_key_has_private(back));
	if (pass != NULL)
		assert_null(c);
	else
		assert_string_equal(c, "test key");
	free(c);
	sig_free(back);
	buf_free(text);
	sig_free(key);
}

static void
test_private_roundtrip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NALGS; i++) {
		roundtrip(alg_names[i], NULL);
		roundtrip(alg_names[i], "correct horse");
	}
}

/* The default (interactive) cost once, to know it works and is stored. */
static void
test_default_kdf(void **state)
{
	struct sig_key *key, *back;
	struct buf *text;

	(void)state;
	key = gen("ed25519");
	assert_non_null(text = buf_new(KEYFILE_SIZE_MAX));
	assert_int_equal(keyfile_encode(key, NULL, "pw", NULL, text), 0);
	assert_int_equal(keyfile_decode(buf_ptr(text), buf_len(text), "pw",
	    &back, NULL), 0);
	assert_true(sig_key_equal(key, back));
	sig_free(back);
	buf_free(text);
	sig_free(key);
}

static void
test_passphrase_errors(void **state)
{
	struct sig_key *key, *back;
	struct buf *text;

	(void)state;
	key = gen("ecdsa-p256");
	text = encode(key, NULL, "right");
	assert_int_equal(keyfile_decode(buf_ptr(text), buf_len(text), "wrong",
	    &back, NULL), MP_ERR_PASSPHRASE);
	assert_null(back);
	assert_int_equal(keyfile_decode(buf_ptr(text), buf_len(text), "",
	    &back, NULL), MP_ERR_PASSPHRASE);
	assert_int_equal(keyfile_decode(buf_ptr(text), buf_len(text), NULL,
	    &back, NULL), MP_ERR_NEED_PASSPHRASE);
	assert_null(back);
	buf_free(text);
	sig_free(key);
}

/* Every single-byte change anywhere in the file must be refused. */
static void
flip_all(const char *name, const char *pass)
{
	static const uint8_t masks[] = { 0x01, 0x20, 0x80 };
	struct sig_key *key, *back;
	struct buf *text;
	uint8_t *copy;
	size_t i, m, len;

	key = gen(name);
	text = encode(key, "flip", pass);
	len = buf_len(text);
	copy = malloc(len);
	for (i = 0; i < len; i++) {
		for (m = 0; m < sizeof(masks); m++) {
			memcpy(copy, buf_ptr(text), len);
			copy[i] ^= masks[m];
			assert_int_not_equal(keyfile_decode(copy, len, pass,
			    &back, NULL), 0);
			assert_null(back);
		}
	}
	free(copy);
	buf_free(text);
	sig_free(key);
}

static void
test_flipped_bytes(void **state)
{
	(void)state;
	flip_all("ed25519", NULL);
	flip_all("ecdsa-p384", "pass");
}

static void
test_truncated(void **state)
{
	struct sig_key *key, *back;
	struct buf *text;
	size_t n;

	(void)state;
	key = gen("ed25519");
	text = encode(key, NULL, NULL);
	/* Only the final newline is optional. */
	for (n = 0; n + 1 < buf_len(text); n++) {
		assert_int_not_equal(keyfile_decode(buf_ptr(text), n, NULL,
		    &back, NULL), 0);
		assert_null(back);
	}
	assert_int_equal(keyfile_decode(buf_ptr(text), n, NULL, &back, NULL),
	    0);
	sig_free(back);
	buf_free(text);
	sig_free(key);
}

/*
 * An independent writer for the documented format, to check the reader
 * against the specification and to build files the writer never makes.
 */
struct crafted {
	const char *kdf;
	uint64_t ops, mem;		/* argon2id options if ops != 0 */
	const char *cipher;
	size_t nonce_len;
	uint32_t check2;		/* second check value (first is 7) */
	const struct sig_key *priv_of;	/* whose private value to store */
	int bad_padding;
	int trailing;			/* a byte after the checksum */
};

static void
put_section(struct buf *b, const struct sig_key *key, const struct crafted *c)
{
	const struct sig_alg *alg = sig_key_alg(key);
	uint8_t priv[SIG_PRIV_MAX], i;
	struct buf *s = buf_new(4096);

	assert_int_equal(sig_key_priv(c->priv_of, priv), 0);
	assert_int_equal(buf_put_u32(s, 7), 0);
	assert_int_equal(buf_put_u32(s, c->check2), 0);
	assert_int_equal(buf_put_cstring(s, alg->name), 0);
	assert_int_equal(buf_put_string(s, sig_key_pub(key), alg->pub_len), 0);
	assert_int_equal(buf_put_string(s, priv, alg->priv_len), 0);
	assert_int_equal(buf_put_cstring(s, "crafted"), 0);
	for (i = 1; buf_len(s) % 16 != 0; i++)
		assert_int_equal(buf_put_u8(s, c->bad_padding ? 0 : i), 0);
	assert_int_equal(buf_put_stringb(b, s), 0);
	buf_free(s);
}

static struct buf *
craft(const struct sig_key *key, const struct crafted *c)
{
	struct buf *b = buf_new(8192), *opts = buf_new(64), *blob, *out;
	uint8_t salt[16] = { 0 }, nonce[12] = { 0 }, md[32];
	char b64[8192];
	size_t off, n;

	blob = manual_blob(sig_key_alg(key)->name, sig_key_pub(key),
	    sig_key_alg(key)->pub_len);
	if (c->ops != 0) {
		assert_int_equal(buf_put_string(opts, salt, 16), 0);
		assert_int_equal(buf_put_u64(opts, c->ops), 0);
		assert_int_equal(buf_put_u64(opts, c->mem), 0);
	}
	assert_int_equal(buf_put_cstring(b, "moshpit-private-key-v1"), 0);
	assert_int_equal(buf_put_cstring(b, c->kdf), 0);
	/* (buf_ptr() of an empty buffer is not used: it may be NULL.) */
	assert_int_equal(c->ops != 0 ? buf_put_stringb(b, opts) :
	    buf_put_string(b, NULL, 0), 0);
	assert_int_equal(buf_put_cstring(b, c->cipher), 0);
	assert_int_equal(buf_put_string(b, nonce, c->nonce_len), 0);
	assert_int_equal(buf_put_stringb(b, blob), 0);
	put_section(b, key, c);
	assert_int_equal(EVP_Digest(buf_ptr(b), buf_len(b), md, NULL,
	    EVP_sha256(), NULL), 1);
	assert_int_equal(buf_put_string(b, md, 32), 0);
	if (c->trailing)
		assert_int_equal(buf_put_u8(b, 0), 0);

	b64_encode(buf_ptr(b), buf_len(b), b64, 1);
	out = buf_new(KEYFILE_SIZE_MAX);
	assert_int_equal(buf_put(out, KEYFILE_BEGIN "\n",
	    strlen(KEYFILE_BEGIN) + 1), 0);
	for (off = 0; off < strlen(b64); off += n) {
		n = strlen(b64) - off < 70 ? strlen(b64) - off : 70;
		assert_int_equal(buf_put(out, b64 + off, n), 0);
		assert_int_equal(buf_put_u8(out, '\n'), 0);
	}
	assert_int_equal(buf_put(out, KEYFILE_END "\n",
	    strlen(KEYFILE_END) + 1), 0);
	buf_free(blob);
	buf_free(opts);
	buf_free(b);
	return out;
}

static int
decode_crafted(const struct sig_key *key, const struct crafted *c)
{
	struct sig_key *back;
	struct buf *text = craft(key, c);
	char *comment;
	int r;

	r = keyfile_decode(buf_ptr(text), buf_len(text), "pw", &back,
	    &comment);
	if (r == 0) {
		assert_true(sig_key_equal(key, back));
		assert_string_equal(comment, "crafted");
		free(comment);
		sig_free(back);
	}
	buf_free(text);
	return r;
}

static void
test_crafted(void **state)
{
	struct sig_key *key, *other;
	struct crafted c;
	const struct crafted plain = {
		"none", 0, 0, "none", 0, 7, NULL, 0, 0,
	};

	(void)state;
	key = gen("ecdsa-p256");
	other = gen("ecdsa-p256");
	c = plain;
	c.priv_of = key;
	assert_int_equal(decode_crafted(key, &c), 0);
	c.check2 = 8;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_INVALID_FORMAT);
	c = plain;
	c.priv_of = other;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_INVALID_KEY);
	c.priv_of = key;
	c.bad_padding = 1;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_INVALID_FORMAT);
	c.bad_padding = 0;
	c.trailing = 1;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_INVALID_FORMAT);
	c.trailing = 0;
	c.kdf = "bcrypt";
	assert_int_equal(decode_crafted(key, &c), MP_ERR_UNKNOWN_ALGORITHM);
	c.kdf = "argon2id";
	assert_int_equal(decode_crafted(key, &c), MP_ERR_INVALID_FORMAT);

	/* Argon2id costs outside [MIN, MODERATE]. */
	c.cipher = "chacha20-poly1305";
	c.nonce_len = 12;
	c.ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE + 1;
	c.mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_LIMIT);
	c.ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
	c.mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE + 1;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_LIMIT);
	c.mem = crypto_pwhash_argon2id_MEMLIMIT_MIN - 1;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_INVALID_FORMAT);
	/* Plausible costs: the plaintext section then fails its tag. */
	c.mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_PASSPHRASE);
	c.nonce_len = 11;
	assert_int_equal(decode_crafted(key, &c), MP_ERR_INVALID_FORMAT);
	sig_free(other);
	sig_free(key);
}

static void
test_encode_rejects(void **state)
{
	const struct keyfile_kdf heavy = {
		crypto_pwhash_argon2id_OPSLIMIT_MODERATE + 1,
		crypto_pwhash_argon2id_MEMLIMIT_MIN,
	};
	struct sig_key *key, *pub;
	struct buf *out;

	(void)state;
	key = gen("ed25519");
	assert_int_equal(sig_from_public(sig_key_alg(key), sig_key_pub(key),
	    32, &pub), 0);
	out = buf_new(KEYFILE_SIZE_MAX);
	assert_int_equal(keyfile_encode(pub, NULL, NULL, NULL, out),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(keyfile_encode(key, "a\nb", NULL, NULL, out),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(keyfile_encode(key, NULL, "pw", &heavy, out),
	    MP_ERR_INVALID_ARGUMENT);
	buf_free(out);
	sig_free(pub);
	sig_free(key);
}

static char tmpdir[] = "/tmp/test_keyfile.XXXXXX";

static void
test_files(void **state)
{
	char path[256], pubpath[256];
	struct sig_key *key, *back;
	struct stat st;
	char *c;

	(void)state;
	umask(077);
	assert_non_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/id", tmpdir);
	snprintf(pubpath, sizeof(pubpath), "%s/id.pub", tmpdir);
	key = gen("ecdsa-p384");
	assert_int_equal(keyfile_load(path, NULL, &back, NULL),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(keyfile_save(path, key, "me", "pw", &fast_kdf, 0), 0);
	assert_int_equal(keyfile_save_public(pubpath, key, "me", 0), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(pubpath, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);

	assert_int_equal(keyfile_save(path, key, "me", NULL, NULL, 0),
	    MP_ERR_EXISTS);
	assert_int_equal(keyfile_load(path, NULL, &back, NULL),
	    MP_ERR_NEED_PASSPHRASE);
	assert_int_equal(keyfile_load(path, "pw", &back, &c), 0);
	assert_true(sig_key_equal(key, back));
	assert_string_equal(c, "me");
	free(c);
	sig_free(back);
	assert_int_equal(keyfile_load_public(pubpath, &back, &c), 0);
	assert_true(sig_key_equal(key, back));
	assert_string_equal(c, "me");
	free(c);
	sig_free(back);

	/* Overwrite without a passphrase; then loosen the mode. */
	assert_int_equal(keyfile_save(path, key, "me", NULL, NULL, 1), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(keyfile_load_public(path, &back, &c), 0);
	assert_string_equal(c, "me");
	free(c);
	sig_free(back);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(keyfile_load(path, NULL, &back, NULL),
	    MP_ERR_KEY_PERMISSIONS);
	assert_int_equal(keyfile_load_public(path, &back, NULL),
	    MP_ERR_KEY_PERMISSIONS);
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(keyfile_load(path, NULL, &back, NULL),
	    MP_ERR_KEY_PERMISSIONS);
	/* A .pub file may be readable by anyone. */
	assert_int_equal(keyfile_load_public(pubpath, &back, NULL), 0);
	sig_free(back);

	assert_int_equal(keyfile_load(tmpdir, NULL, &back, NULL),
	    MP_ERR_SYSTEM);
	unlink(path);
	unlink(pubpath);
	rmdir(tmpdir);
	sig_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob_roundtrip),
		cmocka_unit_test(test_blob_rejects),
		cmocka_unit_test(test_line_roundtrip),
		cmocka_unit_test(test_line_rejects),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_randomart),
		cmocka_unit_test(test_private_roundtrip),
		cmocka_unit_test(test_default_kdf),
		cmocka_unit_test(test_passphrase_errors),
		cmocka_unit_test(test_flipped_bytes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_crafted),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_files),
	};

	if (mp_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* crypto.c: benchmark of the key exchanges, signatures, AEAD ciphers and ML-KEM-768 against the design targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "common/clock.h"
#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/aead.h"
#include "common/crypto/kex.h"
#include "common/crypto/mlkem.h"
#include "common/crypto/random.h"
#include "common/crypto/sign.h"

#define BENCH_NS	200000000ull	/* each measurement runs ~0.2 s */
#define MLKEM_TARGET_US	300.0
#define SIV_GCM_TARGET	2.0
#define BIG_MSG		16384

typedef int (*op_fn)(void *arg);

/*
 * Operations per second of op, run in doubling batches until BENCH_NS
 * have passed; 0 if op fails.
 */
static double
rate(op_fn op, void *arg)
{
	uint64_t start = mp_monotonic_ns(), elapsed;
	unsigned long batch = 1, n = 0, i;

	do {
		for (i = 0; i < batch; i++)
			if (op(arg) != 0)
				return 0;
		n += batch;
		if (batch < (1ul << 20))
			batch *= 2;
		elapsed = mp_monotonic_ns() - start;
	} while (elapsed < BENCH_NS);
	return (double)n * 1e9 / (double)elapsed;
}

static void
fail(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s\n", what, mp_strerror(err));
	exit(1);
}

/* ---- key exchange ---------------------------------------------------- */

struct kex_bench {
	const struct kex_alg *alg;
	uint8_t client_msg[KEX_CLIENT_MSG_MAX];
	uint8_t server_msg[KEX_SERVER_MSG_MAX];
	uint8_t secret[KEX_SECRET_MAX];
};

static int
kex_start_op(void *arg)
{
	struct kex_bench *b = arg;
	struct kex_client *kc = NULL;
	int r;

	r = kex_client_start(b->alg, &kc, b->client_msg);
	kex_client_free(kc);
	return r;
}

static int
kex_reply_op(void *arg)
{
	struct kex_bench *b = arg;

	return kex_server_reply(b->alg, b->client_msg, b->alg->client_msg_len,
	    b->server_msg, b->secret);
}

static int
kex_total_op(void *arg)
{
	struct kex_bench *b = arg;
	struct kex_client *kc = NULL;
	uint8_t secret[KEX_SECRET_MAX];
	int r;

	if ((r = kex_client_start(b->alg, &kc, b->client_msg)) == 0 &&
	    (r = kex_server_reply(b->alg, b->client_msg,
	    b->alg->client_msg_len, b->server_msg, b->secret)) == 0)
		r = kex_client_finish(kc, b->server_msg,
		    b->alg->server_msg_len, secret);
	kex_client_free(kc);
	return r;
}

/*
 * The client's finish needs a fresh started client each time, so only the
 * finish call itself is timed; it is far slower than the clock read.
 */
static double
kex_finish_rate(struct kex_bench *b)
{
	struct kex_client *kc;
	uint64_t busy = 0, t0;
	unsigned long n = 0;
	int r;

	while (busy < BENCH_NS) {
		if ((r = kex_client_start(b->alg, &kc, b->client_msg)) != 0 ||
		    (r = kex_server_reply(b->alg, b->client_msg,
		    b->alg->client_msg_len, b->server_msg, b->secret)) != 0)
			fail(b->alg->name, r);
		t0 = mp_monotonic_ns();
		r = kex_client_finish(kc, b->server_msg,
		    b->alg->server_msg_len, b->secret);
		busy += mp_monotonic_ns() - t0;
		kex_client_free(kc);
		if (r != 0)
			fail(b->alg->name, r);
		n++;
	}
	return (double)n * 1e9 / (double)busy;
}

static void
bench_kex_one(const char *name)
{
	struct kex_bench b;
	double start, reply, finish, total;

	if ((b.alg = kex_by_name(name)) == NULL)
		fail(name, MP_ERR_UNKNOWN_ALGORITHM);
	start = rate(kex_start_op, &b);
	reply = rate(kex_reply_op, &b);
	finish = kex_finish_rate(&b);
	total = rate(kex_total_op, &b);
	if (start == 0 || reply == 0 || total == 0)
		fail(name, MP_ERR_INTERNAL);
	printf("%-24s %13.0f %13.0f %13.0f %13.0f\n", name, start, reply,
	    finish, total);
}

static void
bench_kex(void)
{
	char *list = strdup(KEX_DEFAULT_LIST), *p, *name;

	if (list == NULL)
		fail("kex", MP_ERR_ALLOC);
	printf("%-24s %13s %13s %13s %13s\n", "key exchange (ops/s)",
	    "client start", "server reply", "client finish", "total");
	for (p = list; (name = strsep(&p, ",")) != NULL; )
		bench_kex_one(name);
	free(list);
}

/* ---- signatures ------------------------------------------------------ */

struct sig_bench {
	struct sig_key *key;
	uint8_t msg[64];
	uint8_t sig[SIG_MAX];
};

static int
sign_op(void *arg)
{
	struct sig_bench *b = arg;

	return sig_sign(b->key, b->msg, sizeof(b->msg), b->sig);
}

static int
verify_op(void *arg)
{
	struct sig_bench *b = arg;

	return sig_verify(b->key, b->msg, sizeof(b->msg), b->sig,
	    sig_key_alg(b->key)->sig_len);
}

static void
bench_sign(void)
{
	static const enum sig_type types[] = { SIG_ED25519, SIG_ECDSA_P256,
	    SIG_ECDSA_P384 };
	const struct sig_alg *alg;
	struct sig_bench b;
	double s, v;
	size_t i;
	int r;

	printf("\n%-28s %13s %13s\n", "signature (64-byte message)",
	    "sign/s", "verify/s");
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if ((alg = sig_by_type(types[i])) == NULL)
			fail("sig_by_type", MP_ERR_UNKNOWN_ALGORITHM);
		if ((r = sig_generate(alg, &b.key)) != 0)
			fail(alg->name, r);
		mp_random(b.msg, sizeof(b.msg));
		s = rate(sign_op, &b);
		v = rate(verify_op, &b);
		sig_free(b.key);
		if (s == 0 || v == 0)
			fail(alg->name, MP_ERR_INTERNAL);
		printf("%-28s %13.0f %13.0f\n", alg->name, s, v);
	}
}

/* ---- AEAD -------------------------------------------------------------- */

static const size_t aead_sizes[] = { 64, 1200, BIG_MSG };
#define NSIZES	(sizeof(aead_sizes) / sizeof(aead_sizes[0]))

struct aead_bench {
	struct aead_ctx *ctx;
	EVP_CIPHER_CTX *evp;	/* the raw OpenSSL reference */
	uint8_t nonce[AEAD_NONCE_BYTES];
	uint8_t aad[16];
	size_t len;
	uint8_t buf[BIG_MSG + AEAD_TAG_BYTES];
};

/* Nonces are a counter, as on the wire. */
static void
next_nonce(uint8_t *nonce)
{
	int i;

	for (i = AEAD_NONCE_BYTES - 1; i >= 0 && ++nonce[i] == 0; i--)
		;
}

static int
seal_op(void *arg)
{
	struct aead_bench *b = arg;

	next_nonce(b->nonce);
	return aead_seal(b->ctx, b->nonce, b->aad, sizeof(b->aad), b->buf,
	    b->len, b->buf);
}

static int
evp_seal_op(void *arg)
{
	struct aead_bench *b = arg;
	int n;

	next_nonce(b->nonce);
	if (EVP_EncryptInit_ex2(b->evp, NULL, NULL, b->nonce, NULL) != 1 ||
	    EVP_EncryptUpdate(b->evp, NULL, &n, b->aad,
	    (int)sizeof(b->aad)) != 1 ||
	    EVP_EncryptUpdate(b->evp, b->buf, &n, b->buf, (int)b->len) != 1 ||
	    EVP_EncryptFinal_ex(b->evp, b->buf + b->len, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(b->evp, EVP_CTRL_AEAD_GET_TAG,
	    AEAD_TAG_BYTES, b->buf + b->len) != 1)
		return MP_ERR_LIBCRYPTO;
	return 0;
}

/* Throughput in MB/s (10^6 bytes of plaintext) of op at len bytes. */
static double
mbps(op_fn op, struct aead_bench *b, size_t len)
{
	b->len = len;
	return rate(op, b) * (double)len / 1e6;
}

/* Prints one cipher's line; returns its 16 KiB throughput. */
static double
bench_aead_one(const char *name, struct aead_bench *b)
{
	const struct aead_alg *alg = aead_by_name(name);
	uint8_t key[AEAD_KEY_MAX];
	double big = 0, v;
	size_t i;

	if (alg == NULL)
		fail(name, MP_ERR_UNKNOWN_ALGORITHM);
	mp_random(key, sizeof(key));
	if ((b->ctx = aead_new(alg, key, alg->key_len)) == NULL)
		fail(name, MP_ERR_LIBCRYPTO);
	printf("%-28s", name);
	for (i = 0; i < NSIZES; i++) {
		if ((v = mbps(seal_op, b, aead_sizes[i])) == 0)
			fail(name, MP_ERR_INTERNAL);
		printf(" %10.1f", v);
		big = v;
	}
	printf("\n");
	aead_free(b->ctx);
	return big;
}

static double
bench_evp_gcm(struct aead_bench *b)
{
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	uint8_t key[32];
	double v;

	mp_random(key, sizeof(key));
	if (cipher == NULL || (b->evp = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex2(b->evp, cipher, key, NULL, NULL) != 1)
		fail("EVP AES-256-GCM", MP_ERR_LIBCRYPTO);
	if ((v = mbps(evp_seal_op, b, BIG_MSG)) == 0)
		fail("EVP AES-256-GCM", MP_ERR_LIBCRYPTO);
	EVP_CIPHER_CTX_free(b->evp);
	EVP_CIPHER_free(cipher);
	return v;
}

/* Returns the GCM-SIV / GCM time ratio at 16 KiB. */
static double
bench_aead(void)
{
	char *list = strdup(AEAD_DEFAULT_LIST), *p, *name;
	struct aead_bench *b = calloc(1, sizeof(*b));
	double siv = 0, gcm = 0, v;

	if (list == NULL || b == NULL)
		fail("aead", MP_ERR_ALLOC);
	mp_random(b->aad, sizeof(b->aad));
	mp_random(b->buf, sizeof(b->buf));
	printf("\n%-28s %10s %10s %10s\n", "AEAD seal (MB/s)", "64 B",
	    "1200 B", "16 KiB");
	for (p = list; (name = strsep(&p, ",")) != NULL; ) {
		v = bench_aead_one(name, b);
		if (strcmp(name, "aes256-gcm-siv") == 0)
			siv = v;
		else if (strcmp(name, "aes256-gcm") == 0)
			gcm = v;
	}
	printf("%-28s %10s %10s %10.1f\n", "(raw OpenSSL EVP AES-256-GCM)",
	    "", "", bench_evp_gcm(b));
	free(list);
	free(b);
	return gcm / siv;
}

/* ---- ML-KEM-768 ------------------------------------------------------ */

struct mlkem_bench {
	uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX];
	uint8_t ss1[MLKEM_SS_BYTES], ss2[MLKEM_SS_BYTES];
};

static int
mlkem_op(void *arg)
{
	struct mlkem_bench *b = arg;
	enum mlkem_level l = MLKEM_768;
	int r;

	if ((r = mlkem_keygen(l, b->ek, b->dk)) != 0 ||
	    (r = mlkem_encaps(l, b->ek, mlkem_ek_len(l), b->ct, b->ss1)) != 0 ||
	    (r = mlkem_decaps(l, b->dk, mlkem_dk_len(l), b->ct,
	    mlkem_ct_len(l), b->ss2)) != 0)
		return r;
	return mp_ct_equal(b->ss1, b->ss2, MLKEM_SS_BYTES) ? 0 :
	    MP_ERR_INTERNAL;
}

static double
bench_mlkem(void)
{
	struct mlkem_bench *b = calloc(1, sizeof(*b));
	double r;

	if (b == NULL)
		fail("mlkem", MP_ERR_ALLOC);
	if ((r = rate(mlkem_op, b)) == 0)
		fail("ML-KEM-768", MP_ERR_INTERNAL);
	free(b);
	return 1e6 / r;
}

int
main(void)
{
	double us, ratio;
	int r;

	if ((r = mp_crypto_init()) != 0)
		fail("mp_crypto_init", r);
	printf("moshpit crypto benchmark (each figure measured for about "
	    "%.1f s)\n\n", (double)BENCH_NS / 1e9);
	bench_kex();
	bench_sign();
	ratio = bench_aead();
	us = bench_mlkem();
	printf("\nML-KEM-768 keygen+encaps+decaps %9.1f us  (target < %.0f us)"
	    "  %s\n", us, MLKEM_TARGET_US, us < MLKEM_TARGET_US ? "PASS" :
	    "MISS");
	printf("AES-256-GCM-SIV / AES-256-GCM time at 16 KiB %5.2fx  "
	    "(target < %.0fx)  %s\n", ratio, SIV_GCM_TARGET,
	    ratio < SIV_GCM_TARGET ? "PASS" : "MISS");
	return 0;
}

/* kex.c: the key-exchange table and its one-round-trip KEM view of X25519, P-256/P-384, ML-KEM and the ML-KEM-768+X25519 hybrid. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/secmem.h"
#include "common/crypto/ecdh.h"
#include "common/crypto/hash.h"
#include "common/crypto/kex.h"
#include "common/crypto/mlkem.h"

/*
 * Each exchange is made of up to two parts, always in this order:
 *   client_msg = [ML-KEM ek] || [ECDH public value]
 *   server_msg = [ML-KEM ct] || [ECDH public value]
 */
enum kex_kind {
	KEX_DH,		/* ECDH part only: secret = the DH secret */
	KEX_MLKEM,	/* ML-KEM part only: secret = K */
	KEX_HYBRID,	/* both: secret = SHA-256(K || X25519 secret) */
};

struct kex_impl {
	struct kex_alg alg;
	enum kex_kind kind;
	enum ecdh_curve curve;		/* KEX_DH and KEX_HYBRID */
	enum mlkem_level lvl;		/* KEX_MLKEM and KEX_HYBRID */
};

static const struct kex_impl kex_table[] = {
	{ .alg = { "mlkem768x25519-sha256", HASH_SHA256, 1184 + 32,
	    1088 + 32, 32 }, .kind = KEX_HYBRID, .curve = ECDH_X25519,
	    .lvl = MLKEM_768 },
	{ .alg = { "x25519-sha256", HASH_SHA256, 32, 32, 32 },
	    .kind = KEX_DH, .curve = ECDH_X25519 },
	{ .alg = { "ml-kem-768-sha256", HASH_SHA256, 1184, 1088, 32 },
	    .kind = KEX_MLKEM, .lvl = MLKEM_768 },
	{ .alg = { "ml-kem-512-sha256", HASH_SHA256, 800, 768, 32 },
	    .kind = KEX_MLKEM, .lvl = MLKEM_512 },
	{ .alg = { "ml-kem-1024-sha256", HASH_SHA256, 1568, 1568, 32 },
	    .kind = KEX_MLKEM, .lvl = MLKEM_1024 },
	{ .alg = { "p256-sha256", HASH_SHA256, 65, 65, 32 },
	    .kind = KEX_DH, .curve = ECDH_P256 },
	{ .alg = { "p384-sha384", HASH_SHA384, 97, 97, 48 },
	    .kind = KEX_DH, .curve = ECDH_P384 },
};
#define NKEX	(sizeof(kex_table) / sizeof(kex_table[0]))

struct kex_client {
	const struct kex_impl *k;
	uint8_t dk[MLKEM_DK_MAX];
	uint8_t priv[ECDH_PRIV_MAX];
};

const struct kex_alg *
kex_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NKEX; i++)
		if (strcmp(kex_table[i].alg.name, name) == 0)
			return &kex_table[i].alg;
	return NULL;
}

/* Our table entry for alg, or NULL for a pointer that is not one. */
static const struct kex_impl *
impl_of(const struct kex_alg *alg)
{
	size_t i;

	for (i = 0; i < NKEX; i++)
		if (&kex_table[i].alg == alg)
			return &kex_table[i];
	return NULL;
}

static int
has_kem(const struct kex_impl *k)
{
	return k->kind != KEX_DH;
}

static int
has_dh(const struct kex_impl *k)
{
	return k->kind != KEX_MLKEM;
}

/* Offsets of the ECDH part in the client and server messages. */
static size_t
client_dh_off(const struct kex_impl *k)
{
	return has_kem(k) ? mlkem_ek_len(k->lvl) : 0;
}

static size_t
server_dh_off(const struct kex_impl *k)
{
	return has_kem(k) ? mlkem_ct_len(k->lvl) : 0;
}

/*
 * The shared secret from the parts' secrets.
 *
 * Hybrid mlkem768x25519-sha256, as OpenSSH's mlkem768x25519-sha256:
 *   K_pq = ML-KEM-768 shared secret (32 bytes)
 *   K_cl = X25519(our private, peer's u) (32 bytes, refused if all zero)
 *   secret = SHA-256(K_pq || K_cl) (32 bytes)
 * the ML-KEM part first, in the same order as in the messages.
 */
static int
combine(const struct kex_impl *k, const uint8_t *kem_ss, const uint8_t *dh_ss,
    uint8_t *secret)
{
	uint8_t cat[MLKEM_SS_BYTES + ECDH_SECRET_MAX];
	int r;

	switch (k->kind) {
	case KEX_DH:
		memcpy(secret, dh_ss, k->alg.secret_len);
		return 0;
	case KEX_MLKEM:
		memcpy(secret, kem_ss, MLKEM_SS_BYTES);
		return 0;
	case KEX_HYBRID:
		memcpy(cat, kem_ss, MLKEM_SS_BYTES);
		memcpy(cat + MLKEM_SS_BYTES, dh_ss, ecdh_secret_len(k->curve));
		r = hash_digest(HASH_SHA256, cat,
		    MLKEM_SS_BYTES + ecdh_secret_len(k->curve), secret);
		mp_zero(cat, sizeof(cat));
		return r;
	}
	return MP_ERR_INTERNAL;
}

int
kex_client_start(const struct kex_alg *alg, struct kex_client **out,
    uint8_t *client_msg)
{
	const struct kex_impl *k;
	struct kex_client *kc;
	int r = 0;

	*out = NULL;
	if ((k = impl_of(alg)) == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if ((kc = calloc(1, sizeof(*kc))) == NULL)
		return MP_ERR_ALLOC;
	kc->k = k;
	if (has_kem(k))
		r = mlkem_keygen(k->lvl, client_msg, kc->dk);
	if (r == 0 && has_dh(k))
		r = ecdh_keygen(k->curve, kc->priv, client_msg +
		    client_dh_off(k));
	if (r != 0) {
		kex_client_free(kc);
		return r;
	}
	*out = kc;
	return 0;
}

int
kex_client_finish(struct kex_client *kc, const uint8_t *server_msg,
    size_t server_msg_len, uint8_t *secret)
{
	const struct kex_impl *k = kc->k;
	uint8_t kem_ss[MLKEM_SS_BYTES], dh_ss[ECDH_SECRET_MAX];
	int r = 0;

	if (server_msg_len != k->alg.server_msg_len)
		return MP_ERR_KEY_LENGTH;
	if (has_kem(k))
		r = mlkem_decaps(k->lvl, kc->dk, mlkem_dk_len(k->lvl),
		    server_msg, mlkem_ct_len(k->lvl), kem_ss);
	if (r == 0 && has_dh(k))
		r = ecdh_derive(k->curve, kc->priv, server_msg +
		    server_dh_off(k), ecdh_pub_len(k->curve), dh_ss);
	if (r == 0)
		r = combine(k, kem_ss, dh_ss, secret);
	if (r != 0)
		mp_zero(secret, k->alg.secret_len);
	mp_zero(kem_ss, sizeof(kem_ss));
	mp_zero(dh_ss, sizeof(dh_ss));
	return r;
}

void
kex_client_free(struct kex_client *kc)
{
	mp_free_secret(kc, sizeof(*kc));
}

/* The server's ECDH part: a fresh key pair, its public value into
 * server_msg, and the secret with the client's public value. */
static int
server_dh(const struct kex_impl *k, const uint8_t *client_pub,
    uint8_t *server_pub, uint8_t *dh_ss)
{
	uint8_t priv[ECDH_PRIV_MAX];
	int r;

	if ((r = ecdh_keygen(k->curve, priv, server_pub)) == 0)
		r = ecdh_derive(k->curve, priv, client_pub,
		    ecdh_pub_len(k->curve), dh_ss);
	mp_zero(priv, sizeof(priv));
	return r;
}

int
kex_server_reply(const struct kex_alg *alg, const uint8_t *client_msg,
    size_t client_msg_len, uint8_t *server_msg, uint8_t *secret)
{
	const struct kex_impl *k;
	uint8_t kem_ss[MLKEM_SS_BYTES], dh_ss[ECDH_SECRET_MAX];
	int r = 0;

	if ((k = impl_of(alg)) == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if (client_msg_len != alg->client_msg_len)
		return MP_ERR_KEY_LENGTH;
	if (has_kem(k))
		r = mlkem_encaps(k->lvl, client_msg, mlkem_ek_len(k->lvl),
		    server_msg, kem_ss);
	if (r == 0 && has_dh(k))
		r = server_dh(k, client_msg + client_dh_off(k),
		    server_msg + server_dh_off(k), dh_ss);
	if (r == 0)
		r = combine(k, kem_ss, dh_ss, secret);
	if (r != 0)
		mp_zero(secret, alg->secret_len);
	mp_zero(kem_ss, sizeof(kem_ss));
	mp_zero(dh_ss, sizeof(dh_ss));
	return r;
}

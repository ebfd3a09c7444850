/* kex.h: the key exchanges by protocol name, all seen as a KEM: the client offers, the server answers, both get a secret. */
#ifndef MP_KEX_H
#define MP_KEX_H

#include <stddef.h>
#include <stdint.h>

#include "common/crypto/hash.h"

/*
 * Every key exchange runs in one round trip:
 *   client: kex_client_start()  -> client_msg (ephemeral public value)
 *   server: kex_server_reply(client_msg) -> server_msg, shared secret
 *   client: kex_client_finish(server_msg) -> shared secret
 * For Diffie-Hellman kinds (x25519, p256, p384) the server's message is its
 * own ephemeral public value; for ML-KEM it is the ciphertext. Points are
 * uncompressed SEC1 (0x04||X||Y) and are validated; the secret is the raw
 * X coordinate (x25519: the 32-byte u value; an all-zero result is
 * refused).
 *
 * mlkem768x25519-sha256 (as OpenSSH 10): client_msg = ek(1184) || X25519
 * pub(32); server_msg = ct(1088) || X25519 pub(32); shared secret =
 * SHA-256(K_mlkem || X25519 secret), 32 bytes.
 */

#define KEX_CLIENT_MSG_MAX	(1568 + 32)
#define KEX_SERVER_MSG_MAX	(1568 + 32)
#define KEX_SECRET_MAX		48

struct kex_alg {
	const char *name;	/* "mlkem768x25519-sha256", ... */
	enum hash_alg hash;	/* hash of the exchange hash H */
	size_t client_msg_len;
	size_t server_msg_len;
	size_t secret_len;
};

const struct kex_alg *kex_by_name(const char *name);	/* NULL if unknown */
#define KEX_DEFAULT_LIST "mlkem768x25519-sha256,x25519-sha256," \
	"ml-kem-768-sha256,ml-kem-1024-sha256,ml-kem-512-sha256," \
	"p256-sha256,p384-sha384"

/* The client's ephemeral secret between start and finish. */
struct kex_client;

/* Returns 0 or mp_err; *out is freed (and zeroed) by kex_client_free().
 * client_msg receives alg->client_msg_len bytes. */
int kex_client_start(const struct kex_alg *alg, struct kex_client **out,
    uint8_t *client_msg);
/* secret receives alg->secret_len bytes. A server_msg of the wrong length
 * or an invalid point gives MP_ERR_INVALID_KEY / MP_ERR_KEY_LENGTH. */
int kex_client_finish(struct kex_client *kc, const uint8_t *server_msg,
    size_t server_msg_len, uint8_t *secret);
void kex_client_free(struct kex_client *kc);

/* The server side in one step: validates client_msg, writes
 * alg->server_msg_len bytes to server_msg and alg->secret_len to secret. */
int kex_server_reply(const struct kex_alg *alg, const uint8_t *client_msg,
    size_t client_msg_len, uint8_t *server_msg, uint8_t *secret);

#endif

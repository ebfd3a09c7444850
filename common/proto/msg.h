/* msg.h: encoding and strict parsing of the handshake messages (PROTOCOL.md 2.3 to 2.10). */
#ifndef MP_PROTO_MSG_H
#define MP_PROTO_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/hash.h"
#include "common/proto/handshake.h"
#include "common/proto/names.h"

enum hs_msg_type {
	HS_MSG_DISCONNECT = 1,
	HS_MSG_HELLO = 10,
	HS_MSG_KEX_CLIENT = 11,
	HS_MSG_KEX_RETRY = 12,
	HS_MSG_KEX_SERVER = 13,
	HS_MSG_USERAUTH_REQUEST = 20,
	HS_MSG_USERAUTH_FAILURE = 21,
	HS_MSG_USERAUTH_SUCCESS = 22,
	HS_MSG_SESSION_NEW = 30,
	HS_MSG_SESSION_RESUME = 31,
	HS_MSG_SESSION_LIST = 32,
	HS_MSG_SESSION_REPLY = 33,
	HS_MSG_SESSION_LIST_REPLY = 34,
	HS_MSG_SESSION_FAILURE = 35,
};

#define HS_COOKIE_BYTES	16
#define HS_TEXT_MAX	1024	/* DISCONNECT description, failure messages */
#define HS_SIG_MAX	SIG_MAX

/*
 * Every put function appends the type byte and the payload. Every get
 * function reads the payload of a message whose type byte the caller has
 * already consumed, checks every length and range, and refuses trailing
 * bytes. Pointers in parsed structs point into the parsed buffer.
 */

/* The message's name ("HELLO"), or NULL for an unknown type. */
const char *hs_msg_name(unsigned int type);

/* The lists of HELLO, in wire order; the first HS_HELLO_ALGS are the
 * algorithm categories negotiated. */
enum hs_hello_list {
	HS_LIST_KEX,
	HS_LIST_HOSTKEY,
	HS_LIST_AEAD,
	HS_LIST_MAC,
	HS_LIST_KDF,
	HS_LIST_EXT,
	HS_NLISTS
};
#define HS_HELLO_ALGS	HS_LIST_EXT

struct hs_hello {
	uint8_t cookie[HS_COOKIE_BYTES];
	char list[HS_NLISTS][NAMES_LIST_MAX + 1];
};
int hs_msg_put_hello(struct buf *b, const struct hs_hello *m);
int hs_msg_get_hello(struct buf *b, struct hs_hello *m);

struct hs_kex_client {
	char name[HS_NAME_MAX + 1];
	const uint8_t *q;
	size_t q_len;
};
int hs_msg_put_kex_client(struct buf *b, const char *name, const uint8_t *q,
    size_t q_len);
int hs_msg_get_kex_client(struct buf *b, struct hs_kex_client *m);

int hs_msg_put_kex_retry(struct buf *b, const char *name);
int hs_msg_get_kex_retry(struct buf *b, char name[HS_NAME_MAX + 1]);

struct hs_kex_server {
	const uint8_t *host_key, *q, *sig;
	size_t host_key_len, q_len, sig_len;
};
int hs_msg_put_kex_server(struct buf *b, const struct hs_kex_server *m);
int hs_msg_get_kex_server(struct buf *b, struct hs_kex_server *m);

struct hs_userauth {
	char user[HS_NAME_MAX + 1];
	const uint8_t *blob, *sig;
	size_t blob_len, sig_len;
};
int hs_msg_put_userauth(struct buf *b, const struct hs_userauth *m);
int hs_msg_get_userauth(struct buf *b, struct hs_userauth *m);
/* 0 if user (len bytes) is a valid user name (PROTOCOL.md 2.8.1). */
int hs_msg_user_valid(const char *user, size_t len);

/* DISCONNECT (reason), USERAUTH_FAILURE (attempts left) and
 * SESSION_FAILURE (reason): a uint32 and a text of at most HS_TEXT_MAX
 * bytes without NUL. */
int hs_msg_put_coded(struct buf *b, enum hs_msg_type type, uint32_t code,
    const char *text);
int hs_msg_get_coded(struct buf *b, uint32_t *code,
    char text[HS_TEXT_MAX + 1]);
/* Remove control characters and malformed UTF-8 from s, in place. */
void hs_msg_clean_text(char *s);

/* USERAUTH_SUCCESS, SESSION_LIST: the type byte alone. */
int hs_msg_put_empty(struct buf *b, enum hs_msg_type type);

/* SESSION_NEW, SESSION_RESUME (with proof) or SESSION_LIST, by r->type.
 * The parser is told the type; the caller frees the request with
 * hs_request_clear(). */
int hs_msg_put_request(struct buf *b, const struct hs_request *r,
    const uint8_t *proof, size_t proof_len);
int hs_msg_get_request(struct buf *b, enum hs_msg_type type,
    struct hs_request *r, uint8_t proof[HASH_MAX_BYTES], size_t *proof_len);

/* The answer to a request of type req: SESSION_FAILURE when !r->ok, else
 * SESSION_LIST_REPLY for a list and SESSION_REPLY otherwise. The parser
 * fills r from a message of the given type (ok is set from it). */
int hs_msg_put_reply(struct buf *b, enum hs_request_type req,
    const struct hs_reply *r);
int hs_msg_get_reply(struct buf *b, enum hs_msg_type type,
    struct hs_reply *r);

/* 1 if n is the length of an exchange hash, hence of a session id. */
int hs_msg_id_len_ok(size_t n);

#endif

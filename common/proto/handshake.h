/* handshake.h: the TCP handshake of PROTOCOL.md section 2 as two socket-free state machines, client and server. */
#ifndef MP_HANDSHAKE_H
#define MP_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/sign.h"

/*
 * Both machines consume bytes as they arrive and append the bytes to send
 * to a caller's buffer; they never touch a socket, so they run in-process
 * in tests and unchanged in the sandboxed net child. Every step the server
 * cannot take itself (host key, authorisation, session set-up) is a call
 * through struct hs_server_ops, which the monitor implements over IPC.
 */

#define HS_CONTINUE	1	/* needs more input */
#define HS_DONE		0	/* finished; results available */
/* Otherwise a negative mp_err: the handshake failed. The output buffer
 * may then hold a DISCONNECT to send before closing, and
 * hs_*_error() says what happened in words fit for a log or the user. */

#define HS_MAX_MESSAGE	32768	/* type + payload, before encryption */
#define HS_H_MAX	48	/* exchange hash: SHA-256 or SHA-384 */
#define HS_KEY_MAX	32
#define HS_MAC_KEY_MAX	64
#define HS_RESUME_BYTES	32
#define HS_NAME_MAX	64

/* Algorithm preferences as comma-separated name lists, most preferred
 * first; NULL means the built-in default list. */
struct hs_algorithms {
	const char *kex;
	const char *hostkey;
	const char *aead;
	const char *mac;
	const char *kdf;
};

/* What both ends hold after a successful handshake. */
struct hs_keys {
	char kex[HS_NAME_MAX + 1], hostkey[HS_NAME_MAX + 1];
	char aead[HS_NAME_MAX + 1], mac[HS_NAME_MAX + 1], kdf[HS_NAME_MAX + 1];
	uint8_t h[HS_H_MAX];			/* this connection's H */
	size_t h_len;
	uint8_t session_id[HS_H_MAX];		/* = h, or the resumed id */
	size_t session_id_len;
	uint8_t c2s_key[HS_KEY_MAX], s2c_key[HS_KEY_MAX];	/* UDP */
	size_t key_len;
	uint8_t c2s_mac[HS_MAC_KEY_MAX], s2c_mac[HS_MAC_KEY_MAX]; /* UDP */
	size_t mac_len;				/* 0 for "implicit" */
	uint8_t resume[HS_RESUME_BYTES];
};
/* Erase a struct hs_keys. */
void hs_keys_clear(struct hs_keys *k);

enum hs_request_type {
	HS_REQ_NEW = 30,	/* SESSION_NEW */
	HS_REQ_RESUME = 31,	/* SESSION_RESUME */
	HS_REQ_LIST = 32,	/* SESSION_LIST */
};

#define HS_ENV_MAX	64
struct hs_env {
	char *name;
	char *value;
};

/* A session request as sent by the client / parsed by the server. */
struct hs_request {
	enum hs_request_type type;
	/* HS_REQ_NEW */
	char *term;
	char *mode;			/* "statesync", "reliable", "datagram" */
	char *command;			/* "" for the login shell */
	uint32_t flags;			/* bit 0: no PTY */
	size_t nenv;
	struct hs_env env[HS_ENV_MAX];
	/* HS_REQ_NEW and HS_REQ_RESUME */
	uint16_t cols, rows, xpixel, ypixel;
	/* HS_REQ_RESUME: the session id; the proof is made / checked by
	 * the handshake itself from the resume secret. */
	uint8_t session_id[HS_H_MAX];
	size_t session_id_len;
};
/* Free the strings of a request parsed by the server. */
void hs_request_clear(struct hs_request *r);

#define HS_LIST_MAX	64	/* keeps the reply under HS_MAX_MESSAGE */
struct hs_session_info {
	uint8_t session_id[HS_H_MAX];
	size_t session_id_len;
	uint64_t started;		/* seconds since the epoch */
	int attached;
	uint16_t cols, rows;
	char command[256];
};

/* The server's answer to a request. */
struct hs_reply {
	int ok;				/* 0: refused, see reason/message */
	uint32_t reason;		/* DISCONNECT / SESSION_FAILURE code */
	char message[256];
	/* HS_REQ_NEW and HS_REQ_RESUME */
	uint16_t udp_port;
	char mode[16];
	uint8_t session_id[HS_H_MAX];	/* for resume: the resumed id */
	size_t session_id_len;
	/* HS_REQ_LIST */
	size_t nsessions;
	struct hs_session_info sessions[HS_LIST_MAX];
};

/* Reason codes of DISCONNECT and SESSION_FAILURE (PROTOCOL.md 2.10). */
enum hs_reason {
	HS_R_PROTOCOL_ERROR = 1,
	HS_R_KEX_FAILED = 2,
	HS_R_HOST_KEY_NOT_VERIFIABLE = 3,
	HS_R_AUTH_FAILED = 4,
	HS_R_VERSION_NOT_SUPPORTED = 5,
	HS_R_LOGIN_GRACE_TIME = 6,
	HS_R_SESSION_NOT_FOUND = 7,
	HS_R_SESSION_REFUSED = 8,
	HS_R_RESOURCE_SHORTAGE = 9,
	HS_R_INTERNAL_ERROR = 10,
	HS_R_BY_APPLICATION = 11,
};

/* ---- server ------------------------------------------------------------ */

/*
 * The privileged steps. Each returns 0 or a negative mp_err. The monitor
 * behind them trusts nothing the net child computed: it signs only the
 * first H it is given, and verifies user signatures over data it builds
 * from that H itself.
 */
struct hs_server_ops {
	/* Comma-separated host key algorithms the server has keys for, in
	 * preference order (its HELLO offers exactly these). */
	const char *hostkey_algorithms;
	/* The public key blob of the host key of algorithm alg. */
	int (*host_key)(void *arg, const char *alg, struct buf *blob);
	/* Sign "moshpit-host-signature-v1" || H with that key (once). */
	int (*sign_h)(void *arg, const char *alg, const uint8_t *h,
	    size_t h_len, struct buf *sig);
	/* 0 if blob is an authorised key for user; MP_ERR_NOT_FOUND if not. */
	int (*key_allowed)(void *arg, const char *user, const uint8_t *blob,
	    size_t blob_len);
	/* Verify the user's signature over the PROTOCOL.md 2.8.1 data built
	 * from the signed H: 0 or MP_ERR_SIGNATURE. */
	int (*verify_user)(void *arg, const char *user, const uint8_t *blob,
	    size_t blob_len, const uint8_t *sig, size_t sig_len);
	/* Resume: 0 if session id belongs to user and proof is the
	 * PROTOCOL.md 2.8.3 proof (with kdf's hash, over the signed H) made
	 * with its resume secret; MP_ERR_NOT_FOUND otherwise. The secret
	 * stays with the monitor, like the keys it checks signatures with. */
	int (*verify_resume)(void *arg, const char *user, const char *kdf,
	    const uint8_t *id, size_t id_len, const uint8_t *proof,
	    size_t proof_len);
	/* Carry out an authenticated request; fill reply. For a new or
	 * resumed session the handshake itself sets reply->session_id
	 * (H, or the resumed id) afterwards. */
	int (*request)(void *arg, const char *user,
	    const struct hs_request *req, struct hs_reply *reply);
};

struct hs_server;

/* software: the <software> part of the version line. NULL on failure. */
struct hs_server *hs_server_new(const struct hs_algorithms *algs,
    const char *software, const struct hs_server_ops *ops, void *arg);
/* Feed received bytes; append what to send to out. HS_CONTINUE, HS_DONE
 * (the reply to the session request is in out; for a new or resumed
 * session the keys are ready) or a negative mp_err. */
int hs_server_input(struct hs_server *s, const uint8_t *data, size_t len,
    struct buf *out);
/* After HS_DONE for a new or resumed session; MP_ERR_INVALID_ARGUMENT
 * otherwise. */
int hs_server_keys(const struct hs_server *s, struct hs_keys *keys);
const char *hs_server_user(const struct hs_server *s);	/* once authed */
const char *hs_server_error(const struct hs_server *s);
void hs_server_free(struct hs_server *s);

/* ---- client ------------------------------------------------------------ */

/* One identity to offer: its public key and a way to sign with it (a
 * local key, or the agent later). sign() is given the room in sig in
 * *sig_len and sets it to the signature's length. */
struct hs_identity {
	const struct sig_key *pub;
	int (*sign)(void *arg, const uint8_t *data, size_t len, uint8_t *sig,
	    size_t *sig_len);
	void *arg;
};

struct hs_client_params {
	const char *user;
	struct hs_identity *ids;		/* tried in order */
	size_t nids;
	/* 0 to accept the server's host key, else a negative mp_err (the
	 * handshake then ends with HOST_KEY_NOT_VERIFIABLE). */
	int (*verify_host)(void *arg, const struct sig_key *host_key);
	void *verify_arg;
	/* What to ask for; its strings must outlive the client. */
	struct hs_request request;
	const uint8_t *resume_secret;		/* HS_REQ_RESUME only */
};

struct hs_client;

struct hs_client *hs_client_new(const struct hs_algorithms *algs,
    const char *software, const struct hs_client_params *params);
/* The first flight: version line, HELLO, KEX_CLIENT. */
int hs_client_start(struct hs_client *c, struct buf *out);
int hs_client_input(struct hs_client *c, const uint8_t *data, size_t len,
    struct buf *out);
/* After HS_DONE: the server's answer, and for a session the keys. */
const struct hs_reply *hs_client_reply(const struct hs_client *c);
int hs_client_keys(const struct hs_client *c, struct hs_keys *keys);
/* The server's host key (valid after KEX_SERVER). */
const struct sig_key *hs_client_host_key(const struct hs_client *c);
const char *hs_client_error(const struct hs_client *c);
void hs_client_free(struct hs_client *c);

#endif

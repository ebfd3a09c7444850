/* monmsg.h: the schema of the messages between mps's monitor and its net child (types, payload codecs), shared by both sides. */
#ifndef MP_MONMSG_H
#define MP_MONMSG_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/hash.h"
#include "common/proto/handshake.h"

/*
 * Every message travels as one common/ipc record. The net child runs
 * mps-net with these descriptors and nothing else open:
 */
#define MON_FD_NET	3	/* TCP socket (preauth) or UDP socket (session) */
#define MON_FD_IPC	4	/* SOCK_SEQPACKET to the monitor */
#define MON_FD_LOG	5	/* log pipe, write end */
#define MON_FD_TERM	6	/* session: PTY master, or the command's stdin */
#define MON_FD_OUT	7	/* session without PTY: the command's stdout */
#define MON_FD_ERR	8	/* session without PTY: the command's stderr */

enum mon_type {
	/* monitor -> child, first message of every child */
	MON_CONFIG = 1,
	/* preauth: child -> monitor request, monitor -> child answer */
	MON_HOSTKEY = 10,	/* string alg */
	MON_HOSTKEY_ANS,	/* string blob */
	MON_SIGN,		/* string alg, string H */
	MON_SIGN_ANS,		/* string signature */
	MON_KEYALLOWED,		/* string user, string blob */
	MON_KEYALLOWED_ANS,	/* uint32 -result (0 or -mp_err) */
	MON_VERIFY,		/* string user, string blob, string sig */
	MON_VERIFY_ANS,		/* uint32 -result */
	MON_RESUME,		/* string user, string kdf, string id, string proof */
	MON_RESUME_ANS,		/* uint32 -result */
	MON_REQUEST,		/* a SESSION_NEW or SESSION_LIST message body */
	MON_REQUEST_ANS,	/* monmsg_put_reply() */
	MON_KEYS,		/* child -> monitor: monmsg_put_keys(); then exit */
	/* session: monitor -> child */
	MON_SESSION_KEYS = 30,	/* monmsg_put_keys() */
	MON_EXIT_STATUS,	/* byte kind, uint32 value */
	MON_REKEY,		/* a resume: monmsg_put_keys(), uint16 cols,
				 * rows, xpixel, ypixel */
	/* resume: a connection's monitor -> the session's monitor, over
	 * the session's control socket (monitor/resume.c) */
	MON_CTL_CHECK = 40,	/* string user, string kdf, string H,
				 * string proof, string address, uint32 port */
	MON_CTL_CHECK_ANS,	/* uint16 UDP port, byte mode, uint32 -result */
	MON_CTL_KEYS,		/* as MON_REKEY */
	MON_CTL_KEYS_ANS,	/* uint32 -result */
};

/* The delivery mode of a session (PROTOCOL.md 3.4). */
enum mon_mode {
	MON_MODE_RELIABLE = 0,
	MON_MODE_DATAGRAM = 1,
	MON_MODE_STATESYNC = 2,
};

enum mon_phase {
	MON_PHASE_PREAUTH = 1,
	MON_PHASE_SESSION = 2,
};

/* What the monitor tells a fresh net child (MON_CONFIG). */
struct mon_config {
	uint8_t phase;		/* enum mon_phase */
	uint32_t uid, gid;	/* to drop to */
	char chroot[256];	/* "" for none */
	uint8_t dedicated_user;	/* uid is the privsep user's (RLIMIT_NPROC 0) */
	uint8_t seccomp_debug;
	uint8_t log_level;	/* enum log_level */
	uint32_t grace_ms;	/* preauth: login grace time, 0 none */
	uint32_t pacing_us;	/* session */
	uint8_t no_pty;		/* session: pipes instead of a PTY */
	uint8_t mode;		/* session: enum mon_mode */
	uint16_t cols, rows, xpixel, ypixel;	/* session: the first window size */
	uint32_t push_ms;	/* session: datagram_push_ms */
	uint32_t scrollback_rate;	/* session: lines per second, 0 none */
	uint32_t warmup_ms;	/* session: wait before the first datagram */
	uint32_t timeout_s;	/* session: end after this silence; 0 never */
	uint8_t test_violation;	/* regress only: make a forbidden call */
	/* preauth: algorithm lists ("" = built-in default) */
	char kex[1024], hostkey[1024], aead[1024], mac[1024], kdf[1024];
};

/* A string without NUL into out (size bytes with the NUL). */
int monmsg_get_text(struct buf *b, char *out, size_t size);

int monmsg_put_config(struct buf *b, const struct mon_config *c);
int monmsg_get_config(struct buf *b, struct mon_config *c);

int monmsg_put_keys(struct buf *b, const struct hs_keys *k);
/* Checks every length and name; k is erased on failure. */
int monmsg_get_keys(struct buf *b, struct hs_keys *k);
/* MON_REKEY and MON_CTL_KEYS: the keys, then the window size (columns,
 * rows, width, height; columns and rows 1 to 4096). */
int monmsg_put_rekey(struct buf *b, const struct hs_keys *k,
    const uint16_t size[4]);
int monmsg_get_rekey(struct buf *b, struct hs_keys *k, uint16_t size[4]);

/* MON_CTL_CHECK: a resuming connection's claim to a session's monitor
 * (its user, KDF, H and proof, and where it comes from). */
struct mon_resume_claim {
	char user[HS_NAME_MAX + 1], kdf[HS_NAME_MAX + 1], addr[64];
	uint8_t h[HS_H_MAX], proof[HASH_MAX_BYTES];
	size_t h_len, proof_len;
	uint32_t port;
};

/* A field too long for the other side (or a string without its NUL) is
 * refused with MP_ERR_INVALID_ARGUMENT before anything is written. */
int monmsg_put_resume_claim(struct buf *b, const struct mon_resume_claim *c);
/* Checks every length; a NUL in a text is refused, other bytes kept. */
int monmsg_get_resume_claim(struct buf *b, struct mon_resume_claim *c);

/* MON_RESUME: the net child asks its monitor to check a resume proof
 * (the authenticated user, the connection's KDF, the session id to
 * resume and the proof). */
struct mon_resume_request {
	char user[HS_NAME_MAX + 1], kdf[HS_NAME_MAX + 1];
	uint8_t id[HS_H_MAX], proof[HASH_MAX_BYTES];
	size_t id_len, proof_len;
};

/* As for a claim: a field too long is refused before anything is
 * written; the decoder checks every length and refuses a NUL in a text
 * and trailing bytes. */
int monmsg_put_resume_request(struct buf *b,
    const struct mon_resume_request *q);
int monmsg_get_resume_request(struct buf *b, struct mon_resume_request *q);

/* A request answer: ok, reason, message, then for a session the port
 * and mode, for a list the sessions. */
int monmsg_put_reply(struct buf *b, const struct hs_reply *r);
int monmsg_get_reply(struct buf *b, struct hs_reply *r);

/* A result code as sent (0 or a negative mp_err) and back; a value that
 * is not a known code reads as MP_ERR_INTERNAL. */
int monmsg_put_result(struct buf *b, int result);
int monmsg_get_result(struct buf *b, int *result);

#endif

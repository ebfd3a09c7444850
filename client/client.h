/* client.h: what mp's source files share: connecting, the session request, identities and login, host key checks, prompts, the terminal, the escape key and the session loop. */
#ifndef MP_CLIENT_H
#define MP_CLIENT_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "client/mp_config.h"
#include "common/crypto/sign.h"
#include "common/proto/channel.h"
#include "common/proto/handshake.h"

#define MP_EXIT_ERROR		255	/* mp's own failures, as ssh */
#define MP_SOFTWARE		"moshpit_" MP_VERSION
#define CONNECT_TIMEOUT_MS	15000	/* per address tried */
#define HANDSHAKE_TIMEOUT_MS	60000	/* server silent while logging in */
#define SILENCE_WARN_MS		10000	/* no authentic datagram: warn */
#define PASSPHRASE_SIZE		(1024 + 1) /* bytes, the NUL included */

/* What went wrong, in words for the user (without the "mp: " prefix). */
struct client_error {
	char msg[512];
};

/* ---- connect.c ---- */

/* A TCP connection to the server, and the address it reached. */
struct mp_conn {
	int fd;				/* -1 when closed */
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char addr_text[64];		/* numeric, no brackets or port */
};

/*
 * Resolve host, then try each address in turn, timeout_ms each, until a
 * TCP connection succeeds; TCP_NODELAY is set on it. 0, or
 * MP_ERR_NOT_FOUND (name resolution) / MP_ERR_SYSTEM with err filled
 * ("connect to host H port P: Connection refused").
 */
int client_connect(const char *host, uint16_t port, int timeout_ms,
    struct mp_conn *conn, struct client_error *err);
void client_disconnect(struct mp_conn *conn);

/* ---- request.c ---- */

/* A SESSION_NEW request and the strings it points to. */
struct mp_request {
	struct hs_request req;
	char term[65];
};

/*
 * The request for cfg: TERM, the window size of standard input, the
 * variables of envp matching cfg->send_env, the command joined with
 * spaces, and the no-PTY flag (-T, or a command with standard input not
 * a terminal, unless -t). 0, or a negative mp_err with err filled.
 */
int request_build(const struct mp_config *cfg, char *const *envp,
    struct mp_request *r, struct client_error *err);
void request_free(struct mp_request *r);
/* 1 if the request asks for no PTY. */
int request_no_pty(const struct mp_request *r);

/* ---- prompt.c ---- */

/*
 * A passphrase for prompt, from /dev/tty with echo off or from the
 * MP_ASKPASS program (run with the prompt as its argument; the first line
 * of its output is the answer) when standard input is not a terminal or
 * MP_ASKPASS_REQUIRE is "force" or "prefer" ("never": the terminal only).
 * 0; MP_ERR_NOT_FOUND if there is no way to ask; MP_ERR_INCOMPLETE if the
 * user gave no answer; MP_ERR_TOO_LARGE. buf is zeroed on failure.
 */
int prompt_passphrase(const char *prompt, char *buf, size_t size);
/* A line typed on /dev/tty with echo on; MP_ERR_NOT_FOUND if no terminal. */
int prompt_line(const char *prompt, char *buf, size_t size);

/* ---- hostkey.c ---- */

/* How to check one server's host key against a known_hosts file. */
struct hostkey_check {
	const char *host;		/* as the user typed it */
	unsigned int port;
	const char *addr;		/* the address reached (prompt) */
	const char *path;		/* the known_hosts file */
	enum mp_host_key_checking mode;
	/* Ask a question and read a line; NULL: prompt_line(). */
	int (*ask)(void *arg, const char *question, char *answer,
	    size_t size);
	void *ask_arg;
	FILE *msg;			/* where messages go (stderr) */
	int refused;			/* set when the key was refused */
};

/*
 * known_hosts decision for key: 0 to go on (known, or unknown and
 * accepted, then recorded), else a negative mp_err after explaining on
 * hc->msg. Has the signature of hs_client_params.verify_host, with hc as
 * its argument.
 */
int hostkey_verify(void *hc, const struct sig_key *key);
/* The known_hosts name of host and port: "host" or "[host]:port". */
int hostkey_name(const char *host, unsigned int port, char *out,
    size_t size);

/* ---- login.c ---- */

struct mp_identity {
	struct sig_key *key;		/* with its private half */
	char *path;
};

struct mp_identities {
	struct mp_identity id[MP_IDENTITIES_MAX];
	struct hs_identity hs[MP_IDENTITIES_MAX];
	size_t n;
};

/*
 * Load every configured identity that exists, asking for passphrases;
 * problems with one key are reported and the key skipped. 0, or
 * MP_ERR_NOT_FOUND with err filled if none is usable.
 */
int identities_load(const struct mp_config *cfg, struct mp_identities *ids,
    struct client_error *err);
void identities_free(struct mp_identities *ids);

/* What a successful login gives the session. */
struct mp_login {
	struct hs_keys keys;
	uint16_t udp_port;
	char mode[16];
};

/*
 * Run the handshake over conn: host key check, authentication with ids,
 * the request. 0 with *out filled (its keys to be erased with
 * hs_keys_clear()), or a negative mp_err with err filled.
 */
int login_run(const struct mp_config *cfg, const struct mp_conn *conn,
    struct mp_identities *ids, const struct hs_request *req,
    const uint8_t *resume_secret, struct mp_login *out,
    struct client_error *err);

/* ---- tty.c ---- */

/* Put terminal fd in raw mode like ssh; the old mode comes back on
 * rawmode_leave(), at exit and on fatal signals. 0 or MP_ERR_SYSTEM. */
int rawmode_enter(int fd);
/* Restore the terminal (idempotent, async-signal-safe). */
void rawmode_leave(void);
int rawmode_active(void);
/* The window size of terminal fd, each value within 1-4096 (pixels
 * 0-65535); 80x24 when fd is not a terminal. 0 or MP_ERR_SYSTEM. */
int winsize_get(int fd, uint16_t *cols, uint16_t *rows, uint16_t *xpixel,
    uint16_t *ypixel);

/* ---- escape.c ---- */

#define ESCAPE_CONTINUE		0
#define ESCAPE_DISCONNECT	1

/* The escape key state: key at the start of a line, then '.' quits. */
struct escape {
	int key;		/* a byte, or -1 for none */
	int line_start;		/* the last byte ended a line, or none yet */
	int pending;		/* key typed at a line start, undecided */
};

void escape_init(struct escape *e, int key);
/*
 * Filter len typed bytes into out, which has room for len + 1 bytes;
 * *out_len is what to send. key key: one key; key '.': ESCAPE_DISCONNECT
 * (the bytes after it are dropped); key and another byte: both.
 */
int escape_filter(struct escape *e, const uint8_t *in, size_t len,
    uint8_t *out, size_t *out_len);
/* The key's name for messages: "ctrl-^", "~"; "none" for -1. */
void escape_key_name(int key, char *buf, size_t size);

/* ---- session.c ---- */

/* ---- saved.c ---- */

#define SAVED_MAGIC	"moshpit-session-v1"	/* first line of the file */
#define SAVED_FILE_MAX	1024			/* bytes */

/* What resumes a session: its identifier and current resume secret. */
struct saved_session {
	uint8_t id[HS_H_MAX];
	size_t id_len;
	uint8_t secret[HS_RESUME_BYTES];
};

/* ~/.mp/sessions/USER@HOST_PORT_TTY for cfg's destination and the
 * terminal tty; MP_ERR_NOT_FOUND without a home or a terminal. */
int saved_path(const struct mp_config *cfg, const char *tty, char *out,
    size_t size);
/* Write k's session id and resume secret (mode 0600, atomically). */
int saved_store(const char *path, const struct hs_keys *k);
/* 0; MP_ERR_NOT_FOUND; MP_ERR_KEY_PERMISSIONS if others may read it or
 * it is not the user's; MP_ERR_INVALID_FORMAT. */
int saved_load(const char *path, struct saved_session *s);
/* The text of a saved file into s: 0 or MP_ERR_INVALID_FORMAT (s then
 * partly filled: saved_load() zeroes it). */
int saved_parse(const char *text, struct saved_session *s);
void saved_remove(const char *path);

/* ---- reconnect.c ---- */

/* What a new TCP handshake needs to resume the running session. */
struct reconnect {
	const struct mp_config *cfg;
	struct mp_identities *ids;
	char saved[4096];		/* the saved session's file; "" none */
	struct saved_session session;
	uint64_t next_try;		/* 0: not trying */
	uint32_t backoff_ms;
	/* Input carried over to a new channel: the session's input offset
	 * where the channel's stream begins (known once INPUT_BASE came),
	 * and the bytes the server may lack (from carry_at; the first
	 * carry_old of them came from the old channel). */
	uint64_t input_base;
	int base_unknown;
	struct buf *carry;
	uint64_t carry_at;
	size_t carry_old;
};

/* Resume rc's session over a new connection with a window of cols x
 * rows: 0 with *login filled (its keys replace the old ones, the saved
 * file too) and *conn the address reached (closed), MP_ERR_NOT_FOUND if
 * the server no longer has the session, or another mp_err with err
 * filled (try again later). */
int reconnect_resume(struct reconnect *rc, uint16_t cols, uint16_t rows,
    struct mp_conn *conn, struct mp_login *login, struct client_error *err);
/* Remember the session login started (and save it for a restart). */
void reconnect_start(struct reconnect *rc, const struct hs_keys *k);
/* The session ended: nothing to resume any more. */
void reconnect_end(struct reconnect *rc);
/* Before leaving channel old for a new one: keep the input it has not
 * had acknowledged. */
int reconnect_carry(struct reconnect *rc, const struct chan *old);
/* 1 while the new channel's INPUT_BASE has not come: input waits. */
int reconnect_waiting(const struct reconnect *rc);
/* Typed meanwhile: kept after the carried input. */
int reconnect_hold(struct reconnect *rc, const uint8_t *p, size_t n);
/* Once INPUT_BASE came on c: write there what the server lacks. */
int reconnect_deliver(struct reconnect *rc, struct chan *c);

/*
 * Run the UDP session after login until it ends; returns the exit status
 * for mp: the remote command's (128 + N when it died of signal N), or
 * MP_EXIT_ERROR (no status, ESCAPE '.', a signal, a local failure).
 * The keys in login are erased once the channel has its copy. With rc,
 * a server silent for too long is reached again by resuming.
 */
int session_run(const struct mp_config *cfg, const struct mp_conn *conn,
    struct mp_login *login, int no_pty, struct reconnect *rc);
/* The status mp exits with for a reported exit (kind 0: code, 1: signal). */
int session_exit_status(uint8_t kind, uint32_t value);

#endif

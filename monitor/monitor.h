/* monitor.h: the per-connection monitor of mps (root when mps is): its state, and the handlers it is made of. */
#ifndef MP_MONITOR_H
#define MP_MONITOR_H

#include <sys/socket.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "common/authkeys.h"
#include "common/buf.h"
#include "common/crypto/sign.h"
#include "common/proto/handshake.h"
#include "monitor/mps_config.h"
#include "monitor/pty.h"

/* How a connection ended before a session began, for the listener's
 * penalties (one byte on the connection's status pipe). */
#define CONN_STATUS_AUTHED	'A'	/* authenticated: not a startup any more */
#define CONN_STATUS_NOAUTH	'N'	/* closed before authenticating */
#define CONN_STATUS_AUTHFAIL	'F'	/* authentication failed */
#define CONN_STATUS_GRACE	'G'	/* login grace time exceeded */
#define CONN_STATUS_CRASH	'C'	/* the net child died abnormally */

/* The host key mps serves with (one per algorithm later). */
struct hostkey {
	struct sig_key *key;
	const char *alg;	/* its algorithm name */
};

/* The user being logged in, copied from getpwnam(). */
struct mon_user {
	char name[HS_NAME_MAX + 1];
	char home[4096];
	char shell[4096];
	uid_t uid;
	gid_t gid;
};

struct mon_conn {
	const struct mps_config *cfg;
	const struct hostkey *hostkey;
	int status_fd;			/* to the listener; -1 once reported */
	/* the TCP connection */
	int sock;
	struct sockaddr_storage peer, local;
	socklen_t peer_len, local_len;
	char peer_addr[64], local_addr[64];
	unsigned peer_port, local_port;
	/* the net child of the current phase */
	pid_t net_pid;
	int ipc_fd, log_fd;
	struct buf *log_buf;
	const char *phase_tag;		/* "preauth" or "session" */
	/* authentication state; nothing here comes from the child
	 * unchecked */
	int signed_h;
	uint8_t h[HS_H_MAX];
	size_t h_len;
	int have_candidate;		/* KEYALLOWED said yes to this: */
	struct mon_user user;
	uint8_t blob[4096];
	size_t blob_len;
	struct authkeys_match match;
	int authenticated;
	int auth_failures;
	/* the session */
	int requested;			/* a SESSION_NEW was set up */
	struct hs_request req;		/* its copy */
	int no_pty;
	int mode;			/* enum mon_mode */
	char *command;			/* effective: command= wins */
	struct mpam *pam;
	struct mpty pty;
	int udp_fd;
	uint16_t udp_port;
	int pipes[3];			/* no PTY: stdin w, stdout r, stderr r */
	int child_pipes[3];		/* their other ends */
	pid_t session_pid;
	int utmp_written;
	struct hs_keys keys;
	/* resume (monitor/resume.c): in a session's monitor, its control
	 * socket and what proves a resume; in a resuming connection's
	 * monitor, the control connection to the session's monitor */
	int ctl_fd;
	uint8_t session_id[HS_H_MAX];
	size_t session_id_len;
	char session_kdf[HS_NAME_MAX + 1];
	uint8_t resume_secret[HS_RESUME_BYTES];
	int resuming;
};

/* monitor.c: run the connection from accept to the end (never returns). */
void monitor_run(const struct mps_config *cfg, const struct hostkey *hk,
    int sock, int status_fd) __attribute__((noreturn));
void monitor_report(struct mon_conn *mc, char status);

/* moncaps.c: keep only the capabilities the monitor uses (root only). */
int monitor_drop_capabilities(void);

/* netchild.c: the settings of a net child for a phase, and exec'ing
 * mps-net with its fixed descriptors (net_fd, then term_fds). */
struct mon_config;
int netchild_config(const struct mon_conn *mc, int phase,
    struct mon_config *nc);
int netchild_spawn(struct mon_conn *mc, int net_fd, const int *term_fds,
    size_t nterm, const struct buf *config);
/* Relay what the child logged; 0, or -1 at end of file. */
int netchild_relay_log(struct mon_conn *mc);

/* mon_auth.c: the authentication handlers. */
int mon_hostkey(struct mon_conn *mc, struct buf *req, struct buf *ans);
int mon_sign(struct mon_conn *mc, struct buf *req, struct buf *ans);
int mon_keyallowed(struct mon_conn *mc, struct buf *req, struct buf *ans);
int mon_verify(struct mon_conn *mc, struct buf *req, struct buf *ans);
int mon_resume(struct mon_conn *mc, struct buf *req, struct buf *ans);

/* resume.c: resuming a session from another connection (PROTOCOL.md
 * 2.8.3). The session's side: */
/* Remember the session's id and resume secret from its keys and listen
 * on its control socket; 0 or a negative mp_err (resume then refused). */
int resume_listen(struct mon_conn *mc, const struct buf *keys);
/* A connection on the control socket: check it, hand new keys to the
 * net child on success. */
void resume_serve(struct mon_conn *mc);
/* The resuming connection's side: ask the session's monitor whether the
 * proof holds (0, MP_ERR_NOT_FOUND); on success mc->udp_port, mc->mode
 * and mc->ctl_fd are set. */
int resume_check(struct mon_conn *mc, const char *kdf, const uint8_t *id,
    size_t id_len, const uint8_t *proof, size_t proof_len);
/* Give the session's monitor this connection's keys and the window
 * size; 0 or a negative mp_err. */
int resume_hand_over(struct mon_conn *mc, const struct buf *keys);
void resume_clear(struct mon_conn *mc);

/* mon_session.c: the session request, start and lifetime. */
int mon_request(struct mon_conn *mc, struct buf *req, struct buf *ans);
/* The preauth child's MON_KEYS payload: well-formed, for the H the
 * monitor signed, a new session named by it, and the host key in use.
 * 0, or a negative mp_err. */
int mon_keys_check(const struct mon_conn *mc, const struct buf *keys);
void mon_session_run(struct mon_conn *mc, struct buf *keys)
    __attribute__((noreturn));
void mon_session_cleanup(struct mon_conn *mc);

#endif

/* pam.h: the monitor's Linux-PAM conversation, account check and session for key-authenticated logins. */
#ifndef MP_MONITOR_PAM_H
#define MP_MONITOR_PAM_H

#include <stddef.h>

/*
 * One PAM transaction. The conversation is non-interactive: every prompt
 * fails with PAM_CONV_ERR; PAM_ERROR_MSG and PAM_TEXT_INFO messages are
 * collected (bounded, control characters replaced) so that the caller can
 * log them. Each call below starts a fresh collection.
 *
 * Errors are negative enum mp_err with a sentence in why (the PAM error
 * text, then the collected messages, if any): MP_ERR_AUTH when PAM
 * refuses the login (account, credentials or session), MP_ERR_SYSTEM
 * when PAM itself fails to start or to take an item, MP_ERR_ALLOC,
 * MP_ERR_INVALID_ARGUMENT.
 */
struct mpam;

/* pam_start_confdir(service, user, conv, confdir; NULL: the system's),
 * then PAM_RHOST = rhost (may be NULL). */
int	mpam_start(const char *service, const char *confdir,
	    const char *user, const char *rhost, struct mpam **out, char *why,
	    size_t why_len);

/* pam_acct_mgmt(0). PAM_NEW_AUTHTOK_REQD is a refusal: key
 * authentication cannot change a password. */
int	mpam_account(struct mpam *p, char *why, size_t why_len);

/* PAM_TTY, e.g. "/dev/pts/3". */
int	mpam_set_tty(struct mpam *p, const char *tty);

/* pam_setcred(PAM_ESTABLISH_CRED) then pam_open_session(0). */
int	mpam_open_session(struct mpam *p, char *why, size_t why_len);

/* The messages collected by the last call ("" if none); owned by p. */
const char *mpam_messages(const struct mpam *p);

/* A NULL-terminated malloc'd copy of PAM's environment ("NAME=value"),
 * or NULL; free it with mpam_env_free(). */
char	**mpam_getenv(struct mpam *p);
void	mpam_env_free(char **env);

/* pam_close_session if opened, pam_setcred(PAM_DELETE_CRED) if
 * established, pam_end. p may be NULL. */
void	mpam_end(struct mpam *p);

#endif

/* authkeys.h: authorized_keys files: per-line options (from=, command=, no-pty, restrict, environment=) and key lookup. */
#ifndef MP_AUTHKEYS_H
#define MP_AUTHKEYS_H

#include <stddef.h>

#include "common/crypto/sign.h"

#define AUTHKEYS_LINE_MAX	8192	/* bytes in a line, newline excluded */
#define AUTHKEYS_ENV_MAX	16	/* environment= options in a line */
#define AUTHKEYS_COMMAND_MAX	16384	/* bytes in a command= value */
#define AUTHKEYS_MSG_MAX	160

/* The entry that allowed a key. Strings are fresh allocations; release
 * them with authkeys_match_free(). */
struct authkeys_match {
	size_t line;		/* 1-based line number */
	char *command;		/* command= or NULL */
	char *from;		/* from= pattern list or NULL */
	char *comment;		/* the key's comment, possibly empty */
	int no_pty;		/* no-pty or restrict */
	int restricted;		/* restrict: no pty, no forwarding */
	char *env[AUTHKEYS_ENV_MAX];	/* "NAME=value", only when permitted */
	size_t nenv;
};

/* What was wrong with the file, for the log. */
struct authkeys_error {
	size_t nbad;		/* malformed lines skipped */
	size_t line;		/* the first of them, 0 if none */
	int code;		/* its mp_err */
	char msg[AUTHKEYS_MSG_MAX];	/* e.g. unknown option "agent-forwarding" */
	size_t refused_line;	/* first line with the key that from= refused */
	char refused_msg[AUTHKEYS_MSG_MAX];
};

/*
 * Find the first line of text (len bytes) whose key equals key (by
 * algorithm and public value, never by comment) and whose from= allows
 * client_addr. environment= options are kept in out only when
 * permit_user_env is set. Returns 0 and fills out, MP_ERR_NOT_FOUND, or
 * MP_ERR_ALLOC. Malformed lines are skipped and counted in err.
 */
int authkeys_find(const char *text, size_t len, const struct sig_key *key,
    const char *client_addr, int permit_user_env, struct authkeys_match *out,
    struct authkeys_error *err);

/* 1 if the from= pattern list allows addr: some pattern (host glob or
 * CIDR block) matches and no negated one does; 0 if not; negative
 * mp_err for a malformed list. */
int authkeys_from_matches(const char *patterns, const char *addr);

/* Free the strings of m and zero it. */
void authkeys_match_free(struct authkeys_match *m);

#endif

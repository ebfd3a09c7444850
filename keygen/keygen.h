/* keygen.h: what mp-keygen's source files share: subcommands, passphrase input, messages. */
#ifndef MP_KEYGEN_H
#define MP_KEYGEN_H

#include "common/crypto/sign.h"

#define EXIT_USAGE	2	/* bad command line; failures exit 1 */
#define PASSPHRASE_MAX	1024	/* bytes, newline excluded */
#define OPT_PASSPHRASE_STDIN	256	/* getopt value of --passphrase-stdin */

/* Subcommands: argv[0] is the program name, the rest its arguments;
 * they return the exit status. */
int cmd_generate(int argc, char **argv);
int cmd_fingerprint(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_public(int argc, char **argv);
int cmd_change_passphrase(int argc, char **argv);
int cmd_known_hosts(int argc, char **argv);

/* $HOME, else the password entry's home directory, else NULL. */
const char *home_dir(void);

/* Print the usage line of a subcommand to stderr; returns EXIT_USAGE. */
int cmd_usage(const char *name);

/* Where a passphrase comes from. */
enum pass_source {
	PASS_ASK,	/* the terminal, echo off */
	PASS_STDIN,	/* one line of standard input */
	PASS_NONE,	/* none: the key is stored unencrypted */
};

/* 1 if standard input is a terminal we can prompt on. */
int have_terminal(void);
/* Ask a yes/no question on the terminal; 1 for yes. */
int ask_yes_no(const char *question);
/* A line of text typed on the terminal (echoed), or NULL if none. */
char *ask_text(const char *question);
/* A passphrase for a new key file (asked twice on a terminal with
 * prompt); *out is NULL for none. Reports problems; returns 0 or 1. */
int new_passphrase(enum pass_source src, const char *prompt, char **out);
/* The passphrase protecting the existing file path. */
int old_passphrase(enum pass_source src, const char *path, char **out);
void passphrase_free(char *p);

/* Report an error of the key file functions about path; returns 1. */
int key_error(const char *path, int err);
/* Print "FINGERPRINT COMMENT", or in the long form (like ssh-keygen -l)
 * "BITS FINGERPRINT COMMENT (TYPE)"; print the randomart. 0 or 1. */
int print_fingerprint(const struct sig_key *key, const char *comment,
    int long_form);
int print_randomart(const struct sig_key *key);

#endif

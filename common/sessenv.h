/* sessenv.h: the environment of a user's login session, built as sshd does from passwd data, the request, accept_env, PAM and authorized_keys. */
#ifndef MP_SESSENV_H
#define MP_SESSENV_H

#include <stddef.h>
#include <sys/types.h>

#define SESSENV_MAX_ENTRIES	256		/* entries, not counting NULL */
#define SESSENV_MAX_BYTES	(64 * 1024)	/* sum of strlen + 1 */

#define SESSENV_TERM_DEFAULT	"xterm-256color"
#define SESSENV_PATH_USER	"/usr/local/bin:/usr/bin:/bin:/usr/games"
#define SESSENV_PATH_ROOT \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The passwd data of the user; nothing is looked up. */
struct sessenv_user {
	const char	*name;
	const char	*home;
	const char	*shell;
	uid_t		 uid;
};

/*
 * A list of "NAME=value" strings, one per name. env always has room for
 * SESSENV_MAX_ENTRIES + 1 pointers and env[n] is NULL.
 */
struct sessenv {
	char	**env;
	size_t	  n;
	size_t	  bytes;
};

/*
 * Start the environment: USER, LOGNAME, HOME, SHELL, PATH (path, or when
 * NULL SESSENV_PATH_ROOT for uid 0 and SESSENV_PATH_USER for others),
 * TERM (term, or SESSENV_TERM_DEFAULT when NULL or empty), MAIL
 * (/var/mail/USER) and MP_CONNECTION ("client_addr client_port
 * server_addr server_port"). On error env is left empty and freed.
 */
int sessenv_init(struct sessenv *env, const struct sessenv_user *u,
    const char *term, const char *path, const char *connection);

/*
 * Add the client's variables names[i]=values[i] whose name matches one of
 * the glob patterns ('*', '?'; case significant, as sshd; NULL means
 * LANG, LC_*, TZ). Variables with an invalid name, a NULL value or a
 * denied name are skipped: USER, LOGNAME, HOME, SHELL, PATH, MAIL, TERM,
 * IFS, ENV, BASH_ENV, SHELLOPTS, BASHOPTS, PS4, CDPATH, GCONV_PATH,
 * LOCPATH and names starting with LD_ or MP_ (so MP_CONNECTION), compared
 * ignoring case. MP_ERR_LIMIT when the limits would be exceeded; the
 * variables before it stay set.
 */
int sessenv_accept_client(struct sessenv *env, const char *const *names,
    const char *const *values, size_t n, const char *const *patterns,
    size_t npatterns);

/*
 * Set n trusted "NAME=value" strings (PAM, authorized_keys environment=
 * when permitted), replacing any entry of the same name. No denylist.
 * MP_ERR_INVALID_FORMAT for a string without '=' or with an invalid name,
 * MP_ERR_LIMIT past the limits; the strings before it stay set.
 */
int sessenv_merge(struct sessenv *env, const char *const *name_eq_value,
    size_t n);

/* The value of name, or NULL if unset. */
const char *sessenv_get(const struct sessenv *env, const char *name);

/* The NULL-terminated array for execve(); owned by env. */
char *const *sessenv_envp(const struct sessenv *env);

/* Free every entry; env is empty afterwards. */
void sessenv_free(struct sessenv *env);

#endif

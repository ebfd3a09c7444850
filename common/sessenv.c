/* sessenv.c: the environment of a user's login session, a bounded list of NAME=value strings with one entry per name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/match.h"
#include "common/sessenv.h"

/* Names a client may never set, whatever accept_env says. */
static const char *const denied[] = {
	"USER", "LOGNAME", "HOME", "SHELL", "PATH", "MAIL", "TERM", "IFS",
	"ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4", "CDPATH",
	"GCONV_PATH", "LOCPATH", "LD_*", "MP_*",
};

static const char *const default_accept[] = { "LANG", "LC_*", "TZ" };

/* 1 if the len bytes at s form a name [A-Za-z_][A-Za-z0-9_]*. */
static int
valid_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++) {
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	}
	return 1;
}

/* Index of the entry named by the len bytes at name, or env->n. */
static size_t
find(const struct sessenv *env, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		if (strncmp(env->env[i], name, len) == 0 &&
		    env->env[i][len] == '=')
			return i;
	}
	return env->n;
}

/* Set name (len bytes, already valid) to value, replacing any old entry. */
static int
set(struct sessenv *env, const char *name, size_t len, const char *value)
{
	size_t i, sz, old = 0;
	char *s;

	if (env->env == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	sz = len + 1 + strlen(value) + 1;
	if ((i = find(env, name, len)) < env->n)
		old = strlen(env->env[i]) + 1;
	else if (env->n >= SESSENV_MAX_ENTRIES)
		return MP_ERR_LIMIT;
	if (sz > SESSENV_MAX_BYTES || env->bytes - old > SESSENV_MAX_BYTES - sz)
		return MP_ERR_LIMIT;
	if ((s = malloc(sz)) == NULL)
		return MP_ERR_ALLOC;
	memcpy(s, name, len);
	s[len] = '=';
	memcpy(s + len + 1, value, sz - len - 1);
	if (i < env->n)
		free(env->env[i]);
	else
		env->n++;
	env->env[i] = s;
	env->bytes = env->bytes - old + sz;
	return 0;
}

/* Set a NUL-terminated name, checking it. */
static int
setname(struct sessenv *env, const char *name, const char *value)
{
	size_t len = strlen(name);

	if (!valid_name(name, len) || value == NULL)
		return MP_ERR_INVALID_FORMAT;
	return set(env, name, len, value);
}

/* Set the variables every session gets. */
static int
set_fixed(struct sessenv *env, const struct sessenv_user *u,
    const char *term, const char *path, const char *connection)
{
	char mail[512];
	int r, len;

	len = snprintf(mail, sizeof(mail), "/var/mail/%s", u->name);
	if (len < 0 || (size_t)len >= sizeof(mail))
		return MP_ERR_TOO_LARGE;
	if (term == NULL || *term == '\0')
		term = SESSENV_TERM_DEFAULT;
	if (path == NULL)
		path = u->uid == 0 ? SESSENV_PATH_ROOT : SESSENV_PATH_USER;
	if ((r = setname(env, "USER", u->name)) != 0 ||
	    (r = setname(env, "LOGNAME", u->name)) != 0 ||
	    (r = setname(env, "HOME", u->home)) != 0 ||
	    (r = setname(env, "SHELL", u->shell)) != 0 ||
	    (r = setname(env, "PATH", path)) != 0 ||
	    (r = setname(env, "TERM", term)) != 0 ||
	    (r = setname(env, "MAIL", mail)) != 0 ||
	    (r = setname(env, "MP_CONNECTION", connection)) != 0)
		return r;
	return 0;
}

int
sessenv_init(struct sessenv *env, const struct sessenv_user *u,
    const char *term, const char *path, const char *connection)
{
	int r;

	env->n = env->bytes = 0;
	env->env = NULL;
	if (u == NULL || u->name == NULL || u->home == NULL ||
	    u->shell == NULL || connection == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if ((env->env = calloc(SESSENV_MAX_ENTRIES + 1,
	    sizeof(*env->env))) == NULL)
		return MP_ERR_ALLOC;
	if ((r = set_fixed(env, u, term, path, connection)) != 0)
		sessenv_free(env);
	return r;
}

/* 1 if name matches one of the n patterns; case matters unless fold
 * (the denylist folds, so "ld_preload" is denied too). */
static int
matches_any(const char *name, const char *const *pats, size_t n, int fold)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (pats[i] == NULL)
			continue;
		if (fold ? match_glob(name, pats[i], strlen(pats[i])) :
		    match_glob_case(name, pats[i], strlen(pats[i])))
			return 1;
	}
	return 0;
}

/* 1 if a client may set name under the accept_env patterns. */
static int
client_may_set(const char *name, const char *const *pats, size_t npats)
{
	if (!valid_name(name, strlen(name)))
		return 0;
	if (matches_any(name, denied, sizeof(denied) / sizeof(denied[0]), 1))
		return 0;
	if (pats == NULL) {
		pats = default_accept;
		npats = sizeof(default_accept) / sizeof(default_accept[0]);
	}
	return matches_any(name, pats, npats, 0);
}

int
sessenv_accept_client(struct sessenv *env, const char *const *names,
    const char *const *values, size_t n, const char *const *patterns,
    size_t npatterns)
{
	size_t i;
	int r;

	if (n > 0 && (names == NULL || values == NULL))
		return MP_ERR_INVALID_ARGUMENT;
	for (i = 0; i < n; i++) {
		if (names[i] == NULL || values[i] == NULL ||
		    !client_may_set(names[i], patterns, npatterns))
			continue;
		if ((r = set(env, names[i], strlen(names[i]), values[i])) != 0)
			return r;
	}
	return 0;
}

int
sessenv_merge(struct sessenv *env, const char *const *name_eq_value,
    size_t n)
{
	const char *eq;
	size_t i;
	int r;

	if (n > 0 && name_eq_value == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	for (i = 0; i < n; i++) {
		if (name_eq_value[i] == NULL ||
		    (eq = strchr(name_eq_value[i], '=')) == NULL ||
		    !valid_name(name_eq_value[i], (size_t)(eq - name_eq_value[i])))
			return MP_ERR_INVALID_FORMAT;
		if ((r = set(env, name_eq_value[i],
		    (size_t)(eq - name_eq_value[i]), eq + 1)) != 0)
			return r;
	}
	return 0;
}

const char *
sessenv_get(const struct sessenv *env, const char *name)
{
	size_t len = strlen(name), i;

	if (!valid_name(name, len) || (i = find(env, name, len)) == env->n)
		return NULL;
	return env->env[i] + len + 1;
}

char *const *
sessenv_envp(const struct sessenv *env)
{
	return env->env;
}

void
sessenv_free(struct sessenv *env)
{
	size_t i;

	for (i = 0; i < env->n; i++)
		free(env->env[i]);
	free(env->env);
	env->env = NULL;
	env->n = env->bytes = 0;
}

/* request.c: the SESSION_NEW request mp sends: terminal type and size, the environment variables send_env selects, the command and the no-PTY flag. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "common/err.h"
#include "common/log.h"
#include "common/match.h"

/* Limits of PROTOCOL.md 2.8.2. */
#define TERM_MAX	64
#define ENV_NAME_MAX	128
#define ENV_VALUE_MAX	4096
#define COMMAND_MAX	16384

static char default_mode[] = "statesync";

/* 1 if s is 1 to max characters of [A-Za-z0-9] and extra. */
static int
token_valid(const char *s, size_t max, const char *extra)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    strchr(extra, s[i]) != NULL))
			return 0;
	return 1;
}

/* The value of name in envp, or NULL. */
static const char *
env_get(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

static void
set_term(struct mp_request *r, char *const *envp)
{
	const char *term = env_get(envp, "TERM");

	if (term == NULL || !token_valid(term, TERM_MAX, "._+-")) {
		log_verbose("TERM is %s; asking for \"dumb\"",
		    term == NULL ? "not set" : "not a usable terminal type");
		term = "dumb";
	}
	snprintf(r->term, sizeof(r->term), "%s", term);
	r->req.term = r->term;
}

/* 1 if a send_env pattern names the variable. */
static int
env_wanted(const struct mp_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nsend_env; i++)
		if (match_glob_case(name, cfg->send_env[i],
		    strlen(cfg->send_env[i])))
			return 1;
	return 0;
}

/* Add the variable "NAME=VALUE" if it is wanted and fits the protocol. */
static int
add_env(const struct mp_config *cfg, struct mp_request *r, const char *var)
{
	const char *eq = strchr(var, '=');
	struct hs_env *e;
	char *name;

	if (eq == NULL || eq == var)
		return 0;
	if ((name = strndup(var, (size_t)(eq - var))) == NULL)
		return MP_ERR_ALLOC;
	if (!env_wanted(cfg, name)) {
		free(name);
		return 0;
	}
	if (!token_valid(name, ENV_NAME_MAX, "_") ||
	    strlen(eq + 1) > ENV_VALUE_MAX || r->req.nenv == HS_ENV_MAX) {
		log_verbose("not sending %s: %s", name,
		    r->req.nenv == HS_ENV_MAX ? "too many variables" :
		    "unusable name or value too long");
		free(name);
		return 0;
	}
	e = &r->req.env[r->req.nenv];
	if ((e->value = strdup(eq + 1)) == NULL) {
		free(name);
		return MP_ERR_ALLOC;
	}
	e->name = name;
	r->req.nenv++;
	log_debug("sending environment variable %s", name);
	return 0;
}

/* The command words joined with spaces, like ssh; "" for a shell. */
static int
join_command(const struct mp_config *cfg, char **out)
{
	size_t i, len = 0, n;
	char *p;

	for (i = 0; i < cfg->ncommand; i++)
		len += strlen(cfg->command[i]) + 1;
	if (len > COMMAND_MAX + 1)
		return MP_ERR_TOO_LARGE;
	if ((*out = p = malloc(len + 1)) == NULL)
		return MP_ERR_ALLOC;
	for (i = 0; i < cfg->ncommand; i++) {
		if (i > 0)
			*p++ = ' ';
		n = strlen(cfg->command[i]);
		memcpy(p, cfg->command[i], n);
		p += n;
	}
	*p = '\0';
	return 0;
}

static int
want_no_pty(const struct mp_config *cfg)
{
	if (cfg->no_pty)
		return 1;
	return cfg->ncommand > 0 && !cfg->force_pty && !isatty(STDIN_FILENO);
}

int
request_build(const struct mp_config *cfg, char *const *envp,
    struct mp_request *r, struct client_error *err)
{
	size_t i;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->req.type = HS_REQ_NEW;
	r->req.mode = cfg->diff_mode != NULL ? cfg->diff_mode : default_mode;
	r->req.flags = want_no_pty(cfg) ? 1 : 0;
	set_term(r, envp);
	(void)winsize_get(STDIN_FILENO, &r->req.cols, &r->req.rows,
	    &r->req.xpixel, &r->req.ypixel);
	for (i = 0; rc == 0 && envp != NULL && envp[i] != NULL; i++)
		rc = add_env(cfg, r, envp[i]);
	if (rc == 0 && (rc = join_command(cfg, &r->req.command)) ==
	    MP_ERR_TOO_LARGE)
		snprintf(err->msg, sizeof(err->msg), "the command is longer "
		    "than the %d bytes a session request can carry",
		    COMMAND_MAX);
	else if (rc != 0)
		snprintf(err->msg, sizeof(err->msg), "%s", mp_strerror(rc));
	if (rc != 0)
		request_free(r);
	return rc;
}

int
request_no_pty(const struct mp_request *r)
{
	return (r->req.flags & 1) != 0;
}

void
request_free(struct mp_request *r)
{
	size_t i;

	for (i = 0; i < r->req.nenv; i++) {
		free(r->req.env[i].name);
		free(r->req.env[i].value);
	}
	free(r->req.command);
	memset(r, 0, sizeof(*r));
}

/* mp_config.c: mp's effective configuration from ~/.config/moshpit/moshpit.toml, command-line flags and MOSHPIT_ environment variables. */
#include <getopt.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "common/err.h"
#include "common/settings.h"
#include "client/mp_config.h"

static const char usage_text[] =
"usage: mp [-qTtVv] [-c config_file] [-e escape_char] [-i identity]\n"
"          [-k public_key] [-l user] [-p private_key] [-s port]\n"
"          [--host-key-checking ask|accept-new|strict]\n"
"          [--diff-mode reliable|datagram|statesync]\n"
"          [--predict adaptive|always|never] [--nat-warmup]\n"
"          [--nat-warmup-count n] [--kex-algos list]\n"
"          [--aead-algos list] [--mac-algos list] [--kdf-algos list]\n"
"          [user@]host[:port] [--] [command ...]\n"
"  -c FILE   configuration file (default ~/.config/moshpit/moshpit.toml)\n"
"  -e CHAR   escape character as ^X or a character, or none (default ^^)\n"
"  -i FILE   add an identity (private key)\n"
"  -p FILE   the first identity       -k FILE   its public key\n"
"  -l USER   user on the server       -s PORT   server port (40404)\n"
"  -T        no terminal              -t        force a terminal\n"
"  -q        quiet                    -v        more verbose (up to -vvv)\n"
"  -h        this help                -V        the version\n"
"An IPv6 address is written [addr] or [addr]:port.";

/* Default identities, as mp-keygen names them (~/.mp/id_TYPE). */
static const char *const default_ids[] = {
	"/.mp/id_ed25519", "/.mp/id_ecdsa_p256", "/.mp/id_ecdsa_p384",
};

/* ---- the escape character ------------------------------------------------ */

/* "none", "^X" (caret notation, ^? for DEL) or one printable character. */
static int
escape_parse(void *obj, const char *text, char *why)
{
	struct mp_config *cfg = obj;
	unsigned char c = (unsigned char)text[1];

	if (strcmp(text, "none") == 0)
		cfg->escape_key = -1;
	else if (text[0] == '^' && c != '\0' && text[2] == '\0' &&
	    ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z') || c == '?'))
		cfg->escape_key = c == '?' ? 0x7f : (c & 0x1f);
	else if (text[1] == '\0' && text[0] > ' ' && text[0] < 0x7f)
		cfg->escape_key = (unsigned char)text[0];
	else {
		snprintf(why, SETTING_WHY_MAX, "expected ^X, a printable "
		    "character or none");
		return MP_ERR_INVALID_FORMAT;
	}
	return 0;
}

static void
escape_format(const void *obj, char *out, size_t size)
{
	const struct mp_config *cfg = obj;
	int c = cfg->escape_key;

	if (c < 0)
		snprintf(out, size, "none");
	else if (c < 0x20 || c == 0x7f)
		snprintf(out, size, "^%c", c == 0x7f ? '?' : c + '@');
	else
		snprintf(out, size, "%c", c);
}

/* ---- the table ----------------------------------------------------------- */

static const char *const hkc_names[] = {
	"ask", "accept-new", "strict", NULL,	/* as mp_host_key_checking */
};
static const char *const predict_names[] = {
	"adaptive", "always", "never", NULL,
};
static const char *const diff_names[] = {
	"reliable", "datagram", "statesync", NULL,
};

#define C		struct mp_config
#define ROW(k, t)	.table = "", .key = #k, .type = t, SETTING_FIELD(C, k)

static const struct setting rows[] = {
	{ .table = "", .key = "server_port", .type = SETTING_UINT,
	  SETTING_FIELD(C, port), .min = 1, .max = 65535, .def = "40404" },
	{ .table = "", .key = "private_key_path", .type = SETTING_STRING,
	  SETTING_FIELD(C, identity[0]) },
	{ ROW(public_key_path, SETTING_STRING) },
	{ ROW(known_hosts_path, SETTING_STRING) },
	{ ROW(host_key_checking, SETTING_ENUM), .names = hkc_names,
	  .def = "ask" },
	{ ROW(predict, SETTING_STRING), .names = predict_names,
	  .def = "adaptive" },
	{ ROW(diff_mode, SETTING_STRING), .names = diff_names,
	  .def = "statesync" },
	{ ROW(nat_warmup, SETTING_BOOL), .def = "false" },
	{ ROW(nat_warmup_count, SETTING_UINT), .min = 1, .max = 100,
	  .def = "3" },
	{ ROW(max_reconnect_backoff_secs, SETTING_UINT), .min = 1,
	  .max = 86400, .def = "3600" },
	{ ROW(send_env, SETTING_STRV), .off2 = offsetof(C, nsend_env),
	  .max = 64, .def = "LANG,LC_*,TZ",
	  .check = settings_check_env_pattern },
	{ .table = "", .key = "escape_key", .type = SETTING_CUSTOM,
	  .def = "^^", .parse = escape_parse, .format = escape_format },
	{ ROW(user, SETTING_STRING), .check = settings_check_user },
	SETTINGS_ALGORITHMS(C),
};

static const struct settings mp_settings = {
	rows, sizeof(rows) / sizeof(rows[0]), "MOSHPIT_"
};

/* ---- flags --------------------------------------------------------------- */

enum {
	OPT_SERVER_PORT = 256, OPT_HKC, OPT_DIFF, OPT_PREDICT, OPT_NAT_WARMUP,
	OPT_NAT_WARMUP_COUNT,
};

static const char short_opts[] = "+:c:e:hi:k:l:p:qs:TtVv";

static const struct option long_opts[] = {
	{ "server-port", required_argument, NULL, OPT_SERVER_PORT },
	{ "host-key-checking", required_argument, NULL, OPT_HKC },
	{ "diff-mode", required_argument, NULL, OPT_DIFF },
	{ "predict", required_argument, NULL, OPT_PREDICT },
	{ "nat-warmup", no_argument, NULL, OPT_NAT_WARMUP },
	{ "nat-warmup-count", required_argument, NULL, OPT_NAT_WARMUP_COUNT },
	SETTINGS_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static const struct settings_flag flags[] = {
	{ 'p', "", "private_key_path", "-p" },
	{ 'k', "", "public_key_path", "-k" },
	{ 's', "", "server_port", "-s" },
	{ OPT_SERVER_PORT, "", "server_port", "--server-port" },
	{ 'l', "", "user", "-l" },
	{ 'e', "", "escape_key", "-e" },
	{ OPT_HKC, "", "host_key_checking", "--host-key-checking" },
	{ OPT_DIFF, "", "diff_mode", "--diff-mode" },
	{ OPT_PREDICT, "", "predict", "--predict" },
	{ OPT_NAT_WARMUP, "", "nat_warmup", "--nat-warmup" },
	{ OPT_NAT_WARMUP_COUNT, "", "nat_warmup_count", "--nat-warmup-count" },
	SETTINGS_ALGORITHM_FLAGS,
	{ 0, NULL, NULL, NULL },
};

/* What the command line holds besides settings. */
struct cmdline {
	const char	*path;			/* -c */
	const char	*ids[MP_IDENTITIES_MAX];	/* -i, in order */
	size_t		 nids;
	int		 verbosity;
	int		 dest;			/* index of the destination */
};

static int
add_identity(struct cmdline *cl, const char *path,
    struct mp_config_error *err)
{
	char why[SETTING_WHY_MAX];
	int r;

	if ((r = settings_check_text(path, why)) != 0) {
		snprintf(err->msg, sizeof(err->msg), "-i: %s", why);
		return r;
	}
	if (cl->nids == MP_IDENTITIES_MAX) {
		snprintf(err->msg, sizeof(err->msg), "-i: more than %d "
		    "identities", MP_IDENTITIES_MAX);
		return MP_ERR_LIMIT;
	}
	cl->ids[cl->nids++] = path;
	return 0;
}

static int
late_flag(struct mp_config *cfg, int c, const char *arg, struct cmdline *cl,
    struct mp_config_error *err)
{
	int r;

	switch (c) {
	case 'v':
		cl->verbosity++;
		return 0;
	case 'q':
		cl->verbosity = SETTINGS_QUIET;
		return 0;
	case 'i':
		return add_identity(cl, arg, err);
	case 'T':
	case 't':
		cfg->no_pty = c == 'T';
		cfg->force_pty = c == 't';
		return 0;
	case OPT_NAT_WARMUP:
		arg = "true";	/* a flag without a value */
		break;
	default:
		break;
	}
	r = settings_apply_flag(&mp_settings, cfg, flags, c, arg, err->msg,
	    sizeof(err->msg));
	return r == MP_ERR_NOT_FOUND ? 0 : r;	/* not found: early flags */
}

/* One pass over the options (late: 0 or 1); getopt starts afresh. */
static int
parse_flags(struct mp_config *cfg, int argc, char **argv, int late,
    struct cmdline *cl, int *exit_now, struct mp_config_error *err)
{
	int c, r = 0;

	optind = 0;
	opterr = 0;
	while (r == 0 && !*exit_now &&
	    (c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (late)
			r = late_flag(cfg, c, optarg, cl, err);
		else
			r = settings_early_flag(c, c == '?' || c == ':' ?
			    argv[optind - 1] : optarg, usage_text,
			    "mp (moshpit) " MP_VERSION, &cl->path, exit_now,
			    err->msg, sizeof(err->msg));
	}
	if (r != 0 || *exit_now)
		return r;
	if (optind >= argc) {
		snprintf(err->msg, sizeof(err->msg), "no destination; see "
		    "mp -h");
		return MP_ERR_INVALID_ARGUMENT;
	}
	cl->dest = optind;
	if (late)
		cfg->log_level = settings_log_level(cl->verbosity);
	return 0;
}

/* ---- destination and command --------------------------------------------- */

/* [user@]host[:port]: over -l and -s, under the environment. */
static int
set_destination(struct mp_config *cfg, const char *arg,
    struct mp_config_error *err)
{
	struct settings_dest d;
	char why[SETTING_WHY_MAX];
	int r;

	if ((r = settings_parse_destination(arg, &d, why)) != 0) {
		snprintf(err->msg, sizeof(err->msg), "destination "
		    "\"%.64s\": %s", arg, why);
		return r;
	}
	if (d.user[0] != '\0' && (r = settings_set(&mp_settings, cfg,
	    settings_find(&mp_settings, "", "user"), d.user, "destination",
	    err->msg, sizeof(err->msg))) != 0)
		return r;
	if (d.port != 0)
		cfg->port = d.port;
	if ((cfg->host = strdup(d.host)) == NULL)
		return MP_ERR_ALLOC;
	return 0;
}

/* argv from i on (after a "--" there), or NULL when empty. */
static int
set_command(struct mp_config *cfg, int argc, char **argv, int i)
{
	size_t n;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		return 0;
	if ((cfg->command = calloc((size_t)(argc - i) + 1,
	    sizeof(*cfg->command))) == NULL)
		return MP_ERR_ALLOC;
	for (n = 0; i < argc; i++, n++) {
		if ((cfg->command[n] = strdup(argv[i])) == NULL)
			return MP_ERR_ALLOC;
		cfg->ncommand = n + 1;
	}
	return 0;
}

/* ---- what is left unset -------------------------------------------------- */

/* ~/.mp/id_* for each key type; none without a home directory. */
static int
default_identities(struct mp_config *cfg)
{
	size_t i;
	int r;

	for (i = 0; i < sizeof(default_ids) / sizeof(default_ids[0]); i++) {
		r = settings_home_path(default_ids[i], &cfg->identity[i]);
		if (r == MP_ERR_NOT_FOUND)
			return 0;
		if (r != 0)
			return r;
		cfg->nidentity = i + 1;
	}
	return 0;
}

/* private_key_path first, then each -i; the default files if neither. */
static int
set_identities(struct mp_config *cfg, const struct cmdline *cl,
    struct mp_config_error *err)
{
	size_t n = cfg->identity[0] != NULL, i;

	if (n + cl->nids > MP_IDENTITIES_MAX) {
		snprintf(err->msg, sizeof(err->msg), "more than %d "
		    "identities", MP_IDENTITIES_MAX);
		return MP_ERR_LIMIT;
	}
	if (n + cl->nids == 0)
		return default_identities(cfg);
	for (i = 0; i < cl->nids; i++, n++)
		if ((cfg->identity[n] = strdup(cl->ids[i])) == NULL)
			return MP_ERR_ALLOC;
	cfg->nidentity = n;
	return 0;
}

static int
set_unset(struct mp_config *cfg, const struct cmdline *cl,
    struct mp_config_error *err)
{
	struct passwd *pw;
	int r;

	if ((r = set_identities(cfg, cl, err)) != 0)
		return r;
	if (cfg->known_hosts_path == NULL && (r = settings_home_path(
	    "/.mp/known_hosts", &cfg->known_hosts_path)) == MP_ERR_ALLOC)
		return r;
	if (cfg->user != NULL)
		return 0;
	if ((pw = getpwuid(getuid())) == NULL) {
		snprintf(err->msg, sizeof(err->msg), "who are you? name the "
		    "user with -l or user@host");
		return MP_ERR_NOT_FOUND;
	}
	return settings_set(&mp_settings, cfg, settings_find(&mp_settings,
	    "", "user"), pw->pw_name, "local user name", err->msg,
	    sizeof(err->msg));
}

/* ---- loading ------------------------------------------------------------- */

/* The file named by -c (path), else the default one if it exists. */
static int
load_file(struct mp_config *cfg, const char *path,
    struct mp_config_error *err)
{
	char *def = NULL;
	int r;

	if (path == NULL && (r = settings_home_path(
	    "/.config/moshpit/moshpit.toml", &def)) != 0 &&
	    r != MP_ERR_NOT_FOUND)
		return r;
	r = settings_load_config(&mp_settings, cfg, path, def,
	    &cfg->config_path, err->msg, sizeof(err->msg));
	free(def);
	return r;
}

static int
load(struct mp_config *cfg, int argc, char **argv, char *const *envp,
    int *exit_now, struct mp_config_error *err)
{
	struct cmdline cl;
	int r;

	memset(&cl, 0, sizeof(cl));
	if ((r = settings_defaults(&mp_settings, cfg, err->msg,
	    sizeof(err->msg))) != 0 ||
	    (r = parse_flags(cfg, argc, argv, 0, &cl, exit_now, err)) != 0 ||
	    *exit_now)
		return r;
	if ((r = load_file(cfg, cl.path, err)) != 0 ||
	    (r = parse_flags(cfg, argc, argv, 1, &cl, exit_now, err)) != 0 ||
	    (r = set_destination(cfg, argv[cl.dest], err)) != 0 ||
	    (r = set_command(cfg, argc, argv, cl.dest + 1)) != 0 ||
	    (r = settings_apply_env(&mp_settings, cfg, envp, err->msg,
	    sizeof(err->msg))) != 0)
		return r;
	return set_unset(cfg, &cl, err);
}

int
mp_config_load(struct mp_config *cfg, int argc, char **argv,
    char *const *envp, int *exit_now, struct mp_config_error *err)
{
	int r;

	memset(cfg, 0, sizeof(*cfg));
	memset(err, 0, sizeof(*err));
	*exit_now = 0;
	cfg->log_level = LOG_LEVEL_INFO;
	if ((r = load(cfg, argc, argv, envp, exit_now, err)) != 0) {
		settings_failed(r, err->msg, sizeof(err->msg));
		mp_config_free(cfg);
	}
	return r;
}

void
mp_config_free(struct mp_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	settings_free(&mp_settings, cfg);	/* identity[0] among them */
	for (i = 0; i < MP_IDENTITIES_MAX; i++)
		free(cfg->identity[i]);
	for (i = 0; i < cfg->ncommand; i++)
		free(cfg->command[i]);
	free(cfg->command);
	free(cfg->host);
	free(cfg->config_path);
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = LOG_LEVEL_INFO;
}

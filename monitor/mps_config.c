/* mps_config.c: mps's effective configuration from the TOML file, command-line flags and MOSHPITS_ environment variables. */
#include <arpa/inet.h>

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "common/err.h"
#include "common/settings.h"
#include "monitor/mps_config.h"

#define HOST_KEY_NAME	"mps_host_ed25519_key"	/* mp-keygen -s's name */
#define MAX_STARTUPS_MAX 100000

static const char usage_text[] =
"usage: mps [-eqTtVv] [-c config_file] [-k public_key] [-p private_key]\n"
"           [--term-type term] [--pacing-delay-us usec] [--pid-file file]\n"
"           [--warmup-delay-ms ms]\n"
"           [--kex-algos list] [--aead-algos list] [--mac-algos list]\n"
"           [--kdf-algos list]\n"
"  -c FILE   configuration file (default " MP_SYSCONFDIR "/mps.toml as root,\n"
"            else ~/.config/moshpits/moshpits.toml)\n"
"  -e        log to standard error instead of syslog\n"
"  -k FILE   host public key        -p FILE   host private key\n"
"  -q        quiet                  -v        more verbose (up to -vvv)\n"
"  -t        check the configuration and exit\n"
"  -T        print the effective configuration as TOML and exit\n"
"  -h        this help              -V        the version";

/* ---- checks and custom values ------------------------------------------ */

static int
check_ip(const char *value, char *why)
{
	unsigned char addr[16];

	if (inet_pton(AF_INET, value, addr) != 1 &&
	    inet_pton(AF_INET6, value, addr) != 1) {
		snprintf(why, SETTING_WHY_MAX, "\"%.64s\" is not an IPv4 or "
		    "IPv6 address", value);
		return MP_ERR_INVALID_FORMAT;
	}
	return 0;
}

static int
check_pam_service(const char *value, char *why)
{
	if (strchr(value, '/') != NULL || value[0] == '.') {
		snprintf(why, SETTING_WHY_MAX, "a PAM service is a file name "
		    "in the PAM directory");
		return MP_ERR_INVALID_FORMAT;
	}
	return 0;
}

/* Exactly one number from min to max at *p, up to the next ':' or the
 * end; *p moves past it and its ':'. */
static int
startups_field(const char **p, uint32_t min, uint32_t max, uint32_t *out)
{
	size_t len = strcspn(*p, ":");

	if (settings_parse_u32(*p, len, out) != 0 || *out < min ||
	    *out > max)
		return MP_ERR_INVALID_FORMAT;
	*p += len + ((*p)[len] == ':');
	return 0;
}

/* "START:RATE:FULL" as OpenSSH's MaxStartups, or "N" for N:100:N. */
static int
max_startups_parse(void *obj, const char *text, char *why)
{
	struct mps_config *cfg = obj;
	const char *p = text;
	uint32_t begin, rate = 100, full;

	if (startups_field(&p, 1, MAX_STARTUPS_MAX, &begin) != 0)
		goto bad;
	full = begin;
	/* p follows the first number and its ':' if there was one. */
	if (p[-1] == ':' && (startups_field(&p, 1, 100, &rate) != 0 ||
	    startups_field(&p, 1, MAX_STARTUPS_MAX, &full) != 0 ||
	    *p != '\0' || p[-1] == ':' || begin > full))
		goto bad;
	cfg->max_startups_begin = begin;
	cfg->max_startups_rate = rate;
	cfg->max_startups_full = full;
	return 0;
 bad:
	snprintf(why, SETTING_WHY_MAX, "expected START:RATE:FULL with "
	    "1 <= START <= FULL <= %d and RATE from 1 to 100, or a number",
	    MAX_STARTUPS_MAX);
	return MP_ERR_INVALID_FORMAT;
}

static void
max_startups_format(const void *obj, char *out, size_t size)
{
	const struct mps_config *cfg = obj;

	snprintf(out, size, "%u:%u:%u", cfg->max_startups_begin,
	    cfg->max_startups_rate, cfg->max_startups_full);
}

/* ---- the table ----------------------------------------------------------- */

#define C		struct mps_config
#define ROW(k, t)	.table = "mps", .key = #k, .type = t, \
			SETTING_FIELD(C, k)
#define SERVER_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
			"/sbin:/bin"

static const struct setting rows[] = {
	{ ROW(ip, SETTING_STRA), .off2 = offsetof(C, nip), .min = 1,
	  .max = MPS_ADDRS_MAX, .def = "0.0.0.0,::", .check = check_ip },
	{ ROW(port, SETTING_UINT), .min = 1, .max = 65535, .def = "40404" },
	{ ROW(private_key_path, SETTING_STRING) },
	{ ROW(public_key_path, SETTING_STRING),
	  .note = "private_key_path with .pub" },
	{ ROW(term_type, SETTING_STRING), .def = "xterm-256color" },
	{ ROW(pacing_delay_us, SETTING_UINT), .max = 1000000, .def = "1000" },
	{ ROW(datagram_push_ms, SETTING_UINT), .min = 20, .max = 10000,
	  .def = "150" },
	{ ROW(scrollback_rate, SETTING_UINT), .max = 100000, .def = "500" },
	{ ROW(warmup_delay_ms, SETTING_UINT), .max = 10000, .def = "0" },
	{ ROW(session_timeout, SETTING_UINT), .max = 31536000, .def = "0",
	  .note = "never" },
	{ ROW(accept_env, SETTING_STRV), .off2 = offsetof(C, naccept_env),
	  .max = 64, .def = "LANG,LC_*,TZ",
	  .check = settings_check_env_pattern },
	{ ROW(server_path, SETTING_STRING),
	  .def = SERVER_PATH },
	{ ROW(authorized_keys_file, SETTING_STRING),
	  .def = "%h/.mp/authorized_keys" },
	{ .table = "mps", .key = "udp_port_range", .type = SETTING_PORTS,
	  SETTING_FIELD(C, udp_port_low), .off2 = offsetof(C, udp_port_high),
	  .def = "50000-59999" },
	{ ROW(pam_service, SETTING_STRING), .def = MP_PAM_SERVICE,
	  .check = check_pam_service },
	{ ROW(pam_confdir, SETTING_STRING), .check = settings_check_absolute,
	  .note = "the system's /etc/pam.d" },
	{ ROW(use_pam, SETTING_BOOL) },
	{ ROW(privsep_user, SETTING_STRING), .def = MP_PRIVSEP_USER,
	  .check = settings_check_user },
	{ ROW(privsep_chroot, SETTING_STRING), .def = MP_PRIVSEP_CHROOT,
	  .check = settings_check_absolute },
	{ ROW(mps_net_path, SETTING_STRING), .def = MP_LIBEXECDIR "/mps-net",
	  .check = settings_check_absolute },
	{ ROW(login_grace_time, SETTING_UINT), .max = 86400, .def = "120" },
	{ .table = "mps", .key = "max_startups", .type = SETTING_CUSTOM,
	  .def = "10:30:100", .parse = max_startups_parse,
	  .format = max_startups_format },
	{ ROW(permit_user_environment, SETTING_BOOL), .def = "false" },
	{ ROW(strict_modes, SETTING_BOOL), .def = "true" },
	{ ROW(pid_file, SETTING_STRING), .check = settings_check_absolute,
	  .note = "no pid file" },
	{ ROW(per_source_penalties, SETTING_BOOL), .def = "true" },
	SETTINGS_ALGORITHMS(C),
};

static const struct settings mps_settings = {
	rows, sizeof(rows) / sizeof(rows[0]), "MOSHPITS_"
};

/* ---- flags --------------------------------------------------------------- */

enum {
	OPT_TERM_TYPE = 256, OPT_PACING, OPT_PID_FILE, OPT_WARMUP,
};

static const char short_opts[] = "+:c:ehk:p:qTtVv";

static const struct option long_opts[] = {
	{ "term-type", required_argument, NULL, OPT_TERM_TYPE },
	{ "pacing-delay-us", required_argument, NULL, OPT_PACING },
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },
	{ "warmup-delay-ms", required_argument, NULL, OPT_WARMUP },
	SETTINGS_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static const struct settings_flag flags[] = {
	{ 'p', "mps", "private_key_path", "-p" },
	{ 'k', "mps", "public_key_path", "-k" },
	{ OPT_TERM_TYPE, "mps", "term_type", "--term-type" },
	{ OPT_PACING, "mps", "pacing_delay_us", "--pacing-delay-us" },
	{ OPT_PID_FILE, "mps", "pid_file", "--pid-file" },
	{ OPT_WARMUP, "mps", "warmup_delay_ms", "--warmup-delay-ms" },
	SETTINGS_ALGORITHM_FLAGS,
	{ 0, NULL, NULL, NULL },
};

/* The second pass: everything else, over the file's values. */
static int
late_flag(struct mps_config *cfg, int c, const char *arg, int *verbosity,
    struct mps_config_error *err)
{
	int r;

	switch (c) {
	case 'v':
		(*verbosity)++;
		return 0;
	case 'q':
		*verbosity = SETTINGS_QUIET;
		return 0;
	case 'e':
		cfg->log_stderr = 1;
		return 0;
	case 't':
		cfg->check_only = 1;
		return 0;
	case 'T':
		cfg->print_config = 1;
		return 0;
	default:
		break;
	}
	r = settings_apply_flag(&mps_settings, cfg, flags, c, arg, err->msg,
	    sizeof(err->msg));
	return r == MP_ERR_NOT_FOUND ? 0 : r;	/* not found: early flags */
}

/* One pass over argv (late: 0 or 1); getopt starts afresh each time. */
static int
parse_flags(struct mps_config *cfg, int argc, char **argv, int late,
    const char **path, int *exit_now, struct mps_config_error *err)
{
	int c, r = 0, verbosity = 0;

	optind = 0;
	opterr = 0;
	while (r == 0 && !*exit_now &&
	    (c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (late)
			r = late_flag(cfg, c, optarg, &verbosity, err);
		else
			r = settings_early_flag(c, c == '?' || c == ':' ?
			    argv[optind - 1] : optarg, usage_text,
			    "mps (moshpit) " MP_VERSION, path, exit_now,
			    err->msg, sizeof(err->msg));
	}
	if (r == 0 && !*exit_now && optind < argc) {
		snprintf(err->msg, sizeof(err->msg), "unexpected argument "
		    "\"%.64s\"", argv[optind]);
		r = MP_ERR_INVALID_ARGUMENT;
	}
	if (late)
		cfg->log_level = settings_log_level(verbosity);
	return r;
}

/* ---- defaults and the file ----------------------------------------------- */

/* Defaults that depend on who runs mps. */
static int
user_defaults(struct mps_config *cfg, struct mps_config_error *err)
{
	int r = 0;

	cfg->use_pam = geteuid() == 0;
	if (geteuid() == 0)
		cfg->private_key_path = strdup(MP_SYSCONFDIR "/" HOST_KEY_NAME);
	else
		r = settings_home_path("/.mp/" HOST_KEY_NAME,
		    &cfg->private_key_path);
	if (r == MP_ERR_NOT_FOUND)
		return 0;	/* checked once flags and variables are in */
	if (r != 0 || cfg->private_key_path == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return MP_ERR_ALLOC;
	}
	return 0;
}

static int
default_path(char **out)
{
	if (geteuid() != 0)
		return settings_home_path("/.config/moshpits/moshpits.toml",
		    out);
	*out = strdup(MP_SYSCONFDIR "/mps.toml");
	return *out == NULL ? MP_ERR_ALLOC : 0;
}

/* The file named by -c (path), else the default one if it exists. */
static int
load_file(struct mps_config *cfg, const char *path,
    struct mps_config_error *err)
{
	char *def = NULL;
	int r;

	if (path == NULL && (r = default_path(&def)) != 0 &&
	    r != MP_ERR_NOT_FOUND)
		return r;
	r = settings_load_config(&mps_settings, cfg, path, def,
	    &cfg->config_path, err->msg, sizeof(err->msg));
	free(def);
	return r;
}

/* The public key beside the private one unless named. */
static int
finish(struct mps_config *cfg, struct mps_config_error *err)
{
	if (cfg->private_key_path == NULL) {
		snprintf(err->msg, sizeof(err->msg), "no home directory for "
		    "the default host key; set private_key_path or use -p");
		return MP_ERR_NOT_FOUND;
	}
	if (cfg->public_key_path == NULL &&
	    asprintf(&cfg->public_key_path, "%s.pub",
	    cfg->private_key_path) == -1) {
		cfg->public_key_path = NULL;
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return MP_ERR_ALLOC;
	}
	return 0;
}

static int
load(struct mps_config *cfg, int argc, char **argv, char *const *envp,
    int *exit_now, struct mps_config_error *err)
{
	const char *path = NULL;
	int r;

	if ((r = settings_defaults(&mps_settings, cfg, err->msg,
	    sizeof(err->msg))) != 0 || (r = user_defaults(cfg, err)) != 0 ||
	    (r = parse_flags(cfg, argc, argv, 0, &path, exit_now, err)) != 0 ||
	    *exit_now)
		return r;
	if ((r = load_file(cfg, path, err)) != 0 ||
	    (r = parse_flags(cfg, argc, argv, 1, &path, exit_now, err)) != 0 ||
	    (r = settings_apply_env(&mps_settings, cfg, envp, err->msg,
	    sizeof(err->msg))) != 0)
		return r;
	return finish(cfg, err);
}

int
mps_config_load(struct mps_config *cfg, int argc, char **argv,
    char *const *envp, int *exit_now, struct mps_config_error *err)
{
	int r;

	memset(cfg, 0, sizeof(*cfg));
	memset(err, 0, sizeof(*err));
	*exit_now = 0;
	cfg->log_level = LOG_LEVEL_INFO;
	if ((r = load(cfg, argc, argv, envp, exit_now, err)) != 0) {
		settings_failed(r, err->msg, sizeof(err->msg));
		mps_config_free(cfg);
	}
	return r;
}

void
mps_config_print(const struct mps_config *cfg, FILE *fp)
{
	fprintf(fp, "# mps configuration, from %s\n",
	    cfg->config_path ? cfg->config_path : "the defaults");
	settings_print(&mps_settings, cfg, fp);
}

void
mps_config_free(struct mps_config *cfg)
{
	if (cfg == NULL)
		return;
	settings_free(&mps_settings, cfg);
	free(cfg->config_path);
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = LOG_LEVEL_INFO;
}

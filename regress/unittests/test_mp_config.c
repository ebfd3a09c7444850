/* test_mp_config.c: unit tests of mp's configuration: defaults, the file, flags, MOSHPIT_ variables, precedence, destinations, identities, escape keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "common/settings.h"
#include "client/mp_config.h"
#include "regress/unittests/config_fixture.h"

/* mp_config_load() with argv "mp" + args and the environment env. */
static int
load(struct mp_config *cfg, const char *const *args, const char *const *env,
    int *exit_now, struct mp_config_error *err)
{
	char *argv[CFX_ARGS_MAX + 2];
	int argc = cfx_argv(argv, "mp", args), r;

	r = mp_config_load(cfg, argc, argv, cfx_env(env), exit_now, err);
	cfx_argv_free(argv, argc);
	return r;
}

static void
load_ok(struct mp_config *cfg, const char *const *args,
    const char *const *env)
{
	struct mp_config_error err;
	int exit_now;

	if (load(cfg, args, env, &exit_now, &err) != 0)
		fail_msg("load failed: %s", err.msg);
	assert_int_equal(exit_now, 0);
}

/* Expect failure with err exactly want, "%s" standing for path. */
static void
load_fails(const char *const *args, const char *const *env,
    const char *path, const char *want)
{
	struct mp_config_error err;
	struct mp_config cfg;
	int exit_now;

	assert_int_not_equal(load(&cfg, args, env, &exit_now, &err), 0);
	cfx_assert_msg(err.msg, want, path);
	assert_null(cfg.host);		/* freed on failure */
}

static void
file_fails(const char *body, const char *want)
{
	const char *path = cfx_write("bad.toml", body);
	const char *args[] = { "-c", path, "host", NULL };

	load_fails(args, NULL, path, want);
}

static void
test_defaults(void **state)
{
	const char *args[] = { "example.org", NULL };
	struct passwd *pw = getpwuid(getuid());
	struct mp_config cfg;
	char want[256];

	(void)state;
	load_ok(&cfg, args, NULL);
	assert_null(cfg.config_path);
	assert_non_null(pw);
	assert_string_equal(cfg.user, pw->pw_name);
	assert_string_equal(cfg.host, "example.org");
	assert_int_equal(cfg.port, 40404);
	assert_null(cfg.command);
	assert_int_equal(cfg.ncommand, 0);
	assert_int_equal(cfg.nidentity, 3);
	snprintf(want, sizeof(want), "%s/.mp/id_ed25519", cfx_home);
	assert_string_equal(cfg.identity[0], want);
	snprintf(want, sizeof(want), "%s/.mp/id_ecdsa_p256", cfx_home);
	assert_string_equal(cfg.identity[1], want);
	snprintf(want, sizeof(want), "%s/.mp/id_ecdsa_p384", cfx_home);
	assert_string_equal(cfg.identity[2], want);
	assert_null(cfg.identity[3]);
	assert_null(cfg.public_key_path);
	snprintf(want, sizeof(want), "%s/.mp/known_hosts", cfx_home);
	assert_string_equal(cfg.known_hosts_path, want);
	assert_int_equal(cfg.host_key_checking, MP_HKC_ASK);
	assert_string_equal(cfg.diff_mode, "statesync");
	assert_string_equal(cfg.predict, "adaptive");
	assert_int_equal(cfg.nat_warmup, 0);
	assert_int_equal(cfg.nat_warmup_count, 3);
	assert_int_equal(cfg.max_reconnect_backoff_secs, 3600);
	assert_int_equal(cfg.nsend_env, 3);
	assert_string_equal(cfg.send_env[0], "LANG");
	assert_string_equal(cfg.send_env[1], "LC_*");
	assert_string_equal(cfg.send_env[2], "TZ");
	assert_null(cfg.send_env[3]);
	assert_int_equal(cfg.escape_key, 0x1e);
	assert_int_equal(cfg.no_pty, 0);
	assert_int_equal(cfg.force_pty, 0);
	assert_null(cfg.kex);
	assert_null(cfg.aead);
	assert_null(cfg.mac);
	assert_null(cfg.kdf);
	assert_int_equal(cfg.log_level, LOG_LEVEL_INFO);
	mp_config_free(&cfg);
	assert_null(cfg.host);
	assert_null(cfg.identity[1]);
}

static const char full_file[] =
    "# every key, at the top\n"
    "server_port = 2222\n"
    "private_key_path = \"/k/id\"\n"
    "public_key_path = \"/k/id.public\"\n"
    "known_hosts_path = \"/k/known\"\n"
    "host_key_checking = \"accept-new\"\n"
    "predict = \"never\"\n"
    "diff_mode = \"statesync\"\n"
    "max_reconnect_backoff_secs = 60\n"
    "send_env = [\"LANG\", \"MY_?\"]\n"
    "escape_key = \"^]\"\n"
    "user = \"alice\"\n"
    "[preferred_algorithms]\n"
    "kex = [\"x25519-sha256\"]\n"
    "aead = \"aes128-gcm-siv,aes256-gcm\"\n"
    "mac = \"implicit\"\n"
    "kdf = \"hkdf-sha384\"\n";

static void
check_full(const struct mp_config *cfg)
{
	assert_int_equal(cfg->port, 2222);
	assert_int_equal(cfg->nidentity, 1);
	assert_string_equal(cfg->identity[0], "/k/id");
	assert_null(cfg->identity[1]);
	assert_string_equal(cfg->public_key_path, "/k/id.public");
	assert_string_equal(cfg->known_hosts_path, "/k/known");
	assert_int_equal(cfg->host_key_checking, MP_HKC_ACCEPT_NEW);
	assert_string_equal(cfg->predict, "never");
	assert_string_equal(cfg->diff_mode, "statesync");
	assert_int_equal(cfg->max_reconnect_backoff_secs, 60);
	assert_int_equal(cfg->nsend_env, 2);
	assert_string_equal(cfg->send_env[1], "MY_?");
	assert_int_equal(cfg->escape_key, 0x1d);
	assert_string_equal(cfg->user, "alice");
	assert_string_equal(cfg->kex, "x25519-sha256");
	assert_string_equal(cfg->aead, "aes128-gcm-siv,aes256-gcm");
	assert_string_equal(cfg->mac, "implicit");
	assert_string_equal(cfg->kdf, "hkdf-sha384");
}

static void
test_file_values(void **state)
{
	const char *path = cfx_write("mp.toml", full_file);
	const char *args[] = { "-c", path, "h", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, args, NULL);
	assert_string_equal(cfg.config_path, path);
	check_full(&cfg);
	mp_config_free(&cfg);
}

static void
test_default_file(void **state)
{
	const char *path = cfx_write(".config/moshpit/moshpit.toml",
	    full_file);
	const char *args[] = { "h", NULL };
	const char *missing[] = { "-c", "/nonexistent.toml", "h", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, args, NULL);
	assert_string_equal(cfg.config_path, path);
	check_full(&cfg);
	mp_config_free(&cfg);
	load_fails(missing, NULL, NULL,
	    "/nonexistent.toml: No such file or directory");
}

static void
test_file_errors(void **state)
{
	(void)state;
	file_fails("server_port = 1\nbogus = 1\n",
	    "%s:2: bogus: unknown key");
	file_fails("[mp]\nserver_port = 1\n", "%s:1: [mp]: unknown table");
	file_fails("[preferred_algorithms]\nuser = \"x\"\n",
	    "%s:2: [preferred_algorithms] user: unknown key (it belongs at "
	    "the top, before any table)");
	file_fails("server_port = 70000\n",
	    "%s:1: server_port: expected an integer from 1 to 65535");
	file_fails("host_key_checking = \"maybe\"\n",
	    "%s:1: host_key_checking: expected one of ask, accept-new, "
	    "strict");
	file_fails("predict = true\n",
	    "%s:1: predict: expected one of adaptive, always, never");
	file_fails("diff_mode = \"fast\"\n",
	    "%s:1: diff_mode: expected one of reliable, datagram, statesync");
	file_fails("max_reconnect_backoff_secs = 0\n",
	    "%s:1: max_reconnect_backoff_secs: expected an integer from 1 to "
	    "86400");
	file_fails("user = \"-oops\"\n",
	    "%s:1: user: \"-oops\" is not a valid user name");
	file_fails("send_env = [1, 2]\n",
	    "%s:1: send_env: expected a string or an array of strings");
	file_fails("escape_key = \"^1\"\n",
	    "%s:1: escape_key: expected ^X, a printable character or none");
	file_fails("[preferred_algorithms]\nkex = [\"x25519-sha256\", "
	    "\"dh-group1\"]\n", "%s:2: [preferred_algorithms] kex: unknown "
	    "kex algorithm \"dh-group1\"");
	file_fails("user = \"bob\nuser = 1\n",
	    "%s:1: user: unterminated string");
}

static void
test_port_precedence(void **state)
{
	const char *path = cfx_write("p.toml", "server_port = 1000\n");
	const char *file[] = { "-c", path, "h", NULL };
	const char *flag[] = { "-c", path, "-s", "2000", "h", NULL };
	const char *lng[] = { "-c", path, "--server-port", "2500", "h", NULL };
	const char *dest[] = { "-c", path, "-s", "2000", "h:3000", NULL };
	const char *env[] = { "MOSHPIT_SERVER_PORT=4000", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, file, NULL);
	assert_int_equal(cfg.port, 1000);
	mp_config_free(&cfg);
	load_ok(&cfg, flag, NULL);
	assert_int_equal(cfg.port, 2000);
	mp_config_free(&cfg);
	load_ok(&cfg, lng, NULL);
	assert_int_equal(cfg.port, 2500);
	mp_config_free(&cfg);
	load_ok(&cfg, dest, NULL);
	assert_int_equal(cfg.port, 3000);
	mp_config_free(&cfg);
	load_ok(&cfg, dest, env);
	assert_int_equal(cfg.port, 4000);
	mp_config_free(&cfg);
}

/* environment > flags > file on settings other than the port. */
static void
test_precedence(void **state)
{
	const char *path = cfx_write("p.toml", "user = \"file\"\n"
	    "predict = \"always\"\n[preferred_algorithms]\n"
	    "mac = \"hmac-sha512\"\n");
	const char *file[] = { "-c", path, "h", NULL };
	const char *flag[] = { "-c", path, "-l", "flag", "--predict", "never",
	    "--mac-algos", "hmac-sha256", "h", NULL };
	const char *dest[] = { "-c", path, "-l", "flag", "dest@h", NULL };
	const char *env[] = { "MOSHPIT_USER=env", "MOSHPIT_PREDICT=adaptive",
	    "MOSHPIT_MAC=implicit", "MOSHPIT_AGENT_SOCK=/s", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, file, NULL);
	assert_string_equal(cfg.user, "file");
	assert_string_equal(cfg.predict, "always");
	assert_string_equal(cfg.mac, "hmac-sha512");
	mp_config_free(&cfg);
	load_ok(&cfg, flag, NULL);
	assert_string_equal(cfg.user, "flag");
	assert_string_equal(cfg.predict, "never");
	assert_string_equal(cfg.mac, "hmac-sha256");
	mp_config_free(&cfg);
	load_ok(&cfg, dest, NULL);
	assert_string_equal(cfg.user, "dest");
	mp_config_free(&cfg);
	load_ok(&cfg, flag, env);
	assert_string_equal(cfg.user, "env");
	assert_string_equal(cfg.predict, "adaptive");
	assert_string_equal(cfg.mac, "implicit");
	mp_config_free(&cfg);
}

/* --nat-warmup takes no value; its count is bounded. */
static void
test_nat_warmup(void **state)
{
	const char *on[] = { "--nat-warmup", "--nat-warmup-count", "7", "h",
	    NULL };
	const char *env[] = { "MOSHPIT_NAT_WARMUP=false", NULL };
	const char *bad[] = { "--nat-warmup-count", "0", "h", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, on, NULL);
	assert_int_equal(cfg.nat_warmup, 1);
	assert_int_equal(cfg.nat_warmup_count, 7);
	mp_config_free(&cfg);
	load_ok(&cfg, on, env);
	assert_int_equal(cfg.nat_warmup, 0);
	mp_config_free(&cfg);
	load_fails(bad, NULL, NULL, "--nat-warmup-count: expected an integer "
	    "from 1 to 100");
}

static void
test_destinations(void **state)
{
	static const struct {
		const char *arg, *user, *host;
		uint16_t port;
	} good[] = {
		{ "host", "", "host", 0 },
		{ "user@host", "user", "host", 0 },
		{ "host:2222", "", "host", 2222 },
		{ "a.b-c_d.example:1", "", "a.b-c_d.example", 1 },
		{ "192.0.2.1:65535", "", "192.0.2.1", 65535 },
		{ "[::1]:40404", "", "::1", 40404 },
		{ "[::1]", "", "::1", 0 },
		{ "::1", "", "::1", 0 },
		{ "2001:db8::1:22", "", "2001:db8::1:22", 0 },
		{ "user@[fe80::1]:2222", "user", "fe80::1", 2222 },
		{ "[fe80::1%eth0]:22", "", "fe80::1%eth0", 22 },
		{ "me@corp@host", "me@corp", "host", 0 },
		{ "::ffff:192.0.2.1", "", "::ffff:192.0.2.1", 0 },
	};
	static const char *const bad[] = {
		"", "@host", "user@", "host:", "host:0", "host:65536",
		"host:abc", "host:+22", "[::1", "[::1]x", "[::1]:", "[host]",
		"[]", "-oProxyCommand=x", "user@-host", "-l@host", "a b",
		"host/x", "[::1]:22:33", "u ser@host", ":22", "[::g]",
		"[fe80::1%]", "host\n", "a:b:c", "[1.2.3.4]", "[::1%a b]",
	};
	char why[SETTING_WHY_MAX], name[300];
	struct settings_dest d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (settings_parse_destination(good[i].arg, &d, why) != 0)
			fail_msg("%s: %s", good[i].arg, why);
		assert_string_equal(d.user, good[i].user);
		assert_string_equal(d.host, good[i].host);
		assert_int_equal(d.port, good[i].port);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (settings_parse_destination(bad[i], &d, why) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(why[0] != '\0');
	}
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(settings_parse_destination(name, &d, why),
	    MP_ERR_TOO_LARGE);
	name[SETTINGS_HOST_MAX] = '\0';
	assert_int_equal(settings_parse_destination(name, &d, why), 0);
}

static void
test_destination_load(void **state)
{
	const char *v6[] = { "user@[fe80::1]:2222", NULL };
	const char *bare[] = { "-s", "7", "::1", NULL };
	const char *bad[] = { "host:x", NULL };
	const char *none[] = { "-v", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, v6, NULL);
	assert_string_equal(cfg.user, "user");
	assert_string_equal(cfg.host, "fe80::1");
	assert_int_equal(cfg.port, 2222);
	mp_config_free(&cfg);
	load_ok(&cfg, bare, NULL);
	assert_string_equal(cfg.host, "::1");
	assert_int_equal(cfg.port, 7);
	mp_config_free(&cfg);
	load_fails(bad, NULL, NULL, "destination \"host:x\": \"x\" is not a "
	    "port from 1 to 65535");
	load_fails(none, NULL, NULL, "no destination; see mp -h");
}

static void
test_command(void **state)
{
	const char *after[] = { "-v", "host", "ls", "-l", "/", NULL };
	const char *dashes[] = { "host", "--", "ls", "--", "-x", NULL };
	const char *before[] = { "-T", "--", "u@host", "-v", NULL };
	const char *none[] = { "host", "--", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, after, NULL);
	assert_int_equal(cfg.log_level, LOG_LEVEL_VERBOSE);
	assert_string_equal(cfg.host, "host");
	assert_int_equal(cfg.ncommand, 3);
	assert_string_equal(cfg.command[0], "ls");
	assert_string_equal(cfg.command[1], "-l");
	assert_string_equal(cfg.command[2], "/");
	assert_null(cfg.command[3]);
	assert_int_equal(cfg.no_pty, 0);
	mp_config_free(&cfg);
	load_ok(&cfg, dashes, NULL);
	assert_int_equal(cfg.ncommand, 3);
	assert_string_equal(cfg.command[0], "ls");
	assert_string_equal(cfg.command[1], "--");
	assert_string_equal(cfg.command[2], "-x");
	mp_config_free(&cfg);
	load_ok(&cfg, before, NULL);
	assert_string_equal(cfg.user, "u");
	assert_int_equal(cfg.ncommand, 1);
	assert_string_equal(cfg.command[0], "-v");
	assert_int_equal(cfg.log_level, LOG_LEVEL_INFO);
	assert_int_equal(cfg.no_pty, 1);
	mp_config_free(&cfg);
	load_ok(&cfg, none, NULL);
	assert_null(cfg.command);
	assert_int_equal(cfg.ncommand, 0);
	mp_config_free(&cfg);
}

static void
test_identities(void **state)
{
	const char *path = cfx_write("i.toml", "private_key_path = \"/f\"\n");
	const char *adds[] = { "-i", "/a", "-i", "/b", "h", NULL };
	const char *first[] = { "-i", "/a", "-p", "/p", "h", NULL };
	const char *file[] = { "-c", path, "h", NULL };
	const char *file_i[] = { "-c", path, "-i", "/a", "h", NULL };
	const char *file_p[] = { "-c", path, "-p", "/p", "-k", "/p.pub", "h",
	    NULL };
	const char *many[] = { "-i", "1", "-i", "2", "-i", "3", "-i", "4",
	    "-i", "5", "-i", "6", "-i", "7", "-i", "8", "-p", "9", "h", NULL };
	const char *nine[] = { "-i", "1", "-i", "2", "-i", "3", "-i", "4",
	    "-i", "5", "-i", "6", "-i", "7", "-i", "8", "-i", "9", "h", NULL };
	const char *env[] = { "MOSHPIT_PRIVATE_KEY_PATH=/e", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, adds, NULL);
	assert_int_equal(cfg.nidentity, 2);
	assert_string_equal(cfg.identity[0], "/a");
	assert_string_equal(cfg.identity[1], "/b");
	assert_null(cfg.identity[2]);
	mp_config_free(&cfg);
	load_ok(&cfg, first, NULL);
	assert_int_equal(cfg.nidentity, 2);
	assert_string_equal(cfg.identity[0], "/p");
	assert_string_equal(cfg.identity[1], "/a");
	mp_config_free(&cfg);
	load_ok(&cfg, file, NULL);
	assert_int_equal(cfg.nidentity, 1);
	assert_string_equal(cfg.identity[0], "/f");
	mp_config_free(&cfg);
	load_ok(&cfg, file_i, NULL);
	assert_int_equal(cfg.nidentity, 2);
	assert_string_equal(cfg.identity[0], "/f");
	assert_string_equal(cfg.identity[1], "/a");
	mp_config_free(&cfg);
	load_ok(&cfg, file_p, NULL);
	assert_int_equal(cfg.nidentity, 1);
	assert_string_equal(cfg.identity[0], "/p");
	assert_string_equal(cfg.public_key_path, "/p.pub");
	mp_config_free(&cfg);
	load_ok(&cfg, file_p, env);
	assert_int_equal(cfg.nidentity, 1);
	assert_string_equal(cfg.identity[0], "/e");
	mp_config_free(&cfg);
	load_fails(many, NULL, NULL, "more than 8 identities");
	load_fails(nine, NULL, NULL, "-i: more than 8 identities");
}

static void
test_escape_key(void **state)
{
	static const struct {
		const char *text;
		int key;
	} good[] = {
		{ "^^", 0x1e }, { "^a", 0x01 }, { "^A", 0x01 }, { "^@", 0x00 },
		{ "^[", 0x1b }, { "^_", 0x1f }, { "^?", 0x7f }, { "~", '~' },
		{ "^", '^' }, { "none", -1 },
	};
	static const char *const bad[] = {
		"", " ", "ab", "^1", "^ab", "^~", "\xc3\xa9", "^\xc3\xa9",
		"None",
	};
	const char *args[] = { "-e", NULL, "h", NULL };
	const char *env[] = { NULL, NULL };
	char var[64];
	struct mp_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		args[1] = good[i].text;
		load_ok(&cfg, args, NULL);
		assert_int_equal(cfg.escape_key, good[i].key);
		mp_config_free(&cfg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		args[1] = bad[i];
		load_fails(args, NULL, NULL, bad[i][0] == '\0' ?
		    "-e: empty value" :
		    "-e: expected ^X, a printable character or none");
	}
	args[1] = "^a";
	snprintf(var, sizeof(var), "MOSHPIT_ESCAPE_KEY=none");
	env[0] = var;
	load_ok(&cfg, args, env);
	assert_int_equal(cfg.escape_key, -1);
	mp_config_free(&cfg);
}

static void
test_flags(void **state)
{
	const char *all[] = { "-vvv", "-t", "-k", "/pub",
	    "--host-key-checking", "strict", "--diff-mode", "datagram",
	    "--kex-algos", "p384-sha384,p256-sha256", "--aead-algos",
	    "aes256-gcm", "--kdf-algos", "hkdf-sha256", "h", NULL };
	const char *tt[] = { "-t", "-T", "-q", "-v", "h", NULL };
	struct mp_config cfg;

	(void)state;
	load_ok(&cfg, all, NULL);
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG2);
	assert_int_equal(cfg.force_pty, 1);
	assert_int_equal(cfg.no_pty, 0);
	assert_string_equal(cfg.public_key_path, "/pub");
	assert_int_equal(cfg.host_key_checking, MP_HKC_STRICT);
	assert_string_equal(cfg.diff_mode, "datagram");
	assert_string_equal(cfg.kex, "p384-sha384,p256-sha256");
	assert_string_equal(cfg.aead, "aes256-gcm");
	assert_string_equal(cfg.kdf, "hkdf-sha256");
	mp_config_free(&cfg);
	load_ok(&cfg, tt, NULL);
	assert_int_equal(cfg.force_pty, 0);
	assert_int_equal(cfg.no_pty, 1);
	assert_int_equal(cfg.log_level, LOG_LEVEL_QUIET);
	mp_config_free(&cfg);
}

static void
test_flag_errors(void **state)
{
	const char *x[] = { "-x", "h", NULL };
	const char *s[] = { "-s", "0", "h", NULL };
	const char *lng[] = { "--server-port", "x", "h", NULL };
	const char *hkc[] = { "--host-key-checking", "no", "h", NULL };
	const char *miss[] = { "h", "-c", NULL };
	const char *missing[] = { "-c", NULL };
	const char *env[] = { "MOSHPIT_SEND_ENV=LANG,,TZ", NULL };

	(void)state;
	load_fails(x, NULL, NULL, "unknown option -x");
	load_fails(s, NULL, NULL, "-s: expected an integer from 1 to 65535");
	load_fails(lng, NULL, NULL,
	    "--server-port: expected an integer from 1 to 65535");
	load_fails(hkc, NULL, NULL, "--host-key-checking: expected one of "
	    "ask, accept-new, strict");
	load_fails(missing, NULL, NULL, "option -c needs a value");
	load_fails(miss + 0, env, NULL, "MOSHPIT_SEND_ENV: empty value");
}

static void
test_help_version(void **state)
{
	const char *h[] = { "-h", NULL };
	const char *v[] = { "-V", "host", NULL };
	const char *after[] = { "host", "-h", NULL };
	struct mp_config_error err;
	struct mp_config cfg;
	int exit_now, saved;

	(void)state;
	/* Keep the usage text out of the test's output. */
	saved = cfx_stdout_to("/dev/null");
	assert_int_equal(load(&cfg, h, NULL, &exit_now, &err), 0);
	assert_int_equal(exit_now, 1);
	mp_config_free(&cfg);
	assert_int_equal(load(&cfg, v, NULL, &exit_now, &err), 0);
	assert_int_equal(exit_now, 1);
	mp_config_free(&cfg);
	cfx_stdout_restore(saved);
	/* After the destination, -h belongs to the command. */
	assert_int_equal(load(&cfg, after, NULL, &exit_now, &err), 0);
	assert_int_equal(exit_now, 0);
	assert_string_equal(cfg.command[0], "-h");
	mp_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CFX_TEST(test_defaults),
		CFX_TEST(test_file_values),
		CFX_TEST(test_default_file),
		CFX_TEST(test_file_errors),
		CFX_TEST(test_port_precedence),
		CFX_TEST(test_precedence),
		CFX_TEST(test_nat_warmup),
		CFX_TEST(test_destinations),
		CFX_TEST(test_destination_load),
		CFX_TEST(test_command),
		CFX_TEST(test_identities),
		CFX_TEST(test_escape_key),
		CFX_TEST(test_flags),
		CFX_TEST(test_flag_errors),
		CFX_TEST(test_help_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

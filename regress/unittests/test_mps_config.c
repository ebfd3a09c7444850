/* test_mps_config.c: unit tests of mps's configuration: defaults, the file, flags, MOSHPITS_ variables, their precedence and -T output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/err.h"
#include "monitor/mps_config.h"
#include "regress/unittests/config_fixture.h"

/* mps_config_load() with argv "mps" + args and the environment env. */
static int
load(struct mps_config *cfg, const char *const *args,
    const char *const *env, struct mps_config_error *err)
{
	char *argv[CFX_ARGS_MAX + 2];
	int argc = cfx_argv(argv, "mps", args), exit_now, r;

	r = mps_config_load(cfg, argc, argv, cfx_env(env), &exit_now, err);
	cfx_argv_free(argv, argc);
	if (r == 0)
		assert_int_equal(exit_now, 0);
	return r;
}

static void
load_ok(struct mps_config *cfg, const char *const *args,
    const char *const *env)
{
	struct mps_config_error err;

	if (load(cfg, args, env, &err) != 0)
		fail_msg("load failed: %s", err.msg);
}

/* Expect failure and that err is exactly want (with %s as the path). */
static void
load_fails(const char *const *args, const char *const *env,
    const char *path, const char *want)
{
	struct mps_config_error err;
	struct mps_config cfg;

	assert_int_not_equal(load(&cfg, args, env, &err), 0);
	cfx_assert_msg(err.msg, want, path);
	assert_null(cfg.ip[0]);		/* freed on failure */
}

/* A file with the one line text under [mps]; err must be want. */
static void
file_fails(const char *body, const char *want)
{
	const char *path = cfx_write("bad.toml", body);
	const char *args[] = { "-c", path, NULL };

	load_fails(args, NULL, path, want);
}

static void
test_defaults(void **state)
{
	const char *args[] = { NULL };
	struct mps_config cfg;
	char want[256];
	int root = geteuid() == 0;

	(void)state;
	if (root && access("/etc/mps/mps.toml", F_OK) == 0)
		skip();
	load_ok(&cfg, args, NULL);
	assert_null(cfg.config_path);
	assert_int_equal(cfg.nip, 2);
	assert_string_equal(cfg.ip[0], "0.0.0.0");
	assert_string_equal(cfg.ip[1], "::");
	assert_int_equal(cfg.port, 40404);
	if (root)
		snprintf(want, sizeof(want), "/etc/mps/mps_host_ed25519_key");
	else
		snprintf(want, sizeof(want), "%s/.mp/mps_host_ed25519_key",
		    cfx_home);
	assert_string_equal(cfg.private_key_path, want);
	strcat(want, ".pub");
	assert_string_equal(cfg.public_key_path, want);
	assert_string_equal(cfg.term_type, "xterm-256color");
	assert_int_equal(cfg.pacing_delay_us, 1000);
	assert_int_equal(cfg.datagram_push_ms, 150);
	assert_int_equal(cfg.scrollback_rate, 500);
	assert_int_equal(cfg.warmup_delay_ms, 0);
	assert_int_equal(cfg.session_timeout, 0);
	assert_int_equal(cfg.naccept_env, 3);
	assert_string_equal(cfg.accept_env[0], "LANG");
	assert_string_equal(cfg.accept_env[1], "LC_*");
	assert_string_equal(cfg.accept_env[2], "TZ");
	assert_null(cfg.accept_env[3]);
	assert_string_equal(cfg.server_path,
	    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	assert_string_equal(cfg.authorized_keys_file, "%h/.mp/authorized_keys");
	assert_int_equal(cfg.udp_port_low, 50000);
	assert_int_equal(cfg.udp_port_high, 59999);
	assert_string_equal(cfg.pam_service, "mps");
	assert_null(cfg.pam_confdir);
	assert_int_equal(cfg.use_pam, root);
	assert_string_equal(cfg.privsep_user, "mpsd");
	assert_string_equal(cfg.privsep_chroot, "/var/empty/mps");
	assert_string_equal(cfg.mps_net_path, "/usr/local/libexec/mps-net");
	assert_int_equal(cfg.login_grace_time, 120);
	assert_int_equal(cfg.max_startups_begin, 10);
	assert_int_equal(cfg.max_startups_rate, 30);
	assert_int_equal(cfg.max_startups_full, 100);
	assert_int_equal(cfg.permit_user_environment, 0);
	assert_int_equal(cfg.strict_modes, 1);
	assert_null(cfg.pid_file);
	assert_null(cfg.kex);
	assert_null(cfg.aead);
	assert_null(cfg.mac);
	assert_null(cfg.kdf);
	assert_int_equal(cfg.log_level, LOG_LEVEL_INFO);
	assert_int_equal(cfg.log_stderr, 0);
	assert_int_equal(cfg.check_only, 0);
	assert_int_equal(cfg.print_config, 0);
	mps_config_free(&cfg);
}

static const char full_file[] =
    "# every key\n"
    "[mps]\n"
    "ip = \"127.0.0.1\"\n"
    "port = 2222\n"
    "private_key_path = \"/k/host\"\n"
    "public_key_path = '/k/host.public'\n"
    "term_type = \"vt100\"\n"
    "pacing_delay_us = 0\n"
    "accept_env = [\"LANG\", \"MY_*\"]\n"
    "server_path = \"/bin\"\n"
    "authorized_keys_file = \"/etc/mp/keys/%u\"\n"
    "udp_port_range = \"60000-60010\"\n"
    "pam_service = \"other\"\n"
    "pam_confdir = \"/opt/pam.d\"\n"
    "use_pam = true\n"
    "privsep_user = \"nobody\"\n"
    "privsep_chroot = \"/var/empty\"\n"
    "mps_net_path = \"/opt/mps-net\"\n"
    "login_grace_time = 0\n"
    "max_startups = \"5:50:20\"\n"
    "permit_user_environment = true\n"
    "strict_modes = false\n"
    "pid_file = \"/run/mps.pid\"\n"
    "\n"
    "[preferred_algorithms]\n"
    "kex = \"x25519-sha256, mlkem768x25519-sha256\"\n"
    "aead = [\"chacha20-poly1305\", \"aes256-gcm\"]\n"
    "mac = \"hmac-sha256\"\n"
    "kdf = [\"hkdf-sha512\"]\n";

static void
check_full(const struct mps_config *cfg)
{
	assert_int_equal(cfg->nip, 1);
	assert_string_equal(cfg->ip[0], "127.0.0.1");
	assert_null(cfg->ip[1]);
	assert_int_equal(cfg->port, 2222);
	assert_string_equal(cfg->private_key_path, "/k/host");
	assert_string_equal(cfg->public_key_path, "/k/host.public");
	assert_string_equal(cfg->term_type, "vt100");
	assert_int_equal(cfg->pacing_delay_us, 0);
	assert_int_equal(cfg->naccept_env, 2);
	assert_string_equal(cfg->accept_env[1], "MY_*");
	assert_null(cfg->accept_env[2]);
	assert_string_equal(cfg->server_path, "/bin");
	assert_string_equal(cfg->authorized_keys_file, "/etc/mp/keys/%u");
	assert_int_equal(cfg->udp_port_low, 60000);
	assert_int_equal(cfg->udp_port_high, 60010);
	assert_string_equal(cfg->pam_service, "other");
	assert_string_equal(cfg->pam_confdir, "/opt/pam.d");
	assert_int_equal(cfg->use_pam, 1);
	assert_string_equal(cfg->privsep_user, "nobody");
	assert_string_equal(cfg->privsep_chroot, "/var/empty");
	assert_string_equal(cfg->mps_net_path, "/opt/mps-net");
	assert_int_equal(cfg->login_grace_time, 0);
	assert_int_equal(cfg->max_startups_begin, 5);
	assert_int_equal(cfg->max_startups_rate, 50);
	assert_int_equal(cfg->max_startups_full, 20);
	assert_int_equal(cfg->permit_user_environment, 1);
	assert_int_equal(cfg->strict_modes, 0);
	assert_string_equal(cfg->pid_file, "/run/mps.pid");
	assert_string_equal(cfg->kex, "x25519-sha256,mlkem768x25519-sha256");
	assert_string_equal(cfg->aead, "chacha20-poly1305,aes256-gcm");
	assert_string_equal(cfg->mac, "hmac-sha256");
	assert_string_equal(cfg->kdf, "hkdf-sha512");
}

static void
test_file_values(void **state)
{
	const char *path = cfx_write("mps.toml", full_file);
	const char *args[] = { "-c", path, NULL };
	struct mps_config cfg;

	(void)state;
	load_ok(&cfg, args, NULL);
	assert_string_equal(cfg.config_path, path);
	check_full(&cfg);
	mps_config_free(&cfg);
	assert_null(cfg.ip[0]);
	assert_null(cfg.accept_env);
}

/* A failed check in a child: say where, and give a non-zero status. */
#define CHECK(cond)	do {						\
	if (!(cond)) {							\
		fprintf(stderr, "line %d: %s\n", __LINE__, #cond);	\
		return 1;						\
	}								\
} while (0)

/* Run check as nobody when root (mps would choose the root paths), in a
 * child, without cmocka; its result. */
static int
unprivileged(int (*check)(void))
{
	pid_t pid;
	int status;

	if (geteuid() != 0)
		return check();
	assert_int_equal(chmod(cfx_home, 0755), 0);
	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		_exit(check());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A user's defaults and default file (HOME/.config/moshpits/...). */
static int
check_user_defaults(void)
{
	struct mps_config_error err;
	struct mps_config cfg;
	char *argv[] = { NULL }, key[256], file[256];
	int exit_now;

	snprintf(key, sizeof(key), "%s/.mp/mps_host_ed25519_key", cfx_home);
	snprintf(file, sizeof(file), "%s/.config/moshpits/moshpits.toml",
	    cfx_home);
	CHECK(mps_config_load(&cfg, 0, argv, NULL, &exit_now, &err) == 0);
	CHECK(cfg.config_path != NULL && strcmp(cfg.config_path, file) == 0);
	CHECK(cfg.port == 2345 && cfg.use_pam == 0);
	CHECK(strcmp(cfg.private_key_path, key) == 0);
	CHECK(strcmp(cfg.public_key_path, strcat(key, ".pub")) == 0);
	mps_config_free(&cfg);
	/* No default file is no error. */
	CHECK(setenv("HOME", "/nonexistent", 1) == 0);
	CHECK(mps_config_load(&cfg, 0, argv, NULL, &exit_now, &err) == 0);
	CHECK(cfg.config_path == NULL && cfg.port == 40404);
	CHECK(strcmp(cfg.private_key_path,
	    "/nonexistent/.mp/mps_host_ed25519_key") == 0);
	mps_config_free(&cfg);
	return 0;
}

static void
test_user_defaults(void **state)
{
	(void)state;
	cfx_write(".config/moshpits/moshpits.toml", "[mps]\nport = 2345\n");
	assert_int_equal(unprivileged(check_user_defaults), 0);
}

static void
test_missing_file(void **state)
{
	const char *args[] = { "-c", "/nonexistent/mps.toml", NULL };

	(void)state;
	load_fails(args, NULL, NULL,
	    "/nonexistent/mps.toml: No such file or directory");
}

static void
test_unknown_keys(void **state)
{
	(void)state;
	file_fails("[mps]\nport = 1\nbogus = 2\n",
	    "%s:3: [mps] bogus: unknown key");
	file_fails("\nport = 1\n",
	    "%s:2: port: unknown key (it belongs in [mps])");
	file_fails("[mps]\nkex = \"x25519-sha256\"\n",
	    "%s:2: [mps] kex: unknown key (it belongs in "
	    "[preferred_algorithms])");
	file_fails("[mps]\nport = 1\n[mp]\n", "%s:3: [mp]: unknown table");
	file_fails("[preferred_algorithms]\nhostkey = \"ed25519\"\n",
	    "%s:2: [preferred_algorithms] hostkey: unknown key");
	file_fails("[mps]\nport = 1\nport = 2\n",
	    "%s:3: [mps] port: duplicate key");
	file_fails("[mps]\nport = 1.5\n",
	    "%s:2: [mps] port: floats are not supported");
}

static void
test_bad_values(void **state)
{
	(void)state;
	file_fails("[mps]\nport = 0\n",
	    "%s:2: [mps] port: expected an integer from 1 to 65535");
	file_fails("[mps]\nport = 65536\n",
	    "%s:2: [mps] port: expected an integer from 1 to 65535");
	file_fails("[mps]\nport = \"22\"\n",
	    "%s:2: [mps] port: expected an integer from 1 to 65535");
	file_fails("[mps]\ndatagram_push_ms = 10\n",
	    "%s:2: [mps] datagram_push_ms: expected an integer from 20 to "
	    "10000");
	file_fails("[mps]\nwarmup_delay_ms = 10001\n",
	    "%s:2: [mps] warmup_delay_ms: expected an integer from 0 to "
	    "10000");
	file_fails("[mps]\npacing_delay_us = -1\n",
	    "%s:2: [mps] pacing_delay_us: expected an integer from 0 to "
	    "1000000");
	file_fails("[mps]\nuse_pam = \"yes\"\n",
	    "%s:2: [mps] use_pam: expected true or false");
	file_fails("[mps]\nterm_type = 5\n",
	    "%s:2: [mps] term_type: expected a string");
	file_fails("[mps]\nterm_type = \"\"\n",
	    "%s:2: [mps] term_type: empty value");
	file_fails("[mps]\nip = \"1.2.3\"\n",
	    "%s:2: [mps] ip: \"1.2.3\" is not an IPv4 or IPv6 address");
	file_fails("[mps]\nip = []\n",
	    "%s:2: [mps] ip: expected from 1 to 8 values, not 0");
	file_fails("[mps]\nip = [\"::1\", \"::2\", \"::3\", \"::4\", \"::5\", "
	    "\"::6\", \"::7\", \"::8\", \"::9\"]\n",
	    "%s:2: [mps] ip: expected from 1 to 8 values, not 9");
	file_fails("[mps]\naccept_env = [\"LC-ALL\"]\n",
	    "%s:2: [mps] accept_env: \"LC-ALL\" is not a variable name "
	    "pattern (letters, digits, _, * and ?)");
	file_fails("[mps]\nudp_port_range = \"60000-50000\"\n",
	    "%s:2: [mps] udp_port_range: expected a port range \"LOW-HIGH\" "
	    "with 1 <= LOW <= HIGH <= 65535");
	file_fails("[mps]\nudp_port_range = \"0-5\"\n",
	    "%s:2: [mps] udp_port_range: expected a port range \"LOW-HIGH\" "
	    "with 1 <= LOW <= HIGH <= 65535");
	file_fails("[mps]\npam_confdir = \"pam.d\"\n",
	    "%s:2: [mps] pam_confdir: expected an absolute path");
	file_fails("[mps]\npam_service = \"../x\"\n",
	    "%s:2: [mps] pam_service: a PAM service is a file name in the "
	    "PAM directory");
	file_fails("[preferred_algorithms]\nkex = \"x25519-sha256,rot13\"\n",
	    "%s:2: [preferred_algorithms] kex: unknown kex algorithm "
	    "\"rot13\"");
	file_fails("[preferred_algorithms]\nmac = []\n",
	    "%s:2: [preferred_algorithms] mac: expected from 1 to 32 values, "
	    "not 0");
	file_fails("[preferred_algorithms]\naead = \"aes256-gcm,\"\n",
	    "%s:2: [preferred_algorithms] aead: empty value");
}

static void
test_max_startups(void **state)
{
	static const char *const bad[] = {
		"\"10:30\"", "\"10:0:100\"", "\"10:101:100\"", "\"20:30:10\"",
		"\"0\"", "0", "\"10:30:100:\"", "\"10:\"", "\"a\"", "\":\"",
		"\"10:30:100:5\"", "\"-1\"", "true", "\" 10\"", "4294967296",
	};
	static const struct {
		const char *text;
		uint32_t begin, rate, full;
	} good[] = {
		{ "20", 20, 100, 20 },
		{ "\"7\"", 7, 100, 7 },
		{ "\"1:1:1\"", 1, 1, 1 },
		{ "\"10:100:10\"", 10, 100, 10 },
	};
	const char *path, *args[] = { "-c", NULL, NULL };
	struct mps_config cfg;
	char body[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "[mps]\nmax_startups = %s\n",
		    bad[i]);
		file_fails(body, "%s:2: [mps] max_startups: expected "
		    "START:RATE:FULL with 1 <= START <= FULL <= 100000 and "
		    "RATE from 1 to 100, or a number");
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(body, sizeof(body), "[mps]\nmax_startups = %s\n",
		    good[i].text);
		args[1] = path = cfx_write("ms.toml", body);
		load_ok(&cfg, args, NULL);
		assert_int_equal(cfg.max_startups_begin, good[i].begin);
		assert_int_equal(cfg.max_startups_rate, good[i].rate);
		assert_int_equal(cfg.max_startups_full, good[i].full);
		mps_config_free(&cfg);
	}
}

/* environment > flags > file > default, on a few keys. */
static void
test_precedence(void **state)
{
	const char *path = cfx_write("p.toml", "[mps]\n"
	    "pacing_delay_us = 10\nterm_type = \"file\"\n"
	    "private_key_path = \"/file/key\"\n"
	    "[preferred_algorithms]\nkex = \"x25519-sha256\"\n");
	const char *file_only[] = { "-c", path, NULL };
	const char *flags[] = { "-c", path, "--pacing-delay-us", "20",
	    "--term-type", "flag", "-p", "/flag/key", "--kex-algos",
	    "p256-sha256", NULL };
	const char *env[] = { "MOSHPITS_PACING_DELAY_US=30", "HOME=/x",
	    "MOSHPITS_KEX=p384-sha384", "MOSHPITS_UNKNOWN=1", NULL };
	struct mps_config cfg;

	(void)state;
	load_ok(&cfg, file_only, NULL);
	assert_int_equal(cfg.pacing_delay_us, 10);
	assert_string_equal(cfg.term_type, "file");
	assert_string_equal(cfg.private_key_path, "/file/key");
	assert_string_equal(cfg.public_key_path, "/file/key.pub");
	assert_string_equal(cfg.kex, "x25519-sha256");
	mps_config_free(&cfg);

	load_ok(&cfg, flags, NULL);
	assert_int_equal(cfg.pacing_delay_us, 20);
	assert_string_equal(cfg.term_type, "flag");
	assert_string_equal(cfg.private_key_path, "/flag/key");
	assert_string_equal(cfg.public_key_path, "/flag/key.pub");
	assert_string_equal(cfg.kex, "p256-sha256");
	mps_config_free(&cfg);

	load_ok(&cfg, flags, env);
	assert_int_equal(cfg.pacing_delay_us, 30);
	assert_string_equal(cfg.term_type, "flag");
	assert_string_equal(cfg.kex, "p384-sha384");
	mps_config_free(&cfg);
}

static void
test_environment(void **state)
{
	const char *env[] = {
		"MOSHPITS_IP=127.0.0.1, ::1", "MOSHPITS_PORT=4444",
		"MOSHPITS_USE_PAM=no", "MOSHPITS_STRICT_MODES=off",
		"MOSHPITS_LOGIN_GRACE_TIME=0", "MOSHPITS_ACCEPT_ENV=",
		"MOSHPITS_UDP_PORT_RANGE=1000-1000",
		"MOSHPITS_MAX_STARTUPS=3:20:9",
		"MOSHPITS_PID_FILE=/run/x.pid", "MOSHPITS_AEAD=aes256-gcm-siv",
		"MOSHPITS_PUBLIC_KEY_PATH=/pub", NULL,
	};
	struct mps_config cfg;

	(void)state;
	load_ok(&cfg, NULL, env);
	assert_int_equal(cfg.nip, 2);
	assert_string_equal(cfg.ip[0], "127.0.0.1");
	assert_string_equal(cfg.ip[1], "::1");
	assert_int_equal(cfg.port, 4444);
	assert_int_equal(cfg.use_pam, 0);
	assert_int_equal(cfg.strict_modes, 0);
	assert_int_equal(cfg.login_grace_time, 0);
	assert_int_equal(cfg.naccept_env, 0);
	assert_null(cfg.accept_env[0]);
	assert_int_equal(cfg.udp_port_low, 1000);
	assert_int_equal(cfg.udp_port_high, 1000);
	assert_int_equal(cfg.max_startups_begin, 3);
	assert_int_equal(cfg.max_startups_rate, 20);
	assert_int_equal(cfg.max_startups_full, 9);
	assert_string_equal(cfg.pid_file, "/run/x.pid");
	assert_string_equal(cfg.aead, "aes256-gcm-siv");
	assert_string_equal(cfg.public_key_path, "/pub");
	mps_config_free(&cfg);
}

static void
test_environment_errors(void **state)
{
	const char *port[] = { "MOSHPITS_PORT=0", NULL };
	const char *port2[] = { "MOSHPITS_PORT=+22", NULL };
	const char *pam[] = { "MOSHPITS_USE_PAM=maybe", NULL };
	const char *kdf[] = { "MOSHPITS_KDF=hkdf-md5", NULL };
	const char *term[] = { "MOSHPITS_TERM_TYPE=a\tb", NULL };
	const char *utf[] = { "MOSHPITS_TERM_TYPE=\xff", NULL };

	(void)state;
	load_fails(NULL, port, NULL,
	    "MOSHPITS_PORT: expected an integer from 1 to 65535");
	load_fails(NULL, port2, NULL,
	    "MOSHPITS_PORT: expected an integer from 1 to 65535");
	load_fails(NULL, pam, NULL, "MOSHPITS_USE_PAM: expected true or false");
	load_fails(NULL, kdf, NULL,
	    "MOSHPITS_KDF: unknown kdf algorithm \"hkdf-md5\"");
	load_fails(NULL, term, NULL,
	    "MOSHPITS_TERM_TYPE: control character 0x09");
	load_fails(NULL, utf, NULL, "MOSHPITS_TERM_TYPE: invalid UTF-8");
}

static void
test_flags(void **state)
{
	const char *v2[] = { "-v", "-v", "-e", NULL };
	const char *v4[] = { "-vvvv", "-tT", NULL };
	const char *q[] = { "-v", "-q", "-v", NULL };
	const char *k[] = { "-k", "/pub.key", "-p", "/priv", NULL };
	struct mps_config cfg;

	(void)state;
	load_ok(&cfg, v2, NULL);
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);
	assert_int_equal(cfg.log_stderr, 1);
	assert_int_equal(cfg.check_only, 0);
	mps_config_free(&cfg);
	load_ok(&cfg, v4, NULL);
	assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG2);
	assert_int_equal(cfg.check_only, 1);
	assert_int_equal(cfg.print_config, 1);
	mps_config_free(&cfg);
	load_ok(&cfg, q, NULL);
	assert_int_equal(cfg.log_level, LOG_LEVEL_QUIET);
	mps_config_free(&cfg);
	load_ok(&cfg, k, NULL);
	assert_string_equal(cfg.public_key_path, "/pub.key");
	assert_string_equal(cfg.private_key_path, "/priv");
	mps_config_free(&cfg);
}

static void
test_flag_errors(void **state)
{
	const char *x[] = { "-x", NULL };
	const char *c[] = { "-c", NULL };
	const char *lng[] = { "--bogus", NULL };
	const char *arg[] = { "-v", "extra", NULL };
	const char *pacing[] = { "--pacing-delay-us", "1000001", NULL };
	const char *mac[] = { "--mac-algos", "hmac-md5", NULL };
	const char *term[] = { "--term-type", NULL };

	(void)state;
	load_fails(x, NULL, NULL, "unknown option -x");
	load_fails(c, NULL, NULL, "option -c needs a value");
	load_fails(lng, NULL, NULL, "unknown option --bogus");
	load_fails(arg, NULL, NULL, "unexpected argument \"extra\"");
	load_fails(pacing, NULL, NULL,
	    "--pacing-delay-us: expected an integer from 0 to 1000000");
	load_fails(mac, NULL, NULL,
	    "--mac-algos: unknown mac algorithm \"hmac-md5\"");
	load_fails(term, NULL, NULL, "option --term-type needs a value");
}

/* Run mps_config_load() with stdout in a file; what it printed. */
static char *
stdout_of(const char *arg, int *exit_now)
{
	char *argv[] = { strdup("mps"), strdup(arg), NULL };
	struct mps_config_error err;
	struct mps_config cfg;
	static char out[4096];
	char path[256];
	int saved;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/stdout", cfx_home);
	saved = cfx_stdout_to(path);
	assert_int_equal(mps_config_load(&cfg, 2, argv, NULL, exit_now,
	    &err), 0);
	cfx_stdout_restore(saved);
	mps_config_free(&cfg);
	assert_non_null(fp = fopen(path, "r"));
	out[fread(out, 1, sizeof(out) - 1, fp)] = '\0';
	fclose(fp);
	free(argv[0]);
	free(argv[1]);
	return out;
}

static void
test_help_version(void **state)
{
	int exit_now = 0;

	(void)state;
	assert_string_equal(stdout_of("-V", &exit_now),
	    "mps (moshpit) 0.1.0\n");
	assert_int_equal(exit_now, 1);
	assert_string_equal(stdout_of("--version", &exit_now),
	    "mps (moshpit) 0.1.0\n");
	assert_non_null(strstr(stdout_of("-h", &exit_now), "usage: mps"));
	assert_int_equal(exit_now, 1);
	assert_non_null(strstr(stdout_of("--help", &exit_now), "-T "));
}

/* Print cfg to HOME/name; the text printed. */
static char *
print_to(const struct mps_config *cfg, const char *name)
{
	char path[256], *text;
	long len;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", cfx_home, name);
	assert_non_null(fp = fopen(path, "w+"));
	mps_config_print(cfg, fp);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	assert_non_null(text = calloc(1, (size_t)len + 1));
	assert_int_equal(fread(text, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	return text;
}

/* -T of cfg loads back into the same configuration. */
static void
round_trip(const struct mps_config *cfg, const char *const *env)
{
	char path[256], *first, *second;
	const char *args[] = { "-c", path, NULL };
	struct mps_config again;

	first = print_to(cfg, "printed.toml");
	snprintf(path, sizeof(path), "%s/printed.toml", cfx_home);
	load_ok(&again, args, env);
	second = print_to(&again, "printed2.toml");
	/* Only the "from FILE" comment may differ. */
	assert_string_equal(strchr(first, '\n'), strchr(second, '\n'));
	mps_config_free(&again);
	free(first);
	free(second);
}

static void
test_print_loads_back(void **state)
{
	const char *path = cfx_write("full.toml", full_file);
	const char *args[] = { "-c", path, NULL };
	const char *odd[] = { "MOSHPITS_SERVER_PATH=/a\"b\\c:/d",
	    "MOSHPITS_TERM_TYPE=x\xc3\xa9", "MOSHPITS_ACCEPT_ENV=", NULL };
	struct mps_config cfg;
	char *text;

	(void)state;
	load_ok(&cfg, NULL, NULL);
	round_trip(&cfg, NULL);
	text = print_to(&cfg, "defaults.toml");
	assert_non_null(strstr(text, "\n[mps]\nip = [\"0.0.0.0\", \"::\"]\n"
	    "port = 40404\n"));
	assert_non_null(strstr(text, "max_startups = \"10:30:100\"\n"));
	assert_non_null(strstr(text, "# pid_file is unset"));
	assert_non_null(strstr(text, "\n[preferred_algorithms]\n# kex is "
	    "unset"));
	free(text);
	mps_config_free(&cfg);

	load_ok(&cfg, args, NULL);
	round_trip(&cfg, NULL);
	mps_config_free(&cfg);

	load_ok(&cfg, NULL, odd);
	round_trip(&cfg, NULL);
	text = print_to(&cfg, "odd.toml");
	assert_non_null(strstr(text, "server_path = \"/a\\\"b\\\\c:/d\"\n"));
	assert_non_null(strstr(text, "accept_env = []\n"));
	free(text);
	mps_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		CFX_TEST(test_defaults),
		CFX_TEST(test_file_values),
		CFX_TEST(test_user_defaults),
		CFX_TEST(test_missing_file),
		CFX_TEST(test_unknown_keys),
		CFX_TEST(test_bad_values),
		CFX_TEST(test_max_startups),
		CFX_TEST(test_precedence),
		CFX_TEST(test_environment),
		CFX_TEST(test_environment_errors),
		CFX_TEST(test_flags),
		CFX_TEST(test_flag_errors),
		CFX_TEST(test_help_version),
		CFX_TEST(test_print_loads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

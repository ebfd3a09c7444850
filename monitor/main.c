/* main.c: mps, the server: configuration, host key, checks (-t, -T), then the listener. */
#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/crypto/random.h"
#include "common/crypto/sign.h"
#include "common/err.h"
#include "common/keyfile.h"
#include "common/log.h"
#include "monitor/listener.h"
#include "monitor/mps_config.h"

extern char **environ;

static int
load_host_key(const struct mps_config *cfg, struct hostkey *hk)
{
	char *comment = NULL;
	int r;

	r = keyfile_load(cfg->private_key_path, NULL, &hk->key, &comment);
	free(comment);
	if (r == MP_ERR_NOT_FOUND) {
		log_error("no host key at %s; create one with "
		    "\"mp-keygen generate -s -n\"%s, or set private_key_path",
		    cfg->private_key_path, geteuid() == 0 ? " as root" : "");
		return r;
	}
	if (r == MP_ERR_NEED_PASSPHRASE) {
		log_error("host key %s is protected by a passphrase; mps "
		    "needs a key without one (mp-keygen change-passphrase)",
		    cfg->private_key_path);
		return r;
	}
	if (r != 0) {
		log_error("cannot load host key %s: %s", cfg->private_key_path,
		    mp_strerror(r));
		return r;
	}
	hk->alg = sig_key_alg(hk->key)->name;
	return 0;
}

/* The chroot of the net child must be root's and writable by nobody else. */
static int
check_privsep(const struct mps_config *cfg)
{
	struct stat st;

	if (access(cfg->mps_net_path, X_OK) != 0) {
		log_error("cannot run the net child %s: %s (set mps_net_path)",
		    cfg->mps_net_path, strerror(errno));
		return -1;
	}
	if (geteuid() != 0)
		return 0;
	if (getpwnam(cfg->privsep_user) == NULL) {
		log_error("privilege separation user %s does not exist; "
		    "create it with: useradd --system --home-dir %s --shell "
		    "/usr/sbin/nologin %s", cfg->privsep_user,
		    cfg->privsep_chroot, cfg->privsep_user);
		return -1;
	}
	if (stat(cfg->privsep_chroot, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0 || (st.st_mode & 022) != 0) {
		log_error("privilege separation directory %s must exist, "
		    "belong to root and be writable only by root (mkdir -p "
		    "-m 0755 %s)", cfg->privsep_chroot, cfg->privsep_chroot);
		return -1;
	}
	return 0;
}

static void
apply_logging(const struct mps_config *cfg)
{
	int to_stderr = cfg->log_stderr || cfg->check_only ||
	    cfg->print_config;

	log_init("mps", cfg->log_level, to_stderr ? LOG_TO_STDERR :
	    LOG_TO_SYSLOG, LOG_AUTH);
}

int
server_load(struct server *s, int first)
{
	struct mps_config cfg;
	struct mps_config_error err;
	struct hostkey hk = { NULL, NULL };
	int exit_now = 0;

	memset(&cfg, 0, sizeof(cfg));
	if (mps_config_load(&cfg, s->argc, s->argv, s->envp, &exit_now,
	    &err) != 0) {
		log_error("%s", err.msg);
		mps_config_free(&cfg);
		return -1;
	}
	if (exit_now)
		exit(0);
	if (first)
		apply_logging(&cfg);
	if (cfg.print_config) {
		mps_config_print(&cfg, stdout);
		exit(0);
	}
	if (load_host_key(&cfg, &hk) != 0 || check_privsep(&cfg) != 0) {
		sig_free(hk.key);
		mps_config_free(&cfg);
		return -1;
	}
	if (!first)
		server_free(s);
	s->cfg = cfg;
	s->hostkey = hk;
	return 0;
}

void
server_free(struct server *s)
{
	sig_free(s->hostkey.key);
	s->hostkey.key = NULL;
	mps_config_free(&s->cfg);
}

int
main(int argc, char **argv)
{
	static struct server s;

	log_init("mps", LOG_LEVEL_INFO, LOG_TO_STDERR, LOG_AUTH);
	if (mp_crypto_init() != 0)
		fatal("cannot initialise the crypto libraries");
	s.argc = argc;
	s.argv = argv;
	s.envp = environ;
	if (server_load(&s, 1) != 0)
		return 1;
	if (s.cfg.check_only)
		return 0;
	listener_run(&s);
}

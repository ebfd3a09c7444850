/* generate.c: mp-keygen generate: key type, default path and comment, overwrite check, passphrase, writing, report. */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "common/err.h"
#include "common/keyfile.h"
#include "common/log.h"
#include "common/pubkey.h"
#include "common/xmalloc.h"
#include "common/crypto/sign.h"
#include "keygen/keygen.h"

/* Accepted -t names; the seed's curve names map to the signature key on
 * the same curve, with a note saying so. */
static const struct key_type {
	const char *name;
	const char *alg;
	int kex_curve;
} key_types[] = {
	{ "ed25519", "ed25519", 0 },
	{ "ecdsa-p256", "ecdsa-p256", 0 },
	{ "ecdsa-p384", "ecdsa-p384", 0 },
	{ "x25519", "ed25519", 1 },
	{ "p256", "ecdsa-p256", 1 },
	{ "p384", "ecdsa-p384", 1 },
};

static const struct option long_opts[] = {
	{ "key-type", required_argument, NULL, 't' },
	{ "server", no_argument, NULL, 's' },
	{ "no-passphrase", no_argument, NULL, 'n' },
	{ "output-path", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "comment", required_argument, NULL, 'C' },
	{ "passphrase-stdin", no_argument, NULL, OPT_PASSPHRASE_STDIN },
	{ NULL, 0, NULL, 0 },
};

struct gen_opts {
	const char *type;
	const struct sig_alg *alg;
	enum pass_source pass;
	int server, force;
	const char *path, *comment;
};

static int
parse_args(int argc, char **argv, struct gen_opts *o)
{
	int c, no_pass = 0, pass_stdin = 0;

	memset(o, 0, sizeof(*o));
	o->type = "ed25519";
	while ((c = getopt_long(argc, argv, "t:k:sno:fC:", long_opts,
	    NULL)) != -1) {
		switch (c) {
		case 't':
		case 'k':	/* the seed's letter for it */
			o->type = optarg;
			break;
		case 's': o->server = 1; break;
		case 'n': no_pass = 1; break;
		case 'o': o->path = optarg; break;
		case 'f': o->force = 1; break;
		case 'C': o->comment = optarg; break;
		case OPT_PASSPHRASE_STDIN: pass_stdin = 1; break;
		default: return cmd_usage("generate");
		}
	}
	if (optind != argc || (no_pass && pass_stdin)) {
		if (no_pass && pass_stdin)
			log_error("-n and --passphrase-stdin exclude each "
			    "other");
		return cmd_usage("generate");
	}
	o->pass = no_pass ? PASS_NONE : pass_stdin ? PASS_STDIN : PASS_ASK;
	return 0;
}

static int
check_args(struct gen_opts *o)
{
	size_t i;

	if (o->comment != NULL &&
	    pubkey_comment_valid(o->comment, strlen(o->comment)) != 0) {
		log_error("the comment must be at most %d bytes of UTF-8 text "
		    "without control characters", PUBKEY_COMMENT_MAX);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++) {
		if (strcmp(key_types[i].name, o->type) != 0)
			continue;
		o->alg = sig_by_name(key_types[i].alg);
		if (key_types[i].kex_curve)
			log_info("key type %s is a key-exchange curve; "
			    "generating an %s signature key on the same curve",
			    o->type, o->alg->name);
		return 0;
	}
	log_error("unknown key type \"%s\"; use ed25519 (the default), "
	    "ecdsa-p256 or ecdsa-p384", o->type);
	return EXIT_USAGE;
}

const char *
home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && *home != '\0')
		return home;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir[0] != '\0')
		return pw->pw_dir;
	return NULL;
}

/* ~/.mp/id_TYPE, ~/.mp/mps_host_TYPE_key, or as root with -s
 * MP_SYSCONFDIR/mps_host_TYPE_key; TYPE with '_' for '-'. */
static char *
default_path(const struct gen_opts *o)
{
	char *type, *p, *path, *dir = NULL;
	const char *home;

	if (o->server && geteuid() == 0)
		dir = xstrdup(MP_SYSCONFDIR);
	else if ((home = home_dir()) != NULL)
		xasprintf(&dir, "%s/.mp", home);
	else {
		log_error("cannot find your home directory; name the key "
		    "file with -o");
		return NULL;
	}
	type = xstrdup(o->alg->name);
	for (p = type; *p != '\0'; p++)
		if (*p == '-')
			*p = '_';
	if (o->server)
		xasprintf(&path, "%s/mps_host_%s_key", dir, type);
	else
		xasprintf(&path, "%s/id_%s", dir, type);
	free(type);
	free(dir);
	return path;
}

/* user@host, or "" if that is not a usable comment. */
static char *
default_comment(void)
{
	struct passwd *pw = getpwuid(getuid());
	char host[256], *c;

	if (gethostname(host, sizeof(host)) != 0)
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	xasprintf(&c, "%s@%s", pw != NULL ? pw->pw_name : "unknown", host);
	if (pubkey_comment_valid(c, strlen(c)) != 0)
		c[0] = '\0';
	return c;
}

/* Create the key's directory (one level, mode 0700) if it is missing. */
static int
ensure_parent(const char *path)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	int r = 0;

	if (mkdir(dir, 0700) == 0)
		printf("Created directory '%s'.\n", dir);
	else if (errno != EEXIST) {
		log_error("cannot create directory %s: %s", dir,
		    strerror(errno));
		r = 1;
	}
	free(copy);
	return r;
}

/* May we write path and pub? Sets *overwrite when they may be replaced. */
static int
may_write(const char *path, const char *pub, const struct gen_opts *o,
    int *overwrite)
{
	const char *existing = NULL;
	struct stat st;
	char *q;
	int yes;

	*overwrite = o->force;
	if (!o->force && lstat(path, &st) == 0)
		existing = path;
	else if (!o->force && lstat(pub, &st) == 0)
		existing = pub;
	if (existing == NULL)
		return 0;
	if (o->pass == PASS_STDIN || !have_terminal()) {
		log_error("%s already exists; use -f to overwrite it",
		    existing);
		return 1;
	}
	xasprintf(&q, "%s already exists.\nOverwrite (y/n)? ", existing);
	yes = ask_yes_no(q);
	free(q);
	*overwrite = yes;
	return !yes;
}

static int
save_pair(const char *path, const char *pub, const struct sig_key *key,
    const char *comment, const char *pass, int overwrite)
{
	int r;

	if ((r = keyfile_save(path, key, comment, pass, NULL, overwrite)) != 0)
		return key_error(path, r);
	printf("Your identification has been saved in %s\n", path);
	if ((r = keyfile_save_public(pub, key, comment, overwrite)) != 0)
		return key_error(pub, r);
	printf("Your public key has been saved in %s\n", pub);
	printf("The key fingerprint is:\n");
	if (print_fingerprint(key, comment, 0) != 0)
		return 1;
	printf("The key's randomart image is:\n");
	return print_randomart(key);
}

/* Everything after the arguments have been checked. */
static int
generate(const struct gen_opts *o, const char *path, const char *comment)
{
	struct sig_key *key = NULL;
	char *pub, *pass = NULL;
	int r = 1, overwrite;

	xasprintf(&pub, "%s.pub", path);
	if (may_write(path, pub, o, &overwrite) != 0 ||
	    ensure_parent(path) != 0)
		goto out;
	printf("Generating public/private %s key pair.\n", o->alg->name);
	fflush(stdout);
	if (new_passphrase(o->pass,
	    "Enter passphrase (empty for no passphrase): ", &pass) != 0)
		goto out;
	if ((r = sig_generate(o->alg, &key)) != 0) {
		log_error("cannot generate the key: %s", mp_strerror(r));
		r = 1;
		goto out;
	}
	r = save_pair(path, pub, key, comment, pass, overwrite);
 out:
	sig_free(key);
	passphrase_free(pass);
	free(pub);
	return r;
}

/* Without -o on a terminal, offer the default path as ssh-keygen does. */
static char *
choose_path(const struct gen_opts *o)
{
	char *def, *q, *answer;

	if (o->path != NULL)
		return xstrdup(o->path);
	if ((def = default_path(o)) == NULL)
		return NULL;
	if (o->pass == PASS_STDIN || !have_terminal())
		return def;
	xasprintf(&q, "Enter file in which to save the key (%s): ", def);
	answer = ask_text(q);
	free(q);
	if (answer == NULL || *answer == '\0') {
		free(answer);
		return def;
	}
	free(def);
	return answer;
}

int
cmd_generate(int argc, char **argv)
{
	struct gen_opts o;
	char *path, *comment;
	int r;

	if ((r = parse_args(argc, argv, &o)) != 0 || (r = check_args(&o)) != 0)
		return r;
	if ((path = choose_path(&o)) == NULL)
		return 1;
	comment = o.comment != NULL ? xstrdup(o.comment) : default_comment();
	r = generate(&o, path, comment);
	free(comment);
	free(path);
	return r;
}

/* inspect.c: mp-keygen fingerprint, verify and public: reading a public key and showing or checking it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/keyfile.h"
#include "common/log.h"
#include "common/pubkey.h"
#include "common/xmalloc.h"
#include "common/crypto/sign.h"
#include "keygen/keygen.h"

#define OPT_RANDOMART	257
#define ART_INPUT_MAX	4096	/* bytes of randomart read from stdin */

/*
 * The public key of path: a .pub file as it is; for a private key file
 * its .pub next to it when there is one, else the public key stored in
 * clear inside it. Reports errors.
 */
static int
load_public(const char *path, struct sig_key **key, char **comment)
{
	size_t len = strlen(path);
	const char *from = path;
	char *pub;
	int r;

	xasprintf(&pub, "%s.pub", path);
	if ((len < 4 || strcmp(path + len - 4, ".pub") != 0) &&
	    access(pub, F_OK) == 0)
		from = pub;
	r = keyfile_load_public(from, key, comment);
	if (r != 0)
		key_error(from, r);
	free(pub);
	return r != 0;
}

static int
no_options(int argc, char **argv, const char *cmd)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };

	if (getopt_long(argc, argv, "", none, NULL) != -1 ||
	    optind != argc - 1)
		return cmd_usage(cmd);
	return 0;
}

int
cmd_fingerprint(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "randomart", no_argument, NULL, OPT_RANDOMART },
		{ NULL, 0, NULL, 0 },
	};
	struct sig_key *key;
	char *comment;
	int c, art = 0, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != OPT_RANDOMART)
			return cmd_usage("fingerprint");
		art = 1;
	}
	if (optind != argc - 1)
		return cmd_usage("fingerprint");
	if (load_public(argv[optind], &key, &comment) != 0)
		return 1;
	r = print_fingerprint(key, comment, 1);
	if (r == 0 && art)
		r = print_randomart(key);
	sig_free(key);
	free(comment);
	return r;
}

/* All of standard input (bounded) as a string. */
static char *
read_stdin(void)
{
	char *s = xmalloc(ART_INPUT_MAX + 1);
	size_t len = 0;
	ssize_t n;

	while (len < ART_INPUT_MAX) {
		n = read(STDIN_FILENO, s + len, ART_INPUT_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	s[len] = '\0';
	return s;
}

/* The randomart as given, without the newlines that end it. */
static char *
art_argument(const char *arg)
{
	char *s = strcmp(arg, "-") == 0 ? read_stdin() : xstrdup(arg);
	size_t len = strlen(s);

	while (len > 0 && s[len - 1] == '\n')
		s[--len] = '\0';
	return s;
}

static int
verify_art(const struct sig_key *key, const char *given, const char *path)
{
	char art[PUBKEY_RANDOMART_SIZE];
	int r;

	if ((r = pubkey_randomart(key, art)) != 0) {
		log_error("cannot compute the randomart: %s", mp_strerror(r));
		return 1;
	}
	if (strcmp(art, given) != 0) {
		log_error("randomart mismatch: the picture given is not the "
		    "one of the key in %s", path);
		return 1;
	}
	printf("fingerprint matches\n");
	return 0;
}

static int
verify_fp(const struct sig_key *key, const char *given, const char *path)
{
	char fp[PUBKEY_FP_SIZE];
	int r;

	if ((r = pubkey_fingerprint(key, fp)) != 0) {
		log_error("cannot compute the fingerprint: %s", mp_strerror(r));
		return 1;
	}
	if (strcmp(fp, given) == 0) {
		printf("fingerprint matches\n");
		return 0;
	}
	if (strncmp(given, "SHA256:", 7) != 0 ||
	    strlen(given) != PUBKEY_FP_SIZE - 1)
		log_error("\"%s\" is not a fingerprint: they look like "
		    "SHA256: followed by 43 base64 characters", given);
	else
		log_error("fingerprint mismatch: the key in %s has %s, not %s",
		    path, fp, given);
	return 1;
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "randomart", required_argument, NULL, OPT_RANDOMART },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *art_arg = NULL;
	struct sig_key *key;
	char *art;
	int c, r;

	while ((c = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
		if (c == 'k')
			path = optarg;
		else if (c == OPT_RANDOMART)
			art_arg = optarg;
		else
			return cmd_usage("verify");
	}
	if (path == NULL || optind != argc - (art_arg == NULL))
		return cmd_usage("verify");
	if (load_public(path, &key, NULL) != 0)
		return 1;
	if (art_arg == NULL)
		r = verify_fp(key, argv[optind], path);
	else {
		art = art_argument(art_arg);
		r = verify_art(key, art, path);
		free(art);
	}
	sig_free(key);
	return r;
}

int
cmd_public(int argc, char **argv)
{
	struct sig_key *key;
	char *comment, *line;
	int r;

	if ((r = no_options(argc, argv, "public")) != 0)
		return r;
	if ((r = keyfile_load_public(argv[optind], &key, &comment)) != 0)
		return key_error(argv[optind], r);
	r = pubkey_format_line(key, comment, &line);
	if (r == 0)
		printf("%s\n", line);
	else
		log_error("cannot format the public key: %s", mp_strerror(r));
	free(line);
	free(comment);
	sig_free(key);
	return r != 0;
}

/* passphrase.c: mp-keygen change-passphrase: decrypt a private key file and rewrite it atomically under a new passphrase. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/err.h"
#include "common/keyfile.h"
#include "common/crypto/sign.h"
#include "keygen/keygen.h"

/*
 * Load path. With --passphrase-stdin the first line is the old
 * passphrase (ignored for an unencrypted key); otherwise the terminal is
 * asked only if the key turns out to be encrypted.
 */
static int
load_key(const char *path, enum pass_source src, struct sig_key **key,
    char **comment)
{
	char *old = NULL;
	int r;

	if (src == PASS_STDIN && old_passphrase(src, path, &old) != 0)
		return 1;
	r = keyfile_load(path, old, key, comment);
	if (r == MP_ERR_NEED_PASSPHRASE && src == PASS_ASK) {
		if (old_passphrase(src, path, &old) != 0)
			return 1;
		r = keyfile_load(path, old, key, comment);
	}
	passphrase_free(old);
	return r != 0 ? key_error(path, r) : 0;
}

int
cmd_change_passphrase(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-passphrase", no_argument, NULL, 'n' },
		{ "passphrase-stdin", no_argument, NULL, OPT_PASSPHRASE_STDIN },
		{ NULL, 0, NULL, 0 },
	};
	enum pass_source src = PASS_ASK;
	struct sig_key *key = NULL;
	char *comment = NULL, *pass = NULL;
	const char *path;
	int c, no_pass = 0, r;

	while ((c = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		if (c == 'n')
			no_pass = 1;
		else if (c == OPT_PASSPHRASE_STDIN)
			src = PASS_STDIN;
		else
			return cmd_usage("change-passphrase");
	}
	if (optind != argc - 1)
		return cmd_usage("change-passphrase");
	path = argv[optind];
	if ((r = load_key(path, src, &key, &comment)) != 0 ||
	    (r = new_passphrase(no_pass ? PASS_NONE : src,
	    "Enter new passphrase (empty for no passphrase): ", &pass)) != 0)
		goto out;
	if ((r = keyfile_save(path, key, comment, pass, NULL, 1)) != 0)
		r = key_error(path, r);
	else
		printf("Your identification has been saved %s.\n",
		    pass == NULL ? "without a passphrase" :
		    "with the new passphrase");
 out:
	passphrase_free(pass);
	free(comment);
	sig_free(key);
	return r;
}

/* report.c: mp-keygen's messages for key file errors, and its fingerprint and randomart output. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/keyfile.h"
#include "common/log.h"
#include "common/pubkey.h"
#include "keygen/keygen.h"

/* Say what is wrong with the file's owner or mode, and how to fix it. */
static void
permissions_error(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		log_error("%s: %s", path, mp_strerror(MP_ERR_KEY_PERMISSIONS));
	else if (st.st_uid != geteuid() && st.st_uid != 0)
		log_error("%s: owned by uid %u: private key files must belong "
		    "to the user who uses them; run chown %u %s", path,
		    (unsigned int)st.st_uid, (unsigned int)geteuid(), path);
	else
		log_error("%s: bad permissions %04o: private key files must "
		    "not be accessible by others; run chmod 600 %s", path,
		    (unsigned int)(st.st_mode & 07777), path);
}

int
key_error(const char *path, int err)
{
	switch (err) {
	case MP_ERR_KEY_PERMISSIONS:
		permissions_error(path);
		break;
	case MP_ERR_NOT_FOUND:
		log_error("%s: no such file", path);
		break;
	case MP_ERR_SYSTEM:
		log_error("%s: %s", path, strerror(errno));
		break;
	case MP_ERR_EXISTS:
		log_error("%s already exists; use -f to overwrite it", path);
		break;
	case MP_ERR_PASSPHRASE:
		log_error("%s: incorrect passphrase", path);
		break;
	case MP_ERR_NEED_PASSPHRASE:
		log_error("%s: the key is protected by a passphrase", path);
		break;
	case MP_ERR_INVALID_FORMAT:
	case MP_ERR_INCOMPLETE:
	case MP_ERR_TRAILING_DATA:
	case MP_ERR_KEY_LENGTH:
		log_error("%s: not a moshpit key file, or a damaged one "
		    "(invalid format)", path);
		break;
	case MP_ERR_INVALID_KEY:
		log_error("%s: invalid key: it is not a valid point, or its "
		    "private and public halves do not match", path);
		break;
	case MP_ERR_UNKNOWN_ALGORITHM:
		log_error("%s: unsupported key algorithm; this version knows "
		    "ed25519, ecdsa-p256 and ecdsa-p384", path);
		break;
	case MP_ERR_TOO_LARGE:
		log_error("%s: too large to be a key file (the limit is %d "
		    "bytes)", path, KEYFILE_SIZE_MAX);
		break;
	case MP_ERR_LIMIT:
		log_error("%s: the file asks for more passphrase-hashing work "
		    "or memory than allowed", path);
		break;
	default:
		log_error("%s: %s", path, mp_strerror(err));
		break;
	}
	return 1;
}

int
print_fingerprint(const struct sig_key *key, const char *comment,
    int long_form)
{
	char fp[PUBKEY_FP_SIZE];
	int r;

	if ((r = pubkey_fingerprint(key, fp)) != 0) {
		log_error("cannot compute the fingerprint: %s", mp_strerror(r));
		return 1;
	}
	if (comment == NULL || *comment == '\0')
		comment = long_form ? "no comment" : "";
	if (long_form)
		printf("%u %s %s (%s)\n", pubkey_bits(key), fp, comment,
		    pubkey_label(key));
	else
		printf("%s%s%s\n", fp, *comment != '\0' ? " " : "", comment);
	return 0;
}

int
print_randomart(const struct sig_key *key)
{
	char art[PUBKEY_RANDOMART_SIZE];
	int r;

	if ((r = pubkey_randomart(key, art)) != 0) {
		log_error("cannot compute the randomart: %s", mp_strerror(r));
		return 1;
	}
	printf("%s\n", art);
	return 0;
}

/* mp-keygen.c: mp-keygen's entry point: start-up, help, version and subcommand dispatch. */
#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "common/log.h"
#include "common/crypto/random.h"
#include "keygen/keygen.h"

static const struct command {
	const char *name;
	int (*run)(int, char **);
	const char *usage;
} commands[] = {
	{ "generate", cmd_generate,
	    "generate [-fns] [-t type] [-o path] [-C comment] "
	    "[--passphrase-stdin]" },
	{ "fingerprint", cmd_fingerprint, "fingerprint [--randomart] file" },
	{ "verify", cmd_verify,
	    "verify (fingerprint | --randomart art) -k file" },
	{ "public", cmd_public, "public file" },
	{ "change-passphrase", cmd_change_passphrase,
	    "change-passphrase [-n] [--passphrase-stdin] file" },
	{ "known-hosts", cmd_known_hosts,
	    "known-hosts remove host[:port] [-f file]" },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const char help_text[] =
"Generate and inspect moshpit identity and host keys.\n"
"\n"
"  generate            make a key pair: path (private, mode 0600), path.pub\n"
"    -t, -k, --key-type type  ed25519 (default), ecdsa-p256 or ecdsa-p384\n"
"                          (x25519, p256 and p384 map to these)\n"
"    -s, --server          a host key: ~/.mp/mps_host_TYPE_key, or\n"
"                          " MP_SYSCONFDIR "/mps_host_TYPE_key as root\n"
"    -o, --output-path path  instead of ~/.mp/id_TYPE\n"
"    -C, --comment comment   instead of user@host\n"
"    -n, --no-passphrase   store the private key unencrypted\n"
"    --passphrase-stdin    read the passphrase as one line of stdin\n"
"    -f, --force           overwrite an existing key\n"
"  fingerprint         print the SHA256 fingerprint (and with --randomart\n"
"                      the picture) of a public or private key file\n"
"  verify              check a key file against a fingerprint or a\n"
"                      randomart (art - is read from stdin)\n"
"  public              print the public key line of a private key file\n"
"  change-passphrase   re-encrypt a private key file (-n: remove the\n"
"                      passphrase; --passphrase-stdin: the old passphrase\n"
"                      then the new one as lines of stdin)\n"
"  known-hosts remove  delete every line for a host from a known_hosts\n"
"                      file (default ~/.mp/known_hosts), keeping the old\n"
"                      one as file.old; host:port and [addr]:port name\n"
"                      a port other than 40404\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage error.\n";

/* The usage lines of every subcommand, or of the one called name. */
static void
usage_lines(FILE *f, const char *name)
{
	const char *lead = "usage:";
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (name != NULL && strcmp(commands[i].name, name) != 0)
			continue;
		fprintf(f, "%s mp-keygen %s\n", lead, commands[i].usage);
		lead = "      ";
	}
	if (name == NULL)
		fprintf(f, "%s mp-keygen --help | --version\n", lead);
}

int
cmd_usage(const char *name)
{
	usage_lines(stderr, name);
	return EXIT_USAGE;
}

static int
help(const char *name)
{
	usage_lines(stdout, name);
	printf("\n%s", help_text);
	return 0;
}

static int
dispatch(int argc, char **argv)
{
	static char progname[] = "mp-keygen";
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, argv[1]) != 0)
			continue;
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
		    strcmp(argv[2], "-h") == 0))
			return help(commands[i].name);
		/* getopt's messages name the program from argv[0]. */
		argv[1] = progname;
		return commands[i].run(argc - 1, argv + 1);
	}
	log_error("unknown command \"%s\"; see mp-keygen --help", argv[1]);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	if (mp_crypto_init() != 0) {
		fprintf(stderr, "mp-keygen: cannot initialise the crypto "
		    "libraries\n");
		return 1;
	}
	umask(077);
	log_init("mp-keygen", LOG_LEVEL_INFO, LOG_TO_STDERR, 0);
	if (argc < 2)
		return cmd_usage(NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return help(NULL);
	if (strcmp(argv[1], "--version") == 0) {
		printf("mp-keygen %s\n", MP_VERSION);
		return 0;
	}
	return dispatch(argc, argv);
}

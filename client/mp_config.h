/* mp_config.h: mp's effective configuration from ~/.config/moshpit/moshpit.toml, command-line flags and MOSHPIT_ environment variables. */
#ifndef MP_MP_CONFIG_H
#define MP_MP_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/log.h"

#define MP_IDENTITIES_MAX	8

enum mp_host_key_checking {
	MP_HKC_ASK = 0,		/* default: prompt for unknown hosts */
	MP_HKC_ACCEPT_NEW,	/* record unknown hosts silently */
	MP_HKC_STRICT,		/* refuse unknown hosts */
};

/*
 * Strings are owned by the struct (mp_config_free()). Precedence:
 * environment (MOSHPIT_<KEY>) > destination > flags > file > default;
 * keys are at the top of the file and in [preferred_algorithms]
 * (docs/config.md).
 */
struct mp_config {
	char	*config_path;		/* the file read, or NULL */
	/* destination, from the command line */
	char	*user;			/* user, -l, user@; the local user name */
	char	*host;			/* name or address, without brackets */
	uint16_t port;			/* server_port, -s, or host:port; 40404 */
	char	**command;		/* argv after the destination or "--"; NULL */
	size_t	 ncommand;
	/* identities: private_key_path (file, -p, MOSHPIT_PRIVATE_KEY_PATH)
	 * first, then each -i; if none, ~/.mp/id_ed25519, id_ecdsa_p256 and
	 * id_ecdsa_p384, listed whether or not they exist */
	char	*identity[MP_IDENTITIES_MAX];
	size_t	 nidentity;
	char	*public_key_path;	/* -k: the public half of the first
					 * identity; NULL if not given */
	char	*known_hosts_path;	/* ~/.mp/known_hosts */
	enum mp_host_key_checking host_key_checking;
	char	*diff_mode;		/* "statesync" */
	char	*predict;		/* "adaptive" */
	int	 nat_warmup;		/* keepalives before the session; false */
	uint32_t nat_warmup_count;	/* how many; 3 */
	uint32_t max_reconnect_backoff_secs;	/* 3600 */
	char	**send_env;		/* NULL-terminated patterns; LANG LC_* TZ */
	size_t	 nsend_env;
	int	 escape_key;		/* a byte, default 0x1e (ctrl-^); -1: none */
	int	 no_pty;		/* -T */
	int	 force_pty;		/* -t */
	/* [preferred_algorithms]; NULL: built-in default */
	char	*kex, *aead, *mac, *kdf;
	enum log_level log_level;	/* -v/-q */
};

struct mp_config_error {
	char	msg[512];
};

/*
 * Parse argv: mp [OPTIONS] [user@]host[:port] [--] [command ...] with
 * hostnames, IPv4 and [IPv6]:port; flags -v -q -c FILE -p FILE -i FILE
 * -k FILE -s/--server-port PORT -T -t -e ESCAPE --host-key-checking
 * ask|accept-new|strict --diff-mode --predict --kex-algos --aead-algos
 * --mac-algos --kdf-algos -h/--help -V/--version, and -l USER; options
 * end at the destination. 0, or a negative mp_err with err filled and cfg
 * freed; -h/-V print to stdout and set *exit_now.
 */
int mp_config_load(struct mp_config *cfg, int argc, char **argv,
    char *const *envp, int *exit_now, struct mp_config_error *err);
void mp_config_free(struct mp_config *cfg);

#endif

/* mps_config.h: mps's effective configuration from the TOML file, command-line flags and MOSHPITS_ environment variables. */
#ifndef MP_MPS_CONFIG_H
#define MP_MPS_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/log.h"

#define MPS_ADDRS_MAX	8

/*
 * Every string is owned by the struct (mps_config_free()). Defaults are
 * those of docs/config.md; the file is -c FILE, else /etc/mps/mps.toml
 * when root, else ~/.config/moshpits/moshpits.toml (a missing default
 * file is no error). Keys live in [mps] and [preferred_algorithms]; each
 * has the variable MOSHPITS_<KEY> (MOSHPITS_KEX for the algorithms).
 * Precedence: environment > flags > file > default.
 */
struct mps_config {
	char	*config_path;		/* the file read, or NULL if none existed */
	/* [mps] */
	char	*ip[MPS_ADDRS_MAX];	/* listen addresses; default 0.0.0.0 and :: */
	size_t	 nip;
	uint16_t port;			/* 40404 */
	char	*private_key_path;	/* host key: root /etc/mps/, else ~/.mp/,
					 * mps_host_ed25519_key */
	char	*public_key_path;	/* default private_key_path + ".pub" */
	char	*term_type;		/* "xterm-256color" */
	uint32_t pacing_delay_us;	/* 1000 */
	uint32_t datagram_push_ms;	/* 150: full screens in datagram mode */
	uint32_t scrollback_rate;	/* 500 lines/s to the client; 0 none */
	uint32_t warmup_delay_ms;	/* 0: before the first datagram */
	uint32_t session_timeout;	/* s without the client; 0 never */
	char	**accept_env;		/* NULL-terminated; default LANG LC_* TZ */
	size_t	 naccept_env;
	char	*server_path;		/* PATH for sessions */
	char	*authorized_keys_file;	/* "%h/.mp/authorized_keys" */
	uint16_t udp_port_low, udp_port_high;	/* 50000-59999 */
	char	*pam_service;		/* MP_PAM_SERVICE */
	char	*pam_confdir;		/* NULL: the system's /etc/pam.d */
	int	 use_pam;		/* 1 when root, else 0 */
	char	*privsep_user;		/* MP_PRIVSEP_USER */
	char	*privsep_chroot;	/* MP_PRIVSEP_CHROOT */
	char	*mps_net_path;		/* MP_LIBEXECDIR "/mps-net" */
	uint32_t login_grace_time;	/* seconds, 120; 0 = none */
	uint32_t max_startups_begin;	/* 10:30:100 */
	uint32_t max_startups_rate;
	uint32_t max_startups_full;
	int	 permit_user_environment;	/* false */
	int	 strict_modes;		/* true */
	char	*pid_file;		/* NULL: none */
	int	 per_source_penalties;	/* true: OpenSSH's PerSourcePenalties */
	/* [preferred_algorithms]; NULL: built-in default */
	char	*kex, *aead, *mac, *kdf;
	/* flags only */
	enum log_level log_level;	/* -v/-q */
	int	 log_stderr;		/* -e */
	int	 check_only;		/* -t */
	int	 print_config;		/* -T */
};

/* What went wrong, fit for "mps: <msg>" (names file, line and key, or the
 * flag or variable). */
struct mps_config_error {
	char	msg[512];
};

/*
 * Parse argv (flags as in mps(8): -v -q -e -c FILE -p FILE -k FILE -t -T
 * --term-type --kex-algos --aead-algos --mac-algos --kdf-algos
 * --pacing-delay-us --pid-file, -h/--help, -V/--version), read the file,
 * apply MOSHPITS_* from envp. 0, or a negative mp_err with err filled
 * and cfg freed. -h and -V set *exit_now = 1 after printing to stdout.
 */
int mps_config_load(struct mps_config *cfg, int argc, char **argv,
    char *const *envp, int *exit_now, struct mps_config_error *err);
/* Print the effective configuration as TOML that loads back (for -T). */
void mps_config_print(const struct mps_config *cfg, FILE *fp);
void mps_config_free(struct mps_config *cfg);

#endif

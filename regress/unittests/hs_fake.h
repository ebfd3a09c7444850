/* hs_fake.h: a fake monitor behind struct hs_server_ops, signing identities, and a driver that runs client and server against each other (tests, fuzzers, benchmarks). */
#ifndef MP_HS_FAKE_H
#define MP_HS_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/crypto/sign.h"
#include "common/proto/handshake.h"

#define FAKE_NAUTH	8
#define FAKE_NSESSIONS	4
#define FAKE_IO_MAX	(1024 * 1024)

struct fake_session {
	uint8_t id[HS_H_MAX];
	size_t id_len;
	uint8_t secret[HS_RESUME_BYTES];
	char user[HS_NAME_MAX + 1];
};

struct fake {
	struct hs_server_ops ops;
	/* Attacks on the host signature. */
	const struct sig_key *sign_with;	/* instead of the host key */
	int sign_other_h;			/* over H with a bit flipped */
	int refuse;				/* refuse every request */
	int bad_reply;				/* accept, with no mode */
	/* What the monitor saw. */
	int sign_calls, allowed_calls, verify_calls, request_calls;
	int resume_calls;
	uint8_t h[HS_H_MAX];
	size_t h_len;
	char req_user[HS_NAME_MAX + 1];
	struct hs_request req;			/* deep copy of the last one */
	/* authorized_keys and the session table. */
	struct {
		const char *user;
		const struct sig_key *key;
	} auth[FAKE_NAUTH];
	size_t nauth;
	struct fake_session sessions[FAKE_NSESSIONS];
	size_t nsessions;
};

struct fake_id {
	struct sig_key *key;		/* offered */
	const struct sig_key *signer;	/* signs; NULL: key itself */
	const uint8_t *other_h;		/* sign for this H instead */
	size_t other_h_len;
	const char *user;		/* with other_h */
	int sign_calls;
};

struct pump {
	struct hs_client *c;
	struct hs_server *s;
	int crc, src;			/* results so far */
	size_t chunk;			/* bytes per input call; 0: all */
	/* May rewrite data (direction 0: to the server) before delivery;
	 * n counts the deliveries in that direction. */
	void (*tamper)(void *arg, int to_client, int n, struct buf *data);
	void *tamper_arg;
	int sent[2];
	struct buf *wire[2];		/* everything delivered, by direction */
};

/* One client and one server with a fake monitor and identities. */
struct fake_run {
	struct fake f;
	struct fake_id id[8];		/* extra identities a test makes */
	struct hs_identity ids[8];
	size_t nids;
	int refuse_host;		/* known_hosts refuses the host key */
	struct hs_client_params params;
	struct hs_algorithms calgs, salgs;
	struct pump p;
	struct hs_keys ck, sk;
};

/* A run offering identity id (made on first use), authorised for user,
 * asking for a new 80x24 statesync session; hostkeys NULL: all types. */
void fake_run_init(struct fake_run *t, const char *hostkeys,
    const char *user, struct fake_id *id);
/* Run the handshake to its end; both machines stay for inspection. */
void fake_run_go(struct fake_run *t);
void fake_run_done(struct fake_run *t);

void fake_add_session(struct fake *f, const char *user, const struct hs_keys *k);
void fake_allow(struct fake *f, const char *user, const struct sig_key *key);
void fake_free(struct fake *f);
struct sig_key *fake_host_key(const char *alg);
void fake_id_init(struct fake_id *id, const char *alg);
int fake_id_sign(void *arg, const uint8_t *data, size_t len, uint8_t *sig,
    size_t *sig_len);
struct hs_identity fake_identity(struct fake_id *id);
void fake_init(struct fake *f, const char *hostkeys);
int fake_verify_host(void *arg, const struct sig_key *key);
void pump_run(struct pump *p);

#endif

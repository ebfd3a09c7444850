/* main.c: mp's entry point: the configuration from the command line, environment and file, then the calls that connect, log in and run the session. */
#include <string.h>

#include "client/client.h"
#include "common/log.h"
#include "common/crypto/random.h"

extern char **environ;

/* Log in over conn and run the session; the status mp exits with. */
static int
login_and_run(struct mp_config *cfg, struct mp_conn *conn,
    const struct mp_request *req)
{
	struct mp_identities ids;
	struct client_error err;
	struct mp_login login;
	int status = MP_EXIT_ERROR;

	memset(&login, 0, sizeof(login));
	if (identities_load(cfg, &ids, &err) != 0 ||
	    login_run(cfg, conn, &ids, &req->req, &login, &err) != 0)
		log_error("%s", err.msg);
	else {
		identities_free(&ids);	/* no more use for the keys */
		client_disconnect(conn);
		status = session_run(cfg, conn, &login, request_no_pty(req));
	}
	identities_free(&ids);
	hs_keys_clear(&login.keys);
	return status;
}

static int
run(struct mp_config *cfg)
{
	struct client_error err;
	struct mp_request req;
	struct mp_conn conn;
	int status = MP_EXIT_ERROR;

	if (request_build(cfg, environ, &req, &err) != 0) {
		log_error("%s", err.msg);
		return MP_EXIT_ERROR;
	}
	if (client_connect(cfg->host, cfg->port, CONNECT_TIMEOUT_MS, &conn,
	    &err) != 0)
		log_error("%s", err.msg);
	else
		status = login_and_run(cfg, &conn, &req);
	client_disconnect(&conn);
	request_free(&req);
	return status;
}

int
main(int argc, char **argv)
{
	struct mp_config_error err;
	struct mp_config cfg;
	int exit_now = 0, status;

	log_init("mp", LOG_LEVEL_INFO, LOG_TO_STDERR, 0);
	if (mp_crypto_init() != 0)
		fatal("cannot initialise the cryptographic libraries");
	memset(&cfg, 0, sizeof(cfg));
	memset(&err, 0, sizeof(err));
	if (mp_config_load(&cfg, argc, argv, environ, &exit_now, &err) != 0) {
		log_error("%s", err.msg);	/* cfg was freed */
		return MP_EXIT_ERROR;
	}
	if (exit_now) {
		mp_config_free(&cfg);
		return 0;
	}
	log_set_level(cfg.log_level);
	status = run(&cfg);
	mp_config_free(&cfg);
	return status;
}

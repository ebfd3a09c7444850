/* main.c: mp's entry point: the configuration from the command line, environment and file, then the calls that connect, log in (or resume the session saved for this terminal) and run the session. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "common/err.h"
#include "common/log.h"
#include "common/crypto/random.h"

extern char **environ;

/* The identities, loaded (and passphrases asked for) once a server
 * answered, as ssh does. */
struct keys {
	struct mp_identities ids;
	int loaded;
};

/* Connect and log in with req (a resume with secret); 0 or an mp_err
 * (MP_ERR_NOT_FOUND: the session to resume is gone), explained. */
static int
connect_and_login(struct mp_config *cfg, struct keys *k,
    const struct hs_request *req, const uint8_t *secret, struct mp_conn *conn,
    struct mp_login *login)
{
	struct client_error err;
	int r;

	if ((r = client_connect(cfg->host, cfg->port, CONNECT_TIMEOUT_MS, conn,
	    &err)) != 0) {
		log_error("%s", err.msg);
		return r;
	}
	if (!k->loaded && (r = identities_load(cfg, &k->ids, &err)) != 0) {
		log_error("%s", err.msg);
		client_disconnect(conn);
		return MP_ERR_AUTH;	/* not a session that is gone */
	}
	k->loaded = 1;
	r = login_run(cfg, conn, &k->ids, req, secret, login, &err);
	client_disconnect(conn);
	if (r != 0 && !(r == MP_ERR_NOT_FOUND && secret != NULL))
		log_error("%s", err.msg);
	return r;
}

/* The session saved for this terminal by an mp that did not end it:
 * resume it. 0, or MP_ERR_NOT_FOUND to start a new one. */
static int
resume_saved(struct mp_config *cfg, struct keys *k, struct reconnect *rc, const struct mp_request *mreq, struct mp_conn *conn,
    struct mp_login *login)
{
	struct hs_request req;
	int r;

	if (rc->saved[0] == '\0' || saved_load(rc->saved, &rc->session) != 0)
		return MP_ERR_NOT_FOUND;
	memset(&req, 0, sizeof(req));
	req.type = HS_REQ_RESUME;
	memcpy(req.session_id, rc->session.id, rc->session.id_len);
	req.session_id_len = rc->session.id_len;
	req.cols = mreq->req.cols;
	req.rows = mreq->req.rows;
	req.xpixel = mreq->req.xpixel;
	req.ypixel = mreq->req.ypixel;
	log_verbose("resuming the session saved in %s", rc->saved);
	r = connect_and_login(cfg, k, &req, rc->session.secret, conn, login);
	if (r == MP_ERR_NOT_FOUND) {
		log_info("the session saved for this terminal is gone; "
		    "starting a new one");
		saved_remove(rc->saved);
	}
	return r;
}

/* Log in (resuming if a session is saved for this terminal) and run
 * the session; the status mp exits with. */
static int
login_and_run(struct mp_config *cfg, const struct mp_request *req)
{
	struct mp_login login;
	struct mp_conn conn;
	struct reconnect rc;
	struct keys k;
	int r, status = MP_EXIT_ERROR, no_pty = request_no_pty(req);

	memset(&login, 0, sizeof(login));
	memset(&rc, 0, sizeof(rc));
	memset(&k, 0, sizeof(k));
	rc.cfg = cfg;
	rc.ids = &k.ids;
	if (!no_pty && isatty(STDIN_FILENO) && saved_path(cfg,
	    ttyname(STDIN_FILENO), rc.saved, sizeof(rc.saved)) != 0)
		rc.saved[0] = '\0';
	if ((r = resume_saved(cfg, &k, &rc, req, &conn, &login)) ==
	    MP_ERR_NOT_FOUND)
		r = connect_and_login(cfg, &k, &req->req, NULL, &conn,
		    &login);
	if (r == 0 && no_pty)
		identities_free(&k.ids);	/* no more use for the keys */
	if (r == 0) {
		if (!no_pty)
			reconnect_start(&rc, &login.keys);
		status = session_run(cfg, &conn, &login, no_pty,
		    no_pty ? NULL : &rc);
	}
	if (k.loaded)
		identities_free(&k.ids);
	hs_keys_clear(&login.keys);
	return status;
}

static int
run(struct mp_config *cfg)
{
	struct client_error err;
	struct mp_request req;
	int status;

	if (request_build(cfg, environ, &req, &err) != 0) {
		log_error("%s", err.msg);
		return MP_EXIT_ERROR;
	}
	status = login_and_run(cfg, &req);
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

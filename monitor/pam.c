/* pam.c: the monitor's Linux-PAM transaction: non-interactive conversation, account check, credentials and session. */
#include <security/pam_appl.h>

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "monitor/pam.h"

#define MPAM_MSGS_MAX	1024

struct mpam {
	pam_handle_t	*h;
	struct pam_conv	 conv;
	int		 last;		/* last status, for pam_end */
	int		 cred;		/* credentials established */
	int		 session;	/* session opened */
	size_t		 msgs_len;
	char		 msgs[MPAM_MSGS_MAX];
};

/* Append s to the collected messages, "; "-separated, printable only. */
static void
collect(struct mpam *p, const char *s)
{
	size_t room;

	if (s == NULL || *s == '\0')
		return;
	if (p->msgs_len > 0 && p->msgs_len + 2 < sizeof(p->msgs)) {
		memcpy(p->msgs + p->msgs_len, "; ", 2);
		p->msgs_len += 2;
	}
	room = sizeof(p->msgs) - 1 - p->msgs_len;
	for (; *s != '\0' && room > 0; s++, room--) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			c = ' ';
		p->msgs[p->msgs_len++] = (char)c;
	}
	p->msgs[p->msgs_len] = '\0';
}

static void
reset_msgs(struct mpam *p)
{
	p->msgs_len = 0;
	p->msgs[0] = '\0';
}

static int
conv(int n, const struct pam_message **msg, struct pam_response **resp,
    void *data)
{
	struct mpam *p = data;
	struct pam_response *r;
	int i;

	*resp = NULL;
	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	if ((r = calloc((size_t)n, sizeof(*r))) == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			collect(p, msg[i]->msg);
			break;
		default:	/* no one to answer a prompt */
			free(r);
			return PAM_CONV_ERR;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
}

/* Record a failed PAM call in why; returns err. */
static int
fail(struct mpam *p, int status, int err, const char *what, char *why,
    size_t why_len)
{
	const char *text;

	p->last = status;
	text = status == PAM_NEW_AUTHTOK_REQD ?
	    "password expired; change it by other means" :
	    pam_strerror(p->h, status);
	if (p->msgs_len > 0)
		mp_why(why, why_len, "%s: %s (PAM: %s)", what, text, p->msgs);
	else
		mp_why(why, why_len, "%s: %s", what, text);
	return status == PAM_BUF_ERR ? MP_ERR_ALLOC : err;
}

int
mpam_start(const char *service, const char *confdir, const char *user,
    const char *rhost, struct mpam **out, char *why, size_t why_len)
{
	struct mpam *p;
	int r, err;

	*out = NULL;
	mp_why(why, why_len, "%s", "");
	if (service == NULL || user == NULL || *service == '\0' ||
	    *user == '\0')
		return MP_ERR_INVALID_ARGUMENT;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return MP_ERR_ALLOC;
	p->conv.conv = conv;
	p->conv.appdata_ptr = p;
	r = pam_start_confdir(service, user, &p->conv, confdir, &p->h);
	if (r != PAM_SUCCESS) {
		mp_why(why, why_len, "pam_start: %s", pam_strerror(NULL, r));
		free(p);
		return r == PAM_BUF_ERR ? MP_ERR_ALLOC : MP_ERR_SYSTEM;
	}
	if (rhost != NULL &&
	    (r = pam_set_item(p->h, PAM_RHOST, rhost)) != PAM_SUCCESS) {
		err = fail(p, r, MP_ERR_SYSTEM, "pam_set_item(PAM_RHOST)",
		    why, why_len);
		mpam_end(p);
		return err;
	}
	*out = p;
	return 0;
}

int
mpam_account(struct mpam *p, char *why, size_t why_len)
{
	int r;

	mp_why(why, why_len, "%s", "");
	if (p == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	reset_msgs(p);
	if ((r = pam_acct_mgmt(p->h, 0)) != PAM_SUCCESS)
		return fail(p, r, MP_ERR_AUTH, "pam_acct_mgmt", why, why_len);
	p->last = r;
	return 0;
}

int
mpam_set_tty(struct mpam *p, const char *tty)
{
	int r;

	if (p == NULL || tty == NULL)
		return MP_ERR_INVALID_ARGUMENT;
	if ((r = pam_set_item(p->h, PAM_TTY, tty)) != PAM_SUCCESS) {
		p->last = r;
		return r == PAM_BUF_ERR ? MP_ERR_ALLOC : MP_ERR_SYSTEM;
	}
	return 0;
}

int
mpam_open_session(struct mpam *p, char *why, size_t why_len)
{
	int r;

	mp_why(why, why_len, "%s", "");
	if (p == NULL || p->session)
		return MP_ERR_INVALID_ARGUMENT;
	reset_msgs(p);
	if (!p->cred) {
		if ((r = pam_setcred(p->h, PAM_ESTABLISH_CRED)) != PAM_SUCCESS)
			return fail(p, r, MP_ERR_AUTH, "pam_setcred", why,
			    why_len);
		p->cred = 1;
	}
	if ((r = pam_open_session(p->h, 0)) != PAM_SUCCESS)
		return fail(p, r, MP_ERR_AUTH, "pam_open_session", why,
		    why_len);
	p->session = 1;
	p->last = r;
	return 0;
}

const char *
mpam_messages(const struct mpam *p)
{
	return p == NULL ? "" : p->msgs;
}

char **
mpam_getenv(struct mpam *p)
{
	if (p == NULL)
		return NULL;
	/* Linux-PAM already returns a malloc'd copy, strings included. */
	return pam_getenvlist(p->h);
}

void
mpam_env_free(char **env)
{
	char **e;

	if (env == NULL)
		return;
	for (e = env; *e != NULL; e++)
		free(*e);
	free(env);
}

void
mpam_end(struct mpam *p)
{
	if (p == NULL)
		return;
	if (p->session)
		p->last = pam_close_session(p->h, PAM_SILENT);
	if (p->cred)
		p->last = pam_setcred(p->h, PAM_DELETE_CRED | PAM_SILENT);
	(void)pam_end(p->h, p->last);
	free(p);
}

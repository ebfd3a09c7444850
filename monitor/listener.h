/* listener.h: mps's long-lived listening process and the server state it serves new connections with. */
#ifndef MP_LISTENER_H
#define MP_LISTENER_H

#include "monitor/monitor.h"
#include "monitor/mps_config.h"

struct server {
	struct mps_config cfg;
	struct hostkey hostkey;
	int argc;
	char **argv;
	char **envp;
};

/* main.c: load config and host key (again, on SIGHUP). 0, or -1 after
 * logging why (the running configuration then stays). */
int server_load(struct server *s, int first);
void server_free(struct server *s);

/* Bind, then accept until SIGTERM; never returns. */
void listener_run(struct server *s) __attribute__((noreturn));

#endif

/* updates.h: when and what screen updates mps-net sends in each delivery mode (PROTOCOL.md 3.4). */
#ifndef MP_PRIVSEP_UPDATES_H
#define MP_PRIVSEP_UPDATES_H

#include <stdint.h>

#include "common/proto/channel.h"
#include "privsep/screen.h"

#define UPDATES_UNACKED_MAX	8	/* statesync states sent, not acked */

struct updater;

/* mode is an enum mon_mode; push_ms the datagram push interval;
 * scrollback_rate the lines per second sent in statesync. */
struct updater *updater_new(int mode, uint32_t push_ms,
    uint32_t scrollback_rate);
void updater_free(struct updater *u);
/* A new channel (a resume): the client holds nothing; a full screen
 * goes first. State numbers keep growing. */
void updater_restart(struct updater *u);

/* The window changed: in reliable and datagram, a full screen follows
 * (the client resized its emulator at another point of the stream). */
void updater_resized(struct updater *u);
/*
 * Send what is due at now: for statesync the update to the current
 * screen or a resend; for datagram a full screen every push interval;
 * for reliable a full screen when the client asked for a repaint.
 * stream_offset is the stream 1 offset the screen has been fed up to.
 */
void updater_run(struct updater *u, struct chan *c, struct screen *s,
    uint64_t stream_offset, uint64_t now);
/* 1 once the client has acknowledged the current screen (always in
 * reliable, where the stream carries it): the session may end. */
int updater_settled(const struct updater *u, const struct chan *c,
    const struct screen *s, uint64_t stream_offset);
/* Milliseconds until updater_run() has something to do, or -1. */
int updater_timeout_ms(const struct updater *u, const struct chan *c,
    const struct screen *s, uint64_t stream_offset, uint64_t now);

#endif

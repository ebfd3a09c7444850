/* negotiate.h: the algorithm categories of HELLO: a side's own lists, checked against what this build implements, and the choice from both HELLOs (PROTOCOL.md 2.4). */
#ifndef MP_PROTO_NEGOTIATE_H
#define MP_PROTO_NEGOTIATE_H

#include "common/proto/handshake.h"
#include "common/proto/msg.h"

/* Fill the lists of a HELLO from algs (a NULL list or algs means the
 * default); every name must be valid and implemented here, else
 * MP_ERR_INVALID_ARGUMENT. Extensions are left empty. */
int hs_negotiate_lists(const struct hs_algorithms *algs, struct hs_hello *m);

/* The choice for each category into the names of k. On a category
 * without a common name, MP_ERR_NOT_FOUND and a sentence saying so in
 * why ("no common aead algorithm; server offers ..."). */
int hs_negotiate(const struct hs_hello *client, const struct hs_hello *server,
    struct hs_keys *k, char *why, size_t why_size);

#endif

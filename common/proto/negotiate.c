/* negotiate.c: the algorithm categories of HELLO: a side's own lists, checked against what this build implements, and the choice from both HELLOs (PROTOCOL.md 2.4). */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/crypto/aead.h"
#include "common/crypto/hash.h"
#include "common/crypto/kex.h"
#include "common/crypto/sign.h"
#include "common/proto/names.h"
#include "common/proto/negotiate.h"

static const char *const category_names[HS_HELLO_ALGS] = {
	"kex", "host key", "aead", "mac", "kdf",
};

/* 1 if this build implements name in category cat. */
static int
implemented(enum hs_hello_list cat, const char *name)
{
	enum hash_alg h;
	int is_hmac;

	switch (cat) {
	case HS_LIST_KEX:
		return kex_by_name(name) != NULL;
	case HS_LIST_HOSTKEY:
		return sig_by_name(name) != NULL;
	case HS_LIST_AEAD:
		return aead_by_name(name) != NULL;
	case HS_LIST_MAC:
		return mac_by_name(name, &is_hmac, &h) == 0;
	case HS_LIST_KDF:
		return kdf_by_name(name, &h) == 0;
	default:
		return 0;
	}
}

/* Copy a valid list of implemented names into out. */
static int
own_list(enum hs_hello_list cat, const char *list, char out[NAMES_LIST_MAX + 1])
{
	char copy[NAMES_LIST_MAX + 1], *name, *save;
	size_t len = strlen(list);

	if (hs_names_valid(list, len, 0) != 0)
		return MP_ERR_INVALID_ARGUMENT;
	memcpy(copy, list, len + 1);
	for (name = strtok_r(copy, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save))
		if (!implemented(cat, name))
			return MP_ERR_INVALID_ARGUMENT;
	memcpy(out, list, len + 1);
	return 0;
}

int
hs_negotiate_lists(const struct hs_algorithms *algs, struct hs_hello *m)
{
	const char *defaults[HS_HELLO_ALGS] = {
		KEX_DEFAULT_LIST, SIG_DEFAULT_LIST, AEAD_DEFAULT_LIST,
		MAC_DEFAULT_LIST, KDF_DEFAULT_LIST,
	};
	const char *given[HS_HELLO_ALGS] = { NULL };
	int i, r;

	if (algs != NULL) {
		given[HS_LIST_KEX] = algs->kex;
		given[HS_LIST_HOSTKEY] = algs->hostkey;
		given[HS_LIST_AEAD] = algs->aead;
		given[HS_LIST_MAC] = algs->mac;
		given[HS_LIST_KDF] = algs->kdf;
	}
	for (i = 0; i < HS_HELLO_ALGS; i++)
		if ((r = own_list(i, given[i] != NULL ? given[i] : defaults[i],
		    m->list[i])) != 0)
			return r;
	m->list[HS_LIST_EXT][0] = '\0';
	return 0;
}

int
hs_negotiate(const struct hs_hello *client, const struct hs_hello *server,
    struct hs_keys *k, char *why, size_t why_size)
{
	char *const out[HS_HELLO_ALGS] = {
		k->kex, k->hostkey, k->aead, k->mac, k->kdf,
	};
	int i;

	for (i = 0; i < HS_HELLO_ALGS; i++) {
		if (hs_names_choose(server->list[i], client->list[i],
		    out[i]) != 0) {
			snprintf(why, why_size, "no common %s algorithm; "
			    "server offers %s", category_names[i],
			    server->list[i]);
			return MP_ERR_NOT_FOUND;
		}
	}
	return 0;
}

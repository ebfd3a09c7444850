/* test_protomsg.c: the handshake's building blocks: name lists, version lines, every message codec with its limits, the transcript and key schedule, TCP records; writes fuzz_hsmsg seeds when MP_WRITE_CORPUS is set. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/crypto/hash.h"
#include "common/crypto/kex.h"
#include "common/crypto/random.h"
#include "common/proto/msg.h"
#include "common/proto/names.h"
#include "common/proto/negotiate.h"
#include "common/proto/tcprecord.h"
#include "common/proto/transcript.h"
#include "common/proto/version.h"

static char term[] = "xterm-256color", mode[] = "reliable", cmd[] = "vi";
static char env_name[] = "LC_ALL", env_value[] = "C";

static struct buf *
newbuf(void)
{
	struct buf *b = buf_new(4 * HS_MAX_MESSAGE);

	assert_non_null(b);
	return b;
}

/* ---- name lists ---------------------------------------------------- */

static void
test_names_valid(void **state)
{
	static const char *const good[] = {
		"a", "x25519-sha256", "a.b-c@d_e,0",
		"mlkem768x25519-sha256,x25519-sha256",
	};
	static const char *const bad[] = {
		",", "a,", ",a", "a,,b", "A", "a b", "a;b", "a\xc3\xa9",
	};
	char many[200] = "", longname[80];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(hs_names_valid(good[i], strlen(good[i]), 0),
		    0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hs_names_valid(bad[i], strlen(bad[i]), 1),
		    MP_ERR_INVALID_FORMAT);
	assert_int_equal(hs_names_valid("", 0, 0), MP_ERR_INVALID_FORMAT);
	assert_int_equal(hs_names_valid("", 0, 1), 0);
	for (i = 0; i < 32; i++)
		strcat(many, i ? ",n" : "n");
	assert_int_equal(hs_names_valid(many, strlen(many), 0), 0);
	strcat(many, ",n");
	assert_int_equal(hs_names_valid(many, strlen(many), 0),
	    MP_ERR_TOO_LARGE);
	memset(longname, 'a', 64);
	longname[64] = '\0';
	assert_int_equal(hs_names_valid(longname, 64, 0), 0);
	longname[64] = 'a';
	longname[65] = '\0';
	assert_int_equal(hs_names_valid(longname, 65, 0), MP_ERR_TOO_LARGE);
}

static void
test_names_choose(void **state)
{
	char out[HS_NAME_MAX + 1], both[64];

	(void)state;
	/* The server's order wins. */
	assert_int_equal(hs_names_choose("b,a,c", "a,b", out), 0);
	assert_string_equal(out, "b");
	assert_int_equal(hs_names_choose("c,a", "a,b,c", out), 0);
	assert_string_equal(out, "c");
	/* Whole names only. */
	assert_int_equal(hs_names_choose("ab", "a,abc", out),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(hs_names_choose("a", "", out), MP_ERR_NOT_FOUND);
	assert_true(hs_names_has("x,yy,z", "yy"));
	assert_false(hs_names_has("x,yy,z", "y"));
	assert_int_equal(hs_names_first("q,r", out), 0);
	assert_string_equal(out, "q");
	assert_int_equal(hs_names_first("", out), MP_ERR_NOT_FOUND);
	assert_int_equal(hs_names_intersect("c,b,a", "a,c", both,
	    sizeof(both)), 0);
	assert_string_equal(both, "c,a");
	assert_int_equal(hs_names_intersect("c,b,a", "d", both, sizeof(both)),
	    MP_ERR_NOT_FOUND);
	assert_int_equal(hs_names_intersect("abc,def", "abc,def", both, 7),
	    MP_ERR_NO_SPACE);
}

static void
test_negotiate(void **state)
{
	struct hs_algorithms algs = { "x25519-sha256,p256-sha256", "ed25519",
	    NULL, "hmac-sha256", NULL };
	struct hs_hello c, s;
	struct hs_keys k;
	char why[256];

	(void)state;
	assert_int_equal(hs_negotiate_lists(NULL, &c), 0);
	assert_string_equal(c.list[HS_LIST_KEX], KEX_DEFAULT_LIST);
	assert_string_equal(c.list[HS_LIST_EXT], "");
	assert_int_equal(hs_negotiate_lists(&algs, &s), 0);
	assert_int_equal(hs_negotiate(&c, &s, &k, why, sizeof(why)), 0);
	assert_string_equal(k.kex, "x25519-sha256");
	assert_string_equal(k.hostkey, "ed25519");
	assert_string_equal(k.aead, "aes256-gcm-siv");
	assert_string_equal(k.mac, "hmac-sha256");
	assert_string_equal(k.kdf, "hkdf-sha256");
	/* Unknown names never match. */
	strcpy(c.list[HS_LIST_MAC], "umac-64,implicit");
	assert_int_equal(hs_negotiate(&c, &s, &k, why, sizeof(why)),
	    MP_ERR_NOT_FOUND);
	assert_string_equal(why, "no common mac algorithm; server offers "
	    "hmac-sha256");
	/* Own lists must name what this build implements. */
	algs.aead = "aes256-gcm,rot13";
	assert_int_equal(hs_negotiate_lists(&algs, &s),
	    MP_ERR_INVALID_ARGUMENT);
	algs.aead = "aes256-gcm,";
	assert_int_equal(hs_negotiate_lists(&algs, &s),
	    MP_ERR_INVALID_ARGUMENT);
}

/* ---- version lines ------------------------------------------------- */

static void
test_version_classify(void **state)
{
	(void)state;
	assert_int_equal(hs_version_classify((const uint8_t *)"", 0),
	    HS_PEER_INCOMPLETE);
	assert_int_equal(hs_version_classify((const uint8_t *)"MOSH", 4),
	    HS_PEER_INCOMPLETE);
	assert_int_equal(hs_version_classify((const uint8_t *)"S", 1),
	    HS_PEER_INCOMPLETE);
	assert_int_equal(hs_version_classify((const uint8_t *)"MOSHPIT-", 8),
	    HS_PEER_MOSHPIT);
	assert_int_equal(hs_version_classify((const uint8_t *)"SSH-2.0", 7),
	    HS_PEER_SSH);
	assert_int_equal(hs_version_classify((const uint8_t *)"MOSHPIT_", 8),
	    HS_PEER_UNKNOWN);
	assert_int_equal(hs_version_classify((const uint8_t *)"G", 1),
	    HS_PEER_UNKNOWN);
	/* A Rust moshpit frame: id, big-endian uint64 length, id again. */
	assert_int_equal(hs_version_classify((const uint8_t *)
	    "\x09\0\0\0\0\0\0\0\xdb\x09", 10), HS_PEER_RUST_MOSHPIT);
	assert_int_equal(hs_version_classify((const uint8_t *)
	    "\x09\0\0\0\0\0\0\0\xdb", 9), HS_PEER_INCOMPLETE);
	/* Length 0, over 65536, or a different variant byte: not it. */
	assert_int_equal(hs_version_classify((const uint8_t *)
	    "\x09\0\0\0\0\0\0\0\0\x09", 10), HS_PEER_UNKNOWN);
	assert_int_equal(hs_version_classify((const uint8_t *)
	    "\x09\0\0\0\0\0\x01\0\x01\x09", 10), HS_PEER_UNKNOWN);
	assert_int_equal(hs_version_classify((const uint8_t *)
	    "\x09\0\0\0\0\0\0\0\xdb\x08", 10), HS_PEER_UNKNOWN);
	assert_int_equal(hs_version_classify((const uint8_t *)"\x0c", 1),
	    HS_PEER_UNKNOWN);
	assert_int_equal(hs_version_classify((const uint8_t *)"\0", 1),
	    HS_PEER_INCOMPLETE);
}

static void
test_version_line(void **state)
{
	char v[HS_VERSION_TOKEN_MAX + 1], line[300];
	struct buf *b = newbuf();
	size_t n;

	(void)state;
	assert_int_equal(hs_version_put(b, "moshpit_0.1.0"), 0);
	assert_int_equal(buf_len(b), 25);
	assert_memory_equal(buf_ptr(b), "MOSHPIT-1-moshpit_0.1.0\r\n", 25);
	assert_int_equal(hs_version_put(b, ""), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(hs_version_put(b, "a b"), MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(hs_version_scan(buf_ptr(b), buf_len(b), &n), 0);
	assert_int_equal(n, 23);
	assert_int_equal(hs_version_parse(buf_ptr(b), n, v), 0);
	assert_string_equal(v, "1");
	assert_int_equal(hs_version_scan(buf_ptr(b), 24, &n),
	    MP_ERR_INCOMPLETE);
#define PARSE(s) hs_version_parse((const uint8_t *)(s), strlen(s), v)
	assert_int_equal(PARSE("MOSHPIT-1-a b c ~!"), 0);
	assert_int_equal(PARSE("MOSHPIT-1-a "), 0);
	assert_int_equal(PARSE("MOSHPIT-22-x"), 0);
	assert_string_equal(v, "22");
	assert_int_equal(PARSE("MOSHPIT-1-"), MP_ERR_INVALID_FORMAT);
	assert_int_equal(PARSE("MOSHPIT-1"), MP_ERR_INVALID_FORMAT);
	assert_int_equal(PARSE("MOSHPIT--x"), MP_ERR_INVALID_FORMAT);
	assert_int_equal(PARSE("MOSHPIT-x-y"), MP_ERR_INVALID_FORMAT);
	assert_string_equal(v, "");
	assert_int_equal(PARSE("MOSHPIT-1234567890-y"), MP_ERR_INVALID_FORMAT);
	assert_int_equal(PARSE("MOSHPIT-1-a+b"), MP_ERR_INVALID_FORMAT);
	assert_string_equal(v, "1");
	/* Another version is told apart even if its line is foreign. */
	assert_int_equal(PARSE("MOSHPIT-2-a+b"), MP_ERR_INVALID_FORMAT);
	assert_string_equal(v, "2");
	assert_int_equal(PARSE("SSH-2.0-x"), MP_ERR_INVALID_FORMAT);
	memset(line, 'a', sizeof(line));
	memcpy(line, "MOSHPIT-1-", 10);
	line[74] = '\0';
	assert_int_equal(PARSE(line), 0);		/* 64-byte software */
	line[74] = 'a';
	line[75] = '\0';
	assert_int_equal(PARSE(line), MP_ERR_INVALID_FORMAT);
#undef PARSE
	/* 253 bytes and CR LF is the longest line. */
	line[75] = 'a';
	line[253] = '\r';
	line[254] = '\n';
	assert_int_equal(hs_version_scan((uint8_t *)line, 255, &n), 0);
	assert_int_equal(n, 253);
	line[253] = 'a';
	line[254] = '\r';
	line[255] = '\n';
	assert_int_equal(hs_version_scan((uint8_t *)line, 256, &n),
	    MP_ERR_TOO_LARGE);
	assert_int_equal(hs_version_scan((uint8_t *)line, 254, &n),
	    MP_ERR_INCOMPLETE);
	assert_int_equal(hs_version_scan((const uint8_t *)"ab\rx", 4, &n),
	    MP_ERR_INVALID_FORMAT);
	assert_int_equal(hs_version_scan((const uint8_t *)"a\x80", 2, &n),
	    MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

/* ---- messages ------------------------------------------------------ */

/* Parse the message in b (type byte first) with the given parser. */
static uint8_t
take_type(struct buf *b)
{
	uint8_t type;

	assert_int_equal(buf_get_u8(b, &type), 0);
	return type;
}

static void
test_hello(void **state)
{
	struct hs_hello h, g;
	struct buf *b = newbuf();

	(void)state;
	assert_int_equal(hs_negotiate_lists(NULL, &h), 0);
	mp_random(h.cookie, sizeof(h.cookie));
	strcpy(h.list[HS_LIST_EXT], "ext@example.org");
	assert_int_equal(hs_msg_put_hello(b, &h), 0);
	assert_int_equal(take_type(b), HS_MSG_HELLO);
	assert_int_equal(hs_msg_get_hello(b, &g), 0);
	assert_memory_equal(&h, &g, sizeof(h.cookie));
	assert_string_equal(g.list[HS_LIST_KDF], KDF_DEFAULT_LIST);
	assert_string_equal(g.list[HS_LIST_EXT], "ext@example.org");
	/* Only extensions may be empty; the encoder refuses bad lists. */
	buf_reset(b);
	h.list[HS_LIST_MAC][0] = '\0';
	assert_int_equal(hs_msg_put_hello(b, &h), MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

static void
test_kex_messages(void **state)
{
	static const uint8_t q[32] = { 1, 2, 3 };
	struct hs_kex_client kc;
	struct hs_kex_server ks = { q, q, q, 32, 32, 32 };
	char name[HS_NAME_MAX + 1];
	struct buf *b = newbuf();

	(void)state;
	assert_int_equal(hs_msg_put_kex_client(b, "x25519-sha256", q, 32), 0);
	assert_int_equal(take_type(b), HS_MSG_KEX_CLIENT);
	assert_int_equal(hs_msg_get_kex_client(b, &kc), 0);
	assert_string_equal(kc.name, "x25519-sha256");
	assert_int_equal(kc.q_len, 32);
	assert_memory_equal(kc.q, q, 32);
	assert_int_equal(hs_msg_put_kex_client(b, "a,b", q, 32),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(hs_msg_put_kex_client(b, "a", q, 0),
	    MP_ERR_INVALID_ARGUMENT);
	buf_reset(b);
	assert_int_equal(hs_msg_put_kex_retry(b, "p256-sha256"), 0);
	assert_int_equal(take_type(b), HS_MSG_KEX_RETRY);
	assert_int_equal(hs_msg_get_kex_retry(b, name), 0);
	assert_string_equal(name, "p256-sha256");
	buf_reset(b);
	assert_int_equal(hs_msg_put_kex_server(b, &ks), 0);
	assert_int_equal(buf_put_u8(b, 0), 0);
	assert_int_equal(take_type(b), HS_MSG_KEX_SERVER);
	assert_int_equal(hs_msg_get_kex_server(b, &ks), MP_ERR_TRAILING_DATA);
	/* Values are never empty. */
	buf_reset(b);
	assert_int_equal(buf_put_cstring(b, "x25519-sha256"), 0);
	assert_int_equal(buf_put_string(b, q, 0), 0);
	assert_int_equal(hs_msg_get_kex_client(b, &kc), MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

static void
test_user_names(void **state)
{
	static const char *const good[] = { "a", "root", "j.doe-2_x",
	    "jos\xc3\xa9", "user@realm" };
	static const char *const bad[] = { "", "a/b", "a:b", "a\tb", "a\x7f",
	    "a\xc2\x85", "\xc3", "\xff" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(hs_msg_user_valid(good[i], strlen(good[i])),
		    0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(hs_msg_user_valid(bad[i], strlen(bad[i])),
		    0);
	assert_int_equal(hs_msg_user_valid("a123456789012345678901234567890"
	    "1234567890123456789012345678901234", 65), MP_ERR_INVALID_FORMAT);
}

static void
test_userauth(void **state)
{
	static const uint8_t blob[40] = { 0, 0, 0, 7 }, sig[64] = { 9 };
	struct hs_userauth m = { "alice", blob, sig, 40, 64 }, g;
	struct buf *b = newbuf();

	(void)state;
	assert_int_equal(hs_msg_put_userauth(b, &m), 0);
	assert_int_equal(take_type(b), HS_MSG_USERAUTH_REQUEST);
	assert_int_equal(hs_msg_get_userauth(b, &g), 0);
	assert_string_equal(g.user, "alice");
	assert_int_equal(g.blob_len, 40);
	assert_int_equal(g.sig_len, 64);
	strcpy(m.user, "a:b");
	assert_int_equal(hs_msg_put_userauth(b, &m), MP_ERR_INVALID_ARGUMENT);
	m.sig_len = SIG_MAX + 1;
	strcpy(m.user, "alice");
	assert_int_equal(hs_msg_put_userauth(b, &m), MP_ERR_INVALID_ARGUMENT);
	buf_free(b);
}

static void
test_coded_text(void **state)
{
	char text[HS_TEXT_MAX + 2], out[HS_TEXT_MAX + 1];
	struct buf *b = newbuf();
	uint32_t code;

	(void)state;
	memset(text, 'x', HS_TEXT_MAX);
	text[HS_TEXT_MAX] = '\0';
	assert_int_equal(hs_msg_put_coded(b, HS_MSG_DISCONNECT, 7, text), 0);
	assert_int_equal(take_type(b), HS_MSG_DISCONNECT);
	assert_int_equal(hs_msg_get_coded(b, &code, out), 0);
	assert_int_equal(code, 7);
	assert_string_equal(out, text);
	text[HS_TEXT_MAX] = 'x';
	text[HS_TEXT_MAX + 1] = '\0';
	assert_int_equal(hs_msg_put_coded(b, HS_MSG_DISCONNECT, 7, text),
	    MP_ERR_INVALID_ARGUMENT);
	buf_reset(b);
	assert_int_equal(buf_put_u32(b, 1), 0);
	assert_int_equal(buf_put_string(b, text, HS_TEXT_MAX + 1), 0);
	assert_int_equal(hs_msg_get_coded(b, &code, out), MP_ERR_TOO_LARGE);
	buf_reset(b);
	assert_int_equal(buf_put_u32(b, 1), 0);
	assert_int_equal(buf_put_string(b, "a\0b", 3), 0);
	assert_int_equal(hs_msg_get_coded(b, &code, out),
	    MP_ERR_INVALID_FORMAT);
	strcpy(out, "ok \x1b[31mred\x1b[0m\n\xe2\x80\xae\xc2\x80" "caf\xc3\xa9 \xf0\x9f\x99\x82\xed\xa0\x80!");
	hs_msg_clean_text(out);
	assert_string_equal(out, "ok [31mred[0m\xe2\x80\xae" "caf\xc3\xa9 \xf0\x9f\x99\x82!");
	buf_free(b);
}

static void
fill_new(struct hs_request *r)
{
	memset(r, 0, sizeof(*r));
	r->type = HS_REQ_NEW;
	r->term = term;
	r->mode = mode;
	r->command = cmd;
	r->cols = 4096;
	r->rows = 1;
	r->xpixel = 65535;
	r->env[0].name = env_name;
	r->env[0].value = env_value;
	r->nenv = 1;
	r->flags = 1;
}

/* r must fail to encode; and hand-made bytes of it must fail to parse. */
static void
new_refused(struct hs_request *r)
{
	struct buf *b = newbuf();

	assert_int_equal(hs_msg_put_request(b, r, NULL, 0),
	    MP_ERR_INVALID_ARGUMENT);
	buf_free(b);
	fill_new(r);
}

static void
test_session_new(void **state)
{
	static char bad_term[] = "xterm 1", bad_mode[] = "fast";
	static char bad_env[] = "LC-ALL";
	char big[HS_MAX_MESSAGE];
	struct hs_request r, g;
	uint8_t proof[HASH_MAX_BYTES];
	struct buf *b = newbuf();
	size_t proof_len;

	(void)state;
	fill_new(&r);
	assert_int_equal(hs_msg_put_request(b, &r, NULL, 0), 0);
	assert_int_equal(take_type(b), HS_MSG_SESSION_NEW);
	assert_int_equal(hs_msg_get_request(b, HS_MSG_SESSION_NEW, &g, proof,
	    &proof_len), 0);
	assert_string_equal(g.term, term);
	assert_string_equal(g.mode, mode);
	assert_string_equal(g.command, cmd);
	assert_int_equal(g.cols, 4096);
	assert_int_equal(g.rows, 1);
	assert_int_equal(g.xpixel, 65535);
	assert_int_equal(g.nenv, 1);
	assert_string_equal(g.env[0].name, "LC_ALL");
	assert_string_equal(g.env[0].value, "C");
	assert_int_equal(g.flags, 1);
	hs_request_clear(&g);
	r.term = bad_term;
	new_refused(&r);
	r.mode = bad_mode;
	new_refused(&r);
	r.cols = 0;
	new_refused(&r);
	r.rows = 4097;
	new_refused(&r);
	r.flags = 2;
	new_refused(&r);
	r.env[0].name = bad_env;
	new_refused(&r);
	r.nenv = HS_ENV_MAX + 1;
	new_refused(&r);
	memset(big, 'a', sizeof(big));
	big[16385] = '\0';
	r.command = big;
	new_refused(&r);
	big[4097] = '\0';
	r.env[0].value = big;
	new_refused(&r);
	big[129] = '\0';
	r.env[0].name = big;
	new_refused(&r);
	buf_free(b);
}

/* Hand-made SESSION_NEW payloads that the parser must refuse. */
static void
test_session_new_parse_limits(void **state)
{
	uint8_t proof[HASH_MAX_BYTES];
	struct hs_request r;
	struct buf *b = newbuf();
	size_t proof_len, i;
	int variant;

	(void)state;
	for (variant = 0; variant < 6; variant++) {
		buf_reset(b);
		buf_put_cstring(b, variant == 0 ? "" : "xterm");
		buf_put_u16(b, variant == 1 ? 0 : 80);
		buf_put_u16(b, 24);
		buf_put_u16(b, 0);
		buf_put_u16(b, 0);
		buf_put_cstring(b, variant == 2 ? "Reliable" : "reliable");
		buf_put_u32(b, variant == 3 ? 65 : 1);
		for (i = 0; i < (variant == 3 ? 65u : 1u); i++) {
			buf_put_cstring(b, "A");
			buf_put_string(b, "x\0y", variant == 4 ? 3 : 1);
		}
		buf_put_cstring(b, "");
		buf_put_u32(b, variant == 5 ? 0x80000001u : 0);
		assert_int_not_equal(hs_msg_get_request(b, HS_MSG_SESSION_NEW,
		    &r, proof, &proof_len), 0);
		hs_request_clear(&r);
	}
	buf_free(b);
}

static void
test_session_resume_and_list(void **state)
{
	uint8_t proof[HASH_MAX_BYTES] = { 5 }, got[HASH_MAX_BYTES];
	struct hs_request r, g;
	struct buf *b = newbuf();
	size_t got_len;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.type = HS_REQ_RESUME;
	r.session_id_len = 48;
	memset(r.session_id, 0x11, 48);
	r.cols = 10;
	r.rows = 20;
	assert_int_equal(hs_msg_put_request(b, &r, proof, 48), 0);
	assert_int_equal(take_type(b), HS_MSG_SESSION_RESUME);
	assert_int_equal(hs_msg_get_request(b, HS_MSG_SESSION_RESUME, &g, got,
	    &got_len), 0);
	assert_int_equal(got_len, 48);
	assert_memory_equal(got, proof, 48);
	assert_int_equal(g.session_id_len, 48);
	assert_int_equal(g.cols, 10);
	hs_request_clear(&g);
	assert_int_equal(hs_msg_put_request(b, &r, proof, 33),
	    MP_ERR_INVALID_ARGUMENT);
	r.session_id_len = 31;
	assert_int_equal(hs_msg_put_request(b, &r, proof, 32),
	    MP_ERR_INVALID_ARGUMENT);
	buf_reset(b);
	r.type = HS_REQ_LIST;
	assert_int_equal(hs_msg_put_request(b, &r, NULL, 0), 0);
	assert_int_equal(buf_len(b), 1);
	assert_int_equal(take_type(b), HS_MSG_SESSION_LIST);
	assert_int_equal(hs_msg_get_request(b, HS_MSG_SESSION_LIST, &g, got,
	    &got_len), 0);
	assert_int_equal(g.type, HS_REQ_LIST);
	buf_free(b);
}

static void
test_replies(void **state)
{
	static struct hs_reply r, g;
	struct buf *b = newbuf();

	(void)state;
	memset(&r, 0, sizeof(r));
	r.ok = 1;
	r.udp_port = 60001;
	strcpy(r.mode, "datagram");
	r.session_id_len = 32;
	assert_int_equal(hs_msg_put_reply(b, HS_REQ_NEW, &r), 0);
	assert_int_equal(take_type(b), HS_MSG_SESSION_REPLY);
	assert_int_equal(hs_msg_get_reply(b, HS_MSG_SESSION_REPLY, &g), 0);
	assert_true(g.ok);
	assert_int_equal(g.udp_port, 60001);
	assert_string_equal(g.mode, "datagram");
	r.udp_port = 0;
	assert_int_equal(hs_msg_put_reply(b, HS_REQ_NEW, &r),
	    MP_ERR_INVALID_ARGUMENT);
	/* A list of the most sessions, commands cut to what fits. */
	buf_reset(b);
	r.nsessions = 2;
	r.sessions[0].session_id_len = 32;
	r.sessions[0].cols = r.sessions[0].rows = 1;
	r.sessions[1] = r.sessions[0];
	r.sessions[1].attached = 1;
	memset(r.sessions[1].command, 'c', 255);
	assert_int_equal(hs_msg_put_reply(b, HS_REQ_LIST, &r), 0);
	assert_int_equal(take_type(b), HS_MSG_SESSION_LIST_REPLY);
	assert_int_equal(hs_msg_get_reply(b, HS_MSG_SESSION_LIST_REPLY, &g),
	    0);
	assert_int_equal(g.nsessions, 2);
	assert_int_equal(strlen(g.sessions[1].command), 255);
	r.nsessions = HS_LIST_MAX + 1;
	assert_int_equal(hs_msg_put_reply(b, HS_REQ_LIST, &r),
	    MP_ERR_INVALID_ARGUMENT);
	/* Failures carry a reason and a message (cut to 255 bytes). */
	buf_reset(b);
	assert_int_equal(hs_msg_put_coded(b, HS_MSG_SESSION_FAILURE, 8,
	    "no"), 0);
	assert_int_equal(take_type(b), HS_MSG_SESSION_FAILURE);
	assert_int_equal(hs_msg_get_reply(b, HS_MSG_SESSION_FAILURE, &g), 0);
	assert_false(g.ok);
	assert_int_equal(g.reason, 8);
	assert_string_equal(g.message, "no");
	buf_free(b);
}

/* Hand-made replies the parser must refuse. */
static void
test_reply_parse_limits(void **state)
{
	static struct hs_reply g;
	uint8_t id[32] = { 0 };
	struct buf *b = newbuf();

	(void)state;
	buf_put_u16(b, 1);
	buf_put_string(b, id, 32);
	buf_put_cstring(b, "statesync");
	buf_put_u32(b, 1);			/* undefined flag */
	assert_int_equal(hs_msg_get_reply(b, HS_MSG_SESSION_REPLY, &g),
	    MP_ERR_INVALID_FORMAT);
	buf_reset(b);
	buf_put_u32(b, 257);
	assert_int_equal(hs_msg_get_reply(b, HS_MSG_SESSION_LIST_REPLY, &g),
	    MP_ERR_TOO_LARGE);
	buf_reset(b);
	buf_put_u32(b, 1);
	buf_put_string(b, id, 32);
	buf_put_u64(b, 0);
	buf_put_u8(b, 2);			/* attached must be 0 or 1 */
	buf_put_u16(b, 80);
	buf_put_u16(b, 24);
	buf_put_cstring(b, "");
	assert_int_equal(hs_msg_get_reply(b, HS_MSG_SESSION_LIST_REPLY, &g),
	    MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

static void
test_message_names(void **state)
{
	(void)state;
	assert_string_equal(hs_msg_name(1), "DISCONNECT");
	assert_string_equal(hs_msg_name(35), "SESSION_FAILURE");
	assert_null(hs_msg_name(0));
	assert_null(hs_msg_name(36));
	assert_null(hs_msg_name(255));
}

/* ---- transcript ----------------------------------------------------- */

static void
test_exchange_hash(void **state)
{
	static const char *const parts[HS_NPARTS] = { "vc", "vs", "ic", "is",
	    "ks", "qc", "qs", "k" };
	uint8_t h[HS_H_MAX], want[HASH_MAX_BYTES];
	struct hs_transcript t;
	struct buf *b = newbuf();
	size_t h_len;
	int i;

	(void)state;
	for (i = 0; i < HS_NPARTS; i++) {
		t.p[i] = (const uint8_t *)parts[i];
		t.len[i] = strlen(parts[i]);
		assert_int_equal(buf_put_cstring(b, parts[i]), 0);
	}
	assert_int_equal(hs_exchange_hash(&t, "p384-sha384", h, &h_len), 0);
	assert_int_equal(h_len, 48);
	assert_int_equal(hash_digest(HASH_SHA384, buf_ptr(b), buf_len(b),
	    want), 0);
	assert_memory_equal(h, want, 48);
	assert_int_equal(hs_exchange_hash(&t, "x25519-sha256", h, &h_len), 0);
	assert_int_equal(h_len, 32);
	assert_int_equal(hs_exchange_hash(&t, "dh-group1", h, &h_len),
	    MP_ERR_UNKNOWN_ALGORITHM);
	buf_free(b);
}

static void
test_signed_data(void **state)
{
	static const uint8_t h[4] = { 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t blob[] = { 0, 0, 0, 7, 'e', 'd', '2', '5', '5',
	    '1', '9', 0, 0, 0, 1, 0x42 };
	static const uint8_t want_host[] = { 0, 0, 0, 25,
	    'm', 'o', 's', 'h', 'p', 'i', 't', '-', 'h', 'o', 's', 't', '-',
	    's', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '-', 'v', '1',
	    0, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t want_user_tail[] = { 0, 0, 0, 4, 0xde, 0xad,
	    0xbe, 0xef, 0, 0, 0, 2, 'b', 'o', 0, 0, 0, 7, 'e', 'd', '2', '5',
	    '5', '1', '9', 0, 0, 0, 16 };
	struct buf *b = newbuf();

	(void)state;
	assert_int_equal(hs_host_signed_data(b, h, 4), 0);
	assert_int_equal(buf_len(b), sizeof(want_host));
	assert_memory_equal(buf_ptr(b), want_host, sizeof(want_host));
	buf_reset(b);
	assert_int_equal(hs_user_signed_data(b, h, 4, "bo", blob,
	    sizeof(blob)), 0);
	assert_int_equal(buf_len(b), 29 + sizeof(want_user_tail) +
	    sizeof(blob));
	assert_memory_equal(buf_ptr(b), "\0\0\0\x19moshpit-user-signature-v1",
	    29);
	assert_memory_equal(buf_ptr(b) + 29, want_user_tail,
	    sizeof(want_user_tail));
	assert_memory_equal(buf_ptr(b) + 29 + sizeof(want_user_tail), blob,
	    sizeof(blob));
	assert_int_equal(hs_user_signed_data(b, h, 4, "bo", blob, 3),
	    MP_ERR_INVALID_FORMAT);
	buf_free(b);
}

static void
test_key_schedule(void **state)
{
	static const uint8_t k_secret[32] = { 7 };
	uint8_t want[64], proof[HASH_MAX_BYTES], want_proof[HASH_MAX_BYTES];
	struct hs_tcp_keys tcp;
	struct hs_keys k;
	struct buf *b = newbuf();
	size_t proof_len;

	(void)state;
	memset(&k, 0, sizeof(k));
	strcpy(k.aead, "aes128-gcm-siv");
	strcpy(k.mac, "hmac-sha512");
	strcpy(k.kdf, "hkdf-sha384");
	k.h_len = 32;
	memset(k.h, 3, 32);
	assert_int_equal(hs_derive_keys(&k, k_secret, 32, &tcp), 0);
	assert_int_equal(k.key_len, 16);
	assert_int_equal(k.mac_len, 64);
	assert_int_equal(hkdf(HASH_SHA384, k.h, 32, k_secret, 32,
	    (const uint8_t *)"moshpit-v1 udp s2c mac", 22, want, 64), 0);
	assert_memory_equal(k.s2c_mac, want, 64);
	assert_int_equal(hkdf(HASH_SHA384, k.h, 32, k_secret, 32,
	    (const uint8_t *)"moshpit-v1 hs c2s key", 21, want, 16), 0);
	assert_memory_equal(tcp.c2s_key, want, 16);
	assert_int_equal(hkdf(HASH_SHA384, k.h, 32, k_secret, 32,
	    (const uint8_t *)"moshpit-v1 resume", 17, want, 32), 0);
	assert_memory_equal(k.resume, want, 32);
	/* Implicit: no MAC keys. */
	strcpy(k.mac, "implicit");
	assert_int_equal(hs_derive_keys(&k, k_secret, 32, &tcp), 0);
	assert_int_equal(k.mac_len, 0);
	/* The resume proof: HMAC with the KDF's hash over the context. */
	assert_int_equal(hs_resume_proof("hkdf-sha512", k.resume, k.h, 32,
	    proof, &proof_len), 0);
	assert_int_equal(proof_len, 64);
	assert_int_equal(buf_put_cstring(b, "moshpit-resume-v1"), 0);
	assert_int_equal(buf_put_string(b, k.h, 32), 0);
	assert_int_equal(hmac(HASH_SHA512, k.resume, 32, buf_ptr(b),
	    buf_len(b), want_proof), 0);
	assert_memory_equal(proof, want_proof, 64);
	buf_free(b);
}

/* ---- TCP records ------------------------------------------------------ */

static void
test_records(void **state)
{
	static const char *const macs[] = { "implicit", "hmac-sha256",
	    "hmac-sha512" };
	uint8_t key[32] = { 1 }, mkey[64] = { 2 }, msg[100] = { 20, 1, 2 };
	struct hs_rec w, r;
	struct buf *out = newbuf(), *got = newbuf();
	size_t i, whole;
	uint8_t *p;

	(void)state;
	for (i = 0; i < 3; i++) {
		memset(&w, 0, sizeof(w));
		memset(&r, 0, sizeof(r));
		assert_int_equal(hs_rec_start(&w, "chacha20-poly1305", macs[i],
		    key, mkey), 0);
		assert_int_equal(hs_rec_start(&r, "chacha20-poly1305", macs[i],
		    key, mkey), 0);
		assert_int_equal(hs_rec_write(&w, msg, 3, out), 0);
		assert_int_equal(hs_rec_write(&w, msg, sizeof(msg), out), 0);
		whole = buf_len(out);
		assert_int_equal(whole, 2 * (4 + 16 + w.mac_len) + 103);
		assert_int_equal(hs_rec_read(&r, out, got), 1);
		assert_int_equal(buf_len(got), 3);
		assert_memory_equal(buf_ptr(got), msg, 3);
		/* Half a record: wait for the rest. */
		assert_int_equal(buf_consume_end(out, 1), 0);
		assert_int_equal(hs_rec_read(&r, out, got), 0);
		assert_int_equal(buf_reserve(out, 1, &p), 0);
		*p ^= 1;
		assert_int_equal(hs_rec_read(&r, out, got), MP_ERR_AUTH);
		assert_int_equal(buf_len(got), 0);
		/* The seq never wraps. */
		w.seq = UINT64_MAX;
		assert_int_equal(hs_rec_write(&w, msg, 3, out),
		    MP_ERR_LIMIT);
		hs_rec_clear(&w);
		hs_rec_clear(&r);
		buf_reset(out);
	}
	/* Clear frames and their length bounds. */
	memset(&w, 0, sizeof(w));
	assert_int_equal(hs_rec_write(&w, msg, 0, out),
	    MP_ERR_INVALID_ARGUMENT);
	assert_int_equal(buf_put_u32(out, HS_MAX_MESSAGE + 1), 0);
	assert_int_equal(hs_rec_read(&w, out, got), MP_ERR_TOO_LARGE);
	buf_reset(out);
	assert_int_equal(buf_put_u32(out, HS_MAX_MESSAGE), 0);
	assert_int_equal(hs_rec_read(&w, out, got), 0);
	buf_reset(out);
	assert_int_equal(buf_put_u8(out, 0), 0);
	assert_int_equal(hs_rec_read(&w, out, got), 0);
	buf_free(out);
	buf_free(got);
}

/* ---- seeds for fuzz_hsmsg --------------------------------------------- */

static void
write_seed(const char *dir, const char *name, struct buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz_hsmsg", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/fuzz_hsmsg/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(buf_ptr(b), 1, buf_len(b), f), buf_len(b));
	fclose(f);
	buf_reset(b);
}

static void
test_write_corpus(void **state)
{
	static const uint8_t q[32] = { 9 }, blob[51] = { 0, 0, 0, 7, 'e', 'd',
	    '2', '5', '5', '1', '9', 0, 0, 0, 32 }, sig[64] = { 1 };
	static struct hs_reply reply;
	const char *dir = getenv("MP_WRITE_CORPUS");
	struct hs_kex_server ks = { blob, q, sig, 51, 32, 64 };
	struct hs_userauth ua = { "alice", blob, sig, 51, 64 };
	struct hs_request r;
	struct hs_hello h;
	struct buf *b = newbuf();

	(void)state;
	assert_int_equal(hs_negotiate_lists(NULL, &h), 0);
	hs_msg_put_hello(b, &h);
	write_seed(dir, "hello", b);
	hs_msg_put_kex_client(b, "x25519-sha256", q, 32);
	write_seed(dir, "kex_client", b);
	hs_msg_put_kex_retry(b, "p256-sha256");
	write_seed(dir, "kex_retry", b);
	hs_msg_put_kex_server(b, &ks);
	write_seed(dir, "kex_server", b);
	hs_msg_put_userauth(b, &ua);
	write_seed(dir, "userauth_request", b);
	hs_msg_put_coded(b, HS_MSG_USERAUTH_FAILURE, 5,
	    "permission denied (publickey)");
	write_seed(dir, "userauth_failure", b);
	hs_msg_put_coded(b, HS_MSG_DISCONNECT, 2, "no common aead algorithm");
	write_seed(dir, "disconnect", b);
	fill_new(&r);
	hs_msg_put_request(b, &r, NULL, 0);
	write_seed(dir, "session_new", b);
	r.type = HS_REQ_RESUME;
	r.session_id_len = 32;
	hs_msg_put_request(b, &r, q, 32);
	write_seed(dir, "session_resume", b);
	memset(&reply, 0, sizeof(reply));
	reply.ok = 1;
	reply.udp_port = 60001;
	strcpy(reply.mode, "statesync");
	reply.session_id_len = 32;
	hs_msg_put_reply(b, HS_REQ_NEW, &reply);
	write_seed(dir, "session_reply", b);
	reply.nsessions = 1;
	reply.sessions[0].session_id_len = 48;
	reply.sessions[0].cols = 80;
	reply.sessions[0].rows = 24;
	strcpy(reply.sessions[0].command, "top");
	hs_msg_put_reply(b, HS_REQ_LIST, &reply);
	write_seed(dir, "session_list_reply", b);
	hs_msg_put_coded(b, HS_MSG_SESSION_FAILURE, 7, "no such session");
	write_seed(dir, "session_failure", b);
	buf_put_u8(b, 0);			/* a version line */
	hs_version_put(b, "moshpit_0.1.0");
	write_seed(dir, "version_line", b);
	buf_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_valid),
		cmocka_unit_test(test_names_choose),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_version_classify),
		cmocka_unit_test(test_version_line),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_kex_messages),
		cmocka_unit_test(test_user_names),
		cmocka_unit_test(test_userauth),
		cmocka_unit_test(test_coded_text),
		cmocka_unit_test(test_session_new),
		cmocka_unit_test(test_session_new_parse_limits),
		cmocka_unit_test(test_session_resume_and_list),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_reply_parse_limits),
		cmocka_unit_test(test_message_names),
		cmocka_unit_test(test_exchange_hash),
		cmocka_unit_test(test_signed_data),
		cmocka_unit_test(test_key_schedule),
		cmocka_unit_test(test_records),
	};
	const struct CMUnitTest corpus[] = {
		cmocka_unit_test(test_write_corpus),
	};

	if (mp_crypto_init() != 0)
		return 1;
	if (getenv("MP_WRITE_CORPUS") != NULL)
		return cmocka_run_group_tests(corpus, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

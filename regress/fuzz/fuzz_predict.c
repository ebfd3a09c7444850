/* fuzz_predict.c: libFuzzer harness for local echo prediction: random server output, keystrokes, echoes and acknowledgements; every overlay must be valid and reachable by a diff from the server's screen. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/term/predict.h"
#include "common/term/term.h"
#include "regress/unittests/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/*
 * Input: cols (1 + b % 40), rows (1 + b % 12), the mode (b % 3), then
 * operations: a byte whose low 3 bits pick one and whose high 5 bits
 * are its argument n, followed by what it reads.
 *   0 type n + 1 bytes           4 resize to the next two bytes
 *   1 the program prints n + 1   5 the clock moves n * 40 ms, update
 *   2 the tty echoes n + 1 typed 6 type the key n of a list
 *   3 ECHO_ACK moves n; then a byte: echo off (bit 0), srtt (rest)
 * After each, the overlay is checked (7 only checks).
 */
#define HEAD	3

struct fz {
	struct term *srv;
	struct term_state s;
	struct predict *p;
	uint64_t typed, echoed, ack, now;
	int echo_off;
	uint32_t srtt;
	uint8_t keys[1 << 16];		/* everything typed */
	struct fuzz_input in;		/* the operations */
};

static const char *const special[32] = {
	"\033[C", "\033[D", "\033OC", "\033OD", "\177", "\b", "\r", "\n",
	"\033", "\033[1;5C", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xcc\x81",
	"\t", "\003", "\025", "\033[A", "\xc3\xa9", "\xe4", "\xb8\xad", " ",
	"\xef\xbc\xa1", "\033[200~", "\033[201~", "\xff", "\033O", "\033[",
	"a", "\033\033", "\xc2\x85", "\xed\xa0\x80", "\033[3~",
};

static void
snap(struct fz *z)
{
	term_state_free(&z->s);
	check(term_snapshot(z->srv, &z->s) == 0);
}

static void
type(struct fz *z, const uint8_t *p, size_t n)
{
	if (n > sizeof(z->keys) - z->typed)
		n = sizeof(z->keys) - z->typed;
	memcpy(z->keys + z->typed, p, n);
	predict_input(z->p, p, n, z->typed, &z->s, z->now);
	z->typed += n;
}

static void
echo(struct fz *z, size_t n)
{
	if (n > z->typed - z->echoed)
		n = z->typed - z->echoed;
	term_write(z->srv, z->keys + z->echoed, n);
	z->echoed += n;
	snap(z);
}

static void
update(struct fz *z)
{
	predict_update(z->p, &z->s, z->ack, z->echo_off, z->srtt, z->now);
}

static void
ack(struct fz *z, unsigned int n)
{
	uint8_t b = fuzz_take_byte(&z->in);

	z->ack += n;
	if (z->ack > z->typed)
		z->ack = z->typed;
	z->echo_off = b & 1;
	z->srtt = (uint32_t)b * 2;
	update(z);
}

/* The overlay is valid, a diff from the server's screen reaches it,
 * and while echo is off it is the server's screen. */
static void
check_overlay(struct fz *z)
{
	struct term *t = term_new(z->s.cols, z->s.rows, NULL, NULL);
	struct buf *b = buf_new(BUF_SIZE_MAX);
	struct term_state d, got;

	check(t != NULL && b != NULL);
	check(predict_overlay(z->p, &z->s, &d) == 0);
	check(term_state_check(&d) == 0);
	check(!z->echo_off || term_state_equal(&d, &z->s));
	check(predict_pending(z->p) <= PREDICT_MAX);
	check(predict_timeout_ms(z->p, z->now) >= -1);
	check(term_diff(NULL, &z->s, b) == 0);
	check(term_diff(&z->s, &d, b) == 0);
	term_write(t, buf_ptr(b), buf_len(b));
	check(term_snapshot(t, &got) == 0);
	got.bells = d.bells;
	check(term_state_equal(&got, &d));
	term_state_free(&got);
	term_state_free(&d);
	buf_free(b);
	term_free(t);
}

static void
step(struct fz *z, uint8_t op)
{
	size_t n = (size_t)(op >> 3) + 1;
	const uint8_t *p;

	switch (op & 7) {
	case 0:
		p = fuzz_take(&z->in, &n);
		type(z, p, n);
		break;
	case 1:
		p = fuzz_take(&z->in, &n);
		term_write(z->srv, p, n);
		snap(z);
		break;
	case 2:
		echo(z, n);
		break;
	case 3:
		ack(z, (unsigned int)n - 1);
		break;
	case 4:
		check(term_resize(z->srv,
		    (uint16_t)(1 + fuzz_take_byte(&z->in) % 40),
		    (uint16_t)(1 + fuzz_take_byte(&z->in) % 12)) == 0);
		snap(z);
		break;
	case 5:
		z->now += (n - 1) * 40;
		update(z);
		break;
	case 6:
		p = (const uint8_t *)special[n - 1];
		type(z, p, strlen(special[n - 1]));
		break;
	default:
		break;
	}
	check_overlay(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct fz z;

	if (len < HEAD)
		return 0;
	memset(&z, 0, sizeof(z));
	z.srv = term_new((uint16_t)(1 + data[0] % 40),
	    (uint16_t)(1 + data[1] % 12), NULL, NULL);
	z.p = predict_new((enum predict_mode)(data[2] % 3));
	check(z.srv != NULL && z.p != NULL);
	z.in.d = data;
	z.in.len = len;
	z.in.off = HEAD;
	z.now = 1000;
	snap(&z);
	while (z.in.off < z.in.len)
		step(&z, z.in.d[z.in.off++]);
	predict_free(z.p);
	term_free(z.srv);
	term_state_free(&z.s);
	return 0;
}

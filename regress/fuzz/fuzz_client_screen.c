/* fuzz_client_screen.c: libFuzzer harness for mp's copy of the server's screen: updates (raw, or diffs of a server emulator), stream output at offsets, resizes and taken lines in each mode; the screen is always a valid state, and a statesync diff it applies gives its target. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "client/screen.h"
#include "common/buf.h"
#include "common/term/term.h"
#include "regress/unittests/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define check(x)	do { if (!(x)) __builtin_trap(); } while (0)

/*
 * Input: the mode (b % 3: statesync, reliable, datagram), the window's
 * columns (1 + b % 64) and rows (1 + b % 24), then operations: a byte
 * whose low 3 bits pick one and whose high 5 bits are its argument n.
 *   0 a raw update: a base byte, a new byte (signed, from the client's
 *     state), two size bytes (the header's columns and rows if n is odd,
 *     0 and 255 out of range; else the screen's size), a length byte
 *     and that many bytes; at the client's read offset
 *   1 raw output: an offset delta byte (signed, from the read offset),
 *     then n * 4 + 1 bytes at that offset
 *   2 resize the window to the next two bytes (the server's emulator too)
 *   3 take n lines (each one read first), ask whether lines were dropped
 *   4 the server's program prints n * 4 + 1 bytes (stream modes: onto
 *     the stream, after the server's offset)
 *   5 deliver the stream's next n * 16 + 1 bytes (n odd: lose them,
 *     unless reliable)
 *   6 the server's update: statesync, a diff from the state n / 2 before
 *     the newest (n even, if kept and of the same size) or from 0; else
 *     a full screen at the server's offset
 *   7 the server tells of dropped lines
 * After each the screen is checked.
 */
#define HEAD		3
#define SAVED		12		/* server states kept for bases */
#define STREAM_MAX	(256 * 1024)

struct fz {
	int mode;
	struct client_screen *cs;
	struct term *srv;
	struct term_state saved[SAVED];	/* numbered server states */
	uint64_t saved_num[SAVED];
	int saved_clean[SAVED];		/* the client applied it, untainted */
	uint64_t num;			/* the newest state number used */
	int tainted;			/* raw bytes reached the emulator */
	uint8_t stream[STREAM_MAX];	/* the server's stream 1 */
	size_t srv_off, sent_off;	/* written, delivered or lost */
	uint64_t read_off;		/* the client's read offset */
	struct buf *b;
	struct fuzz_input in;		/* the operations */
};

static const char *const modes[3] = { "statesync", "reliable", "datagram" };

static uint16_t
raw_size(uint8_t b)
{
	return b == 255 ? 5000 : b;
}

static void
put_size(struct buf *b, uint16_t cols, uint16_t rows)
{
	check(buf_put_u16(b, cols) == 0);
	check(buf_put_u16(b, rows) == 0);
	check(buf_put_u64(b, 0) == 0);
	check(buf_put_u32(b, 0) == 0);
}

/* ---- raw operations ------------------------------------------------------ */

static void
raw_update(struct fz *z, size_t n)
{
	uint64_t state = client_screen_state(z->cs), base, next;
	struct term_state st;
	size_t plen;
	const uint8_t *p;
	uint8_t c, r;

	base = fuzz_take_byte(&z->in);
	next = state + (uint64_t)(int8_t)fuzz_take_byte(&z->in);
	c = fuzz_take_byte(&z->in);
	r = fuzz_take_byte(&z->in);
	check(client_screen_snapshot(z->cs, &st) == 0);
	buf_reset(z->b);
	if (n & 1)
		put_size(z->b, raw_size(c), raw_size(r));
	else
		put_size(z->b, st.cols, st.rows);
	term_state_free(&st);
	plen = fuzz_take_byte(&z->in);
	p = fuzz_take(&z->in, &plen);
	check(buf_put(z->b, p, plen) == 0);
	if (client_screen_update(z->cs, base, next, buf_ptr(z->b),
	    buf_len(z->b), z->read_off) == SCREEN_APPLIED && next > z->num)
		z->num = next;	/* the server's numbers stay apart */
	z->tainted = 1;
}

static void
raw_output(struct fz *z, size_t n)
{
	int8_t delta = (int8_t)fuzz_take_byte(&z->in);
	uint64_t at = z->read_off;
	const uint8_t *p;

	n = n * 4 + 1;
	p = fuzz_take(&z->in, &n);
	if (delta < 0 && (uint64_t)-delta > at)
		at = 0;
	else
		at += (uint64_t)(int64_t)delta;
	client_screen_output(z->cs, at, p, n);
	if (at + n > z->read_off)
		z->read_off = at + n;
	z->tainted = 1;
}

static void
resize(struct fz *z)
{
	uint16_t cols = (uint16_t)(1 + fuzz_take_byte(&z->in) % 80);
	uint16_t rows = (uint16_t)(1 + fuzz_take_byte(&z->in) % 30);

	check(term_resize(z->srv, cols, rows) == 0);
	(void)client_screen_resize(z->cs, cols, rows);
}

static void
take_lines(struct fz *z, size_t n)
{
	const struct term_cell *c;
	size_t i, have = client_screen_lines(z->cs);
	uint16_t cols;

	for (i = 0; i < have; i++) {
		c = client_screen_line(z->cs, i, &cols);
		check(c != NULL && cols >= 1 && cols <= TERM_COLS_MAX);
		check(c[0].reserved == 0 && c[cols - 1].reserved == 0);
	}
	check(have <= SCREEN_QUEUE_LINES);
	client_screen_lines_taken(z->cs, n);
	(void)client_screen_lines_dropped(z->cs);
}

/* ---- the server ---------------------------------------------------------- */

static void
server_prints(struct fz *z, size_t n)
{
	const uint8_t *p;

	n = n * 4 + 1;
	p = fuzz_take(&z->in, &n);
	term_write(z->srv, p, n);
	if (z->mode == 0)
		return;
	if (n > STREAM_MAX - z->srv_off)
		n = STREAM_MAX - z->srv_off;
	memcpy(z->stream + z->srv_off, p, n);
	z->srv_off += n;
}

/* Stream bytes reach the client in offset order, or are lost (a
 * reliable stream would resend them: lost only in datagram). */
static void
deliver(struct fz *z, size_t n)
{
	size_t k = n * 16 + 1;

	if (k > z->srv_off - z->sent_off)
		k = z->srv_off - z->sent_off;
	if (k == 0)
		return;
	if (!(n & 1) || z->mode == 1) {
		client_screen_output(z->cs, z->sent_off,
		    z->stream + z->sent_off, k);
		z->read_off = z->sent_off + k;
	}
	z->sent_off += k;
}

/* A numbered state of the server, kept as a later base. */
static uint64_t
save_state(struct fz *z)
{
	size_t slot = (size_t)(++z->num % SAVED);

	term_state_free(&z->saved[slot]);
	check(term_snapshot(z->srv, &z->saved[slot]) == 0);
	z->saved_num[slot] = z->num;
	z->saved_clean[slot] = 0;
	return z->num;
}

/* Applied and untainted: the client shows the target, bells aside. */
static void
check_target(const struct fz *z, const struct term_state *want)
{
	struct term_state got;

	check(client_screen_snapshot(z->cs, &got) == 0);
	got.bells = want->bells;
	check(term_state_equal(&got, want));
	term_state_free(&got);
}

/* The state n back from the newest as a base, if the client applied it
 * untainted (NULL: none). */
static const struct term_state *
base_state(const struct fz *z, size_t n, uint64_t *base)
{
	uint64_t b = z->num - n;

	*base = 0;
	if (n >= z->num || n >= SAVED - 1 || z->saved_num[b % SAVED] != b ||
	    !z->saved_clean[b % SAVED])
		return NULL;
	*base = b;
	return &z->saved[b % SAVED];
}

static void
statesync_update(struct fz *z, size_t n)
{
	const struct term_state *from = NULL, *to;
	uint64_t num, base = 0;

	if (!(n & 1))
		from = base_state(z, n / 2, &base);
	num = save_state(z);
	to = &z->saved[num % SAVED];
	if (from != NULL &&
	    (from->cols != to->cols || from->rows != to->rows)) {
		from = NULL;
		base = 0;
	}
	buf_reset(z->b);
	put_size(z->b, to->cols, to->rows);
	check(term_diff(from, to, z->b) == 0);
	if (client_screen_update(z->cs, base, num, buf_ptr(z->b),
	    buf_len(z->b), 0) != SCREEN_APPLIED)
		return;
	if (base == 0)
		z->tainted = 0;
	if (z->tainted)
		return;
	check_target(z, to);
	z->saved_clean[num % SAVED] = 1;
}

static void
full_update(struct fz *z)
{
	struct term_state st;

	check(term_snapshot(z->srv, &st) == 0);
	buf_reset(z->b);
	put_size(z->b, st.cols, st.rows);
	check(term_diff(NULL, &st, z->b) == 0);
	(void)client_screen_update(z->cs, 0, z->srv_off, buf_ptr(z->b),
	    buf_len(z->b), z->read_off);
	term_state_free(&st);
}

/* ---- the loop ------------------------------------------------------------ */

static void
check_screen(struct fz *z)
{
	struct term_state st;

	check(client_screen_snapshot(z->cs, &st) == 0);
	check(term_state_check(&st) == 0);
	term_state_free(&st);
	(void)client_screen_state(z->cs);
	(void)client_screen_version(z->cs);
}

static void
step(struct fz *z, uint8_t op)
{
	size_t n = (size_t)(op >> 3);

	switch (op & 7) {
	case 0:
		raw_update(z, n);
		break;
	case 1:
		raw_output(z, n);
		break;
	case 2:
		resize(z);
		break;
	case 3:
		take_lines(z, n);
		break;
	case 4:
		server_prints(z, n);
		break;
	case 5:
		deliver(z, n);
		break;
	case 6:
		if (z->mode == 0)
			statesync_update(z, n);
		else
			full_update(z);
		break;
	default:
		client_screen_note_dropped(z->cs);
		break;
	}
	check_screen(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct fz z;
	uint16_t cols, rows;
	size_t i;

	if (len < HEAD)
		return 0;
	memset(&z, 0, sizeof(z));
	z.mode = data[0] % 3;
	cols = (uint16_t)(1 + data[1] % 64);
	rows = (uint16_t)(1 + data[2] % 24);
	z.cs = client_screen_new(modes[z.mode], cols, rows);
	z.srv = term_new(cols, rows, NULL, NULL);
	z.b = buf_new(BUF_SIZE_MAX);
	check(z.cs != NULL && z.srv != NULL && z.b != NULL);
	z.in.d = data;
	z.in.len = len;
	z.in.off = HEAD;
	while (z.in.off < z.in.len)
		step(&z, z.in.d[z.in.off++]);
	for (i = 0; i < SAVED; i++)
		term_state_free(&z.saved[i]);
	buf_free(z.b);
	term_free(z.srv);
	client_screen_free(z.cs);
	return 0;
}

/* term.c: benchmark of the terminal emulator against libvterm on the same inputs, and of the screen diff's size and time for typical updates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vterm.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/err.h"
#include "common/term/term.h"

#define BENCH_NS	300000000ull	/* each measurement runs ~0.3 s */
#define INPUT_SIZE	(4u * 1024 * 1024)
#define WRITE_CHUNK	16384		/* bytes per write, as read from a pty */
#define COLS		80
#define ROWS		24
#define ASCII_TARGET	300.0		/* MB/s */
#define RATIO_TARGET	3.0		/* times libvterm */
#define TYPED_TARGET	16		/* bytes */

struct input {
	const char *name;
	uint8_t *p;
	size_t len;
};

static void
fail(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s\n", what, mp_strerror(err));
	exit(1);
}

/* ---- inputs ------------------------------------------------------------- */

/* Appends to a growing input; the generators stop at INPUT_SIZE. */
static void
put(struct input *in, const void *p, size_t len)
{
	if ((in->p = realloc(in->p, in->len + len)) == NULL)
		fail(in->name, MP_ERR_ALLOC);
	memcpy(in->p + in->len, p, len);
	in->len += len;
}

static void
puts_in(struct input *in, const char *s)
{
	put(in, s, strlen(s));
}

/* A small linear congruential generator: the same inputs every run. */
static uint32_t
next_rand(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

static void
gen_ascii(struct input *in)
{
	static const char *words[] = {
		"the", "terminal", "emulator", "reads", "bytes", "from", "a",
		"program", "and", "keeps", "its", "screen", "state", "in", "step",
	};
	uint32_t seed = 1;
	size_t col = 0;
	const char *w;

	in->name = "plain ASCII";
	while (in->len < INPUT_SIZE) {
		w = words[next_rand(&seed) % (sizeof(words) / sizeof(words[0]))];
		if (col + strlen(w) + 1 > 78) {
			puts_in(in, "\r\n");
			col = 0;
		}
		puts_in(in, w);
		puts_in(in, " ");
		col += strlen(w) + 1;
	}
}

static void
gen_ls(struct input *in)
{
	static const char *kinds[] = {
		"\033[01;34m", "\033[01;32m", "\033[01;36m", "", "\033[00;31m",
		"\033[38;5;208m",
	};
	char name[64];
	uint32_t seed = 2;
	int i;

	in->name = "coloured ls";
	while (in->len < INPUT_SIZE) {
		for (i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "file-%05u.%s",
			    next_rand(&seed) % 100000, i % 2 ? "c" : "txt");
			puts_in(in, kinds[next_rand(&seed) % 6]);
			puts_in(in, name);
			puts_in(in, "\033[0m   ");
		}
		puts_in(in, "\r\n");
	}
}

static void
gen_cjk(struct input *in)
{
	uint8_t ch[3];
	uint32_t seed = 3, c;
	int i;

	in->name = "UTF-8 CJK";
	while (in->len < INPUT_SIZE) {
		for (i = 0; i < 39; i++) {
			c = 0x4e00 + next_rand(&seed) % 0x5000;
			ch[0] = (uint8_t)(0xe0 | c >> 12);
			ch[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
			ch[2] = (uint8_t)(0x80 | (c & 0x3f));
			put(in, ch, sizeof(ch));
		}
		puts_in(in, "\r\n");
	}
}

/* A recording of the corpus (the bench runs from the top directory). */
static void
load_recording(struct input *in, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t tmp[65536];
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "bench: cannot open %s\n", path);
		exit(1);
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		put(in, tmp, n);
	fclose(f);
}

static void
gen_recorded(struct input *in)
{
	in->name = "htop+vim recording";
	load_recording(in, "regress/term-corpus/htop.vt");
	load_recording(in, "regress/term-corpus/vim.vt");
}

/* ---- throughput ---------------------------------------------------------- */

typedef void (*feed_fn)(void *ctx, const uint8_t *p, size_t len);

static void
feed_term(void *ctx, const uint8_t *p, size_t len)
{
	term_write(ctx, p, len);
}

static void
feed_vterm(void *ctx, const uint8_t *p, size_t len)
{
	vterm_input_write(ctx, (const char *)p, len);
}

/* MB/s of feed over the whole input, repeated until ns passed. */
static double
throughput_once(feed_fn feed, void *ctx, const struct input *in,
    uint64_t ns)
{
	uint64_t start = mp_monotonic_ns(), elapsed;
	size_t off, n, total = 0;

	do {
		for (off = 0; off < in->len; off += n) {
			n = in->len - off < WRITE_CHUNK ? in->len - off :
			    WRITE_CHUNK;
			feed(ctx, in->p + off, n);
		}
		total += in->len;
		elapsed = mp_monotonic_ns() - start;
	} while (elapsed < ns);
	return (double)total / 1e6 / ((double)elapsed / 1e9);
}

/* The best of three runs, so that a busy machine disturbs less. */
static double
throughput(feed_fn feed, void *ctx, const struct input *in)
{
	double best = 0, v;
	int i;

	for (i = 0; i < 3; i++)
		if ((v = throughput_once(feed, ctx, in, BENCH_NS / 3)) > best)
			best = v;
	return best;
}

static void
discard_output(const char *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	(void)arg;
}

static VTerm *
new_vterm(void)
{
	VTerm *vt = vterm_new(ROWS, COLS);
	VTermScreen *screen;

	if (vt == NULL)
		fail("vterm_new", MP_ERR_ALLOC);
	vterm_set_utf8(vt, 1);
	vterm_output_set_callback(vt, discard_output, NULL);
	screen = vterm_obtain_screen(vt);
	vterm_screen_enable_altscreen(screen, 1);
	vterm_screen_reset(screen, 1);
	return vt;
}

static const char *
verdict(int ok)
{
	return ok ? "PASS" : "FAIL";
}

static void
bench_input(const struct input *in, int is_ascii)
{
	struct term *t;
	VTerm *vt;
	double ours, theirs, ratio;

	if ((t = term_new(COLS, ROWS, NULL, NULL)) == NULL)
		fail("term_new", MP_ERR_ALLOC);
	vt = new_vterm();
	ours = throughput(feed_term, t, in);
	theirs = throughput(feed_vterm, vt, in);
	ratio = ours / theirs;
	printf("emulator %-20s %8.1f MB/s  libvterm %7.1f MB/s  ratio %5.2fx"
	    "  %s (>= %.0fx)\n", in->name, ours, theirs, ratio,
	    verdict(ratio >= RATIO_TARGET), RATIO_TARGET);
	if (is_ascii)
		printf("emulator %-20s %8.1f MB/s  %s (>= %.0f MB/s)\n",
		    in->name, ours, verdict(ours >= ASCII_TARGET),
		    ASCII_TARGET);
	vterm_free(vt);
	term_free(t);
}

/* ---- the diff ---------------------------------------------------------------- */

struct update {
	const char *name;
	struct term_state from, to;
};

static void
snapshot(struct term *t, struct term_state *s)
{
	int r;

	if ((r = term_snapshot(t, s)) != 0)
		fail("term_snapshot", r);
}

/* from: the screen after before; to: after before then change. */
static void
make_update(struct update *u, const char *name, const char *before,
    const char *change)
{
	struct term *t;

	u->name = name;
	if ((t = term_new(COLS, ROWS, NULL, NULL)) == NULL)
		fail("term_new", MP_ERR_ALLOC);
	term_write(t, (const uint8_t *)before, strlen(before));
	snapshot(t, &u->from);
	term_write(t, (const uint8_t *)change, strlen(change));
	snapshot(t, &u->to);
	term_free(t);
}

/* The nth pause of a recording (its line in NAME.cuts, from 1). */
static size_t
recorded_cut(const char *path, int nth)
{
	FILE *f = fopen(path, "r");
	unsigned long v = 0;
	int i;

	if (f == NULL) {
		fprintf(stderr, "bench: cannot open %s\n", path);
		exit(1);
	}
	for (i = 0; i < nth; i++)
		if (fscanf(f, "%lu", &v) != 1) {
			fprintf(stderr, "bench: %s: fewer than %d lines\n",
			    path, nth);
			exit(1);
		}
	fclose(f);
	return v;
}

/* The screens of a recording at its pauses nth and nth + 1. */
static void
make_recorded_update(struct update *u, const char *name, const char *base,
    int nth)
{
	struct input rec = { name, NULL, 0 };
	char path[256];
	size_t from, to;
	struct term *t;

	snprintf(path, sizeof(path), "%s.vt", base);
	load_recording(&rec, path);
	snprintf(path, sizeof(path), "%s.cuts", base);
	from = recorded_cut(path, nth);
	to = recorded_cut(path, nth + 1);
	if (to > rec.len)
		fail(path, MP_ERR_INVALID_FORMAT);
	u->name = name;
	if ((t = term_new(COLS, ROWS, NULL, NULL)) == NULL)
		fail("term_new", MP_ERR_ALLOC);
	term_write(t, rec.p, from);
	snapshot(t, &u->from);
	term_write(t, rec.p + from, to - from);
	snapshot(t, &u->to);
	term_free(t);
	free(rec.p);
}

/* The bytes of term_diff(from, to) and its time in microseconds. */
static size_t
diff_cost(const struct term_state *from, const struct term_state *to,
    double *us)
{
	struct buf *out;
	uint64_t start, elapsed;
	unsigned long n = 0;
	size_t len;
	int r;

	if ((out = buf_new(BUF_SIZE_MAX)) == NULL)
		fail("buf_new", MP_ERR_ALLOC);
	start = mp_monotonic_ns();
	do {
		buf_reset(out);
		if ((r = term_diff(from, to, out)) != 0)
			fail("term_diff", r);
		n++;
		elapsed = mp_monotonic_ns() - start;
	} while (elapsed < BENCH_NS / 3);
	len = buf_len(out);
	buf_free(out);
	*us = (double)elapsed / 1e3 / (double)n;
	return len;
}

static void
bench_update(struct update *u, int is_typed)
{
	size_t bytes, repaint;
	double us, repaint_us;

	bytes = diff_cost(&u->from, &u->to, &us);
	repaint = diff_cost(NULL, &u->to, &repaint_us);
	printf("diff %-24s %6zu bytes %8.2f us  (full repaint %zu bytes "
	    "%.2f us)", u->name, bytes, us, repaint, repaint_us);
	if (is_typed)
		printf("  %s (< %d bytes)", verdict(bytes < TYPED_TARGET),
		    TYPED_TARGET);
	putchar('\n');
	term_state_free(&u->from);
	term_state_free(&u->to);
}

/* A shell screen: a prompt, some output, the cursor after a prompt. */
static char *
shell_screen(void)
{
	struct input s = { "shell", NULL, 0 };
	char line[128];
	int i;

	for (i = 0; i < 30; i++) {
		snprintf(line, sizeof(line), "\033[1;32muser@host\033[0m:"
		    "\033[1;34m~/src\033[0m$ ls -l file-%02d.c\r\n-rw-r--r-- 1 "
		    "user user %5d Nov 22 07:%02d file-%02d.c\r\n", i,
		    1000 + i * 37, i, i);
		puts_in(&s, line);
	}
	puts_in(&s, "\033[1;32muser@host\033[0m:\033[1;34m~/src\033[0m$ ");
	put(&s, "", 1);
	return (char *)s.p;
}

/* A top-like full screen: a header and a process table, values from seed. */
static char *
top_screen(uint32_t seed)
{
	struct input s = { "top", NULL, 0 };
	char line[160];
	int i;

	snprintf(line, sizeof(line), "\033[H\033[2Jtop - 07:%02u:%02u up 3 "
	    "days,  1 user,  load average: 0.%02u, 0.%02u, 0.%02u\033[K\r\n",
	    next_rand(&seed) % 60, next_rand(&seed) % 60,
	    next_rand(&seed) % 100, next_rand(&seed) % 100,
	    next_rand(&seed) % 100);
	puts_in(&s, line);
	puts_in(&s, "\r\n\033[7m    PID USER      PR  NI    VIRT    RES  "
	    "%CPU  %MEM     TIME+ COMMAND          \033[m\r\n");
	for (i = 0; i < ROWS - 4; i++) {
		snprintf(line, sizeof(line), "%7u user      20   0 %7u %6u "
		    "%5.1f %5.1f %3u:%02u.%02u %-16s\033[K\r\n", 1000 + i * 13,
		    100000 + next_rand(&seed) % 900000,
		    next_rand(&seed) % 90000, (next_rand(&seed) % 1000) / 10.0,
		    (next_rand(&seed) % 200) / 10.0, next_rand(&seed) % 60,
		    next_rand(&seed) % 60, next_rand(&seed) % 100,
		    i % 3 ? "bash" : "\033[1mhtop\033[m");
		puts_in(&s, line);
	}
	put(&s, "", 1);
	return (char *)s.p;
}

static void
bench_diffs(void)
{
	struct update u;
	char *shell = shell_screen(), *top1 = top_screen(7),
	    *top2 = top_screen(8);

	make_update(&u, "one typed character", shell, "l");
	bench_update(&u, 1);
	make_update(&u, "one line scrolled", shell,
	    "\r\nnew line of output at the bottom");
	bench_update(&u, 0);
	make_update(&u, "full-screen top refresh", top1, top2);
	bench_update(&u, 0);
	make_recorded_update(&u, "recorded top refresh",
	    "regress/term-corpus/top", 2);
	bench_update(&u, 0);
	make_recorded_update(&u, "recorded htop refresh",
	    "regress/term-corpus/htop", 3);
	bench_update(&u, 0);
	free(shell);
	free(top1);
	free(top2);
}

int
main(void)
{
	struct input in[4];
	size_t i;

	memset(in, 0, sizeof(in));
	gen_ascii(&in[0]);
	gen_ls(&in[1]);
	gen_recorded(&in[2]);
	gen_cjk(&in[3]);
	for (i = 0; i < 4; i++) {
		bench_input(&in[i], i == 0);
		free(in[i].p);
	}
	bench_diffs();
	return 0;
}

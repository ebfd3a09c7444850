/* vtreplay.c: replays a terminal byte stream through the emulator and prints the final screen, its attributes, or a check of the screen diff. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/xmalloc.h"
#include "common/term/term.h"

/*
 * vtreplay [--size COLSxROWS] [--attrs [--clip]] [--diff-check]
 *     [--chunk N] [--bytes N] [FILE]
 *
 * Reads FILE (or standard input, also for "-") and feeds it to a fresh
 * emulator of that size (default 80x24), N bytes per term_write() with
 * --chunk (default: all at once; 61 with --diff-check), only the first
 * N bytes with --bytes. Then prints the screen, one line per row, top to
 * bottom: every cell's character and its combining marks in UTF-8, an
 * erased cell as a space, the right half of a wide character as nothing;
 * trailing spaces are trimmed.
 *
 * --attrs then adds, one item per line:
 *	cursor X,Y shown|hidden shape N		(0-based column and row)
 *	modes [cursor_keys] [keypad] [bracketed] [focus] [reverse] [altscreen]
 *	mouse none|x10|normal|button|any encoding default|utf8|sgr
 *	title [TEXT]
 *	icon [TEXT]
 *	bells N
 *	row R col A-B fg F bg G [ATTR...]
 * TEXT has every byte below 0x20, 0x7f and the backslash as \xNN. There
 * is a "row" line for each maximal run of cells of a row with the same
 * colours and attributes, except runs with default colours and no
 * attributes; F and G are "default", a palette index 0-255 or #rrggbb;
 * ATTR is bold, faint, italic, blink, inverse, invisible, strike or
 * underline=single|double|curly|dotted|dashed, in that order. With
 * --clip, runs leave out the cells after a row's last non-blank one
 * (those the text trims), as tmux capture-pane -e does.
 *
 * --diff-check also keeps a second emulator in step through term_diff()
 * alone: after each chunk it diffs the previous snapshot to the new one,
 * feeds the diff to the second emulator and requires equal snapshots
 * (bells excepted); at the end a diff from NULL must repaint a third
 * emulator left in a disordered state. One line on standard error gives
 * the result.
 *
 * Exit status: 0, 1 on a usage or input error, 2 if the diff check failed.
 */

#define INPUT_MAX		(256u * 1024 * 1024)
#define DIFF_CHECK_CHUNK	61

struct options {
	uint16_t cols, rows;
	int attrs;
	int clip;
	int diff_check;
	size_t chunk;		/* 0: everything at once */
	size_t limit;		/* SIZE_MAX: no limit */
	const char *path;
};

struct input {
	uint8_t *p;
	size_t len;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: vtreplay [--size COLSxROWS] [--attrs [--clip]] "
	    "[--diff-check] [--chunk N] [--bytes N] [FILE]\n");
	exit(1);
}

static void __attribute__((noreturn))
die(const char *what, int err)
{
	fprintf(stderr, "vtreplay: %s: %s\n", what, mp_strerror(err));
	exit(1);
}

/* ---- arguments -------------------------------------------------------- */

static int
parse_count(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *out > max)
		return -1;
	return (int)(end - s);
}

static int
parse_size(const char *s, uint16_t *cols, uint16_t *rows)
{
	unsigned long c, r;
	int n;

	if ((n = parse_count(s, TERM_COLS_MAX, &c)) < 0 || s[n] != 'x')
		return -1;
	s += n + 1;
	if ((n = parse_count(s, TERM_ROWS_MAX, &r)) < 0 || s[n] != '\0')
		return -1;
	if (c == 0 || r == 0 || c * r > TERM_CELLS_MAX)
		return -1;
	*cols = (uint16_t)c;
	*rows = (uint16_t)r;
	return 0;
}

static size_t
parse_bytes_arg(const char *opt, const char *s)
{
	unsigned long v;
	int n;

	if ((n = parse_count(s, INPUT_MAX, &v)) < 0 || s[n] != '\0') {
		fprintf(stderr, "vtreplay: %s: not a byte count: %s\n", opt, s);
		exit(1);
	}
	return v;
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "attrs", no_argument, NULL, 'a' },
		{ "clip", no_argument, NULL, 'C' },
		{ "diff-check", no_argument, NULL, 'd' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "bytes", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, chunk_set = 0;

	memset(o, 0, sizeof(*o));
	o->cols = 80;
	o->rows = 24;
	o->limit = SIZE_MAX;
	while ((ch = getopt_long(argc, argv, "s:aCdc:n:", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (parse_size(optarg, &o->cols, &o->rows) != 0) {
				fprintf(stderr, "vtreplay: --size: want COLSxROWS "
				    "within the emulator's limits: %s\n", optarg);
				exit(1);
			}
			break;
		case 'a':
			o->attrs = 1;
			break;
		case 'C':
			o->clip = 1;
			break;
		case 'd':
			o->diff_check = 1;
			break;
		case 'c':
			o->chunk = parse_bytes_arg("--chunk", optarg);
			chunk_set = 1;
			break;
		case 'n':
			o->limit = parse_bytes_arg("--bytes", optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind > 1)
		usage();
	if (argc - optind == 1 && strcmp(argv[optind], "-") != 0)
		o->path = argv[optind];
	if (o->diff_check && !chunk_set)
		o->chunk = DIFF_CHECK_CHUNK;
}

/* ---- input ------------------------------------------------------------ */

static void
read_input(const char *path, size_t limit, struct input *in)
{
	size_t cap = 65536;
	ssize_t n;
	int fd = STDIN_FILENO;

	if (path != NULL && (fd = open(path, O_RDONLY)) == -1) {
		fprintf(stderr, "vtreplay: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	in->p = xmalloc(cap);
	in->len = 0;
	while (in->len < limit) {
		if (in->len == cap) {
			if (cap >= INPUT_MAX)
				die(path != NULL ? path : "stdin", MP_ERR_TOO_LARGE);
			cap *= 2;
			in->p = xreallocarray(in->p, cap, 1);
		}
		n = read(fd, in->p + in->len, cap - in->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "vtreplay: read: %s\n", strerror(errno));
			exit(1);
		}
		if (n == 0)
			break;
		in->len += (size_t)n;
	}
	if (in->len > limit)
		in->len = limit;
	if (fd != STDIN_FILENO)
		close(fd);
}

/* ---- the screen as text ---------------------------------------------- */

static void
put_utf8(uint32_t c, FILE *f)
{
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80)
		putc((int)c, f);
	else if (c < 0x800) {
		putc((int)(0xc0 | c >> 6), f);
		putc((int)(0x80 | (c & 0x3f)), f);
	} else if (c < 0x10000) {
		putc((int)(0xe0 | c >> 12), f);
		putc((int)(0x80 | (c >> 6 & 0x3f)), f);
		putc((int)(0x80 | (c & 0x3f)), f);
	} else {
		putc((int)(0xf0 | c >> 18), f);
		putc((int)(0x80 | (c >> 12 & 0x3f)), f);
		putc((int)(0x80 | (c >> 6 & 0x3f)), f);
		putc((int)(0x80 | (c & 0x3f)), f);
	}
}

static int
cell_blank(const struct term_cell *c)
{
	return (c->ch == 0 || c->ch == ' ') && c->comb[0] == 0;
}

static void
print_cell(const struct term_cell *c, FILE *f)
{
	size_t i;

	if (c->ch == TERM_CH_WIDE_CONT)
		return;
	put_utf8(c->ch == 0 ? ' ' : c->ch, f);
	for (i = 0; i < TERM_COMBINING_MAX && c->comb[i] != 0; i++)
		put_utf8(c->comb[i], f);
}

/* The columns of a row that its text shows: up to the last non-blank. */
static uint16_t
text_end(const struct term_cell *row, uint16_t cols)
{
	while (cols > 0 && cell_blank(&row[cols - 1]))
		cols--;
	return cols;
}

static void
print_text(const struct term_state *s, FILE *f)
{
	const struct term_cell *row;
	uint16_t y, x, end;

	for (y = 0; y < s->rows; y++) {
		row = s->cells + (size_t)y * s->cols;
		end = text_end(row, s->cols);
		for (x = 0; x < end; x++)
			print_cell(&row[x], f);
		putc('\n', f);
	}
}

/* ---- the description (--attrs) --------------------------------------- */

static void
print_escaped(const char *label, const char *s, FILE *f)
{
	const unsigned char *p;

	fputs(label, f);
	if (*s != '\0')
		putc(' ', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			putc(*p, f);
	}
	putc('\n', f);
}

static void
print_cursor_and_modes(const struct term_state *s, FILE *f)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} modes[] = {
		{ TERM_MODE_CURSOR_KEYS, "cursor_keys" },
		{ TERM_MODE_KEYPAD, "keypad" },
		{ TERM_MODE_BRACKETED, "bracketed" },
		{ TERM_MODE_FOCUS, "focus" },
		{ TERM_MODE_REVERSE, "reverse" },
		{ TERM_MODE_ALTSCREEN, "altscreen" },
	};
	static const char *mouse[] = { "none", "x10", "normal", "button", "any" };
	static const char *enc[] = { "default", "utf8", "sgr" };
	size_t i;

	fprintf(f, "cursor %u,%u %s shape %u\n", s->cursor_x, s->cursor_y,
	    (s->modes & TERM_MODE_CURSOR_SHOWN) ? "shown" : "hidden",
	    s->cursor_shape);
	fputs("modes", f);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (s->modes & modes[i].bit)
			fprintf(f, " %s", modes[i].name);
	putc('\n', f);
	fprintf(f, "mouse %s encoding %s\n",
	    s->mouse < 5 ? mouse[s->mouse] : "?",
	    s->mouse_enc < 3 ? enc[s->mouse_enc] : "?");
}

static void
print_color(const char *label, uint32_t c, FILE *f)
{
	switch (TERM_COLOR_KIND(c)) {
	case 0:
		fprintf(f, " %s default", label);
		break;
	case 1:
		fprintf(f, " %s %u", label, c & 0xff);
		break;
	default:
		fprintf(f, " %s #%06x", label, c & 0xffffff);
		break;
	}
}

static void
print_style(const struct term_cell *c, FILE *f)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} attrs[] = {
		{ TERM_ATTR_BOLD, "bold" }, { TERM_ATTR_FAINT, "faint" },
		{ TERM_ATTR_ITALIC, "italic" }, { TERM_ATTR_BLINK, "blink" },
		{ TERM_ATTR_INVERSE, "inverse" },
		{ TERM_ATTR_INVISIBLE, "invisible" },
		{ TERM_ATTR_STRIKE, "strike" },
	};
	static const char *ul[] = {
		"none", "single", "double", "curly", "dotted", "dashed", "6", "7",
	};
	size_t i;

	print_color("fg", c->fg, f);
	print_color("bg", c->bg, f);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (c->attrs & attrs[i].bit)
			fprintf(f, " %s", attrs[i].name);
	if (c->attrs & TERM_ATTR_UL_MASK)
		fprintf(f, " underline=%s",
		    ul[(c->attrs & TERM_ATTR_UL_MASK) >> TERM_ATTR_UL_SHIFT]);
}

static int
same_style(const struct term_cell *a, const struct term_cell *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attrs == b->attrs;
}

static int
default_style(const struct term_cell *c)
{
	return c->fg == TERM_COLOR_DEFAULT && c->bg == TERM_COLOR_DEFAULT &&
	    c->attrs == 0;
}

static void
print_runs(const struct term_state *s, int clip, FILE *f)
{
	const struct term_cell *row;
	uint16_t y, x, start, end;

	for (y = 0; y < s->rows; y++) {
		row = s->cells + (size_t)y * s->cols;
		end = clip ? text_end(row, s->cols) : s->cols;
		for (x = 0; x < end; x = start) {
			start = x;
			while (start < end && same_style(&row[x], &row[start]))
				start++;
			if (default_style(&row[x]))
				continue;
			fprintf(f, "row %u col %u-%u", y, x, start - 1);
			print_style(&row[x], f);
			putc('\n', f);
		}
	}
}

static void
print_attrs(const struct term_state *s, int clip, FILE *f)
{
	print_cursor_and_modes(s, f);
	print_escaped("title", s->title, f);
	print_escaped("icon", s->icon, f);
	fprintf(f, "bells %" PRIu32 "\n", s->bells);
	print_runs(s, clip, f);
}

/* ---- the diff check --------------------------------------------------- */

struct diff_check {
	struct term *mirror;		/* fed only diffs */
	struct term_state last;		/* what the mirror shows */
	struct buf *out;
	size_t steps, bytes, offset;
	int failed;
};

static void
describe_cell(const struct term_cell *c, char *out, size_t len)
{
	snprintf(out, len, "ch %#" PRIx32 "+%#" PRIx32 "+%#" PRIx32 " fg %#"
	    PRIx32 " bg %#" PRIx32 " attrs %#x", c->ch, c->comb[0], c->comb[1],
	    c->fg, c->bg, c->attrs);
}

/* Where two snapshots first differ, into why. */
static void
explain(const struct term_state *want, const struct term_state *got,
    char *why, size_t len)
{
	size_t i, n = (size_t)want->cols * want->rows;
	char w[128], g[128];

	if (want->cols != got->cols || want->rows != got->rows) {
		snprintf(why, len, "size %ux%u, want %ux%u", got->cols,
		    got->rows, want->cols, want->rows);
		return;
	}
	for (i = 0; i < n; i++)
		if (memcmp(&want->cells[i], &got->cells[i],
		    sizeof(want->cells[i])) != 0)
			break;
	if (i < n) {
		describe_cell(&want->cells[i], w, sizeof(w));
		describe_cell(&got->cells[i], g, sizeof(g));
		snprintf(why, len, "row %zu col %zu: %s, want %s",
		    i / want->cols, i % want->cols, g, w);
		return;
	}
	snprintf(why, len, "cursor %u,%u shape %u modes %#" PRIx32
	    " mouse %u/%u title \"%.40s\" icon \"%.40s\", want cursor "
	    "%u,%u shape %u modes %#" PRIx32 " mouse %u/%u title \"%.40s\" "
	    "icon \"%.40s\"", got->cursor_x, got->cursor_y, got->cursor_shape,
	    got->modes, got->mouse, got->mouse_enc, got->title, got->icon,
	    want->cursor_x, want->cursor_y, want->cursor_shape, want->modes,
	    want->mouse, want->mouse_enc, want->title, want->icon);
}

/* Feed from -> to through term_diff to t and require t to show to. */
static int
apply_diff(struct term *t, const struct term_state *from,
    const struct term_state *to, struct buf *out, char *why, size_t len)
{
	struct term_state got;
	int r, equal;

	buf_reset(out);
	if ((r = term_diff(from, to, out)) != 0) {
		snprintf(why, len, "term_diff: %s", mp_strerror(r));
		return -1;
	}
	term_write(t, buf_ptr(out), buf_len(out));
	if ((r = term_snapshot(t, &got)) != 0)
		die("term_snapshot", r);
	got.bells = to->bells;
	if (!(equal = term_state_equal(&got, to)))
		explain(to, &got, why, len);
	term_state_free(&got);
	return equal ? 0 : -1;
}

static void
diff_check_step(struct diff_check *dc, const struct term *t)
{
	struct term_state now;
	char why[512];
	int r;

	if (dc->failed)
		return;
	if ((r = term_snapshot(t, &now)) != 0)
		die("term_snapshot", r);
	if (apply_diff(dc->mirror, &dc->last, &now, dc->out, why,
	    sizeof(why)) != 0) {
		fprintf(stderr, "vtreplay: diff-check: step %zu (input bytes "
		    "0-%zu): %s\n", dc->steps + 1, dc->offset, why);
		dc->failed = 1;
		term_state_free(&now);
		return;
	}
	dc->steps++;
	dc->bytes += buf_len(dc->out);
	term_state_free(&dc->last);
	dc->last = now;
}

/* A terminal in a state no diff should rely on. */
static const char disorder[] =
	"\033[?1049h\033[5;10r\033[?6h\033[?7l\033[1;4;7;38;5;196;48;2;1;2;3m"
	"\033(0qqq\033[?1h\033=\033[?2004h\033[?1003h\033[?1006h\033[?25l"
	"\033]2;junk\007\033[4h\033[3 q\033[?5hxyz\033[10;10Hmess";

static int
diff_check_repaint(struct diff_check *dc, uint16_t cols, uint16_t rows)
{
	struct term *fresh;
	char why[512];
	int r;

	if ((fresh = term_new(cols, rows, NULL, NULL)) == NULL)
		die("term_new", MP_ERR_ALLOC);
	term_write(fresh, (const uint8_t *)disorder, sizeof(disorder) - 1);
	r = apply_diff(fresh, NULL, &dc->last, dc->out, why, sizeof(why));
	term_free(fresh);
	if (r != 0) {
		fprintf(stderr, "vtreplay: diff-check: repaint from NULL: %s\n",
		    why);
		return -1;
	}
	fprintf(stderr, "vtreplay: diff-check ok: %zu steps, %zu diff "
	    "bytes, full repaint %zu bytes\n", dc->steps, dc->bytes,
	    buf_len(dc->out));
	return 0;
}

/* ---- main --------------------------------------------------------------- */

static void
replay(struct term *t, const struct input *in, size_t chunk,
    struct diff_check *dc)
{
	size_t off, n;

	if (chunk == 0)
		chunk = in->len;
	for (off = 0; off < in->len; off += n) {
		n = in->len - off < chunk ? in->len - off : chunk;
		term_write(t, in->p + off, n);
		if (dc != NULL) {
			dc->offset = off + n - 1;
			diff_check_step(dc, t);
		}
	}
}

int
main(int argc, char **argv)
{
	struct options o;
	struct input in;
	struct term *t;
	struct term_state s;
	struct diff_check dc;
	int r, status = 0;

	parse_args(argc, argv, &o);
	read_input(o.path, o.limit, &in);
	if ((t = term_new(o.cols, o.rows, NULL, NULL)) == NULL)
		die("term_new", MP_ERR_ALLOC);
	memset(&dc, 0, sizeof(dc));
	if (o.diff_check) {
		if ((dc.mirror = term_new(o.cols, o.rows, NULL, NULL)) == NULL ||
		    (dc.out = buf_new(BUF_SIZE_MAX)) == NULL)
			die("diff-check", MP_ERR_ALLOC);
		if ((r = term_snapshot(dc.mirror, &dc.last)) != 0)
			die("term_snapshot", r);
	}
	replay(t, &in, o.chunk, o.diff_check ? &dc : NULL);
	if ((r = term_snapshot(t, &s)) != 0)
		die("term_snapshot", r);
	print_text(&s, stdout);
	if (o.attrs)
		print_attrs(&s, o.clip, stdout);
	if (o.diff_check) {
		if (dc.failed || diff_check_repaint(&dc, o.cols, o.rows) != 0)
			status = 2;
		term_state_free(&dc.last);
		buf_free(dc.out);
		term_free(dc.mirror);
	}
	term_state_free(&s);
	term_free(t);
	free(in.p);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "vtreplay: write: %s\n", strerror(errno));
		return 1;
	}
	return status;
}

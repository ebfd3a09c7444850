/* test_term_vterm.c: differential test of the emulator against libvterm: every recording of regress/term-corpus replayed through both and compared cell by cell at each of its pauses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <vterm.h>

#include "common/term/term.h"

/*
 * The corpus directory is regress/term-corpus from the top of the tree
 * (where make runs the tests), or $MP_TERM_CORPUS. Every NAME.vt there
 * must be in corpus[] below, with its NAME.cuts: the byte offsets where
 * the program paused (record.sh). At each one the text of every cell,
 * its colours and attributes (those libvterm has: bold, italic,
 * underline, blink, reverse, strike), the cursor position and
 * visibility, the alternate screen and the title must agree.
 */
#define COLS		80
#define ROWS		24
#define REPORT_MAX	20	/* mismatches printed per recording */

static const char *corpus[] = {
	"vim", "less", "man", "top", "htop", "shell", "wide", "vttest",
};
#define NCORPUS		(sizeof(corpus) / sizeof(corpus[0]))

/*
 * Differences where libvterm 0.1.4 is the one that is wrong, or does
 * what term.h deliberately does not (regress/term-corpus/README.md): a
 * mismatch of that field in that recording, at that pause (0: any), in
 * rows row_lo-row_hi and columns col_lo-col_hi, is expected. Every entry
 * must still be seen, so the table stays true.
 */
struct known {
	const char *file;
	size_t cut;
	int row_lo, row_hi, col_lo, col_hi;
	const char *field;	/* text fg bg attrs cursor visible alt title */
	const char *reason;
};

static const struct known known[] = {
	{ "wide", 681, 11, 11, 14, 14, "text",
	    "X over the left half of a wide character: libvterm leaves the "
	    "right half behind as a continuation with no left half; xterm "
	    "erases it" },
	{ "wide", 681, 12, 12, 2, 2, "text",
	    "Y over the right half of a wide character: libvterm keeps the "
	    "left half, now overlapping Y; xterm erases it" },
	{ "vttest", 35877, 11, 15, 16, 68, "text",
	    "DECRC: libvterm does not restore the G0 designation (DEC "
	    "special graphics) saved by DECSC; the VT100 and xterm do, and "
	    "vttest asks for ten characters of each flavour" },
	{ "vttest", 53710, 0, 23, 0, 79, "text",
	    "DECDWL (ESC # 6): libvterm draws double-width lines, 40 "
	    "characters wide; term.h, like tmux and mosh, has no "
	    "double-width lines and ignores it" },
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL },
};

/* ---- reading the corpus ------------------------------------------------ */

static char *
corpus_path(const char *name, const char *ext)
{
	const char *dir = getenv("MP_TERM_CORPUS");
	char *p;

	if (dir == NULL)
		dir = "regress/term-corpus";
	assert_true(asprintf(&p, "%s/%s%s", dir, name, ext) > 0);
	return p;
}

static uint8_t *
slurp(const char *name, const char *ext, size_t *len)
{
	char *path = corpus_path(name, ext);
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) >= 0);
	rewind(f);
	assert_non_null(p = malloc((size_t)n + 1));
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	free(path);
	*len = (size_t)n;
	return p;
}

/* The pauses: increasing offsets, the last one the end of the stream. */
static size_t *
read_cuts(const char *name, size_t stream_len, size_t *n)
{
	size_t len, cap = 16, i = 0;
	char *text = (char *)slurp(name, ".cuts", &len), *s, *end;
	size_t *cuts = malloc(cap * sizeof(*cuts));
	unsigned long long v;

	assert_non_null(cuts);
	for (s = text; *s != '\0'; s = end + 1) {
		v = strtoull(s, &end, 10);
		if (end == s || *end != '\n' || v > stream_len ||
		    (i > 0 && v <= cuts[i - 1]))
			fail_msg("%s.cuts: bad line %zu", name, i + 1);
		if (i == cap)
			assert_non_null(cuts = realloc(cuts,
			    (cap *= 2) * sizeof(*cuts)));
		cuts[i++] = (size_t)v;
	}
	if (i == 0 || cuts[i - 1] != stream_len)
		fail_msg("%s.cuts: does not end at the end of %s.vt", name, name);
	free(text);
	*n = i;
	return cuts;
}

/* ---- libvterm ----------------------------------------------------------- */

struct oracle {
	VTerm *vt;
	VTermScreen *screen;
	int visible, alt;
	char title[TERM_TITLE_MAX + 1];
};

static void
discard_output(const char *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	(void)arg;
}

static int
oracle_prop(VTermProp prop, VTermValue *val, void *arg)
{
	struct oracle *o = arg;

	switch (prop) {
	case VTERM_PROP_CURSORVISIBLE:
		o->visible = val->boolean;
		break;
	case VTERM_PROP_ALTSCREEN:
		o->alt = val->boolean;
		break;
	case VTERM_PROP_TITLE:
		snprintf(o->title, sizeof(o->title), "%s", val->string);
		break;
	default:
		break;
	}
	return 1;
}

static const VTermScreenCallbacks oracle_callbacks = {
	.settermprop = oracle_prop,
};

static void
oracle_open(struct oracle *o)
{
	memset(o, 0, sizeof(*o));
	o->visible = 1;
	assert_non_null(o->vt = vterm_new(ROWS, COLS));
	vterm_set_utf8(o->vt, 1);
	vterm_output_set_callback(o->vt, discard_output, NULL);
	o->screen = vterm_obtain_screen(o->vt);
	vterm_screen_set_callbacks(o->screen, &oracle_callbacks, o);
	vterm_screen_enable_altscreen(o->screen, 1);
	vterm_screen_reset(o->screen, 1);
}

/* ---- comparing ------------------------------------------------------------ */

enum field { TEXT, FG, BG, ATTRS, CURSOR, VISIBLE, ALT, TITLE, NFIELDS };
static const char *field_names[NFIELDS] = {
	"text", "fg", "bg", "attrs", "cursor", "visible", "alt", "title",
};

/* Mismatches of one field in neighbouring cells of a row, reported once. */
struct group {
	int active;
	int row, col_lo, col_hi;
	char want[64], got[64];
};

struct run {
	const char *file;
	size_t cut;
	struct term_state s;
	struct oracle o;
	int unexpected, reported;
	struct group pending[NFIELDS];
	int known_seen[sizeof(known) / sizeof(known[0])];
};

static const struct known *
find_known(struct run *r, int row, int col, enum field f)
{
	size_t i;

	for (i = 0; known[i].file != NULL; i++) {
		if (strcmp(known[i].file, r->file) != 0 ||
		    strcmp(known[i].field, field_names[f]) != 0 ||
		    (known[i].cut != 0 && known[i].cut != r->cut) ||
		    row < known[i].row_lo || row > known[i].row_hi ||
		    col < known[i].col_lo || col > known[i].col_hi)
			continue;
		r->known_seen[i] = 1;
		return &known[i];
	}
	return NULL;
}

static void
flush(struct run *r, enum field f)
{
	struct group *g = &r->pending[f];

	if (!g->active)
		return;
	if (r->reported++ < REPORT_MAX)
		print_message("%s: after byte %zu: row %d col %d-%d: %s: "
		    "libvterm %s, term %s\n", r->file, r->cut, g->row,
		    g->col_lo, g->col_hi, field_names[f], g->want, g->got);
	g->active = 0;
}

static void
flush_all(struct run *r)
{
	int f;

	for (f = 0; f < NFIELDS; f++)
		flush(r, f);
}

/* A difference not in known[]: extends the group of its field or starts
 * a new one (row and col -1: not a cell). */
static void
mismatch(struct run *r, int row, int col, enum field f, const char *want,
    const char *got)
{
	struct group *g = &r->pending[f];

	if (find_known(r, row, col, f) != NULL)
		return;
	r->unexpected++;
	if (g->active && g->row == row && g->col_hi + 1 == col &&
	    strcmp(g->want, want) == 0 && strcmp(g->got, got) == 0) {
		g->col_hi = col;
		return;
	}
	flush(r, f);
	g->active = 1;
	g->row = row;
	g->col_lo = g->col_hi = col;
	snprintf(g->want, sizeof(g->want), "%s", want);
	snprintf(g->got, sizeof(g->got), "%s", got);
}

static void
text_of(uint32_t ch, const uint32_t *comb, size_t ncomb, char *out,
    size_t len)
{
	size_t i, n;

	if (ch == 0)
		ch = ' ';
	n = (size_t)snprintf(out, len, "U+%04X", ch);
	for (i = 0; i < ncomb && comb[i] != 0 && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "+U+%04X", comb[i]);
}

static void
compare_text(struct run *r, int row, int col, const struct term_cell *c,
    const VTermScreenCell *v)
{
	uint32_t vcomb[TERM_COMBINING_MAX] = { 0 };
	char want[64], got[64];
	size_t i;

	/* libvterm ends the characters with a 0 unless all six are used. */
	for (i = 0; i < TERM_COMBINING_MAX; i++) {
		if (v->chars[i] == 0 || v->chars[i] == TERM_CH_WIDE_CONT)
			break;
		vcomb[i] = v->chars[i + 1];
	}
	text_of(v->chars[0], vcomb, TERM_COMBINING_MAX, want, sizeof(want));
	text_of(c->ch, c->comb, TERM_COMBINING_MAX, got, sizeof(got));
	if (strcmp(want, got) != 0)
		mismatch(r, row, col, TEXT, want, got);
}

/* libvterm's colour in term.h's encoding. */
static uint32_t
vterm_color(const VTermColor *c, int is_bg)
{
	if (is_bg ? VTERM_COLOR_IS_DEFAULT_BG(c) : VTERM_COLOR_IS_DEFAULT_FG(c))
		return TERM_COLOR_DEFAULT;
	if (VTERM_COLOR_IS_INDEXED(c))
		return TERM_COLOR_INDEX(c->indexed.idx);
	return TERM_COLOR_RGB(c->rgb.red, c->rgb.green, c->rgb.blue);
}

static void
compare_color(struct run *r, int row, int col, enum field field,
    uint32_t want, uint32_t got)
{
	char w[16], g[16];

	if (want == got)
		return;
	snprintf(w, sizeof(w), "%08x", want);
	snprintf(g, sizeof(g), "%08x", got);
	mismatch(r, row, col, field, w, g);
}

/* The attributes both have, as a bit set in term.h's encoding. */
static unsigned
vterm_attrs(const VTermScreenCell *v, int global_reverse)
{
	unsigned a = 0;

	a |= v->attrs.bold ? TERM_ATTR_BOLD : 0;
	a |= v->attrs.italic ? TERM_ATTR_ITALIC : 0;
	a |= v->attrs.blink ? TERM_ATTR_BLINK : 0;
	a |= v->attrs.strike ? TERM_ATTR_STRIKE : 0;
	/* libvterm flips every cell's reverse under DECSCNM. */
	a |= (v->attrs.reverse ^ global_reverse) ? TERM_ATTR_INVERSE : 0;
	a |= (unsigned)v->attrs.underline << TERM_ATTR_UL_SHIFT;
	return a;
}

static void
compare_attrs(struct run *r, int row, int col, const struct term_cell *c,
    const VTermScreenCell *v)
{
	unsigned mask = TERM_ATTR_BOLD | TERM_ATTR_ITALIC | TERM_ATTR_BLINK |
	    TERM_ATTR_STRIKE | TERM_ATTR_INVERSE | TERM_ATTR_UL_MASK;
	unsigned want = vterm_attrs(v, !!(r->s.modes & TERM_MODE_REVERSE));
	char w[16], g[16];

	if (want == (c->attrs & mask))
		return;
	snprintf(w, sizeof(w), "%#x", want);
	snprintf(g, sizeof(g), "%#x", c->attrs & mask);
	mismatch(r, row, col, ATTRS, w, g);
}

static void
compare_cell(struct run *r, int row, int col)
{
	const struct term_cell *c = &r->s.cells[row * COLS + col];
	VTermScreenCell v;

	assert_int_equal(vterm_screen_get_cell(r->o.screen,
	    (VTermPos){ .row = row, .col = col }, &v), 1);
	compare_text(r, row, col, c, &v);
	/* libvterm leaves the right half of a wide character in the colours
	 * it had before; only the left half carries them. */
	if (c->ch == TERM_CH_WIDE_CONT)
		return;
	compare_color(r, row, col, BG, vterm_color(&v.bg, 1), c->bg);
	/* libvterm erases with its whole pen; xterm, tmux and term.h keep
	 * only the background colour in an erased cell. */
	if (c->ch == 0 && v.chars[0] == 0)
		return;
	compare_color(r, row, col, FG, vterm_color(&v.fg, 0), c->fg);
	compare_attrs(r, row, col, c, &v);
}

static void
compare_flag(struct run *r, enum field field, int want, int got)
{
	char w[4], g[4];

	if (!want == !got)
		return;
	snprintf(w, sizeof(w), "%d", !!want);
	snprintf(g, sizeof(g), "%d", !!got);
	mismatch(r, -1, -1, field, w, g);
}

static void
compare_screen(struct run *r)
{
	VTermPos pos;
	char w[16], g[16];
	int row, col;

	for (row = 0; row < ROWS; row++)
		for (col = 0; col < COLS; col++)
			compare_cell(r, row, col);
	vterm_state_get_cursorpos(vterm_obtain_state(r->o.vt), &pos);
	if (pos.col != r->s.cursor_x || pos.row != r->s.cursor_y) {
		snprintf(w, sizeof(w), "%d,%d", pos.col, pos.row);
		snprintf(g, sizeof(g), "%u,%u", r->s.cursor_x, r->s.cursor_y);
		mismatch(r, -1, -1, CURSOR, w, g);
	}
	compare_flag(r, VISIBLE, r->o.visible,
	    r->s.modes & TERM_MODE_CURSOR_SHOWN);
	compare_flag(r, ALT, r->o.alt, r->s.modes & TERM_MODE_ALTSCREEN);
	if (strcmp(r->o.title, r->s.title) != 0)
		mismatch(r, -1, -1, TITLE, r->o.title, r->s.title);
	flush_all(r);
}

/* ---- the tests --------------------------------------------------------------- */

/* Feed both the stream up to each cut and compare there. */
static void
replay(struct run *r, const uint8_t *p, const size_t *cuts, size_t ncuts)
{
	struct term *t;
	size_t i, off = 0;

	assert_non_null(t = term_new(COLS, ROWS, NULL, NULL));
	oracle_open(&r->o);
	for (i = 0; i < ncuts; i++) {
		term_write(t, p + off, cuts[i] - off);
		assert_int_equal(vterm_input_write(r->o.vt, (const char *)p + off,
		    cuts[i] - off), cuts[i] - off);
		off = r->cut = cuts[i];
		assert_int_equal(term_snapshot(t, &r->s), 0);
		compare_screen(r);
		term_state_free(&r->s);
	}
	vterm_free(r->o.vt);
	term_free(t);
}

static void
check_known_seen(const struct run *r)
{
	size_t i;

	for (i = 0; known[i].file != NULL; i++)
		if (strcmp(known[i].file, r->file) == 0 && !r->known_seen[i])
			fail_msg("%s: known difference no longer seen: %s "
			    "(%s)", r->file, known[i].field, known[i].reason);
}

static void
test_recording(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	size_t len, ncuts, *cuts;
	uint8_t *p;

	assert_non_null(r);
	r->file = *state;
	p = slurp(r->file, ".vt", &len);
	cuts = read_cuts(r->file, len, &ncuts);
	replay(r, p, cuts, ncuts);
	if (r->unexpected > 0)
		fail_msg("%s: %d differences from libvterm", r->file,
		    r->unexpected);
	check_known_seen(r);
	free(cuts);
	free(p);
	free(r);
}

/* The comparison itself notices a difference of one cell. */
static void
test_detects_difference(void **state)
{
	struct run r;
	struct term *t;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.file = "(self-test)";
	assert_non_null(t = term_new(COLS, ROWS, NULL, NULL));
	oracle_open(&r.o);
	term_write(t, (const uint8_t *)"abc", 3);
	vterm_input_write(r.o.vt, "abd", 3);
	assert_int_equal(term_snapshot(t, &r.s), 0);
	compare_screen(&r);
	assert_int_equal(r.unexpected, 1);
	term_state_free(&r.s);
	vterm_free(r.o.vt);
	term_free(t);
}

/* Every recording in the directory is in corpus[]. */
static void
test_corpus_listed(void **state)
{
	char *dir = corpus_path("", "");
	struct dirent *e;
	size_t i, n;
	DIR *d;

	(void)state;
	if ((d = opendir(dir)) == NULL)
		fail_msg("cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 3, ".vt") != 0)
			continue;
		for (i = 0; i < NCORPUS; i++)
			if (strlen(corpus[i]) == n - 3 &&
			    strncmp(corpus[i], e->d_name, n - 3) == 0)
				break;
		if (i == NCORPUS)
			fail_msg("%s is not in corpus[]", e->d_name);
	}
	closedir(d);
	free(dir);
}

int
main(void)
{
	struct CMUnitTest tests[NCORPUS + 2];
	size_t i;

	for (i = 0; i < NCORPUS; i++)
		tests[i] = (struct CMUnitTest){ .name = corpus[i],
		    .test_func = test_recording,
		    .initial_state = (void *)(uintptr_t)corpus[i] };
	tests[NCORPUS] = (struct CMUnitTest)
	    cmocka_unit_test(test_detects_difference);
	tests[NCORPUS + 1] = (struct CMUnitTest)
	    cmocka_unit_test(test_corpus_listed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

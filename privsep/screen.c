/* screen.c: the session's screen in mps-net: the emulator fed with the PTY's output, its replies to the program, and the lines that scrolled off for the client's scrollback. */
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "privsep/screen.h"

struct screen {
	struct term *term;
	uint64_t version;
	uint8_t reply[SCREEN_REPLY_MAX];
	size_t reply_len;
	struct screen_line *ring;	/* lines_max slots */
	uint32_t lines_max;
	uint64_t first, end;		/* line numbers kept: [first, end) */
};

/* A reply that does not fit is dropped whole: a program flooding the
 * terminal with queries while not reading gets no partial answers. */
static void
on_reply(void *arg, const uint8_t *p, size_t len)
{
	struct screen *s = arg;

	if (len > sizeof(s->reply) - s->reply_len)
		return;
	memcpy(s->reply + s->reply_len, p, len);
	s->reply_len += len;
}

static void
line_clear(struct screen_line *l)
{
	free(l->cells);
	l->cells = NULL;
	l->cols = 0;
}

static void
on_scrollback(void *arg, const struct term_cell *row, uint16_t cols,
    int wrapped)
{
	struct screen *s = arg;
	struct screen_line *l;

	(void)wrapped;
	if (s->lines_max == 0)
		return;
	if (s->end - s->first == s->lines_max)
		line_clear(&s->ring[s->first++ % s->lines_max]);
	l = &s->ring[s->end % s->lines_max];
	if ((l->cells = malloc((size_t)cols * sizeof(*row))) == NULL)
		return;		/* the line is lost; the screen stays right */
	memcpy(l->cells, row, (size_t)cols * sizeof(*row));
	l->cols = cols;
	s->end++;
}

struct screen *
screen_new(uint16_t cols, uint16_t rows, uint32_t lines_max)
{
	static const struct term_callbacks cb = { on_reply, on_scrollback,
	    NULL };
	struct screen *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->lines_max = lines_max < SCREEN_LINES_MAX ? lines_max :
	    SCREEN_LINES_MAX;
	if ((s->lines_max > 0 &&
	    (s->ring = calloc(s->lines_max, sizeof(*s->ring))) == NULL) ||
	    (s->term = term_new(cols, rows, &cb, s)) == NULL) {
		screen_free(s);
		return NULL;
	}
	return s;
}

void
screen_free(struct screen *s)
{
	if (s == NULL)
		return;
	screen_lines_release(s, s->end);
	term_free(s->term);
	free(s->ring);
	free(s);
}

void
screen_write(struct screen *s, const uint8_t *p, size_t len)
{
	term_write(s->term, p, len);
	s->version++;
}

int
screen_resize(struct screen *s, uint16_t cols, uint16_t rows,
    uint16_t xpixel, uint16_t ypixel)
{
	int r;

	if ((r = term_resize(s->term, cols, rows)) != 0)
		return r;
	term_set_pixel_size(s->term, xpixel, ypixel);
	s->version++;
	return 0;
}

uint64_t
screen_version(const struct screen *s)
{
	return s->version;
}

int
screen_snapshot(const struct screen *s, struct term_state *out)
{
	return term_snapshot(s->term, out);
}

int
screen_snapshot_primary(const struct screen *s, struct term_state *out)
{
	return term_snapshot_primary(s->term, out);
}

size_t
screen_replies(const struct screen *s, const uint8_t **p)
{
	*p = s->reply;
	return s->reply_len;
}

void
screen_replies_taken(struct screen *s, size_t n)
{
	if (n > s->reply_len)
		n = s->reply_len;
	memmove(s->reply, s->reply + n, s->reply_len - n);
	s->reply_len -= n;
}

uint64_t
screen_lines_first(const struct screen *s)
{
	return s->first;
}

uint64_t
screen_lines_end(const struct screen *s)
{
	return s->end;
}

const struct screen_line *
screen_line(const struct screen *s, uint64_t n)
{
	const struct screen_line *l;

	if (n < s->first || n >= s->end)
		return NULL;
	l = &s->ring[n % s->lines_max];
	return l->cells != NULL ? l : NULL;
}

void
screen_lines_release(struct screen *s, uint64_t n)
{
	while (s->first < n && s->first < s->end)
		line_clear(&s->ring[s->first++ % s->lines_max]);
}

/* escape.c: the escape key as a pure function over typed bytes: at the start of a line, ESCAPE '.' disconnects and ESCAPE ESCAPE sends one ESCAPE. */
#include <stdio.h>

#include "client/client.h"

void
escape_init(struct escape *e, int key)
{
	e->key = key;
	e->line_start = 1;	/* the session start counts as a line start */
	e->pending = 0;
}

/* Pass one ordinary byte through, noting whether it ends a line. */
static void
put_byte(struct escape *e, uint8_t c, uint8_t *out, size_t *n)
{
	out[(*n)++] = c;
	e->line_start = c == '\r' || c == '\n';
}

int
escape_filter(struct escape *e, const uint8_t *in, size_t len, uint8_t *out,
    size_t *out_len)
{
	size_t i, n = 0;
	uint8_t c;

	for (i = 0; i < len; i++) {
		c = in[i];
		if (e->pending) {
			e->pending = 0;
			if (c == '.') {
				*out_len = n;
				return ESCAPE_DISCONNECT;
			}
			out[n++] = (uint8_t)e->key;
			e->line_start = 0;
			if (c == e->key)
				continue;	/* ESCAPE ESCAPE: one ESCAPE */
		} else if (e->key >= 0 && c == e->key && e->line_start) {
			e->pending = 1;
			continue;
		}
		put_byte(e, c, out, &n);
	}
	*out_len = n;
	return ESCAPE_CONTINUE;
}

void
escape_key_name(int key, char *buf, size_t size)
{
	if (key < 0)
		snprintf(buf, size, "none");
	else if (key < 0x20 || key == 0x7f)
		snprintf(buf, size, "ctrl-%c", key ^ 0x40);
	else if (key > 0x7f)
		snprintf(buf, size, "0x%02x", (unsigned int)key);
	else
		snprintf(buf, size, "%c", key);
}

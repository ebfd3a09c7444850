/* tabs.c: tab stops (HT, HTS, TBC, CHT, CBT), by default every 8 columns. */
#include <stdint.h>
#include <string.h>

#include "common/term/screen.h"

static int
is_stop(const struct term *t, unsigned int x)
{
	return t->tabs[x / 8] >> (x % 8) & 1;
}

/* Default stops (every 8 columns) from column from on. */
void
term_tabs_reset(struct term *t, unsigned int from)
{
	unsigned int x;

	for (x = from; x < TERM_COLS_MAX; x++) {
		if (x % 8 == 0)
			t->tabs[x / 8] |= (uint8_t)(1u << (x % 8));
		else
			t->tabs[x / 8] &= (uint8_t)~(1u << (x % 8));
	}
}

void
term_tab_set(struct term *t)
{
	t->tabs[t->cur.x / 8] |= (uint8_t)(1u << (t->cur.x % 8));
}

/* TBC: 0 the stop at the cursor, 3 all of them. */
void
term_tab_clear(struct term *t, unsigned int how)
{
	if (how == 0)
		t->tabs[t->cur.x / 8] &= (uint8_t)~(1u << (t->cur.x % 8));
	else if (how == 3)
		memset(t->tabs, 0, sizeof(t->tabs));
}

/* To the n-th next stop, or the last column. */
void
term_tab_forward(struct term *t, unsigned int n)
{
	unsigned int x = t->cur.x;

	while (n-- > 0 && x + 1u < t->cols) {
		for (x++; x + 1u < t->cols && !is_stop(t, x); x++)
			;
	}
	t->cur.x = (uint16_t)x;
	t->wrapnext = 0;
}

/* To the n-th previous stop, or the first column. */
void
term_tab_back(struct term *t, unsigned int n)
{
	unsigned int x = t->cur.x;

	while (n-- > 0 && x > 0) {
		for (x--; x > 0 && !is_stop(t, x); x--)
			;
	}
	t->cur.x = (uint16_t)x;
	t->wrapnext = 0;
}

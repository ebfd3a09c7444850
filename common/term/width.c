/* width.c: binary search of the generated Unicode width table. */
#include <stddef.h>
#include <stdint.h>

#include "common/term/width.h"
#include "common/term/width_table.h"

const char *
term_unicode_version(void)
{
	return TERM_UNICODE_VERSION;
}

unsigned int
term_wprops(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(term_wtab) / sizeof(term_wtab[0]), mid;

	/* The two big blocks of wide characters first: CJK and Hangul. */
	if (cp >= 0x4e00 && cp <= 0x9fff)
		return 2;
	if (cp >= 0xac00 && cp <= 0xd7a3)
		return 2;
	if (cp < term_wtab[0].lo || cp > term_wtab[hi - 1].hi)
		return 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < term_wtab[mid].lo)
			hi = mid;
		else if (cp > term_wtab[mid].hi)
			lo = mid + 1;
		else
			return term_wtab[mid].props;
	}
	return 1;
}

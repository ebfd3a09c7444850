/* reply.c: answers to device queries (DA, DSR, XTVERSION, window size) and the OSC strings (titles, clipboard). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/term/screen.h"
#include "common/term/utf8.h"

#define TERM_VERSION	"moshpit 0.1"

void
term_reply(struct term *t, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	if (t->cb.reply == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(buf))
		t->cb.reply(t->arg, (const uint8_t *)buf, (size_t)n);
}

/* DSR 5 (status) and 6 (CPR, relative to the region in origin mode). */
static void
status_report(struct term *t, const struct term_parser *p)
{
	unsigned int y = t->cur.y;
	const char *q = p->prefix == '?' ? "?" : "";

	if (p->nparam != 1)
		return;
	if (t->flags & TF_ORIGIN)
		y -= t->top;
	if (p->param[0] == 5 && p->prefix == 0)
		term_reply(t, "\033[0n");
	else if (p->param[0] == 6)
		term_reply(t, "\033[%s%u;%uR", q, y + 1, t->cur.x + 1u);
}

/* CSI t: reports of the text area in characters, and in pixels when
 * the owner told us the size. */
static void
window_report(struct term *t, const struct term_parser *p)
{
	switch (tp_arg(p, 0, 0)) {
	case 14:
		if (t->px_w != 0 && t->px_h != 0)
			term_reply(t, "\033[4;%u;%ut", t->px_h, t->px_w);
		break;
	case 16:
		if (t->px_w != 0 && t->px_h != 0)
			term_reply(t, "\033[6;%u;%ut", t->px_h / t->rows,
			    t->px_w / t->cols);
		break;
	case 18:
		term_reply(t, "\033[8;%u;%ut", t->rows, t->cols);
		break;
	case 19:
		term_reply(t, "\033[9;%u;%ut", t->rows, t->cols);
		break;
	default:
		break;
	}
}

/*
 * Queries: DA1 (a VT220 with ANSI colour), DA2 (a VT220, firmware
 * version 10), DSR, XTVERSION and window reports.
 */
void
term_query(struct term *t, const struct term_parser *p, uint32_t final)
{
	switch (p->prefix << 8 | final) {
	case 'c':
		if (tp_arg(p, 0, 0) == 0)
			term_reply(t, TERM_DA1);
		break;
	case '>' << 8 | 'c':
		if (tp_arg(p, 0, 0) == 0)
			term_reply(t, "\033[>1;10;0c");
		break;
	case 'n':
	case '?' << 8 | 'n':
		status_report(t, p);
		break;
	case '>' << 8 | 'q':
		if (tp_arg(p, 0, 0) == 0)
			term_reply(t, "\033P>|" TERM_VERSION "\033\\");
		break;
	case 't':
		window_report(t, p);
		break;
	default:
		break;
	}
}

/* A title without control characters, cut at TERM_TITLE_MAX bytes on a
 * character boundary; s is well-formed UTF-8 (the parser made it). */
static void
set_title(char *dst, const uint8_t *s, size_t len)
{
	size_t i = 0, o = 0, n;
	uint32_t cp;

	while (i < len) {
		cp = s[i];
		n = 1;
		if (cp >= 0x80 && (n = utf8_decode_one(s + i, len - i, &cp)) == 0)
			break;
		if (cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp >= 0xa0)) {
			if (n > TERM_TITLE_MAX - o)
				break;
			memcpy(dst + o, s + i, n);
			o += n;
		}
		i += n;
	}
	dst[o] = '\0';
}

/* OSC 52 ; Pc ; Pd: a clipboard write (queries are not answered). */
static void
clipboard(struct term *t, const uint8_t *s, size_t len)
{
	const uint8_t *semi = memchr(s, ';', len);
	char sel[16];
	size_t n, i;

	if (semi == NULL || t->cb.clipboard == NULL)
		return;
	n = (size_t)(semi - s);
	if (n >= sizeof(sel))
		return;
	for (i = 0; i < n; i++) {
		if (s[i] == '\0' || strchr("cpqs01234567", s[i]) == NULL)
			return;
	}
	if (n == 0)
		memcpy(sel, "s0", 3);
	else {
		memcpy(sel, s, n);
		sel[n] = '\0';
	}
	s = semi + 1;
	len -= n + 1;
	if ((len == 1 && s[0] == '?') || len > TERM_CLIPBOARD_MAX)
		return;
	t->cb.clipboard(t->arg, sel, s, len);
}

void
term_osc(struct term *t, const uint8_t *s, size_t len)
{
	unsigned int num = 0;
	size_t i;

	for (i = 0; i < len && i < 6 && s[i] >= '0' && s[i] <= '9'; i++)
		num = num * 10 + (s[i] - '0');
	if (i == 0 || i >= len || s[i] != ';')
		return;
	s += i + 1;
	len -= i + 1;
	switch (num) {
	case 0:
		set_title(t->title, s, len);
		set_title(t->icon, s, len);
		break;
	case 1:
		set_title(t->icon, s, len);
		break;
	case 2:
		set_title(t->title, s, len);
		break;
	case 52:
		clipboard(t, s, len);
		break;
	default:
		break;
	}
}

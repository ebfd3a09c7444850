/* log.c: leveled logging to syslog, stderr or a parent process's log pipe. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/err.h"
#include "common/io.h"
#include "common/log.h"

/*
 * A forwarded record is: u16 big-endian length n, then n bytes of which the
 * first is the level and the rest the message text (no NUL). 2 <= n <=
 * LOG_LINE_MAX + 1.
 */
#define LOG_RECORD_HDR	2

static const char *log_progname = "moshpit";
static enum log_level log_level = LOG_LEVEL_INFO;
static enum log_target log_target = LOG_TO_STDERR;
static int log_pipe_fd = -1;

void
log_init(const char *progname, enum log_level level, enum log_target target,
    int syslog_facility)
{
	log_progname = progname;
	log_level = level;
	log_target = target;
	if (target == LOG_TO_SYSLOG)
		openlog(progname, LOG_PID | LOG_NDELAY, syslog_facility);
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_forward_fd(int fd)
{
	log_pipe_fd = fd;
	log_target = LOG_TO_PIPE;
}

static int
syslog_priority(enum log_level level)
{
	switch (level) {
	case LOG_LEVEL_FATAL: return LOG_CRIT;
	case LOG_LEVEL_ERROR: return LOG_ERR;
	case LOG_LEVEL_INFO: return LOG_INFO;
	default: return LOG_DEBUG;
	}
}

/* Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0
 * if the bytes there are not shortest-form UTF-8 of a scalar value. */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t len, i;
	uint32_t c = s[0];

	if (c < 0x80)
		len = 1;
	else if (c >= 0xc2 && c <= 0xdf)
		len = 2, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, c &= 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

/* Controls (C0, DEL, C1) and bidirectional overrides, which could forge
 * or disguise log lines on a terminal. */
static int
unsafe_code_point(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x200e ||
	    c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/* Replace each unsafe character or invalid byte with '?', in place, so a
 * hostile string (a user name, a child's record) cannot forge lines. */
static void
sanitise(char *line)
{
	unsigned char *in = (unsigned char *)line, *out = in;
	uint32_t cp;
	size_t n;

	while (*in != '\0') {
		n = utf8_decode(in, &cp);
		if (n == 0 || unsafe_code_point(cp)) {
			*out++ = '?';
			in += n == 0 ? 1 : n;
			continue;
		}
		memmove(out, in, n);
		out += n;
		in += n;
	}
	*out = '\0';
}

static void
emit(enum log_level level, const char *msg)
{
	unsigned char rec[LOG_RECORD_HDR + 1 + LOG_LINE_MAX];
	size_t n;

	switch (log_target) {
	case LOG_TO_SYSLOG:
		syslog(syslog_priority(level), "%s", msg);
		break;
	case LOG_TO_PIPE:
		n = strnlen(msg, LOG_LINE_MAX);
		rec[0] = (unsigned char)((n + 1) >> 8);
		rec[1] = (unsigned char)(n + 1);
		rec[2] = (unsigned char)level;
		memcpy(rec + 3, msg, n);
		(void)io_write_all(log_pipe_fd, rec, LOG_RECORD_HDR + 1 + n);
		break;
	case LOG_TO_STDERR:
		fprintf(stderr, "%s: %s\n", log_progname, msg);
		break;
	}
}

void
mp_logv(enum log_level level, const char *func, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int saved_errno = errno, n = 0;

	if (level > log_level || log_level == LOG_LEVEL_QUIET)
		return;
	if (level >= LOG_LEVEL_DEBUG && func != NULL)
		n = snprintf(line, sizeof(line), "%s: ", func);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	sanitise(line);
	emit(level, line);
	errno = saved_errno;
}

void
mp_log(enum log_level level, const char *func, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mp_logv(level, func, fmt, ap);
	va_end(ap);
}

void
mp_fatal(const char *func, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mp_logv(LOG_LEVEL_FATAL, func, fmt, ap);
	va_end(ap);
	exit(255);
}

int
log_forward_record(const unsigned char *data, unsigned long len,
    const char *tag)
{
	char msg[LOG_LINE_MAX + 1];
	size_t n;
	unsigned level;

	if (len < LOG_RECORD_HDR)
		return 0;
	n = (size_t)data[0] << 8 | data[1];
	if (n < 1 || n > LOG_LINE_MAX + 1)
		return MP_ERR_INVALID_FORMAT;
	if (len < LOG_RECORD_HDR + n)
		return 0;
	level = data[2];
	if (level < LOG_LEVEL_FATAL || level > LOG_LEVEL_DEBUG2)
		return MP_ERR_INVALID_FORMAT;
	memcpy(msg, data + 3, n - 1);
	msg[n - 1] = '\0';
	/* The child is not trusted: its fatal is the parent's error. */
	if (level == LOG_LEVEL_FATAL)
		level = LOG_LEVEL_ERROR;
	mp_log((enum log_level)level, NULL, "%s: %s", tag, msg);
	return (int)(LOG_RECORD_HDR + n);
}

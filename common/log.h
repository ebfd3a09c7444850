/* log.h: leveled logging to syslog or stderr, and forwarding of a child's log lines over a pipe. */
#ifndef MP_LOG_H
#define MP_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_QUIET = 0,	/* nothing, not even errors (-q) */
	LOG_LEVEL_FATAL,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_INFO,		/* the default */
	LOG_LEVEL_VERBOSE,	/* -v */
	LOG_LEVEL_DEBUG,	/* -vv */
	LOG_LEVEL_DEBUG2,	/* -vvv */
};

enum log_target {
	LOG_TO_STDERR,
	LOG_TO_SYSLOG,		/* facility given to log_init() */
	LOG_TO_PIPE,		/* records to a parent, see log_forward_fd() */
};

#define LOG_LINE_MAX	1024	/* longer messages are truncated */

/* progname prefixes stderr lines and is the syslog ident. */
void log_init(const char *progname, enum log_level level,
    enum log_target target, int syslog_facility);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Send every later line to fd as a record (a child's log pipe). */
void log_forward_fd(int fd);

void mp_log(enum log_level level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mp_logv(enum log_level level, const char *func, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));
/* Log at LOG_LEVEL_FATAL and exit(255). */
void mp_fatal(const char *func, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#define log_error(...)		mp_log(LOG_LEVEL_ERROR, __func__, __VA_ARGS__)
#define log_info(...)		mp_log(LOG_LEVEL_INFO, __func__, __VA_ARGS__)
#define log_verbose(...)	mp_log(LOG_LEVEL_VERBOSE, __func__, __VA_ARGS__)
#define log_debug(...)		mp_log(LOG_LEVEL_DEBUG, __func__, __VA_ARGS__)
#define log_debug2(...)		mp_log(LOG_LEVEL_DEBUG2, __func__, __VA_ARGS__)
#define fatal(...)		mp_fatal(__func__, __VA_ARGS__)

/*
 * Parent side of a log pipe: decode one record from the start of data
 * (len bytes) and log it with tag in front. Returns the number of bytes
 * consumed (> 0), 0 if more bytes are needed, or a negative mp_err for a
 * malformed record (the pipe should then be closed).
 */
int log_forward_record(const unsigned char *data, unsigned long len,
    const char *tag);

#endif

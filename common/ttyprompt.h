/* ttyprompt.h: a line from the terminal (echo on or off, signals caught while it is off) or from any descriptor, never read past its newline. */
#ifndef MP_TTYPROMPT_H
#define MP_TTYPROMPT_H

#include <stddef.h>

/*
 * Read one line from fd into buf (size bytes, the NUL included), one byte
 * at a time so that nothing after the newline is consumed. 0 with the
 * newline removed (a last line without one counts); MP_ERR_TOO_LARGE if
 * the line is longer than size - 1 bytes; MP_ERR_INCOMPLETE at end of input
 * before any byte; MP_ERR_SYSTEM on a read error or when a signal caught
 * by tty_prompt() interrupted it. buf may hold part of the line after an
 * error: callers holding secrets zero it.
 */
int tty_read_line(int fd, char *buf, size_t size);

/*
 * Write prompt to /dev/tty and read the answer from it as above, with
 * echo turned off unless echo is set (a newline is then written for the
 * one the user typed). SIGHUP, SIGINT, SIGQUIT and SIGTERM are caught
 * while it waits; the terminal is restored and the signal raised again
 * before returning. MP_ERR_NOT_FOUND if there is no terminal to open.
 */
int tty_prompt(const char *prompt, int echo, char *buf, size_t size);

#endif

/* xmalloc.h: allocation helpers for programs: they exit with a message instead of returning NULL. */
#ifndef MP_XMALLOC_H
#define MP_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
int xasprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

/* A located error message filled by parsers and loaders, printed by the caller:
 * "FILE:LINE:COLUMN: error: WHAT (expected ...)". */
#ifndef COACH_DIAG_H
#define COACH_DIAG_H

#include <stddef.h>

struct diag {
	char text[512];
};

/* Formats "PATH:LINE:COLUMN: error: ..." into D (LINE and COLUMN 1-based; 0 omits
 * them).  Returns -1 so callers can write `return diag_set(...)`. */
int diag_set(struct diag *d, const char *path, size_t line, size_t column,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif

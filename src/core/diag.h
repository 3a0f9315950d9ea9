/* A located error message filled by parsers and loaders, printed by the caller:
 * "FILE:LINE:COLUMN: error: WHAT (expected ...)". */
#ifndef COACH_DIAG_H
#define COACH_DIAG_H

#include <stdbool.h>
#include <stddef.h>

struct diag {
	char text[512];
	size_t line;         /* LINE as given to diag_set, 0 for none */
	size_t path_len;     /* the length of PATH, which text begins with */
};

/* Formats "PATH:LINE:COLUMN: error: ..." into D (LINE and COLUMN 1-based; 0 omits
 * them), and keeps LINE and where PATH ends apart: a path may hold ':'.
 * Returns -1 so callers can write `return diag_set(...)`. */
int diag_set(struct diag *d, const char *path, size_t line, size_t column,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* True when D's error is in the file at PATH (as given to diag_set). */
bool diag_in_file(const struct diag *d, const char *path);

#endif

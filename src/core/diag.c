#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int diag_set(struct diag *d, const char *path, size_t line, size_t column,
	     const char *fmt, ...)
{
	size_t n;
	int w;
	va_list ap;

	if (!d)
		return -1;
	d->line = line;
	d->path_len = strlen(path);
	if (line > 0)
		w = snprintf(d->text, sizeof(d->text), "%s:%zu:%zu: error: ", path, line, column);
	else
		w = snprintf(d->text, sizeof(d->text), "%s: error: ", path);
	n = w < 0 ? 0 : (size_t)w;
	if (n >= sizeof(d->text))
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->text + n, sizeof(d->text) - n, fmt, ap);
	va_end(ap);
	return -1;
}

bool diag_in_file(const struct diag *d, const char *path)
{
	return d->path_len == strlen(path) && d->path_len < sizeof(d->text) &&
	       strncmp(d->text, path, d->path_len) == 0;
}

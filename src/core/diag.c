#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

int diag_set(struct diag *d, const char *path, size_t line, size_t column,
	     const char *fmt, ...)
{
	size_t n;
	int w;
	va_list ap;

	if (!d)
		return -1;
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

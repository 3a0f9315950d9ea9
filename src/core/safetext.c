#include "safetext.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Code points that end a line, act on a terminal, or reorder what it shows. */
static bool unsafe(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* The bytes the character at S (N bytes left) takes in the input, and what it
 * becomes in *OUT: 0 when kept as it is, else the one replacement byte. */
static size_t next(const unsigned char *s, size_t n, char *out)
{
	uint32_t c;
	size_t len = utf8_decode(s, n, &c);

	if (len == 0) {
		*out = '?';
		return 1;
	}
	*out = unsafe(c) ? ' ' : '\0';
	return len;
}

size_t safetext_copy(char *dst, size_t size, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t left = strlen(src), o = 0;

	if (size == 0)
		return 0;
	while (left > 0) {
		char r;
		size_t len = next(s, left, &r), out = r ? 1 : len;

		if (o + out >= size)
			break;
		if (r)
			dst[o] = r;
		else
			memmove(dst + o, s, len);  /* DST may be SRC: never ahead of it */
		o += out;
		s += len;
		left -= len;
	}
	dst[o] = '\0';
	return o;
}

size_t safetext_clean(char *s)
{
	return safetext_copy(s, strlen(s) + 1, s);
}

bool safetext_is_clean(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t left = strlen(s);

	while (left > 0) {
		char r;
		size_t len = next(u, left, &r);

		if (r)
			return false;
		u += len;
		left -= len;
	}
	return true;
}

int safetext_print(FILE *out, const char *fmt, ...)
{
	char small[1024], *line = small;
	va_list ap;
	int n, rc = 0;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(small)) {
		line = malloc((size_t)n + 1);
		if (!line)
			return -1;
		va_start(ap, fmt);
		vsnprintf(line, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	safetext_clean(line);
	if (fputs(line, out) == EOF || fputc('\n', out) == EOF)
		rc = -1;
	if (line != small)
		free(line);
	return rc;
}

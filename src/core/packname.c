#include "packname.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cachekey.h"

/* The slug of TEXT into BUF (room for PACKNAME_SLUG bytes and a NUL). */
static void slug(const char *text, char *buf)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = 0;
	int dash = 0;

	while (*p) {
		size_t len = 1;

		if (*p >= 0xc0)   /* a UTF-8 lead byte: the whole character or nothing */
			while (p[len] >= 0x80 && p[len] < 0xc0)
				len++;
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z') || *p >= 0xc0) {
			if (n + dash + len > PACKNAME_SLUG)
				break;
			if (dash)
				buf[n++] = '-';
			dash = 0;
			for (size_t i = 0; i < len; i++)
				buf[n++] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
		} else if (n) {
			dash = 1;    /* written only before what follows: no '-' at the end */
		}
		p += len;
	}
	buf[n] = '\0';
}

char *packname_of(const char *text, char *buf, size_t size)
{
	char s[PACKNAME_SLUG + 1];
	uint64_t h = cachekey_hash(text, strlen(text), CACHEKEY_SEED);

	slug(text, s);
	snprintf(buf, size, "%s%s%08x.wav", s, s[0] ? "-" : "", (unsigned)(h ^ (h >> 32)));
	return buf;
}

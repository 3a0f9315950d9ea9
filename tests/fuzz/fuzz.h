/* What the harnesses share: an assertion that survives -DNDEBUG, an exact copy
 * of the input, and the check every parser error must pass. */
#ifndef COACH_FUZZ_H
#define COACH_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                          \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, \
				__LINE__, #cond);                                  \
			abort();                                                   \
		}                                                                  \
	} while (0)

/* A malloc'd copy of SIZE bytes of DATA, followed by a NUL when TERMINATE.
 * Without the terminator the block ends exactly at the data, so a parser
 * that reads one byte too far is caught. */
static inline char *fuzz_copy(const uint8_t *data, size_t size, int terminate)
{
	char *p = malloc(size + (terminate ? 1 : 0) + (size == 0 && !terminate));

	FUZZ_ASSERT(p);
	if (size)
		memcpy(p, data, size);
	if (terminate)
		p[size] = '\0';
	return p;
}

/* Lines in DATA as libyaml counts them: CRLF, CR, LF, NEL, LS and PS each end
 * one.  An error may point one line past the last (end of stream). */
static inline size_t fuzz_lines(const uint8_t *d, size_t n)
{
	size_t lines = 1;

	for (size_t i = 0; i < n; i++) {
		if (d[i] == '\r' && i + 1 < n && d[i + 1] == '\n')
			i++;
		if (d[i] == '\n' || d[i] == '\r')
			lines++;
		else if (d[i] == 0xc2 && i + 1 < n && d[i + 1] == 0x85)
			lines++;
		else if (d[i] == 0xe2 && i + 2 < n && d[i + 1] == 0x80 &&
			 (d[i + 2] == 0xa8 || d[i + 2] == 0xa9))
			lines++;
	}
	return lines;
}

/* A parser's error: "PATH:LINE:COLUMN: error: ..." or "PATH: error: ...", one
 * line of text (no control characters, which could reach a terminal or the
 * journal), LINE within the input. */
static inline void fuzz_check_diag(const char *text, const char *path,
				   const uint8_t *data, size_t size)
{
	size_t plen = strlen(path);
	const char *p = text + plen;

	FUZZ_ASSERT(strncmp(text, path, plen) == 0);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		FUZZ_ASSERT(*c >= 0x20 && *c != 0x7f);
	if (strncmp(p, ": error: ", 9) != 0) {
		char *end;
		unsigned long line = strtoul(p + 1, &end, 10), col;

		FUZZ_ASSERT(*p == ':' && end > p + 1 && *end == ':');
		col = strtoul(end + 1, &end, 10);
		FUZZ_ASSERT(strncmp(end, ": error: ", 9) == 0);
		FUZZ_ASSERT(line >= 1 && col >= 1);
		FUZZ_ASSERT(line <= fuzz_lines(data, size) + 1);
		p = end;
	}
	FUZZ_ASSERT(strlen(p) > 9);
}

#endif

/* Durations as people write them in routine files: "30s", "90", "1m", "1m30s",
 * "2m", "1.5s", "500ms". */
#ifndef COACH_DURATION_H
#define COACH_DURATION_H

#include <stdint.h>

/* Parses TEXT (a bare number means seconds) into milliseconds.  Returns 0, or
 * -EINVAL for malformed text and -ERANGE for a value past a day. */
int duration_parse(const char *text, uint32_t *ms);

/* Writes MS as the shortest readable form ("1m30s", "10s", "1.5s") into BUF. */
void duration_format(uint32_t ms, char *buf, unsigned size);

#endif

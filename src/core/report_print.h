/* The physiotherapist's report (history_weeks.h) as text and as CSV, and the
 * pieces the HTML page shares with them.  Pure: figures in, text out. */
#ifndef COACH_REPORT_PRINT_H
#define COACH_REPORT_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "history_weeks.h"

/* Prints R as a table, a week a line with the steps skipped and hurt and the
 * check-in answers under it; the plan above it when there is one.
 * Returns 0 or -EIO. */
int report_text(const struct report *r, FILE *out);

/* Prints R as CSV (RFC 4180, CRLF), a week a row:
 * week,finished,stopped,minutes,steps_skipped,steps_hurt,skipped,hurt,planned,checkin_mean
 * where skipped and hurt list the steps ("Morning back mobility #7 (Knees to
 * chest) harder x2; ..."), planned is empty without a plan and checkin_mean
 * (one decimal) without answers.  Returns 0 or -EIO. */
int report_csv(const struct report *r, FILE *out);

/* "2026-11-23" for day DAY (days from 1970-01-01), into BUF (11 bytes or more). */
void report_day(long long day, char *buf, size_t size);

/* Whole minutes, rounded. */
unsigned report_minutes(unsigned seconds);

/* " harder" / " easier" / "" */
const char *report_level_suffix(unsigned level);

#endif

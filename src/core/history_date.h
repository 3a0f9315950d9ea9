/* Calendar arithmetic for the session log, shared by history.c,
 * history_report.c, history_weeks.c, streak.c, reminder.c, checkin.c (not for other
 * modules): ISO 8601 local date-times with their UTC offset, and local
 * calendar days numbered from the calendar itself, so that a day is a date,
 * never 86400 seconds. */
#ifndef COACH_HISTORY_DATE_H
#define COACH_HISTORY_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "history_entry.h"

#define HISTORY_DATE_LEN  25   /* "2026-11-24T07:02:13+01:00" */
#define HISTORY_DATE_SIZE (HISTORY_DATE_LEN + 1)

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian; negative before 1970). */
long long history_days_from_civil(long long y, unsigned m, unsigned d);

/* The date of day Z (days from 1970-01-01): the inverse of the above. */
void history_civil_from_days(long long z, long long *y, unsigned *m, unsigned *d);

/* The local calendar day of E's start (days since 1970-01-01), as its line says. */
long long history_entry_day(const struct history_entry *e);

/* The local calendar day at NOW in the process's time zone. */
long long history_local_day(time_t now);

/* Writes E's local date-time with its offset ("2026-11-24T07:02:13+01:00")
 * into BUF.  Returns 0, or -1 for a year outside 0000..9999, an offset beyond
 * 18 hours, or a BUF under HISTORY_DATE_SIZE bytes. */
int history_format_date(const struct history_entry *e, char *buf, size_t size);

/* Parses exactly that form (LEN bytes at S, every field in range) into E's
 * when and utc_offset.  Returns false for anything else. */
bool history_parse_date(const char *s, size_t len, struct history_entry *e);

#endif

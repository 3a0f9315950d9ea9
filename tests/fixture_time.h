/* Test fixtures for the calendar code (history, streaks, reports, schedule,
 * reminders, check-ins, progression): one time zone with summer time for
 * every such test, local times in it, and history entries. */
#ifndef COACH_TEST_FIXTURE_TIME_H
#define COACH_TEST_FIXTURE_TIME_H

#include <stdlib.h>
#include <time.h>

#include "history.h"

/* Sets the process's zone to Europe/Berlin: its clocks change in March and
 * October, where day arithmetic goes wrong first. */
static inline void fx_zone(void)
{
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
}

/* Y-MO-D H:MI, local time in the test's zone. */
static inline time_t fx_local(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi, .tm_isdst = -1 };

	return mktime(&tm);
}

/* A history line's entry, as history_entry_init makes it. */
static inline struct history_entry fx_entry(time_t when, const char *routine,
					    enum history_result r, unsigned seconds,
					    unsigned done, unsigned total)
{
	struct history_entry e;

	history_entry_init(&e, when, routine, r, seconds, done, total);
	return e;
}

#endif

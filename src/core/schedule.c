/* Next schedule time.  Each candidate is built as a local date and time and
 * converted by mktime with tm_isdst = -1, so the C library applies the zone's
 * rules: no "add 86400 seconds" that drifts by an hour across DST. */
#include "schedule.h"

#include <stdint.h>

/* The moment HOUR:MINUTE happens on the local day DAYS_AHEAD after NOW's. */
static time_t at_day(time_t now, int days_ahead, unsigned hour, unsigned minute, int *wday)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_mday += days_ahead;
	tm.tm_hour = (int)hour;
	tm.tm_min = (int)minute;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	{
		/* Normalize the date first (noon is never skipped), to learn its weekday. */
		struct tm day = tm;

		day.tm_hour = 12;
		day.tm_min = 0;
		mktime(&day);
		*wday = day.tm_wday;
	}
	return mktime(&tm);
}

time_t schedule_next(const struct schedule_entry *entries, size_t n, time_t now, size_t *which)
{
	time_t best = (time_t)-1;

	/* Eight days ahead covers every weekday once more, today included. */
	for (size_t i = 0; i < n; i++) {
		for (int ahead = 0; ahead <= 8; ahead++) {
			int wday;
			time_t t = at_day(now, ahead, entries[i].hour, entries[i].minute, &wday);

			if (t == (time_t)-1 || t <= now || !(entries[i].days & (1u << wday)))
				continue;
			if (best == (time_t)-1 || t < best) {
				best = t;
				*which = i;
			}
			break;
		}
	}
	return best;
}

const char *schedule_action_name(enum schedule_action a)
{
	return a == SCHEDULE_START ? "start" : "remind";
}

unsigned schedule_days_per_week(const struct schedule_entry *entries, size_t n)
{
	unsigned days = 0, count = 0;

	for (size_t i = 0; i < n; i++)
		days |= entries[i].days;
	for (unsigned d = 0; d < 7; d++)
		count += (days >> d) & 1;
	return count;
}

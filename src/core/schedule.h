/* Daily times at which the coach reminds or starts by itself.  Pure: given
 * the entries and a moment, when is the next one (local time, DST-safe). */
#ifndef COACH_SCHEDULE_H
#define COACH_SCHEDULE_H

#include <stddef.h>
#include <time.h>

enum schedule_action {
	SCHEDULE_REMIND,   /* reminder chime and "Good morning. Press play when you are ready." */
	SCHEDULE_START,    /* start the session */
};

struct schedule_entry {
	unsigned days;     /* bit d set: weekday d (0 = Sunday ... 6 = Saturday) */
	unsigned hour;     /* 0..23, local time */
	unsigned minute;   /* 0..59 */
	enum schedule_action action;
	char *routine;     /* routine for these days, or NULL for the configured one */
	unsigned line;     /* where the entry is in the config, for messages */
	unsigned routine_line, routine_column;  /* where its routine is named */
};

/* The first moment strictly after NOW at which one of the N ENTRIES is due,
 * in local time as the TZ environment says.  Sets *WHICH to its index.  A time
 * that a DST change skips fires at the same wall-clock distance after the
 * change (02:30 on a spring-forward night fires at 03:30); a time that occurs
 * twice fires once.  Returns (time_t)-1 when there are no entries. */
time_t schedule_next(const struct schedule_entry *entries, size_t n, time_t now, size_t *which);

/* How many days a week the N ENTRIES name (any action): the sessions a
 * week they plan, for the report. */
unsigned schedule_days_per_week(const struct schedule_entry *entries, size_t n);

/* "remind" / "start" */
const char *schedule_action_name(enum schedule_action a);

#endif

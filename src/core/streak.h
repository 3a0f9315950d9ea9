/* Streaks of days with a finished session, forgiving: a run of such days
 * survives a missed day while the week's (or the month's) grace days last.
 * Pure: the history's entries and the clock in, counts out.  Local calendar
 * dates as each history line gives them, so clock changes break nothing. */
#ifndef COACH_STREAK_H
#define COACH_STREAK_H

#include <time.h>

#include "history_entry.h"

enum streak_period {
	STREAK_PER_WEEK,     /* Monday to Sunday */
	STREAK_PER_MONTH,    /* the calendar month */
};

#define STREAK_MAX_GRACE 15   /* more than half a month forgiven is no streak */

struct streak_grace {
	unsigned days;               /* missed days forgiven per period; 0: none (strict) */
	enum streak_period per;
};

/* The default: one missed day a week (README, "History and streaks", says why). */
#define STREAK_GRACE_DEFAULT ((struct streak_grace){ .days = 1, .per = STREAK_PER_WEEK })

/* Counts streaks in H at NOW under grace G.  A streak's length is the number
 * of days in it with a finished session (a forgiven day adds nothing); a day
 * without one (none, or only stopped sessions) is forgiven while its week or
 * month has grace days left, else it ends the streak.  *CURRENT is the streak
 * still alive today (today itself is never missed: the morning is not over);
 * *BEST the longest anywhere.  Sessions dated after today (a clock set wrong)
 * do not count.  Returns 0, or -ENOMEM. */
int streak_count(const struct history *h, time_t now, const struct streak_grace *g,
		 unsigned *current, unsigned *best);

/* "week" / "month" */
const char *streak_period_name(enum streak_period p);

#endif

/* The report for a physiotherapist: the history by calendar week (Monday to
 * Sunday, local dates), sessions finished and stopped, minutes, and which
 * steps were skipped or hurt and how often.  Pure: entries and the clock in,
 * figures and text out (`coachctl report`). */
#ifndef COACH_HISTORY_WEEKS_H
#define COACH_HISTORY_WEEKS_H

#include <stdio.h>
#include <time.h>

#include "history_entry.h"

#define REPORT_MAX_WEEKS 520   /* ten years */

/* A step skipped or hurt in a week: which (routine, step, version), how often. */
struct report_step {
	size_t week;                         /* index into report.weeks */
	char routine[HISTORY_MAX_ROUTINE];
	unsigned step;                       /* 0-based; printed from 1 */
	unsigned level;                      /* enum level: the version that played */
	unsigned skipped, hurt;
};

struct report_week {
	long long monday;                    /* its Monday, days from 1970-01-01 */
	unsigned finished, stopped;
	unsigned seconds;                    /* in sessions, pauses excluded */
	unsigned skipped, hurt;              /* steps, counted once per session */
	unsigned unrecorded;                 /* sessions from before step outcomes were kept */
};

struct report {
	struct report_week *weeks;           /* oldest first, every week, empty ones too */
	size_t nweeks;
	struct report_step *steps;           /* by week, then as first met */
	size_t nsteps, cap;
};

/* Counts H's sessions in the WEEKS calendar weeks up to and including the one
 * of NOW (1 to REPORT_MAX_WEEKS; local dates as each line gives them;
 * sessions dated after today, a clock set wrong, are left out).  Returns 0,
 * -EINVAL for WEEKS out of range, or -ENOMEM. */
int report_build(const struct history *h, time_t now, unsigned weeks, struct report *r);

/* Frees R's arrays; R may be zeroed or already freed. */
void report_free(struct report *r);

/* Prints R as a table, a week a line with the steps skipped and hurt under
 * it.  Returns 0 or -EIO. */
int report_text(const struct report *r, FILE *out);

/* Prints R as CSV (RFC 4180, CRLF), a week a row:
 * week,finished,stopped,minutes,steps_skipped,steps_hurt,skipped,hurt where
 * the last two list the steps ("Morning back mobility #7 harder x2; ...").
 * Returns 0 or -EIO. */
int report_csv(const struct report *r, FILE *out);

#endif

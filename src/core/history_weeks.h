/* The report for a physiotherapist: the history by calendar week (Monday to
 * Sunday, local dates), sessions finished and stopped against the plan,
 * minutes, which steps were skipped or hurt and how often, and the morning
 * check-in's answers.  Pure: entries and the clock in, figures out
 * (`coachctl report`; report_print.h and report_html.h write them). */
#ifndef COACH_HISTORY_WEEKS_H
#define COACH_HISTORY_WEEKS_H

#include <stdbool.h>
#include <time.h>

#include "history_entry.h"
#include "routine.h"

#define REPORT_MAX_WEEKS 520   /* ten years */
#define REPORT_MAX_STEP_NAME 96  /* bytes of a step's name kept, NUL included */

/* A step skipped or hurt in a week: which (routine, step, version), how often. */
struct report_step {
	size_t week;                         /* index into report.weeks */
	char routine[HISTORY_MAX_ROUTINE];
	unsigned step;                       /* 0-based; printed from 1 */
	unsigned level;                      /* enum level: the version that played */
	unsigned skipped, hurt;
	char name[REPORT_MAX_STEP_NAME];     /* the step's name in its routine file, or "" */
};

/* One check-in answer, in the order of the history. */
struct report_checkin {
	long long day;                       /* local day, days from 1970-01-01 */
	unsigned value;                      /* 0..HISTORY_CHECKIN_MAX */
};

struct report_week {
	long long monday;                    /* its Monday, days from 1970-01-01 */
	unsigned finished, stopped;
	unsigned seconds;                    /* in sessions, pauses excluded */
	unsigned skipped, hurt;              /* steps, counted once per session */
	unsigned unrecorded;                 /* sessions from before step outcomes were kept */
	unsigned checkins, checkin_sum;      /* check-in answers, and their sum */
};

/* A step of the routine in use that has versions (or a pin): which plays
 * today, by its rules and the history (progression.h). */
struct report_version {
	unsigned step;                       /* 0-based; printed from 1 */
	char name[REPORT_MAX_STEP_NAME];     /* the step as written */
	unsigned level;                      /* enum level that plays today */
	bool pinned;
	long long changed;                   /* local day a rule last moved it, -1: never */
};

struct report {
	struct report_week *weeks;           /* oldest first, every week, empty ones too */
	size_t nweeks;
	struct report_step *steps;           /* by week, then as first met */
	size_t nsteps, cap;
	struct report_checkin *checkins;     /* by day (stable) */
	size_t ncheckins, checkin_cap;
	unsigned planned;                    /* sessions a week the schedule plans; 0: no plan */
	char routine[HISTORY_MAX_ROUTINE];   /* the routine in use, "" when not known */
	struct report_version *versions;     /* its steps with versions, in order */
	size_t nversions;
};

/* Counts H's sessions in the WEEKS calendar weeks up to and including the one
 * of NOW (1 to REPORT_MAX_WEEKS; local dates as each line gives them;
 * sessions dated after today, a clock set wrong, are left out).  Returns 0,
 * -EINVAL for WEEKS out of range, or -ENOMEM. */
int report_build(const struct history *h, time_t now, unsigned weeks, struct report *r);

/* Names R's steps of routine ROUTINE (by its name) from that routine as its
 * file is now: a step it still has gets its name (the version that played,
 * else the step as written); others keep "" and are known by number. */
void report_name_steps(struct report *r, const struct routine *routine);

/* Fills R's versions: which version of each of ROUTINE's steps that has
 * more than one (or a pin) plays today, given H, and when a rule last moved
 * it.  Returns 0, or -ENOMEM. */
int report_versions(struct report *r, const struct routine *routine, const struct history *h);

/* The week's mean check-in answer times ten (45: 4.5), or -1 for none. */
int report_checkin_tenths(const struct report_week *w);

/* Frees R's arrays; R may be zeroed or already freed. */
void report_free(struct report *r);

#endif

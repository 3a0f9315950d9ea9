/* One session of the history, as data: what history.c reads from and
 * appends to the log file, and what the pure streak and report code counts. */
#ifndef COACH_HISTORY_ENTRY_H
#define COACH_HISTORY_ENTRY_H

#include <stddef.h>
#include <time.h>

#define HISTORY_MAX_ROUTINE 128            /* bytes of a routine's name kept, NUL included */
#define HISTORY_MAX_LINE    512            /* longer lines are not sessions */

#define HISTORY_MAX_STEPS   100            /* steps whose outcome a line keeps: a routine's most */

enum history_result { HISTORY_FINISHED, HISTORY_STOPPED };

/* How one step of a session went (step_outcome.h has the letters). */
enum step_outcome {
	STEP_NOT_REACHED,            /* the session ended before the step was over */
	STEP_DONE,
	STEP_SKIPPED,                /* Next jumped over (part of) one of its holds */
	STEP_HURT,                   /* marked as hurting ("this hurts") */
};

struct history_step {
	unsigned char outcome;       /* enum step_outcome */
	unsigned char level;         /* enum level: the version that played */
};

struct history_entry {
	time_t when;                 /* the session's start */
	long utc_offset;             /* seconds east of UTC at WHEN, where it happened */
	char routine[HISTORY_MAX_ROUTINE];
	enum history_result result;
	unsigned seconds;            /* time spent, pauses excluded */
	unsigned steps_done;
	unsigned steps_total;
	int xruns;                   /* audio glitches heard; -1: not recorded (lines before it was) */
	unsigned nsteps;             /* outcomes in STEP: steps_total, or 0 when not recorded
				      * (lines before they were, routines past HISTORY_MAX_STEPS) */
	struct history_step step[HISTORY_MAX_STEPS];
	int checkin;                 /* 0..10 as answered, -1: none (not asked, skipped,
				      * lines before it was recorded) */
};

#define HISTORY_CHECKIN_MAX 10       /* the check-in's highest answer */

struct history {
	struct history_entry *entries;   /* in file order */
	size_t n, cap;
	unsigned skipped;                /* lines that were not a whole session */
};

#endif

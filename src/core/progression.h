/* Which version of each step plays today, from the routine's rules and the
 * history (pure: data in, data out).
 *
 *   progress: harder after N sessions   a step done N sessions in a row in
 *                                       one version, without a hurt, plays
 *                                       the next harder version it has
 *   back: easier after hurt             a hurt steps it down to the next
 *                                       easier version it has
 *   pin: LEVEL                          that version always (a physio's
 *                                       decision): the rules wait
 *   grow: 5s per session up to 60s      each session the step is done in
 *                                       a version lengthens its hold, a
 *                                       hurt takes one back; another
 *                                       version starts from its own time
 *
 * The history is the truth of what played: each session's line records each
 * step's outcome and version (step_outcome.h), so today's version is the one
 * that played last time, moved by what happened then.  Only lines of the
 * routine (by name) with one outcome per step count; older lines without
 * outcomes, other routines and sessions of an edited routine with another
 * number of steps are passed over.  Sessions count, not days: a gap of a
 * week or a clock change neither moves nor resets a step. */
#ifndef COACH_PROGRESSION_H
#define COACH_PROGRESSION_H

#include <time.h>

#include "history_entry.h"
#include "routine.h"

struct progression_step {
	enum level level;        /* today's version */
	int last;                /* enum level that played last time, -1: never */
	unsigned good;           /* sessions in a row done without a hurt in LAST */
	unsigned grown;          /* `grow:` steps the hold has earned in LAST */
	time_t changed;          /* start of the session after which a rule last
				  * moved the step, 0: never */
	long changed_offset;     /* its UTC offset, for its local date */
};

/* Fills OUT (R->nsteps of them) from the sessions of R in H. */
void progression_compute(const struct routine *r, const struct history *h,
			 struct progression_step *out);

/* Makes each of R's steps play OUT's level, marking `today` those that play
 * another version than last time.  Returns 0, or -1 when out of memory. */
int progression_apply(struct routine *r, const struct progression_step *out);

#endif

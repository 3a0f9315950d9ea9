/* Every sentence a routine can say, with the voice-pack file each would
 * have (packname.h): `coachd --phrases`, what a person records or another
 * engine renders to make a voice pack. */
#ifndef COACH_PHRASES_H
#define COACH_PHRASES_H

#include <stdio.h>

#include "plan.h"
#include "routine.h"
#include "voice.h"

/* Writes one "FILE<TAB>SENTENCE" line per distinct sentence: the texts of
 * PLAN (laid out for R and V: cues, names, stock phrases, every number the
 * plan counts or says), then the sentences said outside the plan (the
 * reminder, the first day's streak, each step's "Step N of M: NAME.", "One
 * minute to go.").  Then, as '#' lines, the phrases whose number is known
 * only when they are said (a streak, a line of a file, the time left):
 * espeak-ng says those.  Control characters in a sentence print as spaces. */
void phrases_print(const struct plan *p, const struct routine *r, const struct voice *v,
		   FILE *out);

#endif

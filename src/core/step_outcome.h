/* The per-step outcomes of a session as one field of a history line: one
 * letter per step, in the routine's order, each followed by the version that
 * played when it was not the standard one.
 *
 *   d   done                   +   the harder variant played
 *   s   skipped (Next)         -   the easier variant played
 *   h   hurt ("this hurts")
 *   .   not reached (the session stopped first)
 *
 * "ddh+s.." : steps 1 and 2 done, step 3 (its harder version) hurt, step 4
 * skipped, steps 5 and 6 not reached.  Pure: text in, data out. */
#ifndef COACH_STEP_OUTCOME_H
#define COACH_STEP_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>

#include "history_entry.h"

/* Bytes the field can take, NUL included. */
#define STEP_OUTCOMES_SIZE (2 * HISTORY_MAX_STEPS + 1)

/* Writes the N outcomes of S into BUF (SIZE bytes).  Returns the length, or
 * -1 when it does not fit or an outcome or level is out of range. */
int step_outcomes_format(const struct history_step *s, unsigned n, char *buf, size_t size);

/* Reads the LEN bytes at TEXT into OUT (room for HISTORY_MAX_STEPS) and *N.
 * Returns false for anything step_outcomes_format does not write (an empty
 * field included). */
bool step_outcomes_parse(const char *text, size_t len, struct history_step *out, unsigned *n);

/* 'd', 's', 'h' or '.' */
char step_outcome_letter(enum step_outcome o);

#endif

/* What the history says, computed from entries alone (no files): what to
 * say about a streak (streak.h counts them), and the listings `coachctl history` prints. */
#ifndef COACH_HISTORY_REPORT_H
#define COACH_HISTORY_REPORT_H

#include <stdio.h>
#include <time.h>

#include "history_entry.h"
#include "streak.h"
#include "voice.h"

/* What to say after a session that makes a streak of CURRENT days: returns
 * PHRASE_STREAK_ONE for 1, PHRASE_STREAK for more (with *N = CURRENT, for
 * voice_say's {n}), PHRASE_MAX for 0 (nothing to say). */
enum phrase history_streak_phrase(unsigned current, unsigned *n);

/* Prints the last LAST sessions (0: all), one a line (with each step's outcome
 * and the check-in's answer on the next when recorded), then the current and
 * best streaks under grace G ("Current streak: 5 mornings. Best: 12."), for
 * `coachctl history`.
 * Returns 0, or -EIO when OUT fails. */
int history_format(const struct history *h, time_t now, const struct streak_grace *g,
		   size_t last, FILE *out);

/* Prints every session as CSV (RFC 4180, CRLF line ends) with the header
 * date,routine,result,seconds,steps_done,steps_total,outcomes,checkin (the
 * outcomes as in the history file, step_outcome.h; the check-in 0 to 10; each
 * empty when not recorded).  Returns 0 or -EIO. */
int history_csv(const struct history *h, FILE *out);

#endif

/* The check-in as the daemon asks it: after a finished session (when the
 * config's checkin says so) the session's history line is held while the
 * question is asked, and written with the answer, or with none, when it is
 * over.  Buttons and keys go to the check-in while it is asked.  Asking
 * after the session, not before: a session starts the moment Play is
 * pressed, and the answer then goes into the same line, written once. */
#ifndef COACH_CHECKIN_ASK_H
#define COACH_CHECKIN_ASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checkin.h"
#include "gesture.h"
#include "history_entry.h"
#include "streak.h"
#include "voice.h"

struct checkin_ask {
	struct checkin c;
	bool held;                   /* E waits for the answer */
	struct history_entry e;
};

/* After a finished session whose line is E: whether the check-in is due
 * under mode M (the history at HISTORY_PATH tells when weekly).  When it is,
 * holds E and starts asking at NOW_MS. */
bool checkin_ask_begin(struct checkin_ask *a, enum checkin_mode m, const char *history_path,
		       const struct history_entry *e, uint64_t now_ms);

bool checkin_ask_active(const struct checkin_ask *a);

/* What a gesture or a key does while asking: Play (space, p) adds a point,
 * Next (n) answers 0, a long press of Play (s) skips, a digit key answers it.
 * Returns -2 when not asking (the input is the session's), else the count to
 * say after a point, or -1 (taken, nothing to say). */
int checkin_ask_gesture(struct checkin_ask *a, enum gesture g, uint64_t now_ms);
int checkin_ask_key(struct checkin_ask *a, char c, uint64_t now_ms);

/* `coachctl checkin N`: returns false when not asking or N is out of range. */
bool checkin_ask_answer(struct checkin_ask *a, int n);

/* At NOW_MS: when the check-in is over, fills *E with the held line (its
 * check-in set, -1 when skipped) and returns true. */
bool checkin_ask_tick(struct checkin_ask *a, uint64_t now_ms, struct history_entry *e);

/* checkin_ask_tick, then, when over, the held line written to the history
 * at PATH, and in SAY (SIZE bytes) the answer said back with the streak
 * (record.h) in VOICE (NULL: nothing said), "" when there is nothing to
 * say.  Returns true when the check-in is over. */
bool checkin_ask_finish(struct checkin_ask *a, uint64_t now_ms, const char *path,
			const struct voice *voice, const struct streak_grace *grace, char *say,
			size_t size);

/* Ends it now, unanswered; returns the held line as checkin_ask_tick does
 * (the daemon is leaving: the session is still recorded). */
bool checkin_ask_end(struct checkin_ask *a, struct history_entry *e);

/* When checkin_ask_tick is next due; UINT64_MAX when not asking. */
uint64_t checkin_ask_deadline(const struct checkin_ask *a);

#endif

/* The check-in after a session: "How much does your back hurt today, from 0
 * to 10?"  Each press of Play adds a point (the coach says the count at once,
 * so nobody counts in their head with eyes closed), Next answers 0, and a
 * few quiet seconds after the last press take the answer; no press at all
 * skips it.  Pure: the caller passes monotonic milliseconds and calls
 * checkin_tick at checkin_deadline. */
#ifndef COACH_CHECKIN_H
#define COACH_CHECKIN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "history_entry.h"

enum checkin_mode { CHECKIN_OFF, CHECKIN_ON, CHECKIN_WEEKLY };

/* From the question to the first press: the question takes about 6 s to
 * say, then a few seconds to answer, or it is skipped. */
#define CHECKIN_FIRST_MS 14000
/* Quiet after a press before the count is the answer. */
#define CHECKIN_SETTLE_MS 3000

enum checkin_result {
	CHECKIN_WAITING,         /* still asking */
	CHECKIN_ANSWERED,        /* the answer is in *ANSWER */
	CHECKIN_SKIPPED,         /* no press in time, or a long press of Play */
};

struct checkin {
	bool asking;
	int count;               /* points pressed so far, 0..HISTORY_CHECKIN_MAX */
	uint64_t deadline_ms;
};

/* Starts asking at NOW_MS. */
void checkin_start(struct checkin *c, uint64_t now_ms);

/* A press of Play at NOW_MS: one more point (at most HISTORY_CHECKIN_MAX).
 * Returns the count to say, or -1 when not asking. */
int checkin_press(struct checkin *c, uint64_t now_ms);

/* An answer given whole: Next (0), a digit key, `coachctl checkin N`.
 * Returns true when taken (asking, and 0 <= N <= HISTORY_CHECKIN_MAX); the
 * next checkin_tick then reports it at once. */
bool checkin_answer(struct checkin *c, int n);

/* Ends the question unanswered (a long press of Play, the daemon leaving). */
void checkin_skip(struct checkin *c);

/* Lets time pass to NOW_MS: whether the check-in is over, and how. */
enum checkin_result checkin_tick(struct checkin *c, uint64_t now_ms, int *answer);

/* When checkin_tick must next be called; UINT64_MAX when not asking. */
uint64_t checkin_deadline(const struct checkin *c);

/* Whether to ask after a session finishing at NOW, given H: always (on),
 * never (off), or weekly: when no check-in was answered in the 6 local
 * calendar days before today, nor today. */
bool checkin_due(enum checkin_mode m, const struct history *h, time_t now);

/* "on", "off", "weekly"; the mode for TEXT, or -1. */
const char *checkin_mode_name(enum checkin_mode m);
int checkin_mode_parse(const char *text);

#endif

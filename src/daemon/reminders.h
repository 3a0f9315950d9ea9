/* The schedule's reminder and its answers carried out for coachd: "later"
 * (a timer in the loop, which calls back when the reminder is to sound
 * again) and "not today" (kept in the state file, so that a restart, a power
 * cut or an upgrade, does not remind again the same day), and the sentence
 * that answers each.  core/reminder.c decides. */
#ifndef COACH_REMINDERS_H
#define COACH_REMINDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"
#include "reminder.h"
#include "voice.h"

struct reminders;

/* Called from the loop when a snoozed reminder is to sound again (it was not
 * answered meanwhile); the callee sounds it when it can. */
typedef void reminders_fn(void *ctx);

/* Reminders in loop L, with a "not today" said earlier today read back from
 * the state file at STATE_PATH ("" when there is none; kept, not copied).
 * Returns NULL when out of memory. */
struct reminders *reminders_new(struct loop *l, const char *state_path, reminders_fn *on_again,
				void *ctx);

/* Stops the snooze timer and frees R (NULL is fine). */
void reminders_free(struct reminders *r);

/* The reminder sounded now: it waits for an answer. */
void reminders_sounded(struct reminders *r);

/* True when a reminder sounded lately and waits for an answer. */
bool reminders_waiting(const struct reminders *r);

/* True when "not today" was said today: the schedule stays quiet. */
bool reminders_quiet(const struct reminders *r);

/* A session started: no answer awaited, no snooze. */
void reminders_session_started(struct reminders *r);

/* Answers the reminder: "later" (SNOOZE: it sounds again after SNOOZE_MS)
 * or "not today".  SAY gets the sentence in VOICE, REPLY coachctl's reply
 * (SIZE bytes each). */
void reminders_answer(struct reminders *r, bool snooze, unsigned snooze_ms,
		      const struct voice *voice, char *say, char *reply, size_t size);

#endif

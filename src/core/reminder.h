/* The schedule's reminder and the two answers a person can give it: "later"
 * (snooze: it sounds again after a while) and "not today" (no reminder or
 * scheduled start again until tomorrow).  Pure: the clock in, decisions out;
 * coachd keeps one and carries them out (daemon/reminders.c). */
#ifndef COACH_REMINDER_H
#define COACH_REMINDER_H

#include <stdbool.h>
#include <time.h>

/* How long a reminder that sounded waits for an answer (a button, a key, or
 * coachctl): long enough to finish a coffee, short enough that a press in
 * the afternoon is never taken for one. */
#define REMINDER_WAIT_S (30 * 60)

struct reminder {
	time_t sounded;          /* when it last sounded; 0: it waits for no answer */
	time_t snoozed_until;    /* when it sounds again; 0: not snoozed */
	long long quiet_day;     /* local day (days since 1970) of a "not today", or -1 */
};

/* Nothing sounded, nothing snoozed, no day quiet. */
void reminder_init(struct reminder *r);

/* The reminder sounded at NOW: it waits for an answer; a snooze is spent. */
void reminder_sounded(struct reminder *r, time_t now);

/* True when a reminder sounded within REMINDER_WAIT_S of NOW and has no
 * answer yet: then Next means "later" and a long press of Play "not today". */
bool reminder_waiting(const struct reminder *r, time_t now);

/* A session started: the reminder was answered the best way; no snooze. */
void reminder_session_started(struct reminder *r);

/* "Later": the reminder sounds again SNOOZE_S seconds after NOW.  Returns
 * that time. */
time_t reminder_snooze(struct reminder *r, time_t now, unsigned snooze_s);

/* "Not today": nothing more today (the local day of NOW), the snooze too. */
void reminder_not_today(struct reminder *r, time_t now);

/* True when "not today" was said on NOW's local day: a schedule entry due
 * now (a reminder or a start) is left out. */
bool reminder_quiet(const struct reminder *r, time_t now);

/* The snooze timer ran out at NOW: true (and the snooze spent) when the
 * reminder should sound again, false when it was answered meanwhile (a
 * session, "not today") or is not due yet. */
bool reminder_snooze_due(struct reminder *r, time_t now);

/* The quiet day as text for the state file ("2026-12-05"), into BUF (at
 * least 11 bytes); "" when none.  Returns BUF. */
char *reminder_format_day(const struct reminder *r, char *buf, size_t size);

/* Reads such a text into R's quiet day; false (R unchanged) for anything else. */
bool reminder_parse_day(struct reminder *r, const char *text);

#endif

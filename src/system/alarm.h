/* The schedule's clock: a timerfd in the event loop armed for the next entry
 * of a schedule, which calls back when that entry is due.  CANCEL_ON_SET
 * wakes it when the wall clock is set, so a changed time or time zone is
 * recomputed, never missed. */
#ifndef COACH_ALARM_H
#define COACH_ALARM_H

#include <stddef.h>

#include "loop.h"
#include "schedule.h"

struct alarm;

/* Called from the loop with the entry that is due; the alarm is armed for
 * the next one after the call. */
typedef void alarm_fn(void *ctx, const struct schedule_entry *due);

/* A disarmed alarm in loop L.  Returns NULL with errno set. */
struct alarm *alarm_new(struct loop *l, alarm_fn *on_due, void *ctx);

/* Arms A for the next of the N ENTRIES after now (disarms it for none).
 * ENTRIES must stay valid until the next alarm_arm or alarm_free. */
void alarm_arm(struct alarm *a, const struct schedule_entry *entries, size_t n);

/* Stops watching and frees A (NULL is fine). */
void alarm_free(struct alarm *a);

#endif

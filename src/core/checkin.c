/* The check-in's counting and timing (see checkin.h). */
#include "checkin.h"

#include <string.h>

#include "history_date.h"

void checkin_start(struct checkin *c, uint64_t now_ms)
{
	*c = (struct checkin){ .asking = true, .count = -1, .deadline_ms = now_ms + CHECKIN_FIRST_MS };
}

int checkin_press(struct checkin *c, uint64_t now_ms)
{
	if (!c->asking)
		return -1;
	/* A press past ten keeps ten: the count said again is the answer. */
	if (c->count < HISTORY_CHECKIN_MAX)
		c->count = c->count < 0 ? 1 : c->count + 1;
	c->deadline_ms = now_ms + CHECKIN_SETTLE_MS;
	return c->count;
}

bool checkin_answer(struct checkin *c, int n)
{
	if (!c->asking || n < 0 || n > HISTORY_CHECKIN_MAX)
		return false;
	c->count = n;
	c->deadline_ms = 0;
	return true;
}

void checkin_skip(struct checkin *c)
{
	if (c->asking) {
		c->count = -1;
		c->deadline_ms = 0;
	}
}

enum checkin_result checkin_tick(struct checkin *c, uint64_t now_ms, int *answer)
{
	if (!c->asking)
		return CHECKIN_SKIPPED;
	if (now_ms < c->deadline_ms)
		return CHECKIN_WAITING;
	c->asking = false;
	*answer = c->count;
	return c->count >= 0 ? CHECKIN_ANSWERED : CHECKIN_SKIPPED;
}

uint64_t checkin_deadline(const struct checkin *c)
{
	return c->asking ? c->deadline_ms : UINT64_MAX;
}

bool checkin_due(enum checkin_mode m, const struct history *h, time_t now)
{
	long long today = history_local_day(now);

	if (m != CHECKIN_WEEKLY)
		return m == CHECKIN_ON;
	/* Days are the dates in the lines: a clock change or a trip does not
	 * move a week.  A check-in skipped does not count: it is asked again. */
	for (size_t i = h->n; i-- > 0;) {
		long long day = history_entry_day(&h->entries[i]);

		if (h->entries[i].checkin >= 0 && day > today - 7 && day <= today)
			return false;
	}
	return true;
}

static const char *const names[] = { [CHECKIN_OFF] = "off", [CHECKIN_ON] = "on",
				     [CHECKIN_WEEKLY] = "weekly" };

const char *checkin_mode_name(enum checkin_mode m)
{
	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

int checkin_mode_parse(const char *text)
{
	for (int i = 0; text && i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(text, names[i]) == 0)
			return i;
	return -1;
}

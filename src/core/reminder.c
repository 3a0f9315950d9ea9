/* The reminder's answers (see reminder.h). */
#include "reminder.h"

#include <stdio.h>
#include <string.h>

#include "history_date.h"

void reminder_init(struct reminder *r)
{
	*r = (struct reminder){ .quiet_day = -1 };
}

void reminder_sounded(struct reminder *r, time_t now)
{
	r->sounded = now;
	r->snoozed_until = 0;
}

bool reminder_waiting(const struct reminder *r, time_t now)
{
	/* A clock set back counts as no time passed. */
	return r->sounded != 0 && (now < r->sounded || now - r->sounded < REMINDER_WAIT_S);
}

void reminder_session_started(struct reminder *r)
{
	r->sounded = 0;
	r->snoozed_until = 0;
}

time_t reminder_snooze(struct reminder *r, time_t now, unsigned snooze_s)
{
	r->sounded = 0;
	r->snoozed_until = now + (time_t)snooze_s;
	return r->snoozed_until;
}

void reminder_not_today(struct reminder *r, time_t now)
{
	r->sounded = 0;
	r->snoozed_until = 0;
	r->quiet_day = history_local_day(now);
}

bool reminder_quiet(const struct reminder *r, time_t now)
{
	return r->quiet_day >= 0 && r->quiet_day == history_local_day(now);
}

bool reminder_snooze_due(struct reminder *r, time_t now)
{
	if (r->snoozed_until == 0 || now < r->snoozed_until)
		return false;
	r->snoozed_until = 0;
	return !reminder_quiet(r, now);
}

char *reminder_format_day(const struct reminder *r, char *buf, size_t size)
{
	long long y;
	unsigned m, d;

	if (r->quiet_day < 0) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	history_civil_from_days(r->quiet_day, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02u-%02u", y, m, d);
	return buf;
}

bool reminder_parse_day(struct reminder *r, const char *text)
{
	unsigned y, m, d;
	int end = 0;
	long long day, yy;
	unsigned mm, dd;

	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? text[i] != '-' : text[i] < '0' || text[i] > '9')
			return false;
	if (text[10] || sscanf(text, "%4u-%2u-%2u%n", &y, &m, &d, &end) != 3 || end != 10 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	day = history_days_from_civil(y, m, d);
	/* 2026-02-31 is not a day: it comes back as March. */
	history_civil_from_days(day, &yy, &mm, &dd);
	if (mm != m || dd != d)
		return false;
	r->quiet_day = day;
	return true;
}

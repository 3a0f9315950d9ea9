/* The weekly report's figures (see history_weeks.h). */
#include "history_weeks.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history_date.h"
#include "progression.h"
#include "routine.h"
#include "safetext.h"

/* The Monday of day D: 1970-01-01 was a Thursday. */
static long long monday_of(long long d)
{
	long long r = (d + 3) % 7;

	return d - (r < 0 ? r + 7 : r);
}

static struct report_step *find_step(struct report *r, size_t week, const char *routine,
				     unsigned step, unsigned level)
{
	struct report_step *s;

	for (size_t i = 0; i < r->nsteps; i++) {
		s = &r->steps[i];
		if (s->week == week && s->step == step && s->level == level &&
		    strcmp(s->routine, routine) == 0)
			return s;
	}
	if (r->nsteps == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		s = realloc(r->steps, cap * sizeof(*s));
		if (!s)
			return NULL;
		r->steps = s;
		r->cap = cap;
	}
	s = &r->steps[r->nsteps++];
	*s = (struct report_step){ .week = week, .step = step, .level = level };
	snprintf(s->routine, sizeof(s->routine), "%s", routine);
	return s;
}

static int cmp_step(const void *a, const void *b)
{
	const struct report_step *x = a, *y = b;

	return (x->week > y->week) - (x->week < y->week);
}

static int add_checkin(struct report *r, long long day, int value)
{
	if (r->ncheckins == r->checkin_cap) {
		size_t cap = r->checkin_cap ? r->checkin_cap * 2 : 16;
		struct report_checkin *c = realloc(r->checkins, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		r->checkins = c;
		r->checkin_cap = cap;
	}
	r->checkins[r->ncheckins++] = (struct report_checkin){ .day = day, .value = (unsigned)value };
	return 0;
}

/* Adds E (on DAY, in week W) to R. */
static int count(struct report *r, size_t w, long long day, const struct history_entry *e)
{
	struct report_week *wk = &r->weeks[w];

	if (e->result == HISTORY_FINISHED)
		wk->finished++;
	else
		wk->stopped++;
	wk->seconds = e->seconds > UINT32_MAX - wk->seconds ? UINT32_MAX : wk->seconds + e->seconds;
	if (e->nsteps == 0)
		wk->unrecorded++;
	if (e->checkin >= 0 && e->checkin <= HISTORY_CHECKIN_MAX) {
		wk->checkins++;
		wk->checkin_sum += (unsigned)e->checkin;
		if (add_checkin(r, day, e->checkin) < 0)
			return -ENOMEM;
	}
	for (unsigned i = 0; i < e->nsteps; i++) {
		const struct history_step *st = &e->step[i];
		struct report_step *s;

		if (st->outcome != STEP_SKIPPED && st->outcome != STEP_HURT)
			continue;
		s = find_step(r, w, e->routine, i, st->level);
		if (!s)
			return -ENOMEM;
		if (st->outcome == STEP_HURT) {
			s->hurt++;
			wk->hurt++;
		} else {
			s->skipped++;
			wk->skipped++;
		}
	}
	return 0;
}

int report_build(const struct history *h, time_t now, unsigned weeks, struct report *r)
{
	long long today = history_local_day(now), first;

	memset(r, 0, sizeof(*r));
	if (weeks < 1 || weeks > REPORT_MAX_WEEKS)
		return -EINVAL;
	r->weeks = calloc(weeks, sizeof(*r->weeks));
	if (!r->weeks)
		return -ENOMEM;
	r->nweeks = weeks;
	first = monday_of(today) - 7 * (long long)(weeks - 1);
	for (size_t w = 0; w < weeks; w++)
		r->weeks[w].monday = first + 7 * (long long)w;
	for (size_t i = 0; i < h->n; i++) {
		long long day = history_entry_day(&h->entries[i]);

		if (day < first || day > today)
			continue;
		if (count(r, (size_t)((day - first) / 7), day, &h->entries[i]) < 0) {
			report_free(r);
			return -ENOMEM;
		}
	}
	/* By week (a clock set back puts lines out of order); within a week as
	 * first met: an insertion sort, which is stable. */
	for (size_t i = 1; i < r->nsteps; i++) {
		struct report_step x = r->steps[i];
		size_t j = i;

		for (; j > 0 && cmp_step(&r->steps[j - 1], &x) > 0; j--)
			r->steps[j] = r->steps[j - 1];
		r->steps[j] = x;
	}
	for (size_t i = 1; i < r->ncheckins; i++) {
		struct report_checkin x = r->checkins[i];
		size_t j = i;

		for (; j > 0 && r->checkins[j - 1].day > x.day; j--)
			r->checkins[j] = r->checkins[j - 1];
		r->checkins[j] = x;
	}
	return 0;
}

void report_name_steps(struct report *r, const struct routine *routine)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		struct report_step *s = &r->steps[i];
		const struct step *st;
		const char *name;

		if (!routine->name || strcmp(s->routine, routine->name) != 0 ||
		    s->step >= routine->nsteps)
			continue;
		st = &routine->steps[s->step];
		name = s->level < LEVEL_MAX && st->variant[s->level].name ? st->variant[s->level].name
									 : st->variant[LEVEL_STANDARD].name;
		if (name)
			safetext_copy(s->name, sizeof(s->name), name);
	}
}

int report_versions(struct report *r, const struct routine *routine, const struct history *h)
{
	struct progression_step *now;
	size_t n = 0;

	if (!routine->nsteps)
		return 0;
	now = calloc(routine->nsteps, sizeof(*now));
	r->versions = calloc(routine->nsteps, sizeof(*r->versions));
	if (!now || !r->versions) {
		free(now);
		free(r->versions);
		r->versions = NULL;
		return -ENOMEM;
	}
	progression_compute(routine, h, now);
	for (size_t i = 0; i < routine->nsteps; i++) {
		const struct step *st = &routine->steps[i];
		struct report_version *v = &r->versions[n];

		if (!st->pinned && !st->variant[LEVEL_EASIER].name && !st->variant[LEVEL_HARDER].name)
			continue;
		v->step = (unsigned)i;
		if (st->variant[LEVEL_STANDARD].name)
			safetext_copy(v->name, sizeof(v->name), st->variant[LEVEL_STANDARD].name);
		v->level = now[i].level;
		v->pinned = st->pinned;
		v->changed = -1;
		if (now[i].changed) {
			/* The local day of that session, as its line gives it. */
			struct history_entry e = { .when = now[i].changed,
						   .utc_offset = now[i].changed_offset };

			v->changed = history_entry_day(&e);
		}
		n++;
	}
	free(now);
	r->nversions = n;
	if (routine->name)
		safetext_copy(r->routine, sizeof(r->routine), routine->name);
	return 0;
}

int report_checkin_tenths(const struct report_week *w)
{
	if (!w->checkins)
		return -1;
	return (int)((w->checkin_sum * 10 + w->checkins / 2) / w->checkins);
}

void report_free(struct report *r)
{
	free(r->weeks);
	free(r->steps);
	free(r->checkins);
	free(r->versions);
	memset(r, 0, sizeof(*r));
}


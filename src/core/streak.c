/* Forgiving streaks (see streak.h). */
#include "streak.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "history_date.h"

static int cmp_day(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Which week or month day D is in, as a number that changes exactly when
 * the period does (weeks from a Monday; months since year 0). */
static long long period_of(long long d, enum streak_period per)
{
	long long y;
	unsigned m, dd;

	if (per == STREAK_PER_WEEK) {
		/* 1970-01-05 was a Monday. */
		long long off = d - 4;

		return off >= 0 ? off / 7 : -((-off + 6) / 7);
	}
	history_civil_from_days(d, &y, &m, &dd);
	return y * 12 + m;
}

/* The finished sessions' days, sorted, each once; *N of them. */
static long long *finished_days(const struct history *h, size_t *n)
{
	long long *days = malloc((h->n ? h->n : 1) * sizeof(*days));
	size_t k = 0, u = 0;

	if (!days)
		return NULL;
	for (size_t i = 0; i < h->n; i++) {
		long long d = history_entry_day(&h->entries[i]);

		if (h->entries[i].result == HISTORY_FINISHED)
			days[k++] = d;
	}
	/* The log is in order unless the clock was set back. */
	qsort(days, k, sizeof(*days), cmp_day);
	for (size_t i = 0; i < k; i++)
		if (u == 0 || days[i] != days[u - 1])
			days[u++] = days[i];
	*n = u;
	return days;
}

/* A run of days walked through in order. */
struct walk {
	long long period;            /* the week or month whose grace USED counts */
	unsigned used, run, best;
};

/* Day D was missed: forgiven while its period has grace left, else the
 * run ends.  Days missed outside a run cost nothing. */
static void miss(struct walk *w, long long d, const struct streak_grace *g)
{
	if (!w->run)
		return;
	if (period_of(d, g->per) != w->period) {
		w->period = period_of(d, g->per);
		w->used = 0;
	}
	if (w->used < g->days)
		w->used++;
	else
		w->run = 0;
}

/* Walks the N sorted DAYS. */
static void walk_days(struct walk *w, const long long *days, size_t n, const struct streak_grace *g)
{
	for (size_t i = 0; i < n; i++) {
		for (long long d = i > 0 ? days[i - 1] + 1 : days[i]; d < days[i] && w->run; d++)
			miss(w, d, g);
		w->run++;
		if (w->run > w->best)
			w->best = w->run;
	}
}

int streak_count(const struct history *h, time_t now, const struct streak_grace *g,
		 unsigned *current, unsigned *best)
{
	long long today = history_local_day(now), *days;
	struct walk all = { .period = LLONG_MIN }, upto = { .period = LLONG_MIN };
	size_t n, k = 0;

	*current = *best = 0;
	days = finished_days(h, &n);
	if (!days)
		return -ENOMEM;
	/* The best anywhere; the current one from the days up to today (days
	 * after it are a clock set wrong), then the days missed since, up to
	 * yesterday: the morning is not over, so today is never missed. */
	walk_days(&all, days, n, g);
	while (k < n && days[k] <= today)
		k++;
	walk_days(&upto, days, k, g);
	for (long long d = k ? days[k - 1] + 1 : today; d < today && upto.run; d++)
		miss(&upto, d, g);
	*current = upto.run;
	*best = all.best;
	free(days);
	return 0;
}

const char *streak_period_name(enum streak_period p)
{
	return p == STREAK_PER_MONTH ? "month" : "week";
}

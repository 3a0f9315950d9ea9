/* The weekly report (see history_weeks.h). */
#include "history_weeks.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history_date.h"
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

/* Adds E (in week W) to R. */
static int count(struct report *r, size_t w, const struct history_entry *e)
{
	struct report_week *wk = &r->weeks[w];

	if (e->result == HISTORY_FINISHED)
		wk->finished++;
	else
		wk->stopped++;
	wk->seconds = e->seconds > UINT32_MAX - wk->seconds ? UINT32_MAX : wk->seconds + e->seconds;
	if (e->nsteps == 0)
		wk->unrecorded++;
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
		if (count(r, (size_t)((day - first) / 7), &h->entries[i]) < 0) {
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
	return 0;
}

void report_free(struct report *r)
{
	free(r->weeks);
	free(r->steps);
	memset(r, 0, sizeof(*r));
}

static void format_day(long long day, char *buf, size_t size)
{
	long long y;
	unsigned m, d;

	history_civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02u-%02u", y, m, d);
}

static unsigned minutes(unsigned seconds)
{
	return seconds / 60 + (seconds % 60 >= 30);
}

/* " harder" / " easier" / "" */
static const char *level_suffix(unsigned level)
{
	return level == LEVEL_HARDER ? " harder" : level == LEVEL_EASIER ? " easier" : "";
}

/* Prints the steps of week W with a count of WHAT (hurt or skipped), as
 * "ROUTINE #N[ VERSION] xK" separated by SEP.  Returns how many. */
static unsigned list_steps(const struct report *r, size_t w, bool hurt, const char *sep,
			   FILE *out, void (*name)(const char *, FILE *))
{
	unsigned n = 0;

	for (size_t i = 0; i < r->nsteps; i++) {
		const struct report_step *s = &r->steps[i];
		unsigned k = hurt ? s->hurt : s->skipped;

		if (s->week != w || k == 0)
			continue;
		if (n++)
			fputs(sep, out);
		name(s->routine, out);
		fprintf(out, " #%u%s x%u", s->step + 1, level_suffix(s->level), k);
	}
	return n;
}

/* A routine's name as text: one line, no control characters (it comes from
 * a file anyone in group coach may edit). */
static void text_name(const char *routine, FILE *out)
{
	char clean[HISTORY_MAX_ROUTINE];

	safetext_copy(clean, sizeof(clean), routine);
	fputs(clean, out);
}

/* The same inside a CSV field that is quoted as a whole: quotes doubled. */
static void csv_name(const char *routine, FILE *out)
{
	char clean[HISTORY_MAX_ROUTINE];

	safetext_copy(clean, sizeof(clean), routine);
	for (const char *c = clean; *c; c++) {
		if (*c == '"')
			fputc('"', out);
		fputc(*c, out);
	}
}

static bool has_steps(const struct report *r, size_t w, bool hurt)
{
	for (size_t i = 0; i < r->nsteps; i++)
		if (r->steps[i].week == w && (hurt ? r->steps[i].hurt : r->steps[i].skipped))
			return true;
	return false;
}

int report_text(const struct report *r, FILE *out)
{
	unsigned unrecorded = 0;

	fprintf(out, "Week of      Finished  Stopped  Minutes  Steps skipped  Steps hurt\n");
	for (size_t w = 0; w < r->nweeks; w++) {
		const struct report_week *wk = &r->weeks[w];
		char day[16];

		format_day(wk->monday, day, sizeof(day));
		fprintf(out, "%s  %8u  %7u  %7u  %13u  %10u\n", day, wk->finished, wk->stopped,
			minutes(wk->seconds), wk->skipped, wk->hurt);
		for (int hurt = 1; hurt >= 0; hurt--) {
			if (!has_steps(r, w, hurt))
				continue;
			fprintf(out, "            %s: ", hurt ? "hurt" : "skipped");
			list_steps(r, w, hurt, ", ", out, text_name);
			fputc('\n', out);
		}
		unrecorded += wk->unrecorded;
	}
	if (unrecorded)
		fprintf(out, "(%u session%s recorded before coach kept each step's outcome: "
			"counted, but not in the steps)\n", unrecorded, unrecorded == 1 ? "" : "s");
	fprintf(out, "Steps are numbered in the routine's order; harder or easier: the "
		"variant that played.\n");
	return ferror(out) ? -EIO : 0;
}

int report_csv(const struct report *r, FILE *out)
{
	fputs("week,finished,stopped,minutes,steps_skipped,steps_hurt,skipped,hurt\r\n", out);
	for (size_t w = 0; w < r->nweeks; w++) {
		const struct report_week *wk = &r->weeks[w];
		char day[16];

		format_day(wk->monday, day, sizeof(day));
		fprintf(out, "%s,%u,%u,%u,%u,%u,\"", day, wk->finished, wk->stopped,
			minutes(wk->seconds), wk->skipped, wk->hurt);
		list_steps(r, w, false, "; ", out, csv_name);
		fputs("\",\"", out);
		list_steps(r, w, true, "; ", out, csv_name);
		fputs("\"\r\n", out);
	}
	return ferror(out) ? -EIO : 0;
}

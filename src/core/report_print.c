/* The report as text and CSV (see report_print.h). */
#include "report_print.h"

#include <errno.h>
#include <stdbool.h>

#include "history_date.h"
#include "safetext.h"

void report_day(long long day, char *buf, size_t size)
{
	long long y;
	unsigned m, d;

	history_civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02u-%02u", y, m, d);
}

unsigned report_minutes(unsigned seconds)
{
	return seconds / 60 + (seconds % 60 >= 30);
}

const char *report_level_suffix(unsigned level)
{
	return level == LEVEL_HARDER ? " harder" : level == LEVEL_EASIER ? " easier" : "";
}

/* A name from a file as text: one line, no control characters (anyone in
 * group coach may edit the history and the routines). */
static void text_name(const char *name, FILE *out)
{
	char clean[HISTORY_MAX_ROUTINE];

	safetext_copy(clean, sizeof(clean), name);
	fputs(clean, out);
}

/* The same inside a CSV field that is quoted as a whole: quotes doubled. */
static void csv_name(const char *name, FILE *out)
{
	char clean[HISTORY_MAX_ROUTINE];

	safetext_copy(clean, sizeof(clean), name);
	for (const char *c = clean; *c; c++) {
		if (*c == '"')
			fputc('"', out);
		fputc(*c, out);
	}
}

/* Prints the steps of week W with a count of WHAT (hurt or skipped), as
 * "ROUTINE #N[ (NAME)][ VERSION] xK" separated by SEP.  Returns how many. */
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
		fprintf(out, " #%u", s->step + 1);
		if (s->name[0]) {
			fputs(" (", out);
			name(s->name, out);
			fputc(')', out);
		}
		fprintf(out, "%s x%u", report_level_suffix(s->level), k);
	}
	return n;
}

static bool has_steps(const struct report *r, size_t w, bool hurt)
{
	for (size_t i = 0; i < r->nsteps; i++)
		if (r->steps[i].week == w && (hurt ? r->steps[i].hurt : r->steps[i].skipped))
			return true;
	return false;
}

/* The week's check-in answers in the order of their days: "3 4 2". */
static void list_checkins(const struct report *r, const struct report_week *wk, FILE *out)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->ncheckins; i++)
		if (r->checkins[i].day >= wk->monday && r->checkins[i].day < wk->monday + 7)
			fprintf(out, "%s%u", n++ ? " " : "", r->checkins[i].value);
}

int report_text(const struct report *r, FILE *out)
{
	unsigned unrecorded = 0, checkins = 0;

	if (r->planned)
		fprintf(out, "Planned: %u session%s a week (the days of the schedule in coach.yaml).\n",
			r->planned, r->planned == 1 ? "" : "s");
	fprintf(out, "Week of      Finished  Stopped  Minutes  Steps skipped  Steps hurt\n");
	for (size_t w = 0; w < r->nweeks; w++) {
		const struct report_week *wk = &r->weeks[w];
		int tenths = report_checkin_tenths(wk);
		char day[16];

		report_day(wk->monday, day, sizeof(day));
		fprintf(out, "%s  %8u  %7u  %7u  %13u  %10u\n", day, wk->finished, wk->stopped,
			report_minutes(wk->seconds), wk->skipped, wk->hurt);
		for (int hurt = 1; hurt >= 0; hurt--) {
			if (!has_steps(r, w, hurt))
				continue;
			fprintf(out, "            %s: ", hurt ? "hurt" : "skipped");
			list_steps(r, w, hurt, ", ", out, text_name);
			fputc('\n', out);
		}
		if (tenths >= 0) {
			fprintf(out, "            check-in: ");
			list_checkins(r, wk, out);
			fprintf(out, " (mean %d.%d)\n", tenths / 10, tenths % 10);
		}
		unrecorded += wk->unrecorded;
		checkins += wk->checkins;
	}
	if (r->nversions) {
		fprintf(out, "Versions today (%s):\n", r->routine);
		for (size_t i = 0; i < r->nversions; i++) {
			const struct report_version *v = &r->versions[i];
			char day[16];

			fprintf(out, "            #%u %s: %s", v->step + 1, v->name,
				v->level == LEVEL_STANDARD ? "as written" : level_name(v->level));
			if (v->pinned)
				fprintf(out, ", pinned");
			if (v->changed >= 0) {
				report_day(v->changed, day, sizeof(day));
				fprintf(out, ", since %s", day);
			}
			fputc('\n', out);
		}
	}
	if (unrecorded)
		fprintf(out, "(%u session%s recorded before coach kept each step's outcome: "
			"counted, but not in the steps)\n", unrecorded, unrecorded == 1 ? "" : "s");
	fprintf(out, "Steps are numbered in the routine's order; harder or easier: the "
		"variant that played.\n");
	if (checkins)
		fprintf(out, "Check-in: the morning answer to how much the back hurts, 0 (not at "
			"all) to %d, day by day.\n", HISTORY_CHECKIN_MAX);
	return ferror(out) ? -EIO : 0;
}

int report_csv(const struct report *r, FILE *out)
{
	fputs("week,finished,stopped,minutes,steps_skipped,steps_hurt,skipped,hurt,planned,"
	      "checkin_mean\r\n", out);
	for (size_t w = 0; w < r->nweeks; w++) {
		const struct report_week *wk = &r->weeks[w];
		int tenths = report_checkin_tenths(wk);
		char day[16];

		report_day(wk->monday, day, sizeof(day));
		fprintf(out, "%s,%u,%u,%u,%u,%u,\"", day, wk->finished, wk->stopped,
			report_minutes(wk->seconds), wk->skipped, wk->hurt);
		list_steps(r, w, false, "; ", out, csv_name);
		fputs("\",\"", out);
		list_steps(r, w, true, "; ", out, csv_name);
		fputs("\",", out);
		if (r->planned)
			fprintf(out, "%u", r->planned);
		fputc(',', out);
		if (tenths >= 0)
			fprintf(out, "%d.%d", tenths / 10, tenths % 10);
		fputs("\r\n", out);
	}
	return ferror(out) ? -EIO : 0;
}

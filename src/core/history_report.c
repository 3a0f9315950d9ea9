/* The session log read back: the spoken streak, and the two ways of
 * printing it (coachctl history, and CSV for a physiotherapist). */
#include "history_report.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "history_date.h"
#include "safetext.h"
#include "step_outcome.h"

enum phrase history_streak_phrase(unsigned current, unsigned *n)
{
	*n = current;
	if (current == 0)
		return PHRASE_MAX;
	return current == 1 ? PHRASE_STREAK_ONE : PHRASE_STREAK;
}

/* "12:34", or "1:02:03" from an hour on. */
static void format_duration(unsigned s, char *buf, size_t size)
{
	if (s >= 3600)
		snprintf(buf, size, "%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%u:%02u", s / 60, s % 60);
}

static void print_session(const struct history_entry *e, FILE *out)
{
	char date[HISTORY_DATE_SIZE] = "----------T-----", spent[24], steps[STEP_OUTCOMES_SIZE];

	history_format_date(e, date, sizeof(date));
	date[10] = ' ';
	date[16] = '\0';
	format_duration(e->seconds, spent, sizeof(spent));
	snprintf(steps, sizeof(steps), "%u/%u", e->steps_done, e->steps_total);
	/* The name is read back from a file anyone in group coach may edit. */
	safetext_print(out, "%s  %-8s  %7s  %5s steps  %s", date,
		       e->result == HISTORY_FINISHED ? "finished" : "stopped", spent, steps,
		       e->routine);
	/* Each step's outcome and the check-in on a line of their own, under
	 * the session. */
	if (!e->nsteps || step_outcomes_format(e->step, e->nsteps, steps, sizeof(steps)) <= 0)
		steps[0] = '\0';
	if (steps[0] && e->checkin >= 0)
		fprintf(out, "%18s%s  check-in %d/%d\n", "", steps, e->checkin, HISTORY_CHECKIN_MAX);
	else if (steps[0])
		fprintf(out, "%18s%s\n", "", steps);
	else if (e->checkin >= 0)
		fprintf(out, "%18scheck-in %d/%d\n", "", e->checkin, HISTORY_CHECKIN_MAX);
}

int history_format(const struct history *h, time_t now, const struct streak_grace *g,
		   size_t last, FILE *out)
{
	size_t first = last > 0 && h->n > last ? h->n - last : 0;
	unsigned current, best;
	int rc = streak_count(h, now, g, &current, &best);
	bool outcomes = false;

	if (rc < 0)
		return rc;
	if (h->n == 0)
		fprintf(out, "No sessions yet.\n");
	for (size_t i = first; i < h->n; i++) {
		print_session(&h->entries[i], out);
		outcomes |= h->entries[i].nsteps > 0;
	}
	if (outcomes)
		fprintf(out, "(under a session, one letter per step: d done, s skipped, h hurt, "
			". not reached; + the harder variant, - the easier)\n");
	if (h->skipped > 0)
		fprintf(out, "(%u damaged line%s of the history skipped: a session cut short by a power cut, or an edit)\n",
			h->skipped, h->skipped == 1 ? "" : "s");
	if (h->n > 0)
		fprintf(out, "Current streak: %u morning%s. Best: %u.\n", current,
			current == 1 ? "" : "s", best);
	return ferror(out) ? -EIO : 0;
}

/* Writes S as one CSV field, quoted when it holds a comma, a quote or a line
 * break (RFC 4180), quotes doubled. */
static void csv_field(const char *s, FILE *out)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

int history_csv(const struct history *h, FILE *out)
{
	fputs("date,routine,result,seconds,steps_done,steps_total,outcomes,checkin\r\n", out);
	for (size_t i = 0; i < h->n; i++) {
		const struct history_entry *e = &h->entries[i];
		char date[HISTORY_DATE_SIZE] = "", name[HISTORY_MAX_ROUTINE];
		char steps[STEP_OUTCOMES_SIZE] = "";

		history_format_date(e, date, sizeof(date));
		fprintf(out, "%s,", date);
		safetext_copy(name, sizeof(name), e->routine);
		csv_field(name, out);
		if (e->nsteps && step_outcomes_format(e->step, e->nsteps, steps, sizeof(steps)) < 0)
			steps[0] = '\0';
		/* The outcomes hold no comma, quote or line break: never quoted. */
		fprintf(out, ",%s,%u,%u,%u,%s,",
			e->result == HISTORY_FINISHED ? "finished" : "stopped", e->seconds,
			e->steps_done, e->steps_total, steps);
		/* The check-in: empty when there was none, as the outcomes. */
		if (e->checkin >= 0)
			fprintf(out, "%d", e->checkin);
		fputs("\r\n", out);
	}
	return ferror(out) ? -EIO : 0;
}

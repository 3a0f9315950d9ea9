/* The report as one HTML page (see report_html.h). */
#include "report_html.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "report_print.h"
#include "safetext.h"

/* Chart units: the charts are as wide as the page, whatever the number of
 * weeks, so that a unit stays about a pixel and the text stays readable. */
#define WIDTH  640u   /* the plotting area */
#define LEFT   36u    /* room for the axis' numbers */
#define HEIGHT 160u

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:0 auto;max-width:46em;padding:.8em;"
	"color:#1b1b1b;background:#fff;line-height:1.4}"
	"h1{font-size:1.35em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .3em}"
	".wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95em}"
	"th,td{padding:.25em .4em;border-bottom:1px solid #ccc;text-align:right;white-space:nowrap}"
	"th:first-child,td:first-child{text-align:left}td.name{white-space:normal}"
	"svg{width:100%;height:auto;display:block}svg text{font-size:11px;fill:#333}"
	".key{font-size:.9em;color:#333}.sw{display:inline-block;width:.9em;height:.9em;"
	"vertical-align:-.1em;margin:0 .25em 0 .6em}"
	".d{white-space:nowrap}"
	/* On a phone the charts shrink to half: their text and lines grow back. */
	"@media (max-width:32em){body{padding:.4em}table{font-size:.85em}"
	"svg text{font-size:20px}svg polyline{stroke-width:6}svg circle{r:7}}"
	"@media print{body{max-width:none;font-size:10.5pt;padding:0}.wrap{overflow:visible}"
	"h2{break-after:avoid}svg,table,tr{break-inside:avoid}"
	".sw{print-color-adjust:exact;-webkit-print-color-adjust:exact}}";

/* TEXT from a file, one line with no control characters, HTML-escaped. */
static void html_text(const char *text, FILE *out)
{
	char clean[HISTORY_MAX_ROUTINE];

	safetext_copy(clean, sizeof(clean), text);
	for (const char *c = clean; *c; c++) {
		switch (*c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*c, out);
		}
	}
}

static unsigned highest(const struct report *r)
{
	unsigned top = r->planned;

	for (size_t w = 0; w < r->nweeks; w++)
		if (r->weeks[w].finished + r->weeks[w].stopped > top)
			top = r->weeks[w].finished + r->weeks[w].stopped;
	return top ? top : 1;
}

/* Weeks between two labels under a chart, so that they never overlap (a
 * label takes about 70 units with the phone's larger text). */
static unsigned label_every(const struct report *r)
{
	return (unsigned)((r->nweeks * 70 + WIDTH - 1) / WIDTH);
}

/* Sessions per week: finished below stopped, the plan as a dashed line. */
static void sessions_chart(const struct report *r, FILE *out)
{
	unsigned top = highest(r), step = (top + 5) / 6, every = label_every(r);
	unsigned width = LEFT + WIDTH + 8;
	double unit = (double)HEIGHT / top, slot = (double)WIDTH / r->nweeks, bar = slot * 0.7;

	fprintf(out, "<svg viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"Sessions per week\">\n",
		width, HEIGHT + 30);
	for (unsigned v = 0; v <= top; v += step)
		fprintf(out, "<line x1=\"%u\" x2=\"%u\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			"<text x=\"%u\" y=\"%.1f\" text-anchor=\"end\">%u</text>\n", LEFT, width,
			10 + HEIGHT - v * unit, 10 + HEIGHT - v * unit, LEFT - 6,
			14 + HEIGHT - v * unit, v);
	for (size_t w = 0; w < r->nweeks; w++) {
		const struct report_week *wk = &r->weeks[w];
		double x = LEFT + slot * w + (slot - bar) / 2;
		double fin = wk->finished * unit, stop = wk->stopped * unit;
		char day[16];

		if (wk->finished)
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
				"<title>%u finished</title></rect>\n", x, 10 + HEIGHT - fin, bar, fin,
				REPORT_HTML_FINISHED, wk->finished);
		if (wk->stopped)
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
				"<title>%u stopped</title></rect>\n", x, 10 + HEIGHT - fin - stop, bar,
				stop, REPORT_HTML_STOPPED, wk->stopped);
		report_day(wk->monday, day, sizeof(day));
		if (w % every == 0)
			fprintf(out, "<text x=\"%.1f\" y=\"%u\" text-anchor=\"middle\">%s</text>\n",
				x + bar / 2, HEIGHT + 26, day + 5);
	}
	if (r->planned)
		fprintf(out, "<line x1=\"%u\" x2=\"%u\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
			"stroke-width=\"3\" stroke-dasharray=\"8 5\"/>\n", LEFT, width,
			10 + HEIGHT - r->planned * unit, 10 + HEIGHT - r->planned * unit,
			REPORT_HTML_PLAN);
	fputs("</svg>\n<p class=\"key\"><span class=\"sw\" style=\"background:" REPORT_HTML_FINISHED
	      "\"></span>finished<span class=\"sw\" style=\"background:" REPORT_HTML_STOPPED
	      "\"></span>stopped", out);
	if (r->planned)
		fprintf(out, "<span class=\"sw\" style=\"background:%s\"></span>planned: %u a week "
			"(the schedule's days)", REPORT_HTML_PLAN, r->planned);
	fputs("</p>\n", out);
}

/* The check-in answers day by day, 0 (no pain) at the bottom. */
static void checkin_chart(const struct report *r, FILE *out)
{
	unsigned days = 7 * (unsigned)r->nweeks, width = LEFT + WIDTH + 8;
	double dx = (double)WIDTH / days, unit = (double)HEIGHT / HISTORY_CHECKIN_MAX;
	long long first = r->weeks[0].monday;

	unsigned every = label_every(r);

	fprintf(out, "<svg viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"Check-in answers\">\n",
		width, HEIGHT + 30);
	for (size_t w = 0; w < r->nweeks; w += every) {
		char day[16];

		report_day(r->weeks[w].monday, day, sizeof(day));
		fprintf(out, "<text x=\"%.1f\" y=\"%u\">%s</text>\n", LEFT + 7 * w * dx,
			HEIGHT + 26, day + 5);
	}
	for (unsigned v = 0; v <= HISTORY_CHECKIN_MAX; v += 5)
		fprintf(out, "<line x1=\"%u\" x2=\"%u\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			"<text x=\"%u\" y=\"%.1f\" text-anchor=\"end\">%u</text>\n", LEFT, width,
			10 + HEIGHT - v * unit, 10 + HEIGHT - v * unit, LEFT - 6,
			14 + HEIGHT - v * unit, v);
	fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"3\" points=\"",
		REPORT_HTML_CHECKIN);
	for (size_t i = 0; i < r->ncheckins; i++)
		fprintf(out, "%s%.1f,%.1f", i ? " " : "",
			LEFT + (r->checkins[i].day - first + 0.5) * dx,
			10 + HEIGHT - r->checkins[i].value * unit);
	fputs("\"/>\n", out);
	for (size_t i = 0; i < r->ncheckins; i++)
		fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n",
			LEFT + (r->checkins[i].day - first + 0.5) * dx,
			10 + HEIGHT - r->checkins[i].value * unit, REPORT_HTML_CHECKIN);
	fputs("</svg>\n", out);
}

static void weeks_table(const struct report *r, FILE *out)
{
	fputs("<div class=\"wrap\"><table>\n<tr><th>Week of</th><th>Finished</th><th>Stopped</th>"
	      "<th>Planned</th><th>Minutes</th><th>Skipped</th><th>Hurt</th>"
	      "<th>Check-in</th></tr>\n", out);
	for (size_t w = 0; w < r->nweeks; w++) {
		const struct report_week *wk = &r->weeks[w];
		int tenths = report_checkin_tenths(wk);
		char day[16];

		report_day(wk->monday, day, sizeof(day));
		fprintf(out, "<tr><td>%s</td><td>%u</td><td>%u</td><td>", day, wk->finished,
			wk->stopped);
		if (r->planned)
			fprintf(out, "%u", r->planned);
		else
			fputs("&ndash;", out);
		fprintf(out, "</td><td>%u</td><td>%u</td><td>%u</td><td>", report_minutes(wk->seconds),
			wk->skipped, wk->hurt);
		if (tenths >= 0)
			fprintf(out, "%d.%d", tenths / 10, tenths % 10);
		else
			fputs("&ndash;", out);
		fputs("</td></tr>\n", out);
	}
	fputs("</table></div>\n", out);
}

/* True when step I is the first of its kind (routine, step, version). */
static bool first_of_kind(const struct report *r, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (r->steps[j].step == r->steps[i].step && r->steps[j].level == r->steps[i].level &&
		    strcmp(r->steps[j].routine, r->steps[i].routine) == 0)
			return false;
	return true;
}

/* Every step skipped or hurt, once, with its counts over the whole report
 * and the weeks it happened in. */
static void steps_table(const struct report *r, FILE *out)
{
	if (!r->nsteps) {
		fputs("<p>No step was skipped or hurt in these weeks.</p>\n", out);
		return;
	}
	fputs("<div class=\"wrap\"><table>\n<tr><th>Step</th><th>Hurt</th><th>Skipped</th>"
	      "<th>Weeks of</th></tr>\n", out);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct report_step *s = &r->steps[i];
		unsigned hurt = 0, skipped = 0, n = 0;

		if (!first_of_kind(r, i))
			continue;
		fputs("<tr><td class=\"name\">", out);
		html_text(s->routine, out);
		fprintf(out, " #%u", s->step + 1);
		if (s->name[0]) {
			fputs(" <b>", out);
			html_text(s->name, out);
			fputs("</b>", out);
		}
		fprintf(out, "%s</td>", report_level_suffix(s->level));
		for (size_t j = i; j < r->nsteps; j++) {
			const struct report_step *t = &r->steps[j];

			if (t->step == s->step && t->level == s->level && !strcmp(t->routine, s->routine)) {
				hurt += t->hurt;
				skipped += t->skipped;
			}
		}
		fprintf(out, "<td>%u</td><td>%u</td><td class=\"name\">", hurt, skipped);
		for (size_t j = i; j < r->nsteps; j++) {
			const struct report_step *t = &r->steps[j];
			char day[16];

			if (t->step != s->step || t->level != s->level || strcmp(t->routine, s->routine))
				continue;
			report_day(r->weeks[t->week].monday, day, sizeof(day));
			fprintf(out, "%s<span class=\"d\">%s</span>", n++ ? ", " : "", day);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table></div>\n", out);
}

/* Which version of each step with versions plays today, and since when. */
static void versions_table(const struct report *r, FILE *out)
{
	if (!r->nversions)
		return;
	fputs("<h2>Versions today</h2>\n<p class=\"key\">", out);
	html_text(r->routine, out);
	fputs(": the version each step plays next, by its rules and the history.</p>\n"
	      "<div class=\"wrap\"><table>\n<tr><th>Step</th><th>Plays</th><th>Since</th></tr>\n", out);
	for (size_t i = 0; i < r->nversions; i++) {
		const struct report_version *v = &r->versions[i];
		char day[16] = "";

		if (v->changed >= 0)
			report_day(v->changed, day, sizeof(day));
		fprintf(out, "<tr><td class=\"name\">#%u ", v->step + 1);
		html_text(v->name, out);
		fprintf(out, "</td><td>%s%s</td><td>%s</td></tr>\n",
			v->level == LEVEL_STANDARD ? "as written" : level_name(v->level),
			v->pinned ? ", pinned" : "", day);
	}
	fputs("</table></div>\n", out);
}

int report_html(const struct report *r, FILE *out)
{
	char from[16], to[16];
	unsigned finished = 0, planned = r->planned * (unsigned)r->nweeks;

	report_day(r->weeks[0].monday, from, sizeof(from));
	report_day(r->weeks[r->nweeks - 1].monday + 6, to, sizeof(to));
	for (size_t w = 0; w < r->nweeks; w++)
		finished += r->weeks[w].finished;
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>Back exercise report, %s to %s</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>Back exercise report</h1>\n<p>%s to %s, %zu week%s: <b>%u</b> session%s "
		"finished", from, to, style, from, to, r->nweeks, r->nweeks == 1 ? "" : "s",
		finished, finished == 1 ? "" : "s");
	if (planned)
		fprintf(out, " of %u planned", planned);
	fputs(".</p>\n<h2>Sessions per week</h2>\n", out);
	sessions_chart(r, out);
	weeks_table(r, out);
	fputs("<h2>Steps skipped and hurt</h2>\n", out);
	steps_table(r, out);
	fputs("<p class=\"key\">Steps are numbered in the routine's order and named as in its file "
	      "today; harder or easier: the variant that played.</p>\n<h2>Check-in</h2>\n", out);
	if (r->ncheckins) {
		fprintf(out, "<p class=\"key\">The morning answer to how much the back hurts, 0 (not "
			"at all) to %d; %zu answer%s.</p>\n", HISTORY_CHECKIN_MAX, r->ncheckins,
			r->ncheckins == 1 ? "" : "s");
		checkin_chart(r, out);
	} else {
		fputs("<p>No check-in answers in these weeks.</p>\n", out);
	}
	versions_table(r, out);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? -EIO : 0;
}

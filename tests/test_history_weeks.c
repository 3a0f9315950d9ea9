/* The report for a physiotherapist, from a hand-written history file: weeks
 * from Monday to Sunday by the date each line gives (another time zone's
 * evening included), a week with nothing, sessions before the window and
 * after today left out, lines of every version (five to eight fields), the
 * steps skipped and hurt, which and how often, named from the routine where
 * it still has them, the check-in's answers day by day and each week's mean,
 * and the plan; in text, CSV and HTML (escaped, self-contained). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "history.h"
#include "history_date.h"
#include "history_weeks.h"
#include "report_html.h"
#include "report_print.h"
#include "routine.h"

static const char file[] =
	"# coach history: local date-time, routine, result, active seconds, steps done/total, audio glitches, step outcomes\n"
	"2026-10-30T07:00:00+01:00\tMorning back\tfinished\t600\t3/3\t0\thhh\t8\n"   /* before the window */
	"2026-11-02T07:00:00+01:00\tMorning back\tfinished\t600\t3/3\t0\tdh+d\n"
	"2026-11-08T23:30:00+01:00\tMorning back\tfinished\t300\t3/3\n"             /* five fields, a Sunday */
	/* the week of 9 November: nothing */
	"2026-11-16T07:00:00+01:00\tMorning back\tstopped\t90\t1/3\t0\tds.\n"
	"2026-11-17T07:00:00+01:00\tMorning back\tfinished\t630\t3/3\t0\tdsd\t4\n"
	"2026-11-18T07:00:00+01:00\tMorning back\tfinished\t620\t3/3\t2\n"          /* six fields */
	"2026-11-22T23:30:00-05:00\tMorning back\tfinished\t120\t3/3\t0\tddd\n"     /* Sunday in New York */
	"2026-11-24T07:00:00+01:00\tDesk \"break\", short\tfinished\t60\t1/1\t0\th-\t3\n"
	"2026-11-23T00:10:00+01:00\tMorning back\tfinished\t45\t3/3\t0\thhd\t10\n"  /* clock set back */
	"2026-11-23T00:10:00+01:00\tMorning back\tfinished\t60\t3/3\t0\thsd\t-\n"
	"2026-11-26T07:00:00+01:00\tMorning back\tfinished\t600\t3/3\t0\thhh\t9\n";   /* after today */

static struct history h;
static time_t now;

static int setup(void **state)
{
	char path[] = "/tmp/coach-test-weeks-XXXXXX";
	int fd = mkstemp(path);
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = 12, .tm_isdst = -1 };
	struct diag err;

	(void)state;
	fx_zone();
	now = mktime(&tm);                    /* Wednesday 25 November 2026, noon */
	if (fd < 0 || write(fd, file, sizeof(file) - 1) != (ssize_t)(sizeof(file) - 1))
		return -1;
	close(fd);
	if (history_load(path, &h, &err) < 0)
		return -1;
	unlink(path);
	return h.skipped == 0 && h.n == 11 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	history_free(&h);
	return 0;
}

static void figures_per_week(void **state)
{
	struct report r;
	const struct report_week *w;

	(void)state;
	assert_int_equal(report_build(&h, now, 4, &r), 0);
	assert_int_equal(r.nweeks, 4);
	w = r.weeks;
	/* 2 November: two finished (the Sunday's line from before outcomes). */
	assert_int_equal(w[0].finished, 2);
	assert_int_equal(w[0].stopped, 0);
	assert_int_equal(w[0].seconds, 900);
	assert_int_equal(w[0].hurt, 1);
	assert_int_equal(w[0].skipped, 0);
	assert_int_equal(w[0].unrecorded, 1);
	/* 9 November: nothing, still a week. */
	assert_int_equal(w[1].finished + w[1].stopped + w[1].seconds + w[1].hurt + w[1].skipped, 0);
	/* 16 November: New York's Sunday evening is Sunday. */
	assert_int_equal(w[2].finished, 3);
	assert_int_equal(w[2].stopped, 1);
	assert_int_equal(w[2].seconds, 90 + 630 + 620 + 120);
	assert_int_equal(w[2].skipped, 2);
	assert_int_equal(w[2].hurt, 0);
	assert_int_equal(w[2].unrecorded, 1);
	/* 23 November, up to today: the 26th is not counted. */
	assert_int_equal(w[3].finished, 3);
	assert_int_equal(w[3].seconds, 165);
	assert_int_equal(w[3].hurt, 4);
	assert_int_equal(w[3].skipped, 1);
	/* Which steps, how often, in which version. */
	assert_int_equal(r.nsteps, 5);
	assert_int_equal(r.steps[0].week, 0);
	assert_int_equal(r.steps[0].step, 1);
	assert_int_equal(r.steps[0].level, LEVEL_HARDER);
	assert_int_equal(r.steps[0].hurt, 1);
	assert_int_equal(r.steps[1].week, 2);
	assert_int_equal(r.steps[1].skipped, 2);
	/* A clock set back: the week's steps as first met in the file. */
	assert_string_equal(r.steps[2].routine, "Desk \"break\", short");
	assert_int_equal(r.steps[2].step, 0);
	assert_int_equal(r.steps[2].hurt, 1);
	assert_int_equal(r.steps[2].level, LEVEL_EASIER);
	assert_string_equal(r.steps[3].routine, "Morning back");
	assert_int_equal(r.steps[3].step, 0);
	assert_int_equal(r.steps[3].hurt, 2);
	/* The check-ins by day (the 23rd's line came after the 24th's), in the window. */
	assert_int_equal(r.ncheckins, 3);
	assert_int_equal(r.checkins[0].value, 4);
	assert_int_equal(r.checkins[1].value, 10);
	assert_int_equal(r.checkins[2].value, 3);
	assert_true(r.checkins[1].day < r.checkins[2].day);
	assert_int_equal(w[2].checkins, 1);
	assert_int_equal(report_checkin_tenths(&w[2]), 40);
	assert_int_equal(w[3].checkins, 2);
	assert_int_equal(report_checkin_tenths(&w[3]), 65);
	assert_int_equal(report_checkin_tenths(&w[1]), -1);
	report_free(&r);
	report_free(&r);
	/* One week: this one; none or too many: refused. */
	assert_int_equal(report_build(&h, now, 1, &r), 0);
	assert_int_equal(r.nweeks, 1);
	assert_int_equal(r.weeks[0].finished, 3);
	report_free(&r);
	assert_int_equal(report_build(&h, now, 0, &r), -EINVAL);
	assert_int_equal(report_build(&h, now, REPORT_MAX_WEEKS + 1, &r), -EINVAL);
}

/* A routine file as it is now: Morning back has two steps (the history's
 * had three), the second with a harder variant. */
static const char routine_text[] =
	"name: Morning back\n"
	"steps:\n"
	"  - name: Cat <and> camel\n"
	"    time: 10s\n"
	"  - name: Knee to chest\n"
	"    time: 10s\n"
	"    harder:\n"
	"      name: Both knees to chest\n";

enum format { TEXT, CSV, HTML };

/* The report in FORMAT; with the plan and the routine's names when NAMED. */
static char *print(enum format f, bool named)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct routine routine;
	struct diag err;
	struct report r;

	assert_non_null(out);
	assert_int_equal(report_build(&h, now, 4, &r), 0);
	if (named) {
		if (routine_parse("morning.yaml", routine_text, strlen(routine_text), &routine, &err) < 0)
			fail_msg("%s", err.text);
		report_name_steps(&r, &routine);
		routine_free(&routine);
		r.planned = 5;
	}
	assert_int_equal(f == CSV ? report_csv(&r, out) : f == HTML ? report_html(&r, out) :
			 report_text(&r, out), 0);
	report_free(&r);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void text_and_csv(void **state)
{
	char *text;

	(void)state;
	text = print(TEXT, false);
	assert_string_equal(text,
		"Week of      Finished  Stopped  Minutes  Steps skipped  Steps hurt\n"
		"2026-11-02         2        0       15              0           1\n"
		"            hurt: Morning back #2 harder x1\n"
		"2026-11-09         0        0        0              0           0\n"
		"2026-11-16         3        1       24              2           0\n"
		"            skipped: Morning back #2 x2\n"
		"            check-in: 4 (mean 4.0)\n"
		"2026-11-23         3        0        3              1           4\n"
		"            hurt: Desk \"break\", short #1 easier x1, Morning back #1 x2, Morning back #2 x1\n"
		"            skipped: Morning back #2 x1\n"
		"            check-in: 10 3 (mean 6.5)\n"
		"(2 sessions recorded before coach kept each step's outcome: counted, but not in the steps)\n"
		"Steps are numbered in the routine's order; harder or easier: the variant that played.\n"
		"Check-in: the morning answer to how much the back hurts, 0 (not at all) to 10, day by day.\n");
	free(text);
	text = print(CSV, false);
	assert_string_equal(text,
		"week,finished,stopped,minutes,steps_skipped,steps_hurt,skipped,hurt,planned,checkin_mean\r\n"
		"2026-11-02,2,0,15,0,1,\"\",\"Morning back #2 harder x1\",,\r\n"
		"2026-11-09,0,0,0,0,0,\"\",\"\",,\r\n"
		"2026-11-16,3,1,24,2,0,\"Morning back #2 x2\",\"\",,4.0\r\n"
		"2026-11-23,3,0,3,1,4,\"Morning back #2 x1\",\"Desk \"\"break\"\", short #1 easier x1; "
		"Morning back #1 x2; Morning back #2 x1\",,6.5\r\n");
	free(text);
}

/* With the routine at hand: the steps it still has by name (the version that
 * played), the plan above the table and in every CSV row. */
static void names_and_plan(void **state)
{
	char *text;

	(void)state;
	text = print(TEXT, true);
	assert_non_null(strstr(text, "Planned: 5 sessions a week (the days of the schedule in coach.yaml).\n"
				     "Week of "));
	assert_non_null(strstr(text, "            hurt: Morning back #2 (Both knees to chest) harder x1\n"));
	assert_non_null(strstr(text, "            hurt: Desk \"break\", short #1 easier x1, "
				     "Morning back #1 (Cat <and> camel) x2, Morning back #2 (Knee to chest) x1\n"));
	free(text);
	text = print(CSV, true);
	assert_non_null(strstr(text, "2026-11-09,0,0,0,0,0,\"\",\"\",5,\r\n"));
	assert_non_null(strstr(text, "\"Morning back #2 (Knee to chest) x2\",\"\",5,4.0\r\n"));
	free(text);
}

/* The page: every part there, the names escaped, nothing to fetch or run,
 * the bars and the check-in's dots where the figures put them. */
static void html_page(void **state)
{
	char *page;

	(void)state;
	page = print(HTML, true);
	assert_true(strncmp(page, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	assert_non_null(strstr(page, "<meta name=\"viewport\""));
	assert_non_null(strstr(page, "@media print{"));
	assert_non_null(strstr(page, "<h2>Sessions per week</h2>\n<svg viewBox="));
	assert_non_null(strstr(page, "<b>8</b> sessions finished of 20 planned."));
	assert_non_null(strstr(page, "Morning back #1 <b>Cat &lt;and&gt; camel</b>"));
	assert_non_null(strstr(page, "Desk &quot;break&quot;, short #1 easier"));
	assert_null(strstr(page, "<and>"));
	assert_null(strstr(page, "Desk \"break\""));
	assert_null(strstr(page, "<script"));
	assert_null(strstr(page, "src="));
	assert_null(strstr(page, "href="));
	/* Bars: 2, 0, 3 + 1 stopped and 3 finished, out of 5 (the plan) over 160 units. */
	assert_non_null(strstr(page, "height=\"64.0\" fill=\"" REPORT_HTML_FINISHED "\"><title>2 finished"));
	assert_non_null(strstr(page, "height=\"96.0\" fill=\"" REPORT_HTML_FINISHED "\"><title>3 finished"));
	assert_non_null(strstr(page, "height=\"32.0\" fill=\"" REPORT_HTML_STOPPED "\"><title>1 stopped"));
	assert_non_null(strstr(page, "stroke=\"" REPORT_HTML_PLAN "\""));
	/* The check-ins: 4, 10, 3 on a 0..10 scale of 160 units. */
	assert_non_null(strstr(page, "<td>2026-11-23</td><td>3</td><td>0</td><td>5</td><td>3</td>"
				     "<td>1</td><td>4</td><td>6.5</td>"));
	assert_non_null(strstr(page, "3 answers"));
	assert_non_null(strstr(page, ",106.0 "));       /* 4: 10 + 160 - 64 */
	assert_non_null(strstr(page, ",10.0 "));        /* 10: the top */
	assert_non_null(strstr(page, ",122.0\"/>"));    /* 3, the last */
	free(page);
	/* Without check-ins or steps, said so. */
	h.n = 2;
	page = print(HTML, false);
	assert_non_null(strstr(page, "No check-in answers in these weeks."));
	assert_null(strstr(page, "Check-in answers\""));
	free(page);
	h.n = 11;
}

/* Today's versions: a step moved up by its rule after two sessions done
 * (since the day of the second), a pinned one, a plain one left out. */
static void versions_today(void **state)
{
	static const char rules[] =
		"name: Morning back\n"
		"steps:\n"
		"  - name: Knee hug\n"
		"    time: 30s\n"
		"    progress: harder after 2 sessions\n"
		"    harder:\n"
		"      name: One knee, other leg long\n"
		"  - name: Bridge\n"
		"    time: 20s\n"
		"    level: easier\n"
		"    pin: easier\n"
		"    easier:\n"
		"      name: Small bridge\n"
		"  - name: Cat and camel\n"
		"    time: 20s\n";
	static const char lines[] =
		"2026-11-20T07:00:00+01:00\tMorning back\tfinished\t600\t3/3\t0\tdd-d\n"
		"2026-11-21T23:30:00-05:00\tMorning back\tfinished\t600\t3/3\t0\tdd-d\n";
	char path[] = "/tmp/coach-test-versions-XXXXXX";
	int fd = mkstemp(path);
	struct history hv;
	struct routine routine;
	struct diag err;
	struct report r;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, lines, sizeof(lines) - 1), (ssize_t)(sizeof(lines) - 1));
	close(fd);
	assert_int_equal(history_load(path, &hv, &err), 0);
	unlink(path);
	if (routine_parse("morning.yaml", rules, strlen(rules), &routine, &err) < 0)
		fail_msg("%s", err.text);
	assert_int_equal(report_build(&hv, now, 2, &r), 0);
	assert_int_equal(report_versions(&r, &routine, &hv), 0);
	assert_string_equal(r.routine, "Morning back");
	assert_int_equal(r.nversions, 2);
	assert_int_equal(r.versions[0].step, 0);
	assert_int_equal(r.versions[0].level, LEVEL_HARDER);
	assert_false(r.versions[0].pinned);
	/* The local day of the session after which it moved, as its line says
	 * (New York's 21 November, though Berlin's clock read the 22nd). */
	assert_int_equal(r.versions[0].changed, history_days_from_civil(2026, 11, 21));
	assert_int_equal(r.versions[1].step, 1);
	assert_int_equal(r.versions[1].level, LEVEL_EASIER);
	assert_true(r.versions[1].pinned);
	assert_int_equal(r.versions[1].changed, -1);

	out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(report_text(&r, out), 0);
	assert_int_equal(fclose(out), 0);
	assert_non_null(strstr(text, "Versions today (Morning back):\n"));
	assert_non_null(strstr(text, "#1 Knee hug: harder, since 2026-11-21\n"));
	assert_non_null(strstr(text, "#2 Bridge: easier, pinned\n"));
	assert_null(strstr(text, "Cat and camel"));
	free(text);
	text = NULL;
	out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(report_html(&r, out), 0);
	assert_int_equal(fclose(out), 0);
	assert_non_null(strstr(text, "<h2>Versions today</h2>"));
	assert_non_null(strstr(text, "#1 Knee hug</td><td>harder</td><td>2026-11-21</td>"));
	assert_non_null(strstr(text, "#2 Bridge</td><td>easier, pinned</td><td></td>"));
	free(text);
	report_free(&r);
	routine_free(&routine);
	history_free(&hv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures_per_week),
		cmocka_unit_test(text_and_csv),
		cmocka_unit_test(names_and_plan),
		cmocka_unit_test(html_page),
		cmocka_unit_test(versions_today),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

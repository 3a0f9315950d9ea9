/* The report for a physiotherapist, from a hand-written history file: weeks
 * from Monday to Sunday by the date each line gives (another time zone's
 * evening included), a week with nothing, sessions before the window and
 * after today left out, lines of every version (five, six and seven fields),
 * and the steps skipped and hurt, which and how often, in text and CSV. */
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

#include "history.h"
#include "history_weeks.h"
#include "routine.h"

static const char file[] =
	"# coach history: local date-time, routine, result, active seconds, steps done/total, audio glitches, step outcomes\n"
	"2026-10-30T07:00:00+01:00\tMorning back\tfinished\t600\t3/3\t0\thhh\n"      /* before the window */
	"2026-11-02T07:00:00+01:00\tMorning back\tfinished\t600\t3/3\t0\tdh+d\n"
	"2026-11-08T23:30:00+01:00\tMorning back\tfinished\t300\t3/3\n"             /* five fields, a Sunday */
	/* the week of 9 November: nothing */
	"2026-11-16T07:00:00+01:00\tMorning back\tstopped\t90\t1/3\t0\tds.\n"
	"2026-11-17T07:00:00+01:00\tMorning back\tfinished\t630\t3/3\t0\tdsd\n"
	"2026-11-18T07:00:00+01:00\tMorning back\tfinished\t620\t3/3\t2\n"          /* six fields */
	"2026-11-22T23:30:00-05:00\tMorning back\tfinished\t120\t3/3\t0\tddd\n"     /* Sunday in New York */
	"2026-11-23T00:10:00+01:00\tMorning back\tfinished\t45\t3/3\t0\thhd\n"
	"2026-11-23T00:10:00+01:00\tMorning back\tfinished\t60\t3/3\t0\thsd\n"
	"2026-11-24T07:00:00+01:00\tDesk \"break\", short\tfinished\t60\t1/1\t0\th-\n"
	"2026-11-26T07:00:00+01:00\tMorning back\tfinished\t600\t3/3\t0\thhh\n";     /* after today */

static struct history h;
static time_t now;

static int setup(void **state)
{
	char path[] = "/tmp/coach-test-weeks-XXXXXX";
	int fd = mkstemp(path);
	struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 25, .tm_hour = 12, .tm_isdst = -1 };
	struct diag err;

	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
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
	assert_int_equal(r.steps[2].step, 0);
	assert_int_equal(r.steps[2].hurt, 2);
	assert_string_equal(r.steps[4].routine, "Desk \"break\", short");
	assert_int_equal(r.steps[4].level, LEVEL_EASIER);
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

static char *print(bool csv)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct report r;

	assert_non_null(out);
	assert_int_equal(report_build(&h, now, 4, &r), 0);
	assert_int_equal(csv ? report_csv(&r, out) : report_text(&r, out), 0);
	report_free(&r);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void text_and_csv(void **state)
{
	char *text;

	(void)state;
	text = print(false);
	assert_string_equal(text,
		"Week of      Finished  Stopped  Minutes  Steps skipped  Steps hurt\n"
		"2026-11-02         2        0       15              0           1\n"
		"            hurt: Morning back #2 harder x1\n"
		"2026-11-09         0        0        0              0           0\n"
		"2026-11-16         3        1       24              2           0\n"
		"            skipped: Morning back #2 x2\n"
		"2026-11-23         3        0        3              1           4\n"
		"            hurt: Morning back #1 x2, Morning back #2 x1, Desk \"break\", short #1 easier x1\n"
		"            skipped: Morning back #2 x1\n"
		"(2 sessions recorded before coach kept each step's outcome: counted, but not in the steps)\n"
		"Steps are numbered in the routine's order; harder or easier: the variant that played.\n");
	free(text);
	text = print(true);
	assert_string_equal(text,
		"week,finished,stopped,minutes,steps_skipped,steps_hurt,skipped,hurt\r\n"
		"2026-11-02,2,0,15,0,1,\"\",\"Morning back #2 harder x1\"\r\n"
		"2026-11-09,0,0,0,0,0,\"\",\"\"\r\n"
		"2026-11-16,3,1,24,2,0,\"Morning back #2 x2\",\"\"\r\n"
		"2026-11-23,3,0,3,1,4,\"Morning back #2 x1\",\"Morning back #1 x2; Morning back #2 x1; "
		"Desk \"\"break\"\", short #1 easier x1\"\r\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures_per_week),
		cmocka_unit_test(text_and_csv),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* The session log read back: streaks (across months and years, clock
 * changes, gaps, stopped sessions, a morning not yet done, time zones), the
 * spoken streak, and the printed and CSV forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "history.h"
#include "history_report.h"

static int setup(void **state)
{
	(void)state;
	fx_zone();
	return 0;
}

/* The streak of entries E (N of them) at NOW. */
static void streak(const struct history_entry *e, size_t n, time_t now, unsigned current,
		   unsigned best)
{
	struct history h = { .entries = (struct history_entry *)e, .n = n, .cap = n };
	unsigned c = 99, b = 99;

	/* Strict (no grace day): streak.c's own tests cover the grace. */
	assert_int_equal(streak_count(&h, now, &(struct streak_grace){ .days = 0 }, &c, &b), 0);
	assert_int_equal(c, current);
	assert_int_equal(b, best);
}

#define FIN(y, m, d, h, mi) fx_entry(fx_local(y, m, d, h, mi), "R", HISTORY_FINISHED, 600, 5, 5)
#define STOP(y, m, d, h, mi) fx_entry(fx_local(y, m, d, h, mi), "R", HISTORY_STOPPED, 60, 1, 5)

static void streaks_across_months_and_gaps(void **state)
{
	const struct history_entry e[] = {
		FIN(2025, 12, 30, 7, 0), FIN(2025, 12, 31, 7, 0),       /* a new year */
		FIN(2026, 1, 1, 7, 0), FIN(2026, 1, 1, 18, 0),         /* twice in a day */
		FIN(2026, 1, 2, 7, 0),
		FIN(2026, 1, 5, 7, 0),                                 /* a gap */
		FIN(2026, 1, 30, 7, 0), FIN(2026, 1, 31, 7, 0),        /* a month's end */
		FIN(2026, 2, 1, 7, 0),
	};
	const size_t n = sizeof(e) / sizeof(e[0]);

	(void)state;
	streak(e, 0, fx_local(2026, 2, 1, 12, 0), 0, 0);
	streak(e, n, fx_local(2026, 2, 1, 12, 0), 3, 4);
	streak(e, n, fx_local(2026, 2, 1, 0, 0), 3, 4);
	/* The morning is not over: yesterday's streak still stands. */
	streak(e, n, fx_local(2026, 2, 2, 6, 0), 3, 4);
	streak(e, n, fx_local(2026, 2, 2, 23, 59), 3, 4);
	streak(e, n, fx_local(2026, 2, 3, 0, 0), 0, 4);
	streak(e, n, fx_local(2026, 1, 2, 7, 30), 4, 4);
	streak(e, n, fx_local(2026, 1, 5, 7, 30), 1, 4);
	/* Sessions after NOW (a clock set wrong) do not make today's streak. */
	streak(e, n, fx_local(2026, 1, 1, 12, 0), 3, 4);
	streak(e, n, fx_local(2025, 1, 1, 12, 0), 0, 4);
}

static void stopped_sessions_do_not_count(void **state)
{
	const struct history_entry e[] = {
		FIN(2026, 3, 1, 7, 0), STOP(2026, 3, 2, 7, 0), FIN(2026, 3, 3, 7, 0),
		STOP(2026, 3, 4, 7, 0), STOP(2026, 3, 4, 7, 30),
	};

	(void)state;
	streak(e, 5, fx_local(2026, 3, 3, 12, 0), 1, 1);
	streak(e, 5, fx_local(2026, 3, 4, 12, 0), 1, 1);   /* stopped today: yesterday still counts */
	streak(e, 5, fx_local(2026, 3, 5, 12, 0), 0, 1);
	streak(e, 2, fx_local(2026, 3, 2, 12, 0), 1, 1);
}

/* Berlin changes its clocks on 2026-03-29 (02:00 -> 03:00) and on 2026-10-25
 * (03:00 -> 02:00): days of 23 and 25 hours.  Sessions just after midnight
 * and just before it fall on different local days than UTC days. */
static void streaks_across_clock_changes(void **state)
{
	const struct history_entry spring[] = {
		FIN(2026, 3, 27, 23, 50), FIN(2026, 3, 28, 0, 10),    /* 20 minutes, two days */
		FIN(2026, 3, 29, 0, 30), FIN(2026, 3, 30, 23, 30),    /* 23-hour day between */
		FIN(2026, 3, 31, 0, 30),
	};
	const struct history_entry autumn[] = {
		FIN(2026, 10, 24, 23, 30), FIN(2026, 10, 25, 23, 30),  /* 25-hour day */
		FIN(2026, 10, 26, 0, 30),  FIN(2026, 10, 27, 0, 15),
	};

	(void)state;
	streak(spring, 5, fx_local(2026, 3, 31, 0, 45), 5, 5);
	streak(spring, 5, fx_local(2026, 4, 1, 0, 1), 5, 5);
	streak(spring, 4, fx_local(2026, 3, 30, 23, 45), 4, 4);
	streak(autumn, 4, fx_local(2026, 10, 27, 23, 59), 4, 4);
	streak(autumn, 2, fx_local(2026, 10, 26, 0, 5), 2, 2);
	/* The local day is the one written in the line, wherever it was written. */
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	streak(autumn, 4, fx_local(2026, 10, 28, 4, 0), 4, 4);
	streak(autumn, 4, fx_local(2026, 10, 29, 4, 0), 0, 4);
}

static void streak_phrases(void **state)
{
	struct voice v;
	struct diag err;
	char buf[128];
	unsigned n = 99;

	(void)state;
	assert_int_equal(history_streak_phrase(0, &n), PHRASE_MAX);
	assert_int_equal(history_streak_phrase(1, &n), PHRASE_STREAK_ONE);
	assert_int_equal(history_streak_phrase(5, &n), PHRASE_STREAK);
	assert_int_equal(n, 5);
	if (voice_load("voices/en.yaml", &v, &err))
		fail_msg("%s", err.text);
	assert_string_equal(voice_say(&v, history_streak_phrase(5, &n), NULL, n, 0, buf, sizeof(buf)),
			    "5 mornings in a row.");
	assert_string_equal(voice_say(&v, history_streak_phrase(1, &n), NULL, n, 0, buf, sizeof(buf)),
			    "That's day one. See you tomorrow.");
	voice_free(&v);
}

static char *format(const struct history *h, time_t now, size_t last, bool csv)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(csv ? history_csv(h, out) : history_format(h, now, &(struct streak_grace){ .days = 0 }, last, out), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void prints_sessions_and_streaks(void **state)
{
	struct history_entry e[] = {
		fx_entry(fx_local(2026, 11, 22, 7, 2), "Morning back mobility", HISTORY_FINISHED, 754, 11, 11),
		fx_entry(fx_local(2026, 11, 23, 7, 5), "Weekend, long", HISTORY_STOPPED, 190, 4, 11),
		fx_entry(fx_local(2026, 11, 23, 7, 15), "Say \"hi\"", HISTORY_FINISHED, 3725, 11, 11),
		fx_entry(fx_local(2026, 11, 24, 6, 58), "Morning back mobility", HISTORY_FINISHED, 59, 1, 11),
	};
	struct history h = { .entries = e, .n = 4, .cap = 4 };
	char *text;

	(void)state;
	text = format(&h, fx_local(2026, 11, 24, 12, 0), 3, false);
	assert_string_equal(text,
		"2026-11-23 07:05  stopped      3:10   4/11 steps  Weekend, long\n"
		"2026-11-23 07:15  finished  1:02:05  11/11 steps  Say \"hi\"\n"
		"2026-11-24 06:58  finished     0:59   1/11 steps  Morning back mobility\n"
		"Current streak: 3 mornings. Best: 3.\n");
	free(text);
	h.n = 1;
	h.skipped = 1;
	text = format(&h, fx_local(2026, 11, 24, 12, 0), 0, false);
	assert_string_equal(text,
		"2026-11-22 07:02  finished    12:34  11/11 steps  Morning back mobility\n"
		"(1 damaged line of the history skipped: a session cut short by a power cut, or an edit)\n"
		"Current streak: 0 mornings. Best: 1.\n");
	free(text);
	h.n = 0;
	h.skipped = 0;
	text = format(&h, 0, 10, false);
	assert_string_equal(text, "No sessions yet.\n");
	free(text);
	h.n = 4;
	text = format(&h, 0, 0, true);
	assert_string_equal(text,
		"date,routine,result,seconds,steps_done,steps_total,outcomes,checkin\r\n"
		"2026-11-22T07:02:00+01:00,Morning back mobility,finished,754,11,11,,\r\n"
		"2026-11-23T07:05:00+01:00,\"Weekend, long\",stopped,190,4,11,,\r\n"
		"2026-11-23T07:15:00+01:00,\"Say \"\"hi\"\"\",finished,3725,11,11,,\r\n"
		"2026-11-24T06:58:00+01:00,Morning back mobility,finished,59,1,11,,\r\n");
	free(text);
	/* Each step's outcome, when recorded: under the session, and in the CSV. */
	e[1].nsteps = 3;
	e[1].steps_total = 3;
	e[1].steps_done = 1;
	e[1].step[0] = (struct history_step){ STEP_DONE, 0 };
	e[1].step[1] = (struct history_step){ STEP_HURT, 2 };
	e[1].step[2] = (struct history_step){ STEP_NOT_REACHED, 1 };
	e[1].checkin = 5;              /* and the check-in's answer, 0 to 10 */
	e[2].checkin = 0;
	h.n = 3;
	text = format(&h, fx_local(2026, 11, 24, 12, 0), 0, false);
	assert_string_equal(text,
		"2026-11-22 07:02  finished    12:34  11/11 steps  Morning back mobility\n"
		"2026-11-23 07:05  stopped      3:10    1/3 steps  Weekend, long\n"
		"                  dh+.-  check-in 5/10\n"
		"2026-11-23 07:15  finished  1:02:05  11/11 steps  Say \"hi\"\n"
		"                  check-in 0/10\n"
		"(under a session, one letter per step: d done, s skipped, h hurt, . not reached; "
		"+ the harder variant, - the easier)\n"
		"Current streak: 2 mornings. Best: 2.\n");
	free(text);
	text = format(&h, 0, 0, true);
	assert_string_equal(text,
		"date,routine,result,seconds,steps_done,steps_total,outcomes,checkin\r\n"
		"2026-11-22T07:02:00+01:00,Morning back mobility,finished,754,11,11,,\r\n"
		"2026-11-23T07:05:00+01:00,\"Weekend, long\",stopped,190,1,3,dh+.-,5\r\n"
		"2026-11-23T07:15:00+01:00,\"Say \"\"hi\"\"\",finished,3725,11,11,,0\r\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(streaks_across_months_and_gaps, setup),
		cmocka_unit_test_setup(stopped_sessions_do_not_count, setup),
		cmocka_unit_test_setup(streaks_across_clock_changes, setup),
		cmocka_unit_test_setup(streak_phrases, setup),
		cmocka_unit_test_setup(prints_sessions_and_streaks, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

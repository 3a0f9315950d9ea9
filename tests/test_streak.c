/* Forgiving streaks: grace days per week and per month, a history with gaps,
 * days with only stopped sessions, clock changes (local dates), sessions
 * dated in the future, and a morning not yet done. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "history.h"
#include "streak.h"

static int setup(void **state)
{
	(void)state;
	fx_zone();
	return 0;
}

static struct history_entry entry(time_t when, enum history_result r)
{
	struct history_entry e;

	history_entry_init(&e, when, "R", r, 600, 5, 5);
	return e;
}

#define FIN(y, m, d)  entry(fx_local(y, m, d, 7, 0), HISTORY_FINISHED)
#define STOP(y, m, d) entry(fx_local(y, m, d, 7, 0), HISTORY_STOPPED)

/* The streak of the N entries E at NOW with GRACE days per PER. */
static void check(const struct history_entry *e, size_t n, time_t now, unsigned grace,
		  enum streak_period per, unsigned current, unsigned best)
{
	struct history h = { .entries = (struct history_entry *)e, .n = n, .cap = n };
	struct streak_grace g = { .days = grace, .per = per };
	unsigned c = 99, b = 99;

	assert_int_equal(streak_count(&h, now, &g, &c, &b), 0);
	assert_int_equal(c, current);
	assert_int_equal(b, best);
}

#define WEEK  STREAK_PER_WEEK
#define MONTH STREAK_PER_MONTH

/* 2026-11-16 is a Monday. */
static void grace_per_week(void **state)
{
	const struct history_entry one_missed[] = {
		FIN(2026, 11, 16), FIN(2026, 11, 17), FIN(2026, 11, 18),   /* Thursday missed */
		FIN(2026, 11, 20), FIN(2026, 11, 21), FIN(2026, 11, 22),
		FIN(2026, 11, 23), FIN(2026, 11, 24),
	};
	const struct history_entry two_missed[] = {
		FIN(2026, 11, 16), FIN(2026, 11, 17), FIN(2026, 11, 18),   /* Thu and Fri missed */
		FIN(2026, 11, 21), FIN(2026, 11, 22),
	};
	/* Sunday and the Monday after: one missed day in each of two weeks. */
	const struct history_entry across_weeks[] = {
		FIN(2026, 11, 20), FIN(2026, 11, 21), FIN(2026, 11, 24), FIN(2026, 11, 25),
	};
	time_t now = fx_local(2026, 11, 24, 12, 0);

	(void)state;
	check(one_missed, 8, now, 0, WEEK, 5, 5);        /* strict: Friday on */
	check(one_missed, 8, now, 1, WEEK, 8, 8);        /* the Thursday forgiven */
	check(two_missed, 5, fx_local(2026, 11, 22, 12, 0), 1, WEEK, 2, 3);
	check(two_missed, 5, fx_local(2026, 11, 22, 12, 0), 2, WEEK, 5, 5);
	check(across_weeks, 4, fx_local(2026, 11, 25, 12, 0), 1, WEEK, 4, 4);
	check(across_weeks, 4, fx_local(2026, 11, 25, 12, 0), 0, WEEK, 2, 2);
}

static void grace_per_month(void **state)
{
	const struct history_entry e[] = {
		FIN(2026, 1, 8), FIN(2026, 1, 9),            /* the 10th missed */
		FIN(2026, 1, 11), FIN(2026, 1, 12),          /* the 13th missed */
		FIN(2026, 1, 14), FIN(2026, 1, 15),          /* the 16th missed */
		FIN(2026, 1, 17),
	};
	const struct history_entry month_end[] = {
		FIN(2026, 1, 29), FIN(2026, 1, 30),          /* the 31st and Feb 1st missed */
		FIN(2026, 2, 2), FIN(2026, 2, 3),
	};
	time_t now = fx_local(2026, 1, 17, 12, 0);

	(void)state;
	check(e, 7, now, 3, MONTH, 7, 7);
	check(e, 7, now, 2, MONTH, 1, 6);                /* the third miss ends it */
	check(e, 7, now, 1, MONTH, 1, 4);                /* the second, and the third */
	/* By the week: the 10th (a Saturday) in one, the 13th and 16th in the next. */
	check(e, 7, now, 1, WEEK, 1, 6);
	check(e, 7, now, 2, WEEK, 7, 7);
	check(month_end, 4, fx_local(2026, 2, 3, 12, 0), 1, MONTH, 4, 4);
	check(month_end, 4, fx_local(2026, 2, 3, 12, 0), 1, WEEK, 2, 2);  /* same week (Sat, Sun) */
}

static void gaps_and_today(void **state)
{
	/* Monday to Friday, then nothing. */
	const struct history_entry e[] = {
		FIN(2026, 11, 16), FIN(2026, 11, 17), FIN(2026, 11, 18), FIN(2026, 11, 19),
		FIN(2026, 11, 20),
		FIN(2026, 12, 14), FIN(2026, 12, 15),         /* weeks later */
	};

	(void)state;
	check(e, 0, fx_local(2026, 11, 20, 12, 0), 1, WEEK, 0, 0);
	/* Saturday missed, forgiven; on Sunday the morning is not over. */
	check(e, 5, fx_local(2026, 11, 22, 23, 59), 1, WEEK, 5, 5);
	/* Monday: Saturday and Sunday both missed, one grace day a week. */
	check(e, 5, fx_local(2026, 11, 23, 8, 0), 1, WEEK, 0, 5);
	check(e, 5, fx_local(2026, 11, 23, 8, 0), 2, WEEK, 5, 5);
	/* Monday and Tuesday missed too: a new week, its own grace days. */
	check(e, 5, fx_local(2026, 11, 25, 8, 0), 2, WEEK, 5, 5);
	check(e, 5, fx_local(2026, 11, 26, 8, 0), 2, WEEK, 0, 5);
	/* A gap longer than the grace ends it; the new streak starts again. */
	check(e, 7, fx_local(2026, 12, 15, 12, 0), 3, MONTH, 2, 5);
	check(e, 7, fx_local(2026, 12, 15, 12, 0), 2, WEEK, 2, 5);
	/* Sessions dated after today (a clock set wrong) count for the best only. */
	check(e, 7, fx_local(2026, 11, 18, 12, 0), 1, WEEK, 3, 5);
}

static void only_stopped_sessions_are_missed_days(void **state)
{
	const struct history_entry e[] = {
		FIN(2026, 11, 16), STOP(2026, 11, 17), STOP(2026, 11, 17),
		FIN(2026, 11, 18), STOP(2026, 11, 19), FIN(2026, 11, 20),
	};

	(void)state;
	check(e, 6, fx_local(2026, 11, 20, 12, 0), 0, WEEK, 1, 1);
	check(e, 6, fx_local(2026, 11, 20, 12, 0), 1, WEEK, 1, 2);   /* the second one ends it */
	check(e, 6, fx_local(2026, 11, 20, 12, 0), 2, WEEK, 3, 3);
	/* Stopped today: the morning is still not missed. */
	check(e, 5, fx_local(2026, 11, 19, 12, 0), 1, WEEK, 2, 2);
}

/* Berlin: 2026-03-29 has 23 hours, 2026-10-25 has 25.  A missed day over a
 * clock change is one day, and sessions near midnight stay on their dates. */
static void clock_changes(void **state)
{
	const struct history_entry spring[] = {
		entry(fx_local(2026, 3, 27, 23, 50), HISTORY_FINISHED),
		entry(fx_local(2026, 3, 28, 0, 10), HISTORY_FINISHED),
		/* the 29th (23 hours) missed */
		entry(fx_local(2026, 3, 30, 0, 5), HISTORY_FINISHED),
		entry(fx_local(2026, 3, 31, 23, 55), HISTORY_FINISHED),
	};
	const struct history_entry autumn[] = {
		entry(fx_local(2026, 10, 24, 23, 30), HISTORY_FINISHED),
		/* the 25th (25 hours) missed */
		entry(fx_local(2026, 10, 26, 0, 30), HISTORY_FINISHED),
		entry(fx_local(2026, 10, 27, 23, 59), HISTORY_FINISHED),  /* the 26th... 27th */
	};

	(void)state;
	check(spring, 4, fx_local(2026, 3, 31, 23, 58), 1, WEEK, 4, 4);
	check(spring, 4, fx_local(2026, 3, 31, 23, 58), 0, WEEK, 2, 2);
	check(autumn, 3, fx_local(2026, 10, 28, 0, 1), 1, WEEK, 3, 3);
	check(autumn, 3, fx_local(2026, 10, 28, 0, 1), 0, WEEK, 2, 2);
	/* Read where it is another day: the lines' own dates still count. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	check(autumn, 3, fx_local(2026, 10, 28, 6, 0), 1, WEEK, 3, 3);
	fx_zone();
}

static void period_names(void **state)
{
	(void)state;
	assert_string_equal(streak_period_name(WEEK), "week");
	assert_string_equal(streak_period_name(MONTH), "month");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grace_per_week),
		cmocka_unit_test(grace_per_month),
		cmocka_unit_test(gaps_and_today),
		cmocka_unit_test(only_stopped_sessions_are_missed_days),
		cmocka_unit_test(clock_changes),
		cmocka_unit_test(period_names),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

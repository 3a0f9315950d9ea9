/* Schedule times in a real zone with DST (Europe/Berlin): weekdays, today or
 * tomorrow, and the two DST nights. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "schedule.h"

static void expect_local(time_t t, int y, int mon, int d, int h, int m)
{
	struct tm tm;

	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_year + 1900, y);
	assert_int_equal(tm.tm_mon + 1, mon);
	assert_int_equal(tm.tm_mday, d);
	assert_int_equal(tm.tm_hour, h);
	assert_int_equal(tm.tm_min, m);
}

static int setup(void **state)
{
	(void)state;
	fx_zone();
	return 0;
}

static void today_then_tomorrow(void **state)
{
	struct schedule_entry e = { .days = 0x7f, .hour = 7, .minute = 0 };
	size_t which = 99;

	(void)state;
	/* Tuesday 2026-11-24, 06:00: today at 07:00. */
	expect_local(schedule_next(&e, 1, fx_local(2026, 11, 24, 6, 0), &which), 2026, 11, 24, 7, 0);
	assert_int_equal(which, 0);
	/* Exactly at 07:00 it is not "after": tomorrow. */
	expect_local(schedule_next(&e, 1, fx_local(2026, 11, 24, 7, 0), &which), 2026, 11, 25, 7, 0);
}

static void weekdays_skip_the_weekend(void **state)
{
	struct schedule_entry e[2] = {
		{ .days = 0x3e, .hour = 7, .minute = 0, .action = SCHEDULE_REMIND },
		{ .days = 0x41, .hour = 8, .minute = 30, .action = SCHEDULE_START },
	};
	size_t which = 99;

	(void)state;
	/* Friday 2026-11-27 08:00: the weekend entry on Saturday. */
	expect_local(schedule_next(e, 2, fx_local(2026, 11, 27, 8, 0), &which), 2026, 11, 28, 8, 30);
	assert_int_equal(which, 1);
	/* Sunday 09:00: Monday 07:00. */
	expect_local(schedule_next(e, 2, fx_local(2026, 11, 29, 9, 0), &which), 2026, 11, 30, 7, 0);
	assert_int_equal(which, 0);
}

static void dst_nights(void **state)
{
	struct schedule_entry e = { .days = 0x7f, .hour = 2, .minute = 30 };
	struct schedule_entry seven = { .days = 0x7f, .hour = 7, .minute = 0 };
	size_t which;
	time_t t, before;

	(void)state;
	/* Spring forward, 2027-03-28: 02:30 does not exist; it fires at 03:30. */
	t = schedule_next(&e, 1, fx_local(2027, 3, 28, 0, 0), &which);
	expect_local(t, 2027, 3, 28, 3, 30);
	/* The day after the change, 07:00 is 23 hours after the previous 07:00. */
	before = fx_local(2027, 3, 27, 7, 0);
	t = schedule_next(&seven, 1, before, &which);
	expect_local(t, 2027, 3, 28, 7, 0);
	assert_int_equal(t - before, 23 * 3600);
	/* Fall back, 2026-10-25: 07:00 is 25 hours after the previous one. */
	before = fx_local(2026, 10, 24, 7, 0);
	t = schedule_next(&seven, 1, before, &which);
	expect_local(t, 2026, 10, 25, 7, 0);
	assert_int_equal(t - before, 25 * 3600);
	/* 02:30 happens twice that night: it fires once, then the next day. */
	t = schedule_next(&e, 1, fx_local(2026, 10, 25, 0, 0), &which);
	expect_local(t, 2026, 10, 25, 2, 30);
	t = schedule_next(&e, 1, t, &which);
	assert_true(t > fx_local(2026, 10, 25, 12, 0));
}

static void nothing_scheduled(void **state)
{
	size_t which = 7;

	(void)state;
	assert_int_equal(schedule_next(NULL, 0, time(NULL), &which), (time_t)-1);
	assert_int_equal(which, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(today_then_tomorrow),
		cmocka_unit_test(weekdays_skip_the_weekend),
		cmocka_unit_test(dst_nights),
		cmocka_unit_test(nothing_scheduled),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

/* The check-in's counting and timing: presses counted up to ten, the answer
 * taken after a quiet moment, Next or a whole answer at once, no press
 * skipping it, and when it is due (on, off, weekly by local dates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "checkin.h"
#include "history.h"

static int setup(void **state)
{
	(void)state;
	fx_zone();
	return 0;
}

static void presses_count_and_settle(void **state)
{
	struct checkin c;
	int answer = -7;

	(void)state;
	checkin_start(&c, 1000);
	assert_int_equal(checkin_deadline(&c), 1000 + CHECKIN_FIRST_MS);
	assert_int_equal(checkin_tick(&c, 1000 + CHECKIN_FIRST_MS - 1, &answer), CHECKIN_WAITING);
	/* Each press is one more point, said at once; the quiet after the
	 * last one is counted from it. */
	assert_int_equal(checkin_press(&c, 5000), 1);
	assert_int_equal(checkin_press(&c, 5400), 2);
	assert_int_equal(checkin_press(&c, 5800), 3);
	assert_int_equal(checkin_deadline(&c), 5800 + CHECKIN_SETTLE_MS);
	assert_int_equal(checkin_tick(&c, 5800 + CHECKIN_SETTLE_MS - 1, &answer), CHECKIN_WAITING);
	assert_int_equal(checkin_tick(&c, 5800 + CHECKIN_SETTLE_MS, &answer), CHECKIN_ANSWERED);
	assert_int_equal(answer, 3);
	/* Over: presses are not the check-in's any more. */
	assert_int_equal(checkin_press(&c, 9000), -1);
	assert_int_equal(checkin_deadline(&c), UINT64_MAX);
	assert_int_equal(checkin_tick(&c, 9000, &answer), CHECKIN_SKIPPED);
}

static void stays_at_ten(void **state)
{
	struct checkin c;
	int answer = -1;

	(void)state;
	checkin_start(&c, 0);
	for (int i = 1; i <= 13; i++)
		assert_int_equal(checkin_press(&c, (uint64_t)i * 300), i < 10 ? i : 10);
	assert_int_equal(checkin_tick(&c, 13 * 300 + CHECKIN_SETTLE_MS, &answer), CHECKIN_ANSWERED);
	assert_int_equal(answer, 10);
}

static void no_press_skips(void **state)
{
	struct checkin c;
	int answer = 5;

	(void)state;
	checkin_start(&c, 100);
	assert_int_equal(checkin_tick(&c, 100 + CHECKIN_FIRST_MS, &answer), CHECKIN_SKIPPED);
	assert_int_equal(checkin_deadline(&c), UINT64_MAX);
	/* A long press of Play skips it too, at once, whatever was counted. */
	checkin_start(&c, 0);
	checkin_press(&c, 10);
	checkin_skip(&c);
	assert_int_equal(checkin_tick(&c, 11, &answer), CHECKIN_SKIPPED);
}

static void whole_answers(void **state)
{
	struct checkin c;
	int answer = -1;

	(void)state;
	checkin_start(&c, 0);
	assert_false(checkin_answer(&c, 11));
	assert_false(checkin_answer(&c, -1));
	assert_true(checkin_answer(&c, 0));          /* Next: none */
	assert_int_equal(checkin_tick(&c, 1, &answer), CHECKIN_ANSWERED);
	assert_int_equal(answer, 0);
	assert_false(checkin_answer(&c, 4));         /* not asking any more */
	checkin_start(&c, 0);
	checkin_press(&c, 10);
	assert_true(checkin_answer(&c, 7));          /* coachctl checkin 7 */
	assert_int_equal(checkin_tick(&c, 11, &answer), CHECKIN_ANSWERED);
	assert_int_equal(answer, 7);
}

static struct history_entry answered(time_t when, int checkin)
{
	struct history_entry e;

	history_entry_init(&e, when, "R", HISTORY_FINISHED, 600, 5, 5);
	e.checkin = checkin;
	return e;
}

static void when_due(void **state)
{
	struct history_entry e[] = {
		answered(fx_local(2026, 10, 20, 7, 0), 4),
		answered(fx_local(2026, 10, 25, 7, 0), -1),    /* skipped: does not count */
	};
	struct history h = { .entries = e, .n = 2, .cap = 2 };
	struct history none = { 0 };

	(void)state;
	assert_true(checkin_due(CHECKIN_ON, &h, fx_local(2026, 10, 21, 7, 0)));
	assert_false(checkin_due(CHECKIN_OFF, &none, fx_local(2026, 10, 21, 7, 0)));
	assert_true(checkin_due(CHECKIN_WEEKLY, &none, fx_local(2026, 10, 21, 7, 0)));
	/* Weekly: not again on the 6 days after an answer, again on the 7th. */
	assert_false(checkin_due(CHECKIN_WEEKLY, &h, fx_local(2026, 10, 20, 21, 0)));
	assert_false(checkin_due(CHECKIN_WEEKLY, &h, fx_local(2026, 10, 26, 23, 59)));
	assert_true(checkin_due(CHECKIN_WEEKLY, &h, fx_local(2026, 10, 27, 0, 1)));
	/* Across the clock change of 25 October (a 25-hour day): local dates,
	 * so 168 hours after the answer is still the 6th day after it. */
	assert_false(checkin_due(CHECKIN_WEEKLY, &h, fx_local(2026, 10, 20, 7, 0) + 6 * 86400 + 3600));
	/* An answer dated after today (a clock set back) does not count. */
	assert_true(checkin_due(CHECKIN_WEEKLY, &h, fx_local(2026, 10, 19, 7, 0)));
}

static void mode_names(void **state)
{
	(void)state;
	assert_int_equal(checkin_mode_parse("on"), CHECKIN_ON);
	assert_int_equal(checkin_mode_parse("weekly"), CHECKIN_WEEKLY);
	assert_int_equal(checkin_mode_parse("off"), CHECKIN_OFF);
	assert_int_equal(checkin_mode_parse("yes"), -1);
	assert_int_equal(checkin_mode_parse(NULL), -1);
	assert_string_equal(checkin_mode_name(CHECKIN_WEEKLY), "weekly");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(presses_count_and_settle),
		cmocka_unit_test(stays_at_ten),
		cmocka_unit_test(no_press_skips),
		cmocka_unit_test(whole_answers),
		cmocka_unit_test_setup(when_due, setup),
		cmocka_unit_test(mode_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

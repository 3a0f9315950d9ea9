/* The reminder's answers: how long it waits for one, the snooze, "not today"
 * for the rest of the local day (a clock change included), and the quiet
 * day kept as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "reminder.h"

static int setup(void **state)
{
	(void)state;
	fx_zone();
	return 0;
}

static void waits_for_an_answer_for_a_while(void **state)
{
	struct reminder r;
	time_t at = fx_local(2026, 12, 5, 7, 0);

	(void)state;
	reminder_init(&r);
	assert_false(reminder_waiting(&r, at));
	reminder_sounded(&r, at);
	assert_true(reminder_waiting(&r, at));
	assert_true(reminder_waiting(&r, at + REMINDER_WAIT_S - 1));
	assert_false(reminder_waiting(&r, at + REMINDER_WAIT_S));
	assert_true(reminder_waiting(&r, at - 3600));    /* the clock set back */
	reminder_session_started(&r);
	assert_false(reminder_waiting(&r, at + 60));
}

static void snooze_sounds_again_once(void **state)
{
	struct reminder r;
	time_t at = fx_local(2026, 12, 5, 7, 0);

	(void)state;
	reminder_init(&r);
	reminder_sounded(&r, at);
	assert_int_equal(reminder_snooze(&r, at + 30, 600), at + 630);
	assert_false(reminder_waiting(&r, at + 31));      /* answered */
	assert_false(reminder_snooze_due(&r, at + 629));
	assert_true(reminder_snooze_due(&r, at + 630));
	assert_false(reminder_snooze_due(&r, at + 700));  /* spent */
	/* A session started meanwhile: nothing sounds again. */
	reminder_snooze(&r, at, 600);
	reminder_session_started(&r);
	assert_false(reminder_snooze_due(&r, at + 600));
	/* Snoozed again when it sounds again. */
	reminder_snooze(&r, at, 600);
	assert_true(reminder_snooze_due(&r, at + 600));
	reminder_sounded(&r, at + 600);
	assert_true(reminder_waiting(&r, at + 601));
	reminder_snooze(&r, at + 601, 600);
	assert_true(reminder_snooze_due(&r, at + 1201));
}

static void not_today_lasts_the_local_day(void **state)
{
	struct reminder r;
	time_t at = fx_local(2026, 10, 25, 7, 0);   /* 25 hours: the clocks go back */

	(void)state;
	reminder_init(&r);
	assert_false(reminder_quiet(&r, at));
	reminder_sounded(&r, at);
	reminder_snooze(&r, at, 600);
	reminder_not_today(&r, at + 60);
	assert_false(reminder_waiting(&r, at + 61));
	assert_false(reminder_snooze_due(&r, at + 600));  /* the snooze is off too */
	assert_true(reminder_quiet(&r, at));
	assert_true(reminder_quiet(&r, fx_local(2026, 10, 25, 23, 59)));
	assert_false(reminder_quiet(&r, fx_local(2026, 10, 26, 0, 0)));
	assert_false(reminder_quiet(&r, fx_local(2026, 10, 24, 23, 59)));
	/* Said before the reminder, the day's reminder is left out too. */
	reminder_init(&r);
	reminder_not_today(&r, fx_local(2026, 3, 29, 1, 30));   /* 23 hours */
	assert_true(reminder_quiet(&r, fx_local(2026, 3, 29, 23, 30)));
	assert_false(reminder_quiet(&r, fx_local(2026, 3, 30, 0, 30)));
}

static void quiet_day_as_text(void **state)
{
	struct reminder r, back;
	char buf[16];

	(void)state;
	reminder_init(&r);
	assert_string_equal(reminder_format_day(&r, buf, sizeof(buf)), "");
	reminder_not_today(&r, fx_local(2026, 12, 5, 9, 0));
	assert_string_equal(reminder_format_day(&r, buf, sizeof(buf)), "2026-12-05");
	reminder_init(&back);
	assert_true(reminder_parse_day(&back, buf));
	assert_true(reminder_quiet(&back, fx_local(2026, 12, 5, 18, 0)));
	assert_false(reminder_parse_day(&back, "2026-02-31"));
	assert_false(reminder_parse_day(&back, "2026-12-5"));
	assert_false(reminder_parse_day(&back, " 026-12-05"));
	assert_false(reminder_parse_day(&back, "2026-12-05x"));
	assert_false(reminder_parse_day(&back, ""));
	assert_true(reminder_quiet(&back, fx_local(2026, 12, 5, 18, 0)));   /* unchanged */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(waits_for_an_answer_for_a_while),
		cmocka_unit_test(snooze_sounds_again_once),
		cmocka_unit_test(not_today_lasts_the_local_day),
		cmocka_unit_test(quiet_day_as_text),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

/* coach.yaml: defaults, every key, and located errors with ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"

static int parse(const char *text, struct config *c, struct diag *err)
{
	return config_parse("coach.yaml", text, strlen(text), c, err);
}

static void expect_error(const char *text, const char *message)
{
	struct config c;
	struct diag err;

	assert_int_equal(parse(text, &c, &err), -1);
	assert_string_equal(err.text, message);
	config_free(&c);
}

static void empty_file_gives_defaults(void **state)
{
	struct config c;
	struct diag err;

	(void)state;
	assert_int_equal(parse("", &c, &err), 0);
	assert_string_equal(c.routine, "morning-back");
	assert_string_equal(c.voice, "en");
	assert_string_equal(c.device, "default");
	assert_int_equal(c.rate, 48000);
	assert_int_equal(c.latency_ms, 100);
	assert_int_equal(c.volume, 80);
	assert_int_equal(c.tones, 100);
	assert_int_equal(c.gentle_ms, 6000);
	assert_false(c.quiet);
	assert_true(c.buttons.enabled);
	assert_null(c.buttons.chip);
	assert_int_equal(c.buttons.play, 17);
	assert_int_equal(c.buttons.next, 27);
	assert_int_equal(c.buttons.led, -1);
	assert_int_equal(c.buttons.debounce_ms, 30);
	assert_int_equal(c.buttons.long_press_ms, 1000);
	assert_int_equal(c.nschedule, 0);
	assert_int_equal(c.streak.days, 1);
	assert_int_equal(c.streak.per, STREAK_PER_WEEK);
	assert_int_equal(c.checkin, CHECKIN_OFF);
	config_free(&c);
}

static void checkin_modes(void **state)
{
	struct config c;
	struct diag err;

	(void)state;
	assert_int_equal(parse("checkin: on\n", &c, &err), 0);
	assert_int_equal(c.checkin, CHECKIN_ON);
	config_free(&c);
	assert_int_equal(parse("checkin: weekly\n", &c, &err), 0);
	assert_int_equal(c.checkin, CHECKIN_WEEKLY);
	config_free(&c);
	assert_int_equal(parse("checkin: off\n", &c, &err), 0);
	assert_int_equal(c.checkin, CHECKIN_OFF);
	config_free(&c);
	expect_error("checkin: daily\n",
		     "coach.yaml:1:10: error: unknown checkin 'daily' (expected on, off or weekly; default off)");
}

static void streak_grace(void **state)
{
	struct config c;
	struct diag err;

	(void)state;
	assert_int_equal(parse("streak: {grace: 3, per: month}\n", &c, &err), 0);
	assert_int_equal(c.streak.days, 3);
	assert_int_equal(c.streak.per, STREAK_PER_MONTH);
	config_free(&c);
	assert_int_equal(parse("streak:\n  grace: 0\n", &c, &err), 0);
	assert_int_equal(c.streak.days, 0);
	assert_int_equal(c.streak.per, STREAK_PER_WEEK);
	config_free(&c);
	expect_error("streak:\n  grace: 16\n",
		     "coach.yaml:2:10: error: invalid value '16' for 'grace' (expected a whole number from 0 to 15, default 1)");
	expect_error("streak:\n  per: fortnight\n",
		     "coach.yaml:2:8: error: unknown period 'fortnight' (expected week or month; default week)");
	assert_int_equal(parse("streak:\n", &c, &err), 0);
	assert_int_equal(c.snooze_ms, 10 * 60 * 1000);
	config_free(&c);
	assert_int_equal(parse("reminder: {snooze: 25m}\n", &c, &err), 0);
	assert_int_equal(c.snooze_ms, 25 * 60 * 1000);
	config_free(&c);
	expect_error("reminder:\n  snooze: 1m\n",
		     "coach.yaml:2:11: error: 'snooze' is too short: 1m (expected at least 5m, default 10m)");
	expect_error("reminder:\n  snooze: 10m30s\n",
		     "coach.yaml:2:11: error: 'snooze' must be whole minutes (such as 10m)");
	expect_error("streak: 2\n",
		     "coach.yaml:1:9: error: 'streak' is a number (expected a mapping with grace and per)");
}

static void shipped_config_loads(void **state)
{
	struct config c;
	struct diag err;

	(void)state;
	if (config_load("config/coach.yaml", &c, &err) < 0)
		fail_msg("%s", err.text);
	assert_string_equal(c.routine, "morning-back");
	assert_int_equal(c.latency_ms, 100);
	assert_null(c.buttons.chip);  /* "auto" */
	config_free(&c);
}

static void every_key(void **state)
{
	struct config c;
	struct diag err;
	const char *text =
		"routine: desk-break.yaml\n"
		"voice: de\n"
		"audio:\n  device: USB\n  rate: 44100\n  latency: 80ms\n  volume: 55\n"
		"buttons:\n  chip: /dev/gpiochip4\n  play: 5\n  next: 6\n  led: 13\n"
		"  active_low: no\n  pull_up: false\n  debounce: 10ms\n  long_press: 1.5s\n"
		"schedule:\n"
		"  - days: weekdays\n    time: \"07:00\"\n    action: remind\n"
		"  - days: [sat, Sunday]\n    time: 8:30\n    action: start\n    routine: long\n";

	(void)state;
	if (parse(text, &c, &err) < 0)
		fail_msg("%s", err.text);
	assert_string_equal(c.routine, "desk-break.yaml");
	assert_string_equal(c.voice, "de");
	assert_string_equal(c.device, "USB");
	assert_int_equal(c.rate, 44100);
	assert_int_equal(c.latency_ms, 80);
	assert_int_equal(c.volume, 55);
	assert_string_equal(c.buttons.chip, "/dev/gpiochip4");
	assert_int_equal(c.buttons.play, 5);
	assert_int_equal(c.buttons.next, 6);
	assert_int_equal(c.buttons.led, 13);
	assert_false(c.buttons.active_low);
	assert_false(c.buttons.pull_up);
	assert_int_equal(c.buttons.debounce_ms, 10);
	assert_int_equal(c.buttons.long_press_ms, 1500);
	assert_int_equal(c.nschedule, 2);
	assert_int_equal(c.schedule[0].days, 0x3e);
	assert_int_equal(c.schedule[0].hour, 7);
	assert_int_equal(c.schedule[0].minute, 0);
	assert_int_equal(c.schedule[0].action, SCHEDULE_REMIND);
	assert_null(c.schedule[0].routine);
	assert_int_equal(c.schedule[1].days, 0x41);
	assert_int_equal(c.schedule[1].hour, 8);
	assert_int_equal(c.schedule[1].minute, 30);
	assert_int_equal(c.schedule[1].action, SCHEDULE_START);
	assert_string_equal(c.schedule[1].routine, "long");
	assert_int_equal(c.schedule[1].line, 21);
	config_free(&c);
}

static void quiet_hours_and_tones(void **state)
{
	struct config c;
	struct diag err;
	const char *text = "audio:\n  tones: 60\n  gentle: 0\n"
			   "  quiet: {from: \"21:30\", to: \"07:00\", volume: 35}\n";

	(void)state;
	if (parse(text, &c, &err) < 0)
		fail_msg("%s", err.text);
	assert_int_equal(c.tones, 60);
	assert_int_equal(c.gentle_ms, 0);
	assert_true(c.quiet);
	/* The quiet hours wrap past midnight. */
	assert_int_equal(config_volume_at(&c, 21, 29), 80);
	assert_int_equal(config_volume_at(&c, 21, 30), 35);
	assert_int_equal(config_volume_at(&c, 2, 0), 35);
	assert_int_equal(config_volume_at(&c, 6, 59), 35);
	assert_int_equal(config_volume_at(&c, 7, 0), 80);
	config_free(&c);
	/* Within one day, too. */
	assert_int_equal(parse("audio:\n  quiet: {from: \"12:00\", to: \"14:00\"}\n", &c, &err), 0);
	assert_int_equal(config_volume_at(&c, 13, 0), 40);
	assert_int_equal(config_volume_at(&c, 14, 0), 80);
	config_free(&c);
	assert_int_equal(parse("style: voice\n", &c, &err), 0);
	assert_int_equal(c.style, 2);
	config_free(&c);
	expect_error("style: loud\n",
		     "coach.yaml:1:8: error: unknown style 'loud' (expected both, tones or voice)");
	expect_error("audio:\n  tones: 0\n",
		     "coach.yaml:2:10: error: invalid value '0' for 'tones' (expected a whole number from 1 to 100, default 100)");
	expect_error("audio:\n  quiet: {from: \"21:00\"}\n",
		     "coach.yaml:2:10: error: missing key 'to' (expected a time such as \"07:00\")");
}

static void located_errors(void **state)
{
	(void)state;
	expect_error("rutine: x\n",
		     "coach.yaml:1:1: error: unknown key 'rutine' (did you mean 'routine'?)");
	expect_error("audio:\n  volume: 150\n",
		     "coach.yaml:2:11: error: invalid value '150' for 'volume' (expected a whole number from 0 to 100, default 80)");
	expect_error("audio:\n  latency: 2\n",
		     "coach.yaml:2:12: error: 'latency' is too long: 2 (expected at most 500ms, default 100ms)");
	expect_error("buttons:\n  play: 17\n  next: 17\n",
		     "coach.yaml:2:3: error: buttons: play, next and led must be different lines (play 17, next 17, led -1)");
	expect_error("schedule:\n  - time: \"25:00\"\n",
		     "coach.yaml:2:11: error: bad time '25:00' (expected HH:MM on a 24-hour clock, such as \"07:00\")");
	expect_error("schedule:\n  - time: \"07:00\"\n    days: [mon, funday]\n",
		     "coach.yaml:3:17: error: unknown day 'funday' (expected mon, tue, wed, thu, fri, sat or sun)");
	expect_error("schedule:\n  - time: \"07:00\"\n    action: sing\n",
		     "coach.yaml:3:13: error: unknown action 'sing' (expected remind or start)");
	expect_error("schedule:\n  - days: daily\n",
		     "coach.yaml:2:5: error: missing key 'time' (expected a time such as \"07:00\")");
	expect_error("voice: ../../etc/passwd\n",
		     "coach.yaml:1:8: error: voice '../../etc/passwd' is not a profile name (expected a name such as en, from the voices folder)");
	expect_error("audio: 5\n",
		     "coach.yaml:1:8: error: 'audio' is a number (expected a mapping with device, rate, latency, volume, tones, gentle, quiet)");
	expect_error("schedule: {a: 1}\n",
		     "coach.yaml:1:11: error: 'schedule' is a mapping (expected a list of entries with days, time and action)");
	expect_error("buttons:\n  led: nine\n",
		     "coach.yaml:2:8: error: invalid value 'nine' for 'led' (expected a line number from 0 to 511, or none)");
}

static void missing_file(void **state)
{
	struct config c;
	struct diag err;

	(void)state;
	assert_int_equal(config_load("/nonexistent/coach.yaml", &c, &err), -1);
	assert_non_null(strstr(err.text, "/nonexistent/coach.yaml"));
	assert_non_null(strstr(err.text, "No such file or directory"));
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_file_gives_defaults),
		cmocka_unit_test(shipped_config_loads),
		cmocka_unit_test(checkin_modes),
		cmocka_unit_test(every_key),
		cmocka_unit_test(located_errors),
		cmocka_unit_test(quiet_hours_and_tones),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(streak_grace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

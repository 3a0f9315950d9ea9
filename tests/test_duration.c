/* Durations: every accepted spelling, every rejected one, the one-day limit, and
 * formatting that reads back to the same value. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "duration.h"

#define DAY_MS (24u * 60 * 60 * 1000)

static uint32_t parse_ok(const char *text)
{
	uint32_t ms = 12345;

	if (duration_parse(text, &ms) != 0)
		fail_msg("\"%s\" was rejected", text);
	return ms;
}

static void accepts_what_people_write(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("30s"), 30000);
	assert_int_equal(parse_ok("90"), 90000);
	assert_int_equal(parse_ok("0"), 0);
	assert_int_equal(parse_ok("0s"), 0);
	assert_int_equal(parse_ok("1m"), 60000);
	assert_int_equal(parse_ok("2m"), 120000);
	assert_int_equal(parse_ok("1m30s"), 90000);
	assert_int_equal(parse_ok("1.5s"), 1500);
	assert_int_equal(parse_ok("1.5"), 1500);
	assert_int_equal(parse_ok("0.25s"), 250);
	assert_int_equal(parse_ok("500ms"), 500);
	assert_int_equal(parse_ok("1.5m"), 90000);
	assert_int_equal(parse_ok("1m1.5s"), 61500);
	assert_int_equal(parse_ok("1s500ms"), 1500);
	assert_int_equal(parse_ok("1m2s3ms"), 62003);
	assert_int_equal(parse_ok("1.005s"), 1005);
	assert_int_equal(parse_ok("007s"), 7000);
	assert_int_equal(parse_ok("1440m"), DAY_MS);
	assert_int_equal(parse_ok("86400"), DAY_MS);
}

static void tolerates_surrounding_whitespace_only(void **state)
{
	uint32_t ms = 1;

	(void)state;
	assert_int_equal(parse_ok("  30s "), 30000);
	assert_int_equal(parse_ok("\t1m\n"), 60000);
	assert_int_equal(duration_parse("1m 30s", &ms), -EINVAL);
	assert_int_equal(duration_parse("30 s", &ms), -EINVAL);
	assert_int_equal(ms, 1);     /* untouched on error */
}

static void rejects_malformed_text(void **state)
{
	static const char *const bad[] = {
		"", "   ", "s", "m", "ms", "-5s", "+5s", "5x", "1h", "1d", "30sec", "30S",
		"1.s", ".5s", "1..5s", "1.5.5s", "1,5s", "1e3", "30s1m", "1m1m", "1s1s",
		"500ms1s", "1m30", "1.5m30s", "0.0001s", "1.0005s", "0.5ms", "1.0000000001s",
		"abc", "30s!", "3 0s", "0x10",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t ms = 7;

		if (duration_parse(bad[i], &ms) != -EINVAL)
			fail_msg("\"%s\" was not rejected as malformed", bad[i]);
		assert_int_equal(ms, 7);
	}
	assert_int_equal(duration_parse(NULL, &(uint32_t){ 0 }), -EINVAL);
}

static void rejects_more_than_a_day(void **state)
{
	uint32_t ms = 3;

	(void)state;
	assert_int_equal(duration_parse("86401", &ms), -ERANGE);
	assert_int_equal(duration_parse("1440m1ms", &ms), -ERANGE);
	assert_int_equal(duration_parse("100000m", &ms), -ERANGE);
	assert_int_equal(duration_parse("99999999999999999999999999s", &ms), -ERANGE);
	assert_int_equal(duration_parse("4294967296ms", &ms), -ERANGE);
	assert_int_equal(ms, 3);
}

static void check_format(uint32_t ms, const char *want)
{
	char buf[32];

	duration_format(ms, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void formats_shortest_form(void **state)
{
	(void)state;
	check_format(0, "0s");
	check_format(1, "1ms");
	check_format(500, "500ms");
	check_format(1000, "1s");
	check_format(1500, "1.5s");
	check_format(1250, "1.25s");
	check_format(1005, "1.005s");
	check_format(10000, "10s");
	check_format(60000, "1m");
	check_format(90000, "1m30s");
	check_format(60500, "1m0.5s");
	check_format(30u * 60 * 1000, "30m");
	check_format(DAY_MS, "1440m");
}

static void format_truncates_safely(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	duration_format(90000, buf, sizeof(buf));
	assert_string_equal(buf, "1m3");
	duration_format(1500, buf, 2);
	assert_string_equal(buf, "1");
	duration_format(1500, buf, 0);    /* must not write */
	assert_string_equal(buf, "1");
	duration_format(1500, NULL, 10);
}

static void format_reads_back(void **state)
{
	static const uint32_t samples[] = {
		0, 1, 9, 10, 999, 1000, 1001, 59999, 60000, 60001, 61500, 3599999,
		30u * 60 * 1000, DAY_MS - 1, DAY_MS,
	};
	char buf[32];
	size_t i;
	uint32_t ms;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		duration_format(samples[i], buf, sizeof(buf));
		assert_int_equal(duration_parse(buf, &ms), 0);
		assert_int_equal(ms, samples[i]);
	}
	for (ms = 0; ms < 200000; ms += 7) {
		uint32_t back;

		duration_format(ms, buf, sizeof(buf));
		assert_int_equal(duration_parse(buf, &back), 0);
		assert_int_equal(back, ms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_what_people_write),
		cmocka_unit_test(tolerates_surrounding_whitespace_only),
		cmocka_unit_test(rejects_malformed_text),
		cmocka_unit_test(rejects_more_than_a_day),
		cmocka_unit_test(formats_shortest_form),
		cmocka_unit_test(format_truncates_safely),
		cmocka_unit_test(format_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

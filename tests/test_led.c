/* The LED patterns: steady states need no wake-ups, blinks toggle at 1 Hz
 * and 4 Hz from the moment they are set, a flash inverts for 80 ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "led.h"

#define MS 1000000ull
#define T0 (777 * MS)
#define AT(ms) (T0 + (uint64_t)(ms) * MS)

static void steady_states(void **state)
{
	struct led l;

	(void)state;
	led_init(&l, LED_IDLE, AT(0));
	assert_false(led_level(&l, AT(0)));
	assert_false(led_level(&l, AT(99999)));
	assert_true(led_next_change(&l, AT(0)) == LED_NO_CHANGE);
	led_set(&l, LED_RUNNING, AT(10));
	assert_true(led_level(&l, AT(10)));
	assert_true(led_level(&l, AT(86400000)));
	assert_true(led_next_change(&l, AT(10)) == LED_NO_CHANGE);
}

static void slow_blink_when_paused(void **state)
{
	struct led l;

	(void)state;
	led_init(&l, LED_RUNNING, AT(0));
	led_set(&l, LED_PAUSED, AT(100));
	assert_true(led_level(&l, AT(100)));      /* starts lit: the change shows at once */
	assert_true(led_level(&l, AT(599)));
	assert_false(led_level(&l, AT(600)));
	assert_false(led_level(&l, AT(1099)));
	assert_true(led_level(&l, AT(1100)));
	assert_true(led_next_change(&l, AT(100)) == AT(600));
	assert_true(led_next_change(&l, AT(600)) == AT(1100));
	assert_true(led_next_change(&l, AT(1234)) == AT(1600));
}

static void fast_blink_on_error(void **state)
{
	struct led l;
	int toggles = 0;
	bool was;

	(void)state;
	led_init(&l, LED_ERROR, AT(0));
	assert_true(led_level(&l, AT(0)));
	assert_false(led_level(&l, AT(125)));
	assert_true(led_level(&l, AT(250)));
	assert_true(led_next_change(&l, AT(130)) == AT(250));
	/* Following led_next_change for one second: 4 on and 4 off. */
	was = led_level(&l, AT(0));
	for (uint64_t t = AT(0); (t = led_next_change(&l, t)) < AT(1000);) {
		assert_true(led_level(&l, t) != was);
		was = led_level(&l, t);
		toggles++;
	}
	assert_int_equal(toggles, 7);
}

static void same_state_keeps_phase(void **state)
{
	struct led l;

	(void)state;
	led_init(&l, LED_PAUSED, AT(0));
	led_set(&l, LED_PAUSED, AT(700));         /* again: still off until 1000 */
	assert_false(led_level(&l, AT(700)));
	assert_true(led_next_change(&l, AT(700)) == AT(1000));
	led_set(&l, LED_ERROR, AT(700));          /* a new state starts its own phase */
	assert_true(led_level(&l, AT(700)));
	assert_true(led_next_change(&l, AT(700)) == AT(825));
}

static void flash_over_steady_states(void **state)
{
	struct led l;

	(void)state;
	led_init(&l, LED_IDLE, AT(0));
	led_flash(&l, AT(50));
	assert_true(led_level(&l, AT(50)));       /* idle is dark: the flash lights */
	assert_true(led_level(&l, AT(129)));
	assert_false(led_level(&l, AT(130)));
	assert_true(led_next_change(&l, AT(50)) == AT(130));
	assert_true(led_next_change(&l, AT(130)) == LED_NO_CHANGE);
	led_set(&l, LED_RUNNING, AT(200));
	led_flash(&l, AT(300));
	assert_false(led_level(&l, AT(300)));     /* running is lit: the flash darkens */
	assert_true(led_level(&l, AT(380)));
}

static void flash_over_a_blink(void **state)
{
	struct led l;

	(void)state;
	led_init(&l, LED_PAUSED, AT(0));
	led_flash(&l, AT(460));                   /* lit now: dark for 80 ms ... */
	assert_false(led_level(&l, AT(460)));
	assert_false(led_level(&l, AT(539)));     /* ... across the blink's own toggle */
	assert_true(led_next_change(&l, AT(460)) == AT(540));
	assert_false(led_level(&l, AT(540)));     /* then the blink again */
	assert_true(led_next_change(&l, AT(540)) == AT(1000));
	/* A flash during a flash lasts 80 ms from the second, same level. */
	led_flash(&l, AT(1100));
	led_flash(&l, AT(1150));
	assert_false(led_level(&l, AT(1200)));
	assert_true(led_next_change(&l, AT(1150)) == AT(1230));
}

static void time_before_the_state(void **state)
{
	struct led l;

	(void)state;
	led_init(&l, LED_PAUSED, AT(1000));
	assert_true(led_level(&l, AT(0)));
	assert_true(led_next_change(&l, AT(0)) == AT(1500));
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(led_state_name(LED_IDLE), "idle");
	assert_string_equal(led_state_name(LED_RUNNING), "running");
	assert_string_equal(led_state_name(LED_PAUSED), "paused");
	assert_string_equal(led_state_name(LED_ERROR), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steady_states),
		cmocka_unit_test(slow_blink_when_paused),
		cmocka_unit_test(fast_blink_on_error),
		cmocka_unit_test(same_state_keeps_phase),
		cmocka_unit_test(flash_over_steady_states),
		cmocka_unit_test(flash_over_a_blink),
		cmocka_unit_test(time_before_the_state),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

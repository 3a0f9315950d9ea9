/* The configured rate and the one the stream plays, through start-up and
 * reloads of the device and the rate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "playrate.h"

/* A device that plays what it is asked for. */
static void configured_plays(void **state)
{
	struct play_rate r;

	(void)state;
	play_rate_init(&r, 48000);
	assert_false(r.look);   /* start-up looks at the device anyway */
	assert_false(play_rate_found(&r, 0));
	assert_int_equal(play_rate_current(&r), 48000);
	/* A reload to another rate: looked at again, prepared at it. */
	play_rate_configure(&r, 44100, false);
	assert_true(r.look);
	assert_int_equal(play_rate_current(&r), 44100);
	r.look = false;
	assert_false(play_rate_found(&r, 0));
	assert_int_equal(play_rate_current(&r), 44100);
	/* And back. */
	play_rate_configure(&r, 48000, false);
	assert_true(r.look);
	assert_int_equal(play_rate_current(&r), 48000);
	/* Nothing changed: no look. */
	r.look = false;
	play_rate_configure(&r, 48000, false);
	assert_false(r.look);
}

/* A device that plays only 44100: the fallback is said once, and again
 * after a reload asks for a rate it does not take. */
static void fallback(void **state)
{
	struct play_rate r;

	(void)state;
	play_rate_init(&r, 48000);
	assert_true(play_rate_found(&r, 44100));
	assert_int_equal(play_rate_current(&r), 44100);
	assert_false(play_rate_found(&r, 44100));       /* known: not said again */
	assert_int_equal(r.configured, 48000);          /* the config's stays */
	/* A reload of the same rate and device keeps the fallback. */
	play_rate_configure(&r, 48000, false);
	assert_false(r.look);
	assert_int_equal(play_rate_current(&r), 44100);
	/* Asked for 44100, it plays it: nothing to say. */
	play_rate_configure(&r, 44100, false);
	assert_true(r.look);
	r.look = false;
	assert_false(play_rate_found(&r, 0));
	assert_int_equal(play_rate_current(&r), 44100);
	/* Asked for 48000 again: until it is looked at, 48000; then the
	 * fallback, said again. */
	play_rate_configure(&r, 48000, false);
	assert_int_equal(play_rate_current(&r), 48000);
	assert_true(play_rate_found(&r, 44100));
	assert_int_equal(play_rate_current(&r), 44100);
}

/* Another device: what the old one played instead says nothing. */
static void device_changed(void **state)
{
	struct play_rate r;

	(void)state;
	play_rate_init(&r, 48000);
	assert_true(play_rate_found(&r, 44100));
	play_rate_configure(&r, 48000, true);
	assert_true(r.look);
	assert_int_equal(play_rate_current(&r), 48000);
	assert_false(play_rate_found(&r, 0));
	assert_int_equal(play_rate_current(&r), 48000);
}

/* A stream opened at a fallback that the device no longer takes reports
 * what it takes instead: the configured rate is no fallback. */
static void failed_stream(void **state)
{
	struct play_rate r;

	(void)state;
	play_rate_init(&r, 48000);
	assert_true(play_rate_found(&r, 44100));
	assert_false(play_rate_found(&r, 48000));
	assert_int_equal(r.instead, 0);
	assert_int_equal(play_rate_current(&r), 48000);
	assert_true(play_rate_found(&r, 32000));
	assert_int_equal(play_rate_current(&r), 32000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(configured_plays),
		cmocka_unit_test(fallback),
		cmocka_unit_test(device_changed),
		cmocka_unit_test(failed_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The gesture decoder over synthetic edge streams: clean presses, bounce and
 * chatter, long presses firing at their deadline while still held, both
 * buttons, stray edges and odd clocks.  Debounce 30 ms, long press 1 s;
 * times are milliseconds from an arbitrary start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gesture.h"

#define MS 1000000ull
#define T0 (5000 * MS)          /* not 0: a start at boot is tested apart */
#define AT(ms) (T0 + (uint64_t)(ms) * MS)

static struct gesture_decoder *dec;
static enum gesture got[64];
static unsigned ngot, flashes;

static void collect(const struct gestures *g)
{
	for (unsigned i = 0; i < g->n && ngot < 64; i++)
		got[ngot++] = g->list[i];
	flashes += g->flash;
}

/* Feeds one edge at T0 + MS milliseconds. */
static void edge(enum gpio_button b, bool pressed, uint64_t ms)
{
	struct gpio_edge e = { b, pressed, AT(ms) };
	struct gestures g;

	gesture_edge(dec, &e, &g);
	collect(&g);
}

static void tick(uint64_t ms)
{
	struct gestures g;

	gesture_tick(dec, AT(ms), &g);
	collect(&g);
}

#define PRESS(b, ms) edge(GPIO_##b, true, ms)
#define RELEASE(b, ms) edge(GPIO_##b, false, ms)

static void expect(unsigned n, ...)
{
	va_list ap;

	va_start(ap, n);
	if (ngot != n)
		fail_msg("%u gestures, expected %u (first: %s)", ngot, n,
			 ngot ? gesture_name(got[0]) : "none");
	for (unsigned i = 0; i < n; i++)
		assert_string_equal(gesture_name(got[i]), gesture_name((enum gesture)va_arg(ap, int)));
	va_end(ap);
}

static int setup_debounced(void **state)
{
	(void)state;
	dec = gesture_new(&(struct gesture_config){ .debounce_ms = 30, .long_press_ms = 1000 });
	ngot = flashes = 0;
	return dec ? 0 : -1;
}

static int setup_kernel_debounced(void **state)
{
	(void)state;
	dec = gesture_new(&(struct gesture_config){ .debounce_ms = 0, .long_press_ms = 1000 });
	ngot = flashes = 0;
	return dec ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gesture_free(dec);
	return 0;
}

static void short_presses(void **state)
{
	(void)state;
	assert_true(gesture_deadline(dec) == GESTURE_NO_DEADLINE);
	PRESS(PLAY, 0);
	expect(0);
	assert_int_equal(flashes, 1);
	RELEASE(PLAY, 200);
	expect(1, GESTURE_PLAY_SHORT);
	PRESS(NEXT, 1000);
	RELEASE(NEXT, 1100);
	expect(2, GESTURE_PLAY_SHORT, GESTURE_NEXT_SHORT);
	assert_int_equal(flashes, 2);
	tick(60000);
	expect(2, GESTURE_PLAY_SHORT, GESTURE_NEXT_SHORT);
	assert_true(gesture_deadline(dec) == GESTURE_NO_DEADLINE);
}

static void long_press_fires_while_held(void **state)
{
	(void)state;
	PRESS(PLAY, 0);
	assert_true(gesture_deadline(dec) == AT(1000));
	tick(999);
	expect(0);
	tick(1000);
	expect(1, GESTURE_PLAY_LONG);
	assert_int_equal(flashes, 2);    /* the press, then the long press */
	assert_true(gesture_deadline(dec) == GESTURE_NO_DEADLINE);
	tick(5000);
	RELEASE(PLAY, 6000);             /* release after a long press: nothing more */
	expect(1, GESTURE_PLAY_LONG);
	PRESS(NEXT, 7000);
	tick(8000);
	RELEASE(NEXT, 8001);
	expect(2, GESTURE_PLAY_LONG, GESTURE_NEXT_LONG);
}

static void long_press_boundaries(void **state)
{
	(void)state;
	PRESS(PLAY, 0);
	RELEASE(PLAY, 999);              /* just short of it */
	expect(1, GESTURE_PLAY_SHORT);
	PRESS(PLAY, 2000);
	RELEASE(PLAY, 3000);             /* exactly: no tick came, the edge fires it */
	expect(2, GESTURE_PLAY_SHORT, GESTURE_PLAY_LONG);
	PRESS(NEXT, 4000);
	tick(9000);                      /* a late tick fires it once */
	tick(9500);
	RELEASE(NEXT, 9600);
	expect(3, GESTURE_PLAY_SHORT, GESTURE_PLAY_LONG, GESTURE_NEXT_LONG);
}

static void bounce_on_press_and_release(void **state)
{
	(void)state;
	PRESS(PLAY, 0);
	RELEASE(PLAY, 2);
	PRESS(PLAY, 5);
	RELEASE(PLAY, 9);
	PRESS(PLAY, 12);
	assert_true(gesture_deadline(dec) == AT(1000));   /* settled down: no lock deadline */
	RELEASE(PLAY, 300);
	PRESS(PLAY, 303);
	RELEASE(PLAY, 307);
	tick(400);
	expect(1, GESTURE_PLAY_SHORT);
	assert_int_equal(flashes, 1);
	/* The next press, well after, counts again. */
	PRESS(PLAY, 500);
	RELEASE(PLAY, 600);
	expect(2, GESTURE_PLAY_SHORT, GESTURE_PLAY_SHORT);
}

static void bounce_leaves_the_other_level(void **state)
{
	(void)state;
	/* Released during the release's lock, then pressed again: the press is
	 * taken when the lock ends, from the time of its edge. */
	PRESS(NEXT, 0);
	RELEASE(NEXT, 100);
	expect(1, GESTURE_NEXT_SHORT);
	PRESS(NEXT, 110);
	assert_true(gesture_deadline(dec) == AT(140));
	tick(140);
	assert_int_equal(flashes, 2);
	assert_true(gesture_deadline(dec) == AT(1110));
	tick(1110);
	expect(2, GESTURE_NEXT_SHORT, GESTURE_NEXT_LONG);
}

static void chatter(void **state)
{
	(void)state;
	/* A worn switch chattering for 200 ms as it closes: one press. */
	PRESS(PLAY, 0);
	for (unsigned ms = 5; ms <= 200; ms += 5)
		edge(GPIO_PLAY, ms % 10 == 0, ms);   /* ends down at 200 */
	tick(500);
	expect(0);
	assert_int_equal(flashes, 1);
	RELEASE(PLAY, 600);
	expect(1, GESTURE_PLAY_SHORT);
	/* Chatter that ends up is one short press, taken when it is quiet. */
	PRESS(NEXT, 2000);
	for (unsigned ms = 2005; ms <= 2100; ms += 5)
		edge(GPIO_NEXT, ms % 10 != 0, ms);   /* ends up at 2100 */
	assert_true(gesture_deadline(dec) == AT(2130));
	tick(2129);
	expect(1, GESTURE_PLAY_SHORT);
	tick(2130);
	expect(2, GESTURE_PLAY_SHORT, GESTURE_NEXT_SHORT);
}

static void glitch_is_no_press(void **state)
{
	(void)state;
	PRESS(PLAY, 0);
	RELEASE(PLAY, 10);               /* 10 ms: interference, not a finger */
	tick(100);
	expect(0);
	PRESS(PLAY, 200);
	RELEASE(PLAY, 235);              /* a quick but real tap */
	expect(1, GESTURE_PLAY_SHORT);
}

static void both_buttons(void **state)
{
	(void)state;
	/* Pressed together: one BOTH once both are up, even held for longer
	 * than a long press (no long press fires during a chord). */
	PRESS(PLAY, 0);
	PRESS(NEXT, 0);
	tick(1900);
	expect(0);
	RELEASE(PLAY, 1950);
	expect(0);                       /* not until both are up */
	tick(3000);
	expect(0);                       /* one up: the hold for "this hurts" is over */
	RELEASE(NEXT, 3200);
	expect(1, GESTURE_BOTH);
	/* Next pressed during Play's press, fumbled: still one BOTH, at the end. */
	PRESS(PLAY, 4000);
	PRESS(NEXT, 4200);
	RELEASE(NEXT, 4300);
	PRESS(NEXT, 4400);
	RELEASE(NEXT, 4500);
	RELEASE(PLAY, 4600);
	tick(9000);
	expect(2, GESTURE_BOTH, GESTURE_BOTH);
	/* Then each works again. */
	PRESS(NEXT, 10000);
	RELEASE(NEXT, 10100);
	expect(3, GESTURE_BOTH, GESTURE_BOTH, GESTURE_NEXT_SHORT);
}

static void both_held_long(void **state)
{
	(void)state;
	/* Both held for twice a long press, counted from the second press:
	 * BOTH_LONG ("this hurts") fires while they are held, and letting go
	 * does nothing more (no BOTH after it). */
	PRESS(PLAY, 0);
	PRESS(NEXT, 300);
	tick(2299);
	expect(0);
	tick(2300);
	expect(1, GESTURE_BOTH_LONG);
	assert_true(flashes >= 2);
	tick(6000);
	RELEASE(PLAY, 6100);
	RELEASE(NEXT, 6200);
	expect(1, GESTURE_BOTH_LONG);
	/* One let go and pressed again: the two seconds start again. */
	PRESS(PLAY, 7000);
	PRESS(NEXT, 7000);
	RELEASE(NEXT, 8500);
	PRESS(NEXT, 8600);
	tick(10599);
	expect(1, GESTURE_BOTH_LONG);
	tick(10600);
	expect(2, GESTURE_BOTH_LONG, GESTURE_BOTH_LONG);
	RELEASE(NEXT, 11000);
	RELEASE(PLAY, 11000);
	/* After a long press of Play (stop) has fired, both held is nothing. */
	PRESS(PLAY, 12000);
	tick(13000);
	PRESS(NEXT, 13100);
	tick(20000);
	RELEASE(NEXT, 20100);
	RELEASE(PLAY, 20200);
	expect(3, GESTURE_BOTH_LONG, GESTURE_BOTH_LONG, GESTURE_PLAY_LONG);
	/* Then each works again. */
	PRESS(NEXT, 21000);
	RELEASE(NEXT, 21100);
	expect(4, GESTURE_BOTH_LONG, GESTURE_BOTH_LONG, GESTURE_PLAY_LONG, GESTURE_NEXT_SHORT);
}

static void press_during_long_press(void **state)
{
	(void)state;
	PRESS(PLAY, 0);
	tick(1000);
	expect(1, GESTURE_PLAY_LONG);
	PRESS(NEXT, 1500);               /* Play still held: ignored */
	tick(4000);
	RELEASE(NEXT, 4100);
	RELEASE(PLAY, 4200);
	expect(1, GESTURE_PLAY_LONG);
	PRESS(PLAY, 5000);
	RELEASE(PLAY, 5100);
	expect(2, GESTURE_PLAY_LONG, GESTURE_PLAY_SHORT);
}

static void stray_edges(void **state)
{
	(void)state;
	RELEASE(PLAY, 0);                /* release without a press */
	RELEASE(NEXT, 100);
	expect(0);
	assert_true(gesture_deadline(dec) == GESTURE_NO_DEADLINE);
	PRESS(PLAY, 200);
	PRESS(PLAY, 400);                /* a second press without a release */
	RELEASE(PLAY, 500);
	RELEASE(PLAY, 600);
	expect(1, GESTURE_PLAY_SHORT);
	edge((enum gpio_button)7, true, 700);   /* no such button */
	expect(1, GESTURE_PLAY_SHORT);
}

static void clock_going_backwards(void **state)
{
	(void)state;
	PRESS(PLAY, 1000);
	RELEASE(PLAY, 500);              /* earlier than the press: no time passed */
	tick(0);
	expect(0);                       /* within the lock: a glitch at most */
	tick(1100);
	PRESS(NEXT, 2000);
	tick(1500);                      /* a tick from the past fires nothing */
	expect(0);
	tick(3000);
	expect(1, GESTURE_NEXT_LONG);
	/* A jump forward while held: the overdue long press fires once. */
	RELEASE(NEXT, 3100);
	PRESS(PLAY, 4000);
	RELEASE(PLAY, 3600000);
	tick(3700000);
	expect(2, GESTURE_NEXT_LONG, GESTURE_PLAY_LONG);
}

static void start_at_boot(void **state)
{
	struct gestures g;
	struct gpio_edge e = { GPIO_PLAY, true, 0 };

	(void)state;
	/* Times near zero: the first edge is not taken for bounce. */
	gesture_edge(dec, &e, &g);
	assert_true(g.flash);
	e = (struct gpio_edge){ GPIO_PLAY, false, 100 * MS };
	gesture_edge(dec, &e, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.list[0], GESTURE_PLAY_SHORT);
}

static void reset_forgets(void **state)
{
	(void)state;
	PRESS(PLAY, 0);
	gesture_reset(dec);
	assert_true(gesture_deadline(dec) == GESTURE_NO_DEADLINE);
	RELEASE(PLAY, 100);
	tick(5000);
	expect(0);
}

static void kernel_debounced(void **state)
{
	(void)state;
	/* With debounce 0 every edge counts: the kernel already filtered them. */
	PRESS(PLAY, 0);
	RELEASE(PLAY, 2);
	PRESS(PLAY, 4);
	RELEASE(PLAY, 6);
	expect(2, GESTURE_PLAY_SHORT, GESTURE_PLAY_SHORT);
	PRESS(NEXT, 10);
	assert_true(gesture_deadline(dec) == AT(1010));
	tick(1010);
	expect(3, GESTURE_PLAY_SHORT, GESTURE_PLAY_SHORT, GESTURE_NEXT_LONG);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(gesture_name(GESTURE_PLAY_SHORT), "play");
	assert_string_equal(gesture_name(GESTURE_PLAY_LONG), "play-long");
	assert_string_equal(gesture_name(GESTURE_NEXT_SHORT), "next");
	assert_string_equal(gesture_name(GESTURE_NEXT_LONG), "next-long");
	assert_string_equal(gesture_name(GESTURE_BOTH_LONG), "both-long");
	assert_string_equal(gesture_name(GESTURE_NONE), "none");
	gesture_free(NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_debounced, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(short_presses),
		T(long_press_fires_while_held),
		T(long_press_boundaries),
		T(bounce_on_press_and_release),
		T(bounce_leaves_the_other_level),
		T(chatter),
		T(glitch_is_no_press),
		T(both_buttons),
		T(both_held_long),
		T(press_during_long_press),
		T(stray_edges),
		T(clock_going_backwards),
		T(start_at_boot),
		T(reset_forgets),
		cmocka_unit_test_setup_teardown(kernel_debounced, setup_kernel_debounced, teardown),
		T(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

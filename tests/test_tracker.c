/* The session tracker: a session begins, is paused, ends finished or stopped,
 * or is replaced by another before a sample sees it end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "tracker.h"

static struct plan plan;
static struct step steps[3];

static int setup(void **state)
{
	struct routine r = { .name = (char *)"t", .nsteps = 3, .steps = steps };
	struct voice v;
	struct plan_sources src = fx_sources();

	(void)state;
	steps[0] = fx_step("One", NULL, 5000);
	steps[1] = fx_step("Two", NULL, 5000);
	steps[2] = fx_step("Three", NULL, 5000);
	fx_voice(&v);
	return plan_build(&plan, &r, &v, FX_RATE, &src);
}

static int teardown(void **state)
{
	(void)state;
	plan_free(&plan);
	return 0;
}

static uint64_t start_of(unsigned step)
{
	for (size_t i = 0; i < plan.nphases; i++)
		if (plan.phases[i].step == step)
			return plan.phases[i].start;
	return 0;
}

static void finished_session_counts_running_time_only(void **state)
{
	struct tracker t = { 0 };
	struct tracker_record r;

	(void)state;
	assert_false(tracker_sample(&t, &plan, 3, SESSION_IDLE, 0, 0, 0.0, 1000, &r));
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, 0, 1, 1.0, 1001, &r));
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, start_of(1), 1, 11.0, 1011, &r));
	/* Paused for 100 s: not counted. */
	assert_false(tracker_sample(&t, &plan, 3, SESSION_PAUSED, start_of(1), 1, 11.0, 1011, &r));
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, start_of(1), 1, 111.0, 1111, &r));
	assert_true(tracker_sample(&t, &plan, 3, SESSION_FINISHED, plan.total, 1, 131.0, 1131, &r));
	assert_true(r.finished);
	assert_int_equal(r.started, 1001);
	assert_int_equal(r.seconds, 30);
	assert_int_equal(r.steps_done, 3);
	assert_int_equal(r.steps_total, 3);
	/* Nothing more until the next session. */
	assert_false(tracker_sample(&t, &plan, 3, SESSION_FINISHED, plan.total, 1, 140.0, 1140, &r));
}

static void stopped_in_step_two(void **state)
{
	struct tracker t = { 0 };
	struct tracker_record r;

	(void)state;
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, 0, 4, 0.0, 50, &r));
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, start_of(1) + 10, 4, 5.0, 55, &r));
	assert_true(tracker_sample(&t, &plan, 3, SESSION_IDLE, 0, 4, 6.0, 56, &r));
	assert_false(r.finished);
	assert_int_equal(r.steps_done, 1);  /* step one done, step two not */
	assert_int_equal(r.seconds, 6);
}

static void replaced_between_samples(void **state)
{
	struct tracker t = { 0 };
	struct tracker_record r;

	(void)state;
	/* Stop and play again within one tick: the session number tells. */
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, 100, 7, 0.0, 10, &r));
	assert_true(tracker_sample(&t, &plan, 3, SESSION_RUNNING, 10, 8, 2.0, 12, &r));
	assert_false(r.finished);
	assert_true(t.active);
	assert_int_equal(t.session, 8);
	assert_int_equal(t.started, 12);
}

static void session_between_two_samples(void **state)
{
	struct tracker t = { 0 };
	struct tracker_record r;

	(void)state;
	assert_false(tracker_sample(&t, &plan, 3, SESSION_IDLE, 0, 2, 0.0, 10, &r));
	/* Played and stopped before the next sample: still one stopped session. */
	assert_true(tracker_sample(&t, &plan, 3, SESSION_IDLE, 0, 3, 0.3, 11, &r));
	assert_false(r.finished);
	assert_int_equal(r.seconds, 0);
	assert_int_equal(r.steps_total, 3);
	assert_false(tracker_sample(&t, &plan, 3, SESSION_IDLE, 0, 3, 0.6, 12, &r));
}

/* Issue 16, finding 6: a stop of the daemon mid-session lost the session.
 * Ended there, it is a stopped one, its running time counted to now. */
static void ended_at_shutdown_is_stopped(void **state)
{
	struct tracker t = { 0 };
	struct tracker_record r;

	(void)state;
	assert_false(tracker_end(&t, 3, 0.0, &r));      /* nothing followed */
	assert_false(tracker_sample(&t, &plan, 3, SESSION_IDLE, 0, 0, 0.0, 1000, &r));
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, 0, 1, 1.0, 1001, &r));
	assert_false(tracker_sample(&t, &plan, 3, SESSION_RUNNING, start_of(1), 1, 11.0, 1011, &r));
	assert_true(tracker_end(&t, 3, 16.0, &r));
	assert_false(r.finished);
	assert_int_equal(r.started, 1001);
	assert_int_equal(r.seconds, 15);
	assert_int_equal(r.steps_done, 1);
	assert_int_equal(r.steps_total, 3);
	assert_false(tracker_end(&t, 3, 17.0, &r));     /* once */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finished_session_counts_running_time_only),
		cmocka_unit_test(stopped_in_step_two),
		cmocka_unit_test(replaced_between_samples),
		cmocka_unit_test(session_between_two_samples),
		cmocka_unit_test(ended_at_shutdown_is_stopped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

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

/* A plan of four steps, the middle two with sides. */
static struct plan sided;
static struct step four[4];

static void build_sided(void)
{
	struct routine r = { .name = (char *)"s", .nsteps = 4, .steps = four };
	struct voice v;
	struct plan_sources src = fx_sources();

	four[0] = fx_step("One", "Lie down.", 5000);
	four[1] = fx_sided(fx_step("Two", "Kneel.", 5000));
	four[2] = fx_sided(fx_step("Three", "Sit.", 5000));
	four[3] = fx_step("Four", "Stand.", 5000);
	fx_voice(&v);
	assert_int_equal(plan_build(&sided, &r, &v, FX_RATE, &src), 0);
}

/* The first phase of KIND in STEP, a few frames in. */
static uint64_t in_phase(enum phase_kind kind, unsigned step)
{
	for (size_t i = 0; i < sided.nphases; i++)
		if (sided.phases[i].kind == kind && sided.phases[i].step == step)
			return sided.phases[i].start + 10;
	fail_msg("no such phase");
	return 0;
}

static void sample(struct tracker *t, enum session_state st, uint64_t pos, unsigned session,
		   double s, struct tracker_record *r, bool ends)
{
	assert_int_equal(tracker_sample(t, &sided, 4, st, pos, session, s, 1000 + (time_t)s, r),
			 ends);
}

static void outcomes_of_each_step(void **state)
{
	static const unsigned char want[] = { STEP_DONE, STEP_HURT, STEP_DONE, STEP_SKIPPED };
	struct tracker t = { 0 };
	struct tracker_record r;
	uint64_t pos;

	(void)state;
	build_sided();
	tracker_control(&t, &sided, 0, SESSION_HURT);   /* no session: nothing */
	sample(&t, SESSION_IDLE, 0, 0, 0.0, &r, false);
	sample(&t, SESSION_RUNNING, 0, 1, 1.0, &r, false);
	/* A hurt in the left hold of step two, then a Next there too. */
	pos = in_phase(PHASE_HOLD, 1);
	sample(&t, SESSION_RUNNING, pos, 1, 10.0, &r, false);
	tracker_control(&t, &sided, pos, SESSION_HURT);
	tracker_control(&t, &sided, pos, SESSION_NEXT);   /* hurt stays hurt */
	/* Next in step three's announcement only cuts the talk: not a skip. */
	pos = in_phase(PHASE_ANNOUNCE, 2);
	sample(&t, SESSION_RUNNING, pos, 1, 20.0, &r, false);
	tracker_control(&t, &sided, pos, SESSION_NEXT);
	/* Pause, resume, play: not outcomes. */
	tracker_control(&t, &sided, pos, SESSION_PAUSE);
	tracker_control(&t, &sided, pos, SESSION_PLAY);
	/* Next in step four's hold: skipped. */
	pos = in_phase(PHASE_HOLD, 3);
	sample(&t, SESSION_RUNNING, pos, 1, 30.0, &r, false);
	tracker_control(&t, &sided, pos, SESSION_NEXT);
	sample(&t, SESSION_FINISHED, sided.total, 1, 40.0, &r, true);
	assert_true(r.finished);
	assert_int_equal(r.noutcomes, 4);
	assert_memory_equal(r.outcome, want, 4);

	/* The next session starts clean; stopped in step three after a hurt in
	 * step one: two and three are not reached (three was in progress). */
	sample(&t, SESSION_RUNNING, 0, 2, 50.0, &r, false);
	tracker_control(&t, &sided, in_phase(PHASE_HOLD, 0), SESSION_HURT);
	sample(&t, SESSION_RUNNING, in_phase(PHASE_HOLD, 2), 2, 60.0, &r, false);
	tracker_control(&t, &sided, in_phase(PHASE_HOLD, 2), SESSION_STOP);
	sample(&t, SESSION_IDLE, 0, 2, 61.0, &r, true);
	assert_false(r.finished);
	assert_int_equal(r.steps_done, 2);
	assert_int_equal(r.outcome[0], STEP_HURT);
	assert_int_equal(r.outcome[1], STEP_DONE);
	assert_int_equal(r.outcome[2], STEP_NOT_REACHED);
	assert_int_equal(r.outcome[3], STEP_NOT_REACHED);

	/* Ended by a shutdown: the same outcomes; a hurt in the finish is none. */
	sample(&t, SESSION_RUNNING, 0, 3, 70.0, &r, false);
	sample(&t, SESSION_RUNNING, in_phase(PHASE_HOLD, 1), 3, 80.0, &r, false);
	tracker_control(&t, &sided, in_phase(PHASE_SIDE, 1), SESSION_NEXT);  /* to the right side */
	tracker_control(&t, &sided, in_phase(PHASE_FINISH, 3), SESSION_HURT);
	assert_true(tracker_end(&t, 4, 90.0, &r));
	assert_int_equal(r.noutcomes, 4);
	assert_int_equal(r.outcome[0], STEP_DONE);
	assert_int_equal(r.outcome[1], STEP_SKIPPED);   /* the left hold jumped over */
	assert_int_equal(r.outcome[2], STEP_NOT_REACHED);
	assert_int_equal(r.outcome[3], STEP_NOT_REACHED);
	plan_free(&sided);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finished_session_counts_running_time_only),
		cmocka_unit_test(stopped_in_step_two),
		cmocka_unit_test(replaced_between_samples),
		cmocka_unit_test(session_between_two_samples),
		cmocka_unit_test(ended_at_shutdown_is_stopped),
		cmocka_unit_test(outcomes_of_each_step),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

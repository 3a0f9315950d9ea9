/* The status line, the systemd summary and the spoken progress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "status.h"

static struct plan plan;
static struct step steps[2];
static struct routine routine = { .name = (char *)"Morning \"back\"", .nsteps = 2, .steps = steps };
static struct voice voice;

static int setup(void **state)
{
	struct plan_sources src = fx_sources();

	(void)state;
	steps[0] = fx_sided(fx_step("Hip flexor stretch", "Kneel.", 30000));
	steps[1] = fx_reps(fx_step("Ab hold", NULL, 10000), 3, 5000);
	fx_voice(&voice);
	return plan_build(&plan, &routine, &voice, FX_RATE, &src);
}

static int teardown(void **state)
{
	(void)state;
	plan_free(&plan);
	return 0;
}

static struct status_input at(enum session_state st, uint64_t pos)
{
	return (struct status_input){ &plan, &routine, st, pos, "ok", "off", 0, 0 };
}

static uint64_t phase_start(enum phase_kind k, enum side side, unsigned rep)
{
	for (size_t i = 0; i < plan.nphases; i++)
		if (plan.phases[i].kind == k && plan.phases[i].side == side && plan.phases[i].rep == rep)
			return plan.phases[i].start;
	fail_msg("no such phase");
	return 0;
}

static void line_fields(void **state)
{
	struct status_input in;
	char buf[512], want[512];
	uint64_t h = phase_start(PHASE_HOLD, SIDE_LEFT, 0);

	(void)state;
	in = at(SESSION_RUNNING, h + FX_MS(12600));
	snprintf(want, sizeof(want),
		 "running step=1/2 name=\"Hip flexor stretch\" side=left rep=- remaining=17.4 "
		 "session_remaining=%.1f phase=hold routine=\"Morning \\\"back\\\"\" audio=ok buttons=off latency_ms=- xruns=0",
		 (double)(plan.total - in.pos) / FX_RATE);
	assert_string_equal(status_line(&in, buf, sizeof(buf)), want);
	in = at(SESSION_PAUSED, phase_start(PHASE_HOLD, SIDE_NONE, 2) + 1);
	in.latency_us = 1234;
	status_line(&in, buf, sizeof(buf));
	assert_non_null(strstr(buf, " latency_ms=1.2"));
	in.xruns = 3;
	status_line(&in, buf, sizeof(buf));
	assert_non_null(strstr(buf, " latency_ms=1.2 xruns=3"));
	assert_non_null(strstr(buf, "paused step=2/2 name=\"Ab hold\" side=- rep=2/3 "));
	in = at(SESSION_IDLE, 0);
	assert_string_equal(status_line(&in, buf, sizeof(buf)),
			    "idle step=- name=- side=- rep=- remaining=- session_remaining=- phase=- "
			    "routine=\"Morning \\\"back\\\"\" audio=ok buttons=off latency_ms=- xruns=0");
}

static void summary(void **state)
{
	struct status_input in = at(SESSION_RUNNING, phase_start(PHASE_HOLD, SIDE_RIGHT, 0));
	char buf[256];

	(void)state;
	assert_string_equal(status_summary(&in, buf, sizeof(buf)),
			    "Step 1/2: Hip flexor stretch, right side");
	in.state = SESSION_PAUSED;
	assert_string_equal(status_summary(&in, buf, sizeof(buf)),
			    "Step 1/2: Hip flexor stretch, right side (paused)");
	in.state = SESSION_IDLE;
	assert_string_equal(status_summary(&in, buf, sizeof(buf)), "Idle");
}

/* The terminal's line: the summary, a 20-character bar of the phase, the
 * seconds left in it and its kind. */
static void progress_line(void **state)
{
	uint64_t h = phase_start(PHASE_HOLD, SIDE_LEFT, 0);
	struct status_input in = at(SESSION_RUNNING, h + FX_MS(7500));   /* a quarter of 30 s */
	char buf[256];

	(void)state;
	assert_string_equal(status_progress_line(&in, buf, sizeof(buf)),
			    "Step 1/2: Hip flexor stretch, left side [#####---------------] 22 s hold");
	in.pos = h;
	assert_string_equal(status_progress_line(&in, buf, sizeof(buf)),
			    "Step 1/2: Hip flexor stretch, left side [--------------------] 30 s hold");
	in.state = SESSION_IDLE;
	assert_string_equal(status_progress_line(&in, buf, sizeof(buf)), "Idle. Space starts, q quits.");
	in.state = SESSION_FINISHED;
	assert_string_equal(status_progress_line(&in, buf, sizeof(buf)),
			    "Finished. Space starts again, q quits.");
	/* Cut short, never overrun. */
	in.state = SESSION_RUNNING;
	assert_string_equal(status_progress_line(&in, buf, 12), "Step 1/2: H");
}

static void progress_speech(void **state)
{
	struct status_input in;
	char buf[256], want[256];
	uint64_t left;

	(void)state;
	in = at(SESSION_RUNNING, 0);
	left = plan.total / FX_RATE;
	assert_true(left >= 90);
	snprintf(want, sizeof(want), "Step 1 of 2: Hip flexor stretch. %u minutes to go.",
		 (unsigned)((left + 30) / 60));
	assert_string_equal(status_progress_speech(&in, &voice, buf, sizeof(buf)), want);
	in = at(SESSION_RUNNING, plan.total - 70 * FX_RATE);
	status_progress_speech(&in, &voice, buf, sizeof(buf));
	assert_string_equal(buf + strlen(buf) - strlen("One minute to go."), "One minute to go.");
	in = at(SESSION_RUNNING, plan.total - 23 * FX_RATE);
	assert_string_equal(status_progress_speech(&in, &voice, buf, sizeof(buf)) + strlen("Step 2 of 2: Ab hold. "),
			    "25 seconds to go.");
	in = at(SESSION_IDLE, 0);
	assert_string_equal(status_progress_speech(&in, &voice, buf, sizeof(buf)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_fields),
		cmocka_unit_test(summary),
		cmocka_unit_test(progress_line),
		cmocka_unit_test(progress_speech),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* Soak: 10,000 sessions under a virtual clock with random controls, many of
 * them aimed at the awkward moments (the last frame of a hold, the first frame
 * of a phase, during an acknowledgement, during a wait).  The machine must
 * never stick, time must never run backwards except where the rules say (a
 * pause says a cut sentence again; stop returns to the start), and every
 * session must end finished or stopped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fixture.h"
#include "session.h"

#define SESSIONS 10000

static struct plan plan;
static struct step steps[5];

static int setup(void **state)
{
	struct routine r = { .name = (char *)"soak", .countdown = 3, .nsteps = 5, .steps = steps };
	struct voice v;
	struct plan_sources src = fx_sources();

	(void)state;
	steps[0] = fx_step("Foam roll", "Fetch the roller.", 5000);
	steps[0].wait = true;
	steps[1] = fx_sided(fx_step("Stretch", "Kneel.", 4000));
	steps[1].halfway = true;
	steps[2] = fx_reps(fx_step("Ab hold", "Brace.", 3000), 3, 2000);
	steps[3] = fx_reps(fx_step("Tilts", "Rock.", 0), 4, 0);
	steps[4] = fx_step("Last", NULL, 2000);
	fx_voice(&v);
	return plan_build(&plan, &r, &v, FX_RATE, &src);
}

static int teardown(void **state)
{
	(void)state;
	plan_free(&plan);
	return 0;
}

static unsigned rnd(unsigned *seed, unsigned n)
{
	return (unsigned)rand_r(seed) % n;
}

/* Frames until the next "awkward moment" after POS: the last frame of the
 * current phase, or its first frame + 1, chosen at random. */
static uint64_t to_awkward(const struct session *s, unsigned *seed)
{
	const struct plan_phase *ph = &plan.phases[plan_phase_at(&plan, s->pos)];
	uint64_t end = ph->start + ph->length;

	if (rnd(seed, 2) && end > s->pos + 1)
		return end - 1 - s->pos;
	return 1;
}

/* The longest speech cue: the most a pause may rewind. */
static uint64_t longest_speech(void)
{
	uint64_t m = 0;

	for (size_t i = 0; i < plan.ncues; i++)
		if (plan.cues[i].text >= 0 && plan.cues[i].length > m)
			m = plan.cues[i].length;
	return m;
}

static void one_session(unsigned *seed, uint64_t max_rewind, unsigned *finished, unsigned *stopped)
{
	struct session s;
	struct session_actions a;
	unsigned presses = 1 + rnd(seed, 12);
	bool skip_waits = rnd(seed, 4) == 0;
	uint64_t guard;

	session_init(&s, &plan, skip_waits);
	assert_true(session_control(&s, SESSION_PLAY, &a));
	for (unsigned i = 0; i < presses && s.state != SESSION_IDLE && s.state != SESSION_FINISHED; i++) {
		enum session_control c = (enum session_control)rnd(seed, 5);
		uint64_t wait = rnd(seed, 3) == 0 ? to_awkward(&s, seed) : rnd(seed, 3 * FX_RATE);
		uint64_t before;
		enum session_state st;

		while (wait > 0 && s.state == SESSION_RUNNING) {
			uint32_t n = wait > 5000 ? 5000 : (uint32_t)wait;

			before = s.pos;
			n = session_advance(&s, n, &a);
			assert_true(n > 0);
			assert_true(s.pos >= before);      /* advancing never goes back */
			assert_true(s.pos <= plan.total);
			wait -= n;
		}
		before = s.pos;
		st = s.state;
		session_control(&s, c, &a);
		assert_true(a.n <= SESSION_MAX_ACTIONS);
		if (s.state == SESSION_IDLE) {
			assert_int_equal(s.pos, 0);           /* stop: back to the start */
		} else if (c == SESSION_PAUSE && st == SESSION_RUNNING) {
			/* A cut sentence is said again: a bounded rewind. */
			assert_true(s.pos <= before && before - s.pos <= max_rewind);
		} else if (c == SESSION_NEXT && st != SESSION_IDLE && st != SESSION_FINISHED) {
			assert_true(s.pos >= before);
		}
	}
	/* No more presses: a paused session is resumed; then it must run out. */
	guard = 0;
	while (s.state == SESSION_RUNNING || s.state == SESSION_PAUSED) {
		if (s.state == SESSION_PAUSED)
			assert_true(session_control(&s, SESSION_PLAY, &a));
		session_advance(&s, 4096, &a);
		guard += 4096;
		/* Bounded by the plan plus an acknowledgement per wait step. */
		assert_true(guard <= plan.total + 10 * FX_RATE);
	}
	if (s.state == SESSION_FINISHED) {
		assert_int_equal(s.pos, plan.total);
		(*finished)++;
	} else {
		assert_int_equal(s.state, SESSION_IDLE);
		(*stopped)++;
	}
}

static void ten_thousand_sessions(void **state)
{
	unsigned seed = 20261124, finished = 0, stopped = 0;
	uint64_t max_rewind = longest_speech();

	(void)state;
	for (int i = 0; i < SESSIONS; i++)
		one_session(&seed, max_rewind, &finished, &stopped);
	print_message("%d sessions: %u finished, %u stopped\n", SESSIONS, finished, stopped);
	assert_int_equal(finished + stopped, SESSIONS);
	/* The mix is meaningful: both endings happen often. */
	assert_true(finished > SESSIONS / 10);
	assert_true(stopped > SESSIONS / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_thousand_sessions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

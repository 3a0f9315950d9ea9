/* The session state machine under a virtual clock: output frames go in,
 * cue starts come out, and we check when each cue would be heard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fixture.h"
#include "session.h"

/* A clock in output frames, and every sound the session asked for with the
 * output frame where it started. */
struct heard {
	uint64_t clock;
	struct { uint64_t at; int cue; int say; int fade; } ev[4096];
	size_t n;
};

static void record(struct heard *h, const struct session_actions *a)
{
	for (unsigned i = 0; i < a->n && h->n < 4096; i++) {
		const struct session_action *x = &a->act[i];

		h->ev[h->n].at = h->clock + x->offset;
		h->ev[h->n].cue = x->kind == SESSION_ACT_CUE ? x->index : -1;
		h->ev[h->n].say = x->kind == SESSION_ACT_SAY ? x->index : -1;
		h->ev[h->n].fade = x->kind == SESSION_ACT_FADE;
		h->n++;
	}
}

static void control(struct session *s, struct heard *h, enum session_control c)
{
	struct session_actions a;

	session_control(s, c, &a);
	record(h, &a);
}

/* Lets FRAMES pass in blocks of BLOCK. */
static void run(struct session *s, struct heard *h, uint64_t frames, uint32_t block)
{
	while (frames > 0) {
		struct session_actions a;
		uint32_t n = frames < block ? (uint32_t)frames : block;

		n = session_advance(s, n, &a);
		record(h, &a);
		h->clock += n;
		frames -= n;
	}
}

static int heard_cue(const struct heard *h, int cue, size_t from)
{
	for (size_t i = from; i < h->n; i++)
		if (h->ev[i].cue == cue)
			return (int)i;
	return -1;
}

static struct plan plan;
static struct step steps[3];

static int setup(void **state)
{
	struct routine r = { .name = (char *)"t", .countdown = 3, .nsteps = 3, .steps = steps };
	struct voice v;
	struct plan_sources src = fx_sources();

	(void)state;
	steps[0] = fx_step("Foam roll", "Roll slowly.", 30000);
	steps[0].wait = true;
	steps[1] = fx_sided(fx_step("Hip flexor", "Kneel.", 20000));
	steps[2] = fx_reps(fx_step("Ab hold", "Brace.", 10000), 3, 5000);
	fx_voice(&v);
	return plan_build(&plan, &r, &v, FX_RATE, &src);
}

static int teardown(void **state)
{
	(void)state;
	plan_free(&plan);
	return 0;
}

static void plays_every_cue_at_its_frame(void **state)
{
	static struct heard h;
	struct session s;
	uint32_t blocks[] = { 1, 7, 256, 4096 };

	(void)state;
	for (size_t b = 0; b < 4; b++) {
		h = (struct heard){ 0 };
		session_init(&s, &plan, true);
		control(&s, &h, SESSION_PLAY);
		assert_int_equal(s.state, SESSION_RUNNING);
		run(&s, &h, plan.total + 1000, blocks[b]);
		assert_int_equal(s.state, SESSION_FINISHED);
		assert_int_equal(s.pos, plan.total);
		assert_int_equal(h.n, plan.ncues);
		for (size_t i = 0; i < plan.ncues; i++) {
			assert_int_equal(h.ev[i].cue, (int)i);
			assert_int_equal(h.ev[i].at, plan.cues[i].at);
		}
	}
}

static void wait_step_pauses_until_play(void **state)
{
	static struct heard h;
	struct session s;
	int w = fx_find_phase(&plan, PHASE_WAIT, 0);
	uint64_t wait_end = plan.phases[w].start + plan.phases[w].length;

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, false);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, wait_end + 5 * FX_RATE, 100);
	assert_int_equal(s.state, SESSION_PAUSED);
	assert_true(s.at_wait);
	assert_int_equal(s.pos, wait_end);
	/* Play goes on at once, without "Resuming". */
	control(&s, &h, SESSION_PLAY);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(s.hold, 0);
	for (size_t i = 0; i < h.n; i++)
		assert_true(h.ev[i].say < 0);
	run(&s, &h, plan.total, 100);
	assert_int_equal(s.state, SESSION_FINISHED);
}

static void play_during_wait_prompt_means_ready(void **state)
{
	static struct heard h;
	struct session s;
	int w = fx_find_phase(&plan, PHASE_WAIT, 0);

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, false);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, plan.phases[w].start + 10, 64);
	control(&s, &h, SESSION_PLAY);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(s.pos, plan.phases[w].start + plan.phases[w].length);
	assert_true(h.ev[h.n - 1].fade);
}

static void play_during_wait_prompt_when_waits_are_skipped(void **state)
{
	static struct heard h;
	struct session s;
	int w = fx_find_phase(&plan, PHASE_WAIT, 0);

	(void)state;
	/* Render mode: waits do not pause, but Play during the prompt must still
	 * move to the prompt's end, not past the end of time. */
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, plan.phases[w].start + 10, 64);
	control(&s, &h, SESSION_PLAY);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(s.pos, plan.phases[w].start + plan.phases[w].length);
	run(&s, &h, plan.total, 4096);
	assert_int_equal(s.state, SESSION_FINISHED);
	assert_int_equal(s.pos, plan.total);
}

static void pause_keeps_hold_time_to_the_frame(void **state)
{
	static struct heard h;
	struct session s;
	int hold = fx_find_phase(&plan, PHASE_HOLD, 0);
	uint64_t into = FX_MS(12345);
	uint64_t paused_at, resumed_at, resume_hold;
	int end_cue, e;

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, plan.phases[hold].start + into, 333);
	paused_at = h.clock;
	control(&s, &h, SESSION_PAUSE);
	assert_int_equal(s.state, SESSION_PAUSED);
	assert_int_equal(s.pos, plan.phases[hold].start + into);
	assert_true(h.ev[h.n - 2].fade);
	assert_int_equal(h.ev[h.n - 1].say, plan.ack.paused);
	/* Two seconds pass: the plan does not move. */
	run(&s, &h, 2 * FX_RATE, 333);
	assert_int_equal(s.pos, plan.phases[hold].start + into);
	resumed_at = h.clock;
	control(&s, &h, SESSION_RESUME);
	assert_int_equal(h.ev[h.n - 1].say, plan.ack.resuming);
	resume_hold = plan.text_frames[plan.ack.resuming] + FX_MS(PLAN_GAP_AFTER_SPEECH_MS);
	run(&s, &h, plan.phases[hold].length, 333);
	/* The end tone comes exactly the remaining hold time after "Resuming" ends. */
	end_cue = (int)plan_cue_from(&plan, plan.phases[hold].start + plan.phases[hold].length);
	e = heard_cue(&h, end_cue, 0);
	assert_true(e >= 0);
	assert_int_equal(h.ev[e].at, resumed_at + resume_hold + plan.phases[hold].length - into);
	assert_true(paused_at < resumed_at);
}

static void pause_mid_sentence_says_it_again(void **state)
{
	static struct heard h;
	struct session s;
	int c = fx_find_said(&plan, "Kneel.");
	size_t first;

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, plan.cues[c].at + plan.cues[c].length / 2, 500);
	first = (size_t)heard_cue(&h, c, 0);
	control(&s, &h, SESSION_PAUSE);
	assert_int_equal(s.pos, plan.cues[c].at);
	control(&s, &h, SESSION_RESUME);
	run(&s, &h, FX_RATE * 5, 500);
	assert_true(heard_cue(&h, c, first + 1) > (int)first);
}

static void next_skips_side_then_step(void **state)
{
	static struct heard h;
	struct session s;
	int h1 = fx_find_phase(&plan, PHASE_HOLD, (size_t)fx_find_phase(&plan, PHASE_SIDE, 0));
	int right = fx_find_phase(&plan, PHASE_SIDE, (size_t)fx_find_phase(&plan, PHASE_SIDE, 0) + 1);
	int brace = fx_find_said(&plan, "Brace.");
	int ab_name = fx_find_said(&plan, "Next up: Ab hold.");

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, plan.phases[h1].start + 100, 512);
	control(&s, &h, SESSION_NEXT);
	assert_int_equal(s.pos, plan.phases[right].start);
	assert_int_equal(s.hold, 0);  /* the side phase speaks for itself */
	control(&s, &h, SESSION_NEXT);
	assert_int_equal(h.ev[h.n - 1].say, plan.ack.next[2]);
	assert_int_equal(s.pos, plan.cues[brace].at);
	run(&s, &h, FX_RATE * 3, 512);
	/* The name was said by "Next: Ab hold." and is not said again. */
	assert_int_equal(heard_cue(&h, ab_name, 0), -1);
	assert_true(heard_cue(&h, brace, 0) >= 0);
}

/* "This hurts" in the first side's hold of a two-sided step: the calm
 * sentence, then the next step announced in full (its name included); the
 * other side, and the end tone of the hold cut short, are never heard. */
static void hurt_leaves_the_step_and_says_so(void **state)
{
	static struct heard h;
	struct session s;
	int side1 = fx_find_phase(&plan, PHASE_SIDE, 0);
	int h1 = fx_find_phase(&plan, PHASE_HOLD, (size_t)side1);
	int right = fx_find_phase(&plan, PHASE_SIDE, (size_t)side1 + 1);
	int ab = fx_find_phase(&plan, PHASE_ANNOUNCE, (size_t)right);
	int ab_name = fx_find_said(&plan, "Next up: Ab hold.");
	int fin = fx_find_phase(&plan, PHASE_FINISH, 0);
	size_t from;

	(void)state;
	assert_true(plan.ack.hurt >= 0);
	assert_string_equal(plan.texts[plan.ack.hurt], "Let's skip that one today.");
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	assert_false(session_control(&s, SESSION_HURT, &(struct session_actions){ 0 }));  /* idle */
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, plan.phases[h1].start + 100, 512);
	from = h.n;
	control(&s, &h, SESSION_HURT);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_true(h.ev[from].fade);
	assert_int_equal(h.ev[h.n - 1].say, plan.ack.hurt);
	assert_int_equal(s.pos, plan.phases[ab].start);
	assert_int_equal(plan.phases[ab].step, 2);
	assert_true(s.hold > plan.text_frames[plan.ack.hurt]);
	from = h.n;
	run(&s, &h, FX_RATE * 4, 512);
	/* After the sentence: the next step's own announcement, first. */
	assert_int_equal(h.ev[from].cue, ab_name);
	for (size_t i = from; i < h.n; i++)
		assert_true(plan.cues[h.ev[i].cue].phase >= (unsigned)ab);
	/* Hurt while paused goes on, running; in the last step it finishes. */
	control(&s, &h, SESSION_PAUSE);
	control(&s, &h, SESSION_HURT);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(s.pos, plan.phases[fin].start);
	assert_int_equal(h.ev[h.n - 1].say, plan.ack.hurt);
	/* Nothing to leave in the finish. */
	assert_false(session_control(&s, SESSION_HURT, &(struct session_actions){ 0 }));
	run(&s, &h, plan.total, 4096);
	assert_int_equal(s.state, SESSION_FINISHED);
}

static void next_while_paused_runs_on(void **state)
{
	static struct heard h;
	struct session s;

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, FX_RATE, 100);
	control(&s, &h, SESSION_PAUSE);
	control(&s, &h, SESSION_NEXT);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(plan.phases[plan_phase_at(&plan, s.pos)].step, 1);
}

static void stop_returns_to_idle(void **state)
{
	static struct heard h;
	struct session s;

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	assert_false(session_control(&s, SESSION_STOP, &(struct session_actions){ 0 }));
	assert_false(session_control(&s, SESSION_PAUSE, &(struct session_actions){ 0 }));
	assert_false(session_control(&s, SESSION_NEXT, &(struct session_actions){ 0 }));
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, FX_RATE * 40, 256);
	control(&s, &h, SESSION_STOP);
	assert_int_equal(s.state, SESSION_IDLE);
	assert_int_equal(h.ev[h.n - 1].say, plan.ack.stopped);
	h.n = 0;
	run(&s, &h, FX_RATE * 10, 256);
	assert_int_equal(h.n, 0);  /* idle is silent */
	control(&s, &h, SESSION_PLAY);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(s.pos, 0);
	assert_int_equal(s.sessions, 2);
}

static void next_from_last_step_finishes(void **state)
{
	static struct heard h;
	struct session s;
	int fin = fx_find_phase(&plan, PHASE_FINISH, 0);

	(void)state;
	h = (struct heard){ 0 };
	session_init(&s, &plan, true);
	control(&s, &h, SESSION_PLAY);
	run(&s, &h, plan.phases[fin].start - 10, 4096);
	control(&s, &h, SESSION_NEXT);
	assert_int_equal(s.pos, plan.phases[fin].start);
	control(&s, &h, SESSION_NEXT);
	assert_int_equal(s.state, SESSION_FINISHED);
	control(&s, &h, SESSION_PLAY);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(s.pos, 0);
}

static void full_action_buffer_loses_nothing(void **state)
{
	struct session s;
	struct session_actions a;
	size_t seen = 0;

	(void)state;
	session_init(&s, &plan, true);
	session_control(&s, SESSION_PLAY, &a);
	/* One enormous block: the session hands back cues in several calls. */
	while (s.state == SESSION_RUNNING) {
		uint32_t n = session_advance(&s, UINT32_MAX / 2, &a);

		assert_true(a.n <= SESSION_MAX_ACTIONS);
		for (unsigned i = 0; i < a.n; i++)
			assert_int_equal(a.act[i].index, (int)seen++);
		assert_true(n > 0);
	}
	assert_int_equal(seen, plan.ncues);
}

static void random_controls_never_stick(void **state)
{
	struct session s;
	unsigned seed = 12345;

	(void)state;
	for (int run_i = 0; run_i < 300; run_i++) {
		uint64_t steps_left = 20000;

		session_init(&s, &plan, run_i % 2);
		while (steps_left-- > 0) {
			struct session_actions a;
			uint64_t before = s.pos;
			enum session_state st = s.state;
			unsigned r = (unsigned)rand_r(&seed);

			if (r % 50 == 0) {
				session_control(&s, (enum session_control)(r / 50 % 6), &a);
				assert_true(a.n <= SESSION_MAX_ACTIONS);
			} else {
				session_advance(&s, 1 + r % 3000, &a);
				/* Time only moves forward while nothing is pressed. */
				if (st == SESSION_RUNNING)
					assert_true(s.pos >= before);
				else if (st != SESSION_RUNNING)
					assert_int_equal(s.pos, before);
			}
			assert_true(s.pos <= plan.total);
			assert_true(s.state <= SESSION_FINISHED);
			if (s.state == SESSION_FINISHED || s.state == SESSION_IDLE)
				break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plays_every_cue_at_its_frame),
		cmocka_unit_test(wait_step_pauses_until_play),
		cmocka_unit_test(play_during_wait_prompt_means_ready),
		cmocka_unit_test(play_during_wait_prompt_when_waits_are_skipped),
		cmocka_unit_test(pause_keeps_hold_time_to_the_frame),
		cmocka_unit_test(pause_mid_sentence_says_it_again),
		cmocka_unit_test(next_skips_side_then_step),
		cmocka_unit_test(hurt_leaves_the_step_and_says_so),
		cmocka_unit_test(next_while_paused_runs_on),
		cmocka_unit_test(stop_returns_to_idle),
		cmocka_unit_test(next_from_last_step_finishes),
		cmocka_unit_test(full_action_buffer_loses_nothing),
		cmocka_unit_test(random_controls_never_stick),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

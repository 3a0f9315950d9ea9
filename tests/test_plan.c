/* Plan layout: phases tile the timeline, holds are frame-exact, and speech
 * never overlaps a tone or other speech. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

static void build_styled(struct plan *p, struct step *steps, size_t n, unsigned countdown,
			 enum plan_style style)
{
	struct routine r = { .name = (char *)"test", .countdown = countdown, .nsteps = n,
			     .steps = steps };
	struct voice v;
	struct plan_sources src = fx_sources();

	fx_voice(&v);
	src.style = style;
	assert_int_equal(plan_build(p, &r, &v, FX_RATE, &src), 0);
}

static void build(struct plan *p, struct step *steps, size_t n, unsigned countdown)
{
	build_styled(p, steps, n, countdown, PLAN_VOICE_AND_TONES);
}

static void assert_tiled(const struct plan *p)
{
	uint64_t t = 0;

	for (size_t i = 0; i < p->nphases; i++) {
		assert_int_equal(p->phases[i].start, t);
		t += p->phases[i].length;
	}
	assert_int_equal(t, p->total);
}

/* The rule users care most about: no two sounds that include speech overlap. */
static void assert_no_speech_overlap(const struct plan *p)
{
	for (size_t i = 0; i < p->ncues; i++) {
		const struct plan_cue *a = &p->cues[i];

		if (i > 0)
			assert_true(p->cues[i - 1].at <= a->at);
		assert_true(a->at + a->length <= p->total);
		for (size_t j = i + 1; j < p->ncues; j++) {
			const struct plan_cue *b = &p->cues[j];

			if (b->at >= a->at + a->length)
				break;
			/* Overlap: only tone with tone is allowed. */
			assert_int_equal(a->text, -1);
			assert_int_equal(b->text, -1);
		}
	}
}

static void single_hold_is_frame_exact(void **state)
{
	struct step s[] = { fx_step("Cat camel", "Slowly arch and round your back.", 30000) };
	struct plan p;
	int h, cue;

	(void)state;
	build(&p, s, 1, 3);
	assert_tiled(&p);
	assert_no_speech_overlap(&p);
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	assert_true(h >= 0);
	assert_int_equal(p.phases[h].length, FX_MS(30000));
	assert_int_equal(p.phases[0].kind, PHASE_ANNOUNCE);
	assert_int_equal(p.phases[1].kind, PHASE_PREPARE);
	assert_int_equal(p.phases[1].length, FX_MS(3000));
	assert_int_equal(p.phases[p.nphases - 1].kind, PHASE_FINISH);
	/* Start tone at the hold's first frame, end tone at its last + 1, three ticks. */
	cue = (int)plan_cue_from(&p, p.phases[h].start);
	assert_int_equal(p.cues[cue].sound, SOUND_START);
	for (int k = 3; k >= 1; k--) {
		cue++;
		assert_int_equal(p.cues[cue].sound, SOUND_TICK);
		assert_int_equal(p.cues[cue].at, p.phases[h].start + FX_MS(30000) - (uint64_t)k * FX_RATE);
	}
	cue++;
	assert_int_equal(p.cues[cue].sound, SOUND_END);
	assert_int_equal(p.cues[cue].at, p.phases[h].start + FX_MS(30000));
	/* The opening chime, the safety sentence, the name, the cue; the finish
	 * with its chime last. */
	assert_int_equal(p.cues[0].sound, SOUND_REMINDER);
	assert_int_equal(p.cues[0].at, 0);
	assert_int_equal(fx_find_said(&p, FX_SAFETY), 1);
	assert_int_equal(fx_find_said(&p, "Cat camel."), 2);
	assert_int_equal(fx_find_said(&p, "Slowly arch and round your back."), 3);
	assert_int_equal(p.cues[p.ncues - 1].sound, SOUND_FINISH);
	assert_int_equal(p.cues[p.ncues - 1].at + p.cues[p.ncues - 1].length, p.total);
	plan_free(&p);
}

static void hold_starts_after_announcement(void **state)
{
	/* No prepare time: the start tone must still wait for the cue to end. */
	struct step s[] = { fx_step("Plank", "A very long instruction that takes a while to say aloud.", 10000) };
	struct plan p;
	int h, cue;

	(void)state;
	s[0].prepare_ms = 0;
	build(&p, s, 1, 0);
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	cue = fx_find_said(&p, s[0].say);
	assert_int_equal(p.phases[h].start,
			 p.cues[cue].at + p.cues[cue].length + FX_MS(PLAN_GAP_AFTER_SPEECH_MS));
	assert_no_speech_overlap(&p);
	plan_free(&p);
}

static void sides_switch_with_time_to_change(void **state)
{
	struct step s[] = { fx_sided(fx_step("Hip flexor stretch", "Kneel on one knee.", 30000)) };
	struct plan p;
	int left, right, h1, h2;

	(void)state;
	build(&p, s, 1, 3);
	assert_tiled(&p);
	assert_no_speech_overlap(&p);
	left = fx_find_phase(&p, PHASE_SIDE, 0);
	right = fx_find_phase(&p, PHASE_SIDE, (size_t)left + 1);
	assert_true(left >= 0 && right > left);
	assert_int_equal(p.phases[left].side, SIDE_LEFT);
	assert_int_equal(p.phases[right].side, SIDE_RIGHT);
	assert_true(p.phases[right].length >= FX_MS(5000));
	assert_true(fx_find_said(&p, "Left side.") >= 0);
	assert_true(fx_find_said(&p, "Switch sides. Right side.") >= 0);
	h1 = fx_find_phase(&p, PHASE_HOLD, 0);
	h2 = fx_find_phase(&p, PHASE_HOLD, (size_t)h1 + 1);
	assert_int_equal(p.phases[h1].side, SIDE_LEFT);
	assert_int_equal(p.phases[h2].side, SIDE_RIGHT);
	assert_int_equal(p.phases[h1].length, FX_MS(30000));
	assert_int_equal(p.phases[h2].length, FX_MS(30000));
	/* The side switch speaks only after the end tone of the left hold. */
	assert_true(p.cues[fx_find_said(&p, "Switch sides. Right side.")].at >=
		    p.phases[h1].start + p.phases[h1].length + FX_MS(300));
	plan_free(&p);
}

static void timed_reps_rest_and_count(void **state)
{
	struct step s[] = { fx_reps(fx_step("Prone iso ab hold", "On your elbows.", 10000), 3, 5000) };
	struct plan p;
	int h = -1, rest = -1, label;

	(void)state;
	build(&p, s, 1, 3);
	assert_tiled(&p);
	assert_no_speech_overlap(&p);
	for (unsigned rep = 1; rep <= 3; rep++) {
		h = fx_find_phase(&p, PHASE_HOLD, (size_t)(h + 1));
		assert_int_equal(p.phases[h].rep, rep);
		assert_int_equal(p.phases[h].length, FX_MS(10000));
	}
	for (unsigned rep = 1; rep <= 2; rep++) {
		rest = fx_find_phase(&p, PHASE_REP_REST, (size_t)(rest + 1));
		assert_true(p.phases[rest].length >= FX_MS(5000));
		assert_int_equal(p.phases[rest].kind, PHASE_REP_REST);
	}
	assert_int_equal(fx_find_phase(&p, PHASE_REP_REST, (size_t)rest + 1), -1);
	/* "Rep 2 of 3." ends one gap before the second hold's start tone. */
	label = fx_find_said(&p, "Rep 2 of 3.");
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	h = fx_find_phase(&p, PHASE_HOLD, (size_t)h + 1);
	assert_int_equal(p.cues[label].at + p.cues[label].length + FX_MS(PLAN_GAP_AFTER_SPEECH_MS),
			 p.phases[h].start);
	assert_true(fx_find_said(&p, "Rep 1 of 3.") >= 0);
	assert_true(fx_find_said(&p, "Rep 3 of 3.") >= 0);
	plan_free(&p);
}

static void paced_reps_are_counted(void **state)
{
	struct step s[] = { fx_reps(fx_step("Pelvic tilts", "Rock your pelvis.", 0), 5, 0) };
	struct plan p;
	int h;

	(void)state;
	build(&p, s, 1, 3);
	assert_tiled(&p);
	assert_no_speech_overlap(&p);
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	assert_int_equal(p.phases[h].length, 5 * FX_MS(ROUTINE_PACE_MS));
	assert_int_equal(fx_find_phase(&p, PHASE_HOLD, (size_t)h + 1), -1);
	for (unsigned n = 2; n <= 5; n++) {
		char text[8];
		int c;

		snprintf(text, sizeof(text), "%u.", n);
		c = fx_find_said(&p, text);
		assert_true(c >= 0);
		assert_int_equal(p.cues[c].at, p.phases[h].start + (n - 1) * FX_MS(ROUTINE_PACE_MS));
	}
	/* No countdown ticks during counting. */
	for (size_t i = 0; i < p.ncues; i++)
		assert_int_not_equal(p.cues[i].sound, SOUND_TICK);
	plan_free(&p);
}

static void rest_makes_room_for_long_speech(void **state)
{
	struct step s[] = {
		fx_step("First", NULL, 5000),
		fx_step("A second step with a rather long name to announce", NULL, 5000),
	};
	struct plan p;
	int rest, c;

	(void)state;
	s[0].rest_ms = 500;  /* shorter than "Next up: ..." */
	build(&p, s, 2, 0);
	assert_tiled(&p);
	assert_no_speech_overlap(&p);
	/* The rest after a step is the next step's announcement. */
	rest = fx_find_phase(&p, PHASE_ANNOUNCE, 1);
	assert_int_equal(p.phases[rest].step, 1);
	c = fx_find_said(&p, "Next up: A second step with a rather long name to announce.");
	assert_true(c >= 0);
	assert_int_equal(p.phases[rest].start + p.phases[rest].length,
			 p.cues[c].at + p.cues[c].length + FX_MS(PLAN_GAP_AFTER_SPEECH_MS));
	plan_free(&p);
}

/* A physiotherapist's order: the hold ends, and while the person moves they
 * hear what comes next and how to get into it, once; the next hold starts
 * only `prepare` after the last instruction, and no sooner than `rest` after
 * the last hold. */
static void rest_carries_the_next_instructions(void **state)
{
	struct step s[] = {
		fx_step("Foam roll", "Roll slowly.", 30000),
		fx_sided(fx_step("Hip flexor stretch", "Kneel on one knee, the other foot forward.", 30000)),
		fx_step("Plank", "On your forearms, hips lifted off the floor.", 10000),
	};
	struct plan p;

	(void)state;
	s[0].rest_ms = 10000;
	s[1].rest_ms = 2000;
	build(&p, s, 3, 3);
	assert_tiled(&p);
	assert_no_speech_overlap(&p);
	for (unsigned i = 1; i < 3; i++) {
		int prev_hold = -1, hold, say, ann = -1;
		uint64_t prev_end, say_end;

		for (size_t k = 0; k < p.nphases; k++) {
			if (p.phases[k].kind == PHASE_HOLD && p.phases[k].step == i - 1)
				prev_hold = (int)k;
			if (p.phases[k].kind == PHASE_ANNOUNCE && p.phases[k].step == i)
				ann = (int)k;
		}
		hold = fx_find_phase(&p, PHASE_HOLD, (size_t)ann);
		say = fx_find_said(&p, s[i].say);
		prev_end = p.phases[prev_hold].start + p.phases[prev_hold].length;
		say_end = p.cues[say].at + p.cues[say].length;
		/* The announcement starts right after the end tone... */
		assert_int_equal(p.phases[ann].start, prev_end);
		/* ...and the instructions are said during the rest, not after it. */
		assert_true(p.cues[say].at < prev_end + FX_MS(s[i - 1].rest_ms));
		/* The hold waits for the rest, and for `prepare` after the last word
		 * before it (the side's, for a step with sides). */
		assert_true(p.phases[hold].start >= prev_end + FX_MS(s[i - 1].rest_ms));
		assert_true(p.phases[hold].start >= say_end + FX_MS(s[i].prepare_ms));
		for (size_t c = (size_t)say + 1; p.cues[c].at < p.phases[hold].start; c++)
			assert_true(p.phases[hold].start >=
				    p.cues[c].at + p.cues[c].length + FX_MS(s[i].prepare_ms));
	}
	plan_free(&p);
}

/* Each step's name is said once per session (in "Next up: NAME."), never
 * again before its sides or after them. */
static void each_name_is_said_once(void **state)
{
	struct step s[] = {
		fx_step("Foam roll", "Roll slowly.", 30000),
		fx_sided(fx_step("Hip flexor stretch", "Kneel on one knee.", 30000)),
		fx_reps(fx_step("Plank", "On your forearms.", 10000), 3, 5000),
	};
	struct plan p;

	(void)state;
	build(&p, s, 3, 3);
	for (unsigned i = 0; i < 3; i++) {
		unsigned n = 0;

		for (size_t c = 0; c < p.ncues; c++)
			n += p.cues[c].text >= 0 && strstr(p.texts[p.cues[c].text], s[i].name) != NULL;
		if (n != 1)
			fail_msg("'%s' is said %u times", s[i].name, n);
	}
	plan_free(&p);
}

/* The safety sentence opens every session, after the opening chime; a
 * routine's own replaces the voice's; the gentle start ends by it. */
static void safety_opens_the_session(void **state)
{
	struct step s[] = { fx_step("Cat camel", "Slowly.", 20000) };
	struct routine r = { .name = (char *)"test", .countdown = 3, .nsteps = 1, .steps = s };
	struct voice v;
	struct plan_sources src = fx_sources();
	struct plan p;
	int c;

	(void)state;
	fx_voice(&v);
	assert_int_equal(plan_build(&p, &r, &v, FX_RATE, &src), 0);
	c = fx_find_said(&p, FX_SAFETY);
	assert_int_equal(p.cues[c].at, src.sound_frames[SOUND_REMINDER] + FX_MS(PLAN_GAP_AFTER_TONE_MS));
	assert_int_equal(plan_first_speech(&p), p.cues[c].at);
	plan_free(&p);
	r.safety = (char *)"Go easy on your back today.";
	assert_int_equal(plan_build(&p, &r, &v, FX_RATE, &src), 0);
	assert_true(fx_find_said(&p, "Go easy on your back today.") >= 0);
	assert_int_equal(fx_find_said(&p, FX_SAFETY), -1);
	assert_int_equal(fx_text(&p, FX_SAFETY), -1);
	plan_free(&p);
	/* Tones only: the chime, no words. */
	src.style = PLAN_TONES_ONLY;
	assert_int_equal(plan_build(&p, &r, &v, FX_RATE, &src), 0);
	assert_int_equal(p.cues[0].sound, SOUND_REMINDER);
	assert_int_equal(plan_first_speech(&p), p.total);
	plan_free(&p);
}

/* A step's words for its sides are said at the side's start and after
 * "Switch sides."; a step without them says "Left side.". */
static void sides_name_the_limb(void **state)
{
	struct step s[] = { fx_sided(fx_step("Hip flexor stretch", "Kneel.", 30000)),
			    fx_sided(fx_step("Twist", "Knees to one side.", 20000)) };
	struct plan p;
	int left, right;

	(void)state;
	s[0].side_say[0] = (char *)"Left knee down, right foot forward.";
	s[0].side_say[1] = (char *)"Right knee down, left foot forward.";
	build(&p, s, 2, 3);
	left = fx_find_said(&p, "Left knee down, right foot forward.");
	right = fx_find_said(&p, "Switch sides. Right knee down, left foot forward.");
	assert_true(left >= 0 && right > left);
	assert_int_equal(p.cues[left].at, p.phases[fx_find_phase(&p, PHASE_SIDE, 0)].start);
	assert_true(fx_find_said(&p, "Left side.") > right);
	assert_true(fx_find_said(&p, "Switch sides. Right side.") > right);
	plan_free(&p);
}

/* A step's longer description is said after its cue only when the caller
 * asks (a first session); it is always ready to be said on request. */
static void explanation_when_asked(void **state)
{
	struct step s[] = { fx_step("Cat camel", "Hands and knees.", 30000) };
	struct routine r = { .name = (char *)"test", .countdown = 3, .nsteps = 1, .steps = s };
	struct voice v;
	struct plan_sources src = fx_sources();
	struct plan p;
	int say, more;

	(void)state;
	fx_voice(&v);
	s[0].explain = (char *)"Move from the lower back and pelvis, not the middle of the back.";
	assert_int_equal(plan_build(&p, &r, &v, FX_RATE, &src), 0);
	assert_int_equal(fx_find_said(&p, s[0].explain), -1);
	assert_int_equal(p.ack.explain[0], fx_text(&p, s[0].explain));
	plan_free(&p);
	src.explain = true;
	assert_int_equal(plan_build(&p, &r, &v, FX_RATE, &src), 0);
	say = fx_find_said(&p, "Hands and knees.");
	more = fx_find_said(&p, s[0].explain);
	assert_int_equal(more, say + 1);
	assert_no_speech_overlap(&p);
	plan_free(&p);
	/* Without one, the cue is what is said again. */
	s[0].explain = NULL;
	assert_int_equal(plan_build(&p, &r, &v, FX_RATE, &src), 0);
	assert_int_equal(p.ack.explain[0], fx_text(&p, "Hands and knees."));
	plan_free(&p);
}

static void halfway_fits_or_is_left_out(void **state)
{
	struct step s[] = { fx_step("Long", NULL, 40000), fx_step("Short", NULL, 2000) };
	struct plan p;
	int h, c;

	(void)state;
	s[0].halfway = s[1].halfway = true;
	build(&p, s, 2, 3);
	assert_no_speech_overlap(&p);
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	c = fx_find_said(&p, "Halfway.");
	assert_true(c >= 0);
	assert_int_equal(p.cues[c].at, p.phases[h].start + FX_MS(20000));
	/* Only once: the 2 s hold has no room between its tones. */
	for (size_t i = (size_t)c + 1; i < p.ncues; i++)
		assert_true(p.cues[i].text != p.cues[c].text);
	plan_free(&p);
}

static void form_cues_inside_the_hold(void **state)
{
	struct step_cue cues[] = {
		{ .at_ms = 10000, .say = (char *)"Breathe out." },
		{ .at_ms = 10100, .say = (char *)"Keep your shoulders down." },  /* would overlap the first */
		{ .at_ms = 28500, .say = (char *)"Almost there, stay with it." }, /* would run into the ticks */
	};
	struct step s[] = { fx_step("Plank", NULL, 30000) };
	struct plan p;
	int h, a, b, c;
	uint64_t first_tick;

	(void)state;
	s[0].cues = cues;
	s[0].ncues = 3;
	s[0].halfway = true;  /* at 15 s, between them */
	build(&p, s, 1, 3);
	assert_no_speech_overlap(&p);
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	a = fx_find_said(&p, "Breathe out.");
	b = fx_find_said(&p, "Keep your shoulders down.");
	c = fx_find_said(&p, "Almost there, stay with it.");
	assert_true(a >= 0 && b >= 0 && c >= 0);
	/* The first when asked; the second right after it and its gap. */
	assert_int_equal(p.cues[a].at, p.phases[h].start + FX_MS(10000));
	assert_int_equal(p.cues[b].at, p.cues[a].at + p.cues[a].length + FX_MS(PLAN_GAP_AFTER_SPEECH_MS));
	/* The last moved earlier so it ends a gap before the first tick. */
	first_tick = p.phases[h].start + FX_MS(27000);
	assert_int_equal(p.cues[c].at + p.cues[c].length + FX_MS(PLAN_GAP_AFTER_SPEECH_MS), first_tick);
	assert_int_equal(p.cues[fx_find_said(&p, "Halfway.")].at, p.phases[h].start + FX_MS(15000));
	/* The hold's length is untouched by what is said inside it. */
	assert_int_equal(p.phases[h].length, FX_MS(30000));
	plan_free(&p);
}

static void tones_only_says_nothing(void **state)
{
	struct step s[] = { fx_sided(fx_step("Twist", "Knees to one side.", 20000)),
			    fx_reps(fx_step("Tilts", "Rock.", 0), 4, 0) };
	struct plan p;
	int h;

	(void)state;
	build_styled(&p, s, 2, 3, PLAN_TONES_ONLY);
	assert_tiled(&p);
	assert_int_equal(p.ntexts, 0);
	for (size_t i = 0; i < p.ncues; i++)
		assert_true(p.cues[i].sound >= 0);
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	assert_int_equal(p.phases[h].length, FX_MS(20000));
	assert_int_equal(p.ack.paused, -1);
	plan_free(&p);
}

static void voice_only_speaks_the_marks(void **state)
{
	struct step s[] = { fx_step("Plank", "Hold.", 10000) };
	struct plan p;
	int h, begin, relax;

	(void)state;
	build_styled(&p, s, 1, 3, PLAN_VOICE_ONLY);
	assert_tiled(&p);
	assert_no_speech_overlap(&p);
	for (size_t i = 0; i < p.ncues; i++)
		assert_int_equal(p.cues[i].sound, -1);
	h = fx_find_phase(&p, PHASE_HOLD, 0);
	begin = fx_find_said(&p, "Begin.");
	relax = fx_find_said(&p, "And relax.");
	assert_int_equal(p.cues[begin].at, p.phases[h].start);
	assert_int_equal(p.cues[relax].at, p.phases[h].start + FX_MS(10000));
	/* The countdown is counted aloud at the ticks' frames. */
	assert_int_equal(p.cues[fx_find_said(&p, "3.")].at, p.phases[h].start + FX_MS(7000));
	assert_int_equal(p.cues[fx_find_said(&p, "1.")].at, p.phases[h].start + FX_MS(9000));
	/* Speech after the hold waits for "And relax." as it would for the tone. */
	assert_true(p.cues[fx_find_said(&p, "Routine complete. Well done.")].at >=
		    p.cues[relax].at + p.cues[relax].length);
	plan_free(&p);
}

static void wait_step_and_texts_interned_once(void **state)
{
	struct step s[] = { fx_step("Foam roll", "Fetch the roller.", 30000),
			    fx_step("Glutes", NULL, 30000), fx_step("Hips", NULL, 30000) };
	struct plan p;
	int w, n = 0;

	(void)state;
	s[0].wait = true;
	build(&p, s, 3, 3);
	assert_tiled(&p);
	w = fx_find_phase(&p, PHASE_WAIT, 0);
	assert_int_equal(w, 1);
	assert_true(fx_find_said(&p, "Press play when you are ready.") >= 0);
	for (size_t i = 0; i < p.ntexts; i++)
		n += strcmp(p.texts[i], "Next up: Hips.") == 0;
	assert_int_equal(n, 1);
	/* Acknowledgements are ready before they are needed. */
	assert_true(fx_text(&p, "Paused.") >= 0);
	assert_true(fx_text(&p, "Next: Glutes.") >= 0);
	plan_free(&p);
}

static void next_goes_to_side_then_step_then_finish(void **state)
{
	struct step s[] = { fx_sided(fx_step("Twist", "Knees to one side.", 20000)),
			    fx_step("Ab hold", "Brace.", 10000) };
	struct plan p;
	size_t to;
	uint64_t target;
	int h1, right, ann2, say2, fin;

	(void)state;
	build(&p, s, 2, 3);
	h1 = fx_find_phase(&p, PHASE_HOLD, 0);
	right = fx_find_phase(&p, PHASE_SIDE, (size_t)fx_find_phase(&p, PHASE_SIDE, 0) + 1);
	target = plan_next_target(&p, p.phases[h1].start + 100, &to);
	assert_int_equal(to, (size_t)right);
	assert_int_equal(target, p.phases[right].start);
	/* From the right side: the next step, skipping its name ("Next: NAME" said it). */
	ann2 = fx_find_phase(&p, PHASE_ANNOUNCE, 1);
	say2 = fx_find_said(&p, "Brace.");
	target = plan_next_target(&p, p.phases[right].start + 1, &to);
	assert_int_equal(to, (size_t)ann2);
	assert_int_equal(target, p.cues[say2].at);
	/* From the last step: the finish. */
	fin = fx_find_phase(&p, PHASE_FINISH, 0);
	target = plan_next_target(&p, p.phases[ann2].start + 1, &to);
	assert_int_equal(to, (size_t)fin);
	assert_int_equal(target, p.phases[fin].start);
	target = plan_next_target(&p, p.phases[fin].start + 1, &to);
	assert_int_equal(target, p.total);
	plan_free(&p);
}

static void lookup_by_frame(void **state)
{
	struct step s[] = { fx_step("One", NULL, 5000), fx_step("Two", NULL, 5000) };
	struct plan p;

	(void)state;
	build(&p, s, 2, 3);
	for (size_t i = 0; i < p.nphases; i++) {
		assert_int_equal(plan_phase_at(&p, p.phases[i].start), i);
		if (p.phases[i].length > 1)
			assert_int_equal(plan_phase_at(&p, p.phases[i].start + p.phases[i].length - 1), i);
	}
	assert_int_equal(plan_phase_at(&p, p.total + 1000), p.nphases - 1);
	for (size_t i = 0; i < p.ncues; i++)
		assert_true(plan_cue_from(&p, p.cues[i].at) <= i);
	assert_int_equal(plan_cue_from(&p, p.total + 1), p.ncues);
	plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_hold_is_frame_exact),
		cmocka_unit_test(hold_starts_after_announcement),
		cmocka_unit_test(sides_switch_with_time_to_change),
		cmocka_unit_test(timed_reps_rest_and_count),
		cmocka_unit_test(paced_reps_are_counted),
		cmocka_unit_test(rest_makes_room_for_long_speech),
		cmocka_unit_test(rest_carries_the_next_instructions),
		cmocka_unit_test(each_name_is_said_once),
		cmocka_unit_test(safety_opens_the_session),
		cmocka_unit_test(sides_name_the_limb),
		cmocka_unit_test(explanation_when_asked),
		cmocka_unit_test(halfway_fits_or_is_left_out),
		cmocka_unit_test(form_cues_inside_the_hold),
		cmocka_unit_test(tones_only_says_nothing),
		cmocka_unit_test(voice_only_speaks_the_marks),
		cmocka_unit_test(wait_step_and_texts_interned_once),
		cmocka_unit_test(next_goes_to_side_then_step_then_finish),
		cmocka_unit_test(lookup_by_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

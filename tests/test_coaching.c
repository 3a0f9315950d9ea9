/* The shipped routines as a physiotherapist would script them, with real
 * speech lengths: the safety sentence opens every session, no hold leaves
 * the person more than 12 s without a sound, the next step's instructions
 * come during the rest and the hold waits `prepare` after the last of them,
 * each step's name is said once, and the gentle start is over by the first
 * words. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bundle.h"
#include "engine.h"

#define RATE 16000
#define SAFETY_WITHIN_S 3     /* the safety sentence starts this soon */
#define MAX_SILENCE_S   12    /* longest stretch of a hold without a sound */

static const char *const shipped[] = {
	"config/routines/morning-back.yaml",
	"config/routines/quick-back.yaml",
	"config/routines/evening-unwind.yaml",
};

#define NSHIPPED (sizeof(shipped) / sizeof(*shipped))

/* One per process: libespeak-ng is global. */
static struct speech *speech;
/* Each shipped routine loaded once for every test that only reads it: a load
 * synthesizes all its speech (a bundle owns its clips), which took this suite
 * 80 s under qemu-user when each test loaded its own. */
static struct bundle loaded[NSHIPPED];

static void load(struct bundle *b, const char *routine)
{
	const struct bundle_files files = {
		.routine = routine, .voices_dir = "voices", .sounds_dir = "sounds", .voice = "en",
	};
	struct diag err;

	if (bundle_load(b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
}

static int load_shipped(void **state)
{
	(void)state;
	for (size_t r = 0; r < NSHIPPED; r++)
		load(&loaded[r], shipped[r]);
	return 0;
}

static int free_shipped(void **state)
{
	(void)state;
	for (size_t r = 0; r < NSHIPPED; r++)
		bundle_free(&loaded[r]);
	return 0;
}

static const char *said(const struct bundle *b, size_t cue)
{
	int t = b->plan.cues[cue].text;

	return t >= 0 ? b->plan.texts[t] : NULL;
}

static void safety_opens_every_session(void **state)
{
	(void)state;
	for (size_t r = 0; r < NSHIPPED; r++) {
		const struct bundle *b = &loaded[r];
		char want[512];
		size_t c = 0;

		if (b->routine.safety)
			snprintf(want, sizeof(want), "%s", b->routine.safety);
		else
			voice_say(&b->voice, PHRASE_SAFETY, NULL, 0, 0, want, sizeof(want));
		while (c < b->plan.ncues && b->plan.cues[c].text < 0)
			c++;
		assert_true(c < b->plan.ncues);
		if (strcmp(said(b, c), want) || b->plan.cues[c].at > SAFETY_WITHIN_S * RATE)
			fail_msg("%s: first words \"%s\" at %.1f s (expected \"%s\" within %d s)",
				 shipped[r], said(b, c), (double)b->plan.cues[c].at / RATE, want,
				 SAFETY_WITHIN_S);
	}
}

/* The longest stretch of [FROM, TO) that no cue sounds in. */
static uint64_t longest_silence(const struct plan *p, uint64_t from, uint64_t to, uint64_t *where)
{
	uint64_t quiet_from = from, longest = 0;

	for (size_t c = 0; c < p->ncues && p->cues[c].at < to; c++) {
		uint64_t at = p->cues[c].at, end = at + p->cues[c].length;

		if (end <= quiet_from)
			continue;
		if (at > quiet_from && at - quiet_from > longest) {
			longest = at - quiet_from;
			*where = quiet_from;
		}
		quiet_from = end;
	}
	if (to > quiet_from && to - quiet_from > longest) {
		longest = to - quiet_from;
		*where = quiet_from;
	}
	return longest;
}

/* Nine 30 s holds had 26.75 s of silence each (29% of the session): with
 * eyes closed one wonders whether it stopped.  Form cues fill them now. */
static void no_hold_is_silent_for_long(void **state)
{
	(void)state;
	for (size_t r = 0; r < NSHIPPED; r++) {
		const struct bundle *b = &loaded[r];
		double worst = 0;

		for (size_t i = 0; i < b->plan.nphases; i++) {
			const struct plan_phase *ph = &b->plan.phases[i];
			uint64_t where = 0, quiet;

			if (ph->kind != PHASE_HOLD)
				continue;
			quiet = longest_silence(&b->plan, ph->start, ph->start + ph->length, &where);
			worst = fmax(worst, (double)quiet / RATE);
			if (quiet > (uint64_t)MAX_SILENCE_S * RATE)
				fail_msg("%s: %s: %.1f s without a sound from %.1f s", shipped[r],
					 b->routine.steps[ph->step].name, (double)quiet / RATE,
					 (double)where / RATE);
		}
		print_message("%s: longest silence in a hold %.1f s\n", shipped[r], worst);
	}
}

/* While the person moves after a hold, they hear the next step and how to
 * get into it; the next hold starts no sooner than `prepare` after the last
 * instruction (12-15 s from the first word was too little when it all came
 * after the rest). */
static void instructions_come_during_the_rest(void **state)
{
	(void)state;
	for (size_t r = 0; r < NSHIPPED; r++) {
		const struct bundle *b = &loaded[r];
		const struct plan *p;
		uint64_t last_hold_end = 0;
		int last_step = -1;

		p = &b->plan;
		for (size_t i = 0; i < p->nphases; i++) {
			const struct plan_phase *ph = &p->phases[i];
			const struct step *st = &b->routine.steps[ph->step];
			uint64_t spoken_end = 0;
			int instr = -1;

			if (ph->kind == PHASE_ANNOUNCE && last_step >= 0 && st->say) {
				instr = -1;
				for (size_t c = 0; c < p->ncues; c++)
					if (p->cues[c].phase == i && said(b, c) && !strcmp(said(b, c), st->say))
						instr = (int)c;
				assert_true(instr >= 0);
				/* The announcement is the rest: it begins at the end tone. */
				assert_int_equal(ph->start, last_hold_end);
				if (p->cues[instr].at >= last_hold_end +
				    (uint64_t)b->routine.steps[last_step].rest_ms * RATE / 1000)
					fail_msg("%s: the instructions for %s start after the rest",
						 shipped[r], st->name);
			}
			if (ph->kind != PHASE_HOLD)
				continue;
			if ((int)ph->step != last_step || ph->rep <= 1) {
				/* The last instruction before this hold (the name, the cue,
				 * the side's words; not "Hold 1 of 8."), and the hold's start. */
				for (size_t c = 0; c < p->ncues && p->cues[c].at < ph->start; c++) {
					enum phase_kind k = p->phases[p->cues[c].phase].kind;

					if (p->cues[c].text >= 0 && (k == PHASE_ANNOUNCE || k == PHASE_SIDE))
						spoken_end = p->cues[c].at + p->cues[c].length;
				}
				if (ph->start < spoken_end + (uint64_t)st->prepare_ms * RATE / 1000)
					fail_msg("%s: %s starts %.1f s after the last instruction (expected %u ms)",
						 shipped[r], st->name, (double)(ph->start - spoken_end) / RATE,
						 st->prepare_ms);
			}
			last_hold_end = ph->start + ph->length;
			last_step = (int)ph->step;
		}
	}
}

/* "Cat and camel" was said in "Rest. Next up: Cat and camel." and again 6-9 s
 * later: once is enough. */
static void each_name_is_said_once(void **state)
{
	(void)state;
	for (size_t r = 0; r < NSHIPPED; r++) {
		const struct bundle *b = &loaded[r];

		for (size_t i = 0; i < b->routine.nsteps; i++) {
			const char *name = b->routine.steps[i].name;
			unsigned n = 0;

			for (size_t c = 0; c < b->plan.ncues; c++)
				n += said(b, c) && strstr(said(b, c), name) != NULL;
			if (n != 1)
				fail_msg("%s: \"%s\" is said %u times", shipped[r], name, n);
		}
	}
}

/* Renders the first FRAMES of a session with a gentle start of GENTLE_MS. */
static float *render_start(const struct bundle *b, unsigned gentle_ms, uint32_t frames)
{
	struct engine e;
	float *x = calloc(frames, sizeof(*x));

	assert_non_null(x);
	engine_init(&e, &b->plan, b->texts, b->sounds, 1.0f, true);
	engine_set_gentle(&e, gentle_ms);
	engine_control(&e, SESSION_PLAY);
	engine_run(&e, x, frames);
	return x;
}

/* The first words of a session said the safety sentence at 30% (-31.6 LUFS
 * against -22.6): the gentle start now ramps the opening chime only, and the
 * words come at full level. */
static void first_words_at_full_level(void **state)
{
	const struct bundle *b = &loaded[0];
	uint64_t words;
	uint32_t frames;
	float *gentle, *full;
	double chime_diff = 0, words_diff = 0;

	(void)state;
	words = plan_first_speech(&b->plan);
	assert_true(words > 0 && words < (uint64_t)SAFETY_WITHIN_S * RATE);
	frames = (uint32_t)words + 3 * RATE;
	gentle = render_start(b, 6000, frames);
	full = render_start(b, 0, frames);
	for (uint32_t i = 0; i < frames; i++) {
		double d = fabs((double)gentle[i] - full[i]);

		if (i < words)
			chime_diff = fmax(chime_diff, d);
		else
			words_diff = fmax(words_diff, d);
	}
	print_message("gentle start: the chime differs by up to %.3f, the words by %.6f\n",
		      chime_diff, words_diff);
	assert_true(chime_diff > 0.01);     /* the chime rises */
	assert_true(words_diff < 1e-6);     /* the words are whole */
	free(gentle);
	free(full);
}

/* Counts the plan's cues that say TEXT. */
static unsigned times_said(const struct bundle *b, const char *text)
{
	unsigned n = 0;

	for (size_t c = 0; c < b->plan.ncues; c++)
		n += said(b, c) && strcmp(said(b, c), text) == 0;
	return n;
}

/* The first session of a routine explains each step (its `explain`, after
 * the cue); once the history has a finished session of it, only a long press
 * of Next does, from the plan's acknowledgements. */
static void first_session_explains(void **state)
{
	char path[] = "/tmp/coach-history-XXXXXX";
	const struct bundle_files files = {
		.routine = shipped[0], .voices_dir = "voices", .sounds_dir = "sounds",
		.voice = "en", .history = path,
	};
	struct bundle b;
	struct diag err;
	const char *explain;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	/* Another routine finished, this one only stopped: still a first time. */
	fputs("2026-12-01T07:00:00+01:00\tEvening unwind\tfinished\t470\t6/6\n"
	      "2026-12-02T07:00:00+01:00\tMorning back mobility\tstopped\t120\t2/11\n", f);
	fflush(f);
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	explain = b.routine.steps[3].explain;      /* cat and camel */
	assert_non_null(explain);
	assert_true(b.first);
	assert_int_equal(times_said(&b, explain), 1);
	bundle_free(&b);
	fputs("2026-12-03T07:00:00+01:00\tMorning back mobility\tfinished\t850\t11/11\n", f);
	fclose(f);
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	explain = b.routine.steps[3].explain;
	assert_false(b.first);
	assert_int_equal(times_said(&b, explain), 0);
	assert_string_equal(b.plan.texts[b.plan.ack.explain[3]], explain);
	bundle_free(&b);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safety_opens_every_session),
		cmocka_unit_test(no_hold_is_silent_for_long),
		cmocka_unit_test(instructions_come_during_the_rest),
		cmocka_unit_test(each_name_is_said_once),
		cmocka_unit_test(first_words_at_full_level),
		cmocka_unit_test(first_session_explains),
	};
	int failed = cmocka_run_group_tests(tests, load_shipped, free_shipped);

	if (speech)
		speech_free(speech);
	return failed;
}

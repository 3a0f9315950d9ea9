/* Render the shipped default routine with real speech and tones, read the WAV
 * back, and check it against the plan: its length to the frame, every tone's
 * onset found where the plan puts it, and silence before every tone (no
 * speech under a tone). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <sndfile.h>

#include "bundle.h"
#include "engine.h"
#include "render.h"

#define RATE 16000
#define SEARCH 320          /* +-20 ms around the planned onset */
#define TEMPLATE 4800       /* up to 300 ms of the tone: its envelope makes the peak unique */

static const struct bundle_files files = {
	.routine = "config/routines/morning-back.yaml",
	.voices_dir = "voices",
	.sounds_dir = "sounds",
	.voice = "en",
};

/* One per process: libespeak-ng is global. */
static struct speech *speech;

static float *read_wav(const char *path, sf_count_t *frames, int *rate)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	float *x;

	assert_non_null(f);
	assert_int_equal(info.channels, 1);
	assert_int_equal(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	x = malloc((size_t)info.frames * sizeof(*x));
	assert_non_null(x);
	assert_int_equal(sf_readf_float(f, x, info.frames), info.frames);
	sf_close(f);
	*frames = info.frames;
	*rate = info.samplerate;
	return x;
}

/* The lag in [-SEARCH, SEARCH] where the tone's template best matches X
 * around frame AT (normalized cross-correlation). */
static int onset_lag(const float *x, sf_count_t n, const struct clip *tone, sf_count_t at)
{
	double best = -2;
	int best_lag = 0;

	uint32_t len = tone->frames < TEMPLATE ? tone->frames : TEMPLATE;

	for (int lag = -SEARCH; lag <= SEARCH; lag++) {
		double xy = 0, xx = 0, yy = 0;
		sf_count_t s = at + lag;

		if (s < 0 || s + len > n)
			continue;
		for (uint32_t i = 0; i < len; i++) {
			double a = x[s + i], b = tone->pcm[i] / 32768.0;

			xy += a * b;
			xx += a * a;
			yy += b * b;
		}
		if (xx > 0 && yy > 0 && xy / sqrt(xx * yy) > best) {
			best = xy / sqrt(xx * yy);
			best_lag = lag;
		}
	}
	return best_lag;
}

static double peak(const float *x, sf_count_t from, sf_count_t to)
{
	double p = 0;

	for (sf_count_t i = from < 0 ? 0 : from; i < to; i++)
		p = fmax(p, fabs(x[i]));
	return p;
}

static void default_routine_renders_as_planned(void **state)
{
	char path[] = "/tmp/coach-render-XXXXXX.wav";
	struct bundle b;
	struct engine e;
	struct diag err;
	sf_count_t n;
	int rate, fd, tones = 0, max_err = 0;
	int64_t frames;
	float *x;

	(void)state;
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	engine_init(&e, &b.plan, b.texts, b.sounds, 1.0f, true);
	frames = render_wav(&e, path, NULL, 0, b.plan.total, &err);
	assert_int_equal(frames, (int64_t)b.plan.total);
	x = read_wav(path, &n, &rate);
	assert_int_equal(rate, RATE);
	assert_int_equal(n, (sf_count_t)b.plan.total);
	for (size_t i = 0; i < b.plan.ncues; i++) {
		const struct plan_cue *q = &b.plan.cues[i];
		sf_count_t at = (sf_count_t)q->at;
		int lag;

		if (q->sound < 0)
			continue;
		lag = onset_lag(x, n, &b.sounds[q->sound], at);
		if (abs(lag) > max_err)
			max_err = abs(lag);
		/* Nothing sounds in the 200 ms before a start tone or a tick: no
		 * speech under the tones that count time. */
		if (q->sound == SOUND_START || q->sound == SOUND_TICK)
			assert_true(peak(x, at - RATE / 5, at) < 0.01);
		tones++;
	}
	print_message("%d tones, max onset error %d frames at %d Hz\n", tones, max_err, RATE);
	assert_true(tones > 50);
	assert_true(max_err <= 1);
	free(x);
	unlink(path);
	bundle_free(&b);
}

static void rendered_pause_is_a_silent_gap(void **state)
{
	char path[] = "/tmp/coach-render-XXXXXX.wav";
	struct bundle b;
	struct engine e;
	struct diag err;
	struct render_control ctl[2];
	const struct plan_phase *hold;
	sf_count_t n, pause_at, resume_at, after;
	size_t h = 0;
	int rate, fd;
	float *x;

	(void)state;
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	while (b.plan.phases[h].kind != PHASE_HOLD)
		h++;
	hold = &b.plan.phases[h];
	pause_at = (sf_count_t)(hold->start + hold->length / 3);
	resume_at = pause_at + 2 * RATE;
	ctl[0] = (struct render_control){ (uint64_t)pause_at, SESSION_PAUSE };
	ctl[1] = (struct render_control){ (uint64_t)resume_at, SESSION_RESUME };
	engine_init(&e, &b.plan, b.texts, b.sounds, 1.0f, true);
	assert_true(render_wav(&e, path, ctl, 2, b.plan.total + 10 * RATE, &err) > 0);
	x = read_wav(path, &n, &rate);
	/* "Paused." is spoken, then silence until the resume. */
	assert_true(peak(x, pause_at, pause_at + RATE) > 0.05);
	assert_true(peak(x, resume_at - RATE / 2, resume_at) < 0.001);
	/* After "Resuming." the hold's end tone comes when two thirds of it are left. */
	after = resume_at + (sf_count_t)b.plan.text_frames[b.plan.ack.resuming] +
		PLAN_GAP_AFTER_SPEECH_MS * RATE / 1000 + (sf_count_t)(hold->start + hold->length) - pause_at;
	assert_int_equal(onset_lag(x, n, &b.sounds[SOUND_END], after), 0);
	free(x);
	unlink(path);
	bundle_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_routine_renders_as_planned),
		cmocka_unit_test(rendered_pause_is_a_silent_gap),
	};

	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (speech)
		speech_free(speech);
	return failed;
}

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

/* The default routine loaded once, and its plain session rendered once, for
 * the tests that only read them: each load synthesizes all the speech (a
 * bundle owns its clips) and each render mixes 14 minutes, which took this
 * suite 50 s under qemu-user when every test did both. */
static struct {
	struct bundle b;
	float *x;               /* the plain session, read back from its WAV */
	sf_count_t n;           /* its frames */
	int64_t rendered;       /* what render_wav returned */
	int rate;               /* the WAV's rate */
} shared;

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

static int load_and_render(void **state)
{
	char path[] = "/tmp/coach-render-XXXXXX.wav";
	struct engine e;
	struct diag err;
	int fd;

	(void)state;
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	if (bundle_load(&shared.b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	engine_init(&e, &shared.b.plan, shared.b.texts, shared.b.sounds, 1.0f, true);
	shared.rendered = render_wav(&e, path, NULL, 0, shared.b.plan.total, &err);
	if (shared.rendered > 0)
		shared.x = read_wav(path, &shared.n, &shared.rate);
	unlink(path);
	return 0;
}

static int free_render(void **state)
{
	(void)state;
	free(shared.x);
	bundle_free(&shared.b);
	return 0;
}

static void default_routine_renders_as_planned(void **state)
{
	const struct bundle *b = &shared.b;
	const float *x = shared.x;
	sf_count_t n = shared.n;
	int tones = 0, max_err = 0;

	(void)state;
	assert_int_equal(shared.rendered, (int64_t)b->plan.total);
	assert_int_equal(shared.rate, RATE);
	assert_int_equal(n, (sf_count_t)b->plan.total);
	for (size_t i = 0; i < b->plan.ncues; i++) {
		const struct plan_cue *q = &b->plan.cues[i];
		sf_count_t at = (sf_count_t)q->at;
		int lag;

		if (q->sound < 0)
			continue;
		lag = onset_lag(x, n, &b->sounds[q->sound], at);
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
}

/* Momentary loudness (ITU-R BS.1770 / EBU R 128: K-weighted, 400 ms windows)
 * of X at RATE, as LUFS for the window ending at each frame.  Written here
 * rather than taken from libebur128 so that the unit tests need no library
 * beyond the program's own on every architecture they are cross-run on. */
struct loudness {
	double *sq;         /* cumulative sum of the K-weighted signal squared */
	sf_count_t n;
	sf_count_t window;
};

static void biquad(double *y, sf_count_t n, const double b[3], const double a[3])
{
	double x1 = 0, x2 = 0, y1 = 0, y2 = 0;

	for (sf_count_t i = 0; i < n; i++) {
		double x0 = y[i], y0 = b[0] * x0 + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2;

		x2 = x1, x1 = x0, y2 = y1, y1 = y0;
		y[i] = y0;
	}
}

static void loudness_init(struct loudness *l, const float *x, sf_count_t n, int rate)
{
	/* The K filter's two stages for any rate (as libebur128 derives them). */
	double f0 = 1681.974450955533, g = 3.999843853973347, q = 0.7071752369554196;
	double k = tan(M_PI * f0 / rate), vh = pow(10.0, g / 20.0), vb = pow(vh, 0.4996667741545416);
	double a0 = 1.0 + k / q + k * k;
	const double shelf_b[3] = { (vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0,
				    (vh - vb * k / q + k * k) / a0 };
	const double shelf_a[3] = { 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0 };
	double f1 = 38.13547087602444, q1 = 0.5003270373238773, k1 = tan(M_PI * f1 / rate);
	double a1 = 1.0 + k1 / q1 + k1 * k1;
	const double hp_b[3] = { 1.0, -2.0, 1.0 };
	const double hp_a[3] = { 1.0, 2.0 * (k1 * k1 - 1.0) / a1, (1.0 - k1 / q1 + k1 * k1) / a1 };
	double *y = malloc((size_t)n * sizeof(*y));

	assert_non_null(y);
	for (sf_count_t i = 0; i < n; i++)
		y[i] = x[i];
	biquad(y, n, shelf_b, shelf_a);
	biquad(y, n, hp_b, hp_a);
	l->sq = malloc((size_t)(n + 1) * sizeof(*l->sq));
	assert_non_null(l->sq);
	l->sq[0] = 0;
	for (sf_count_t i = 0; i < n; i++)
		l->sq[i + 1] = l->sq[i] + y[i] * y[i];
	free(y);
	l->n = n;
	l->window = rate * 4 / 10;
}

/* The loudest 400 ms window that ends in [FROM, TO], in LUFS. */
static double loudness_max(const struct loudness *l, sf_count_t from, sf_count_t to)
{
	double best = 0;

	if (from < l->window)
		from = l->window;
	for (sf_count_t end = from; end <= to && end <= l->n; end += 16) {
		double ms = (l->sq[end] - l->sq[end - l->window]) / (double)l->window;

		best = fmax(best, ms);
	}
	return best > 0 ? -0.691 + 10.0 * log10(best) : -INFINITY;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* How the rendered session sounds, against what the ear needs: the countdown
 * ticks within 6 LU of the speech (momentary loudness: the ear follows 400 ms,
 * and a 60 ms click measured 15 LU under and was lost under breathing), and
 * the finish chime, the last sound of a session, rings out in full instead of
 * being cut at 1 s while still sounding. */
static void default_routine_sounds_carry(void **state)
{
	const struct bundle *b = &shared.b;
	const float *x = shared.x;
	sf_count_t n = shared.n;
	struct loudness l;
	sf_count_t at, len, window = RATE * 4 / 10;
	double *speech_lu, *tick_lu, speech_med, tick_med, chime_peak;
	size_t nspeech = 0, nticks = 0;
	const struct plan_cue *finish = NULL;

	(void)state;
	assert_non_null(x);
	loudness_init(&l, x, n, shared.rate);
	speech_lu = calloc(b->plan.ncues, sizeof(*speech_lu));
	tick_lu = calloc(b->plan.ncues, sizeof(*tick_lu));
	assert_true(speech_lu && tick_lu);
	for (size_t i = 0; i < b->plan.ncues; i++) {
		const struct plan_cue *q = &b->plan.cues[i];

		at = (sf_count_t)q->at;
		len = (sf_count_t)q->length;
		if (q->text >= 0)
			speech_lu[nspeech++] = loudness_max(&l, at + (len < window ? len : window), at + len);
		else if (q->sound == SOUND_TICK)
			tick_lu[nticks++] = loudness_max(&l, at, at + window);
		else if (q->sound == SOUND_FINISH)
			finish = q;
	}
	assert_true(nspeech > 20 && nticks > 20);
	speech_med = median(speech_lu, nspeech);
	tick_med = median(tick_lu, nticks);
	print_message("momentary loudness, median of the loudest window: speech %.1f LUFS "
		      "(%zu sentences), ticks %.1f LUFS (%zu): %+.1f LU\n",
		      speech_med, nspeech, tick_med, nticks, tick_med - speech_med);
	assert_true(fabs(tick_med - speech_med) <= 6.0);

	/* The chime is the last sound and the render ends with it, whole. */
	assert_non_null(finish);
	assert_int_equal(b->plan.total - finish->at, b->sounds[SOUND_FINISH].frames);
	at = (sf_count_t)finish->at;
	chime_peak = peak(x, at, n);
	print_message("finish chime: %.2f s; 1 s in %.0f dB under its peak, at the end %.0f dB\n",
		      (double)(n - at) / RATE,
		      20 * log10(chime_peak / peak(x, at + RATE, at + RATE + RATE / 10)),
		      20 * log10(chime_peak / peak(x, n - RATE / 20 - RATE / 100, n - RATE / 100)));
	/* Still ringing at 1 s, and 40 dB down in the 50 ms before its release. */
	assert_true(peak(x, at + RATE, at + RATE + RATE / 10) > chime_peak / 100);
	assert_true(peak(x, n - RATE / 20 - RATE / 100, n - RATE / 100) < chime_peak / 100);
	free(speech_lu);
	free(tick_lu);
	free(l.sq);
}

static void rendered_pause_is_a_silent_gap(void **state)
{
	const struct bundle *b = &shared.b;
	char path[] = "/tmp/coach-render-XXXXXX.wav";
	struct engine e;
	struct diag err;
	struct render_control ctl[2];
	const struct plan_phase *hold;
	sf_count_t paused_n, pause_at, resume_at, after;
	size_t h = 0;
	int paused_rate, fd;
	float *paused;

	(void)state;
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	while (b->plan.phases[h].kind != PHASE_HOLD)
		h++;
	hold = &b->plan.phases[h];
	pause_at = (sf_count_t)(hold->start + hold->length / 3);
	resume_at = pause_at + 2 * RATE;
	ctl[0] = (struct render_control){ (uint64_t)pause_at, SESSION_PAUSE };
	ctl[1] = (struct render_control){ (uint64_t)resume_at, SESSION_RESUME };
	engine_init(&e, &b->plan, b->texts, b->sounds, 1.0f, true);
	assert_true(render_wav(&e, path, ctl, 2, b->plan.total + 10 * RATE, &err) > 0);
	paused = read_wav(path, &paused_n, &paused_rate);
	assert_int_equal(paused_rate, RATE);
	/* "Paused." is spoken, then silence until the resume. */
	assert_true(peak(paused, pause_at, pause_at + RATE) > 0.05);
	assert_true(peak(paused, resume_at - RATE / 2, resume_at) < 0.001);
	/* After "Resuming." the hold's end tone comes when two thirds of it are left. */
	after = resume_at + (sf_count_t)b->plan.text_frames[b->plan.ack.resuming] +
		PLAN_GAP_AFTER_SPEECH_MS * RATE / 1000 + (sf_count_t)(hold->start + hold->length) - pause_at;
	assert_int_equal(onset_lag(paused, paused_n, &b->sounds[SOUND_END], after), 0);
	free(paused);
	unlink(path);
}

/* Issue 16, finding 14: a render that may pass 4 GiB wrote a WAV whose size
 * fields wrapped.  One bounded past the WAV's sizes is RF64 from the start
 * (here the session ends long before, so the file is small). */
static void a_render_past_4_gib_is_rf64(void **state)
{
	const struct bundle *b = &shared.b;
	char path[] = "/tmp/coach-render-XXXXXX.wav";
	struct engine e;
	struct diag err;
	SF_INFO info = { 0 };
	SNDFILE *f;
	int fd;
	uint64_t wav_limit = (UINT32_MAX - 1024u) / 2;

	(void)state;
	fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	engine_init(&e, &b->plan, b->texts, b->sounds, 1.0f, true);
	assert_int_equal(render_wav(&e, path, NULL, 0, wav_limit + 1, &err), (int64_t)b->plan.total);
	f = sf_open(path, SFM_READ, &info);
	assert_non_null(f);
	assert_int_equal(info.format, SF_FORMAT_RF64 | SF_FORMAT_PCM_16);
	assert_int_equal(info.frames, (sf_count_t)b->plan.total);
	sf_close(f);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_routine_renders_as_planned),
		cmocka_unit_test(rendered_pause_is_a_silent_gap),
		cmocka_unit_test(default_routine_sounds_carry),
		cmocka_unit_test(a_render_past_4_gib_is_rf64),
	};

	int failed = cmocka_run_group_tests(tests, load_and_render, free_render);

	if (speech)
		speech_free(speech);
	return failed;
}

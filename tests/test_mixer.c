/* Mixer levels: clips come out at their level times the volume, edges are
 * faded, sums never pass the ceiling, fades end in silence; and the mixer's
 * shortcuts (silence skipped in blocks, runs between a clip's edges, full
 * gain) give the same bits as the plain frame-by-frame mix. */
#include <math.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mixer.h"

#define N 4800

static int16_t square_pcm[N];
static struct clip square = { .pcm = square_pcm, .frames = N };

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < N; i++)
		square_pcm[i] = (i / 50) % 2 ? 16384 : -16384;  /* +-0.5 full scale */
	return 0;
}

static void clip_at_volume(void **state)
{
	struct mixer m;
	float out[N];

	(void)state;
	mixer_init(&m, 0.5f, 48000);
	mixer_play(&m, &square, 0);
	mixer_mix(&m, out, N);
	/* Middle: exactly half of +-0.5. */
	assert_float_equal(out[1000], (square_pcm[1000] / 32768.0f) * 0.5f, 1e-6);
	assert_float_equal(out[2345], (square_pcm[2345] / 32768.0f) * 0.5f, 1e-6);
	/* Edges: faded in and out, so the first and last frames are near silence. */
	assert_true(fabsf(out[0]) < 0.01f);
	assert_true(fabsf(out[N - 1]) < 0.01f);
	assert_false(mixer_busy(&m));
}

static void sum_never_clips(void **state)
{
	struct mixer m;
	float out[N];
	float peak = 0;

	(void)state;
	mixer_init(&m, 1.0f, 48000);
	for (int i = 0; i < 4; i++)
		mixer_play(&m, &square, 0);  /* 4 x 0.5 = 2.0 before the limiter */
	mixer_mix(&m, out, N);
	for (int i = 0; i < N; i++)
		peak = fmaxf(peak, fabsf(out[i]));
	assert_true(peak <= MIXER_CEILING + 1e-6f);
	assert_true(peak > 0.9f);  /* limited, not silenced */
}

static void fade_all_ends_in_silence(void **state)
{
	struct mixer m;
	float out[N];

	(void)state;
	mixer_init(&m, 1.0f, 48000);
	mixer_play(&m, &square, 0);
	mixer_mix(&m, out, 1000);
	mixer_fade_all(&m, 480);
	mixer_mix(&m, out, 1000);
	/* Fading: the level falls, then nothing. */
	assert_true(fabsf(out[10]) > fabsf(out[470]));
	for (int i = 480; i < 1000; i++)
		assert_true(out[i] == 0.0f);
	assert_false(mixer_busy(&m));
}

static void play_from_middle_fades_in(void **state)
{
	struct mixer m;
	float out[200];

	(void)state;
	mixer_init(&m, 1.0f, 48000);
	mixer_play(&m, &square, 2000);
	mixer_mix(&m, out, 200);
	/* Starting mid-clip fades in too, so resuming never clicks. */
	assert_true(fabsf(out[0]) < 0.02f);
	assert_float_equal(fabsf(out[150]), 0.5f, 1e-6);
}

static void ninth_clip_steals_the_oldest(void **state)
{
	static int16_t pcm[MIXER_VOICES + 1][N];
	struct mixer m;
	struct clip c[MIXER_VOICES + 1];

	(void)state;
	mixer_init(&m, 1.0f, 48000);
	for (int i = 0; i <= MIXER_VOICES; i++) {
		c[i] = (struct clip){ .pcm = pcm[i], .frames = N };
		mixer_play(&m, &c[i], 0);
	}
	for (int i = 0; i < MIXER_VOICES; i++)
		assert_ptr_not_equal(m.voice[i].clip, &c[0]);
	assert_ptr_equal(m.voice[0].clip, &c[MIXER_VOICES]);
}

static void gentle_ramp_rises_to_full(void **state)
{
	struct mixer m;
	float out[N];

	(void)state;
	mixer_init(&m, 1.0f, 48000);
	mixer_ramp(&m, 0.25f, 2000);
	mixer_play(&m, &square, 0);
	mixer_mix(&m, out, N);
	/* A quarter of the level at the start, half-way up at 1000, full after. */
	assert_float_equal(fabsf(out[100]), 0.5f * (0.25f + 0.75f * 100 / 2000), 1e-4);
	assert_float_equal(fabsf(out[1000]), 0.5f * (0.25f + 0.75f * 1000 / 2000), 1e-4);
	assert_float_equal(fabsf(out[3000]), 0.5f, 1e-6);
}

/* The mix frame by frame, every step for every frame, as the mixer did
 * before its shortcuts: the reference they must match to the bit. */
static float ref_edge_gain(const struct mixer_voice *v)
{
	uint32_t to_end = v->clip->frames - v->pos;
	float g = 1;

	if (v->pos - v->from < MIXER_EDGE_FRAMES)
		g = (float)(v->pos - v->from + 1) / MIXER_EDGE_FRAMES;
	if (to_end < MIXER_EDGE_FRAMES)
		g = fminf(g, (float)to_end / MIXER_EDGE_FRAMES);
	if (v->fade_left)
		g *= (float)v->fade_left / (float)v->fade_len;
	return g;
}

static void ref_mix(struct mixer *m, float *out, uint32_t n)
{
	memset(out, 0, n * sizeof(*out));
	for (int k = 0; k < MIXER_VOICES; k++) {
		struct mixer_voice *v = &m->voice[k];

		for (uint32_t i = 0; i < n && v->clip; i++) {
			out[i] += (float)v->clip->pcm[v->pos] * (1.0f / 32768.0f) * ref_edge_gain(v);
			v->pos++;
			if (v->fade_left && --v->fade_left == 0)
				v->clip = NULL;
			else if (v->pos >= v->clip->frames)
				v->clip = NULL;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		float x = out[i] * m->volume;
		float peak;

		if (m->ramp_pos < m->ramp_len) {
			x *= m->ramp_from + (1 - m->ramp_from) * (float)m->ramp_pos / (float)m->ramp_len;
			m->ramp_pos++;
		}
		peak = fabsf(x) * m->gain;
		if (peak > MIXER_CEILING)
			m->gain = MIXER_CEILING / fabsf(x);
		out[i] = x * m->gain;
		m->gain = fminf(1.0f, m->gain + m->release);
	}
}

/* One step of the scenario: before mixing frame AT, do ACTION. */
enum action { START_RAMP, PLAY_LOUD, PLAY_QUIET, PLAY_MIDDLE, FADE_ALL, END };

static void apply(struct mixer *m, enum action a, const struct clip *loud, const struct clip *quiet)
{
	switch (a) {
	case START_RAMP: mixer_ramp(m, 0.25f, 3000); break;
	case PLAY_LOUD: mixer_play(m, loud, 0); break;
	case PLAY_QUIET: mixer_play(m, quiet, 0); break;
	case PLAY_MIDDLE: mixer_play(m, quiet, 1000); break;
	case FADE_ALL: mixer_fade_all(m, 700); break;
	case END: break;
	}
}

static void shortcuts_match_the_frame_by_frame_mix(void **state)
{
	/* Silence, a ramp over silence and sound, two clips summed past the
	 * ceiling that end while the limiter holds the gain down (it then
	 * recovers over silence), a fade-out in the middle of a clip, a clip
	 * started from its middle, clips ending inside a block. */
	static const struct { uint32_t at; enum action a; } script[] = {
		{ 300, START_RAMP }, { 500, PLAY_QUIET }, { 7000, PLAY_LOUD }, { 7000, PLAY_LOUD },
		{ 13000, PLAY_QUIET }, { 14000, FADE_ALL }, { 16000, PLAY_MIDDLE }, { 21000, PLAY_QUIET },
		{ 40000, END },
	};
	static const uint32_t blocks[] = { 1, 7, 64, 1000, 4096, 333 };
	static int16_t loud_pcm[N], quiet_pcm[N];
	static float got[40000], want[40000];
	struct clip loud = { .pcm = loud_pcm, .frames = N }, quiet = { .pcm = quiet_pcm, .frames = 3001 };

	(void)state;
	for (int i = 0; i < N; i++) {
		loud_pcm[i] = (int16_t)(30000 * sin(i * 0.05));
		quiet_pcm[i] = (int16_t)(3000 * sin(i * 0.011) + 50 * (i % 7));
	}
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		struct mixer m, r;
		uint32_t at = 0;
		size_t next = 0;

		mixer_init(&m, 0.8f, 8000);
		mixer_init(&r, 0.8f, 8000);
		while (at < 40000) {
			uint32_t n = blocks[b];

			while (script[next].at <= at && script[next].a != END) {
				apply(&m, script[next].a, &loud, &quiet);
				apply(&r, script[next].a, &loud, &quiet);
				next++;
			}
			if (script[next].at - at < n)
				n = script[next].at - at;
			mixer_mix(&m, got + at, n);
			ref_mix(&r, want + at, n);
			at += n;
		}
		/* The scenario does what it says: six clips, two summed up to the
		 * limiter, and silence at the end. */
		float peak = 0;

		for (uint32_t i = 0; i < 40000; i++)
			peak = fmaxf(peak, fabsf(want[i]));
		assert_int_equal(r.counter, 6);
		assert_true(peak > 0.95f && peak <= MIXER_CEILING + 1e-6f);
		assert_true(want[39999] == 0.0f && !mixer_busy(&r));
		for (uint32_t i = 0; i < 40000; i++)
			if (memcmp(&got[i], &want[i], sizeof(got[i])) != 0)
				fail_msg("blocks of %u: frame %u is %.9g, expected %.9g", blocks[b], i,
					 (double)got[i], (double)want[i]);
		assert_memory_equal(&m.gain, &r.gain, sizeof(m.gain));
		assert_int_equal(m.ramp_pos, r.ramp_pos);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clip_at_volume),
		cmocka_unit_test(sum_never_clips),
		cmocka_unit_test(fade_all_ends_in_silence),
		cmocka_unit_test(play_from_middle_fades_in),
		cmocka_unit_test(ninth_clip_steals_the_oldest),
		cmocka_unit_test(gentle_ramp_rises_to_full),
		cmocka_unit_test(shortcuts_match_the_frame_by_frame_mix),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

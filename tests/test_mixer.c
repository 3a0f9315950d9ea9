/* Mixer levels: clips come out at their level times the volume, edges are
 * faded, sums never pass the ceiling, fades end in silence. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mixer.h"

#define N 4800

static int16_t square_pcm[N];
static struct clip square = { square_pcm, N };

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
		c[i] = (struct clip){ pcm[i], N };
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clip_at_volume),
		cmocka_unit_test(sum_never_clips),
		cmocka_unit_test(fade_all_ends_in_silence),
		cmocka_unit_test(play_from_middle_fades_in),
		cmocka_unit_test(ninth_clip_steals_the_oldest),
		cmocka_unit_test(gentle_ramp_rises_to_full),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

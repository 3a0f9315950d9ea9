/* PCM helpers: float to 16-bit conversion, resampling lengths and levels, and
 * the edge fades. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pcm.h"

static void converts_with_rounding_and_clamping(void **state)
{
	(void)state;
	assert_int_equal(pcm_from_float(0.0), 0);
	assert_int_equal(pcm_from_float(0.5), 16384);
	assert_int_equal(pcm_from_float(-0.5), -16384);
	assert_int_equal(pcm_from_float(1.0), 32767);
	assert_int_equal(pcm_from_float(-1.0), -32768);
	assert_int_equal(pcm_from_float(7.5), 32767);
	assert_int_equal(pcm_from_float(-7.5), -32768);
	assert_int_equal(pcm_from_float(1.4 / 32768), 1);
	assert_int_equal(pcm_from_float(1.6 / 32768), 2);
	assert_int_equal(pcm_from_float(NAN), 0);
}

/* A second of 1 kHz at 0.5 from IN to OUT Hz: the right length, the same
 * level, the same every time. */
static void resample_sine(unsigned in, unsigned out)
{
	float *x = malloc(in * sizeof(*x));
	struct clip a, b;
	int peak = 0;

	assert_non_null(x);
	for (unsigned i = 0; i < in; i++)
		x[i] = (float)(0.5 * sin(2 * M_PI * 1000.0 * i / in));
	assert_int_equal(pcm_resample(x, in, in, out, &a), 0);
	assert_int_equal(pcm_resample(x, in, in, out, &b), 0);
	assert_true(a.frames + 1 >= out && a.frames <= out + 1);
	assert_int_equal(a.frames, b.frames);
	assert_memory_equal(a.pcm, b.pcm, a.frames * sizeof(int16_t));
	for (uint32_t i = out / 10; i < a.frames - out / 10; i++)
		if (abs(a.pcm[i]) > peak)
			peak = abs(a.pcm[i]);
	assert_true(peak > 16384 - 200 && peak < 16384 + 200);
	free(a.pcm);
	free(b.pcm);
	free(x);
}

static void resamples_common_rates(void **state)
{
	(void)state;
	resample_sine(22050, 48000);
	resample_sine(22050, 44100);
	resample_sine(48000, 44100);
	resample_sine(44100, 48000);
	resample_sine(48000, 48000);
}

static void resample_edge_cases(void **state)
{
	float x[4] = { 0.25f, 0.5f, -0.25f, 0.0f };
	struct clip c = { .pcm = NULL, .frames = 99 };

	(void)state;
	assert_int_equal(pcm_resample(x, 0, 22050, 48000, &c), 0);
	assert_null(c.pcm);
	assert_int_equal(c.frames, 0);
	assert_int_equal(pcm_resample(x, 4, 0, 48000, &c), -EINVAL);
	assert_int_equal(pcm_resample(x, 4, 48000, 0, &c), -EINVAL);
	assert_int_equal(pcm_resample(x, PCM_MAX_FRAMES + 1, 8000, 48000, &c), -EINVAL);
	assert_null(c.pcm);
	assert_int_equal(pcm_resample(x, 4, 48000, 48000, &c), 0);
	assert_int_equal(c.frames, 4);
	assert_int_equal(c.pcm[1], 16384);
	free(c.pcm);
}

static void fades_to_silence_at_both_ends(void **state)
{
	int16_t pcm[100];
	struct clip c = { .pcm = pcm, .frames = 100 };

	(void)state;
	for (int i = 0; i < 100; i++)
		pcm[i] = 10000;
	pcm_fade(&c, 10);
	assert_int_equal(pcm[0], 0);
	assert_int_equal(pcm[99], 0);
	assert_int_equal(pcm[5], 5000);
	assert_int_equal(pcm[94], 5000);
	for (int i = 1; i < 10; i++)
		assert_true(pcm[i] > pcm[i - 1] && pcm[99 - i] > pcm[100 - i]);
	for (int i = 10; i < 90; i++)
		assert_int_equal(pcm[i], 10000);

	/* Shorter than two fades: each fade takes half. */
	for (int i = 0; i < 6; i++)
		pcm[i] = 10000;
	c.frames = 6;
	pcm_fade(&c, 10);
	assert_int_equal(pcm[0], 0);
	assert_int_equal(pcm[5], 0);
	assert_true(pcm[2] > 0 && pcm[2] < 10000);
	c.frames = 0;
	pcm_fade(&c, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(converts_with_rounding_and_clamping),
		cmocka_unit_test(resamples_common_rates),
		cmocka_unit_test(resample_edge_cases),
		cmocka_unit_test(fades_to_silence_at_both_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

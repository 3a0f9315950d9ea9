#include "pcm.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <soxr.h>

int16_t pcm_from_float(double x)
{
	/* lrint rounds to nearest in the default mode, which nothing here
	 * changes, so conversions are reproducible. */
	double y = x * 32768.0;

	if (isnan(y))
		return 0;
	if (y >= 32767.0)
		return 32767;
	if (y <= -32768.0)
		return -32768;
	return (int16_t)lrint(y);
}

static int convert(const float *in, size_t n, struct clip *out)
{
	*out = (struct clip){ 0 };
	if (n == 0)
		return 0;
	out->pcm = malloc(n * sizeof(*out->pcm));
	if (!out->pcm)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		out->pcm[i] = pcm_from_float(in[i]);
	out->frames = (uint32_t)n;
	return 0;
}

int pcm_resample(const float *in, size_t n, unsigned in_rate, unsigned out_rate,
		 struct clip *out)
{
	soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
	soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
	/* One thread: the result must not depend on how work is split. */
	soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
	soxr_error_t error;
	size_t olen, done = 0;
	float *buf;
	int rc;

	*out = (struct clip){ 0 };
	if (in_rate == 0 || out_rate == 0 || n > PCM_MAX_FRAMES)
		return -EINVAL;
	if (in_rate == out_rate)
		return convert(in, n, out);
	if (n == 0)
		return 0;
	/* soxr_oneshot delivers round(n * ratio) frames; leave room for more. */
	olen = (size_t)((double)n * out_rate / in_rate) + 2;
	if (olen > PCM_MAX_FRAMES)
		return -EINVAL;
	buf = malloc(olen * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	error = soxr_oneshot(in_rate, out_rate, 1, in, n, NULL, buf, olen, &done,
			     &io, &quality, &runtime);
	/* With valid rates and buffers, soxr fails only to allocate. */
	rc = error ? -ENOMEM : convert(buf, done, out);
	free(buf);
	return rc;
}

void pcm_fade(struct clip *c, uint32_t frames)
{
	uint32_t n = c->frames;

	if (frames > n / 2)
		frames = n / 2;
	for (uint32_t i = 0; i < frames; i++) {
		double g = 0.5 - 0.5 * cos(M_PI * i / frames);

		c->pcm[i] = (int16_t)lrint(c->pcm[i] * g);
		c->pcm[n - 1 - i] = (int16_t)lrint(c->pcm[n - 1 - i] * g);
	}
}

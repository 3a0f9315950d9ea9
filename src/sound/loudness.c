#include "loudness.h"

#include <math.h>
#include <stdlib.h>

#include "pcm.h"

/* The loudest a matched clip's peak may be: -1 dBFS. */
#define PEAK_CEILING 0.891

struct biquad {
	double b[3], a[3];
	double x1, x2, y1, y2;
};

static double biquad_step(struct biquad *f, double x0)
{
	double y0 = f->b[0] * x0 + f->b[1] * f->x1 + f->b[2] * f->x2 - f->a[1] * f->y1 -
		    f->a[2] * f->y2;

	f->x2 = f->x1, f->x1 = x0, f->y2 = f->y1, f->y1 = y0;
	return y0;
}

/* The K filter's two stages for any rate (as libebur128 derives them). */
static void k_filter(unsigned rate, struct biquad *shelf, struct biquad *hp)
{
	double f0 = 1681.974450955533, g = 3.999843853973347, q = 0.7071752369554196;
	double k = tan(M_PI * f0 / rate), vh = pow(10.0, g / 20.0), vb = pow(vh, 0.4996667741545416);
	double a0 = 1.0 + k / q + k * k;
	double f1 = 38.13547087602444, q1 = 0.5003270373238773, k1 = tan(M_PI * f1 / rate);
	double a1 = 1.0 + k1 / q1 + k1 * k1;

	*shelf = (struct biquad){
		.b = { (vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0,
		       (vh - vb * k / q + k * k) / a0 },
		.a = { 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0 },
	};
	*hp = (struct biquad){
		.b = { 1.0, -2.0, 1.0 },
		.a = { 1.0, 2.0 * (k1 * k1 - 1.0) / a1, (1.0 - k1 / q1 + k1 * k1) / a1 },
	};
}

double loudness_max(const struct clip *c, unsigned rate)
{
	uint32_t window = rate * 4 / 10;
	struct biquad shelf, hp;
	double *ring, sum = 0, best = 0;

	if (!c->frames || !window)
		return -HUGE_VAL;
	/* The last window's squares, so each step adds one and drops one. */
	ring = calloc(window, sizeof(*ring));
	if (!ring)
		return -HUGE_VAL;
	k_filter(rate, &shelf, &hp);
	for (uint32_t i = 0; i < c->frames; i++) {
		double y = biquad_step(&hp, biquad_step(&shelf, c->pcm[i] / 32768.0));

		sum += y * y - ring[i % window];
		ring[i % window] = y * y;
		if (sum > best)
			best = sum;
	}
	free(ring);
	best /= window;
	return best > 0 ? -0.691 + 10.0 * log10(best) : -HUGE_VAL;
}

double loudness_match(struct clip *c, unsigned rate, double target)
{
	double now = loudness_max(c, rate), gain, peak = 0;

	if (now == -HUGE_VAL)
		return 1;
	for (uint32_t i = 0; i < c->frames; i++)
		peak = fmax(peak, fabs(c->pcm[i] / 32768.0));
	gain = pow(10.0, (target - now) / 20.0);
	if (peak * gain > PEAK_CEILING)
		gain = PEAK_CEILING / peak;
	for (uint32_t i = 0; i < c->frames; i++)
		c->pcm[i] = pcm_from_float(c->pcm[i] / 32768.0 * gain);
	return gain;
}

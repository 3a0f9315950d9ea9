/* Sample helpers shared by speech and sounds: resampling with libsoxr into a
 * 16-bit clip, and the short fades that keep a clip's edges from clicking. */
#ifndef COACH_PCM_H
#define COACH_PCM_H

#include <stddef.h>
#include <stdint.h>

#include "clip.h"

/* The most frames pcm_resample accepts or produces: ten minutes at 192 kHz. */
#define PCM_MAX_FRAMES ((size_t)192000 * 600)

/* Resamples N mono samples IN (full scale is -1.0 .. 1.0) from IN_RATE to
 * OUT_RATE with libsoxr's high-quality filter, rounding and clamping to 16
 * bits, into OUT (a fresh allocation; N == 0 gives an empty clip with a NULL
 * pcm).  The same input always gives the same output.  Returns 0, -EINVAL
 * for a rate of 0 or an input that would exceed PCM_MAX_FRAMES, or -ENOMEM. */
int pcm_resample(const float *in, size_t n, unsigned in_rate, unsigned out_rate,
		 struct clip *out);

/* Fades the first and last FRAMES samples of C in and out along a half
 * cosine, so the clip starts and ends at silence; a clip shorter than two
 * fades gets two shorter ones. */
void pcm_fade(struct clip *c, uint32_t frames);

/* Converts one sample from full scale -1.0 .. 1.0 to 16 bits, rounding to
 * nearest and clamping. */
int16_t pcm_from_float(double x);

#endif

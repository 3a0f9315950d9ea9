/* Loudness as the ear follows it: momentary loudness (ITU-R BS.1770, EBU R
 * 128: K-weighted, 400 ms windows), so that a recorded sentence is played as
 * loud as espeak-ng's. */
#ifndef COACH_LOUDNESS_H
#define COACH_LOUDNESS_H

#include <stdint.h>

#include "clip.h"

/* The loudest 400 ms window of C at RATE, in LUFS (a clip shorter than a
 * window counts as one window padded with silence); -HUGE_VAL for silence,
 * or when out of memory. */
double loudness_max(const struct clip *c, unsigned rate);

/* Scales C so that its loudest window measures TARGET LUFS, as far as its
 * peak allows (never above -1 dBFS).  Returns the gain applied (1 for
 * silence). */
double loudness_match(struct clip *c, unsigned rate, double target);

#endif

/* The tones that mark intervals, loaded from sounds/<name>.wav with libsndfile
 * (any rate, any channel count), mixed down and resampled to the output rate. */
#ifndef COACH_SOUNDS_H
#define COACH_SOUNDS_H

#include "clip.h"
#include "tone.h"

/* Called with a one-line message for each file that could not be used. */
typedef void sounds_warn_fn(const char *message);

/* Loads every sound from DIR at RATE into OUT.  A missing or broken file is
 * replaced by a synthesized tone and reported through WARN (may be NULL).
 * Returns 0, or -ENOMEM. */
int sounds_load(struct clip out[SOUND_MAX], const char *dir, unsigned rate,
		sounds_warn_fn *warn);

/* The synthesized stand-in for sound S at RATE (what a broken file falls back to). */
int sounds_synthesize(struct clip *out, enum sound s, unsigned rate);

void sounds_free(struct clip sounds[SOUND_MAX]);

#endif

/* Mixes playing clips into float frames: a master volume, a peak limiter so the
 * sum never clips, and short fades on every edge so nothing clicks.  Safe to
 * call from the audio callback: no allocation, no locks, no I/O. */
#ifndef COACH_MIXER_H
#define COACH_MIXER_H

#include <stdbool.h>
#include <stdint.h>

#include "clip.h"

#define MIXER_VOICES 8
#define MIXER_EDGE_FRAMES 64     /* fade at the start and end of every clip */
#define MIXER_CEILING 0.977f     /* -0.2 dBFS: the limiter keeps peaks under it */

struct mixer_voice {
	const struct clip *clip;  /* NULL when free */
	uint32_t pos;             /* next frame of the clip */
	uint32_t from;            /* where it started: the fade-in runs from here */
	uint32_t fade_left;       /* frames left of a fade-out; 0 = not fading */
	uint32_t fade_len;
	uint64_t started;         /* order of starting, to steal the oldest */
};

struct mixer {
	struct mixer_voice voice[MIXER_VOICES];
	float volume;             /* master, 0..1 */
	float gain;               /* the limiter's current gain, <= 1 */
	float release;            /* gain recovered per frame */
	uint64_t counter;
	float ramp_from;          /* a gentle start: the output rises from this... */
	uint32_t ramp_len, ramp_pos; /* ...to full over ramp_len frames */
};

/* Starts empty at VOLUME (0..1); RATE sets the limiter's release time. */
void mixer_init(struct mixer *m, float volume, unsigned rate);

/* Starts CLIP now from its frame FROM; steals the oldest voice when all are busy. */
void mixer_play(struct mixer *m, const struct clip *clip, uint32_t from);

/* Fades every playing clip out over FRAMES, then frees it. */
void mixer_fade_all(struct mixer *m, uint32_t frames);

/* Makes the output rise from FROM (0..1) to full over FRAMES: a gentle start. */
void mixer_ramp(struct mixer *m, float from, uint32_t frames);

/* Stops everything at once (the stream is being closed). */
void mixer_clear(struct mixer *m);

/* True while any clip is playing. */
bool mixer_busy(const struct mixer *m);

/* Writes N mixed frames to OUT. */
void mixer_mix(struct mixer *m, float *out, uint32_t n);

#endif

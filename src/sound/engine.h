/* The sequencer: a session driving the mixer with the plan's clips.
 * engine_run is what the audio callback calls and what render calls in a loop;
 * it allocates nothing and takes no locks. */
#ifndef COACH_ENGINE_H
#define COACH_ENGINE_H

#include "clip.h"
#include "mixer.h"
#include "plan.h"
#include "session.h"

struct engine {
	const struct plan *plan;
	const struct clip *const *texts;  /* a clip per plan text (NULL: silent) */
	const struct clip *sounds;        /* SOUND_MAX tones */
	struct session session;
	struct mixer mixer;
	uint32_t fade_frames;
	uint32_t gentle_frames;   /* each session starts quiet and rises over these */
};

/* How quietly a gentle start begins, relative to the volume. */
#define ENGINE_GENTLE_FROM 0.3f

/* Sets up an idle engine over plan P with its clips.  TEXTS and SOUNDS must
 * outlive the engine. */
void engine_init(struct engine *e, const struct plan *p, const struct clip *const *texts,
		 const struct clip sounds[SOUND_MAX], float volume, bool skip_waits);

/* Makes every session start at ENGINE_GENTLE_FROM of the volume and rise to
 * full over MS milliseconds (0: no ramp): a gentle morning. */
void engine_set_gentle(struct engine *e, unsigned ms);

/* Applies a control at the start of the next block.  Returns false when it does
 * not apply in the current state. */
bool engine_control(struct engine *e, enum session_control c);

/* Writes the next N mono frames to OUT. */
void engine_run(struct engine *e, float *out, uint32_t n);

#endif

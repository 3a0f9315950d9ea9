/* The plan: a routine expanded into phases and cues at exact frame offsets.
 *
 * Phases tile the timeline from frame 0 to `total` (what the session is doing:
 * announcing, holding, resting); cues are the sounds that start at given frames
 * (speech and tones).  Building is pure: lengths of speech come from a callback,
 * so tests lay out plans without synthesizing anything. */
#ifndef COACH_PLAN_H
#define COACH_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "routine.h"
#include "tone.h"
#include "voice.h"

enum phase_kind {
	PHASE_ANNOUNCE,  /* from the last hold's end: the step's name and how to get
			  * into position, while the person moves (the rest) */
	PHASE_WAIT,      /* "Press play when you are ready"; live, the session pauses at its end */
	PHASE_SIDE,      /* "Left side." / "Switch sides. Right side." and time to change */
	PHASE_PREPARE,   /* get-ready time before the first hold of a side */
	PHASE_HOLD,      /* from the start tone to the end tone */
	PHASE_REP_REST,  /* between timed reps */
	PHASE_FINISH,    /* "Routine complete" and the finish chime */
};

struct plan_phase {
	enum phase_kind kind;
	unsigned step;      /* index into the routine's steps */
	enum side side;     /* SIDE_NONE for steps without sides */
	unsigned rep;       /* 1-based rep for holds and rep rests; 0 otherwise */
	uint64_t start;     /* first frame */
	uint64_t length;    /* frames */
};

/* One sound starting at a frame: a text (index into texts) or a tone. */
struct plan_cue {
	uint64_t at;
	uint32_t length;    /* frames, as the sources reported */
	unsigned phase;     /* index of the phase it belongs to */
	int text;           /* >= 0: index into plan.texts; -1 for a tone */
	int sound;          /* >= 0: enum sound; -1 for speech */
};

/* Spoken acknowledgements of controls, interned with the plan so they are
 * synthesized ahead like every other text.  Indexes into plan.texts. */
struct plan_acks {
	int paused, resuming, stopped, wait;
	int hurt;           /* "Let's skip that one today.": a step marked as hurting */
	int *next;          /* per step: "Next: NAME." */
	int *name;          /* per step: how its announcement names it, "Next up: NAME."
			     * (the first: "NAME."); skipped after "Next" */
	int *explain;       /* per step: its longer description, else its cue, else
			     * its name: said again on request */
};

struct plan {
	unsigned rate;      /* frames per second */
	uint64_t total;     /* frames from the first cue to the end of the finish */
	struct plan_phase *phases;
	size_t nphases;
	struct plan_cue *cues;   /* sorted by `at`; speech never overlaps a tone or speech */
	size_t ncues;
	char **texts;            /* distinct texts to synthesize */
	uint32_t *text_frames;   /* their lengths, from the source */
	size_t ntexts;
	struct plan_acks ack;
};

/* How intervals are marked (the config's `style`). */
enum plan_style {
	PLAN_VOICE_AND_TONES,  /* speech, and tones for holds and the countdown */
	PLAN_TONES_ONLY,       /* no speech at all: tones mark everything */
	PLAN_VOICE_ONLY,       /* no tones: "Begin.", counted seconds, "And relax." */
};

/* Where lengths come from: the speech synthesizer (or a fake in tests) and the
 * loaded tones. */
struct plan_sources {
	/* Frames TEXT takes when spoken at the plan's rate; 0 when it cannot be spoken. */
	uint32_t (*speech_frames)(void *ctx, const char *text);
	void *ctx;
	uint32_t sound_frames[SOUND_MAX];
	enum plan_style style;
	bool explain;       /* say each step's `explain` after its cue (a first session) */
};

/* Gaps the layout keeps so that nothing is crowded (milliseconds). */
#define PLAN_GAP_AFTER_SPEECH_MS 400  /* after speech, before the next sound */
#define PLAN_GAP_AFTER_TONE_MS   300  /* after a tone, before speech */

/* Lays out routine R spoken with voice V at RATE frames per second.  Returns 0,
 * or -ENOMEM. */
int plan_build(struct plan *p, const struct routine *r, const struct voice *v,
	       unsigned rate, const struct plan_sources *src);

void plan_free(struct plan *p);

/* Index of the phase that contains FRAME (the last phase for FRAME >= total). */
size_t plan_phase_at(const struct plan *p, uint64_t frame);

/* The frame where the first speech starts (total when nothing is said). */
uint64_t plan_first_speech(const struct plan *p);

/* Index of the first cue at or after FRAME (ncues when none). */
size_t plan_cue_from(const struct plan *p, uint64_t frame);

/* Where "next" goes from FRAME: the next side of a two-sided step, else the
 * next step, else the finish.  Fills *PHASE with the target phase index. */
uint64_t plan_next_target(const struct plan *p, uint64_t frame, size_t *phase);

/* Where "this hurts" goes from FRAME: the start of the next step's
 * announcement (its name said in full), else the finish, skipping the rest
 * of this step, sides included.  Fills *PHASE with the target phase index. */
uint64_t plan_next_step(const struct plan *p, uint64_t frame, size_t *phase);

/* Prints the timeline as a table (time, phase, event, text) and the total. */
void plan_print(const struct plan *p, const struct routine *r, FILE *out);

/* Human name of a phase kind ("hold", "rest", ...). */
const char *phase_kind_name(enum phase_kind k);

#endif

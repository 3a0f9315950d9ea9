/* Test fixtures shared by the plan, session and engine tests: a routine and a
 * voice built by hand, and fake lengths (10 ms per character of speech), so the
 * layout is tested without parsing or synthesizing anything. */
#ifndef COACH_TEST_FIXTURE_H
#define COACH_TEST_FIXTURE_H

#include <string.h>

#include "plan.h"
#include "routine.h"
#include "voice.h"

#define FX_RATE 8000u
#define FX_FRAMES_PER_CHAR 80u  /* 10 ms */
#define FX_MS(ms) ((uint64_t)(ms) * FX_RATE / 1000)
/* The built-in safety phrase every plan opens with. */
#define FX_SAFETY "Move slowly and gently. Stop any movement that causes sharp pain."


/* A voice with no phrases of its own: voice_say falls back to its built-in
 * English ("Left side.", "Rep {n} of {total}.", ...). */
static inline void fx_voice(struct voice *v)
{
	memset(v, 0, sizeof(*v));
	v->name = (char *)"test";
	v->espeak = (char *)"en";
	v->rate = 160;
	v->pitch = 50;
}

static inline uint32_t fx_speech_frames(void *ctx, const char *text)
{
	(void)ctx;
	return (uint32_t)strlen(text) * FX_FRAMES_PER_CHAR;
}

static inline struct plan_sources fx_sources(void)
{
	struct plan_sources s = { .speech_frames = fx_speech_frames };

	s.sound_frames[SOUND_START] = (uint32_t)FX_MS(250);
	s.sound_frames[SOUND_TICK] = (uint32_t)FX_MS(60);
	s.sound_frames[SOUND_END] = (uint32_t)FX_MS(300);
	s.sound_frames[SOUND_FINISH] = (uint32_t)FX_MS(1000);
	s.sound_frames[SOUND_REMINDER] = (uint32_t)FX_MS(600);
	return s;
}

static inline struct step fx_step(const char *name, const char *say, uint32_t time_ms)
{
	return (struct step){
		.name = (char *)name, .say = (char *)say, .time_ms = time_ms, .reps = 1,
		.rep_rest_ms = 5000, .pace_ms = ROUTINE_PACE_MS, .prepare_ms = 3000,
		.switch_ms = 5000, .rest_ms = 10000,
	};
}

static inline struct step fx_sided(struct step s)
{
	s.nsides = 2;
	s.sides[0] = SIDE_LEFT;
	s.sides[1] = SIDE_RIGHT;
	return s;
}

static inline struct step fx_reps(struct step s, uint32_t reps, uint32_t rest_ms)
{
	s.reps = reps;
	s.rep_rest_ms = rest_ms;
	return s;
}

/* Index of the first phase of KIND at or after FROM, or -1. */
static inline int fx_find_phase(const struct plan *p, enum phase_kind kind, size_t from)
{
	for (size_t i = from; i < p->nphases; i++)
		if (p->phases[i].kind == kind)
			return (int)i;
	return -1;
}

/* Index of the cue speaking TEXT, or -1. */
static inline int fx_find_said(const struct plan *p, const char *text)
{
	for (size_t i = 0; i < p->ncues; i++)
		if (p->cues[i].text >= 0 && strcmp(p->texts[p->cues[i].text], text) == 0)
			return (int)i;
	return -1;
}

/* Index of plan text TEXT, or -1. */
static inline int fx_text(const struct plan *p, const char *text)
{
	for (size_t i = 0; i < p->ntexts; i++)
		if (strcmp(p->texts[i], text) == 0)
			return (int)i;
	return -1;
}

#endif

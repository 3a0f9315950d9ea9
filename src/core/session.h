/* The session state machine over a plan: idle, running, paused, finished.
 *
 * Pure and frame-driven: controls and the passing of output frames go in;
 * actions for the mixer (start this cue at this offset, fade everything, speak
 * this acknowledgement) come out.  Live playback and offline render run the
 * same machine, so a rendered session is exactly what a live one sounds like,
 * and tests run it under a virtual clock. */
#ifndef COACH_SESSION_H
#define COACH_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

enum session_state { SESSION_IDLE, SESSION_RUNNING, SESSION_PAUSED, SESSION_FINISHED };

enum session_control {
	SESSION_PLAY,    /* start when idle or finished, pause when running, resume when paused */
	SESSION_PAUSE,
	SESSION_RESUME,
	SESSION_NEXT,    /* the next side of a two-sided step, else the next step */
	SESSION_STOP,
	SESSION_HURT,    /* "this hurts": say so calmly, leave the step (every side), go on */
};

enum session_action_kind {
	SESSION_ACT_CUE,   /* start plan cue `index` */
	SESSION_ACT_SAY,   /* speak plan text `index` (an acknowledgement) */
	SESSION_ACT_FADE,  /* fade out everything playing */
};

struct session_action {
	enum session_action_kind kind;
	uint32_t offset;   /* frame within the block where it happens */
	int index;
};

#define SESSION_MAX_ACTIONS 16
#define SESSION_FADE_MS 10   /* speech cut by a control fades out this fast */

struct session_actions {
	struct session_action act[SESSION_MAX_ACTIONS];
	unsigned n;
};

struct session {
	const struct plan *plan;
	enum session_state state;
	uint64_t pos;        /* the plan's frame: advances only while running */
	uint64_t hold;       /* output frames to let pass before the plan moves on */
	uint64_t wait_end;   /* frame where the next wait step pauses (UINT64_MAX: none) */
	size_t next_cue;     /* index of the next cue to start */
	bool at_wait;        /* paused by a wait step rather than by the user */
	bool skip_waits;     /* offline render: wait steps do not pause */
	unsigned sessions;   /* sessions started, so status can tell them apart */
};

/* Starts idle over plan P.  With SKIP_WAITS, wait steps go on at once. */
void session_init(struct session *s, const struct plan *p, bool skip_waits);

/* Applies control C; its actions happen at offset 0 of the next block.
 * Returns false when C does not apply in the current state (pause when idle). */
bool session_control(struct session *s, enum session_control c, struct session_actions *out);

/* Lets up to N output frames pass.  Fills OUT with the cues that start within
 * them; returns the frames consumed, fewer than N only when OUT filled up. */
uint32_t session_advance(struct session *s, uint32_t n, struct session_actions *out);

/* "idle", "running", "paused", "finished" */
const char *session_state_name(enum session_state st);

#endif

/* A routine as the user wrote it: steps with holds, sides, reps and rests.
 * Parsing is pure: text in, struct out, or one located error. */
#ifndef COACH_ROUTINE_H
#define COACH_ROUTINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum side { SIDE_NONE, SIDE_LEFT, SIDE_RIGHT };

/* Limits past which a value is a mistake, not a routine. */
#define ROUTINE_MAX_STEPS   100
#define ROUTINE_MAX_REPS    100
#define ROUTINE_MAX_HOLD_MS (30u * 60 * 1000)  /* one hold: 30 minutes */
#define ROUTINE_MAX_GAP_MS  (10u * 60 * 1000)  /* rest, prepare, switch: 10 minutes */
#define ROUTINE_MAX_TEXT    1000               /* characters in a name or cue */
#define ROUTINE_PACE_MS     4000               /* one paced rep when `time` is absent */
#define ROUTINE_MAX_CUES    16                 /* timed cues in one step */
/* Budgets for a routine as a whole: each value can be within its own limit
 * and the routine still need hours of synthesis and gigabytes of speech. */
#define ROUTINE_MAX_SIZE    (256 * 1024)       /* bytes in the file */
#define ROUTINE_MAX_SPEECH  10000              /* characters of names, say and cues together */
#define ROUTINE_MAX_SESSION_MS (3u * 60 * 60 * 1000)  /* holds, rests, prepare and switch times */

/* Which version of a step plays: the step as written, or its easier or
 * harder variant (a progression). */
enum level { LEVEL_STANDARD, LEVEL_EASIER, LEVEL_HARDER, LEVEL_MAX };

/* One version of a step: what is said, how long it lasts, its sides.  A
 * variant that gives no time, reps or sides keeps the step's. */
struct step_variant {
	char *name;           /* NULL: this level is not written for the step */
	char *say;
	uint32_t time_ms;     /* 0: the step's */
	uint32_t reps;        /* 0: the step's */
	bool has_sides;       /* it gives its own sides (maybe none) */
	unsigned nsides;
	enum side sides[2];
	char *side_say[2];    /* its words for the left / right side */
	unsigned line;
};

/* A sentence said at a time into each hold ("15s: Breathe out."). */
struct step_cue {
	uint32_t at_ms;
	char *say;
	unsigned line, column;  /* where it is written, for messages */
};

struct step {
	char *name;           /* spoken when the step begins (the chosen level's) */
	char *say;            /* how to get into position, after the name; may be NULL */
	char *explain;        /* a longer description, said when asked; may be NULL */
	const char *side_say[2];  /* what the left / right side means ("Left knee down,
				   * right foot forward."), said instead of "Left side."
				   * (owned by the variant that plays) */
	uint32_t time_ms;     /* one hold (each rep); 0 for paced reps */
	uint32_t reps;        /* 1 for a single hold */
	uint32_t rep_rest_ms; /* between timed reps */
	uint32_t pace_ms;     /* one paced rep (reps without time) */
	uint32_t prepare_ms;  /* get-ready time before the first hold of each side */
	uint32_t switch_ms;   /* time to change sides */
	uint32_t rest_ms;     /* after this step, before the next */
	unsigned nsides;      /* 0: no sides; 1 or 2 */
	enum side sides[2];
	bool wait;            /* hold before the first side until Play is pressed */
	bool halfway;         /* say "Halfway" in the middle of each hold */
	struct step_cue *cues;/* form cues inside each hold, by time */
	unsigned ncues;
	enum level level;     /* which version plays */
	struct step_variant variant[LEVEL_MAX];  /* [LEVEL_STANDARD] is the step as written */
	unsigned line, column;  /* where the step starts in the file, for messages */
	/* Progression rules (progression.h): */
	unsigned progress_after;  /* `progress: harder after N sessions`: N, 0 for none */
	bool back_after_hurt;     /* `back: easier after hurt` */
	bool pinned;              /* `pin: LEVEL`: LEVEL always, whatever the rules say */
	uint32_t grow_ms;         /* `grow: 5s per session up to 60s`: 5000, 0 for none */
	uint32_t grow_limit_ms;   /* and 60000 */
	bool today;               /* plays another version than last time: announce it */
};

struct routine {
	char *name;
	char *voice;          /* voice profile name ("en"), or NULL for the config's */
	char *safety;         /* said at the start instead of the voice's safety phrase */
	unsigned voice_line, voice_column;  /* where it is named, for messages */
	uint32_t countdown;   /* tick tones in the last N seconds of a hold */
	size_t nsteps;
	struct step *steps;
};

/* Parses a routine from TEXT of LEN bytes; PATH names it in messages.
 * Returns 0, or -1 with ERR filled. */
int routine_parse(const char *path, const char *text, size_t len,
		  struct routine *r, struct diag *err);

/* Reads and parses the routine file at PATH.  Returns 0, or -1 with ERR filled
 * (a missing or unreadable file included). */
int routine_load(const char *path, struct routine *r, struct diag *err);

/* Frees what routine_parse allocated; R may be zeroed or partly filled. */
void routine_free(struct routine *r);

/* "left" / "right" / "" */
const char *side_name(enum side s);

/* "standard" / "easier" / "harder" */
const char *level_name(enum level l);

/* Makes version L of step ST the one that plays (its name, cue, time and
 * reps); a level the step does not have plays the standard.  Returns the
 * level now playing, or -1 when out of memory (the step keeps its old one). */
int step_set_level(struct step *st, enum level l);

/* The version next to FROM that ST has, one easier (DIR -1) or harder
 * (DIR +1), skipping a level it does not have; -1 when there is none. */
int step_level_step(const struct step *st, enum level from, int dir);

#endif

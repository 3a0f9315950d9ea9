/* A voice profile (voices/<lang>.yaml): which espeak-ng voice speaks, how fast
 * and how high, and every stock phrase, so the coach is translated without C. */
#ifndef COACH_VOICE_H
#define COACH_VOICE_H

#include <stddef.h>

#include "diag.h"

enum phrase {
	PHRASE_LEFT_SIDE,        /* "Left side." */
	PHRASE_RIGHT_SIDE,       /* "Right side." */
	PHRASE_SWITCH_SIDES,     /* "Switch sides." */
	PHRASE_REST,             /* "Rest." */
	PHRASE_NEXT_UP,          /* "Next up: {name}." */
	PHRASE_REP,              /* "Rep {n} of {total}." */
	PHRASE_COUNT_REP,        /* "{n}." counting paced reps */
	PHRASE_HALFWAY,          /* "Halfway." */
	PHRASE_WAIT,             /* "Press play when you are ready." */
	PHRASE_COMPLETE,         /* "Routine complete. Well done." */
	PHRASE_PAUSED,           /* "Paused." */
	PHRASE_RESUMING,         /* "Resuming." */
	PHRASE_NEXT,             /* "Next: {name}." */
	PHRASE_STOPPED,          /* "Stopped." */
	PHRASE_GOOD_MORNING,     /* "Good morning. Press play when you are ready." */
	PHRASE_FILE_ERROR,       /* "The routine file has an error on line {n}." */
	PHRASE_SETTINGS_ERROR,   /* "The settings file has an error on line {n}." (coach.yaml) */
	PHRASE_VOICE_ERROR,      /* "The voice file has an error on line {n}." */
	PHRASE_STREAK_ONE,       /* "That's day one. See you tomorrow." after a session */
	PHRASE_STREAK,           /* "{n} mornings in a row." after a session */
	PHRASE_PROGRESS,         /* "Step {n} of {total}: {name}." on demand */
	PHRASE_MINUTES_LEFT,     /* "{n} minutes to go." */
	PHRASE_MINUTE_LEFT,      /* "One minute to go." */
	PHRASE_SECONDS_LEFT,     /* "{n} seconds to go." */
	PHRASE_BEGIN,            /* "Begin." instead of the start tone (voice only) */
	PHRASE_RELAX,            /* "And relax." instead of the end tone (voice only) */
	PHRASE_SAFETY,           /* "Move slowly and gently. ..." at the start of a session */
	PHRASE_HURT,             /* "Let's skip that one today." when a step hurts */
	PHRASE_SNOOZED,          /* "All right. I'll remind you again in {n} minutes." */
	PHRASE_NOT_TODAY,        /* "All right, not today. Rest well, and see you tomorrow." */
	PHRASE_CHECKIN,          /* "How much does your back hurt today, from 0 to 10? ..." */
	PHRASE_CHECKIN_ANSWER,   /* "Your back: {n} out of 10. Thank you." */
	PHRASE_TODAY,            /* "Today: {name}." before a step whose version changed */
	PHRASE_MAX
};

/* Bytes in a profile's file: a few dozen phrases. */
#define VOICE_MAX_SIZE (64 * 1024)

/* The phrase that says which file ERR is in: the settings (CONFIG_PATH),
 * the routine (ROUTINE_PATH), else a voice profile, the only other file a
 * config check reads. */
enum phrase voice_file_error(const struct diag *err, const char *config_path,
			     const char *routine_path);

struct voice {
	char *name;          /* profile name, e.g. "en" */
	char *espeak;        /* espeak-ng voice, e.g. "en-us" */
	char *path;          /* the profile's file, for messages; NULL when built by hand */
	unsigned espeak_line, espeak_column;  /* where espeak is set, for messages */
	char *pack;          /* a voice pack's folder (packname.h), or NULL */
	unsigned pack_line, pack_column;      /* where pack is set, for messages */
	int rate;            /* words per minute, 80..450 */
	int pitch;           /* 0..99 */
	char *phrase[PHRASE_MAX];
};

/* Parses a voice profile from TEXT; PATH names it in messages.  Every phrase
 * must be present.  Returns 0, or -1 with ERR filled. */
int voice_parse(const char *path, const char *text, size_t len,
		struct voice *v, struct diag *err);

/* Reads and parses the voice profile at PATH. */
int voice_load(const char *path, struct voice *v, struct diag *err);

void voice_free(struct voice *v);

/* YAML key of a phrase ("left_side", "next_up", ...). */
const char *phrase_key(enum phrase p);

/* Expands phrase P, replacing {name} with NAME and {n} / {total} with N and
 * TOTAL, into BUF.  Returns BUF. */
char *voice_say(const struct voice *v, enum phrase p, const char *name,
		unsigned n, unsigned total, char *buf, size_t size);

#endif

/* Everything one session needs, loaded and ready to play: the routine, its
 * voice profile, the tones, the plan, and every text of the plan synthesized.
 * Loading does all the slow work (parsing, synthesis, resampling) so that
 * playing does none. */
#ifndef COACH_BUNDLE_H
#define COACH_BUNDLE_H

#include "clip.h"
#include "diag.h"
#include "plan.h"
#include "routine.h"
#include "sounds.h"
#include "speech.h"
#include "voice.h"

/* All the speech of one routine, stock phrases included: at 48 kHz about
 * 115 MB of samples, synthesized in seconds on a PC, a minute on a Pi. */
#define BUNDLE_MAX_SPEECH_S (20 * 60)

struct bundle {
	struct routine routine;
	struct voice voice;
	struct clip sounds[SOUND_MAX];
	struct plan plan;
	const struct clip **texts;  /* a clip per plan text: &speech[i] */
	struct clip *speech;        /* the plan's texts spoken, the bundle's own
				     * (mapped from the speech cache when there is one) */
	size_t nspeech;
	unsigned char *paging;      /* per text: BUNDLE_PAGED, BUNDLE_WANTED */
	bool handed_back;           /* bundle_page handed every clip back */
	struct clip reminder;       /* the reminder chime then "Good morning..." */
	bool first;                 /* laid out as a first session (explanations said) */
};

struct bundle_files {
	const char *routine;        /* the routine file */
	const char *voices_dir;     /* where <name>.yaml voice profiles are */
	const char *sounds_dir;     /* where the tones are */
	const char *voice;          /* profile used when the routine names none */
	unsigned tone_percent;      /* the tones' loudness, 1..100; 0 means 100 */
	enum plan_style style;      /* voice and tones, tones only, voice only */
	bool explain;               /* a first session: each step's `explain` said */
	const char *history;        /* or NULL; when set, a first session unless this
				     * history has a finished session of the routine */
	struct diskcache *cache;    /* the speech cache on disk, or NULL */
	const char *adapt;          /* or NULL; when set, the history whose sessions
				     * set each step's version (progression.h) */
	unsigned max_speech_minutes; /* the most speech a routine may have; 0 means
				      * BUNDLE_MAX_SPEECH_S (a test's smaller budget
				      * is reached with less synthesis) */
};

/* Parses the routine and its voice profile only (what --check needs).
 * Returns 0, or -1 with ERR filled. */
int bundle_check(struct bundle *b, const struct bundle_files *f, struct diag *err);

/* A voice pack V names must be a folder (it may hold nothing yet: every
 * sentence is then synthesized).  Returns 0, or -1 with ERR located at the
 * profile's pack: line.  bundle_load checks it; --phrases, which lists what
 * a pack is made of, does not. */
int bundle_check_pack(const struct voice *v, struct diag *err);

/* Loads everything at RATE and lays out the plan, synthesizing through
 * *SPEECH (created on first use; one per process, as libespeak-ng is global).
 * Returns 0, or -1 with ERR filled.  WARN hears about sounds replaced by
 * synthesized tones, and about voice-pack files that cannot be used (their
 * sentences synthesized). */
int bundle_load(struct bundle *b, const struct bundle_files *f, unsigned rate,
		struct speech **speech, struct diag *err, sounds_warn_fn *warn);

#define BUNDLE_PAGED  1u    /* read ahead by bundle_page */
#define BUNDLE_WANTED 2u    /* wanted by the current bundle_page call */

/* How far ahead of the session bundle_page reads the speech. */
#define BUNDLE_READ_AHEAD_S 10

/* Keeps in memory only the speech the session needs soon: the mapped clips
 * of the cues sounding from plan frame POS to BUNDLE_READ_AHEAD_S later are
 * read ahead into the page cache; the pages of every other clip (those
 * played, an acknowledgement said) are handed back (clip_page), so the
 * session's memory does not grow with what it has said.  POS = UINT64_MAX:
 * no session, everything handed back.  Acts only when that set changes.
 * From the event loop, never the audio callback (madvise is a system call);
 * a clip needed sooner is still played, its pages mapped from the page cache
 * as the mixer reads them. */
void bundle_page(struct bundle *b, uint64_t pos);

void bundle_free(struct bundle *b);

#endif

/* Speech through the libespeak-ng library, resampled with libsoxr to the output
 * rate, and cached: each distinct text is synthesized once per voice.
 *
 * libespeak-ng keeps global state and is not reentrant: calls into this module
 * must never overlap, whatever the number of speech objects (keep them on one
 * thread).  It is started by the first sentence that must be synthesized (a
 * start whose every sentence is in the disk cache never starts it: that
 * would be most of its time) and stays loaded until the process exits: libespeak-ng 1.51 hangs in espeak_Terminate the second time
 * a process calls it, so it cannot be stopped in speech_free and started
 * again later (on a reload with another voice, say).
 *
 * Output is reproducible across processes: a fresh process that asks for the
 * same texts in the same order gets identical samples.  Within one process a
 * text's samples also depend on what espeak-ng spoke before (its pitch
 * flutter and gain control carry over), which the cache hides: each text is
 * synthesized once.  With a disk cache (speech_set_cache) a text keeps the
 * samples it was first synthesized with across processes too, so a restart
 * or a reload reproduces every clip, and the plan, to the frame. */
#ifndef COACH_SPEECH_H
#define COACH_SPEECH_H

#include <stdbool.h>
#include <stddef.h>

#include "clip.h"
#include "diag.h"
#include "diskcache.h"
#include "voice.h"

struct speech;

/* A text that runs longer than this is refused rather than filling memory. */
#define SPEECH_MAX_SECONDS 120

/* How loud espeak-ng's sentences are, momentary loudness at their loudest
 * (loudness.h; the median of the English stock phrases, tests/test_pack.c),
 * before the master volume: a voice pack's recordings are matched to it. */
#define SPEECH_LUFS (-18.5)

/* Called with a one-line message for each voice-pack file that cannot be used. */
typedef void speech_warn_fn(const char *message);

/* A speech object speaking with voice V at output RATE.  Returns NULL with
 * ERR filled when V's settings are out of range, or, once espeak-ng runs,
 * when it has no such voice; before that, the first sentence synthesized
 * fails with -EINVAL (speech_check_voice then says why). */
struct speech *speech_new(const struct voice *v, unsigned rate, struct diag *err);

/* Checks that espeak-ng can speak as V: its voice exists (and an MBROLA
 * voice's data is installed).  Starts libespeak-ng when needed, so the same
 * thread rule applies.  Returns 0, or -1 with ERR located at the profile's
 * espeak: line. */
int speech_check_voice(const struct voice *v, struct diag *err);

/* Switches S to voice V at output RATE for later speech_get calls; clips
 * already returned stay valid until speech_free.  Returns 0, or -1 with ERR
 * filled (S keeps its previous voice); V is checked as in speech_new. */
int speech_set_voice(struct speech *s, const struct voice *v, unsigned rate,
		     struct diag *err);

/* Returns TEXT spoken, synthesizing it the first time; leading and trailing
 * silence trimmed, edges faded.  When the voice names a pack (voice.pack)
 * that holds a file for TEXT (packname.h), the recording is used instead,
 * as loud as espeak-ng's sentences (SPEECH_LUFS); a file that cannot be
 * used is reported through speech_set_warn's function and TEXT synthesized.
 * A recording added, changed or removed is seen at the next call.  Text with nothing to say gives a clip of 0
 * frames.  The clip stays valid until speech_free.  Returns NULL if synthesis
 * fails (out of memory, or espeak-ng refused the text). */
const struct clip *speech_get(struct speech *s, const char *text);

/* As speech_get, but the clip is the caller's (clip_free it), and S keeps
 * nothing of it: what a bundle plays is freed with the bundle.  With a disk
 * cache the clip is mapped from its file (clip.h).  Returns 0, or -1 as
 * speech_get returns NULL (speech_error says why). */
int speech_take(struct speech *s, const char *text, struct clip *out);

/* While ON, every speech_get fails at once with -ECANCELED, one already
 * synthesizing within a block of samples: a load in progress gives up (at
 * shutdown).  The one call any thread may make, at any time. */
void speech_interrupt(bool on);

/* Why the last speech_get that returned NULL failed: -EFBIG for a text
 * longer than SPEECH_MAX_SECONDS, -ENOMEM, -ECANCELED (speech_interrupt), or
 * -EINVAL (espeak-ng cannot start, or has no such voice: speech_check_voice
 * says why), or -EIO (espeak-ng refused it). */
int speech_error(const struct speech *s);

/* Keeps S's speech in CACHE too (NULL: none): a text found there is read
 * instead of synthesized, and each text synthesized is stored there, keyed by
 * the text, the voice's espeak-ng settings, espeak-ng's and libsoxr's
 * versions and the output rate.  CACHE must outlive S. */
void speech_set_cache(struct speech *s, struct diskcache *cache);

/* Who hears about voice-pack files that cannot be used (NULL: nobody). */
void speech_set_warn(struct speech *s, speech_warn_fn *warn);

/* Number of texts read from voice packs so far. */
unsigned speech_pack_count(const struct speech *s);

/* How the texts got their samples so far: synthesized by espeak-ng, or read
 * from the disk cache. */
void speech_counts(const struct speech *s, unsigned *synthesized, unsigned *from_cache);

/* Number of texts spoken so far (each distinct text of speech_get once, each
 * speech_take), and their total size in bytes. */
void speech_stats(const struct speech *s, unsigned *texts, size_t *bytes);

/* Frees S and every clip it returned (libespeak-ng itself stays loaded). */
void speech_free(struct speech *s);

#endif

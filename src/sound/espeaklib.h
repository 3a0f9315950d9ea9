/* libespeak-ng, loaded with dlopen when the first sentence must be
 * synthesized rather than linked: a start whose every sentence is in the
 * speech cache never needs it, and linking it costs every start 21 more
 * libraries (PulseAudio's client, through libpcaudio, and under it X11,
 * D-Bus, libsystemd, libgcrypt).  Once loaded it stays loaded (speech.h
 * says why).
 *
 * The speech cache's keys name the engine that made a clip, so a warm start
 * must know that engine without loading it: a stamp kept in the cache says
 * which version the library had, and holds while the library's and its
 * data's files are the ones it saw (same file, size and time); an upgrade
 * of either makes another identity, so new keys, so new clips. */
#ifndef COACH_ESPEAKLIB_H
#define COACH_ESPEAKLIB_H

#include <stddef.h>

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include "diag.h"
#include "diskcache.h"

/* The file dlopen looks for: Debian's libespeak-ng1, Bookworm and Trixie. */
#ifndef ESPEAKLIB_SONAME
#define ESPEAKLIB_SONAME "libespeak-ng.so.1"
#endif

/* The stamp's key in the speech cache, and its largest size. */
#define ESPEAKLIB_STAMP_KEY "espeak-ng stamp 2, " ESPEAKLIB_SONAME
#define ESPEAKLIB_STAMP_MAX 4096

/* The functions coach calls, with the header's own types. */
struct espeaklib {
	__typeof__(espeak_ng_InitializePath) *ng_InitializePath;
	__typeof__(espeak_ng_Initialize) *ng_Initialize;
	__typeof__(espeak_ng_ClearErrorContext) *ng_ClearErrorContext;
	__typeof__(espeak_ng_InitializeOutput) *ng_InitializeOutput;
	__typeof__(espeak_ng_GetStatusCodeMessage) *ng_GetStatusCodeMessage;
	__typeof__(espeak_ng_GetSampleRate) *ng_GetSampleRate;
	__typeof__(espeak_ng_SetVoiceByName) *ng_SetVoiceByName;
	__typeof__(espeak_ng_SetParameter) *ng_SetParameter;
	__typeof__(espeak_ng_Synthesize) *ng_Synthesize;
	__typeof__(espeak_SetSynthCallback) *SetSynthCallback;
	__typeof__(espeak_Info) *Info;
};

/* Loads the library, once (its data path set: espeak_ng_InitializePath).
 * Returns its functions, or NULL with ERR filled ("espeak-ng: cannot load
 * libespeak-ng.so.1: ..."). */
const struct espeaklib *espeaklib_load(struct diag *err);

/* The engine's identity for the cache keys into BUF: its version and its
 * files' ("espeak-ng 1.51 lib D:I:S:T data D:I:S:T phondata D:I:S:T").
 * With the library loaded, its own; else the stamp in CACHE when it still
 * holds; else the library is loaded and the stamp written.  Returns 0, or
 * -1 with ERR filled when the library cannot be loaded. */
int espeaklib_identity(struct diskcache *cache, char *buf, size_t size, struct diag *err);

/* The identity that VERSION with the library at LIB and its data in DATA
 * has now, into BUF.  Returns 0, or -1 when a file cannot be looked at. */
int espeaklib_identity_of(const char *version, const char *lib, const char *data,
			  char *buf, size_t size);

/* A stamp's text into BUF: the library's path, the data's, the data folder
 * the environment chooses ($ESPEAK_DATA_PATH, $HOME's, or "-" for the
 * library's own), VERSION and the identity they have now, a line each.  Returns 0, or -1 (a file cannot be
 * looked at, or BUF is too small). */
int espeaklib_stamp_make(const char *version, const char *lib, const char *data,
			 char *buf, size_t size);

/* Fills ID from STAMP (LEN bytes, as stamp_make wrote it) when it still
 * holds: its files have the identity it recorded.  Returns 0, else -1. */
int espeaklib_stamp_check(const char *stamp, size_t len, char *id, size_t size);

#endif

/* Sound files read with libsndfile (any rate, any channel count, any format
 * it knows), mixed down to mono and resampled to the output rate: the tones
 * (sounds.c) and the sentences of a voice pack (speech.c). */
#ifndef COACH_WAVFILE_H
#define COACH_WAVFILE_H

#include <stddef.h>

#include "clip.h"

/* Loads PATH as mono at RATE into OUT (a fresh allocation).  A file longer
 * than MAX_SECONDS is refused; WHAT names such a file in that message ("a
 * tone").  Returns 0; -1 with WHY filled (one line: "not a sound file
 * (libsndfile: ...)", "empty file", "No such file or directory") when the
 * file cannot be used; -ENOMEM. */
int wavfile_load(const char *path, unsigned rate, unsigned max_seconds, const char *what,
		 struct clip *out, char *why, size_t size);

#endif

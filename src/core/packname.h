/* Voice packs' file names, pure: the WAV file a pack holds for a sentence.
 *
 *   "Left side."          -> left-side-4c1d09a7.wav
 *   "Rep 2 of 3."         -> rep-2-of-3-0b6f2e11.wav
 *   "Als Nächstes: Katze." -> als-nächstes-katze-9e0f3a52.wav
 *
 * A readable slug (ASCII letters and digits lowercased, other UTF-8 letters
 * kept as they are, every other run of characters one '-', at most
 * PACKNAME_SLUG bytes, cut on a character boundary), a '-', and eight hex
 * digits of a hash of the exact text (case, punctuation and spaces
 * included), so that two sentences with the same slug ("Rest." and "Rest!")
 * still get two files. */
#ifndef COACH_PACKNAME_H
#define COACH_PACKNAME_H

#include <stddef.h>

/* The slug's most bytes, and the longest file name with its hash and ".wav". */
#define PACKNAME_SLUG 48
#define PACKNAME_MAX  (PACKNAME_SLUG + 1 + 8 + 4 + 1)

/* Writes TEXT's file name into BUF (at least PACKNAME_MAX bytes).  Returns BUF. */
char *packname_of(const char *text, char *buf, size_t size);

#endif

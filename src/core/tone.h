/* The tones a plan places between the words: which there are and their
 * names.  The sound layer (sounds.c) makes their audio; the plan only needs
 * to know them by id. */
#ifndef COACH_TONE_H
#define COACH_TONE_H

enum sound { SOUND_START, SOUND_TICK, SOUND_END, SOUND_FINISH, SOUND_REMINDER, SOUND_MAX };

/* "start", "tick", "end", "finish", "reminder": the file name without .wav
 * ("unknown" for anything else). */
const char *sound_name(enum sound s);

#endif

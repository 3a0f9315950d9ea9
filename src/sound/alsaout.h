/* ALSA's outputs as they are now: the sound cards that can play (read with
 * ALSA's control interface) and the PCM names its configuration defines,
 * for outname to resolve the configured device against, and the listing
 * `coachd --list-devices` prints (and the log, when nothing matches). */
#ifndef COACH_ALSAOUT_H
#define COACH_ALSAOUT_H

#include <stddef.h>

#include "outname.h"

#define ALSAOUT_MAX_CARDS 32    /* alsa-lib's own limit */
#define ALSAOUT_MAX_PCMS 160

struct alsaout {
	struct sound_card cards[ALSAOUT_MAX_CARDS];
	size_t ncards;
	char pcm_ids[ALSAOUT_MAX_PCMS][48];
	const char *pcms[ALSAOUT_MAX_PCMS];   /* pointers into pcm_ids, for outname */
	size_t npcms;
};

/* Reads the cards with a playback device and the configuration's PCM
 * names.  Before audiohost_initialize, which takes PCMs out of the tree. */
void alsaout_read(struct alsaout *o);

/* outname_resolve over what O read. */
void alsaout_resolve(const struct alsaout *o, const char *want, struct out_target *t);

/* Lists what can be put in `audio: device:`, one line each, through LINE:
 * the cards (the name to use, what it is, the ALSA device it plays
 * through), what `auto` picks, and the card-independent ALSA PCMs with a
 * description (default, bluealsa, a sound server's). */
void alsaout_list(const struct alsaout *o, void (*line)(const char *text));

/* Whether the ALSA PCM NAME opens for playback now (busy counts as there).
 * Returns 0 or -errno. */
int alsaout_check(const char *name);

#endif

/* The rate the stream plays, kept apart from the configured one.
 *
 * The config names a rate (`audio: rate:`); a device that does not take it
 * plays at one it does, found by looking at the device or by a stream that
 * failed to open, and everything is prepared at that rate.  A reload may
 * change the device or the rate: what the old device played instead of the
 * old rate then says nothing, and the device is looked at again for the new
 * one, as at start-up.  Pure: the sound layer (player.c) asks the device and
 * tells this what it found. */
#ifndef COACH_PLAYRATE_H
#define COACH_PLAYRATE_H

#include <stdbool.h>

struct play_rate {
	unsigned configured;    /* the config's rate: asked of the device first */
	unsigned instead;       /* what the device plays instead (0: the configured
				 * one, or not known yet) */
	bool look;              /* the device or the rate changed: look at the device
				 * again (cleared by whoever looks) */
};

void play_rate_init(struct play_rate *r, unsigned configured);

/* A reload's rate, CONFIGURED, and whether the device changed: either change
 * forgets what the device played instead and asks for a look. */
void play_rate_configure(struct play_rate *r, unsigned configured, bool device_changed);

/* The device plays FOUND instead of the rate asked for (0: that one).
 * Returns true when that is news to say: a rate other than the configured
 * one, not known already. */
bool play_rate_found(struct play_rate *r, unsigned found);

/* The rate everything must be prepared at to sound: the configured one, or
 * the one the device plays instead. */
unsigned play_rate_current(const struct play_rate *r);

#endif

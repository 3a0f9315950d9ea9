/* Live playback: the engine driven by a PortAudio callback stream.
 *
 * The main thread sends controls through a lock-free single-producer ring and
 * reads the session's state from a snapshot the callback publishes; the
 * callback allocates nothing, takes no locks, does no I/O and never waits.
 * Opening and closing the device happen on audiodev's thread, never on the
 * main loop.  A session holds its stream from its first sound to its end,
 * pauses included; with no session and nothing to say the stream is closed,
 * so an idle daemon has no audio wakeups and leaves the device free.  A lost
 * device pauses the session; player_tick looks for it again every 2 s
 * (PortAudio has no hotplug: that takes Pa_Terminate and Pa_Initialize) and
 * the session resumes from the same frame.  A stream slow to start, or a
 * callback late under load, is not a lost device: lateness is counted as a
 * glitch (xruns). */
#ifndef COACH_PLAYER_H
#define COACH_PLAYER_H

#include <stdbool.h>
#include <stdint.h>

#include "bundle.h"
#include "diag.h"
#include "session.h"

struct player;

struct player_config {
	const char *device;     /* "default" or part of a PortAudio device name (copied) */
	unsigned rate;          /* the configured rate: asked of the device first (a
				 * bundle's own rate is what its stream opens at) */
	unsigned latency_ms;    /* suggested output latency */
	float volume;           /* 0..1 */
	bool verbose;           /* let PortAudio's host APIs print their probing noise */
	unsigned gentle_ms;     /* sessions start quieter and rise over this (0: off) */
};

/* What the session was doing at the end of the last audio callback. */
struct player_status {
	enum session_state state;
	uint64_t pos;           /* plan frame */
	unsigned sessions;      /* sessions started so far */
	bool at_wait;           /* paused by a wait step */
	bool sounding;          /* something is still playing (an acknowledgement) */
	bool device_ok;         /* false while the device is lost or cannot be opened */
	uint32_t latency_us;    /* last control: arrival to its first frame in the callback */
	unsigned xruns;         /* glitches in the session: underruns, late callbacks, stalls */
	unsigned worst_late_us; /* the latest a callback came in the session, past its time */
	int realtime;           /* the audio thread: 1 real-time, -errno refused, 0 not yet */
	unsigned pending;       /* controls and clips sent that this snapshot does not show yet */
};

/* The real-time (SCHED_FIFO) priority the audio thread asks for; the
 * service's LimitRTPRIO= allows it. */
#define PLAYER_RT_PRIORITY 5

/* Starts the audio thread and looks for the device.  Returns NULL with ERR
 * filled when it cannot. */
struct player *player_new(const struct player_config *cfg, struct diag *err);

/* Stops the stream with a short fade, closes it and terminates PortAudio. */
void player_free(struct player *p);

/* Plays bundle B from now on.  Only while no session is running or paused;
 * returns -EBUSY otherwise.  B must stay loaded until replaced. */
int player_set_bundle(struct player *p, const struct bundle *b);

/* Sends control C to the session, starting the stream when needed.  Returns
 * 0, -EAGAIN when the ring is full, or -ENODEV while the device is lost
 * (the control is applied all the same and plays when the device is back). */
int player_control(struct player *p, enum session_control c);

/* Plays CLIP now, over whatever plays (a reminder, a spoken error).  The clip
 * must stay valid until it has played.  Returns 0, -EAGAIN or -ENODEV. */
int player_say(struct player *p, const struct clip *clip);

/* Plays through DEVICE (as in player_config) with LATENCY_MS, asking it for
 * RATE (the configured rate), from the next time the stream opens: at once
 * when idle, at the next retry while the device is lost, after the session
 * when one is playing.  A new device or rate is looked at again then, as at
 * start-up, for the rate it plays (player_rate). */
void player_set_output(struct player *p, const char *device, unsigned latency_ms,
		       unsigned rate);

/* The rate a bundle must be prepared at to sound: while a stream is open,
 * the rate it plays (a reload's new rate waits for it to close); else the
 * configured one, or the one the device plays instead when it does not
 * (said in the log once; found when the device is looked at, or when a
 * stream fails to open at the bundle's rate).  A session started before a bundle at that rate is
 * installed is stopped without a sound rather than played at the wrong
 * speed. */
unsigned player_rate(struct player *p);

/* Sets the gentle start (ms) for the sessions of the next bundle installed. */
void player_set_gentle(struct player *p, unsigned ms);

/* Sets the master volume (0..1) from the next callback on. */
int player_set_volume(struct player *p, float volume);

/* The session's state as of the last callback. */
void player_status(struct player *p, struct player_status *st);

/* Housekeeping from the event loop: notices a lost device and reopens it,
 * stops the stream when nothing plays.  Returns the milliseconds after which
 * it wants to run again, or -1 when there is nothing to watch (idle). */
int player_tick(struct player *p);

#endif

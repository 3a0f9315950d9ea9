/* The button gesture decoder: press and release edges with their times in,
 * gestures out.  Pure: no clock, no I/O.  The caller passes the time, asks for
 * the next deadline and calls gesture_tick then, so that a long press fires
 * while the button is still held: the user, eyes closed, hears the answer and
 * knows when to let go.
 *
 *   What the hands do                             Fires              Gesture
 *   Play down and up within long_press_ms         on release         PLAY_SHORT: play, pause, resume
 *   Play held for long_press_ms                   while still held   PLAY_LONG:  stop
 *   Next down and up within long_press_ms         on release         NEXT_SHORT: next step
 *   Next held for long_press_ms                   while still held   NEXT_LONG:  say the cue again
 *   Release after a long press fired              -                  nothing more
 *   Both down (the second pressed while the       when both are up   BOTH: say where you are and what
 *     first is held), then both up, no long                          is left; the first's short press
 *     press fired                                                    is cancelled
 *   Both held together for twice long_press_ms,   while both held    BOTH_LONG: "this hurts": leave the
 *     (counted from the second press), no long                       step and go on; letting go after
 *     press fired                                                    it does nothing more
 *   Both down after the first's long press fired  -                  nothing until both are up (a fumble
 *                                                                    eyes closed does nothing rather
 *                                                                    than something unexpected)
 *   Edges within debounce_ms of the last          -                  ignored: bounce.  Chatter keeps
 *     accepted edge on that line                                     the line locked until it has been
 *                                                                    quiet for debounce_ms; the level
 *                                                                    it leaves is taken then
 *   A press shorter than debounce_ms              -                  nothing: a glitch, which the
 *                                                                    kernel's debounce drops too
 *   A release without a press, a second press     -                  ignored
 *     without a release
 *   A time earlier than one already seen          -                  taken as that time (no time
 *                                                                    passed), never as a huge hold
 *
 * Each accepted press and each long press that fires also asks for an LED
 * flash (struct gestures.flash). */
#ifndef COACH_GESTURE_H
#define COACH_GESTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "edge.h"

enum gesture {
	GESTURE_NONE,
	GESTURE_PLAY_SHORT,
	GESTURE_PLAY_LONG,
	GESTURE_NEXT_SHORT,
	GESTURE_NEXT_LONG,
	GESTURE_BOTH,
	GESTURE_BOTH_LONG,
};

#define GESTURE_NO_DEADLINE UINT64_MAX
#define GESTURE_MAX_OUT 4   /* two lines, each a settle and a long press at most */

/* What one call produced, in order. */
struct gestures {
	enum gesture list[GESTURE_MAX_OUT];
	unsigned n;
	bool flash;              /* a press was accepted or a long press fired */
};

struct gesture_config {
	unsigned debounce_ms;    /* 0: the edges are already debounced (libgpiod 2.x) */
	unsigned long_press_ms;
};

struct gesture_decoder;

/* Returns a decoder with both buttons up, or NULL when out of memory. */
struct gesture_decoder *gesture_new(const struct gesture_config *cfg);

/* Frees D (NULL is fine). */
void gesture_free(struct gesture_decoder *d);

/* Forgets every button's state: both taken as up, nothing pending. */
void gesture_reset(struct gesture_decoder *d);

/* Takes edge E; OUT gets what fires up to and at E's time. */
void gesture_edge(struct gesture_decoder *d, const struct gpio_edge *e, struct gestures *out);

/* Lets time pass up to NOW_NS; OUT gets what fires by then. */
void gesture_tick(struct gesture_decoder *d, uint64_t now_ns, struct gestures *out);

/* When gesture_tick must next be called, or GESTURE_NO_DEADLINE. */
uint64_t gesture_deadline(const struct gesture_decoder *d);

/* "play", "play-long", "next", "next-long", "both", "both-long" or "none",
 * for logs and tests. */
const char *gesture_name(enum gesture g);

#endif

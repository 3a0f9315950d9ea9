/* The buttons and the status LED, running in the daemon's event loop: a
 * button source (libgpiod, or the fake one for "fake:PATH" chips) feeds the
 * gesture decoder, whose gestures go to the caller; loop timeouts fire long
 * presses while the button is held and blink the LED, and only then: idle
 * and running need no wake-ups.
 *
 * A device that goes away at run time (an fd error or hang-up, a failing
 * read) is logged once as a warning and reported to the caller once, as
 * GESTURE_NONE; from then on buttons_available() is false and nothing else
 * happens until the caller closes them (and opens them again, say). */
#ifndef COACH_BUTTONS_H
#define COACH_BUTTONS_H

#include <stdbool.h>

#include "config.h"
#include "diag.h"
#include "gesture.h"
#include "led.h"
#include "loop.h"

struct buttons;

/* Called from the loop with each gesture, and with GESTURE_NONE when the
 * device has gone away. */
typedef void buttons_fn(void *ctx, enum gesture g);

/* Opens the lines CFG names (CFG->enabled is the caller's business) and
 * watches them in loop L.  Returns 0 with *OUT set, or -1 with ERR naming the
 * chip and line and what to do: "no GPIO chip 'gpiochip9' (see `gpioinfo`)". */
int buttons_open(struct buttons **out, struct loop *l, const struct config_buttons *cfg,
		 buttons_fn *on_gesture, void *ctx, struct diag *err);

/* Shows STATE on the LED (nothing without an LED line, or after the device
 * went away); setting the current state again keeps its blink in phase. */
void buttons_set_led(struct buttons *b, enum led_state state);

/* True while B is open and its device has not gone away (false for NULL). */
bool buttons_available(const struct buttons *b);

/* Turns the LED off, stops watching and releases the lines (NULL is fine).
 * Not from inside the gesture callback. */
void buttons_close(struct buttons *b);

#endif

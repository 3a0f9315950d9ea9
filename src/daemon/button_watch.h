/* The buttons kept working: opened as the config says, tried again every few
 * seconds while they cannot be opened (no chip yet at boot, udev not done, a
 * line in use) or after their device went away, and reopened at a reload
 * that changes them.  The LED shows the last state set, across reopenings.
 * Each new reason they are unavailable is logged once. */
#ifndef COACH_BUTTON_WATCH_H
#define COACH_BUTTON_WATCH_H

#include <stdbool.h>

#include "buttons.h"
#include "config.h"
#include "led.h"
#include "loop.h"

#define BUTTON_WATCH_RETRY_MS 5000

struct button_watch;

/* A watch in loop L that passes gestures to ON_GESTURE (never GESTURE_NONE:
 * a lost device is its own business).  Returns NULL when out of memory. */
struct button_watch *button_watch_new(struct loop *l, buttons_fn *on_gesture, void *ctx);

/* Applies the buttons settings CFG (kept by pointer: valid until the next
 * call or button_watch_free).  Opens them the first time; after that, only
 * when CHANGED, or when they are unavailable but wanted (or open but no
 * longer wanted). */
void button_watch_configure(struct button_watch *w, const struct config_buttons *cfg,
			    bool changed);

/* "off", "ok" or "unavailable", for coachctl status. */
const char *button_watch_state(const struct button_watch *w);

/* Shows STATE on the LED, now and whenever the buttons open again. */
void button_watch_set_led(struct button_watch *w, enum led_state state);

/* Closes the buttons and frees W (NULL is fine). */
void button_watch_free(struct button_watch *w);

#endif

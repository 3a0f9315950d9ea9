/* The status LED's patterns, pure: a state and the time in, the level out.
 *
 *   idle     off                 running  on
 *   paused   slow blink, 1 Hz    error    fast blink, 4 Hz (no audio device,
 *                                         no buttons)
 *   flash    the level inverted for 80 ms over any of these, on each accepted
 *            press, so a press shows it was taken
 *
 * Blinks start with the LED on, at the moment the state is set, so a change
 * shows at once.  led_next_change says when the level may change next, so the
 * caller sleeps until then: idle and running need no wake-ups at all. */
#ifndef COACH_LED_H
#define COACH_LED_H

#include <stdbool.h>
#include <stdint.h>

enum led_state { LED_IDLE, LED_RUNNING, LED_PAUSED, LED_ERROR };

#define LED_NO_CHANGE UINT64_MAX
#define LED_FLASH_MS 80

/* A pattern in time.  Plain data so that it can live inside its user; change
 * it only through the functions below. */
struct led {
	enum led_state state;
	uint64_t since;          /* when STATE was set (ns), the blink's phase */
	uint64_t flash_until;    /* end of the current flash (ns), 0 for none */
	bool flash_level;        /* the level shown during the flash */
};

/* Starts in STATE at NOW_NS, no flash. */
void led_init(struct led *l, enum led_state state, uint64_t now_ns);

/* Changes to STATE at NOW_NS; setting the state it is already in keeps the
 * blink's phase. */
void led_set(struct led *l, enum led_state state, uint64_t now_ns);

/* Inverts the level shown at NOW_NS for LED_FLASH_MS. */
void led_flash(struct led *l, uint64_t now_ns);

/* True when the LED is lit at NOW_NS. */
bool led_level(const struct led *l, uint64_t now_ns);

/* The next time after NOW_NS at which the level may change, or
 * LED_NO_CHANGE when it stays as it is. */
uint64_t led_next_change(const struct led *l, uint64_t now_ns);

/* "idle", "running", "paused", "error". */
const char *led_state_name(enum led_state s);

#endif

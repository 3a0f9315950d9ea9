/* What a button source delivers and the gesture decoder reads: one edge of
 * one of the two buttons, as plain data (the system layer's gpio backends
 * make them, the core's gesture decoder turns them into presses). */
#ifndef COACH_EDGE_H
#define COACH_EDGE_H

#include <stdbool.h>
#include <stdint.h>

enum gpio_button { GPIO_PLAY, GPIO_NEXT, GPIO_NBUTTONS };

/* One edge: a button went down (PRESSED) or up, at NS nanoseconds of
 * CLOCK_MONOTONIC.  Logical levels: active-low wiring is already undone. */
struct gpio_edge {
	enum gpio_button button;
	bool pressed;
	uint64_t ns;
};

#endif

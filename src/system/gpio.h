/* Button sources: where press and release edges come from.  Each source is a
 * backend, a const table of functions found by name in one NULL-terminated
 * list: "gpiod" (libgpiod 1.6 or 2.x, picked at build time) and "fake" (a FIFO
 * that tests write lines such as "play press" into).  Backends return errors
 * and never log; buttons.c, which runs them in the event loop, logs. */
#ifndef COACH_GPIO_H
#define COACH_GPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "edge.h"

/* What a backend opens: the lines of config_buttons, the chip already told
 * apart from the "fake:" prefix. */
struct gpio_config {
	const char *chip;        /* name, path or label; NULL: the 40-pin header's chip */
	unsigned line[GPIO_NBUTTONS];  /* line offsets (BCM numbers) of Play and Next */
	int led;                 /* line offset of the LED, -1 for none */
	bool active_low;         /* a press pulls the line to ground */
	bool pull_up;            /* turn on the internal pull-up */
	unsigned debounce_ms;    /* used by backends that debounce in the kernel */
};

/* A backend's open source; each backend defines it in its own file. */
struct gpio_source;

struct gpio_backend {
	const char *name;
	bool debounces;          /* the kernel debounces its edges: no software debounce */
	/* Opens the lines.  Returns 0, or -1 with ERR naming the chip and line. */
	int (*open)(struct gpio_source **out, const struct gpio_config *cfg, struct diag *err);
	/* The descriptor to watch for EPOLLIN; it stays the same while open. */
	int (*fd)(struct gpio_source *s);
	/* Fills OUT with up to N pending edges without blocking.  Returns how
	 * many (0: none pending), or -errno (-ENODEV: the device went away). */
	int (*read)(struct gpio_source *s, struct gpio_edge *out, size_t n);
	/* Turns the LED on or off (nothing without an LED).  Returns 0 or -errno. */
	int (*set_led)(struct gpio_source *s, bool on);
	/* Releases the lines and frees S (NULL is fine). */
	void (*close)(struct gpio_source *s);
};

extern const struct gpio_backend gpio_backend_gpiod;
extern const struct gpio_backend gpio_backend_fake;

/* The backend called NAME, or NULL. */
const struct gpio_backend *gpio_backend_find(const char *name);

/* The backend for a configured chip: "fake" for "fake:PATH", else "gpiod". */
const struct gpio_backend *gpio_backend_for_chip(const char *chip);

/* True when LABEL is the label of a Raspberry Pi's 40-pin header chip
 * ("pinctrl-bcm2835", "pinctrl-bcm2711", "pinctrl-rp1"). */
bool gpio_is_header_label(const char *label);

/* Turns a configured chip that is a path, a number ("4") or a name
 * ("gpiochip4") into the device's path.  Returns 1 with PATH filled, or 0
 * when CHIP can only be a label. */
int gpio_chip_path(const char *chip, char *path, size_t size);

/* How a libgpiod backend opens a chip, tells its label and closes it: what
 * gpio_open_chip needs from each libgpiod version. */
struct gpio_chip_ops {
	void *(*open)(const char *path);        /* NULL with errno set */
	/* Whether the open CHIP's label is LABEL (NULL: a 40-pin header's). */
	bool (*has_label)(void *chip, const char *label);
	void (*close)(void *chip);
};

/* Opens the configured chip NAME: a path, number or name ("gpiochip4"), else
 * a label searched for in /dev in number order; NULL: the header's chip.
 * Returns the chip OPS opened, or NULL with ERR saying why there is none
 * (permission denied on a chip it could not look into, rather than "no such
 * chip", since that is then the likelier cause). */
void *gpio_open_chip(const char *name, const struct gpio_chip_ops *ops, struct diag *err);

/* A watch for the removal of a chip's device node: NAME ("gpiochip0") in
 * folder DIR ("/dev").  libgpiod 1.6 on Linux 6.1 tells nothing when a chip
 * goes away (its line fds never wake, their reads and writes succeed), but
 * the kernel deletes the node.  Returns a non-blocking inotify descriptor
 * to watch for EPOLLIN, or -errno. */
int gpio_watch_chip(const char *dir);

/* Reads the watch's pending events: 1 when NAME was deleted (or events were
 * lost, so it may have been), else 0. */
int gpio_chip_gone(int watch, const char *name);

/* Fills ERR for a chip that cannot be opened: CHIP as configured (NULL: the
 * header's chip), ERRNUM a positive errno.  Returns -1. */
int gpio_chip_error(struct diag *err, const char *chip, int errnum);

/* Fills ERR for LINE of CHIP that cannot be requested: ERRNUM a positive
 * errno, CONSUMER who holds it (EBUSY), NLINES the chip's size (ERANGE).
 * Returns -1. */
int gpio_line_error(struct diag *err, const char *chip, unsigned line, int errnum,
		    const char *consumer, unsigned nlines);

#endif

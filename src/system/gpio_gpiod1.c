/* The libgpiod 1.6 button source (Debian 12, Raspberry Pi OS Bookworm); built
 * when pkg-config finds libgpiod older than 2, else this file compiles to
 * nothing and gpio_gpiod2.c provides the backend.
 *
 * Each button line is requested for both edges, with the internal pull-up and
 * active-low when configured; libgpiod 1.6 gives every line its own event fd,
 * so both go into a private epoll set whose fd is the one the daemon's loop
 * watches.  The kernel's v1 interface cannot debounce: the gesture decoder
 * does.  The LED, if any, is a separate output request. */
#include "gpio.h"

#if !COACH_GPIOD_V2

#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define CONSUMER "coachd"

struct gpio_source {
	struct gpiod_chip *chip;
	struct gpiod_line *line[GPIO_NBUTTONS];
	struct gpiod_line *led;
	int fd[GPIO_NBUTTONS];
	int epfd;
	int watch;               /* gpio_watch_chip's: the chip's node deleted */
	char name[32];           /* the chip's node in /dev, "gpiochip0" */
};

#define WATCH_EVENT GPIO_NBUTTONS   /* the epoll data of the watch */

static void *chip_open(const char *path)
{
	return gpiod_chip_open(path);
}

static bool chip_has_label(void *chip, const char *label)
{
	const char *l = gpiod_chip_label(chip);

	return label ? strcmp(l, label) == 0 : gpio_is_header_label(l);
}

static void chip_close(void *chip)
{
	gpiod_chip_close(chip);
}

static const struct gpio_chip_ops chip_ops = { chip_open, chip_has_label, chip_close };

static void gpiod1_close(struct gpio_source *s)
{
	if (!s)
		return;
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->watch >= 0)
		close(s->watch);
	/* Closing the chip releases every line requested from it. */
	if (s->chip)
		gpiod_chip_close(s->chip);
	free(s);
}

/* Says why LINE (OFFSET) could not be requested: for EBUSY, who holds it. */
static int line_error(struct gpio_source *s, struct gpiod_line *line, unsigned offset,
		      int e, struct diag *err)
{
	const char *consumer = NULL;

	if (e == EBUSY && line && gpiod_line_update(line) == 0)
		consumer = gpiod_line_consumer(line);
	return gpio_line_error(err, gpiod_chip_name(s->chip), offset, e, consumer,
			       gpiod_chip_num_lines(s->chip));
}

static int request_button(struct gpio_source *s, const struct gpio_config *cfg, int b,
			  struct diag *err)
{
	int flags = (cfg->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0) |
		    (cfg->pull_up ? GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP : 0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)b };
	unsigned offset = cfg->line[b];

	if (offset >= gpiod_chip_num_lines(s->chip))
		return line_error(s, NULL, offset, ERANGE, err);
	s->line[b] = gpiod_chip_get_line(s->chip, offset);
	if (!s->line[b] || gpiod_line_request_both_edges_events_flags(s->line[b], CONSUMER, flags) < 0)
		return line_error(s, s->line[b], offset, errno, err);
	s->fd[b] = gpiod_line_event_get_fd(s->line[b]);
	if (s->fd[b] < 0 || epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->fd[b], &ev) < 0)
		return line_error(s, s->line[b], offset, errno, err);
	return 0;
}

static int gpiod1_open(struct gpio_source **out, const struct gpio_config *cfg, struct diag *err)
{
	struct gpio_source *s = calloc(1, sizeof(*s));

	if (!s)
		return diag_set(err, "buttons", 0, 0, "out of memory");
	s->watch = -1;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0) {
		diag_set(err, "buttons", 0, 0, "cannot create an epoll set: %s", strerror(errno));
		goto err_free;
	}
	s->chip = gpio_open_chip(cfg->chip, &chip_ops, err);
	if (!s->chip)
		goto err_free;
	for (int b = 0; b < GPIO_NBUTTONS; b++)
		if (request_button(s, cfg, b, err) < 0)
			goto err_free;
	/* Without the watch a chip that goes away is not noticed, but the
	 * buttons work: no error. */
	snprintf(s->name, sizeof(s->name), "%s", gpiod_chip_name(s->chip));
	s->watch = gpio_watch_chip("/dev");
	if (s->watch >= 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = WATCH_EVENT };

		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->watch, &ev) < 0) {
			close(s->watch);
			s->watch = -1;
		}
	}
	if (cfg->led >= 0) {
		unsigned offset = (unsigned)cfg->led;

		if (offset >= gpiod_chip_num_lines(s->chip)) {
			line_error(s, NULL, offset, ERANGE, err);
			goto err_free;
		}
		s->led = gpiod_chip_get_line(s->chip, offset);
		if (!s->led || gpiod_line_request_output(s->led, CONSUMER, 0) < 0) {
			line_error(s, s->led, offset, errno, err);
			goto err_free;
		}
	}
	*out = s;
	return 0;

err_free:
	gpiod1_close(s);
	return -1;
}

static int gpiod1_fd(struct gpio_source *s)
{
	return s->epfd;
}

static int gpiod1_read(struct gpio_source *s, struct gpio_edge *out, size_t n)
{
	struct epoll_event ev[GPIO_NBUTTONS + 1];
	struct gpiod_line_event le[8];
	size_t got = 0;
	int ready = epoll_wait(s->epfd, ev, GPIO_NBUTTONS + 1, 0);

	if (ready < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < ready && got < n; i++) {
		int b = (int)ev[i].data.u32;
		size_t want = n - got < 8 ? n - got : 8;
		int r;

		if (ev[i].events & (EPOLLERR | EPOLLHUP))
			return -ENODEV;
		if (b == WATCH_EVENT) {
			if (gpio_chip_gone(s->watch, s->name))
				return -ENODEV;
			continue;
		}
		/* Readable, so this does not block. */
		r = gpiod_line_event_read_fd_multiple(s->fd[b], le, (unsigned)want);
		if (r < 0)
			return errno == EAGAIN || errno == EINTR ? (int)got : -errno;
		for (int k = 0; k < r; k++)
			out[got++] = (struct gpio_edge){
				.button = (enum gpio_button)b,
				.pressed = le[k].event_type == GPIOD_LINE_EVENT_RISING_EDGE,
				.ns = (uint64_t)le[k].ts.tv_sec * 1000000000u + (uint64_t)le[k].ts.tv_nsec,
			};
	}
	return (int)got;
}

static int gpiod1_set_led(struct gpio_source *s, bool on)
{
	if (!s->led)
		return 0;
	return gpiod_line_set_value(s->led, on) < 0 ? -errno : 0;
}

const struct gpio_backend gpio_backend_gpiod = {
	.name = "gpiod",
	.debounces = false,
	.open = gpiod1_open,
	.fd = gpiod1_fd,
	.read = gpiod1_read,
	.set_led = gpiod1_set_led,
	.close = gpiod1_close,
};

#endif

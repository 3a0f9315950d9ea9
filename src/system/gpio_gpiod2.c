/* The libgpiod 2.x button source (Raspberry Pi OS Trixie); built when
 * pkg-config finds libgpiod 2 or later, else this file compiles to nothing and
 * gpio_gpiod1.c provides the backend.
 *
 * One request holds both buttons (input, both edges, the kernel's debounce,
 * pull-up and active-low as configured) and the LED (output, off), so the
 * daemon's loop watches one fd.  Since the kernel debounces, the gesture
 * decoder does not.  `make check-gpiod2` compiles this file against the 2.x
 * header in tests/gpiod2/ on machines that only have 1.6. */
#include "gpio.h"

#if COACH_GPIOD_V2

#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSUMER "coachd"
#define EVENTS 16

struct gpio_source {
	struct gpiod_chip *chip;
	struct gpiod_line_request *req;
	struct gpiod_edge_event_buffer *buf;
	unsigned line[GPIO_NBUTTONS];
	int led;
};

static void *chip_open(const char *path)
{
	return gpiod_chip_open(path);
}

static bool chip_has_label(void *chip, const char *label)
{
	struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
	bool found = info && (label ? strcmp(gpiod_chip_info_get_label(info), label) == 0
				    : gpio_is_header_label(gpiod_chip_info_get_label(info)));

	if (info)
		gpiod_chip_info_free(info);
	return found;
}

static void chip_close(void *chip)
{
	gpiod_chip_close(chip);
}

static const struct gpio_chip_ops chip_ops = { chip_open, chip_has_label, chip_close };

static void gpiod2_close(struct gpio_source *s)
{
	if (!s)
		return;
	if (s->buf)
		gpiod_edge_event_buffer_free(s->buf);
	if (s->req)
		gpiod_line_request_release(s->req);
	if (s->chip)
		gpiod_chip_close(s->chip);
	free(s);
}

/* Says why the request failed with errno E: for EBUSY, which line is held
 * and by whom; otherwise it names the first button line. */
static int request_error(struct gpio_source *s, const char *chip, int e, struct diag *err)
{
	unsigned offsets[3] = { s->line[GPIO_PLAY], s->line[GPIO_NEXT], (unsigned)s->led };
	size_t n = s->led >= 0 ? 3 : 2;

	for (size_t i = 0; e == EBUSY && i < n; i++) {
		struct gpiod_line_info *info = gpiod_chip_get_line_info(s->chip, offsets[i]);
		char consumer[64] = "";
		bool used = info && gpiod_line_info_is_used(info);

		if (used && gpiod_line_info_get_consumer(info))
			snprintf(consumer, sizeof(consumer), "%s", gpiod_line_info_get_consumer(info));
		if (info)
			gpiod_line_info_free(info);
		if (used)
			return gpio_line_error(err, chip, offsets[i], e, consumer, 0);
	}
	return gpio_line_error(err, chip, offsets[0], e, NULL, 0);
}

/* Makes the request for the buttons and the LED.  Returns 0 or -1 with errno. */
static int request(struct gpio_source *s, const struct gpio_config *cfg)
{
	struct gpiod_line_settings *in = gpiod_line_settings_new();
	struct gpiod_line_settings *out = gpiod_line_settings_new();
	struct gpiod_line_config *lines = gpiod_line_config_new();
	struct gpiod_request_config *rc = gpiod_request_config_new();
	unsigned led = (unsigned)s->led;
	int e = ENOMEM;

	if (!in || !out || !lines || !rc)
		goto done;
	gpiod_line_settings_set_direction(in, GPIOD_LINE_DIRECTION_INPUT);
	gpiod_line_settings_set_edge_detection(in, GPIOD_LINE_EDGE_BOTH);
	if (cfg->pull_up)
		gpiod_line_settings_set_bias(in, GPIOD_LINE_BIAS_PULL_UP);
	gpiod_line_settings_set_active_low(in, cfg->active_low);
	gpiod_line_settings_set_debounce_period_us(in, cfg->debounce_ms * 1000ul);
	gpiod_line_settings_set_event_clock(in, GPIOD_LINE_CLOCK_MONOTONIC);
	gpiod_line_settings_set_direction(out, GPIOD_LINE_DIRECTION_OUTPUT);
	gpiod_line_settings_set_output_value(out, GPIOD_LINE_VALUE_INACTIVE);
	gpiod_request_config_set_consumer(rc, CONSUMER);
	if (gpiod_line_config_add_line_settings(lines, s->line, GPIO_NBUTTONS, in) < 0 ||
	    (s->led >= 0 && gpiod_line_config_add_line_settings(lines, &led, 1, out) < 0)) {
		e = errno;
		goto done;
	}
	s->req = gpiod_chip_request_lines(s->chip, rc, lines);
	e = s->req ? 0 : errno;
done:
	/* Not all of libgpiod's free functions take NULL. */
	if (rc)
		gpiod_request_config_free(rc);
	if (lines)
		gpiod_line_config_free(lines);
	if (out)
		gpiod_line_settings_free(out);
	if (in)
		gpiod_line_settings_free(in);
	errno = e;
	return e ? -1 : 0;
}

static int gpiod2_open(struct gpio_source **out, const struct gpio_config *cfg, struct diag *err)
{
	struct gpio_source *s = calloc(1, sizeof(*s));
	struct gpiod_chip_info *info = NULL;
	char chip[64];
	unsigned nlines;

	if (!s)
		return diag_set(err, "buttons", 0, 0, "out of memory");
	s->line[GPIO_PLAY] = cfg->line[GPIO_PLAY];
	s->line[GPIO_NEXT] = cfg->line[GPIO_NEXT];
	s->led = cfg->led;
	s->chip = gpio_open_chip(cfg->chip, &chip_ops, err);
	if (!s->chip)
		goto err_free;
	info = gpiod_chip_get_info(s->chip);
	if (!info) {
		gpio_chip_error(err, cfg->chip, errno);
		goto err_free;
	}
	snprintf(chip, sizeof(chip), "%s", gpiod_chip_info_get_name(info));
	nlines = (unsigned)gpiod_chip_info_get_num_lines(info);
	gpiod_chip_info_free(info);
	for (int b = 0; b < GPIO_NBUTTONS; b++)
		if (s->line[b] >= nlines) {
			gpio_line_error(err, chip, s->line[b], ERANGE, NULL, nlines);
			goto err_free;
		}
	if (s->led >= 0 && (unsigned)s->led >= nlines) {
		gpio_line_error(err, chip, (unsigned)s->led, ERANGE, NULL, nlines);
		goto err_free;
	}
	if (request(s, cfg) < 0) {
		request_error(s, chip, errno, err);
		goto err_free;
	}
	s->buf = gpiod_edge_event_buffer_new(EVENTS);
	if (!s->buf) {
		diag_set(err, "buttons", 0, 0, "out of memory");
		goto err_free;
	}
	*out = s;
	return 0;

err_free:
	gpiod2_close(s);
	return -1;
}

static int gpiod2_fd(struct gpio_source *s)
{
	return gpiod_line_request_get_fd(s->req);
}

static int gpiod2_read(struct gpio_source *s, struct gpio_edge *out, size_t n)
{
	/* The request's fd blocks: read only what is pending. */
	int r = gpiod_line_request_wait_edge_events(s->req, 0);

	if (r <= 0)
		return r < 0 ? (errno == EINTR ? 0 : -errno) : 0;
	r = gpiod_line_request_read_edge_events(s->req, s->buf, n < EVENTS ? n : EVENTS);
	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	for (int i = 0; i < r; i++) {
		struct gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(s->buf, (unsigned long)i);

		out[i] = (struct gpio_edge){
			.button = gpiod_edge_event_get_line_offset(ev) == s->line[GPIO_PLAY] ? GPIO_PLAY
											      : GPIO_NEXT,
			.pressed = gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE,
			.ns = gpiod_edge_event_get_timestamp_ns(ev),
		};
	}
	return r;
}

static int gpiod2_set_led(struct gpio_source *s, bool on)
{
	if (s->led < 0)
		return 0;
	return gpiod_line_request_set_value(s->req, (unsigned)s->led,
					    on ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0
		       ? -errno : 0;
}

const struct gpio_backend gpio_backend_gpiod = {
	.name = "gpiod",
	.debounces = true,
	.open = gpiod2_open,
	.fd = gpiod2_fd,
	.read = gpiod2_read,
	.set_led = gpiod2_set_led,
	.close = gpiod2_close,
};

#endif

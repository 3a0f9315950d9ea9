/* The glue between a button source, the gesture decoder, the LED pattern and
 * the event loop.  Two loop timeouts at most: one at the decoder's next
 * deadline (a long press coming due, a bounce window ending), one at the
 * LED's next change; neither is armed when there is nothing to wait for. */
#include "buttons.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

#include "gpio.h"
#include "log.h"

#define EDGES 16
#define NS_PER_MS 1000000ull
/* An edge stamped later than now, or this long ago, has a timestamp from
 * another clock (kernels before 5.7 stamped v1 events with CLOCK_REALTIME):
 * it is taken as arriving now. */
#define STALE_NS (10000 * NS_PER_MS)

struct buttons {
	struct loop *loop;
	const struct gpio_backend *be;
	struct gpio_source *src;
	struct gesture_decoder *dec;
	buttons_fn *fn;
	void *ctx;
	char chip[80];           /* names the device when it goes away */
	int fd;                  /* watched in the loop, -1 when not */
	bool lost;
	bool has_led;
	int level;               /* the LED as last set: 0, 1, or -1 not yet */
	struct led led;
	int gesture_timer;       /* loop timeout ids, 0 when not armed */
	int led_timer;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Whole milliseconds from NOW to WHEN, rounded up so that the timeout never
 * fires before the deadline, and capped: a later wake-up simply re-arms. */
static unsigned ms_until(uint64_t when, uint64_t now)
{
	uint64_t ms;

	if (when <= now)
		return 0;
	ms = (when - now + NS_PER_MS - 1) / NS_PER_MS;
	return ms > 60000 ? 60000 : (unsigned)ms;
}

static void cancel(struct buttons *b, int *id)
{
	if (*id > 0)
		loop_cancel(b->loop, *id);
	*id = 0;
}

/* The device went away: say so once and stop everything. */
static void lose(struct buttons *b, int errnum)
{
	if (b->lost)
		return;
	b->lost = true;
	log_warn("buttons: %s went away (%s); the buttons and the LED are unavailable",
		 b->chip, strerror(errnum));
	if (b->fd >= 0)
		loop_remove(b->loop, b->fd);
	b->fd = -1;
	cancel(b, &b->gesture_timer);
	cancel(b, &b->led_timer);
	gesture_reset(b->dec);
	b->fn(b->ctx, GESTURE_NONE);
}

static void on_led_timer(void *ctx);

/* Sets the LED to its pattern's level now and waits for its next change. */
static void update_led(struct buttons *b)
{
	uint64_t now = now_ns(), next;
	int level;

	if (!b->has_led || b->lost)
		return;
	level = led_level(&b->led, now);
	if (level != b->level) {
		int rc = b->be->set_led(b->src, level);

		if (rc == -ENODEV) {
			lose(b, -rc);
			return;
		}
		b->level = rc < 0 ? -1 : level;   /* a failed write is retried next change */
	}
	cancel(b, &b->led_timer);
	next = led_next_change(&b->led, now);
	if (next != LED_NO_CHANGE) {
		b->led_timer = loop_timeout(b->loop, ms_until(next, now), on_led_timer, b);
		if (b->led_timer < 0)
			b->led_timer = 0;
	}
}

static void on_led_timer(void *ctx)
{
	struct buttons *b = ctx;

	b->led_timer = 0;
	update_led(b);
}

static void deliver(struct buttons *b, const struct gestures *g)
{
	if (g->flash && b->has_led) {
		led_flash(&b->led, now_ns());
		update_led(b);
	}
	for (unsigned i = 0; i < g->n && !b->lost; i++) {
		log_debug("buttons: %s", gesture_name(g->list[i]));
		b->fn(b->ctx, g->list[i]);
	}
}

static void on_gesture_timer(void *ctx);

static void arm_gesture(struct buttons *b)
{
	uint64_t due = gesture_deadline(b->dec), now = now_ns();

	cancel(b, &b->gesture_timer);
	if (b->lost || due == GESTURE_NO_DEADLINE)
		return;
	b->gesture_timer = loop_timeout(b->loop, ms_until(due, now), on_gesture_timer, b);
	if (b->gesture_timer < 0)
		b->gesture_timer = 0;
}

static void on_gesture_timer(void *ctx)
{
	struct buttons *b = ctx;
	struct gestures g;

	b->gesture_timer = 0;
	gesture_tick(b->dec, now_ns(), &g);
	deliver(b, &g);
	arm_gesture(b);
}

/* Sorts a batch by time: libgpiod 1.6 reads each line's queue in turn. */
static void sort_edges(struct gpio_edge *e, int n)
{
	for (int i = 1; i < n; i++) {
		struct gpio_edge x = e[i];
		int j = i;

		for (; j > 0 && e[j - 1].ns > x.ns; j--)
			e[j] = e[j - 1];
		e[j] = x;
	}
}

static void on_fd(void *ctx, int fd, uint32_t events)
{
	struct buttons *b = ctx;
	struct gpio_edge edges[EDGES];
	struct gestures g;
	int n;

	(void)fd;
	if (events & (EPOLLERR | EPOLLHUP)) {
		lose(b, ENODEV);
		return;
	}
	do {
		uint64_t now = now_ns();

		n = b->be->read(b->src, edges, EDGES);
		if (n < 0) {
			lose(b, -n);
			return;
		}
		sort_edges(edges, n);
		for (int i = 0; i < n && !b->lost; i++) {
			if (edges[i].ns > now || now - edges[i].ns > STALE_NS)
				edges[i].ns = now;
			gesture_edge(b->dec, &edges[i], &g);
			deliver(b, &g);
		}
	} while (n == EDGES && !b->lost);
	arm_gesture(b);
}

int buttons_open(struct buttons **out, struct loop *l, const struct config_buttons *cfg,
		 buttons_fn *on_gesture, void *ctx, struct diag *err)
{
	const struct gpio_backend *be = gpio_backend_for_chip(cfg->chip);
	struct gpio_config gc = {
		.chip = cfg->chip,
		.line = { (unsigned)cfg->play, (unsigned)cfg->next },
		.led = cfg->led,
		.active_low = cfg->active_low,
		.pull_up = cfg->pull_up,
		.debounce_ms = cfg->debounce_ms,
	};
	struct buttons *b;
	int rc;

	if (cfg->play < 0 || cfg->next < 0)
		return diag_set(err, "buttons", 0, 0, "play and next need a line number");
	b = calloc(1, sizeof(*b));
	if (!b)
		return diag_set(err, "buttons", 0, 0, "out of memory");
	*b = (struct buttons){
		.loop = l, .be = be, .fn = on_gesture, .ctx = ctx, .fd = -1,
		.has_led = cfg->led >= 0, .level = -1,
	};
	snprintf(b->chip, sizeof(b->chip), "%s", cfg->chip ? cfg->chip : "the 40-pin header's GPIO chip");
	b->dec = gesture_new(&(struct gesture_config){
		.debounce_ms = be->debounces ? 0 : cfg->debounce_ms,
		.long_press_ms = cfg->long_press_ms,
	});
	if (!b->dec) {
		free(b);
		return diag_set(err, "buttons", 0, 0, "out of memory");
	}
	if (be->open(&b->src, &gc, err) < 0)
		goto err_free;
	rc = loop_add(l, be->fd(b->src), EPOLLIN, on_fd, b);
	if (rc < 0) {
		diag_set(err, "buttons", 0, 0, "cannot watch %s: %s", b->chip, strerror(-rc));
		be->close(b->src);
		goto err_free;
	}
	b->fd = be->fd(b->src);
	led_init(&b->led, LED_IDLE, now_ns());
	update_led(b);
	*out = b;
	return 0;

err_free:
	gesture_free(b->dec);
	free(b);
	return -1;
}

void buttons_set_led(struct buttons *b, enum led_state state)
{
	if (!b || !b->has_led || b->lost)
		return;
	led_set(&b->led, state, now_ns());
	update_led(b);
}

bool buttons_available(const struct buttons *b)
{
	return b && !b->lost;
}

void buttons_close(struct buttons *b)
{
	if (!b)
		return;
	if (b->fd >= 0)
		loop_remove(b->loop, b->fd);
	cancel(b, &b->gesture_timer);
	cancel(b, &b->led_timer);
	if (b->has_led && !b->lost)
		b->be->set_led(b->src, false);
	b->be->close(b->src);
	gesture_free(b->dec);
	free(b);
}

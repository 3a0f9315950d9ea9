#include "button_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct button_watch {
	struct loop *loop;
	buttons_fn *on_gesture;
	void *ctx;
	const struct config_buttons *cfg;   /* NULL until configured */
	struct buttons *btn;                /* NULL when off or unavailable */
	const char *state;                  /* "off", "ok", "unavailable" */
	enum led_state led;
	int retry_id;                       /* the retry timeout, 0 when not armed */
	char error[512];                    /* why they are unavailable, logged once */
};

static void open_buttons(struct button_watch *w);

static void on_retry(void *ctx)
{
	struct button_watch *w = ctx;

	w->retry_id = 0;
	open_buttons(w);
}

static void cancel_retry(struct button_watch *w)
{
	if (w->retry_id)
		loop_cancel(w->loop, w->retry_id);
	w->retry_id = 0;
}

/* Buttons that cannot be opened are tried again this often: a few seconds of
 * a boot race lost, no wake-ups to speak of while none are wired. */
static void retry(struct button_watch *w)
{
	cancel_retry(w);
	w->retry_id = loop_timeout(w->loop, BUTTON_WATCH_RETRY_MS, on_retry, w);
	if (w->retry_id < 0)
		w->retry_id = 0;
}

static void on_gesture(void *ctx, enum gesture g)
{
	struct button_watch *w = ctx;

	if (g == GESTURE_NONE) {
		/* The device went away: reopened from a timer, not from here. */
		retry(w);
		return;
	}
	w->on_gesture(w->ctx, g);
}

static void open_buttons(struct button_watch *w)
{
	struct diag err;

	cancel_retry(w);
	buttons_close(w->btn);
	w->btn = NULL;
	w->state = "off";
	if (!w->cfg || !w->cfg->enabled) {
		w->error[0] = '\0';
		return;
	}
	/* Without buttons the socket, terminal and schedule still work. */
	if (buttons_open(&w->btn, w->loop, w->cfg, on_gesture, w, &err) < 0) {
		if (strcmp(err.text, w->error)) {
			log_error("%s", err.text);
			log_warn("buttons: unavailable, tried again every %d s; coachctl, the terminal "
				 "and the schedule still work", BUTTON_WATCH_RETRY_MS / 1000);
			snprintf(w->error, sizeof(w->error), "%s", err.text);
		}
		w->state = "unavailable";
		retry(w);
		return;
	}
	log_info("buttons: Play on GPIO%d, Next on GPIO%d", w->cfg->play, w->cfg->next);
	w->state = "ok";
	w->error[0] = '\0';
	buttons_set_led(w->btn, w->led);
}

void button_watch_configure(struct button_watch *w, const struct config_buttons *cfg,
			    bool changed)
{
	bool first = !w->cfg;

	w->cfg = cfg;
	if (!first) {
		if (!changed && buttons_available(w->btn) == cfg->enabled)
			return;
		log_info("buttons: %s", changed ? "opening them with the new settings"
						: "opening them again");
		w->error[0] = '\0';   /* what this reload gives is logged */
	}
	open_buttons(w);
}

const char *button_watch_state(const struct button_watch *w)
{
	return w->btn && !buttons_available(w->btn) ? "unavailable" : w->state;
}

void button_watch_set_led(struct button_watch *w, enum led_state state)
{
	w->led = state;
	buttons_set_led(w->btn, state);
}

struct button_watch *button_watch_new(struct loop *l, buttons_fn *fn, void *ctx)
{
	struct button_watch *w = calloc(1, sizeof(*w));

	if (w)
		*w = (struct button_watch){ .loop = l, .on_gesture = fn, .ctx = ctx, .state = "off",
					    .led = LED_IDLE };
	return w;
}

void button_watch_free(struct button_watch *w)
{
	if (!w)
		return;
	cancel_retry(w);
	buttons_close(w->btn);
	free(w);
}

/* The gesture decoder (the table is in gesture.h).  Each line keeps two
 * levels: the accepted one, which gestures are made of, and the raw one, the
 * last edge seen, bounces included.  An edge that changes an unlocked line is
 * accepted at once, so a press shows without delay, and locks the line for
 * debounce_ms; each bounce pushes the lock to debounce_ms after it.  When the
 * lock ends with the raw level different, that level is accepted then.
 * Everything that happens at a time (a lock ending, a long press coming due)
 * is a deadline, handled in time order before each edge. */
#include "gesture.h"

#include <stdlib.h>

#define NS_PER_MS 1000000ull

struct line_state {
	bool down;               /* accepted level */
	bool raw;                /* last level seen */
	uint64_t raw_at;         /* when RAW was seen */
	uint64_t since;          /* when the accepted level began (its raw edge) */
	uint64_t open_at;        /* edges before this are bounce */
};

struct gesture_decoder {
	uint64_t debounce_ns, long_ns;
	uint64_t now;            /* the latest time seen: time never goes back */
	struct line_state line[GPIO_NBUTTONS];
	int active;              /* the button being pressed alone, -1 for none */
	bool long_fired;         /* the active button's long press has fired */
	bool chord;              /* both went down: nothing until both are up */
	bool chord_clean;        /* ...before any long press fired: BOTH when they are */
	uint64_t chord_since;    /* when both were last down together (the second's edge) */
};

enum due { DUE_NONE, DUE_SETTLE, DUE_LONG, DUE_CHORD_LONG };

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

struct gesture_decoder *gesture_new(const struct gesture_config *cfg)
{
	struct gesture_decoder *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->debounce_ns = cfg->debounce_ms * NS_PER_MS;
	d->long_ns = cfg->long_press_ms * NS_PER_MS;
	gesture_reset(d);
	return d;
}

void gesture_free(struct gesture_decoder *d)
{
	free(d);
}

void gesture_reset(struct gesture_decoder *d)
{
	for (int i = 0; i < GPIO_NBUTTONS; i++)
		d->line[i] = (struct line_state){ 0 };
	d->active = -1;
	d->long_fired = false;
	d->chord = false;
}

static void push(struct gestures *out, enum gesture g)
{
	if (out->n < GESTURE_MAX_OUT)
		out->list[out->n++] = g;
}

/* The earliest deadline, what it is and on which line. */
static uint64_t next_due(const struct gesture_decoder *d, enum due *what, int *which)
{
	uint64_t first = GESTURE_NO_DEADLINE;

	*what = DUE_NONE;
	for (int i = 0; i < GPIO_NBUTTONS; i++) {
		const struct line_state *l = &d->line[i];

		if (l->raw != l->down && l->open_at < first) {
			first = l->open_at;
			*what = DUE_SETTLE;
			*which = i;
		}
	}
	/* Both held, cleanly, for twice a long press: "this hurts".  Twice, so
	 * that a slow "where am I" is never taken for it. */
	if (d->chord && d->chord_clean && d->line[GPIO_PLAY].down && d->line[GPIO_NEXT].down) {
		uint64_t t = add_sat(d->chord_since, add_sat(d->long_ns, d->long_ns));

		if (t < first) {
			first = t;
			*what = DUE_CHORD_LONG;
			*which = 0;
		}
	}
	if (d->active >= 0 && !d->long_fired && !d->chord) {
		uint64_t t = add_sat(d->line[d->active].since, d->long_ns);

		if (t < first) {
			first = t;
			*what = DUE_LONG;
			*which = d->active;
		}
	}
	return first;
}

static bool any_down(const struct gesture_decoder *d)
{
	for (int i = 0; i < GPIO_NBUTTONS; i++)
		if (d->line[i].down)
			return true;
	return false;
}

/* Line I takes level DOWN at time T, for an edge seen at time EDGE. */
static void accept(struct gesture_decoder *d, int i, bool down, uint64_t t, uint64_t edge,
		   struct gestures *out)
{
	uint64_t began = d->line[i].since;

	d->line[i].down = down;
	d->line[i].since = edge;
	d->line[i].open_at = add_sat(t, d->debounce_ns);
	if (down) {
		if (d->chord) {
			d->chord_since = edge;   /* both down again: the hold starts afresh */
			return;
		}
		if (d->active >= 0) {
			/* The other button is down: cancel, whatever it was doing. */
			d->chord = true;
			d->chord_clean = !d->long_fired;
			d->chord_since = edge;
			return;
		}
		d->active = i;
		d->long_fired = false;
		out->flash = true;
		return;
	}
	if (d->chord) {
		if (!any_down(d)) {
			if (d->chord_clean)
				push(out, GESTURE_BOTH);
			d->chord = false;
			d->active = -1;
		}
		return;
	}
	if (i == d->active) {
		/* Shorter than debounce_ms: a glitch, as the kernel's debounce
		 * (libgpiod 2.x) would have dropped it, not a finger. */
		if (!d->long_fired && edge >= add_sat(began, d->debounce_ns))
			push(out, i == GPIO_PLAY ? GESTURE_PLAY_SHORT : GESTURE_NEXT_SHORT);
		d->active = -1;
	}
}

/* Handles every deadline up to T, in time order. */
static void advance(struct gesture_decoder *d, uint64_t t, struct gestures *out)
{
	enum due what;
	int which = 0;
	uint64_t due;

	while ((due = next_due(d, &what, &which)) <= t && what != DUE_NONE) {
		if (what == DUE_SETTLE) {
			accept(d, which, d->line[which].raw, due, d->line[which].raw_at, out);
		} else if (what == DUE_CHORD_LONG) {
			/* Fired while held: nothing more until both are up. */
			d->chord_clean = false;
			out->flash = true;
			push(out, GESTURE_BOTH_LONG);
		} else {
			d->long_fired = true;
			out->flash = true;
			push(out, which == GPIO_PLAY ? GESTURE_PLAY_LONG : GESTURE_NEXT_LONG);
		}
	}
	if (t > d->now)
		d->now = t;
}

void gesture_edge(struct gesture_decoder *d, const struct gpio_edge *e, struct gestures *out)
{
	struct line_state *l;
	uint64_t t = e->ns > d->now ? e->ns : d->now;

	*out = (struct gestures){ .n = 0 };
	if ((unsigned)e->button >= GPIO_NBUTTONS)
		return;
	advance(d, t, out);
	l = &d->line[e->button];
	l->raw = e->pressed;
	l->raw_at = t;
	if (t < l->open_at) {
		/* Bounce: the lock lasts until the line has been quiet for
		 * debounce_ms, and the level it leaves is taken then. */
		l->open_at = add_sat(t, d->debounce_ns);
		return;
	}
	if (e->pressed != l->down)
		accept(d, (int)e->button, e->pressed, t, t, out);
}

void gesture_tick(struct gesture_decoder *d, uint64_t now_ns, struct gestures *out)
{
	*out = (struct gestures){ .n = 0 };
	advance(d, now_ns > d->now ? now_ns : d->now, out);
}

uint64_t gesture_deadline(const struct gesture_decoder *d)
{
	enum due what;
	int which;

	return next_due(d, &what, &which);
}

const char *gesture_name(enum gesture g)
{
	switch (g) {
	case GESTURE_PLAY_SHORT: return "play";
	case GESTURE_PLAY_LONG: return "play-long";
	case GESTURE_NEXT_SHORT: return "next";
	case GESTURE_NEXT_LONG: return "next-long";
	case GESTURE_BOTH: return "both";
	case GESTURE_BOTH_LONG: return "both-long";
	default: return "none";
	}
}

/* LED patterns (see led.h): blinks are square waves whose phase starts when
 * the state is set; a flash shows the opposite of the level at its start. */
#include "led.h"

#define NS_PER_MS 1000000ull

/* Half a period: 500 ms at 1 Hz, 125 ms at 4 Hz; 0 for a steady state. */
static uint64_t half_period(enum led_state s)
{
	return s == LED_PAUSED ? 500 * NS_PER_MS : s == LED_ERROR ? 125 * NS_PER_MS : 0;
}

static bool base_level(const struct led *l, uint64_t now)
{
	uint64_t half = half_period(l->state);

	if (!half)
		return l->state == LED_RUNNING;
	/* A time before the state was set is taken as its start: lit. */
	return now < l->since || ((now - l->since) / half) % 2 == 0;
}

void led_init(struct led *l, enum led_state state, uint64_t now_ns)
{
	*l = (struct led){ .state = state, .since = now_ns };
}

void led_set(struct led *l, enum led_state state, uint64_t now_ns)
{
	if (state == l->state)
		return;
	l->state = state;
	l->since = now_ns;
}

void led_flash(struct led *l, uint64_t now_ns)
{
	/* A flash during a flash extends it rather than flipping back. */
	if (now_ns >= l->flash_until)
		l->flash_level = !base_level(l, now_ns);
	l->flash_until = now_ns + LED_FLASH_MS * NS_PER_MS;
}

bool led_level(const struct led *l, uint64_t now_ns)
{
	return now_ns < l->flash_until ? l->flash_level : base_level(l, now_ns);
}

uint64_t led_next_change(const struct led *l, uint64_t now_ns)
{
	uint64_t half = half_period(l->state);

	if (now_ns < l->flash_until)
		return l->flash_until;
	if (!half)
		return LED_NO_CHANGE;
	if (now_ns < l->since)
		return l->since + half;
	return l->since + ((now_ns - l->since) / half + 1) * half;
}

const char *led_state_name(enum led_state s)
{
	switch (s) {
	case LED_IDLE: return "idle";
	case LED_RUNNING: return "running";
	case LED_PAUSED: return "paused";
	case LED_ERROR: return "error";
	default: return "?";
	}
}

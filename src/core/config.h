/* coach.yaml: what the user sets.  Parsing is pure (text in, struct out or
 * one located error); every value is range-checked and the message names the
 * range and the default. */
#ifndef COACH_CONFIG_H
#define COACH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "schedule.h"
#include "checkin.h"
#include "streak.h"

/* A snoozed reminder sounds again after 5 minutes to 2 hours, 10 by default:
 * said in whole minutes ("again in 10 minutes"). */
#define CONFIG_SNOOZE_MIN_MS     (5 * 60 * 1000)
#define CONFIG_SNOOZE_MAX_MS     (120 * 60 * 1000)
#define CONFIG_SNOOZE_DEFAULT_MS (10 * 60 * 1000)

/* Bytes in coach.yaml: the shipped one, every key documented, is 2 KiB. */
#define CONFIG_MAX_SIZE (64 * 1024)

struct config_buttons {
	bool enabled;            /* false: no GPIO at all (default true) */
	char *chip;              /* name ("gpiochip0"), path ("/dev/gpiochip4") or label;
	                            NULL: find the chip of the Pi's 40-pin header by label */
	int play;                /* line offset (BCM number) of Play, default 17 */
	int next;                /* line offset of Next, default 27 */
	int led;                 /* line offset of the LED, or -1 for none (default) */
	bool active_low;         /* pressed pulls the line to ground (default true) */
	bool pull_up;            /* enable the internal pull-up (default true) */
	unsigned debounce_ms;    /* default 30, 0..500 */
	unsigned long_press_ms;  /* default 1000, 300..5000 */
};

struct config {
	char *routine;           /* file name in the routines folder, or a path (default "morning-back.yaml") */
	char *voice;             /* voice profile when the routine names none (default "en") */
	int style;               /* enum plan_style: both (default), tones, voice */
	char *device;            /* PortAudio device name or part of one (default "default") */
	unsigned rate;           /* output sample rate, 8000..192000 (default 48000) */
	unsigned latency_ms;     /* output latency, 5..500 (default 40) */
	unsigned volume;         /* percent, 0..100 (default 80) */
	unsigned tones;          /* the tones' loudness, 1..100 percent of their own level (default 100) */
	unsigned gentle_ms;      /* each session starts quieter and rises over this (default 6s; 0 off) */
	bool quiet;              /* quiet hours set */
	unsigned quiet_from, quiet_to;  /* minutes after local midnight; may wrap past midnight */
	unsigned quiet_volume;   /* percent during quiet hours */
	unsigned voice_line, voice_column;  /* where voice is set (0: not set) */
	struct config_buttons buttons;
	struct schedule_entry *schedule;
	size_t nschedule;
	struct streak_grace streak;  /* missed days a streak survives (default 1 per week) */
	unsigned snooze_ms;      /* a snoozed reminder sounds again after this (default 10 min) */
	enum checkin_mode checkin;   /* the check-in after a session (default off) */
};

/* The volume (percent) for a session starting at local time HOUR:MINUTE: the
 * quiet-hours volume inside them, else the volume. */
unsigned config_volume_at(const struct config *c, unsigned hour, unsigned minute);

/* Fills C with the defaults (what an empty file gives). */
void config_defaults(struct config *c);

/* Parses coach.yaml from TEXT of LEN bytes; PATH names it in messages.
 * Returns 0, or -1 with ERR filled and C left with the defaults. */
int config_parse(const char *path, const char *text, size_t len, struct config *c,
		 struct diag *err);

/* Reads and parses PATH.  Returns 0, or -1 with ERR filled (a missing file
 * included). */
int config_load(const char *path, struct config *c, struct diag *err);

void config_free(struct config *c);

/* True when A and B open the same buttons the same way. */
bool config_buttons_equal(const struct config_buttons *a, const struct config_buttons *b);

#endif

/* The session's position in words: the line `coachctl status` prints and the
 * text systemd shows.  Pure: plan, routine and a snapshot in, text out. */
#ifndef COACH_STATUS_H
#define COACH_STATUS_H

#include <stddef.h>

#include "plan.h"
#include "routine.h"
#include "session.h"
#include "voice.h"

struct status_input {
	const struct plan *plan;        /* NULL while nothing is loaded */
	const struct routine *routine;
	enum session_state state;
	uint64_t pos;
	const char *audio;              /* "ok", "lost" */
	const char *buttons;            /* "ok", "unavailable", "off" */
	unsigned latency_us;            /* the last control: arrival to its first frame (0: none yet) */
	unsigned xruns;                 /* audio glitches in the session in progress, or the last one */
};

/* "running step=3/12 name="Hip flexor stretch" side=left rep=- remaining=17.4
 * session_remaining=612.0 phase=hold routine="..." audio=ok buttons=off latency_ms=1.2
 * xruns=0";
 * fields that do
 * not apply are "-".  Returns BUF. */
char *status_line(const struct status_input *in, char *buf, size_t size);

/* What the coach says when asked where you are, in voice V: "Step 4 of 12:
 * Hip flexor stretch. 8 minutes to go."  Empty outside a session.  Returns BUF. */
char *status_progress_speech(const struct status_input *in, const struct voice *v,
			     char *buf, size_t size);

/* "Step 3/12: Hip flexor stretch, left side" or "Idle", for systemd. */
char *status_summary(const struct status_input *in, char *buf, size_t size);

/* The terminal mode's line: the summary, a bar of the phase's progress, the
 * seconds left in it and its kind ("Step 3/12: Bridge [#####-----] 12 s
 * hold"); outside a session what the keys do.  Returns BUF. */
char *status_progress_line(const struct status_input *in, char *buf, size_t size);

#endif

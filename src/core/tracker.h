/* Notices sessions starting and ending from the player's snapshots, and says
 * how each went: for the history and the streak.  Pure: snapshots and the
 * clock in, a finished record out.
 *
 * Each step's outcome: hurt when "this hurts" was asked during it; skipped
 * when a Next jumped over (part of) one of its holds (a Next that only cuts
 * the talk before the holds skips nothing); else done once the session has
 * gone past it (or finished); else not reached. */
#ifndef COACH_TRACKER_H
#define COACH_TRACKER_H

#include <stdbool.h>
#include <time.h>

#include "history_entry.h"
#include "plan.h"
#include "session.h"

struct tracker {
	bool active;            /* a session is being followed */
	unsigned session;       /* its number (player_status.sessions) */
	unsigned seen;          /* the last session number sampled */
	bool primed;            /* seen holds a sample */
	time_t started;
	double running_s;       /* seconds spent running, pauses excluded */
	double last_sample;     /* monotonic seconds of the last sample */
	bool was_running;
	unsigned step;          /* the furthest step reached (index) */
	unsigned char mark[HISTORY_MAX_STEPS];  /* STEP_SKIPPED, STEP_HURT, or 0 */
};

/* How a session went, when it has ended. */
struct tracker_record {
	time_t started;
	bool finished;          /* reached the end (else stopped, or replaced) */
	unsigned seconds;
	unsigned steps_done;
	unsigned steps_total;
	int xruns;              /* audio glitches heard: the daemon fills it from the player */
	unsigned noutcomes;     /* steps_total, or 0 past HISTORY_MAX_STEPS */
	unsigned char outcome[HISTORY_MAX_STEPS];   /* enum step_outcome, per step */
};

/* Takes a snapshot: STATE, the plan position POS and the session number
 * SESSIONS at monotonic time NOW_S (wall clock WALL).  Returns true and fills
 * *OUT when the followed session has just ended. */
bool tracker_sample(struct tracker *t, const struct plan *p, size_t nsteps,
		    enum session_state state, uint64_t pos, unsigned sessions,
		    double now_s, time_t wall, struct tracker_record *out);

/* Ends the followed session now, at monotonic NOW_S, as stopped: the daemon
 * is shutting down mid-session (systemctl stop, a shutdown, an upgrade) and
 * the morning's work is still worth a line.  Returns true and fills *OUT
 * when a session was being followed. */
/* Control C is being sent to the followed session at plan position POS:
 * SESSION_HURT marks the step there as hurt, SESSION_NEXT as skipped when it
 * jumps over one of its holds.  Other controls, or no session, change nothing. */
void tracker_control(struct tracker *t, const struct plan *p, uint64_t pos,
		     enum session_control c);

bool tracker_end(struct tracker *t, size_t nsteps, double now_s, struct tracker_record *out);

#endif

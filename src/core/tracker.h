/* Notices sessions starting and ending from the player's snapshots, and says
 * how each went: for the history and the streak.  Pure: snapshots and the
 * clock in, a finished record out. */
#ifndef COACH_TRACKER_H
#define COACH_TRACKER_H

#include <stdbool.h>
#include <time.h>

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
};

/* How a session went, when it has ended. */
struct tracker_record {
	time_t started;
	bool finished;          /* reached the end (else stopped, or replaced) */
	unsigned seconds;
	unsigned steps_done;
	unsigned steps_total;
	int xruns;              /* audio glitches heard: the daemon fills it from the player */
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
bool tracker_end(struct tracker *t, size_t nsteps, double now_s, struct tracker_record *out);

#endif

#include "tracker.h"

static void begin(struct tracker *t, unsigned sessions, double now_s, time_t wall)
{
	*t = (struct tracker){ .active = true, .session = sessions, .seen = sessions,
			       .primed = true, .started = wall, .last_sample = now_s };
}

bool tracker_sample(struct tracker *t, const struct plan *p, size_t nsteps,
		    enum session_state state, uint64_t pos, unsigned sessions,
		    double now_s, time_t wall, struct tracker_record *out)
{
	bool in_session = state == SESSION_RUNNING || state == SESSION_PAUSED;
	bool ended = false;

	if (!t->primed) {
		t->primed = true;
		t->seen = sessions;
	}

	/* A session not seen before begins here, even when it has ended by now
	 * (a play and a stop within one tick): it is then recorded at once, as
	 * stopped. */
	if (!t->active && sessions != t->seen)
		begin(t, sessions, now_s, wall);
	if (t->active) {
		if (t->was_running)
			t->running_s += now_s - t->last_sample;
		t->last_sample = now_s;
		/* Ended: it finished or stopped, or another one started since. */
		if (sessions != t->session || !in_session) {
			bool finished = sessions == t->session && state == SESSION_FINISHED;

			*out = (struct tracker_record){
				.started = t->started,
				.finished = finished,
				.seconds = (unsigned)(t->running_s + 0.5),
				.steps_done = finished ? (unsigned)nsteps : t->step,
				.steps_total = (unsigned)nsteps,
			};
			t->active = false;
			ended = true;
		}
	}
	t->seen = sessions;
	if (!t->active && in_session)
		begin(t, sessions, now_s, wall);
	if (t->active && p && p->nphases) {
		unsigned step = p->phases[plan_phase_at(p, pos)].step;

		/* Steps before the one in progress are done. */
		if (step > t->step)
			t->step = step;
		t->was_running = state == SESSION_RUNNING;
	}
	return ended;
}

bool tracker_end(struct tracker *t, size_t nsteps, double now_s, struct tracker_record *out)
{
	if (!t->active)
		return false;
	if (t->was_running)
		t->running_s += now_s - t->last_sample;
	*out = (struct tracker_record){
		.started = t->started,
		.finished = false,
		.seconds = (unsigned)(t->running_s + 0.5),
		.steps_done = t->step,
		.steps_total = (unsigned)nsteps,
	};
	t->active = false;
	return true;
}

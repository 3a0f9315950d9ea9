#include "tracker.h"

static void begin(struct tracker *t, unsigned sessions, double now_s, time_t wall)
{
	*t = (struct tracker){ .active = true, .session = sessions, .seen = sessions,
			       .primed = true, .started = wall, .last_sample = now_s };
}

/* Fills R's outcomes from the marks and the steps done. */
static void outcomes(const struct tracker *t, struct tracker_record *r)
{
	if (r->steps_total > HISTORY_MAX_STEPS)
		return;
	r->noutcomes = r->steps_total;
	for (unsigned i = 0; i < r->steps_total; i++)
		r->outcome[i] = t->mark[i] ? t->mark[i] :
				i < r->steps_done ? STEP_DONE : STEP_NOT_REACHED;
}

/* True when a Next at POS jumps over (part of) a hold: a step skipped, not
 * only its talk.  Fills *STEP with the hold's step. */
static bool skips_hold(const struct plan *p, uint64_t pos, unsigned *step)
{
	size_t to;
	uint64_t target = plan_next_target(p, pos, &to);

	for (size_t j = plan_phase_at(p, pos); j < p->nphases && p->phases[j].start < target; j++) {
		const struct plan_phase *ph = &p->phases[j];

		if (ph->kind == PHASE_HOLD && ph->start + ph->length > pos) {
			*step = ph->step;
			return true;
		}
	}
	return false;
}

void tracker_control(struct tracker *t, const struct plan *p, uint64_t pos,
		     enum session_control c)
{
	const struct plan_phase *ph;
	unsigned step;

	if (!t->active || !p || !p->nphases)
		return;
	ph = &p->phases[plan_phase_at(p, pos)];
	if (c == SESSION_HURT && ph->kind != PHASE_FINISH && ph->step < HISTORY_MAX_STEPS)
		t->mark[ph->step] = STEP_HURT;
	else if (c == SESSION_NEXT && skips_hold(p, pos, &step) && step < HISTORY_MAX_STEPS &&
		 t->mark[step] != STEP_HURT)
		t->mark[step] = STEP_SKIPPED;
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
			outcomes(t, out);
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
	outcomes(t, out);
	t->active = false;
	return true;
}

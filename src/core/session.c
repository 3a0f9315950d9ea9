/* The session state machine.
 *
 * Time only moves while running: `pos` is the plan frame, and every output
 * frame either advances it or is absorbed by `hold` (an acknowledgement being
 * spoken) or by a pause.  So pausing keeps a hold's remaining time to the
 * frame, and a rendered session is the live one without the controls. */
#include "session.h"

#include <stdint.h>

static void push(struct session_actions *out, enum session_action_kind kind,
		 uint32_t offset, int index)
{
	if (out->n < SESSION_MAX_ACTIONS)
		out->act[out->n++] = (struct session_action){ kind, offset, index };
}

static uint64_t gap_frames(const struct session *s)
{
	return (uint64_t)PLAN_GAP_AFTER_SPEECH_MS * s->plan->rate / 1000;
}

/* End of the first wait phase that ends after FRAME. */
static uint64_t find_wait_end(const struct session *s, uint64_t frame)
{
	const struct plan *p = s->plan;

	for (size_t i = plan_phase_at(p, frame); i < p->nphases; i++) {
		const struct plan_phase *ph = &p->phases[i];

		if (ph->kind == PHASE_WAIT && ph->start + ph->length > frame)
			return ph->start + ph->length;
	}
	return UINT64_MAX;
}

/* Moves the plan to FRAME: cues before it will not start. */
static void seek(struct session *s, uint64_t frame)
{
	s->pos = frame;
	s->next_cue = plan_cue_from(s->plan, frame);
	s->wait_end = s->skip_waits ? UINT64_MAX : find_wait_end(s, frame);
}

/* Speaks acknowledgement TEXT; returns the frames the plan must hold still
 * for it (its length and a gap), 0 when there is nothing to say. */
static uint64_t acknowledge(struct session *s, int text, struct session_actions *out)
{
	if (text < 0 || s->plan->text_frames[text] == 0)
		return 0;
	push(out, SESSION_ACT_SAY, 0, text);
	return s->plan->text_frames[text] + gap_frames(s);
}

/* Where a session paused at POS resumes: a sentence cut by the pause is said
 * again from its start, unless it was inside a hold, whose time is kept.
 * Speech overlaps nothing, so only the last cue started can be a sentence
 * still sounding. */
static uint64_t resume_point(const struct session *s)
{
	const struct plan *p = s->plan;
	const struct plan_cue *q;

	if (s->next_cue == 0)
		return s->pos;
	q = &p->cues[s->next_cue - 1];
	if (q->text >= 0 && q->at + q->length > s->pos && p->phases[q->phase].kind != PHASE_HOLD)
		return q->at;
	return s->pos;
}

void session_init(struct session *s, const struct plan *p, bool skip_waits)
{
	*s = (struct session){ .plan = p, .skip_waits = skip_waits };
	seek(s, 0);
}

static void start(struct session *s)
{
	s->state = SESSION_RUNNING;
	s->hold = 0;
	s->at_wait = false;
	s->sessions++;
	seek(s, 0);
}

static void pause(struct session *s, struct session_actions *out)
{
	/* A pause during an acknowledgement keeps the point it was going to. */
	if (s->hold == 0)
		seek(s, resume_point(s));
	s->hold = 0;
	s->state = SESSION_PAUSED;
	push(out, SESSION_ACT_FADE, 0, 0);
	acknowledge(s, s->plan->ack.paused, out);
}

static void resume(struct session *s, struct session_actions *out)
{
	s->state = SESSION_RUNNING;
	push(out, SESSION_ACT_FADE, 0, 0);
	if (s->at_wait) {
		/* Play after "press play when you are ready" needs no "Resuming". */
		s->at_wait = false;
		seek(s, s->pos);
		return;
	}
	s->hold = acknowledge(s, s->plan->ack.resuming, out);
}

static void next(struct session *s, struct session_actions *out)
{
	const struct plan *p = s->plan;
	size_t from = plan_phase_at(p, s->pos), to;
	uint64_t target = plan_next_target(p, s->pos, &to);

	push(out, SESSION_ACT_FADE, 0, 0);
	s->state = SESSION_RUNNING;
	s->at_wait = false;
	s->hold = 0;
	seek(s, target);
	if (target >= p->total) {
		s->state = SESSION_FINISHED;
		return;
	}
	if (p->phases[to].kind == PHASE_ANNOUNCE && p->phases[to].step != p->phases[from].step)
		s->hold = acknowledge(s, p->ack.next[p->phases[to].step], out);
}

/* "This hurts": the step ends now, sides and reps left included, and the
 * next step is announced in full ("Next up: NAME." and how to get into
 * position) after the calm acknowledgement.  Nothing to leave in the finish. */
static bool hurt(struct session *s, struct session_actions *out)
{
	const struct plan *p = s->plan;
	size_t to;
	uint64_t target;

	if (p->phases[plan_phase_at(p, s->pos)].kind == PHASE_FINISH)
		return false;
	target = plan_next_step(p, s->pos, &to);
	push(out, SESSION_ACT_FADE, 0, 0);
	s->state = SESSION_RUNNING;
	s->at_wait = false;
	seek(s, target);
	if (target >= p->total) {
		s->hold = 0;
		s->state = SESSION_FINISHED;
		return true;
	}
	/* The end tone of the hold cut short may share the target's first frame. */
	while (s->next_cue < p->ncues && p->cues[s->next_cue].at == target &&
	       p->cues[s->next_cue].phase != to)
		s->next_cue++;
	s->hold = acknowledge(s, p->ack.hurt, out);
	return true;
}

bool session_control(struct session *s, enum session_control c, struct session_actions *out)
{
	const struct plan *p = s->plan;
	bool idle = s->state == SESSION_IDLE || s->state == SESSION_FINISHED;

	out->n = 0;
	switch (c) {
	case SESSION_PLAY:
		if (idle) {
			start(s);
		} else if (s->state == SESSION_PAUSED) {
			resume(s, out);
		} else if (p->phases[plan_phase_at(p, s->pos)].kind == PHASE_WAIT) {
			/* Play while "press play when ready" is spoken: ready now. */
			const struct plan_phase *w = &p->phases[plan_phase_at(p, s->pos)];

			push(out, SESSION_ACT_FADE, 0, 0);
			s->hold = 0;
			seek(s, w->start + w->length);
		} else {
			pause(s, out);
		}
		return true;
	case SESSION_PAUSE:
		if (s->state != SESSION_RUNNING)
			return false;
		pause(s, out);
		return true;
	case SESSION_RESUME:
		if (s->state != SESSION_PAUSED)
			return false;
		resume(s, out);
		return true;
	case SESSION_NEXT:
		if (idle)
			return false;
		next(s, out);
		return true;
	case SESSION_HURT:
		return !idle && hurt(s, out);
	case SESSION_STOP:
		if (idle)
			return false;
		push(out, SESSION_ACT_FADE, 0, 0);
		acknowledge(s, p->ack.stopped, out);
		s->state = SESSION_IDLE;
		s->hold = 0;
		s->at_wait = false;
		seek(s, 0);
		return true;
	}
	return false;
}

uint32_t session_advance(struct session *s, uint32_t n, struct session_actions *out)
{
	const struct plan *p = s->plan;
	uint32_t done = 0;

	out->n = 0;
	while (done < n && s->state == SESSION_RUNNING) {
		uint64_t end;

		if (s->hold > 0) {
			uint64_t k = s->hold < n - done ? s->hold : n - done;

			s->hold -= k;
			done += (uint32_t)k;
			continue;
		}
		end = s->pos + (n - done);
		if (end > p->total)
			end = p->total;
		if (end > s->wait_end)
			end = s->wait_end;
		for (; s->next_cue < p->ncues && p->cues[s->next_cue].at < end; s->next_cue++) {
			const struct plan_cue *q = &p->cues[s->next_cue];

			if (out->n == SESSION_MAX_ACTIONS) {
				end = q->at;
				n = done + (uint32_t)(end - s->pos);
				break;
			}
			push(out, SESSION_ACT_CUE, done + (uint32_t)(q->at - s->pos), (int)s->next_cue);
		}
		done += (uint32_t)(end - s->pos);
		s->pos = end;
		if (s->pos >= p->total) {
			s->state = SESSION_FINISHED;
		} else if (s->pos == s->wait_end) {
			s->state = SESSION_PAUSED;
			s->at_wait = true;
		}
	}
	return n;
}

const char *session_state_name(enum session_state st)
{
	static const char *const names[] = { "idle", "running", "paused", "finished" };

	return (unsigned)st < 4 ? names[st] : "?";
}

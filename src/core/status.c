#include "status.h"

#include <stdio.h>
#include <string.h>

/* Copies S into BUF inside double quotes, escaping quotes and backslashes. */
static void quoted(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	if (size < 3) {
		if (size)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '"';
	for (; *s && o + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			buf[o++] = '\\';
		buf[o++] = (char)((unsigned char)*s < 0x20 ? ' ' : *s);
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

/* The rep in progress as "N/TOTAL", or "-". */
static void rep_text(const struct status_input *in, const struct plan_phase *ph,
		     char *buf, size_t size)
{
	const struct step *s = &in->routine->steps[ph->step];

	if (ph->rep > 0) {
		snprintf(buf, size, "%u/%u", ph->rep, s->reps);
	} else if (ph->kind == PHASE_HOLD && s->time_ms == 0 && s->reps > 1) {
		/* Paced reps: one hold, the rep follows from the time. */
		uint64_t pace = (uint64_t)s->pace_ms * in->plan->rate / 1000;
		uint64_t n = pace ? (in->pos - ph->start) / pace + 1 : 1;

		snprintf(buf, size, "%u/%u", (unsigned)(n > s->reps ? s->reps : n), s->reps);
	} else {
		snprintf(buf, size, "-");
	}
}

static bool in_session(const struct status_input *in)
{
	return in->plan && in->plan->nphases &&
	       (in->state == SESSION_RUNNING || in->state == SESSION_PAUSED);
}

char *status_line(const struct status_input *in, char *buf, size_t size)
{
	char name[160] = "-", routine[160] = "-", rep[32] = "-", rem[32] = "-", total[32] = "-";
	char step[32] = "-", latency[32] = "-";
	const char *side = "-", *phase = "-";

	if (in->routine)
		quoted(in->routine->name, routine, sizeof(routine));
	if (in_session(in)) {
		const struct plan *p = in->plan;
		const struct plan_phase *ph = &p->phases[plan_phase_at(p, in->pos)];
		uint64_t end = ph->start + ph->length;

		snprintf(step, sizeof(step), "%u/%zu", ph->step + 1, in->routine->nsteps);
		phase = phase_kind_name(ph->kind);
		quoted(in->routine->steps[ph->step].name, name, sizeof(name));
		if (ph->side != SIDE_NONE)
			side = side_name(ph->side);
		rep_text(in, ph, rep, sizeof(rep));
		snprintf(rem, sizeof(rem), "%.1f",
			 (double)(end > in->pos ? end - in->pos : 0) / p->rate);
		snprintf(total, sizeof(total), "%.1f",
			 (double)(p->total > in->pos ? p->total - in->pos : 0) / p->rate);
	}
	if (in->latency_us)
		snprintf(latency, sizeof(latency), "%.1f", in->latency_us / 1000.0);
	snprintf(buf, size,
		 "%s step=%s name=%s side=%s rep=%s remaining=%s session_remaining=%s "
		 "phase=%s routine=%s audio=%s buttons=%s latency_ms=%s xruns=%u",
		 session_state_name(in->state), step, name, side, rep, rem, total, phase, routine,
		 in->audio ? in->audio : "-", in->buttons ? in->buttons : "-", latency, in->xruns);
	return buf;
}

char *status_summary(const struct status_input *in, char *buf, size_t size)
{
	const struct plan_phase *ph;
	const char *paused = in->state == SESSION_PAUSED ? " (paused)" : "";

	if (!in_session(in)) {
		snprintf(buf, size, "%s", in->state == SESSION_FINISHED ? "Finished" : "Idle");
		return buf;
	}
	ph = &in->plan->phases[plan_phase_at(in->plan, in->pos)];
	snprintf(buf, size, "Step %u/%zu: %s%s%s%s", ph->step + 1, in->routine->nsteps,
		 in->routine->steps[ph->step].name, ph->side ? ", " : "",
		 ph->side ? side_name(ph->side) : "", ph->side ? " side" : "");
	snprintf(buf + strlen(buf), size - strlen(buf), "%s", paused);
	return buf;
}

char *status_progress_line(const struct status_input *in, char *buf, size_t size)
{
	const struct plan_phase *ph;
	char bar[21];
	unsigned filled;
	size_t n;

	if (!in_session(in)) {
		snprintf(buf, size, "%s", in->state == SESSION_FINISHED ?
			 "Finished. Space starts again, q quits." : "Idle. Space starts, q quits.");
		return buf;
	}
	ph = &in->plan->phases[plan_phase_at(in->plan, in->pos)];
	filled = ph->length ? (unsigned)((in->pos - ph->start) * 20 / ph->length) : 20;
	for (unsigned i = 0; i < 20; i++)
		bar[i] = i < filled ? '#' : '-';
	bar[20] = '\0';
	status_summary(in, buf, size);
	n = strlen(buf);
	if (n < size)
		snprintf(buf + n, size - n, " [%s] %.0f s %s", bar,
			 (double)(ph->start + ph->length - in->pos) / in->plan->rate,
			 phase_kind_name(ph->kind));
	return buf;
}

char *status_progress_speech(const struct status_input *in, const struct voice *v,
			     char *buf, size_t size)
{
	const struct plan_phase *ph;
	uint64_t left_s;
	size_t n;

	buf[0] = '\0';
	if (!in_session(in) || size < 2)
		return buf;
	ph = &in->plan->phases[plan_phase_at(in->plan, in->pos)];
	voice_say(v, PHRASE_PROGRESS, in->routine->steps[ph->step].name, ph->step + 1,
		  (unsigned)in->routine->nsteps, buf, size);
	n = strlen(buf);
	if (n + 1 >= size)
		return buf;
	buf[n++] = ' ';
	left_s = in->plan->total > in->pos ? (in->plan->total - in->pos) / in->plan->rate : 0;
	/* Minutes while there are some; then seconds, to the nearest five. */
	if (left_s >= 90)
		voice_say(v, PHRASE_MINUTES_LEFT, NULL, (unsigned)((left_s + 30) / 60), 0,
			  buf + n, size - n);
	else if (left_s >= 55)
		voice_say(v, PHRASE_MINUTE_LEFT, NULL, 0, 0, buf + n, size - n);
	else {
		uint64_t rounded = (left_s + 2) / 5 * 5;

		voice_say(v, PHRASE_SECONDS_LEFT, NULL, (unsigned)(rounded ? rounded : left_s), 0,
			  buf + n, size - n);
	}
	return buf;
}

/* Today's version of each step (see progression.h). */
#include "progression.h"

#include <string.h>

/* The steps of E are R's: same name, one outcome per step. */
static bool is_session_of(const struct history_entry *e, const struct routine *r)
{
	return e->nsteps == r->nsteps && e->nsteps > 0 &&
	       strncmp(e->routine, r->name, sizeof(e->routine) - 1) == 0;
}

/* The hold of ST's version L as written. */
static uint32_t hold_of(const struct step *st, enum level l)
{
	return st->variant[l].time_ms ? st->variant[l].time_ms : st->variant[LEVEL_STANDARD].time_ms;
}

static void follow(const struct step *st, const struct history_step *hs,
		   const struct history_entry *e, struct progression_step *p)
{
	enum level played = (enum level)hs->level;
	int moved = -1;

	/* A version the step no longer has (the file was edited): where the
	 * file starts it. */
	if (played >= LEVEL_MAX || !st->variant[played].name)
		played = st->level;
	if (p->last != (int)played)
		p->good = p->grown = 0;
	p->last = (int)played;
	p->level = played;
	if (hs->outcome == STEP_HURT) {
		p->good = 0;
		p->grown -= p->grown > 0;
		if (st->back_after_hurt)
			moved = step_level_step(st, played, -1);
	} else if (hs->outcome == STEP_DONE) {
		p->good++;
		/* Grown no further than the limit: a hurt then takes one back. */
		if (st->grow_ms && hold_of(st, played) + (uint64_t)p->grown * st->grow_ms <
				   st->grow_limit_ms)
			p->grown++;
		if (st->progress_after && p->good >= st->progress_after)
			moved = step_level_step(st, played, +1);
	}
	if (moved >= 0) {
		p->level = (enum level)moved;
		p->good = p->grown = 0;
		p->changed = e->when;
		p->changed_offset = e->utc_offset;
	}
}

void progression_compute(const struct routine *r, const struct history *h,
			 struct progression_step *out)
{
	for (size_t i = 0; i < r->nsteps; i++)
		out[i] = (struct progression_step){ .level = r->steps[i].level, .last = -1 };
	for (size_t k = 0; h && k < h->n; k++) {
		const struct history_entry *e = &h->entries[k];

		if (!is_session_of(e, r))
			continue;
		for (size_t i = 0; i < r->nsteps; i++)
			follow(&r->steps[i], &e->step[i], e, &out[i]);
	}
	/* A pin is the physiotherapist's: it wins over every rule. */
	for (size_t i = 0; i < r->nsteps; i++)
		if (r->steps[i].pinned)
			out[i].level = r->steps[i].level;
}

int progression_apply(struct routine *r, const struct progression_step *out)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		struct step *st = &r->steps[i];

		if (step_set_level(st, out[i].level) < 0)
			return -1;
		if (st->grow_ms && st->time_ms && (int)st->level == out[i].last &&
		    st->time_ms < st->grow_limit_ms) {
			uint64_t t = st->time_ms + (uint64_t)out[i].grown * st->grow_ms;

			st->time_ms = (uint32_t)(t < st->grow_limit_ms ? t : st->grow_limit_ms);
		}
		st->today = out[i].last >= 0 && out[i].last != (int)st->level;
	}
	return 0;
}

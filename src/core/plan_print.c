/* The plan as a readable table, for `coachd --plan`. */
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "safetext.h"

const char *phase_kind_name(enum phase_kind k)
{
	static const char *const names[] = {
		[PHASE_ANNOUNCE] = "announce", [PHASE_WAIT] = "wait", [PHASE_SIDE] = "side",
		[PHASE_PREPARE] = "prepare", [PHASE_HOLD] = "hold", [PHASE_REP_REST] = "rep-rest",
		[PHASE_FINISH] = "finish",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* "  1:02.345" */
static char *time_text(uint64_t frame, unsigned rate, char *buf, size_t size)
{
	uint64_t ms = frame * 1000 / rate;

	snprintf(buf, size, "%3u:%02u.%03u", (unsigned)(ms / 60000), (unsigned)(ms / 1000 % 60),
		 (unsigned)(ms % 1000));
	return buf;
}

/* Each line goes out through safetext_print: names and cues are text from the
 * routine file, and a line break or an escape in one stays on its line. */
void plan_print(const struct plan *p, const struct routine *r, FILE *out)
{
	size_t c = 0;
	char at[32];

	safetext_print(out, "%-10s %-9s %-28s %s", "    time", "phase", "step", "event");
	for (size_t i = 0; i < p->nphases; i++) {
		const struct plan_phase *ph = &p->phases[i];
		char step[64];

		snprintf(step, sizeof(step), "%.40s%s%s", r->steps[ph->step].name,
			 ph->side ? ", " : "", side_name(ph->side));
		if (ph->rep)
			snprintf(step + strlen(step), sizeof(step) - strlen(step), " #%u", ph->rep);
		safetext_print(out, "%s %-9s %-28.28s (%.1f s)", time_text(ph->start, p->rate, at, sizeof(at)),
			       phase_kind_name(ph->kind), step, (double)ph->length / p->rate);
		for (; c < p->ncues && p->cues[c].phase == i; c++) {
			const struct plan_cue *q = &p->cues[c];

			time_text(q->at, p->rate, at, sizeof(at));
			if (q->text >= 0)
				safetext_print(out, "%s %-9s %-28s say \"%s\"", at, "", "", p->texts[q->text]);
			else
				safetext_print(out, "%s %-9s %-28s tone %s", at, "", "", sound_name(q->sound));
		}
	}
	safetext_print(out, "%s total %llu frames at %u Hz", time_text(p->total, p->rate, at, sizeof(at)),
		       (unsigned long long)p->total, p->rate);
}

/* The plan as a readable table, for `coachd --plan`. */
#include <string.h>

#include "plan.h"

const char *phase_kind_name(enum phase_kind k)
{
	static const char *const names[] = {
		[PHASE_ANNOUNCE] = "announce", [PHASE_WAIT] = "wait", [PHASE_SIDE] = "side",
		[PHASE_PREPARE] = "prepare", [PHASE_HOLD] = "hold", [PHASE_REP_REST] = "rep-rest",
		[PHASE_FINISH] = "finish",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

static void print_time(FILE *out, uint64_t frame, unsigned rate)
{
	uint64_t ms = frame * 1000 / rate;

	fprintf(out, "%3u:%02u.%03u", (unsigned)(ms / 60000), (unsigned)(ms / 1000 % 60),
		(unsigned)(ms % 1000));
}

void plan_print(const struct plan *p, const struct routine *r, FILE *out)
{
	size_t c = 0;

	fprintf(out, "%-10s %-9s %-28s %s\n", "    time", "phase", "step", "event");
	for (size_t i = 0; i < p->nphases; i++) {
		const struct plan_phase *ph = &p->phases[i];
		char step[64];

		snprintf(step, sizeof(step), "%.40s%s%s", r->steps[ph->step].name,
			 ph->side ? ", " : "", side_name(ph->side));
		if (ph->rep)
			snprintf(step + strlen(step), sizeof(step) - strlen(step), " #%u", ph->rep);
		print_time(out, ph->start, p->rate);
		fprintf(out, " %-9s %-28.28s (%.1f s)\n", phase_kind_name(ph->kind), step,
			(double)ph->length / p->rate);
		for (; c < p->ncues && p->cues[c].phase == i; c++) {
			const struct plan_cue *q = &p->cues[c];

			print_time(out, q->at, p->rate);
			if (q->text >= 0)
				fprintf(out, " %-9s %-28s say \"%s\"\n", "", "", p->texts[q->text]);
			else
				fprintf(out, " %-9s %-28s tone %s\n", "", "", sound_name(q->sound));
		}
	}
	print_time(out, p->total, p->rate);
	fprintf(out, " total %llu frames at %u Hz\n", (unsigned long long)p->total, p->rate);
}

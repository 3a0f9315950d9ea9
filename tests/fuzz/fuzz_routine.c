/* libFuzzer harness for routine_parse: any bytes in, a routine or one located
 * error out, nothing leaked.  A parsed routine is checked against the limits
 * routine.h promises, an error against the message format. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "routine.h"

#define PATH "fuzz.yaml"

static void check_step(const struct step *st)
{
	FUZZ_ASSERT(st->name && *st->name);
	FUZZ_ASSERT(st->reps >= 1 && st->reps <= ROUTINE_MAX_REPS);
	FUZZ_ASSERT(st->time_ms <= ROUTINE_MAX_HOLD_MS);
	FUZZ_ASSERT(st->time_ms > 0 || st->pace_ms > 0);
	FUZZ_ASSERT(st->time_ms == 0 || st->pace_ms == 0);
	FUZZ_ASSERT(st->rep_rest_ms <= ROUTINE_MAX_GAP_MS);
	FUZZ_ASSERT(st->prepare_ms <= ROUTINE_MAX_GAP_MS);
	FUZZ_ASSERT(st->switch_ms <= ROUTINE_MAX_GAP_MS);
	FUZZ_ASSERT(st->rest_ms <= ROUTINE_MAX_GAP_MS);
	FUZZ_ASSERT(st->nsides <= 2);
	FUZZ_ASSERT(st->nsides < 2 || st->sides[0] != st->sides[1]);
	for (unsigned i = 0; i < st->nsides; i++)
		FUZZ_ASSERT(st->sides[i] == SIDE_LEFT || st->sides[i] == SIDE_RIGHT);
	FUZZ_ASSERT(st->line >= 1);
	/* Every list in a step stays within its bounds and holds what the
	 * parser promised: cues inside the hold, each at its own time, each a
	 * sentence (no NUL cut, not blank). */
	FUZZ_ASSERT(st->ncues <= ROUTINE_MAX_CUES);
	FUZZ_ASSERT(st->ncues == 0 || (st->cues && st->time_ms > 0));
	for (unsigned i = 0; i < st->ncues; i++) {
		const char *say = st->cues[i].say;
		size_t len = strlen(say);

		FUZZ_ASSERT(st->cues[i].at_ms < st->time_ms);
		FUZZ_ASSERT(st->cues[i].line >= st->line);
		FUZZ_ASSERT(len > 0 && say[len - 1] != ' ' && say[len - 1] != '\n');
		for (unsigned j = 0; j < i; j++)
			FUZZ_ASSERT(st->cues[j].at_ms != st->cues[i].at_ms);
	}
	/* Words for a side only where the step has that side; the level that
	 * plays is one the step has, and its cues fit its hold. */
	for (int k = 0; k < 2; k++) {
		bool has = false;

		for (unsigned i = 0; i < st->nsides; i++)
			has |= st->sides[i] == (k == 0 ? SIDE_LEFT : SIDE_RIGHT);
		FUZZ_ASSERT(!st->side_say[k] || (has && *st->side_say[k]));
	}
	FUZZ_ASSERT((unsigned)st->level < LEVEL_MAX);
	FUZZ_ASSERT(st->variant[LEVEL_STANDARD].name);
	FUZZ_ASSERT(st->variant[st->level].name && !strcmp(st->name, st->variant[st->level].name));
	for (int l = 0; l < LEVEL_MAX; l++) {
		const struct step_variant *v = &st->variant[l];

		FUZZ_ASSERT(!v->time_ms || st->variant[LEVEL_STANDARD].time_ms);
		FUZZ_ASSERT(v->reps <= ROUTINE_MAX_REPS);
		for (unsigned i = 0; v->name && v->time_ms && i < st->ncues; i++)
			FUZZ_ASSERT(st->cues[i].at_ms < v->time_ms);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly SIZE bytes, no terminator: the parser takes a length, so any
	 * read past it is a bug AddressSanitizer must see. */
	char *text = fuzz_copy(data, size, 0);
	struct routine r;
	struct diag err;

	if (routine_parse(PATH, text, size, &r, &err) == 0) {
		FUZZ_ASSERT(r.name && *r.name);
		FUZZ_ASSERT(r.countdown <= 10);
		FUZZ_ASSERT(r.nsteps >= 1 && r.nsteps <= ROUTINE_MAX_STEPS && r.steps);
		for (size_t i = 0; i < r.nsteps; i++)
			check_step(&r.steps[i]);
		routine_free(&r);
	} else {
		fuzz_check_diag(err.text, PATH, data, size);
		/* routine_parse frees what it filled on failure. */
		FUZZ_ASSERT(!r.name && !r.voice && !r.steps && r.nsteps == 0);
	}
	free(text);
	return 0;
}

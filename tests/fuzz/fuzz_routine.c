/* libFuzzer harness for routine_parse: any bytes in, a routine or one located
 * error out, nothing leaked.  A parsed routine is checked against the limits
 * routine.h promises, an error against the message format. */
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

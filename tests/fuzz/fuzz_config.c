/* libFuzzer harness for config_parse: any bytes in, a config with every value
 * in its documented range or one located error out, nothing leaked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

#define PATH "fuzz-coach.yaml"

static void check_config(const struct config *c)
{
	const struct config_buttons *b = &c->buttons;

	FUZZ_ASSERT(c->routine && *c->routine);
	FUZZ_ASSERT(c->voice && *c->voice && !strpbrk(c->voice, "/\\."));
	FUZZ_ASSERT(c->device && *c->device);
	FUZZ_ASSERT(c->rate >= 8000 && c->rate <= 192000);
	FUZZ_ASSERT(c->latency_ms >= 5 && c->latency_ms <= 500);
	FUZZ_ASSERT(c->volume <= 100);
	FUZZ_ASSERT(b->play >= 0 && b->play <= 511);
	FUZZ_ASSERT(b->next >= 0 && b->next <= 511);
	FUZZ_ASSERT(b->led >= -1 && b->led <= 511);
	FUZZ_ASSERT(b->play != b->next && b->led != b->play && b->led != b->next);
	FUZZ_ASSERT(b->debounce_ms <= 500);
	FUZZ_ASSERT(b->long_press_ms >= 300 && b->long_press_ms <= 5000);
	FUZZ_ASSERT(c->nschedule <= 32);
	FUZZ_ASSERT(c->nschedule == 0 || c->schedule);
	for (size_t i = 0; i < c->nschedule; i++) {
		const struct schedule_entry *e = &c->schedule[i];

		FUZZ_ASSERT(e->days >= 1 && e->days <= 0x7f);
		FUZZ_ASSERT(e->hour <= 23 && e->minute <= 59);
		FUZZ_ASSERT(e->action == SCHEDULE_REMIND || e->action == SCHEDULE_START);
		FUZZ_ASSERT(!e->routine || *e->routine);
		FUZZ_ASSERT(e->line >= 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly SIZE bytes, no terminator: see fuzz_routine.c. */
	char *text = fuzz_copy(data, size, 0);
	struct config c;
	struct diag err;

	if (config_parse(PATH, text, size, &c, &err) == 0) {
		check_config(&c);
	} else {
		fuzz_check_diag(err.text, PATH, data, size);
		/* On failure C is left with the defaults, owning nothing. */
		FUZZ_ASSERT(!c.routine && !c.voice && !c.device && !c.buttons.chip);
		FUZZ_ASSERT(!c.schedule && c.nschedule == 0);
	}
	config_free(&c);
	free(text);
	return 0;
}

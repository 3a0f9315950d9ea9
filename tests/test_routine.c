/* Routine parsing: every field and default, what `rest` means where, the exact
 * message for each mistake, the shipped routine, and the example files under
 * tests/routines/ (bad/NAME.yaml beside bad/NAME.expect, and good/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "routine.h"

static void parse_ok(const char *text, struct routine *r)
{
	struct diag err = { .text = "" };

	if (routine_parse("r.yaml", text, strlen(text), r, &err))
		fail_msg("%s", err.text);
}

static const char *parse_error(const char *text)
{
	static struct diag err;
	struct routine r;

	memset(&err, 0, sizeof(err));
	if (routine_parse("r.yaml", text, strlen(text), &r, &err) == 0) {
		routine_free(&r);
		fail_msg("parsed: %s", text);
	}
	/* A failed parse leaves nothing behind. */
	assert_null(r.name);
	assert_null(r.steps);
	assert_int_equal(r.nsteps, 0);
	return err.text;
}

static void reads_form_cues(void **state)
{
	struct routine r;

	(void)state;
	parse_ok("name: R\nsteps:\n  - name: Plank\n    time: 30s\n    cues:\n"
		 "      15s: Breathe out.\n      25s: Relax your shoulders.\n", &r);
	assert_int_equal(r.steps[0].ncues, 2);
	assert_int_equal(r.steps[0].cues[0].at_ms, 15000);
	assert_string_equal(r.steps[0].cues[0].say, "Breathe out.");
	assert_int_equal(r.steps[0].cues[1].at_ms, 25000);
	assert_string_equal(r.steps[0].cues[1].say, "Relax your shoulders.");
	routine_free(&r);
}

/* What a physiotherapist's script needs: a safety sentence, what each side
 * means, a longer description, and easier and harder variants of which the
 * routine (or the step) chooses one. */
static void reads_sides_variants_and_safety(void **state)
{
	static const char text[] =
		"name: R\nsafety: Go gently.\nlevel: harder\nsteps:\n"
		"  - name: Hip flexor stretch\n    say: Kneel.\n    time: 30s\n    sides: both\n"
		"    left: Left knee down, right foot forward.\n"
		"    right: Right knee down, left foot forward.\n"
		"    explain: Keep your body upright.\n"
		"  - name: Knee to chest\n    say: One knee.\n    time: 20s\n    cues: {10s: Breathe.}\n"
		"    sides: both\n    left: Left knee to your chest.\n"
		"    harder: {name: Both knees to chest, say: Both knees., time: 25s, sides: none}\n"
		"    easier: {name: Half way, reps: 2}\n"
		"  - name: Pelvic tilts\n    reps: 10\n"
		"    harder: {name: Pelvic tilts with a small arch, say: Arch a little.}\n"
		"    level: standard\n"
		"  - name: Plank\n    time: 10s\n";
	struct routine r;
	struct step *st;

	(void)state;
	parse_ok(text, &r);
	assert_string_equal(r.safety, "Go gently.");
	st = &r.steps[0];
	assert_string_equal(st->side_say[0], "Left knee down, right foot forward.");
	assert_string_equal(st->side_say[1], "Right knee down, left foot forward.");
	assert_string_equal(st->explain, "Keep your body upright.");
	assert_int_equal(st->level, LEVEL_STANDARD);   /* it has no harder one */
	/* The routine's level: the harder variant plays, with its own time. */
	st = &r.steps[1];
	assert_int_equal(st->level, LEVEL_HARDER);
	assert_string_equal(st->name, "Both knees to chest");
	assert_string_equal(st->say, "Both knees.");
	assert_int_equal(st->time_ms, 25000);
	assert_int_equal(st->nsides, 0);      /* its own sides: none */
	assert_null(st->side_say[0]);
	assert_string_equal(st->variant[LEVEL_STANDARD].name, "Knee to chest");
	assert_string_equal(st->variant[LEVEL_EASIER].name, "Half way");
	/* Back to another level: its name, the standard's cue, its reps. */
	assert_int_equal(step_set_level(st, LEVEL_EASIER), LEVEL_EASIER);
	assert_string_equal(st->name, "Half way");
	assert_string_equal(st->say, "One knee.");
	assert_int_equal(st->time_ms, 20000);
	assert_int_equal(st->reps, 2);
	assert_int_equal(st->rep_rest_ms, 5000);
	assert_int_equal(st->nsides, 2);      /* the step's sides and words */
	assert_string_equal(st->side_say[0], "Left knee to your chest.");
	assert_null(st->side_say[1]);
	assert_int_equal(step_set_level(st, LEVEL_STANDARD), LEVEL_STANDARD);
	assert_string_equal(st->name, "Knee to chest");
	assert_int_equal(st->reps, 1);
	/* The step's own level wins over the routine's. */
	st = &r.steps[2];
	assert_int_equal(st->level, LEVEL_STANDARD);
	assert_string_equal(st->name, "Pelvic tilts");
	assert_null(st->say);
	assert_int_equal(step_set_level(st, LEVEL_HARDER), LEVEL_HARDER);
	assert_string_equal(st->say, "Arch a little.");
	assert_int_equal(st->reps, 10);
	assert_int_equal(st->pace_ms, ROUTINE_PACE_MS);
	/* A level the step lacks plays the step as written. */
	assert_int_equal(step_set_level(&r.steps[3], LEVEL_EASIER), LEVEL_STANDARD);
	assert_string_equal(r.steps[3].name, "Plank");
	routine_free(&r);
}

static void parses_every_field(void **state)
{
	struct routine r;
	const struct step *s;

	(void)state;
	parse_ok("name: Morning\n"
		 "voice: en-gb_2\n"
		 "rest: 10s\n"
		 "countdown: 5\n"
		 "prepare: 4s\n"
		 "switch: 6s\n"
		 "halfway: true\n"
		 "steps:\n"
		 "  - name: Hip flexor stretch\n"
		 "    say: Kneel on one knee.\n"
		 "    time: 30s\n"
		 "    sides: [right, left]\n"
		 "    wait: true\n"
		 "    halfway: false\n"
		 "    prepare: 10s\n"
		 "    switch: 8s\n"
		 "    after: 15s\n"
		 "  - name: Prone hold\n"
		 "    reps: 8\n"
		 "    time: 10s\n"
		 "    rest: 4s\n"
		 "  - name: Pelvic tilts\n"
		 "    reps: 10\n"
		 "    pace: 2.5s\n", &r);
	assert_string_equal(r.name, "Morning");
	assert_string_equal(r.voice, "en-gb_2");
	assert_int_equal(r.countdown, 5);
	assert_int_equal(r.nsteps, 3);

	s = &r.steps[0];
	assert_string_equal(s->name, "Hip flexor stretch");
	assert_string_equal(s->say, "Kneel on one knee.");
	assert_int_equal(s->time_ms, 30000);
	assert_int_equal(s->reps, 1);
	assert_int_equal(s->rep_rest_ms, 0);
	assert_int_equal(s->pace_ms, 0);
	assert_int_equal(s->prepare_ms, 10000);
	assert_int_equal(s->switch_ms, 8000);
	assert_int_equal(s->rest_ms, 15000);
	assert_int_equal(s->nsides, 2);
	assert_int_equal(s->sides[0], SIDE_RIGHT);
	assert_int_equal(s->sides[1], SIDE_LEFT);
	assert_true(s->wait);
	assert_false(s->halfway);
	assert_int_equal(s->line, 9);

	s = &r.steps[1];
	assert_string_equal(s->name, "Prone hold");
	assert_null(s->say);
	assert_int_equal(s->time_ms, 10000);
	assert_int_equal(s->reps, 8);
	assert_int_equal(s->rep_rest_ms, 4000);
	assert_int_equal(s->pace_ms, 0);
	assert_int_equal(s->prepare_ms, 4000);
	assert_int_equal(s->switch_ms, 6000);
	assert_int_equal(s->rest_ms, 10000);
	assert_int_equal(s->nsides, 0);
	assert_false(s->wait);
	assert_true(s->halfway);
	assert_int_equal(s->line, 18);

	s = &r.steps[2];
	assert_int_equal(s->time_ms, 0);
	assert_int_equal(s->reps, 10);
	assert_int_equal(s->pace_ms, 2500);
	assert_int_equal(s->rep_rest_ms, 0);
	assert_int_equal(s->rest_ms, 10000);
	assert_int_equal(s->line, 22);
	routine_free(&r);
	routine_free(&r);       /* zeroed by the first call */
}

static void applies_defaults(void **state)
{
	struct routine r;
	const struct step *s;

	(void)state;
	parse_ok("name: Minimal\nsteps:\n  - name: Plank\n    time: 1m\n  - name: Tilts\n    reps: 5\n", &r);
	assert_null(r.voice);
	assert_int_equal(r.countdown, 3);
	s = &r.steps[0];
	assert_null(s->say);
	assert_int_equal(s->time_ms, 60000);
	assert_int_equal(s->reps, 1);
	assert_int_equal(s->rep_rest_ms, 0);
	assert_int_equal(s->pace_ms, 0);
	assert_int_equal(s->prepare_ms, 3000);
	assert_int_equal(s->switch_ms, 5000);
	assert_int_equal(s->rest_ms, 5000);
	assert_int_equal(s->nsides, 0);
	assert_false(s->wait);
	assert_false(s->halfway);
	assert_int_equal(s->line, 3);
	s = &r.steps[1];
	assert_int_equal(s->time_ms, 0);
	assert_int_equal(s->reps, 5);
	assert_int_equal(s->pace_ms, ROUTINE_PACE_MS);
	assert_int_equal(s->rest_ms, 5000);
	routine_free(&r);
}

/* One step's rest fields after parsing STEP under a routine with rest: 20s. */
static void check_rest(const char *step, uint32_t rep_rest_ms, uint32_t rest_ms)
{
	char text[512];
	struct routine r;

	snprintf(text, sizeof(text), "name: R\nrest: 20s\nsteps:\n  - name: S\n%s", step);
	parse_ok(text, &r);
	assert_int_equal(r.steps[0].rep_rest_ms, rep_rest_ms);
	assert_int_equal(r.steps[0].rest_ms, rest_ms);
	routine_free(&r);
}

static void rest_means_between_reps_only_for_timed_reps(void **state)
{
	(void)state;
	/* Timed reps: `rest` between reps (default 5s), `after` after the step. */
	check_rest("    time: 10s\n    reps: 8\n", 5000, 20000);
	check_rest("    time: 10s\n    reps: 8\n    rest: 3s\n", 3000, 20000);
	check_rest("    time: 10s\n    reps: 8\n    rest: 3s\n    after: 1m\n", 3000, 60000);
	check_rest("    time: 10s\n    reps: 8\n    rest: 0s\n", 0, 20000);
	/* A single hold or paced reps: `rest` is the rest after the step. */
	check_rest("    time: 10s\n", 0, 20000);
	check_rest("    time: 10s\n    rest: 7s\n", 0, 7000);
	check_rest("    time: 10s\n    reps: 1\n    rest: 7s\n", 0, 7000);
	check_rest("    reps: 10\n    rest: 7s\n", 0, 7000);
	check_rest("    reps: 10\n    after: 8s\n", 0, 8000);
	check_rest("    time: 10s\n    after: 0\n", 0, 0);
}

static void reads_every_way_of_giving_sides(void **state)
{
	static const struct {
		const char *sides;
		unsigned n;
		enum side a, b;
	} cases[] = {
		{ "both", 2, SIDE_LEFT, SIDE_RIGHT },
		{ "Both", 2, SIDE_LEFT, SIDE_RIGHT },
		{ "left", 1, SIDE_LEFT, SIDE_NONE },
		{ "right", 1, SIDE_RIGHT, SIDE_NONE },
		{ "[left, right]", 2, SIDE_LEFT, SIDE_RIGHT },
		{ "[right, left]", 2, SIDE_RIGHT, SIDE_LEFT },
		{ "[left]", 1, SIDE_LEFT, SIDE_NONE },
		{ "[Right]", 1, SIDE_RIGHT, SIDE_NONE },
		{ "\n      - left\n      - right", 2, SIDE_LEFT, SIDE_RIGHT },
	};
	char text[256];
	struct routine r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "name: R\nsteps:\n  - name: S\n    time: 5s\n    sides: %s\n", cases[i].sides);
		parse_ok(text, &r);
		assert_int_equal(r.steps[0].nsides, cases[i].n);
		assert_int_equal(r.steps[0].sides[0], cases[i].a);
		if (cases[i].n == 2)
			assert_int_equal(r.steps[0].sides[1], cases[i].b);
		routine_free(&r);
	}
	assert_string_equal(side_name(SIDE_LEFT), "left");
	assert_string_equal(side_name(SIDE_RIGHT), "right");
	assert_string_equal(side_name(SIDE_NONE), "");
}

#define STEP "name: R\nsteps:\n  - name: Plank\n"

static void reports_each_mistake_exactly(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "", "r.yaml: error: empty file (expected a mapping with name and steps)" },
		{ "# just a comment\n", "r.yaml: error: empty file (expected a mapping with name and steps)" },
		{ "- name: x\n", "r.yaml:1:1: error: the file is a list (expected a mapping with name and steps)" },
		{ "steps:\n  - {name: a, time: 1s}\n",
		  "r.yaml:1:1: error: missing key 'name' (expected a name for the routine, e.g. name: Morning back mobility)" },
		{ "name: R\n", "r.yaml:1:1: error: missing key 'steps' (expected a list of steps)" },
		{ "name: R\nsteps:\n", "r.yaml:2:7: error: 'steps' is empty (expected a list of steps)" },
		{ "name: R\nsteps: []\n", "r.yaml:2:8: error: 'steps' is an empty list (expected at least one step)" },
		{ "name: R\nsteps: stretch\n", "r.yaml:2:8: error: 'steps' is a string (expected a list of steps)" },
		{ "name: R\nsteps:\n  name: a\n", "r.yaml:3:3: error: 'steps' is a mapping (expected a list of steps)" },
		{ "name: R\nsteps:\n  - stretch\n",
		  "r.yaml:3:5: error: step 1 is a string (expected a mapping with name and time or reps)" },
		{ "name: R\nsteps:\n  - time: 3s\n",
		  "r.yaml:3:5: error: missing key 'name' (expected a name for the step, e.g. name: Cat and camel)" },
		{ STEP, "r.yaml:3:5: error: step 'Plank' has neither time nor reps (expected time: 30s or reps: 8)" },
		{ STEP "    tme: 30s\n", "r.yaml:4:5: error: unknown key 'tme' (did you mean 'time'?)" },
		{ STEP "    colour: red\n",
		  "r.yaml:4:5: error: unknown key 'colour' (expected one of: name, say, time, reps, pace, rest, after, sides, wait, halfway, prepare, switch, cues, explain, left, right, easier, harder, level, progress, back, pin, grow)" },
		{ "name: R\nstep:\n  - {name: a, time: 1s}\n", "r.yaml:2:1: error: unknown key 'step' (did you mean 'steps'?)" },
		{ STEP "    time: 30 seconds\n",
		  "r.yaml:4:11: error: invalid duration '30 seconds' for 'time' (expected a duration such as 30s, 1m30s or 500ms)" },
		{ STEP "    time: 600m\n", "r.yaml:4:11: error: 'time' is too long: 600m (expected at most 30m)" },
		{ STEP "    time: 20s\n    cues: Breathe out.\n",
		  "r.yaml:5:11: error: 'cues' is a string (expected a mapping of times to sentences, such as 15s: Breathe out.)" },
		{ STEP "    time: 20s\n    cues:\n      soon: Breathe out.\n",
		  "r.yaml:6:7: error: invalid cue time 'soon' (expected a time into the hold such as 15s)" },
		{ STEP "    time: 20s\n    cues:\n      25s: Breathe out.\n",
		  "r.yaml:6:7: error: cue at 25s is not inside the 20 s hold (expected less than the step's time)" },
		{ STEP "    reps: 5\n    cues:\n      2s: Breathe out.\n",
		  "r.yaml:6:7: error: cues need a timed hold (expected time: on this step)" },
		{ STEP "    time: 30m1s\n", "r.yaml:4:11: error: 'time' is too long: 30m1s (expected at most 30m)" },
		{ STEP "    time: 500ms\n", "r.yaml:4:11: error: 'time' is too short: 500ms (expected at least 1s)" },
		{ STEP "    time: [30s]\n",
		  "r.yaml:4:11: error: 'time' is a list (expected a duration such as 30s, 1m30s or 500ms)" },
		{ STEP "    reps: 101\n",
		  "r.yaml:4:11: error: invalid value '101' for 'reps' (expected a whole number from 1 to 100, default 1)" },
		{ STEP "    reps: 0\n",
		  "r.yaml:4:11: error: invalid value '0' for 'reps' (expected a whole number from 1 to 100, default 1)" },
		{ STEP "    reps: eight\n",
		  "r.yaml:4:11: error: invalid value 'eight' for 'reps' (expected a whole number from 1 to 100, default 1)" },
		{ STEP "    reps: 8\n    pace: 2m\n",
		  "r.yaml:5:11: error: 'pace' is too long: 2m (expected at most 1m, default 4s)" },
		{ STEP "    time: 5s\n    pace: 2s\n",
		  "r.yaml:5:11: error: 'pace' is for reps without time (expected either time or pace, not both)" },
		{ STEP "    time: 5s\n    rest: 11m\n", "r.yaml:5:11: error: 'rest' is too long: 11m (expected at most 10m)" },
		{ STEP "    time: 5s\n    after: 11m\n",
		  "r.yaml:5:12: error: 'after' is too long: 11m (expected at most 10m, default 5s)" },
		{ STEP "    time: 5s\n    prepare: 1h\n",
		  "r.yaml:5:14: error: invalid duration '1h' for 'prepare' (expected a duration such as 30s, 1m30s or 500ms)" },
		{ STEP "    time: 5s\n    switch: 20m\n",
		  "r.yaml:5:13: error: 'switch' is too long: 20m (expected at most 10m, default 5s)" },
		{ STEP "    time: 5s\n    rest: 1s\n    after: 2s\n",
		  "r.yaml:6:12: error: both 'rest' and 'after' give the rest after this step (expected one of them)" },
		{ STEP "    time: 5s\n    time: 6s\n",
		  "r.yaml:5:5: error: duplicate key 'time', first at line 4 (expected each key once)" },
		{ STEP "    time: 5s\n    sides: [left, left]\n",
		  "r.yaml:5:19: error: side 'left' is listed twice (expected [left, right] or [right, left])" },
		{ STEP "    time: 5s\n    sides: [left, right, left]\n",
		  "r.yaml:5:26: error: side 'left' is listed twice (expected [left, right] or [right, left])" },
		/* Issue 16, finding 1: a third side was written past the array. */
		{ STEP "    time: 5s\n    sides: [left, right, right]\n",
		  "r.yaml:5:26: error: side 'right' is listed twice (expected [left, right] or [right, left])" },
		{ STEP "    time: 5s\n    sides: [left, right, right, right, right]\n",
		  "r.yaml:5:26: error: side 'right' is listed twice (expected [left, right] or [right, left])" },
		{ STEP "    time: 5s\n    sides: [right, left, left]\n",
		  "r.yaml:5:26: error: side 'left' is listed twice (expected [left, right] or [right, left])" },
		/* Finding 24: cues are text as name and say are. */
		{ STEP "    time: 20s\n    cues:\n      5s: \"Breathe\\0 out.\"\n",
		  "r.yaml:6:11: error: cue at 5s contains a NUL character (expected text)" },
		{ STEP "    time: 20s\n    cues:\n      5s: \"  \"\n",
		  "r.yaml:6:11: error: cue at 5s is blank (expected some text)" },
		{ STEP "    time: 20s\n    cues:\n      5s:\n",
		  "r.yaml:6:10: error: cue at 5s is empty (expected some text)" },
		{ STEP "    time: 20s\n    cues:\n      5s: Breathe in.\n      5000ms: Breathe out.\n",
		  "r.yaml:7:7: error: a second cue at 5000ms, the first at line 6 (expected one cue at each time)" },
		{ STEP "    time: 5s\n    sides: [left, up]\n", "r.yaml:5:19: error: invalid side 'up' (expected left or right)" },
		{ STEP "    time: 5s\n    sides: []\n",
		  "r.yaml:5:12: error: 'sides' is an empty list (expected both, left, right, none or a list such as [left, right])" },
		{ STEP "    time: 5s\n    sides: all\n",
		  "r.yaml:5:12: error: invalid value 'all' for 'sides' (expected both, left, right, none or a list such as [left, right])" },
		{ STEP "    time: 5s\n    sides: {left: 1}\n",
		  "r.yaml:5:12: error: 'sides' is a mapping (expected both, left, right, none or a list such as [left, right])" },
		{ STEP "    time: 5s\n    wait: sometimes\n",
		  "r.yaml:5:11: error: invalid value 'sometimes' for 'wait' (expected true or false)" },
		{ "name: R\ncountdown: 11\nsteps:\n  - {name: a, time: 1s}\n",
		  "r.yaml:2:12: error: invalid value '11' for 'countdown' (expected a whole number from 0 to 10, default 3)" },
		{ "name: R\nvoice: ../../etc/passwd\nsteps:\n  - {name: a, time: 1s}\n",
		  "r.yaml:2:8: error: invalid voice '../../etc/passwd' (expected the name of a profile in voices/, such as en)" },
		{ "name: \"\"\nsteps:\n  - {name: a, time: 1s}\n", "r.yaml:1:7: error: 'name' is blank (expected some text)" },
		{ "name: R\nsteps:\n  - name:\n    time: 1s\n", "r.yaml:3:10: error: 'name' is empty (expected some text)" },
		{ "name: R\nname: S\nsteps:\n  - {name: a, time: 1s}\n",
		  "r.yaml:2:1: error: duplicate key 'name', first at line 1 (expected each key once)" },
		{ "name: R\nsteps:\n\t- name: a\n", "r.yaml:3:1: error: tab character in indentation (expected spaces)" },
		{ "name: R\nsteps:\n  - name: Pli\xe9\n", "r.yaml:3:14: error: invalid UTF-8 byte 0xe9 (expected UTF-8 text; save the file as UTF-8)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = parse_error(cases[i].text);

		if (strcmp(got, cases[i].want))
			fail_msg("case %zu:\n  got  %s\n  want %s", i, got, cases[i].want);
	}
}

static void accepts_bom_and_crlf(void **state)
{
	struct routine r;

	(void)state;
	parse_ok("\xef\xbb\xbfname: R\r\nsteps:\r\n  - name: A\r\n    time: 5s\r\n", &r);
	assert_string_equal(r.steps[0].name, "A");
	assert_int_equal(r.steps[0].line, 3);
	routine_free(&r);
	assert_string_equal(parse_error("\xef\xbb\xbfname: R\r\nsteps:\r\n  - name: A\r\n    tme: 5s\r\n"),
			    "r.yaml:4:5: error: unknown key 'tme' (did you mean 'time'?)");
}

static void enforces_limits_at_their_edge(void **state)
{
	size_t size = 64 * (ROUTINE_MAX_STEPS + 2) + 2 * ROUTINE_MAX_TEXT + 64, i;
	char *text = malloc(size), *p;
	struct routine r;

	(void)state;
	assert_non_null(text);
	/* Each value at its own limit, within the session's budget (3h). */
	p = text + sprintf(text, "name: R\nsteps:\n");
	p += sprintf(p, "  - {name: hold, time: 30m, rest: 10m, prepare: 10m}\n");
	p += sprintf(p, "  - {name: reps, time: 1s, rest: 1s, prepare: 0s, reps: 100, after: 0s}\n");
	for (i = 2; i < ROUTINE_MAX_STEPS; i++)
		p += sprintf(p, "  - {name: s%zu, time: 1s, after: 0s, prepare: 0s}\n", i);
	parse_ok(text, &r);
	assert_int_equal(r.nsteps, ROUTINE_MAX_STEPS);
	assert_int_equal(r.steps[0].time_ms, ROUTINE_MAX_HOLD_MS);
	assert_int_equal(r.steps[0].rest_ms, ROUTINE_MAX_GAP_MS);
	assert_int_equal(r.steps[0].prepare_ms, ROUTINE_MAX_GAP_MS);
	assert_int_equal(r.steps[1].reps, ROUTINE_MAX_REPS);
	routine_free(&r);
	sprintf(p, "  - {name: one too many, time: 1s}\n");
	assert_string_equal(parse_error(text), "r.yaml:3:3: error: too many steps: 101 (expected at most 100)");

	p = text + sprintf(text, "name: ");
	memset(p, 'x', ROUTINE_MAX_TEXT);
	strcpy(p + ROUTINE_MAX_TEXT, "\nsteps:\n  - {name: a, time: 1s}\n");
	parse_ok(text, &r);
	assert_int_equal(strlen(r.name), ROUTINE_MAX_TEXT);
	routine_free(&r);
	p = text + sprintf(text, "name: ");
	memset(p, 'x', ROUTINE_MAX_TEXT + 1);
	strcpy(p + ROUTINE_MAX_TEXT + 1, "\nsteps:\n  - {name: a, time: 1s}\n");
	assert_string_equal(parse_error(text),
			    "r.yaml:1:7: error: 'name' is too long: 1001 characters (expected at most 1000)");
	free(text);
}

/* Issue 16, finding 12 (and 14): every value within its own limit, and still
 * hours of speech or of session.  The budgets are errors at the step that
 * goes past them, at their edge exactly. */
static void enforces_the_routine_budgets(void **state)
{
	size_t size = ROUTINE_MAX_SIZE + 4096, i;
	char *text = malloc(size), *p, name[ROUTINE_MAX_TEXT + 1];
	struct routine r;

	(void)state;
	assert_non_null(text);
	/* Speech: ten steps of 1000-character names are the whole budget. */
	memset(name, 'x', ROUTINE_MAX_TEXT);
	name[ROUTINE_MAX_TEXT] = '\0';
	p = text + sprintf(text, "name: R\nsteps:\n");
	for (i = 0; i < ROUTINE_MAX_SPEECH / ROUTINE_MAX_TEXT; i++)
		p += sprintf(p, "  - {name: %s, time: 1s}\n", name);
	parse_ok(text, &r);
	routine_free(&r);
	sprintf(p, "  - {name: a, time: 1s}\n");
	assert_string_equal(parse_error(text),
			    "r.yaml:13:5: error: step 'a' brings the routine's speech to 10001 characters "
			    "(expected at most 10000 for names, say and cues together)");
	/* The finding's own shape: 100 steps with long names and cues. */
	p = text + sprintf(text, "name: R\nsteps:\n");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "  - name: %.200s\n    say: %.200s\n    time: 10s\n", name, name);
	assert_non_null(strstr(parse_error(text), "r.yaml:78:5: error: step 'xxxxx"));

	/* Session: six hours-long holds and their gaps are 3h exactly. */
	p = text + sprintf(text, "name: R\nprepare: 0s\nrest: 0s\nsteps:\n");
	for (i = 0; i < 6; i++)
		p += sprintf(p, "  - {name: s%zu, time: 30m}\n", i);
	parse_ok(text, &r);
	routine_free(&r);
	sprintf(p, "  - {name: more, time: 1s}\n");
	assert_string_equal(parse_error(text),
			    "r.yaml:11:5: error: step 'more' brings the session to 180m1s of holds and rests "
			    "(expected at most 180m for a routine)");
	/* Sides, reps, rests between reps, prepare and switch all count. */
	assert_string_equal(parse_error("name: R\nsteps:\n  - {name: a, time: 1m, reps: 60, rest: 1m, "
					"prepare: 10m, switch: 10m, sides: both, after: 10m}\n"),
			    "r.yaml:3:5: error: step 'a' brings the session to 278m of holds and rests "
			    "(expected at most 180m for a routine)");
	assert_non_null(strstr(parse_error("name: R\nsteps:\n  - {name: a, time: 30m, reps: 100}\n"),
			       "brings the session to 3008m23s of holds"));

	/* The file as a whole. */
	memset(text, '#', ROUTINE_MAX_SIZE + 1);
	memcpy(text, "name: R\nsteps:\n  - {name: a, time: 1s}\n", 39);
	text[ROUTINE_MAX_SIZE + 1] = '\0';
	assert_string_equal(parse_error(text), "r.yaml: error: file is too large: 262145 bytes (expected at most 256 KiB)");
	text[ROUTINE_MAX_SIZE] = '\0';
	parse_ok(text, &r);
	routine_free(&r);
	free(text);
}

static void loads_the_shipped_routine(void **state)
{
	static const char *const names[] = {
		"Foam roll, low back", "Foam roll, buttocks", "Foam roll, hip flexors",
		"Cat and camel", "Cross-leg twist", "Hip flexor stretch",
		"Ninety ninety stretch", "Forearm plank", "Pelvic tilts", "Knee to chest",
		"Trunk rotation",
	};
	struct routine r;
	struct diag err;
	size_t i;

	(void)state;
	if (routine_load("config/routines/morning-back.yaml", &r, &err))
		fail_msg("%s", err.text);
	assert_string_equal(r.name, "Morning back mobility");
	assert_string_equal(r.voice, "en");
	assert_int_equal(r.nsteps, sizeof(names) / sizeof(names[0]));
	for (i = 0; i < r.nsteps; i++) {
		assert_string_equal(r.steps[i].name, names[i]);
		assert_non_null(r.steps[i].say);
		assert_true(r.steps[i].wait == (i == 0));
	}
	for (i = 0; i < 3; i++) {               /* foam rolling: 30 s per area, */
		assert_int_equal(r.steps[i].time_ms, 30000);
		assert_int_equal(r.steps[i].nsides, i == 1 ? 2 : 0);   /* buttocks on both sides */
	}
	for (i = 4; i <= 6; i++) {              /* the stretches: 30 s per side */
		assert_int_equal(r.steps[i].time_ms, 30000);
		assert_int_equal(r.steps[i].nsides, 2);
		assert_int_equal(r.steps[i].sides[0], SIDE_LEFT);
	}
	assert_int_equal(r.steps[3].time_ms, 0);              /* cat/camel: paced */
	assert_int_equal(r.steps[7].time_ms, 10000);          /* prone hold: 10 s x 8 */
	assert_int_equal(r.steps[7].reps, 8);
	assert_true(r.steps[7].rep_rest_ms > 0);
	assert_int_equal(r.steps[8].time_ms, 0);              /* pelvic tilts: paced */
	assert_true(r.steps[8].reps > 1);
	/* Where "left side" could mean either leg, the step says which. */
	for (i = 1; i < r.nsteps; i++)
		if (r.steps[i].nsides)
			assert_non_null(r.steps[i].side_say[0]);
	/* The seed's three progressions, the standard playing. */
	assert_string_equal(r.steps[8].variant[LEVEL_HARDER].name, "Pelvic tilts with a small arch");
	assert_string_equal(r.steps[9].variant[LEVEL_HARDER].name, "Both knees to chest");
	assert_string_equal(r.steps[10].variant[LEVEL_HARDER].name, "Trunk rotation, one leg straight");
	for (i = 0; i < r.nsteps; i++)
		assert_int_equal(r.steps[i].level, LEVEL_STANDARD);
	/* The plank cannot be done lying flat, and no jargon is said. */
	assert_non_null(strstr(r.steps[7].say, "hips off the floor"));
	for (i = 0; i < r.nsteps; i++) {
		const char *texts[] = { r.steps[i].name, r.steps[i].say, r.steps[i].explain };

		for (size_t k = 0; k < 3; k++)
			if (texts[k])
				assert_true(!strstr(texts[k], "prone") && !strstr(texts[k], "Prone") &&
					    !strstr(texts[k], " rep") && !strstr(texts[k], "glute"));
	}
	routine_free(&r);
}

static void reports_an_unreadable_file(void **state)
{
	struct routine r;
	struct diag err;

	(void)state;
	assert_int_equal(routine_load("tests/routines/missing.yaml", &r, &err), -1);
	assert_string_equal(err.text, "tests/routines/missing.yaml: error: cannot read: No such file or directory");
	assert_null(r.steps);
	assert_int_equal(routine_load("tests/routines", &r, &err), -1);
	assert_string_equal(err.text, "tests/routines: error: cannot read: Is a directory");
}

/* Reads the first line of PATH into BUF without its line end. */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("cannot open %s", path);
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
}

static void bad_examples_fail_as_expected(void **state)
{
	static const char dir[] = "tests/routines/bad";
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned checked = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512], expect[512], want[sizeof(((struct diag *)0)->text)];
		size_t len = strlen(e->d_name);
		struct routine r;
		struct diag err;

		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(expect, sizeof(expect), "%s/%.*s.expect", dir, (int)(len - 5), e->d_name);
		read_line(expect, want, sizeof(want));
		if (routine_load(path, &r, &err) == 0) {
			/* Parses alone: a mistake across files (a voice that is not
			 * there), which checking the whole bundle finds. */
			struct bundle_files f = {
				.routine = path, .voices_dir = "voices", .sounds_dir = "sounds", .voice = "en",
			};
			struct bundle b;
			char *root = strstr(want, "@ROOT@/");

			routine_free(&r);
			if (bundle_check(&b, &f, &err) == 0) {
				bundle_free(&b);
				fail_msg("%s parsed", path);
			}
			if (root)
				memmove(root, root + 7, strlen(root + 7) + 1);
		}
		if (strcmp(err.text, want))
			fail_msg("%s:\n  got  %s\n  want %s", path, err.text, want);
		checked++;
	}
	closedir(d);
	assert_true(checked >= 10);
}

static void good_examples_parse(void **state)
{
	static const char dir[] = "tests/routines/good";
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned checked = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512];
		size_t len = strlen(e->d_name);
		struct routine r;
		struct diag err;

		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (routine_load(path, &r, &err))
			fail_msg("%s", err.text);
		assert_true(r.nsteps > 0);
		routine_free(&r);
		checked++;
	}
	closedir(d);
	assert_true(checked >= 2);
}

static void good_examples_mean_what_they_say(void **state)
{
	struct routine r;
	struct diag err;

	(void)state;
	if (routine_load("tests/routines/good/evening-windows.yaml", &r, &err))
		fail_msg("%s", err.text);
	assert_string_equal(r.name, "Evening wind-down");
	assert_string_equal(r.steps[0].name, "Child\xe2\x80\x99s pose");
	assert_int_equal(r.steps[0].time_ms, 90000);
	assert_true(r.steps[0].wait);
	assert_true(r.steps[0].halfway);
	assert_int_equal(r.steps[1].switch_ms, 8000);
	assert_int_equal(r.steps[1].rest_ms, 20000);
	assert_string_equal(r.steps[2].say, "Lie back and rest your legs up against the wall.");
	assert_false(r.steps[2].halfway);
	assert_int_equal(r.steps[2].line, 10);
	routine_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_field),
		cmocka_unit_test(reads_form_cues),
		cmocka_unit_test(reads_sides_variants_and_safety),
		cmocka_unit_test(applies_defaults),
		cmocka_unit_test(rest_means_between_reps_only_for_timed_reps),
		cmocka_unit_test(reads_every_way_of_giving_sides),
		cmocka_unit_test(reports_each_mistake_exactly),
		cmocka_unit_test(accepts_bom_and_crlf),
		cmocka_unit_test(enforces_limits_at_their_edge),
		cmocka_unit_test(enforces_the_routine_budgets),
		cmocka_unit_test(loads_the_shipped_routine),
		cmocka_unit_test(reports_an_unreadable_file),
		cmocka_unit_test(bad_examples_fail_as_expected),
		cmocka_unit_test(good_examples_parse),
		cmocka_unit_test(good_examples_mean_what_they_say),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

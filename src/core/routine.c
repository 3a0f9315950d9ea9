/* Routine files (config/routines/NAME.yaml) read into struct routine.
 *
 * What each key means, and its default:
 *
 * Top level
 *   name       required; shown in the status and the history, and said when
 *              the routine is chosen with the buttons.
 *   voice      optional voice profile name (voices/<voice>.yaml); NULL = config's.
 *   rest       rest after each step, default 5s (0 .. 10m).
 *   countdown  tick tones in the last N seconds of each hold, default 3 (0 .. 10).
 *   prepare    get-ready time before a step's first hold on each side, default 3s.
 *   switch     time to change sides, default 5s.
 *   halfway    say "Halfway" in the middle of each hold, default false.
 *   safety     the sentence said at the start of every session, instead of
 *              the voice profile's `safety` phrase.
 *   level      standard | easier | harder: which version of each step plays
 *              (a step without that variant plays as written), default standard.
 *   steps      required list of 1 .. ROUTINE_MAX_STEPS steps.
 *
 * Step
 *   name       required.
 *   say        optional cue spoken after the name: how to get into position.
 *   explain    optional longer description, said when the person asks for
 *              it (and, where the caller wants, the first time).
 *   left, right  what each side means ("Left knee down, right foot
 *              forward."), said instead of "Left side." at the side's start
 *              and after "Switch sides."; only for a side the step has.
 *   easier, harder  a variant of the step: a mapping with name (required),
 *              say, time, reps, sides (none for one hold without sides) and
 *              left/right; what it leaves out is the step's own (its own
 *              sides drop the step's words for them).
 *              `time` only on a timed step; every cue must fit in its time.
 *   level      which version of this step plays; it must exist.
 *   time       one hold (per rep, per side), 1s .. 30m.
 *   reps       1 .. 100, default 1.  A step needs time, reps or both:
 *                time only          one hold per side;
 *                time and reps      REPS holds per side, REST between them;
 *                reps only          paced reps, one every PACE (counted aloud).
 *   pace       one paced rep, 1s .. 1m, default 4s; only for reps without time
 *              (pace_ms is 0 on timed steps).
 *   rest       on a step with timed reps (reps > 1 and time): the rest between
 *              reps, default 5s.  On any other step: the rest after the step,
 *              the same as `after` (giving both is an error).
 *   after      rest after this step, default the routine's `rest`.
 *   sides      both | left | right | [left, right] | [right, left] | [left] |
 *              [right]; `both` means [left, right].  No side twice.
 *   wait       wait for Play before starting the step, default false.
 *   cues       form cues said inside each hold: a mapping from the time into
 *              the hold to a sentence ("15s: Breathe out."); times within the
 *              hold, at most ROUTINE_MAX_CUES; only on timed steps.
 *   prepare, switch, halfway   override the routine's defaults for this step.
 *
 * Stored values: rep_rest_ms is 0 unless the step has timed reps; rest_ms is
 * stored for every step, the last one included (the plan decides whether a
 * final rest is worth playing); switch_ms is stored even for one-sided steps.
 * Every error names the file, line and column of the offending value (or of the
 * step when something is missing). */
#include "routine.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "duration.h"
#include "yamldoc.h"

#define DEFAULT_REST_MS     5000
#define DEFAULT_REP_REST_MS 5000
#define DEFAULT_PREPARE_MS  3000
#define DEFAULT_SWITCH_MS   5000
#define DEFAULT_COUNTDOWN   3
#define MAX_COUNTDOWN       10
#define MIN_HOLD_MS         1000
#define MIN_PACE_MS         1000
#define MAX_PACE_MS         60000
#define MAX_VOICE_NAME      32

#define EXPECT_ROUTINE "a mapping with name and steps"
#define EXPECT_STEP    "a mapping with name and time or reps"
#define EXPECT_SIDES   "both, left, right, none or a list such as [left, right]"

static const char *const routine_keys[] = {
	"name", "voice", "rest", "countdown", "prepare", "switch", "halfway", "safety",
	"level", "steps", NULL
};

static const char *const step_keys[] = {
	"name", "say", "time", "reps", "pace", "rest", "after", "sides", "wait",
	"halfway", "prepare", "switch", "cues", "explain", "left", "right", "easier",
	"harder", "level", "progress", "back", "pin", "grow", NULL
};

static const char *const variant_keys[] = {
	"name", "say", "time", "reps", "sides", "left", "right", NULL
};

static const char *const level_names[LEVEL_MAX] = {
	[LEVEL_STANDARD] = "standard", [LEVEL_EASIER] = "easier", [LEVEL_HARDER] = "harder",
};

/* Routine-level values that steps inherit. */
struct defaults {
	uint32_t rest_ms, prepare_ms, switch_ms;
	bool halfway;
	enum level level;
};

const char *side_name(enum side s)
{
	switch (s) {
	case SIDE_LEFT:
		return "left";
	case SIDE_RIGHT:
		return "right";
	default:
		return "";
	}
}

const char *level_name(enum level l)
{
	return (unsigned)l < LEVEL_MAX ? level_names[l] : "";
}

/* KEY as standard / easier / harder; absent leaves *OUT alone.  Returns 1 when
 * given, 0 when absent, -1 with ERR filled. */
static int parse_level_key(struct yamldoc *yd, yaml_node_t *map, const char *key, enum level *out,
			   struct diag *err)
{
	yaml_node_t *v = yamldoc_get(yd, map, key);
	char snip[YAMLDOC_SNIPPET], what[16];
	const char *t;

	if (!v)
		return 0;
	snprintf(what, sizeof(what), "'%s'", key);
	if (yamldoc_expect(yd, v, YAML_SCALAR_NODE, what, "standard, easier or harder", err))
		return -1;
	t = yamldoc_text(v);
	for (int l = 0; l < LEVEL_MAX; l++) {
		if (!strcasecmp(t, level_names[l])) {
			*out = (enum level)l;
			return 1;
		}
	}
	return yamldoc_error(yd, v, err, "invalid level '%s' (expected standard, easier or harder)",
			     yamldoc_snippet(t, snip, sizeof(snip)));
}

static int parse_level(struct yamldoc *yd, yaml_node_t *map, enum level *out, struct diag *err)
{
	return parse_level_key(yd, map, "level", out, err);
}

/* The versions in order, easiest first. */
static const enum level by_ease[] = { LEVEL_EASIER, LEVEL_STANDARD, LEVEL_HARDER };

static int ease_rank(enum level l)
{
	return l == LEVEL_EASIER ? 0 : l == LEVEL_STANDARD ? 1 : 2;
}

int step_level_step(const struct step *st, enum level from, int dir)
{
	for (int k = ease_rank(from) + dir; k >= 0 && k < 3; k += dir)
		if (st->variant[by_ease[k]].name)
			return (int)by_ease[k];
	return -1;
}

/* TEXT in lower case with single spaces, into BUF (SIZE bytes). */
static void rule_words(const char *t, char *buf, size_t size)
{
	size_t k = 0;

	for (; *t && k + 1 < size; t++) {
		char c = (char)tolower((unsigned char)*t);

		if (c == ' ' && (k == 0 || buf[k - 1] == ' '))
			continue;
		buf[k++] = c;
	}
	while (k > 0 && buf[k - 1] == ' ')
		k--;
	buf[k] = '\0';
}

/* "harder after N sessions" (or "session", "... without hurt"): N, else 0. */
static unsigned progress_sessions(const char *t)
{
	static const char *const tails[] = { " sessions", " session", " sessions without hurt",
					     " session without hurt" };
	char buf[64], *end;
	unsigned long n;

	rule_words(t, buf, sizeof(buf));
	if (strncmp(buf, "harder after ", 13) != 0 || buf[13] < '1' || buf[13] > '9')
		return 0;
	n = strtoul(buf + 13, &end, 10);
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++)
		if (strcmp(end, tails[i]) == 0)
			return n <= 100 ? (unsigned)n : 0;
	return 0;
}

/* "5s per session up to 60s" into *STEP and *LIMIT; false when it is not
 * that. */
static bool grow_rule(const char *t, uint32_t *step, uint32_t *limit)
{
	char buf[64], *per, *upto;

	rule_words(t, buf, sizeof(buf));
	per = strstr(buf, " per session up to ");
	if (!per)
		return false;
	*per = '\0';
	upto = per + strlen(" per session up to ");
	return duration_parse(buf, step) == 0 && duration_parse(upto, limit) == 0;
}

/* progress: harder after N sessions; back: easier after hurt; pin: LEVEL. */
static int parse_rules(struct yamldoc *yd, yaml_node_t *map, struct step *st, struct diag *err)
{
	yaml_node_t *v;
	enum level pin;
	int given;

	v = yamldoc_get(yd, map, "progress");
	if (v) {
		const char *t = yamldoc_text(v);
		unsigned n = t ? progress_sessions(t) : 0;

		if (n == 0)
			return yamldoc_error(yd, v, err, "invalid progress rule (expected e.g. "
					     "'harder after 3 sessions', 1 to 100 sessions)");
		if (step_level_step(st, st->level, +1) < 0)
			return yamldoc_error(yd, v, err, "the step has no harder version to progress to "
					     "(expected a harder: variant)");
		st->progress_after = n;
	}
	v = yamldoc_get(yd, map, "back");
	if (v) {
		const char *t = yamldoc_text(v);
		char words[64];

		if (t)
			rule_words(t, words, sizeof(words));
		if (!t || strcmp(words, "easier after hurt") != 0)
			return yamldoc_error(yd, v, err, "invalid back rule (expected 'easier after hurt')");
		if (step_level_step(st, st->level, -1) < 0)
			return yamldoc_error(yd, v, err, "the step has no easier version to step back to "
					     "(expected an easier: variant)");
		st->back_after_hurt = true;
	}
	v = yamldoc_get(yd, map, "grow");
	if (v) {
		const char *t = yamldoc_text(v);
		uint32_t step = 0, limit = 0;

		if (!t || !grow_rule(t, &step, &limit) || step == 0 || limit > ROUTINE_MAX_HOLD_MS)
			return yamldoc_error(yd, v, err, "invalid grow rule (expected e.g. '5s per "
					     "session up to 60s', the limit at most 30m)");
		if (st->time_ms == 0)
			return yamldoc_error(yd, v, err, "a hold can grow only in a timed step "
					     "(expected time: on the step)");
		if (limit <= st->time_ms)
			return yamldoc_error(yd, v, err, "the limit is not above the step's time "
					     "(expected more than %u s)", st->time_ms / 1000);
		st->grow_ms = step;
		st->grow_limit_ms = limit;
	}
	given = parse_level_key(yd, map, "pin", &pin, err);
	if (given < 0)
		return -1;
	if (given) {
		if (!st->variant[pin].name)
			return yamldoc_error(yd, yamldoc_get(yd, map, "pin"), err,
					     "the step has no %s variant to pin (expected %s: with a name, or another level)",
					     level_names[pin], level_names[pin]);
		if (step_set_level(st, pin) < 0)
			return yamldoc_error(yd, map, err, "out of memory");
		st->pinned = true;
	}
	return 0;
}

int step_set_level(struct step *st, enum level l)
{
	const struct step_variant *std = &st->variant[LEVEL_STANDARD], *v;
	const char *say;
	char *name, *said = NULL;

	if ((unsigned)l >= LEVEL_MAX || !st->variant[l].name)
		l = LEVEL_STANDARD;
	v = &st->variant[l];
	if (!v->name)            /* a step built by hand: only itself */
		return (int)(st->level = LEVEL_STANDARD);
	say = v->say ? v->say : std->say;
	name = strdup(v->name);
	if (say)
		said = strdup(say);
	if (!name || (say && !said)) {
		free(name);
		free(said);
		return -1;
	}
	free(st->name);
	free(st->say);
	st->name = name;
	st->say = said;
	st->time_ms = v->time_ms ? v->time_ms : std->time_ms;
	st->reps = v->reps ? v->reps : std->reps;
	{
		const struct step_variant *sv = v->has_sides ? v : std;

		st->nsides = sv->nsides;
		st->sides[0] = sv->sides[0];
		st->sides[1] = sv->sides[1];
		for (int k = 0; k < 2; k++)
			st->side_say[k] = v->side_say[k] ? v->side_say[k]
					  : v->has_sides ? NULL : std->side_say[k];
	}
	/* A variant that makes one hold several rests between them. */
	if (st->time_ms && st->reps > 1 && std->reps <= 1 && !st->rep_rest_ms)
		st->rep_rest_ms = DEFAULT_REP_REST_MS;
	st->level = l;
	return (int)l;
}

static int parse_sides(struct yamldoc *yd, yaml_node_t *map, struct step *st,
		       struct diag *err);
static int parse_side_words(struct yamldoc *yd, yaml_node_t *map, unsigned nsides,
			    const enum side *sides, char *words[2], struct diag *err);

/* easier: / harder: {name, say, time, reps, sides, left, right} */
static int parse_variant(struct yamldoc *yd, yaml_node_t *map, enum level l,
			 struct step *st, struct diag *err)
{
	struct step_variant *v = &st->variant[l];
	yaml_node_t *n = yamldoc_get(yd, map, level_names[l]);
	char what[32];
	int has_time;

	if (!n)
		return 0;
	snprintf(what, sizeof(what), "'%s'", level_names[l]);
	if (yamldoc_expect(yd, n, YAML_MAPPING_NODE, what,
			   "a mapping with name, and say, time or reps", err) ||
	    yamldoc_check_keys(yd, n, variant_keys, err) ||
	    yamldoc_require(yd, n, "name", "a name for the variant, e.g. name: Both knees to chest", err) ||
	    yamldoc_string(yd, n, "name", ROUTINE_MAX_TEXT, &v->name, err) < 0 ||
	    yamldoc_string(yd, n, "say", ROUTINE_MAX_TEXT, &v->say, err) < 0)
		return -1;
	v->line = (unsigned)n->start_mark.line + 1;
	has_time = yamldoc_duration(yd, n, "time", MIN_HOLD_MS, ROUTINE_MAX_HOLD_MS,
				    YAMLDOC_NO_DEFAULT, &v->time_ms, err);
	if (has_time < 0 ||
	    yamldoc_uint(yd, n, "reps", 1, ROUTINE_MAX_REPS, YAMLDOC_NO_DEFAULT, &v->reps, err) < 0)
		return -1;
	if (has_time && st->time_ms == 0)
		return yamldoc_error(yd, yamldoc_get(yd, n, "time"), err,
				     "a variant's time needs a timed step (expected time: on the step, or no time here)");
	if (yamldoc_get(yd, n, "sides")) {
		struct step sides = { .nsides = 0 };

		if (parse_sides(yd, n, &sides, err))
			return -1;
		v->has_sides = true;
		v->nsides = sides.nsides;
		v->sides[0] = sides.sides[0];
		v->sides[1] = sides.sides[1];
	}
	if (parse_side_words(yd, n, v->has_sides ? v->nsides : st->nsides,
			     v->has_sides ? v->sides : st->sides, v->side_say, err))
		return -1;
	for (unsigned c = 0; has_time && c < st->ncues; c++)
		if (st->cues[c].at_ms >= v->time_ms)
			return yamldoc_error(yd, yamldoc_get(yd, n, "time"), err,
					     "the %s variant's %u s hold is too short for the cue at %u s (expected more than %u s)",
					     level_names[l], v->time_ms / 1000, st->cues[c].at_ms / 1000,
					     st->cues[c].at_ms / 1000);
	return 0;
}

/* left: / right: in MAP, what each of SIDES means, into WORDS; only for a
 * side there is. */
static int parse_side_words(struct yamldoc *yd, yaml_node_t *map, unsigned nsides,
			    const enum side *sides, char *words[2], struct diag *err)
{
	static const char *const keys[2] = { "left", "right" };

	for (int k = 0; k < 2; k++) {
		yaml_node_t *v = yamldoc_get(yd, map, keys[k]);
		bool has = false;

		if (!v)
			continue;
		for (unsigned i = 0; i < nsides; i++)
			has |= sides[i] == (k == 0 ? SIDE_LEFT : SIDE_RIGHT);
		if (!has)
			return yamldoc_error(yd, v, err,
					     "'%s' says what the %s side means, but the step has no %s side (expected sides: both, or no '%s')",
					     keys[k], keys[k], keys[k], keys[k]);
		if (yamldoc_string(yd, map, keys[k], ROUTINE_MAX_TEXT, &words[k], err) < 0)
			return -1;
	}
	return 0;
}

/* The variants, and which level plays (the step's own, else the routine's). */
static int parse_levels(struct yamldoc *yd, yaml_node_t *map, const struct defaults *d,
			struct step *st, struct diag *err)
{
	struct step_variant *std = &st->variant[LEVEL_STANDARD];
	enum level l = d->level;
	int given;

	std->name = strdup(st->name);
	std->say = st->say ? strdup(st->say) : NULL;
	std->time_ms = st->time_ms;
	std->reps = st->reps;
	std->line = st->line;
	std->has_sides = true;
	std->nsides = st->nsides;
	std->sides[0] = st->sides[0];
	std->sides[1] = st->sides[1];
	if (!std->name || (st->say && !std->say))
		return yamldoc_error(yd, map, err, "out of memory");
	if (parse_variant(yd, map, LEVEL_EASIER, st, err) ||
	    parse_variant(yd, map, LEVEL_HARDER, st, err))
		return -1;
	given = parse_level(yd, map, &l, err);
	if (given < 0)
		return -1;
	if (given && !st->variant[l].name)
		return yamldoc_error(yd, yamldoc_get(yd, map, "level"), err,
				     "the step has no %s variant (expected %s: with a name, or another level)",
				     level_names[l], level_names[l]);
	if (step_set_level(st, l) < 0)
		return yamldoc_error(yd, map, err, "out of memory");
	return parse_rules(yd, map, st, err);
}
static enum side side_from(const yaml_node_t *node)
{
	const char *t = yamldoc_text(node);

	if (t && !strcasecmp(t, "left"))
		return SIDE_LEFT;
	if (t && !strcasecmp(t, "right"))
		return SIDE_RIGHT;
	return SIDE_NONE;
}

static int add_side(struct yamldoc *yd, yaml_node_t *item, struct step *st,
		    struct diag *err)
{
	char snip[YAMLDOC_SNIPPET];
	enum side s = side_from(item);

	if (s == SIDE_NONE) {
		if (item->type != YAML_SCALAR_NODE || yamldoc_is_null(item))
			return yamldoc_error(yd, item, err, "a side is %s (expected left or right)",
					     yamldoc_describe(item));
		return yamldoc_error(yd, item, err, "invalid side '%s' (expected left or right)",
				     yamldoc_snippet(yamldoc_text(item), snip, sizeof(snip)));
	}
	/* Every side listed so far, not only the first: with two distinct
	 * sides the array is full, so any third item must stop here. */
	for (unsigned i = 0; i < st->nsides; i++)
		if (st->sides[i] == s)
			return yamldoc_error(yd, item, err,
					     "side '%s' is listed twice (expected [left, right] or [right, left])",
					     side_name(s));
	if (st->nsides >= sizeof(st->sides) / sizeof(st->sides[0]))
		return yamldoc_error(yd, item, err, "too many sides (expected [left, right] or [right, left])");
	st->sides[st->nsides++] = s;
	return 0;
}

static int parse_sides(struct yamldoc *yd, yaml_node_t *map, struct step *st,
		       struct diag *err)
{
	yaml_node_t *v = yamldoc_get(yd, map, "sides");
	char snip[YAMLDOC_SNIPPET];
	size_t i;

	st->nsides = 0;
	if (!v)
		return 0;
	if (v->type == YAML_SEQUENCE_NODE) {
		if (yamldoc_seq_len(v) == 0)
			return yamldoc_error(yd, v, err, "'sides' is an empty list (expected %s)",
					     EXPECT_SIDES);
		for (i = 0; i < yamldoc_seq_len(v); i++)
			if (add_side(yd, yamldoc_seq_item(yd, v, i), st, err))
				return -1;
		return 0;
	}
	if (yamldoc_expect(yd, v, YAML_SCALAR_NODE, "'sides'", EXPECT_SIDES, err))
		return -1;
	if (!strcasecmp(yamldoc_text(v), "none"))
		return 0;
	if (!strcasecmp(yamldoc_text(v), "both")) {
		st->sides[0] = SIDE_LEFT;
		st->sides[1] = SIDE_RIGHT;
		st->nsides = 2;
		return 0;
	}
	if (side_from(v) != SIDE_NONE)
		return add_side(yd, v, st, err);
	return yamldoc_error(yd, v, err, "invalid value '%s' for 'sides' (expected %s)",
			     yamldoc_snippet(yamldoc_text(v), snip, sizeof(snip)), EXPECT_SIDES);
}

/* Reads the keys whose meaning depends on time and reps (see the top). */
static int parse_timing(struct yamldoc *yd, yaml_node_t *map, const struct defaults *d,
			struct step *st, struct diag *err)
{
	char snip[YAMLDOC_SNIPPET];
	int has_time, has_reps, has_pace, has_rest, has_after;
	uint32_t rest_ms = 0;

	has_time = yamldoc_duration(yd, map, "time", MIN_HOLD_MS, ROUTINE_MAX_HOLD_MS,
				    YAMLDOC_NO_DEFAULT, &st->time_ms, err);
	if (has_time < 0)
		return -1;
	has_reps = yamldoc_uint(yd, map, "reps", 1, ROUTINE_MAX_REPS, 1, &st->reps, err);
	if (has_reps < 0)
		return -1;
	if (!has_time && !has_reps)
		return yamldoc_error(yd, map, err,
				     "step '%s' has neither time nor reps (expected time: 30s or reps: 8)",
				     yamldoc_snippet(st->name, snip, sizeof(snip)));
	has_pace = yamldoc_duration(yd, map, "pace", MIN_PACE_MS, MAX_PACE_MS,
				    ROUTINE_PACE_MS, &st->pace_ms, err);
	if (has_pace < 0)
		return -1;
	if (has_time) {
		if (has_pace)
			return yamldoc_error(yd, yamldoc_get(yd, map, "pace"), err,
					     "'pace' is for reps without time (expected either time or pace, not both)");
		st->pace_ms = 0;
	}
	has_rest = yamldoc_duration(yd, map, "rest", 0, ROUTINE_MAX_GAP_MS,
				    YAMLDOC_NO_DEFAULT, &rest_ms, err);
	if (has_rest < 0)
		return -1;
	has_after = yamldoc_duration(yd, map, "after", 0, ROUTINE_MAX_GAP_MS, d->rest_ms,
				     &st->rest_ms, err);
	if (has_after < 0)
		return -1;
	if (has_time && st->reps > 1) {
		st->rep_rest_ms = has_rest ? rest_ms : DEFAULT_REP_REST_MS;
	} else if (has_rest) {
		if (has_after)
			return yamldoc_error(yd, yamldoc_get(yd, map, "after"), err,
					     "both 'rest' and 'after' give the rest after this step (expected one of them)");
		st->rest_ms = rest_ms;
	}
	return 0;
}

/* cues: {15s: Breathe out., 25s: Relax your shoulders.} */
static int parse_cues(struct yamldoc *yd, yaml_node_t *map, struct step *st, struct diag *err)
{
	yaml_node_t *v = yamldoc_get(yd, map, "cues");
	yaml_node_pair_t *pair;
	char snip[YAMLDOC_SNIPPET], what[YAMLDOC_SNIPPET + 16];
	size_t n;

	if (!v)
		return 0;
	if (yamldoc_expect(yd, v, YAML_MAPPING_NODE, "'cues'",
			   "a mapping of times to sentences, such as 15s: Breathe out.", err))
		return -1;
	n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	if (n > ROUTINE_MAX_CUES)
		return yamldoc_error(yd, v, err, "%zu cues (expected at most %d)", n, ROUTINE_MAX_CUES);
	if (st->time_ms == 0)
		return yamldoc_error(yd, v, err, "cues need a timed hold (expected time: on this step)");
	st->cues = calloc(n ? n : 1, sizeof(*st->cues));
	if (!st->cues)
		return yamldoc_error(yd, v, err, "out of memory");
	for (pair = v->data.mapping.pairs.start; pair < v->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&yd->doc, pair->key);
		yaml_node_t *t = yaml_document_get_node(&yd->doc, pair->value);
		const char *ktext = k ? yamldoc_text(k) : NULL;
		struct step_cue *c = &st->cues[st->ncues];

		if (!ktext || duration_parse(ktext, &c->at_ms) < 0)
			return yamldoc_error(yd, k ? k : v, err,
					     "invalid cue time '%s' (expected a time into the hold such as 15s)",
					     ktext ? yamldoc_snippet(ktext, snip, sizeof(snip)) : "?");
		if (c->at_ms >= st->time_ms)
			return yamldoc_error(yd, k, err, "cue at %s is not inside the %u s hold (expected less than the step's time)",
					     yamldoc_snippet(ktext, snip, sizeof(snip)), st->time_ms / 1000);
		yamldoc_snippet(ktext, snip, sizeof(snip));
		/* "15s" and "15000ms" are one time: two sentences there would be
		 * said over each other, or one of them dropped. */
		for (unsigned i = 0; i < st->ncues; i++)
			if (st->cues[i].at_ms == c->at_ms)
				return yamldoc_error(yd, k, err,
						     "a second cue at %s, the first at line %u (expected one cue at each time)",
						     snip, st->cues[i].line);
		/* Checked as name and say are: a "\0" escape, a blank sentence or
		 * one too long is an error here, not a cue cut short or dropped. */
		snprintf(what, sizeof(what), "cue at %s", snip);
		if (yamldoc_string_node(yd, t, what, ROUTINE_MAX_TEXT, &c->say, err) < 0)
			return -1;
		c->line = (unsigned)k->start_mark.line + 1;
		c->column = (unsigned)k->start_mark.column + 1;
		st->ncues++;
	}
	return 0;
}

static int parse_step(struct yamldoc *yd, yaml_node_t *node, size_t index,
		      const struct defaults *d, struct step *st, struct diag *err)
{
	char what[32];

	snprintf(what, sizeof(what), "step %zu", index + 1);
	if (yamldoc_expect(yd, node, YAML_MAPPING_NODE, what, EXPECT_STEP, err) ||
	    yamldoc_check_keys(yd, node, step_keys, err))
		return -1;
	st->line = (unsigned)node->start_mark.line + 1;
	st->column = (unsigned)node->start_mark.column + 1;
	if (yamldoc_require(yd, node, "name", "a name for the step, e.g. name: Cat and camel", err) ||
	    yamldoc_string(yd, node, "name", ROUTINE_MAX_TEXT, &st->name, err) < 0 ||
	    yamldoc_string(yd, node, "say", ROUTINE_MAX_TEXT, &st->say, err) < 0 ||
	    yamldoc_string(yd, node, "explain", ROUTINE_MAX_TEXT, &st->explain, err) < 0 ||
	    parse_timing(yd, node, d, st, err) ||
	    parse_sides(yd, node, st, err) ||
	    parse_side_words(yd, node, st->nsides, st->sides,
			     st->variant[LEVEL_STANDARD].side_say, err) ||
	    yamldoc_bool(yd, node, "wait", false, &st->wait, err) < 0 ||
	    yamldoc_bool(yd, node, "halfway", d->halfway, &st->halfway, err) < 0 ||
	    yamldoc_duration(yd, node, "prepare", 0, ROUTINE_MAX_GAP_MS, d->prepare_ms,
			     &st->prepare_ms, err) < 0 ||
	    yamldoc_duration(yd, node, "switch", 0, ROUTINE_MAX_GAP_MS, d->switch_ms,
			     &st->switch_ms, err) < 0 ||
	    parse_cues(yd, node, st, err) ||
	    parse_levels(yd, node, d, st, err))
		return -1;
	return 0;
}

/* A profile name becomes part of a path: letters, digits, '-' and '_' only. */
static int check_voice(struct yamldoc *yd, yaml_node_t *root, const char *voice,
		       struct diag *err)
{
	char snip[YAMLDOC_SNIPPET];
	const char *p;

	for (p = voice; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			break;
	if (!*p && p - voice <= MAX_VOICE_NAME)
		return 0;
	return yamldoc_error(yd, yamldoc_get(yd, root, "voice"), err,
			     "invalid voice '%s' (expected the name of a profile in voices/, such as en)",
			     yamldoc_snippet(voice, snip, sizeof(snip)));
}

/* Characters (not bytes) of TEXT; 0 for NULL. */
static size_t chars(const char *text)
{
	size_t n = 0;

	for (; text && *text; text++)
		if ((*text & 0xc0) != 0x80)
			n++;
	return n;
}

/* What ST says of its own: its name, say and cues. */
static size_t step_speech(const struct step *st)
{
	size_t n = chars(st->name) + chars(st->say);

	for (unsigned i = 0; i < st->ncues; i++)
		n += chars(st->cues[i].say);
	return n;
}

/* ST's share of the session, speech left out: per side a prepare and the
 * holds (with the rests between timed reps, or the paced reps), a switch
 * between sides, then the rest after it.  At most 2 x (10m + 100 x 40m) +
 * 10m + 10m: no overflow in 64 bits. */
static uint64_t step_length_ms(const struct step *st)
{
	uint64_t sides = st->nsides ? st->nsides : 1, one;

	if (st->time_ms)
		one = (uint64_t)st->reps * st->time_ms + (uint64_t)(st->reps - 1) * st->rep_rest_ms;
	else
		one = (uint64_t)st->reps * st->pace_ms;
	return sides * (st->prepare_ms + one) + (sides - 1) * st->switch_ms + st->rest_ms;
}

/* The routine's budgets (routine.h), checked as each step is added so the
 * error points at the step that goes past. */
static int check_budgets(struct yamldoc *yd, yaml_node_t *node, const struct step *st,
			 size_t *speech, uint64_t *length_ms, struct diag *err)
{
	char snip[YAMLDOC_SNIPPET], have[24], most[24];

	*speech += step_speech(st);
	if (*speech > ROUTINE_MAX_SPEECH)
		return yamldoc_error(yd, node, err,
				     "step '%s' brings the routine's speech to %zu characters "
				     "(expected at most %d for names, say and cues together)",
				     yamldoc_snippet(st->name, snip, sizeof(snip)), *speech,
				     ROUTINE_MAX_SPEECH);
	*length_ms += step_length_ms(st);
	if (*length_ms > ROUTINE_MAX_SESSION_MS) {
		duration_format(*length_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)*length_ms,
				have, sizeof(have));
		duration_format(ROUTINE_MAX_SESSION_MS, most, sizeof(most));
		return yamldoc_error(yd, node, err,
				     "step '%s' brings the session to %s%s of holds and rests "
				     "(expected at most %s for a routine)",
				     yamldoc_snippet(st->name, snip, sizeof(snip)),
				     *length_ms > UINT32_MAX ? "more than " : "", have, most);
	}
	return 0;
}

static int parse_steps(struct yamldoc *yd, yaml_node_t *root, const struct defaults *d,
		       struct routine *r, struct diag *err)
{
	yaml_node_t *steps = yamldoc_get(yd, root, "steps");
	size_t n = yamldoc_seq_len(steps), i, speech = 0;
	uint64_t length_ms = 0;

	if (yamldoc_expect(yd, steps, YAML_SEQUENCE_NODE, "'steps'", "a list of steps", err))
		return -1;
	if (n == 0)
		return yamldoc_error(yd, steps, err, "'steps' is an empty list (expected at least one step)");
	if (n > ROUTINE_MAX_STEPS)
		return yamldoc_error(yd, steps, err, "too many steps: %zu (expected at most %d)",
				     n, ROUTINE_MAX_STEPS);
	r->steps = calloc(n, sizeof(*r->steps));
	if (!r->steps)
		return yamldoc_error(yd, steps, err, "out of memory");
	for (i = 0; i < n; i++) {
		r->nsteps = i + 1;        /* so routine_free sees what is filled */
		if (parse_step(yd, yamldoc_seq_item(yd, steps, i), i, d, &r->steps[i], err) ||
		    check_budgets(yd, yamldoc_seq_item(yd, steps, i), &r->steps[i], &speech,
				  &length_ms, err))
			return -1;
	}
	return 0;
}

static int parse_root(struct yamldoc *yd, struct routine *r, struct diag *err)
{
	yaml_node_t *root = yamldoc_root(yd);
	struct defaults d = { .level = LEVEL_STANDARD };

	yaml_node_t *voice_node = yamldoc_get(yd, root, "voice");

	if (voice_node) {
		r->voice_line = (unsigned)voice_node->start_mark.line + 1;
		r->voice_column = (unsigned)voice_node->start_mark.column + 1;
	}
	if (yamldoc_check_keys(yd, root, routine_keys, err) ||
	    yamldoc_require(yd, root, "name",
			    "a name for the routine, e.g. name: Morning back mobility", err) ||
	    yamldoc_string(yd, root, "name", ROUTINE_MAX_TEXT, &r->name, err) < 0 ||
	    yamldoc_string(yd, root, "voice", MAX_VOICE_NAME, &r->voice, err) < 0 ||
	    (r->voice && check_voice(yd, root, r->voice, err)) ||
	    yamldoc_uint(yd, root, "countdown", 0, MAX_COUNTDOWN, DEFAULT_COUNTDOWN,
			 &r->countdown, err) < 0 ||
	    yamldoc_duration(yd, root, "rest", 0, ROUTINE_MAX_GAP_MS, DEFAULT_REST_MS,
			     &d.rest_ms, err) < 0 ||
	    yamldoc_duration(yd, root, "prepare", 0, ROUTINE_MAX_GAP_MS, DEFAULT_PREPARE_MS,
			     &d.prepare_ms, err) < 0 ||
	    yamldoc_duration(yd, root, "switch", 0, ROUTINE_MAX_GAP_MS, DEFAULT_SWITCH_MS,
			     &d.switch_ms, err) < 0 ||
	    yamldoc_bool(yd, root, "halfway", false, &d.halfway, err) < 0 ||
	    yamldoc_string(yd, root, "safety", ROUTINE_MAX_TEXT, &r->safety, err) < 0 ||
	    parse_level(yd, root, &d.level, err) < 0 ||
	    yamldoc_require(yd, root, "steps", "a list of steps", err))
		return -1;
	return parse_steps(yd, root, &d, r, err);
}

/* Shared by routine_parse and routine_load once the document is loaded. */
static int parse_loaded(struct yamldoc *yd, struct routine *r, struct diag *err)
{
	int ret = parse_root(yd, r, err);

	yamldoc_free(yd);
	if (ret)
		routine_free(r);
	return ret;
}

int routine_parse(const char *path, const char *text, size_t len,
		  struct routine *r, struct diag *err)
{
	struct yamldoc yd;

	memset(r, 0, sizeof(*r));
	if (yamldoc_check_size(path, len, ROUTINE_MAX_SIZE, err) < 0 ||
	    yamldoc_load_buffer(&yd, path, text, len, EXPECT_ROUTINE, err))
		return -1;
	return parse_loaded(&yd, r, err);
}

int routine_load(const char *path, struct routine *r, struct diag *err)
{
	char *text;
	size_t len;
	int rc;

	memset(r, 0, sizeof(*r));
	if (yamldoc_read_file(path, ROUTINE_MAX_SIZE, &text, &len, err) < 0)
		return -1;
	rc = routine_parse(path, text, len, r, err);
	free(text);
	return rc;
}

void routine_free(struct routine *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; r->steps && i < r->nsteps; i++) {
		free(r->steps[i].name);
		free(r->steps[i].say);
		free(r->steps[i].explain);
		for (int l = 0; l < LEVEL_MAX; l++) {
			free(r->steps[i].variant[l].name);
			free(r->steps[i].variant[l].say);
			free(r->steps[i].variant[l].side_say[0]);
			free(r->steps[i].variant[l].side_say[1]);
		}
		for (unsigned c = 0; c < r->steps[i].ncues; c++)
			free(r->steps[i].cues[c].say);
		free(r->steps[i].cues);
	}
	free(r->steps);
	free(r->name);
	free(r->voice);
	free(r->safety);
	memset(r, 0, sizeof(*r));
}

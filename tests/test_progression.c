/* Progression rules and pinning: a step moves up after N sessions done
 * without a hurt, back after a hurt, stays where a pin puts it; a history
 * with gaps, clock changes (local dates), old lines without outcomes and
 * other routines' lines; the rules' syntax and its located errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "history.h"
#include "progression.h"
#include "routine.h"

static const char routine[] =
	"name: Morning\n"
	"steps:\n"
	"  - name: Knee hug\n"
	"    time: 30s\n"
	"    progress: harder after 2 sessions\n"
	"    back: easier after hurt\n"
	"    easier:\n"
	"      name: Both knees to the chest\n"
	"    harder:\n"
	"      name: One knee, other leg long\n"
	"  - name: Bridge\n"
	"    time: 20s\n"
	"    level: easier\n"
	"    pin: easier\n"
	"    progress: harder after 1 session\n"
	"    easier:\n"
	"      name: Small bridge\n"
	"    harder:\n"
	"      name: One-leg bridge\n"
	"  - name: Cat and camel\n"
	"    time: 20s\n";

static struct routine r;

static int setup(void **state)
{
	struct diag err;

	(void)state;
	fx_zone();
	if (routine_parse("r.yaml", routine, strlen(routine), &r, &err) < 0)
		fail_msg("%s", err.text);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	routine_free(&r);
	return 0;
}

/* A session of NAME on Y-M-D with OUTCOMES as in the history file ("dh-s"). */
static struct history_entry session(const char *name, int y, int m, int d, const char *outcomes)
{
	struct history_entry e;
	unsigned n = 0;

	history_entry_init(&e, fx_local(y, m, d, 7, 0), name, HISTORY_FINISHED, 600, 3, 3);
	for (const char *c = outcomes; *c; c++) {
		unsigned char o = *c == 'd' ? STEP_DONE : *c == 's' ? STEP_SKIPPED :
				  *c == 'h' ? STEP_HURT : STEP_NOT_REACHED;

		e.step[n++] = (struct history_step){ o, LEVEL_STANDARD };
		if (c[1] == '+' || c[1] == '-')
			e.step[n - 1].level = *++c == '+' ? LEVEL_HARDER : LEVEL_EASIER;
	}
	e.nsteps = n;
	e.steps_total = n;
	return e;
}

static void compute(struct history_entry *e, size_t n, struct progression_step *out)
{
	struct history h = { .entries = e, .n = n, .cap = n };

	progression_compute(&r, &h, out);
}

static void rules_parse(void **state)
{
	(void)state;
	assert_int_equal(r.steps[0].progress_after, 2);
	assert_true(r.steps[0].back_after_hurt);
	assert_false(r.steps[0].pinned);
	assert_int_equal(r.steps[0].level, LEVEL_STANDARD);
	assert_true(r.steps[1].pinned);
	assert_int_equal(r.steps[1].level, LEVEL_EASIER);
	assert_int_equal(r.steps[2].progress_after, 0);
	assert_false(r.steps[2].back_after_hurt);
}

static void no_history_plays_as_written(void **state)
{
	struct progression_step p[3];

	(void)state;
	compute(NULL, 0, p);
	assert_int_equal(p[0].level, LEVEL_STANDARD);
	assert_int_equal(p[0].last, -1);
	assert_int_equal(p[0].changed, 0);
	assert_int_equal(p[1].level, LEVEL_EASIER);
}

static void progresses_after_n_sessions(void **state)
{
	struct history_entry e[] = {
		session("Morning", 2026, 11, 2, "dd-d"),
		session("Morning", 2026, 11, 3, "dd-d"),     /* second in a row: harder next */
		session("Morning", 2026, 11, 4, "d+d-d"),    /* one in the harder version */
	};
	struct progression_step p[3];

	(void)state;
	compute(e, 1, p);
	assert_int_equal(p[0].level, LEVEL_STANDARD);
	assert_int_equal(p[0].good, 1);
	compute(e, 2, p);
	assert_int_equal(p[0].level, LEVEL_HARDER);
	assert_int_equal(p[0].last, LEVEL_STANDARD);
	assert_int_equal(p[0].changed, fx_local(2026, 11, 3, 7, 0));
	assert_int_equal(p[0].changed_offset, 3600);
	/* The harder version counts from nought: nothing above it to reach. */
	compute(e, 3, p);
	assert_int_equal(p[0].level, LEVEL_HARDER);
	assert_int_equal(p[0].good, 1);
	assert_int_equal(p[0].changed, fx_local(2026, 11, 3, 7, 0));
	/* Announced only when the version differs from the last one played. */
	compute(e, 2, p);
	assert_int_equal(progression_apply(&r, p), 0);
	assert_true(r.steps[0].today);
	assert_string_equal(r.steps[0].name, "One knee, other leg long");
	assert_false(r.steps[2].today);
	compute(e, 3, p);
	assert_int_equal(progression_apply(&r, p), 0);
	assert_false(r.steps[0].today);
	assert_int_equal(r.steps[0].level, LEVEL_HARDER);
}

static void steps_back_after_a_hurt(void **state)
{
	struct history_entry e[] = {
		session("Morning", 2026, 11, 2, "dd-d"),
		session("Morning", 2026, 11, 3, "hd-d"),     /* hurt: easier next */
		session("Morning", 2026, 11, 4, "h-d-d"),    /* hurt again: nothing easier */
		session("Morning", 2026, 11, 5, "d-d-d"),
		session("Morning", 2026, 11, 6, "d-d-d"),    /* two good ones: standard again */
	};
	struct progression_step p[3];

	(void)state;
	compute(e, 2, p);
	assert_int_equal(p[0].level, LEVEL_EASIER);
	assert_int_equal(p[0].good, 0);
	assert_int_equal(p[0].changed, fx_local(2026, 11, 3, 7, 0));
	compute(e, 3, p);
	assert_int_equal(p[0].level, LEVEL_EASIER);
	assert_int_equal(p[0].changed, fx_local(2026, 11, 3, 7, 0));
	compute(e, 4, p);
	assert_int_equal(p[0].level, LEVEL_EASIER);
	compute(e, 5, p);
	assert_int_equal(p[0].level, LEVEL_STANDARD);
	assert_int_equal(p[0].changed, fx_local(2026, 11, 6, 7, 0));
	/* A skip neither counts nor resets; a step without rules never moves. */
	e[4] = session("Morning", 2026, 11, 6, "s-d-h");
	compute(e, 5, p);
	assert_int_equal(p[0].level, LEVEL_EASIER);
	assert_int_equal(p[0].good, 1);
	assert_int_equal(p[2].level, LEVEL_STANDARD);
}

static void a_pin_wins(void **state)
{
	struct history_entry e[] = {
		session("Morning", 2026, 11, 2, "dd-d"),
		session("Morning", 2026, 11, 3, "dd-d"),
		session("Morning", 2026, 11, 4, "dd+d"),   /* played harder (before the pin) */
	};
	struct progression_step p[3];

	(void)state;
	compute(e, 3, p);
	assert_int_equal(p[1].level, LEVEL_EASIER);
	assert_int_equal(progression_apply(&r, p), 0);
	assert_string_equal(r.steps[1].name, "Small bridge");
	assert_true(r.steps[1].today);            /* back to the pinned one: said */
}

/* Weeks without a session, a clock change, lines from before outcomes were
 * recorded, other routines and an edited routine's lines: none moves a step
 * or resets its count. */
static void gaps_clock_changes_and_old_lines(void **state)
{
	struct history_entry e[] = {
		session("Morning", 2026, 10, 24, "dd-d"),   /* summer time */
		session("Morning", 2026, 10, 24, ""),       /* no outcomes: an old line */
		session("Evening", 2026, 10, 24, "hhh"),    /* another routine */
		session("Morning", 2026, 10, 24, "hh"),     /* the routine had two steps then */
		session("Morning", 2026, 12, 1, "dd-d"),    /* five weeks later, winter time */
	};
	struct progression_step p[3];

	(void)state;
	e[1].nsteps = 0;
	compute(e, 5, p);
	assert_int_equal(p[0].level, LEVEL_HARDER);
	assert_int_equal(p[0].changed, fx_local(2026, 12, 1, 7, 0));
	assert_int_equal(p[0].changed_offset, 3600);
	compute(e, 1, p);
	assert_int_equal(p[0].good, 1);
	/* The date of the change is the session's local one, whatever the
	 * clock says now. */
	e[4] = session("Morning", 2026, 10, 25, "dd-d");   /* the day summer time ends */
	compute(e, 5, p);
	assert_int_equal(p[0].changed_offset, 3600);
	e[4].when = fx_local(2026, 10, 25, 7, 0);
	e[4].utc_offset = 3600;
	e[0].utc_offset = 7200;
	compute(e, 5, p);
	assert_int_equal(p[0].level, LEVEL_HARDER);
}

/* A hold that grows by 5 s a session up to 20 s: a hurt takes 5 s back, a
 * move to another version starts from that version's own time. */
static void holds_grow(void **state)
{
	static const char text[] =
		"name: Morning\n"
		"steps:\n"
		"  - name: Plank\n"
		"    time: 10s\n"
		"    grow: 5s per session up to 20s\n"
		"    back: easier after hurt\n"
		"    easier: {name: Plank on the knees, time: 8s}\n";
	struct history_entry e[] = {
		session("Morning", 2026, 11, 2, "d"),
		session("Morning", 2026, 11, 3, "s"),        /* a skip: nothing */
		session("Morning", 2026, 11, 4, "d"),
		session("Morning", 2026, 11, 5, "d"),        /* at the limit */
		session("Morning", 2026, 11, 6, "h"),        /* a hurt: 5 s back, and easier */
		session("Morning", 2026, 11, 7, "d-"),
	};
	struct history h = { .entries = e, .cap = 6 };
	struct progression_step p[1];
	struct routine g;
	struct diag err;
	static const uint32_t hold[] = { 10000, 15000, 15000, 20000, 20000 };

	(void)state;
	for (size_t n = 0; n < 5; n++) {
		if (routine_parse("g.yaml", text, strlen(text), &g, &err) < 0)
			fail_msg("%s", err.text);
		assert_int_equal(g.steps[0].grow_ms, 5000);
		assert_int_equal(g.steps[0].grow_limit_ms, 20000);
		h.n = n;
		progression_compute(&g, &h, p);
		assert_int_equal(progression_apply(&g, p), 0);
		assert_int_equal(g.steps[0].time_ms, hold[n]);
		routine_free(&g);
	}
	/* After the hurt: the easier version, from its own 8 s; then 13 s. */
	for (size_t n = 5; n <= 6; n++) {
		if (routine_parse("g.yaml", text, strlen(text), &g, &err) < 0)
			fail_msg("%s", err.text);
		h.n = n;
		progression_compute(&g, &h, p);
		assert_int_equal(progression_apply(&g, p), 0);
		assert_int_equal(g.steps[0].level, LEVEL_EASIER);
		assert_int_equal(g.steps[0].time_ms, n == 5 ? 8000 : 13000);
		routine_free(&g);
	}
	/* Without the step back, a hurt at the limit takes one step back. */
	{
		static const char plain[] =
			"name: Morning\nsteps:\n  - name: Plank\n    time: 10s\n"
			"    grow: 5s per session up to 20s\n";

		if (routine_parse("g.yaml", plain, strlen(plain), &g, &err) < 0)
			fail_msg("%s", err.text);
		h.n = 5;
		progression_compute(&g, &h, p);
		assert_int_equal(p[0].grown, 1);
		assert_int_equal(progression_apply(&g, p), 0);
		assert_int_equal(g.steps[0].time_ms, 15000);
		routine_free(&g);
	}
}

static const char *parse_error(const char *text)
{
	static struct diag err;
	struct routine rr;

	if (routine_parse("r.yaml", text, strlen(text), &rr, &err) == 0) {
		routine_free(&rr);
		return "(parsed)";
	}
	return err.text;
}

#define STEP "name: R\nsteps:\n  - name: S\n    time: 10s\n    easier: {name: E}\n"

static void rule_errors(void **state)
{
	(void)state;
	assert_string_equal(parse_error(STEP "    progress: harder after 3 sessions\n"),
			    "r.yaml:6:15: error: the step has no harder version to progress to "
			    "(expected a harder: variant)");
	assert_string_equal(parse_error(STEP "    progress: harder after many sessions\n"),
			    "r.yaml:6:15: error: invalid progress rule (expected e.g. 'harder after "
			    "3 sessions', 1 to 100 sessions)");
	assert_string_equal(parse_error(STEP "    back: harder after hurt\n"),
			    "r.yaml:6:11: error: invalid back rule (expected 'easier after hurt')");
	assert_string_equal(parse_error(STEP "    pin: harder\n"),
			    "r.yaml:6:10: error: the step has no harder variant to pin (expected "
			    "harder: with a name, or another level)");
	assert_string_equal(parse_error(STEP "    back: Easier  after HURT\n"), "(parsed)");
	assert_string_equal(parse_error(STEP "    harder: {name: H}\n"
					"    progress: harder after 1 session without hurt\n"), "(parsed)");
	assert_string_equal(parse_error(STEP "    harder: {name: H}\n"
					"    progress: harder after 101 sessions\n"),
			    "r.yaml:7:15: error: invalid progress rule (expected e.g. 'harder after "
			    "3 sessions', 1 to 100 sessions)");
	assert_string_equal(parse_error(STEP "    grow: 5s per session up to 5s\n"),
			    "r.yaml:6:11: error: the limit is not above the step's time (expected "
			    "more than 10 s)");
	assert_string_equal(parse_error(STEP "    grow: 5s a session\n"),
			    "r.yaml:6:11: error: invalid grow rule (expected e.g. '5s per session up "
			    "to 60s', the limit at most 30m)");
	assert_string_equal(parse_error("name: R\nsteps:\n  - name: S\n    reps: 5\n"
					"    grow: 1s per session up to 9s\n"),
			    "r.yaml:5:11: error: a hold can grow only in a timed step (expected time: "
			    "on the step)");
	assert_string_equal(parse_error(STEP "    grow: 5S Per Session up to 1m\n"), "(parsed)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rules_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(no_history_plays_as_written, setup, teardown),
		cmocka_unit_test_setup_teardown(progresses_after_n_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(steps_back_after_a_hurt, setup, teardown),
		cmocka_unit_test_setup_teardown(a_pin_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(gaps_clock_changes_and_old_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(holds_grow, setup, teardown),
		cmocka_unit_test(rule_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

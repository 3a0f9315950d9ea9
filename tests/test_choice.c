/* Choosing routines: the list coachctl shows, start NAME, and the next
 * routine of a long press of Next, over a real folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "choice.h"

static char dir[] = "/tmp/coach-choice-XXXXXX";

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/coach-choice-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	write_file("a.yaml", "name: Alpha\nsteps:\n  - {name: a, time: 1s}\n");
	write_file("b.yaml", "name: Broken\nsteps: 3\n");
	write_file("c.yaml", "name: Gamma\nsteps:\n  - {name: a, time: 1s}\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_file("a.yaml");
	remove_file("b.yaml");
	remove_file("c.yaml");
	return rmdir(dir);
}

static const char *next_after(const char *current, struct routines *r)
{
	const struct routines_entry *e = choice_next(dir, current, r);

	return e ? e->file : NULL;
}

static void next_skips_broken_ones_and_wraps(void **state)
{
	struct routines r;

	(void)state;
	assert_string_equal(next_after("/x/a.yaml", &r), "c.yaml");   /* b is broken */
	assert_string_equal(next_after("c.yaml", &r), "a.yaml");
	assert_string_equal(next_after("elsewhere.yaml", &r), "a.yaml");
}

/* Not a single other routine that parses: nothing to choose, and no endless
 * search (the current one outside the folder once looped for ever). */
static void next_with_nothing_else(void **state)
{
	struct routines r;

	(void)state;
	remove_file("c.yaml");
	assert_null(next_after("a.yaml", &r));
	remove_file("a.yaml");
	assert_null(next_after("elsewhere.yaml", &r));
	assert_null(next_after("b.yaml", &r));
	assert_null(choice_next("/nonexistent", "a.yaml", &r));
}

static void list_and_find(void **state)
{
	struct routines r;
	char reply[512];
	const struct routines_entry *e;

	(void)state;
	choice_list(dir, "/etc/coach/routines/c.yaml", reply, sizeof(reply));
	assert_string_equal(reply, "a  Alpha\\nb  (has an error: coachd --check)\\nc *  Gamma");
	e = choice_find(dir, "gamma", &r, reply, sizeof(reply));
	assert_non_null(e);
	assert_string_equal(e->file, "c.yaml");
	e = choice_find(dir, "b", &r, reply, sizeof(reply));
	assert_non_null(e);
	assert_string_equal(e->name, "");
	assert_null(choice_find(dir, "delta", &r, reply, sizeof(reply)));
	assert_string_equal(reply, "error: no routine called 'delta' (see coachctl list)");
	choice_list("/nonexistent", "", reply, sizeof(reply));
	assert_string_equal(reply, "error: cannot read /nonexistent: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(next_skips_broken_ones_and_wraps, setup, teardown),
		cmocka_unit_test_setup_teardown(next_with_nothing_else, setup, teardown),
		cmocka_unit_test_setup_teardown(list_and_find, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

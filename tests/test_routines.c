/* The routines folder: names read from the files, found by file or name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "routines.h"

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void scans_and_finds(void **state)
{
	char dir[] = "/tmp/coach-routines-XXXXXX";
	struct routines r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_file(dir, "desk-break.yaml", "name: Desk break\nsteps:\n  - {name: a, time: 1s}\n");
	write_file(dir, "a-first.yaml", "name: First\nsteps:\n  - {name: a, time: 1s}\n");
	write_file(dir, "broken.yaml", "name: Broken\nsteps: 3\n");
	write_file(dir, "notes.txt", "not a routine\n");
	write_file(dir, ".hidden.yaml", "name: Hidden\nsteps:\n  - {name: a, time: 1s}\n");
	assert_int_equal(routines_scan(dir, &r), 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.entry[0].file, "a-first.yaml");
	assert_string_equal(r.entry[0].name, "First");
	assert_string_equal(r.entry[1].file, "broken.yaml");
	assert_string_equal(r.entry[1].name, "");    /* listed, marked as broken */
	assert_string_equal(r.entry[2].name, "Desk break");
	assert_int_equal(routines_find(&r, "desk-break"), 2);
	assert_int_equal(routines_find(&r, "DESK-BREAK.yaml"), 2);
	assert_int_equal(routines_find(&r, "desk break"), 2);
	assert_int_equal(routines_find(&r, "desk"), -1);
	assert_int_equal(routines_index_of(&r, "/etc/coach/routines/a-first.yaml"), 0);
	assert_int_equal(routines_index_of(&r, "nope.yaml"), -1);
	assert_int_equal(routines_scan("/nonexistent", &r), -2);  /* -ENOENT */
	assert_int_equal(system("rm -rf /tmp/coach-routines-*"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scans_and_finds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The routines folder: names read from the files, found by file or name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "routine.h"

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

/* Issue 16, finding 13: past 64 routines a random few were neither listed
 * nor startable.  The first 64 by name are listed, the rest counted, and
 * each can still be started by its file name. */
static void a_full_folder_lists_the_first_by_name(void **state)
{
	char dir[] = "/tmp/coach-routines-XXXXXX", file[32], text[96];
	struct routines r;
	struct routines_entry e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < ROUTINES_MAX + 6; i++) {
		snprintf(file, sizeof(file), "r%03d.yaml", i);
		snprintf(text, sizeof(text), "name: Routine %d\nsteps:\n  - {name: a, time: 1s}\n", i);
		write_file(dir, file, text);
	}
	assert_int_equal(routines_scan(dir, &r), 0);
	assert_int_equal(r.n, ROUTINES_MAX);
	for (int i = 0; i < ROUTINES_MAX; i++) {
		snprintf(file, sizeof(file), "r%03d.yaml", i);
		assert_string_equal(r.entry[i].file, file);
	}
	assert_int_equal(r.more, 6);
	assert_int_equal(routines_find(&r, "r069"), -1);
	assert_int_equal(routines_find_file(dir, "r069", &e), 0);
	assert_string_equal(e.file, "r069.yaml");
	assert_string_equal(e.name, "Routine 69");
	assert_int_equal(routines_find_file(dir, "r070", &e), -1);
	assert_int_equal(routines_find_file(dir, "../r001", &e), -1);
	assert_int_equal(system("rm -rf /tmp/coach-routines-*"), 0);
}

/* Finding 10: each `list` parsed every file on the main loop.  Names are
 * kept for files that have not changed (so a file rewritten in place with
 * its old size and time keeps its old name: that is the cache at work), and
 * read again when they change; a FIFO or an oversized file is marked broken
 * without being read. */
static void names_are_read_once_per_change(void **state)
{
	char dir[] = "/tmp/coach-routines-XXXXXX", path[64], *big;
	struct routines r;
	struct stat st;
	struct timespec times[2];

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_file(dir, "a.yaml", "name: Alpha\nsteps:\n  - {name: a, time: 1s}\n");
	assert_int_equal(routines_scan(dir, &r), 0);
	assert_string_equal(r.entry[0].name, "Alpha");
	snprintf(path, sizeof(path), "%s/a.yaml", dir);
	assert_int_equal(stat(path, &st), 0);
	write_file(dir, "a.yaml", "name: Bravo\nsteps:\n  - {name: a, time: 1s}\n");
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	assert_int_equal(routines_scan(dir, &r), 0);
	assert_string_equal(r.entry[0].name, "Alpha");
	times[1].tv_sec -= 10;
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	assert_int_equal(routines_scan(dir, &r), 0);
	assert_string_equal(r.entry[0].name, "Bravo");

	snprintf(path, sizeof(path), "%s/b-fifo.yaml", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	big = malloc(ROUTINE_MAX_SIZE + 64);
	assert_non_null(big);
	memset(big, '#', ROUTINE_MAX_SIZE + 63);
	memcpy(big, "name: Big\nsteps:\n  - {name: a, time: 1s}\n", 40);
	big[ROUTINE_MAX_SIZE + 63] = '\0';
	write_file(dir, "c-big.yaml", big);
	free(big);
	assert_int_equal(routines_scan(dir, &r), 0);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.entry[1].file, "b-fifo.yaml");
	assert_string_equal(r.entry[1].name, "");
	assert_string_equal(r.entry[2].name, "");
	assert_int_equal(system("rm -rf /tmp/coach-routines-*"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scans_and_finds),
		cmocka_unit_test(a_full_folder_lists_the_first_by_name),
		cmocka_unit_test(names_are_read_once_per_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The choices file: a round trip, a missing file, garbage, a value that does
 * not fit, no write when nothing changes, and crash safety (a leftover
 * temporary file is ignored; a file cut at any byte never yields a wrong
 * value). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "state.h"

#define HEADER "# coach: choices remembered across restarts (written by coachd)\n"

static char dir[64];
static char path[128];

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/coach-test-state-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/sub/dir/state", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *p, const char *data, size_t len)
{
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The whole file at P, NUL-terminated (static buffer). */
static const char *read_file(const char *p)
{
	static char buf[32768];
	FILE *f = fopen(p, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void save(const char *key, const char *value)
{
	struct diag err = { .text = "" };

	if (state_save(path, key, value, &err) != 0)
		fail_msg("%s", err.text);
}

static void round_trip(void **state)
{
	char buf[64], tmp[160];

	(void)state;
	save("routine", "morning-back");
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "morning-back");
	save("voice", "de");
	save("routine", "weekend = long one");
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "weekend = long one");
	assert_int_equal(state_load(path, "voice", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "de");
	assert_string_equal(read_file(path), HEADER "routine=weekend = long one\nvoice=de\n");
	/* An empty value is a value. */
	save("voice", "");
	assert_int_equal(state_load(path, "voice", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "");
	/* No temporary file is left behind. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1);
}

static void missing_file_or_key(void **state)
{
	char buf[16] = "x";

	(void)state;
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	save("voice", "fr");
	strcpy(buf, "x");
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(state_load(path, "voice", buf, 2), -ENOBUFS);
	assert_int_equal(state_load(path, "voice", buf, 3), 1);
	assert_string_equal(buf, "fr");
	assert_int_equal(state_load(dir, "voice", buf, sizeof(buf)), -EISDIR);
}

static void garbage_is_ignored_and_replaced(void **state)
{
	static const char junk[] = "\x7f" "ELF\0\0\x01\x02routine\n=x\nROUTINE=y\nrou tine=z\n"
				   "routine=bad\x01value\nvoice=en\r\n# routine=comment\n"
				   "routine=cut off";
	static char big[STATE_MAX_SIZE + 10];
	char buf[64];

	(void)state;
	save("voice", "x");         /* creates the folders */
	write_file(path, junk, sizeof(junk) - 1);
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 0);
	assert_int_equal(state_load(path, "voice", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "en");
	save("routine", "morning-back");
	assert_string_equal(read_file(path), HEADER "voice=en\nroutine=morning-back\n");
	/* A file far too big to be ours is not read, and is started afresh. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "routine=x\n", 10);
	write_file(path, big, sizeof(big));
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), -EFBIG);
	save("routine", "y");
	assert_string_equal(read_file(path), HEADER "routine=y\n");
}

static void duplicates_first_wins(void **state)
{
	char buf[64];

	(void)state;
	save("a", "1");
	write_file(path, "routine=one\nroutine=two\na=1\n", 28);
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "one");
	save("routine", "three");
	assert_string_equal(read_file(path), HEADER "routine=three\na=1\n");
}

static void unchanged_value_writes_nothing(void **state)
{
	struct stat before, after;

	(void)state;
	save("routine", "morning-back");
	assert_int_equal(stat(path, &before), 0);
	save("routine", "morning-back");
	assert_int_equal(stat(path, &after), 0);
	/* A save replaces the file (a new inode); none happened. */
	assert_int_equal(before.st_ino, after.st_ino);
	save("routine", "other");
	assert_int_equal(stat(path, &after), 0);
	assert_int_not_equal(before.st_ino, after.st_ino);
}

static void rejects_bad_keys_and_values(void **state)
{
	struct diag err = { .text = "" };
	char long_value[STATE_MAX_VALUE + 2];

	(void)state;
	assert_int_equal(state_save(path, "Routine", "x", &err), -EINVAL);
	assert_non_null(strstr(err.text, "invalid key 'Routine'"));
	assert_int_equal(state_save(path, "", "x", &err), -EINVAL);
	assert_int_equal(state_save(path, "a=b", "x", &err), -EINVAL);
	assert_int_equal(state_save(path, "routine", "two\nlines", &err), -EINVAL);
	assert_non_null(strstr(err.text, "invalid value for 'routine'"));
	memset(long_value, 'v', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	assert_int_equal(state_save(path, "routine", long_value, &err), -EINVAL);
	long_value[STATE_MAX_VALUE] = '\0';
	assert_int_equal(state_save(path, "routine", long_value, &err), 0);
	/* Nothing was written by the refused saves but the last. */
	assert_int_equal(access(path, F_OK), 0);
}

static void reports_unwritable_places(void **state)
{
	struct diag err = { .text = "" };
	char p[192];

	(void)state;
	snprintf(p, sizeof(p), "%s/file", dir);
	write_file(p, "x", 1);
	snprintf(p, sizeof(p), "%s/file/state", dir);
	assert_int_equal(state_save(p, "routine", "x", &err), -ENOTDIR);
	assert_non_null(strstr(err.text, "/file/state: error: cannot read: Not a directory"));
	assert_int_equal(state_save(dir, "routine", "x", &err), -EISDIR);
	assert_non_null(strstr(err.text, "cannot read"));
}

/* A crash between writing the temporary file and renaming it leaves the old
 * file whole; the leftover is never read and the next save overwrites it. */
static void leftover_temp_file_is_ignored(void **state)
{
	char tmp[160], buf[64];

	(void)state;
	save("routine", "old");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	write_file(tmp, "routine=new\n", 12);
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "old");
	write_file(tmp, "routine=ne", 10);       /* cut by the power cut */
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "old");
	save("routine", "newest");
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "newest");
}

/* Even a file cut at any byte (which the rename makes impossible) never gives
 * a wrong value: a key is found whole or not at all. */
static void cut_file_never_gives_a_wrong_value(void **state)
{
	static const char text[] = HEADER "routine=morning-back\nvoice=de\n";
	size_t len = sizeof(text) - 1, routine_end = strlen(HEADER "routine=morning-back\n");
	char buf[64];

	(void)state;
	save("x", "y");
	for (size_t k = 0; k <= len; k++) {
		int rc;

		write_file(path, text, k);
		rc = state_load(path, "routine", buf, sizeof(buf));
		assert_int_equal(rc, k >= routine_end ? 1 : 0);
		assert_string_equal(buf, k >= routine_end ? "morning-back" : "");
		rc = state_load(path, "voice", buf, sizeof(buf));
		assert_int_equal(rc, k == len ? 1 : 0);
	}
}

static void finds_the_state_directory(void **state)
{
	char buf[128];

	(void)state;
	setenv("STATE_DIRECTORY", "/var/lib/coach:/var/lib/other", 1);
	assert_int_equal(state_path(STATE_FILE, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/var/lib/coach/state");
	assert_int_equal(state_path(STATE_FILE, buf, 20), -ENAMETOOLONG);
	unsetenv("STATE_DIRECTORY");
	setenv("XDG_STATE_HOME", "/home/u/.state", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(state_path("history.tsv", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.state/coach/history.tsv");
	setenv("XDG_STATE_HOME", "relative", 1);   /* ignored, as the spec says */
	assert_int_equal(state_path("history.tsv", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.local/state/coach/history.tsv");
	setenv("STATE_DIRECTORY", "", 1);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	assert_int_equal(state_path(STATE_FILE, buf, sizeof(buf)), -ENOENT);
	assert_string_equal(buf, "");
}

static void makes_and_syncs_folders(void **state)
{
	char p[192];
	struct stat st;

	(void)state;
	snprintf(p, sizeof(p), "%s/a/b/c/file", dir);
	assert_int_equal(state_make_parent(p), 0);
	assert_int_equal(state_make_parent(p), 0);
	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(p, sizeof(p), "%s/a/b/c/file", dir);
	assert_int_equal(state_sync_parent(p), 0);
	assert_int_equal(state_sync_parent("relative-file"), 0);
	snprintf(p, sizeof(p), "%s/none/file", dir);
	assert_int_equal(state_sync_parent(p), -ENOENT);
}

/* Issue 16, finding 17: the state file of a root daemon is never read or
 * written through a link, a FIFO (it blocked the main loop on a reload) is
 * refused at once, and a link left at PATH.tmp is replaced, not followed.
 * (alarm: the old code would block on the FIFO.) */
static void refuses_links_and_special_files(void **state)
{
	struct diag err = { .text = "" };
	char target[160], tmp[160], buf[64];

	(void)state;
	save("routine", "a");
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	write_file(target, "routine=evil\n", 13);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), -ELOOP);
	assert_int_equal(state_save(path, "routine", "b", &err), -ELOOP);
	assert_non_null(strstr(err.text, "cannot read: is a symbolic link"));
	assert_string_equal(read_file(target), "routine=evil\n");

	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), -EPERM);
	assert_int_equal(state_save(path, "routine", "b", &err), -EPERM);
	alarm(0);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, tmp), 0);
	save("routine", "c");
	assert_string_equal(read_file(target), "routine=evil\n");
	assert_int_equal(state_load(path, "routine", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_file_or_key, setup, teardown),
		cmocka_unit_test_setup_teardown(garbage_is_ignored_and_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicates_first_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(unchanged_value_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(rejects_bad_keys_and_values, setup, teardown),
		cmocka_unit_test_setup_teardown(reports_unwritable_places, setup, teardown),
		cmocka_unit_test_setup_teardown(leftover_temp_file_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(cut_file_never_gives_a_wrong_value, setup, teardown),
		cmocka_unit_test_setup_teardown(finds_the_state_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(makes_and_syncs_folders, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_links_and_special_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libespeak-ng loaded when needed (src/sound/espeaklib.h): a stamp in the
 * speech cache that still holds names the engine without loading it; one
 * whose files changed (an upgrade) does not, and then the library is
 * loaded and the stamp written again; stamps that are not whole are never
 * believed, nor one made where $ESPEAK_DATA_PATH chose another folder.
 * The first test must run first: the library is not yet loaded in this
 * process (the tests do not link it). */
#include <dlfcn.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "espeaklib.h"

struct fx {
	char dir[64];
	char lib[96];          /* stands for the library's file */
	char data[96];         /* ... and its data folder */
	char phondata[128];
	char cachedir[96];
	struct diskcache *cache;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct diag err;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/coach-espeaklib.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->lib, sizeof(fx->lib), "%s/libespeak-ng.so.1", fx->dir);
	snprintf(fx->data, sizeof(fx->data), "%s/espeak-ng-data", fx->dir);
	snprintf(fx->phondata, sizeof(fx->phondata), "%s/phondata", fx->data);
	snprintf(fx->cachedir, sizeof(fx->cachedir), "%s/cache", fx->dir);
	*state = fx;
	if (mkdir(fx->data, 0700) < 0)
		return -1;
	write_file(fx->lib, "a library");
	write_file(fx->phondata, "phonemes");
	fx->cache = diskcache_open(fx->cachedir, 1 << 20, &err);
	return fx->cache ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	int rc;

	diskcache_free(fx->cache);
	rc = nftw(fx->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return rc;
}

static bool library_loaded(void)
{
	void *h = dlopen(ESPEAKLIB_SONAME, RTLD_LAZY | RTLD_NOLOAD);

	if (h)
		dlclose(h);
	return h != NULL;
}

/* Whether identity ID names the library's files, not its version alone:
 * under qemu-arm the guest's library path cannot be looked at (its stat is
 * not translated to the -L root), and coach then keys by version. */
static bool files_seen(const char *id)
{
	return strstr(id, " lib ") != NULL;
}

/* Rewrites PATH with other contents: what an upgrade does to a file. */
static void upgrade(const char *path)
{
	assert_int_equal(unlink(path), 0);
	write_file(path, "another version, longer");
}

static void a_holding_stamp_names_the_engine_without_loading_it(void **state)
{
	struct fx *fx = *state;
	char stamp[ESPEAKLIB_STAMP_MAX], id[512], again[512];
	void *data;
	size_t len;
	struct diag err;

	assert_false(library_loaded());
	assert_int_equal(espeaklib_stamp_make("9.99", fx->lib, fx->data, stamp, sizeof(stamp)), 0);
	assert_int_equal(diskcache_put(fx->cache, ESPEAKLIB_STAMP_KEY, stamp, strlen(stamp)), 0);

	assert_int_equal(espeaklib_identity(fx->cache, id, sizeof(id), &err), 0);
	assert_non_null(strstr(id, "espeak-ng 9.99 lib "));
	assert_false(library_loaded());

	/* The library's file changed: the stamp no longer holds, so the
	 * library is loaded, and its real identity is another. */
	upgrade(fx->lib);
	assert_int_equal(espeaklib_identity(fx->cache, again, sizeof(again), &err), 0);
	assert_true(library_loaded());
	assert_string_not_equal(again, id);
	assert_null(strstr(again, "9.99"));
	assert_int_equal(strncmp(again, "espeak-ng ", 10), 0);

	/* ... and the stamp written again, for the library loaded: the next
	 * start would believe it.  Unless its file cannot be looked at (the
	 * identity is then its version alone, and nothing is stamped). */
	if (!files_seen(again)) {
		print_message("# the library's file cannot be looked at here (%s): no stamp\n", again);
		return;
	}
	assert_int_equal(diskcache_get(fx->cache, ESPEAKLIB_STAMP_KEY, &data, &len), 0);
	assert_int_equal(espeaklib_stamp_check(data, len, id, sizeof(id)), 0);
	assert_string_equal(id, again);
	assert_null(memmem(data, len, fx->lib, strlen(fx->lib)));
	free(data);
}

static void a_loaded_library_speaks_for_itself(void **state)
{
	struct fx *fx = *state;
	char a[512], b[512], stamp[ESPEAKLIB_STAMP_MAX];
	struct diag err;

	assert_non_null(espeaklib_load(&err));
	assert_int_equal(espeaklib_identity(NULL, a, sizeof(a), &err), 0);
	/* A stamp of other files in the cache changes nothing now. */
	assert_int_equal(espeaklib_stamp_make("9.99", fx->lib, fx->data, stamp, sizeof(stamp)), 0);
	assert_int_equal(diskcache_put(fx->cache, ESPEAKLIB_STAMP_KEY, stamp, strlen(stamp)), 0);
	assert_int_equal(espeaklib_identity(fx->cache, b, sizeof(b), &err), 0);
	assert_string_equal(a, b);
	assert_int_equal(strncmp(a, "espeak-ng ", 10), 0);
	if (files_seen(a))
		assert_non_null(strstr(a, " phondata "));
}

static void an_upgrade_of_the_data_is_another_identity(void **state)
{
	struct fx *fx = *state;
	char stamp[ESPEAKLIB_STAMP_MAX], before[512], after[512], was[1024] = "";

	assert_int_equal(espeaklib_identity_of("1.51", fx->lib, fx->data, before, sizeof(before)), 0);
	assert_int_equal(espeaklib_stamp_make("1.51", fx->lib, fx->data, stamp, sizeof(stamp)), 0);
	assert_int_equal(espeaklib_stamp_check(stamp, strlen(stamp), after, sizeof(after)), 0);
	assert_string_equal(before, after);

	/* $ESPEAK_DATA_PATH names another folder: espeak-ng would read that
	 * one, so the stamp does not hold while it is set. */
	if (getenv("ESPEAK_DATA_PATH"))
		snprintf(was, sizeof(was), "%s", getenv("ESPEAK_DATA_PATH"));
	assert_int_equal(setenv("ESPEAK_DATA_PATH", fx->dir, 1), 0);
	assert_int_equal(espeaklib_stamp_check(stamp, strlen(stamp), after, sizeof(after)), -1);
	assert_int_equal(was[0] ? setenv("ESPEAK_DATA_PATH", was, 1) : unsetenv("ESPEAK_DATA_PATH"), 0);
	assert_int_equal(espeaklib_stamp_check(stamp, strlen(stamp), after, sizeof(after)), 0);

	upgrade(fx->phondata);
	assert_int_equal(espeaklib_stamp_check(stamp, strlen(stamp), after, sizeof(after)), -1);
	assert_int_equal(espeaklib_identity_of("1.51", fx->lib, fx->data, after, sizeof(after)), 0);
	assert_string_not_equal(before, after);

	/* Gone: no identity at all, never a guess. */
	assert_int_equal(unlink(fx->phondata), 0);
	assert_int_equal(espeaklib_identity_of("1.51", fx->lib, fx->data, after, sizeof(after)), -1);
}

static void a_stamp_not_whole_is_not_believed(void **state)
{
	struct fx *fx = *state;
	char stamp[ESPEAKLIB_STAMP_MAX], id[512], bad[ESPEAKLIB_STAMP_MAX + 64];
	size_t len;

	assert_int_equal(espeaklib_stamp_make("1.51", fx->lib, fx->data, stamp, sizeof(stamp)), 0);
	len = strlen(stamp);
	/* Torn anywhere: every shorter prefix is refused. */
	for (size_t n = 0; n < len; n++)
		assert_int_equal(espeaklib_stamp_check(stamp, n, id, sizeof(id)), -1);
	/* Something after it, or a NUL in it. */
	snprintf(bad, sizeof(bad), "%sx\n", stamp);
	assert_int_equal(espeaklib_stamp_check(bad, strlen(bad), id, sizeof(id)), -1);
	memcpy(bad, stamp, len);
	bad[3] = '\0';
	assert_int_equal(espeaklib_stamp_check(bad, len, id, sizeof(id)), -1);
	/* Another version under the same files' identity. */
	snprintf(bad, sizeof(bad), "%s", stamp);
	*strstr(bad, "\n1.51\n") = '\0';
	snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), "\n1.52\n%s", strstr(stamp, "\nespeak-ng") + 1);
	assert_int_equal(espeaklib_stamp_check(bad, strlen(bad), id, sizeof(id)), -1);
	/* Too small a buffer for the identity: refused, not cut. */
	assert_int_equal(espeaklib_stamp_check(stamp, len, id, 8), -1);
	/* A path with a line break cannot be stamped. */
	assert_int_equal(espeaklib_stamp_make("1.51\n", fx->lib, fx->data, stamp, sizeof(stamp)), -1);
	/* The whole stamp still holds. */
	assert_int_equal(espeaklib_stamp_check(stamp, len, id, sizeof(id)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_holding_stamp_names_the_engine_without_loading_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_loaded_library_speaks_for_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(an_upgrade_of_the_data_is_another_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(a_stamp_not_whole_is_not_believed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

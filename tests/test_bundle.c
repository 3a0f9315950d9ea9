/* Loading a bundle within its budgets (issue 16): a sentence too long to
 * say, and a routine whose speech runs past BUNDLE_MAX_SPEECH_S, are errors
 * located at the step or cue that says them, never a cue silently left out. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "bundle.h"

#define RATE 8000

/* One per process: libespeak-ng is global. */
static struct speech *speech;
static char dir[] = "/tmp/coach-test-bundle-XXXXXX";
static char path[sizeof(dir) + 16];

static void write_routine(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The error of loading the routine at PATH with a speech budget of MINUTES
 * (0: the default), or NULL if it loads. */
static const char *load_error_within(unsigned minutes)
{
	static struct diag err;
	struct bundle_files files = {
		.routine = path, .voices_dir = "voices", .sounds_dir = "sounds", .voice = "en",
		.max_speech_minutes = minutes,
	};
	struct bundle b;

	memset(&err, 0, sizeof(err));
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) == 0) {
		bundle_free(&b);
		return NULL;
	}
	return err.text;
}

static const char *load_error(void)
{
	return load_error_within(0);
}

/* Numbers read aloud take many words: a cue of them within the 1000
 * characters a cue may have runs for minutes. */
static void numbers(char *buf, size_t chars)
{
	size_t i;

	for (i = 0; i + 13 <= chars; i += 13)
		memcpy(buf + i, "987654321987 ", 13);
	buf[i ? i - 1 : 0] = '\0';
}

/* Finding 8: a cue longer than SPEECH_MAX_SECONDS was dropped, --check and
 * the load both passing. */
static void a_cue_too_long_to_say_is_located(void **state)
{
	char cue[ROUTINE_MAX_TEXT + 1], text[2 * ROUTINE_MAX_TEXT];
	const char *err;
	char want[256];

	(void)state;
	numbers(cue, 900);
	snprintf(text, sizeof(text),
		 "name: R\nsteps:\n  - name: Plank\n    time: 30s\n    cues:\n      10s: %s\n", cue);
	write_routine(text);
	err = load_error();
	assert_non_null(err);
	snprintf(want, sizeof(want), "%s:6:7: error: '987654321987 987654321987 98765432198...' "
		 "takes more than %d s to say (expected shorter sentences)", path, SPEECH_MAX_SECONDS);
	assert_string_equal(err, want);
}

/* Finding 12: every text within its limits, the whole past the budget. */
static void speech_past_the_budget_is_located(void **state)
{
	char cue[ROUTINE_MAX_TEXT + 1], *text = malloc(ROUTINE_MAX_SIZE), *p;
	const char *err;

	(void)state;
	assert_non_null(text);
	/* Each say 50 numbers, 90 to 105 s at the shipped voices' pace, under
	 * SPEECH_MAX_SECONDS; three steps of them are 4.5 to 5 minutes, past a
	 * budget of 3 (the default, 20, took fourteen steps: 23 minutes of
	 * synthesis, a minute under qemu-user and under the sanitizers). */
	numbers(cue, 650);
	p = text + sprintf(text, "name: R\nsteps:\n");
	for (int i = 0; i < 3; i++)
		p += sprintf(p, "  - name: Step %d\n    time: 30s\n    say: %d %s\n", i + 1, i, cue);
	write_routine(text);
	assert_null(load_error_within(6));  /* within a budget it loads */
	err = load_error_within(3);
	assert_non_null(err);
	assert_non_null(strstr(err, ": error: the routine's speech runs past 3 minutes at '"));
	/* At a step's line, not the file's top. */
	assert_non_null(strstr(err, ".yaml:"));
	assert_null(strstr(err, ".yaml: error"));
	free(text);
}

/* Finding 11: a stop during a big load waited for all of its synthesis
 * (41 s on a PC).  While interrupted a load gives up without synthesizing
 * anything more; afterwards it loads as ever. */
static void an_interrupted_load_gives_up_at_once(void **state)
{
	char cue[ROUTINE_MAX_TEXT + 1], text[2 * ROUTINE_MAX_TEXT];
	unsigned before, after;
	const char *err;

	(void)state;
	numbers(cue, 400);
	snprintf(text, sizeof(text), "name: R\nsteps:\n  - name: Interrupted\n    time: 30s\n"
		 "    say: %s\n", cue);
	write_routine(text);
	speech_stats(speech, &before, NULL);
	speech_interrupt(true);
	err = load_error();
	speech_interrupt(false);
	speech_stats(speech, &after, NULL);
	assert_non_null(err);
	assert_non_null(strstr(err, "Operation canceled"));
	assert_int_equal(after, before);
	assert_null(load_error());
	speech_stats(speech, &after, NULL);
	assert_true(after > before);
}

/* The shipped routine is far inside every budget. */
static void the_shipped_routine_loads(void **state)
{
	struct bundle_files files = {
		.routine = "config/routines/morning-back.yaml", .voices_dir = "voices",
		.sounds_dir = "sounds", .voice = "en",
	};
	struct bundle b;
	struct diag err;

	(void)state;
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	bundle_free(&b);
}

static void remove_folder(const char *folder)
{
	DIR *d = opendir(folder);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' || (de->d_name[1] && de->d_name[1] != '.'))
			assert_int_equal(unlinkat(dirfd(d), de->d_name, 0), 0);
	closedir(d);
	assert_int_equal(rmdir(folder), 0);
}

/* Kilobytes of the mapping at MAP resident in this process (smaps' Rss). */
static long resident_kb(const void *map)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool found = false;
	long kb = -1;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long start;

		if (!found && sscanf(line, "%lx-", &start) == 1 && strchr(line, ' ') &&
		    strchr(line, '-') < strchr(line, ' '))
			found = start == (unsigned long)(uintptr_t)map;
		else if (found && sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* Whether smaps describes this program's own address space: not under
 * qemu-user when the guest's addresses are not the host's (armhf on x86-64,
 * where smaps lists the emulator's), so residency cannot be read there. */
static bool smaps_is_ours(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool ours;

	assert_true(p != MAP_FAILED);
	p[0] = 1;
	ours = resident_kb(p) > 0;
	munmap(p, (size_t)page);
	return ours;
}

/* Issue 17: a session's memory does not grow with what it has said.  The
 * clips are mappings of the cache's files; bundle_page keeps the pages of
 * the speech of the next seconds and hands back every other clip's, the
 * played ones and the acknowledgements included. */
static void a_session_keeps_only_the_speech_it_needs_soon(void **state)
{
	char cache_dir[sizeof(dir) + 16];
	struct bundle_files files = {
		.routine = "tests/routines/e2e-short.yaml", .voices_dir = "voices",
		.sounds_dir = "sounds", .voice = "en",
	};
	struct bundle b;
	struct diag err;
	size_t wanted = 0, mapped = 0;
	uint64_t until;
	volatile int64_t sum = 0;
	bool smaps = smaps_is_ours();

	(void)state;
	if (!smaps)
		print_message("/proc/self/smaps is not this program's address space (qemu-user?): "
			      "residency not checked, the rest is\n");
	snprintf(cache_dir, sizeof(cache_dir), "%s/cache", dir);
	files.cache = diskcache_open(cache_dir, 1 << 30, &err);
	assert_non_null(files.cache);
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	/* Played: every sample read, as the mixer reads them. */
	for (size_t i = 0; i < b.nspeech; i++) {
		for (uint32_t k = 0; k < b.speech[i].frames; k++)
			sum += b.speech[i].pcm[k];
		if (b.speech[i].map) {
			mapped++;
			assert_true(!smaps || resident_kb(b.speech[i].map) > 0);
		}
	}
	assert_true(mapped > 3 && mapped == b.nspeech);
	bundle_page(&b, 0);
	until = (uint64_t)b.plan.rate * BUNDLE_READ_AHEAD_S;
	for (size_t i = 0; i < b.nspeech; i++) {
		bool soon = false;

		for (size_t c = 0; c < b.plan.ncues; c++)
			soon |= b.plan.cues[c].text == (int)i && b.plan.cues[c].at < until;
		wanted += soon;
		if (soon)
			assert_true(!smaps || resident_kb(b.speech[i].map) > 0);
		else if (smaps)
			assert_int_equal(resident_kb(b.speech[i].map), 0);
	}
	assert_true(wanted > 0 && wanted < b.nspeech);
	/* No session: all handed back; the samples are still there to play. */
	bundle_page(&b, UINT64_MAX);
	for (size_t i = 0; i < b.nspeech && smaps; i++)
		assert_int_equal(resident_kb(b.speech[i].map), 0);
	for (size_t i = 0; i < b.nspeech; i++)
		for (uint32_t k = 0; k < b.speech[i].frames; k++)
			sum -= b.speech[i].pcm[k];
	assert_int_equal(sum, 0);
	bundle_free(&b);
	diskcache_free(files.cache);
	remove_folder(cache_dir);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/r.yaml", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	speech_free(speech);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_cue_too_long_to_say_is_located),
		cmocka_unit_test(speech_past_the_budget_is_located),
		cmocka_unit_test(the_shipped_routine_loads),
		cmocka_unit_test(an_interrupted_load_gives_up_at_once),
		cmocka_unit_test(a_session_keeps_only_the_speech_it_needs_soon),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* The session log on disk: exact lines, a round trip, tolerant reading, and a
 * power cut at every byte of the file.  Streaks and printing are in
 * test_history_report.c. */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture_time.h"

#include "history.h"
#include "routine.h"

#define HEADER "# coach history: local date-time, routine, result, active seconds, steps done/total, audio glitches, step outcomes, check-in\n"
#define NOV_24_0702_BERLIN 1795500133   /* 2026-11-24T06:02:13Z */
#define JUL_1_0700_BERLIN  1782882000   /* 2026-07-01T05:00:00Z */

static char dir[64], path[128];

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
	umask(022);
	fx_zone();
	snprintf(dir, sizeof(dir), "/tmp/coach-test-history-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/state/history.tsv", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void append(const struct history_entry *e)
{
	struct diag err = { .text = "" };

	if (history_append(path, e, &err) != 0)
		fail_msg("%s", err.text);
}

static void load(struct history *h)
{
	struct diag err = { .text = "" };

	if (history_load(path, h, &err) != 0)
		fail_msg("%s", err.text);
}

static char *read_all(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	char *buf = malloc(1 << 16);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void write_all(const char *p, const char *data, size_t len)
{
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void assert_entry_equal(const struct history_entry *a, const struct history_entry *b)
{
	assert_int_equal(a->when, b->when);
	assert_int_equal(a->utc_offset, b->utc_offset);
	assert_string_equal(a->routine, b->routine);
	assert_int_equal(a->result, b->result);
	assert_int_equal(a->seconds, b->seconds);
	assert_int_equal(a->steps_done, b->steps_done);
	assert_int_equal(a->steps_total, b->steps_total);
	assert_int_equal(a->xruns, b->xruns);
	assert_int_equal(a->nsteps, b->nsteps);
	assert_int_equal(a->checkin, b->checkin);
	for (unsigned i = 0; i < a->nsteps; i++) {
		assert_int_equal(a->step[i].outcome, b->step[i].outcome);
		assert_int_equal(a->step[i].level, b->step[i].level);
	}
}

/* Gives E outcomes from TEXT, one letter per step ("dhs."), with "+" or
 * "-" after a letter for the harder or easier variant. */
static void outcomes(struct history_entry *e, const char *text)
{
	e->nsteps = 0;
	for (const char *c = text; *c; c++) {
		unsigned char o = *c == 'd' ? STEP_DONE : *c == 's' ? STEP_SKIPPED :
				  *c == 'h' ? STEP_HURT : STEP_NOT_REACHED;

		e->step[e->nsteps++] = (struct history_step){ o, LEVEL_STANDARD };
		if (c[1] == '+' || c[1] == '-')
			e->step[e->nsteps - 1].level = *++c == '+' ? LEVEL_HARDER : LEVEL_EASIER;
	}
}

static void writes_exact_lines(void **state)
{
	struct history_entry winter = fx_entry(NOV_24_0702_BERLIN, "Morning back mobility",
					    HISTORY_FINISHED, 754, 11, 11);
	struct history_entry summer = fx_entry(JUL_1_0700_BERLIN, "Weekend", HISTORY_STOPPED, 61, 2, 9);
	struct stat st;

	winter.xruns = 3;
	size_t len;
	char *text;

	(void)state;
	assert_int_equal(winter.utc_offset, 3600);
	append(&winter);
	append(&summer);
	/* Each step's outcome and variant, after the glitches (0 when those
	 * were not given: the outcomes need the field before them). */
	outcomes(&winter, "ddddddh+dsdd");
	winter.xruns = 0;
	append(&winter);
	outcomes(&summer, "d-sh-d-......");
	summer.steps_total = 10;
	append(&summer);
	/* The check-in's answer after the outcomes ("-" for none), with "-"
	 * for outcomes not recorded. */
	winter.checkin = 7;
	append(&winter);
	winter.nsteps = 0;
	winter.checkin = 0;
	winter.xruns = -1;
	append(&winter);
	winter.checkin = 10;
	winter.xruns = 2;
	append(&winter);
	text = read_all(path, &len);
	assert_string_equal(text, HEADER
			    "2026-11-24T07:02:13+01:00\tMorning back mobility\tfinished\t754\t11/11\t3\n"
			    "2026-07-01T07:00:00+02:00\tWeekend\tstopped\t61\t2/9\n"
			    "2026-11-24T07:02:13+01:00\tMorning back mobility\tfinished\t754\t11/11\t0\tddddddh+dsdd\t-\n"
			    "2026-07-01T07:00:00+02:00\tWeekend\tstopped\t61\t2/10\t0\td-sh-d-......\t-\n"
			    "2026-11-24T07:02:13+01:00\tMorning back mobility\tfinished\t754\t11/11\t0\tddddddh+dsdd\t7\n"
			    "2026-11-24T07:02:13+01:00\tMorning back mobility\tfinished\t754\t11/11\t0\t-\t0\n"
			    "2026-11-24T07:02:13+01:00\tMorning back mobility\tfinished\t754\t11/11\t2\t-\t10\n");
	free(text);
	/* A check-in past 10 is refused, and nothing is written. */
	{
		struct diag err;
		size_t before = len;

		winter.checkin = 11;
		assert_int_equal(history_append(path, &winter, &err), -EINVAL);
		free(read_all(path, &len));
		assert_int_equal(len, before);
	}
	/* Outcomes that do not match the steps are refused, and nothing is written. */
	{
		struct diag err;
		size_t before = len;

		outcomes(&summer, "dd");
		assert_int_equal(history_append(path, &summer, &err), -EINVAL);
		free(read_all(path, &len));
		assert_int_equal(len, before);
	}
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	/* Offsets west of UTC and in half hours. */
	setenv("TZ", "America/St_Johns", 1);
	tzset();
	summer = fx_entry(JUL_1_0700_BERLIN, "A", HISTORY_FINISHED, 1, 1, 1);
	assert_int_equal(summer.utc_offset, -(2 * 3600 + 30 * 60));
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	winter = fx_entry(NOV_24_0702_BERLIN, "B", HISTORY_FINISHED, 1, 1, 1);
	remove(path);
	append(&summer);
	append(&winter);
	text = read_all(path, &len);
	assert_string_equal(text, HEADER "2026-07-01T02:30:00-02:30\tA\tfinished\t1\t1/1\n"
			    "2026-11-24T11:32:13+05:30\tB\tfinished\t1\t1/1\n");
	free(text);
}

static void cleans_routine_names(void **state)
{
	struct history_entry e;
	char name[300];

	(void)state;
	e = fx_entry(0, "Tab\there\nand \x7f there", HISTORY_FINISHED, 0, 0, 0);
	assert_string_equal(e.routine, "Tab here and   there");
	e = fx_entry(0, "bad \xff\xc0\x80 utf-8 \xe2\x82", HISTORY_FINISHED, 0, 0, 0);
	assert_string_equal(e.routine, "bad ??? utf-8 ??");
	e = fx_entry(0, "", HISTORY_FINISHED, 0, 0, 0);
	assert_string_equal(e.routine, "-");
	/* A long name is cut at a character, never inside one. */
	memset(name, 'a', 126);
	strcpy(name + 126, "\xc3\xa9\xc3\xa9");
	e = fx_entry(0, name, HISTORY_FINISHED, 0, 0, 0);
	assert_int_equal(strlen(e.routine), 126);
	name[125] = '\0';
	strcat(name, "\xc3\xa9");
	e = fx_entry(0, name, HISTORY_FINISHED, 0, 0, 0);
	assert_string_equal(e.routine, name);
}

static void round_trip(void **state)
{
	struct history_entry in[] = {
		fx_entry(fx_local(2026, 1, 31, 6, 59), "Morning back mobility", HISTORY_FINISHED, 754, 11, 11),
		fx_entry(fx_local(2026, 2, 1, 7, 0), "Rücken, sanft \"am Morgen\"", HISTORY_STOPPED, 0, 0, 11),
		fx_entry(fx_local(2026, 7, 15, 23, 59), "Weekend", HISTORY_FINISHED, 4294967295u, 100, 100),
	};
	struct history h;

	(void)state;
	in[0].xruns = 0;
	in[1].xruns = 12;               /* in[2]: not recorded, as in lines written before */
	outcomes(&in[0], "dddh+dds-dddd");
	outcomes(&in[1], "...........");
	in[0].checkin = 3;              /* in[2]: none */
	in[1].checkin = 10;
	load(&h);                       /* a missing file is an empty history */
	assert_int_equal(h.n, 0);
	assert_int_equal(h.skipped, 0);
	for (size_t i = 0; i < 3; i++)
		append(&in[i]);
	load(&h);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.skipped, 0);
	for (size_t i = 0; i < 3; i++)
		assert_entry_equal(&h.entries[i], &in[i]);
	history_free(&h);
	history_free(&h);
}

static void skips_bad_lines(void **state)
{
	static const char good[] = "2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/11\n";
#define L(s) { s, sizeof(s) - 1 }
	static const struct { const char *s; size_t len; } bad[] = {
		L("2026-11-24 07:02:13+01:00\tR\tfinished\t754\t11/11\n"),   /* no T */
		L("2026-02-29T07:02:13+01:00\tR\tfinished\t754\t11/11\n"),   /* not a leap year */
		L("2026-11-24T24:00:00+01:00\tR\tfinished\t754\t11/11\n"),
		L("2026-11-24T07:02:13+19:00\tR\tfinished\t754\t11/11\n"),
		L("2026-11-24T07:02:13+01:00\tR\tdone\t754\t11/11\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t-1\t11/11\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t4294967296\t11/11\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t12/11\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/11\textra\n"),
		L("2026-11-24T07:02:13+01:00\t\tfinished\t754\t11/11\n"),
		L("2026-11-24T07:02:13+01:00\tR\xff\tfinished\t754\t11/11\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/11\r\n"),
		L("2026-11-24T07:02:13+01:00\tR\0\tfinished\t754\t11/11\n"),
		L("\0\0\0\0\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/1 [torn]\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/11\t\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/11\t-1\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/11\t3\t4\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t11/11\t3 [torn]\n"),
		/* Outcomes: one per step, known letters, a variant only after one. */
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tdd\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tdddd\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tdxd\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\t+ddd\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\td++dd\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tD d\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\t\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tddd\t\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tdd [torn]\n"),
		/* The check-in: 0 to 10 as written, or "-". */
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tddd\t11\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tddd\t-1\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tddd\t07\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tddd\t--\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tddd\t5\t1\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\tddd\t1 [torn]\n"),
		L("2026-11-24T07:02:13+01:00\tR\tfinished\t754\t3/3\t0\t--\t1\n"),
	};
#undef L
	char text[8192], longline[700];
	size_t n = 0;
	struct history h;

	(void)state;
	append(&(struct history_entry){ 0 });   /* creates the folder */
	n += (size_t)sprintf(text + n, "%s# a comment\n\n%s", HEADER, good);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(text + n, bad[i].s, bad[i].len);
		n += bad[i].len;
	}
	memset(longline, 'x', sizeof(longline));
	longline[sizeof(longline) - 1] = '\n';
	memcpy(text + n, longline, sizeof(longline));
	n += sizeof(longline);
	memcpy(text + n, good, sizeof(good) - 1);
	n += sizeof(good) - 1;
	write_all(path, text, n);
	load(&h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.skipped, sizeof(bad) / sizeof(bad[0]) + 1);
	assert_int_equal(h.entries[1].when, NOV_24_0702_BERLIN);
	/* Lines written before the glitches were recorded read as unknown. */
	assert_int_equal(h.entries[0].xruns, -1);
	history_free(&h);
}

/* Files written by every version read: five fields (before the glitches),
 * six (before the outcomes), seven (before the check-in), eight. */
static void reads_every_version(void **state)
{
	static const char text[] =
		HEADER
		"2026-11-23T07:00:00+01:00\tR\tfinished\t700\t3/3\n"
		"2026-11-24T07:00:00+01:00\tR\tstopped\t300\t1/3\t2\n"
		"2026-11-25T07:00:00+01:00\tR\tstopped\t200\t1/3\t0\tdh+.\n"
		"2026-11-26T07:00:00+01:00\tR\tfinished\t650\t3/3\t1\ts-dd\n"
		"2026-11-27T07:00:00+01:00\tR\tfinished\t650\t3/3\t0\tddd\t-\n"
		"2026-11-28T07:00:00+01:00\tR\tfinished\t650\t3/3\t0\tdhd\t4\n"
		"2026-11-29T07:00:00+01:00\tR\tfinished\t650\t3/3\t0\t-\t10\n";
	struct history h;

	(void)state;
	append(&(struct history_entry){ 0 });   /* creates the folder */
	write_all(path, text, sizeof(text) - 1);
	load(&h);
	assert_int_equal(h.skipped, 0);
	assert_int_equal(h.n, 7);
	assert_int_equal(h.entries[0].xruns, -1);
	assert_int_equal(h.entries[0].nsteps, 0);
	assert_int_equal(h.entries[1].xruns, 2);
	assert_int_equal(h.entries[1].nsteps, 0);
	assert_int_equal(h.entries[2].xruns, 0);
	assert_int_equal(h.entries[2].nsteps, 3);
	assert_int_equal(h.entries[2].step[0].outcome, STEP_DONE);
	assert_int_equal(h.entries[2].step[0].level, LEVEL_STANDARD);
	assert_int_equal(h.entries[2].step[1].outcome, STEP_HURT);
	assert_int_equal(h.entries[2].step[1].level, LEVEL_HARDER);
	assert_int_equal(h.entries[2].step[2].outcome, STEP_NOT_REACHED);
	assert_int_equal(h.entries[3].step[0].outcome, STEP_SKIPPED);
	assert_int_equal(h.entries[3].step[0].level, LEVEL_EASIER);
	assert_int_equal(h.entries[3].step[2].outcome, STEP_DONE);
	for (int i = 0; i < 5; i++)
		assert_int_equal(h.entries[i].checkin, -1);
	assert_int_equal(h.entries[4].nsteps, 3);
	assert_int_equal(h.entries[5].checkin, 4);
	assert_int_equal(h.entries[5].step[1].outcome, STEP_HURT);
	assert_int_equal(h.entries[6].checkin, 10);
	assert_int_equal(h.entries[6].nsteps, 0);
	history_free(&h);
}

/* Issue 7: a power cut at any byte leaves every earlier line intact.  The log
 * is cut at every offset: load returns exactly the whole lines before the cut
 * and counts the torn one; the next append ends the torn line so that it can
 * never pass for a session, and its own line reads back whole. */
static void survives_a_power_cut_at_every_byte(void **state)
{
	enum { N = 12 };
	struct history_entry in[N + 1];
	char cut[192];
	size_t len;
	char *full;

	(void)state;
	for (int i = 0; i <= N; i++)
		in[i] = fx_entry(fx_local(2026, 1, 1 + i, 7, i), i % 3 ? "Morning back" : "Rücken — sanft",
			      i % 4 ? HISTORY_FINISHED : HISTORY_STOPPED, 600u + (unsigned)i * 37,
			      (unsigned)i % 12, 11 + (unsigned)i % 2);
	for (int i = 0; i <= N; i++)
		in[i].xruns = i % 3 ? i * 7 : -1;   /* a cut inside the glitch count too */
	for (int i = 0; i <= N; i++)              /* and inside the outcomes */
		if (i % 2 && in[i].xruns >= 0)
			outcomes(&in[i], "dh+s-dddddd...");   /* 12 steps */
	for (int i = 0; i < N; i++)
		append(&in[i]);
	full = read_all(path, &len);
	/* On tmpfs when there is one: a thousand fdatasyncs on a disk take seconds. */
	if (access("/dev/shm", W_OK) == 0)
		snprintf(cut, sizeof(cut), "/dev/shm/coach-test-cut-%ld.tsv", (long)getpid());
	else
		snprintf(cut, sizeof(cut), "%s/cut.tsv", dir);
	for (size_t k = 0; k <= len; k++) {
		size_t whole = 0, lines = 0;
		struct history h;
		struct diag err;

		for (size_t i = 0; i < k; i++) {
			if (full[i] == '\n') {
				lines++;
				whole = i + 1;
			}
		}
		write_all(cut, full, k);
		assert_int_equal(history_load(cut, &h, &err), 0);
		/* The header is a line but not a session. */
		assert_int_equal(h.n, lines > 0 ? lines - 1 : 0);
		assert_int_equal(h.skipped, whole < k ? 1 : 0);
		for (size_t i = 0; i < h.n; i++)
			assert_entry_equal(&h.entries[i], &in[i]);
		history_free(&h);

		assert_int_equal(history_append(cut, &in[N], &err), 0);
		assert_int_equal(history_load(cut, &h, &err), 0);
		assert_int_equal(h.n, (lines > 0 ? lines - 1 : 0) + 1);
		/* A torn header is ended as a comment, a torn session as a bad line. */
		assert_int_equal(h.skipped, whole < k && lines > 0 ? 1 : 0);
		assert_entry_equal(&h.entries[h.n - 1], &in[N]);
		history_free(&h);
	}
	free(full);
	remove(cut);
}

/* A power cut can also leave zeros where the last write was to go. */
static void survives_a_zero_filled_tail(void **state)
{
	struct history_entry e = fx_entry(fx_local(2026, 5, 1, 7, 0), "R", HISTORY_FINISHED, 1, 1, 1);
	struct history h;
	size_t len;
	char *text;

	(void)state;
	append(&e);
	text = read_all(path, &len);
	memset(text + len, 0, 40);
	write_all(path, text, len + 40);
	free(text);
	load(&h);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.skipped, 1);
	history_free(&h);
	append(&e);
	load(&h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.skipped, 1);
	assert_entry_equal(&h.entries[1], &e);
	history_free(&h);
}

static void reports_errors(void **state)
{
	struct history_entry e = fx_entry(0, "R", HISTORY_FINISHED, 1, 1, 1);
	struct diag err = { .text = "" };
	struct history h;
	char p[192];

	(void)state;
	append(&e);
	assert_int_equal(history_load(dir, &h, &err), -EISDIR);
	assert_non_null(strstr(err.text, "cannot open: Is a directory"));
	assert_int_equal(history_append(dir, &e, &err), -EISDIR);
	assert_non_null(strstr(err.text, "cannot open: Is a directory"));
	snprintf(p, sizeof(p), "%s/sub", path);
	assert_int_equal(history_append(p, &e, &err), -ENOTDIR);
	if (sizeof(time_t) >= 8) {
		e.when = (time_t)300000000000LL;  /* year 11476 */
		assert_int_equal(history_append(path, &e, &err), -EINVAL);
		assert_non_null(strstr(err.text, "after 9999"));
	}
}

static void finds_the_file(void **state)
{
	char buf[128];

	(void)state;
	setenv("STATE_DIRECTORY", "/var/lib/coach", 1);
	assert_int_equal(history_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/var/lib/coach/history.tsv");
	assert_int_equal(history_find_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/var/lib/coach/history.tsv");
	unsetenv("STATE_DIRECTORY");
	setenv("XDG_STATE_HOME", "/x", 1);
	assert_int_equal(history_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/coach/history.tsv");
	assert_int_equal(history_default_path(buf, 10), -ENAMETOOLONG);
}

/* The whole small file at P, NUL-terminated (static buffer). */
static const char *contents(const char *p)
{
	static char buf[512];
	FILE *f = fopen(p, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Issue 16, finding 17: with history.tsv a symbolic link, the daemon (root,
 * outside the service) appended to the link's target; a FIFO hung `coachctl
 * history` for ever.  Links are never followed, and only a regular file with
 * one name is written.  (alarm: the old code would block on the FIFO.) */
static void refuses_links_and_special_files(void **state)
{
	struct history_entry e = fx_entry(NOV_24_0702_BERLIN, "R", HISTORY_FINISHED, 1, 1, 1);
	struct diag err = { .text = "" };
	struct history h;
	char target[160];
	FILE *f;

	(void)state;
	append(&e);  /* makes the folder */
	snprintf(target, sizeof(target), "%s/shadow", dir);
	assert_int_equal(unlink(path), 0);
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("root:secret\n", f);
	fclose(f);

	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(history_append(path, &e, &err), -ELOOP);
	assert_non_null(strstr(err.text, "history.tsv: error: cannot open: is a symbolic link"));
	assert_int_equal(history_load(path, &h, &err), -ELOOP);
	assert_string_equal(contents(target), "root:secret\n");

	assert_int_equal(unlink(path), 0);
	assert_int_equal(link(target, path), 0);
	assert_int_equal(history_append(path, &e, &err), -EPERM);
	assert_non_null(strstr(err.text, "cannot open: has other names (hard links)"));
	assert_string_equal(contents(target), "root:secret\n");

	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_int_equal(history_load(path, &h, &err), -EPERM);
	assert_non_null(strstr(err.text, "cannot open: is not a regular file"));
	assert_int_equal(history_append(path, &e, &err), -EPERM);
	alarm(0);
}

/* Issue 16, finding 10: the daemon read the whole history on its loop after
 * each session.  The recent read takes the lines in the file's last bytes
 * only, from the first whole line among them. */
static void reads_only_the_recent_end(void **state)
{
	struct history h;
	struct diag err = { .text = "" };
	struct stat st;

	(void)state;
	for (int i = 0; i < 100; i++) {
		struct history_entry e = fx_entry(fx_local(2026, 1, 1 + i % 28, 7, i % 60), "Morning",
					       HISTORY_FINISHED, 600, 11, 11);

		append(&e);
	}
	load(&h);
	assert_int_equal(h.n, 100);
	history_free(&h);
	assert_int_equal(stat(path, &st), 0);
	/* Ten lines' worth and a bit: ten whole lines, the cut one skipped
	 * silently (it is not a damaged line). */
	assert_int_equal(history_load_recent(path, (size_t)(st.st_size / 100 * 10 + 5), &h, &err), 0);
	assert_int_equal(h.n, 10);
	assert_int_equal(h.skipped, 0);
	history_free(&h);
	assert_int_equal(history_load_recent(path, (size_t)st.st_size * 2, &h, &err), 0);
	assert_int_equal(h.n, 100);
	history_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_exact_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(cleans_routine_names, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(skips_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(reads_every_version, setup, teardown),
		cmocka_unit_test_setup_teardown(survives_a_power_cut_at_every_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(survives_a_zero_filled_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(reports_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(finds_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_links_and_special_files, setup, teardown),
		cmocka_unit_test_setup_teardown(reads_only_the_recent_end, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

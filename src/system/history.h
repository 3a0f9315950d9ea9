/* The session log: one line per session, appended to a text file in the state
 * directory and never rewritten.
 *
 *   # coach history: local date-time, routine, result, active seconds, steps done/total, audio glitches, step outcomes, check-in
 *   2026-11-24T07:02:13+01:00<TAB>Morning back mobility<TAB>finished<TAB>754<TAB>11/11<TAB>0<TAB>ddddddh+dddd<TAB>7
 *
 * The last three fields came later: the audio glitches heard (underruns, late
 * callbacks, stalls), each step's outcome with its variant (the format is in
 * step_outcome.h; "-" when not recorded), and the check-in's answer (0 to 10,
 * "-" when there was none).  Lines of five, six or seven fields, written
 * before, still read.
 *
 * The date-time is the session's start, local, with its UTC offset.  A line is
 * appended with one write() on an O_APPEND descriptor, then fdatasync(), so a
 * power cut at any byte leaves every earlier line intact.  Reading is
 * tolerant: a last line without its '\n' (cut by a power cut), or any line that
 * is not a whole session, is skipped and counted, never fatal.  The next append
 * after a cut line first ends it with " [torn]\n", so that the fragment can
 * never pass for a session (a cut "1/11" would read as "1/1").
 *
 * Streaks count local calendar days: the day of a session is the date written
 * in its line, and days are numbered from the calendar (never from t / 86400),
 * so clock changes and time zones do not break a streak. */
#ifndef COACH_HISTORY_H
#define COACH_HISTORY_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"
#include "history_entry.h"

#define HISTORY_FILE        "history.tsv"  /* the log's name in the state directory */

/* Fills BUF (SIZE bytes) with the history file coachd writes:
 * HISTORY_FILE in the state directory (see state_path).  Returns 0, -ENOENT
 * when there is no state directory, or -ENAMETOOLONG. */
int history_default_path(char *buf, size_t size);

/* Fills BUF with the history file a reader (coachctl) should show: the
 * system daemon's /var/lib/coach/history.tsv when that folder exists (as
 * coachctl prefers the system daemon's socket), else history_default_path. */
int history_find_path(char *buf, size_t size);

/* Fills E for a session that started at WHEN (its UTC offset from the local
 * time zone), cleaning ROUTINE into one line of valid UTF-8 that fits. */
void history_entry_init(struct history_entry *e, time_t when, const char *routine,
			enum history_result result, unsigned seconds, unsigned steps_done,
			unsigned steps_total);

/* Appends E to the log at PATH, creating it (with its header line, mode 0640
 * less the umask, and its folder) when missing, and flushes it to disk.
 * Returns 0, or -errno with ERR filled. */
int history_append(const char *path, const struct history_entry *e, struct diag *err);

/* Reads the log at PATH into H (which needs history_free).  A missing file is
 * an empty history.  Returns 0, or -errno with ERR filled when the file cannot
 * be read or memory runs out; bad lines only count in H->skipped. */
int history_load(const char *path, struct history *h, struct diag *err);

/* Like history_load, reading only the last MAX bytes of the file (0: all of
 * it), from the first line that starts inside them: what the daemon needs
 * for a streak, read on its loop, within a budget whatever the file's size. */
int history_load_recent(const char *path, size_t max, struct history *h, struct diag *err);

/* Frees H's entries; H may be zeroed or already freed. */
void history_free(struct history *h);

#endif

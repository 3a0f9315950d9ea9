/* The session log: one line per session, appended to a text file in the state
 * directory and never rewritten.
 *
 *   # coach history: local date-time, routine, result, active seconds, steps done/total
 *   2026-11-24T07:02:13+01:00<TAB>Morning back mobility<TAB>finished<TAB>754<TAB>11/11
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
#include "voice.h"

#define HISTORY_FILE        "history.tsv"  /* the log's name in the state directory */
#define HISTORY_MAX_ROUTINE 128            /* bytes of a routine's name kept, NUL included */
#define HISTORY_MAX_LINE    512            /* longer lines are not sessions */

enum history_result { HISTORY_FINISHED, HISTORY_STOPPED };

struct history_entry {
	time_t when;                 /* the session's start */
	long utc_offset;             /* seconds east of UTC at WHEN, where it happened */
	char routine[HISTORY_MAX_ROUTINE];
	enum history_result result;
	unsigned seconds;            /* time spent, pauses excluded */
	unsigned steps_done;
	unsigned steps_total;
};

struct history {
	struct history_entry *entries;   /* in file order */
	size_t n, cap;
	unsigned skipped;                /* lines that were not a whole session */
};

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

/* Frees H's entries; H may be zeroed or already freed. */
void history_free(struct history *h);

/* Counts streaks of local calendar days with at least one finished session:
 * *CURRENT runs back from today, or from yesterday when today has none yet;
 * *BEST is the longest anywhere.  Returns 0, or -ENOMEM. */
int history_streak(const struct history *h, time_t now, unsigned *current, unsigned *best);

/* What to say after a session that makes a streak of CURRENT days: returns
 * PHRASE_STREAK_ONE for 1, PHRASE_STREAK for more (with *N = CURRENT, for
 * voice_say's {n}), PHRASE_MAX for 0 (nothing to say). */
enum phrase history_streak_phrase(unsigned current, unsigned *n);

/* Prints the last LAST sessions (0: all), one a line, then the current and best
 * streaks ("Current streak: 5 mornings. Best: 12."), for `coachctl history`.
 * Returns 0, or -EIO when OUT fails. */
int history_format(const struct history *h, time_t now, size_t last, FILE *out);

/* Prints every session as CSV (RFC 4180, CRLF line ends) with the header
 * date,routine,result,seconds,steps_done,steps_total.  Returns 0 or -EIO. */
int history_csv(const struct history *h, FILE *out);

#endif

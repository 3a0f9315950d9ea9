/* One session of the history, as data: what history.c reads from and
 * appends to the log file, and what the pure streak and report code counts. */
#ifndef COACH_HISTORY_ENTRY_H
#define COACH_HISTORY_ENTRY_H

#include <stddef.h>
#include <time.h>

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
	int xruns;                   /* audio glitches heard; -1: not recorded (lines before it was) */
};

struct history {
	struct history_entry *entries;   /* in file order */
	size_t n, cap;
	unsigned skipped;                /* lines that were not a whole session */
};

#endif

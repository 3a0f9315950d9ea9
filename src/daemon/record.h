/* A session that ended, written to the history; after a finished one, the
 * streak it makes, as the sentence to say.  Called by the daemon with what
 * the tracker saw; it never calls back. */
#ifndef COACH_RECORD_H
#define COACH_RECORD_H

#include <stddef.h>

#include "routine.h"
#include "streak.h"
#include "tracker.h"

/* How much of the history's end is read for the streak. */
#define RECORD_STREAK_BYTES (1024 * 1024)
#include "voice.h"

/* Appends R, a session of routine ROUTINE (its name, and the version each
 * step played), to the history at PATH (logging what went wrong).  Fills SAY (SIZE bytes) with
 * the streak (under GRACE) in VOICE after a
 * finished session, "" when there is nothing to say.  Returns 0, or -1 when
 * the line could not be written. */
int record_session(const char *path, const struct routine *routine, const struct voice *voice,
		   const struct streak_grace *grace, const struct tracker_record *r, char *say,
		   size_t size);

/* What record_session does in two parts: the line for R into E (held while
 * the check-in is asked), then its writing and the streak to say. */
void record_entry(const struct routine *routine, const struct tracker_record *r,
		  struct history_entry *e);
int record_write(const char *path, const struct history_entry *e, const struct voice *voice,
		 const struct streak_grace *grace, char *say, size_t size);

#endif

#include "record.h"

#include <time.h>

#include "history.h"
#include "history_report.h"
#include "log.h"
#include "streak.h"

void record_entry(const struct routine *routine, const struct tracker_record *r,
		  struct history_entry *e)
{
	history_entry_init(e, r->started, routine->name,
			   r->finished ? HISTORY_FINISHED : HISTORY_STOPPED, r->seconds, r->steps_done,
			   r->steps_total);
	e->xruns = r->xruns;
	if (r->noutcomes == routine->nsteps) {
		e->nsteps = r->noutcomes;
		for (unsigned i = 0; i < e->nsteps; i++)
			e->step[i] = (struct history_step){ .outcome = r->outcome[i],
							    .level = (unsigned char)routine->steps[i].level };
	}
}

int record_session(const char *path, const struct routine *routine, const struct voice *voice,
		   const struct streak_grace *grace, const struct tracker_record *r, char *say,
		   size_t size)
{
	struct history_entry e;

	record_entry(routine, r, &e);
	return record_write(path, &e, voice, grace, say, size);
}

int record_write(const char *path, const struct history_entry *e, const struct voice *voice,
		 const struct streak_grace *grace, char *say, size_t size)
{
	struct history h;
	struct diag err;
	unsigned current, best, n;
	enum phrase ph;

	if (size)
		say[0] = '\0';
	if (history_append(path, e, &err) < 0) {
		log_warn("%s", err.text);
		return -1;
	}
	log_info("history: %s, %s, %u s, %u/%u steps", e->routine,
		 e->result == HISTORY_FINISHED ? "finished" : "stopped", e->seconds, e->steps_done,
		 e->steps_total);
	if (e->result != HISTORY_FINISHED || !voice)
		return 0;
	/* Read on the daemon's loop: a budget, whatever the file's size.  1 MiB
	 * is 15,000 sessions, a streak of forty years. */
	if (history_load_recent(path, RECORD_STREAK_BYTES, &h, &err) < 0) {
		log_warn("%s", err.text);
		return 0;
	}
	if (streak_count(&h, time(NULL), grace, &current, &best) == 0 &&
	    (ph = history_streak_phrase(current, &n)) != PHRASE_MAX) {
		voice_say(voice, ph, NULL, n, 0, say, size);
		log_info("streak: %u (best %u): \"%s\"", current, best, say);
	}
	history_free(&h);
	return 0;
}

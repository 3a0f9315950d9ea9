/* Where coach finds its files.  Run from a checkout (build/coachd), it uses the
 * checkout's own config/, voices/ and sounds/, found relative to the
 * executable; installed, it uses SYSCONFDIR/coach and DATADIR/coach. */
#ifndef COACH_PATHS_H
#define COACH_PATHS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct paths {
	char config[PATH_MAX];    /* coach.yaml */
	char routines[PATH_MAX];  /* folder of routine files */
	char voices[PATH_MAX];    /* folder of voice profiles */
	char sounds[PATH_MAX];    /* folder of tones */
	bool checkout;            /* running from a source tree */
};

/* Fills P from the location of the running executable, or from DATA_DIR
 * (a folder holding config/, voices/ and sounds/ like a checkout) when given. */
void paths_find(struct paths *p, const char *data_dir);

/* The file for routine NAME: NAME itself when it is a path (has a '/'), else
 * NAME in the routines folder, ".yaml" added when missing. */
void paths_routine(const struct paths *p, const char *name, char *buf, size_t size);

#endif

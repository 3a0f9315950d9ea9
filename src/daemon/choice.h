/* Choosing among the routines folder's routines: the list coachctl shows,
 * the one `coachctl start NAME` names, the next one for a long press of
 * Next, and remembering the choice in the state file.  The daemon asks; these
 * answer with names and replies and never call back. */
#ifndef COACH_CHOICE_H
#define COACH_CHOICE_H

#include <stdbool.h>
#include <stddef.h>

#include "paths.h"
#include "routines.h"

/* Fills REPLY with DIR's routines, one a line ("\\n" between them: a reply is
 * one line, coachctl turns them back), CURRENT (a path) marked " *"; an
 * "error: ..." reply when DIR cannot be read or has none. */
void choice_list(const char *dir, const char *current, char *reply, size_t size);

/* Finds the routine NAME names in DIR, for `start` (one past the listed
 * ones by its file name too): returns a pointer to its
 * entry in R (filled by the scan), or NULL with an "error: ..." REPLY (no
 * such routine).  The entry's name is "" when the file has an error. */
const struct routines_entry *choice_find(const char *dir, const char *name, struct routines *r,
					 char *reply, size_t size);

/* The routine after CURRENT (a path) in DIR that parses, in R; NULL when
 * there is no other. */
const struct routines_entry *choice_next(const char *dir, const char *current, struct routines *r);

/* Remembers FILE as the chosen routine while the config names CONFIG_ROUTINE
 * (the choice lasts until the config's routine changes), in the state file at
 * STATE_PATH ("": nowhere).  Logs a failure. */
void choice_remember(const char *state_path, const char *file, const char *config_routine);

/* The routine to play, into OUT (SIZE bytes): the one the user chose with the
 * buttons or `coachctl start` (remembered in the state file at STATE_PATH)
 * as long as the config still names the routine CONFIG_ROUTINE it named
 * then, and the file is still there; else the config's. */
void choice_resolve(const struct paths *paths, const char *state_path, const char *config_routine,
		    char *out, size_t size);

#endif

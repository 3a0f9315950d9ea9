/* Checks across files, for --check, start-up and reload: the voice profile
 * and the schedule's routines that a config names must exist. */
#ifndef COACH_REFS_H
#define COACH_REFS_H

#include "config.h"
#include "diag.h"
#include "paths.h"

/* Checks CFG, read from CONFIG, against the files in P: its voice profile
 * exists and parses, and each schedule entry's routine exists, parses and
 * has its voice profile.  Returns 0, or -1 with ERR located at the value
 * that names a missing file, or at the error in a file named. */
int config_check_refs(const struct config *cfg, const char *config, const struct paths *p,
		      struct diag *err);

#endif

/* The routines a user can choose from: every .yaml file in the routines
 * folder, known by its file name ("desk-break") and by its own name
 * ("Desk break").  At most ROUTINES_MAX are listed, the first by file name;
 * the rest are counted, and can still be started by file name. */
#ifndef COACH_ROUTINES_H
#define COACH_ROUTINES_H

#include <stddef.h>

#define ROUTINES_MAX 64

struct routines_entry {
	char file[256];      /* "desk-break.yaml" */
	char name[256];      /* the routine's name, or "" when the file does not parse */
};

struct routines {
	struct routines_entry entry[ROUTINES_MAX];
	size_t n;            /* sorted by file name */
	size_t more;         /* .yaml files past the first ROUTINES_MAX, not listed */
};

/* Lists DIR's routines (parsing each new or changed file for its name; the
 * names are cached by file identity, for one folder, on one thread).
 * Returns 0 or -errno. */
int routines_scan(const char *dir, struct routines *out);

/* Fills E for WANTED, a file name in DIR with or without .yaml (one a scan
 * did not list, past ROUTINES_MAX).  Returns 0, or -1 when there is no such
 * file.  E's name is "" when it does not parse. */
int routines_find_file(const char *dir, const char *wanted, struct routines_entry *e);

/* The index of the routine that WANTED names: its file name with or without
 * .yaml, or its own name, case-insensitive; -1 when none does. */
int routines_find(const struct routines *r, const char *wanted);

/* The index of FILE (a path or a file name) in R, or -1. */
int routines_index_of(const struct routines *r, const char *file);

#endif

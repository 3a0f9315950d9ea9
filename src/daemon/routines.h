/* The routines a user can choose from: every .yaml file in the routines
 * folder, known by its file name ("desk-break") and by its own name
 * ("Desk break"). */
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
};

/* Lists DIR's routines (parsing each for its name).  Returns 0 or -errno. */
int routines_scan(const char *dir, struct routines *out);

/* The index of the routine that WANTED names: its file name with or without
 * .yaml, or its own name, case-insensitive; -1 when none does. */
int routines_find(const struct routines *r, const char *wanted);

/* The index of FILE (a path or a file name) in R, or -1. */
int routines_index_of(const struct routines *r, const char *file);

#endif

#include "routines.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "routine.h"

static int by_file(const void *a, const void *b)
{
	return strcmp(((const struct routines_entry *)a)->file,
		      ((const struct routines_entry *)b)->file);
}

static int is_yaml(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0 && name[0] != '.';
}

int routines_scan(const char *dir, struct routines *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	out->n = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d)) && out->n < ROUTINES_MAX) {
		struct routines_entry *r = &out->entry[out->n];
		char path[4096];
		struct routine rt;
		struct diag err;

		if (!is_yaml(e->d_name) || strlen(e->d_name) >= sizeof(r->file))
			continue;
		snprintf(r->file, sizeof(r->file), "%s", e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		r->name[0] = '\0';
		if (routine_load(path, &rt, &err) == 0) {
			snprintf(r->name, sizeof(r->name), "%s", rt.name);
			routine_free(&rt);
		}
		out->n++;
	}
	closedir(d);
	qsort(out->entry, out->n, sizeof(out->entry[0]), by_file);
	return 0;
}

int routines_find(const struct routines *r, const char *wanted)
{
	for (size_t i = 0; i < r->n; i++) {
		const char *f = r->entry[i].file;
		size_t stem = strlen(f) - 5;

		if (strcasecmp(f, wanted) == 0 || strcasecmp(r->entry[i].name, wanted) == 0 ||
		    (strlen(wanted) == stem && strncasecmp(f, wanted, stem) == 0))
			return (int)i;
	}
	return -1;
}

int routines_index_of(const struct routines *r, const char *file)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->entry[i].file, base) == 0)
			return (int)i;
	return -1;
}

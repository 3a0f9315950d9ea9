/* The routines folder.  A scan lists the first ROUTINES_MAX .yaml files by
 * name and counts the rest, so what is listed never depends on readdir's
 * order.  Names come from parsing each file, which the main loop must not
 * repeat on every `list`: they are cached by the file's identity (device,
 * inode, size, modification time), so a rescan costs a readdir and a stat
 * per listed file; only new or changed files are parsed, and a file past
 * ROUTINE_MAX_SIZE is marked broken from its size alone. */
#include "routines.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routine.h"

/* Remembered names: one folder's worth, replaced as files change. */
static struct cached {
	char file[256];
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char name[256];
} cache[ROUTINES_MAX];
static size_t ncache;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_yaml(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && n < sizeof(cache[0].file) && strcmp(name + n - 5, ".yaml") == 0 &&
	       name[0] != '.';
}

static struct cached *cached(const char *file, const struct stat *st)
{
	for (size_t i = 0; i < ncache; i++)
		if (!strcmp(cache[i].file, file) && cache[i].dev == st->st_dev &&
		    cache[i].ino == st->st_ino && cache[i].size == st->st_size &&
		    cache[i].mtime.tv_sec == st->st_mtim.tv_sec &&
		    cache[i].mtime.tv_nsec == st->st_mtim.tv_nsec)
			return &cache[i];
	return NULL;
}

/* The routine's name from FILE in DIR (DFD), "" when it does not parse. */
static void read_name(int dfd, const char *dir, const char *file, struct routines_entry *e,
		      struct cached *fresh)
{
	struct stat st;
	struct cached *c;
	char path[4096];
	struct routine rt;
	struct diag err;

	e->name[0] = '\0';
	/* No link followed here; routine_load opens the path, and refuses what
	 * is not a regular file without blocking (a FIFO, a device). */
	if (fstatat(dfd, file, &st, 0) < 0 || !S_ISREG(st.st_mode))
		return;
	c = cached(file, &st);
	if (c) {
		*fresh = *c;
		snprintf(e->name, sizeof(e->name), "%s", c->name);
		return;
	}
	*fresh = (struct cached){ .dev = st.st_dev, .ino = st.st_ino, .size = st.st_size,
				  .mtime = st.st_mtim };
	snprintf(fresh->file, sizeof(fresh->file), "%s", file);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (st.st_size <= ROUTINE_MAX_SIZE && routine_load(path, &rt, &err) == 0) {
		snprintf(e->name, sizeof(e->name), "%s", rt.name);
		routine_free(&rt);
	}
	snprintf(fresh->name, sizeof(fresh->name), "%s", e->name);
}

int routines_scan(const char *dir, struct routines *out)
{
	static struct cached fresh[ROUTINES_MAX];
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	out->n = 0;
	out->more = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (!is_yaml(e->d_name))
			continue;
		if (n == cap) {
			char **grown = realloc(names, (cap ? cap * 2 : 64) * sizeof(*names));

			if (!grown) {
				rc = -ENOMEM;
				goto done;
			}
			names = grown;
			cap = cap ? cap * 2 : 64;
		}
		names[n] = strdup(e->d_name);
		if (!names[n]) {
			rc = -ENOMEM;
			goto done;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), by_name);
	out->more = n > ROUTINES_MAX ? n - ROUTINES_MAX : 0;
	for (size_t i = 0; i < n && i < ROUTINES_MAX; i++) {
		struct routines_entry *r = &out->entry[out->n++];

		snprintf(r->file, sizeof(r->file), "%s", names[i]);
		read_name(dirfd(d), dir, names[i], r, &fresh[i]);
	}
	/* What this scan saw is what the next one may reuse. */
	memcpy(cache, fresh, out->n * sizeof(cache[0]));
	ncache = out->n;
done:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
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

int routines_find_file(const char *dir, const char *wanted, struct routines_entry *e)
{
	char file[sizeof(e->file)];
	size_t n = strlen(wanted);
	struct cached unused;
	DIR *d;

	/* A file name in the folder, nothing else: no path, no hidden file. */
	if (!n || strchr(wanted, '/') || wanted[0] == '.')
		return -1;
	/* A name too long to be a file here is none (cut short, it could name
	 * another one). */
	if (snprintf(file, sizeof(file), "%s%s", wanted,
		     n > 5 && !strcmp(wanted + n - 5, ".yaml") ? "" : ".yaml") >= (int)sizeof(file))
		return -1;
	if (!is_yaml(file) || !(d = opendir(dir)))
		return -1;
	if (faccessat(dirfd(d), file, F_OK, 0) < 0) {
		closedir(d);
		return -1;
	}
	snprintf(e->file, sizeof(e->file), "%s", file);
	read_name(dirfd(d), dir, file, e, &unused);
	closedir(d);
	return 0;
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

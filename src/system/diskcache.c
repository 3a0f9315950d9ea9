#include "diskcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cachekey.h"
#include "safefile.h"

#define MAGIC        "COACHCC1"
#define BYTE_ORDER_MARK 0x01020304u
#define HEADER_SIZE  32
/* A key longer than this is refused: texts are sentences. */
#define MAX_KEY      (64 * 1024)
/* A temporary file this old belongs to a writer that died (power cut). */
#define STALE_TMP_S  600

struct diskcache {
	char dir[PATH_MAX];
	uint64_t max;
	uint64_t total;              /* bytes of clip files, once scanned */
	bool scanned;
	struct diskcache_stats stats;
};

/* The header, in the machine's own byte order (the mark catches a folder
 * copied from another kind of machine): magic, mark, key length, payload
 * length, checksum of key and payload. */
struct header {
	char magic[8];
	uint32_t mark;
	uint32_t key_len;
	uint64_t len;
	uint64_t sum;
};
_Static_assert(sizeof(struct header) == HEADER_SIZE, "header layout");

static int mkdirs(const char *dir)
{
	char p[PATH_MAX];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, dir, n + 1);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

struct diskcache *diskcache_open(const char *dir, uint64_t max_bytes, struct diag *err)
{
	struct diskcache *c;
	struct stat st;
	int rc;

	if (strlen(dir) + 1 + CACHEKEY_NAME_MAX >= PATH_MAX) {
		diag_set(err, dir, 0, 0, "cache folder name too long");
		return NULL;
	}
	rc = mkdirs(dir);
	if (rc == 0 && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = -ENOTDIR;
	if (rc < 0) {
		diag_set(err, dir, 0, 0, "cannot make the cache folder: %s", strerror(-rc));
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		diag_set(err, dir, 0, 0, "out of memory");
		return NULL;
	}
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	c->max = max_bytes;
	return c;
}

int diskcache_dir(char *buf, size_t size)
{
	const char *d = getenv("CACHE_DIRECTORY");
	int n;

	if (d && d[0] == '/') {
		size_t len = strcspn(d, ":");

		n = snprintf(buf, size, "%.*s", (int)len, d);
	} else if ((d = getenv("XDG_CACHE_HOME")) && d[0] == '/') {
		n = snprintf(buf, size, "%s/coach", d);
	} else if ((d = getenv("HOME")) && d[0] == '/') {
		n = snprintf(buf, size, "%s/.cache/coach", d);
	} else {
		return -1;
	}
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int64_t diskcache_max_from_env(void)
{
	const char *v = getenv("COACH_CACHE_MIB");
	char *end;
	unsigned long long mib;

	if (!v || !v[0])
		return (int64_t)DISKCACHE_DEFAULT_MAX;
	errno = 0;
	mib = strtoull(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || *end || errno || mib > (1ull << 30))
		return -1;
	return (int64_t)(mib << 20);
}

struct diskcache *diskcache_open_default(struct diag *err)
{
	char dir[PATH_MAX];
	int64_t max = diskcache_max_from_env();

	err->text[0] = '\0';
	if (max < 0) {
		diag_set(err, "COACH_CACHE_MIB", 0, 0,
			 "expected a size in MiB (0 for no cache), not '%s'", getenv("COACH_CACHE_MIB"));
		return NULL;
	}
	if (max == 0)
		return NULL;
	if (diskcache_dir(dir, sizeof(dir)) < 0) {
		diag_set(err, "speech cache", 0, 0,
			 "no folder for it (CACHE_DIRECTORY, XDG_CACHE_HOME, HOME)");
		return NULL;
	}
	return diskcache_open(dir, (uint64_t)max, err);
}

static void file_path(const struct diskcache *c, const char *key, char *path, size_t size)
{
	char name[CACHEKEY_NAME_MAX];

	cachekey_name(key, name);
	snprintf(path, size, "%s/%s", c->dir, name);
}

static bool read_all(int fd, void *buf, size_t n, off_t at)
{
	char *p = buf;

	while (n > 0) {
		ssize_t r = pread(fd, p, n, at);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return false;
		}
		p += r;
		n -= (size_t)r;
		at += r;
	}
	return true;
}

static bool write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Reads and checks the file at PATH for KEY.  Returns 1 with the payload, 0
 * when there is no file, -1 when the file is bad (torn, damaged, another
 * key), -2 when it cannot be read. */
static int load(const char *path, const char *key, void **data, size_t *len)
{
	struct header h;
	struct stat st;
	size_t key_len = strlen(key);
	char *stored = NULL;
	void *payload = NULL;
	uint64_t sum;
	int fd, rc = -1;

	/* The loader's thread reads it: never through a link, never a FIFO it
	 * would wait on for ever (see safefile.h). */
	fd = safefile_open(path, O_RDONLY, 0, NULL);
	if (fd < 0)
		return fd == -ENOENT ? 0 : -2;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -2;
	}
	if ((uint64_t)st.st_size < HEADER_SIZE || !read_all(fd, &h, sizeof(h), 0) ||
	    memcmp(h.magic, MAGIC, sizeof(h.magic)) || h.mark != BYTE_ORDER_MARK ||
	    h.key_len != key_len || h.len > (uint64_t)st.st_size ||
	    (uint64_t)st.st_size != HEADER_SIZE + (uint64_t)h.key_len + h.len)
		goto out;
	stored = malloc(key_len + 1);
	payload = malloc(h.len ? h.len : 1);
	if (!stored || !payload) {
		rc = -2;
		goto out;
	}
	if (!read_all(fd, stored, key_len, HEADER_SIZE) ||
	    !read_all(fd, payload, h.len, HEADER_SIZE + (off_t)key_len))
		goto out;
	sum = cachekey_checksum(stored, key_len, CACHEKEY_SEED);
	sum = cachekey_checksum(payload, h.len, sum);
	if (sum != h.sum || memcmp(stored, key, key_len))
		goto out;
	/* Its use, for the least-recently-used order (atime is often off). */
	futimens(fd, NULL);
	*len = h.len;
	*data = h.len ? payload : NULL;
	if (!h.len)
		free(payload);
	payload = NULL;
	rc = 1;
out:
	free(stored);
	free(payload);
	close(fd);
	return rc;
}

int diskcache_get(struct diskcache *c, const char *key, void **data, size_t *len)
{
	char path[PATH_MAX + 32];
	int rc;

	file_path(c, key, path, sizeof(path));
	rc = load(path, key, data, len);
	if (rc == 1) {
		c->stats.hits++;
		return 0;
	}
	if (rc == -1 && unlink(path) == 0)
		c->stats.remade++;
	else if (rc == -2)
		c->stats.failed++;
	c->stats.misses++;
	c->scanned = rc == -1 ? false : c->scanned;   /* the total changed */
	return -1;
}

struct file {
	struct timespec used;
	uint64_t size;
	char name[CACHEKEY_NAME_MAX];
};

static bool is_clip_name(const char *n)
{
	size_t len = strlen(n);

	return len == CACHEKEY_NAME_MAX - 1 && strspn(n, "0123456789abcdef") == 16 &&
	       !strcmp(n + 16, ".clip");
}

static int older(const void *a, const void *b)
{
	const struct file *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	if (x->used.tv_nsec != y->used.tv_nsec)
		return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Lists the folder: sums the clip files, removes stale temporary files, and
 * when the total passes the limit removes the least recently used files. */
static void scan(struct diskcache *c)
{
	DIR *d = opendir(c->dir);
	struct file *files = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	time_t now = time(NULL);

	if (!d)
		return;
	c->total = 0;
	while ((de = readdir(d))) {
		struct stat st;

		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!strncmp(de->d_name, ".tmp-", 5)) {
			if (now - st.st_mtime > STALE_TMP_S)
				unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		if (!is_clip_name(de->d_name))
			continue;     /* not ours: never removed */
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct file *f = realloc(files, ncap * sizeof(*f));

			if (!f)
				break;
			files = f;
			cap = ncap;
		}
		files[n].used = st.st_mtim;
		files[n].size = (uint64_t)st.st_size;
		memcpy(files[n].name, de->d_name, CACHEKEY_NAME_MAX);
		c->total += files[n].size;
		n++;
	}
	if (c->total > c->max && n) {
		qsort(files, n, sizeof(*files), older);
		for (size_t i = 0; i < n && c->total > c->max; i++) {
			if (unlinkat(dirfd(d), files[i].name, 0) == 0) {
				c->total -= files[i].size;
				c->stats.evicted++;
			}
		}
	}
	closedir(d);
	free(files);
	c->scanned = true;
}

int diskcache_put(struct diskcache *c, const char *key, const void *data, size_t len)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 32];
	size_t key_len = strlen(key);
	struct header h = { .mark = BYTE_ORDER_MARK };
	int fd, e;

	if (key_len > MAX_KEY)
		return -ENAMETOOLONG;
	memcpy(h.magic, MAGIC, sizeof(h.magic));
	h.key_len = (uint32_t)key_len;
	h.len = len;
	h.sum = cachekey_checksum(data, len, cachekey_checksum(key, key_len, CACHEKEY_SEED));
	file_path(c, key, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", c->dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto err;
	/* Synced before the rename: after a power cut the name never points at
	 * blocks that were not written yet. */
	if (!write_all(fd, &h, sizeof(h)) || !write_all(fd, key, key_len) ||
	    !write_all(fd, data, len) || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		goto err;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		goto err;
	}
	/* The folder is not synced: a rename lost to a power cut only loses
	 * that file (a miss, made again), and a sync per file would double
	 * the cost of a cold start on an SD card. */
	c->stats.stored++;
	if (!c->scanned)
		scan(c);
	else
		c->total += HEADER_SIZE + key_len + len;
	if (c->total > c->max)
		scan(c);
	return 0;
err:
	e = errno ? errno : EIO;
	c->stats.failed++;
	return -e;
}

const char *diskcache_path(const struct diskcache *c)
{
	return c->dir;
}

void diskcache_stats(const struct diskcache *c, struct diskcache_stats *out)
{
	*out = c->stats;
}

void diskcache_free(struct diskcache *c)
{
	free(c);
}

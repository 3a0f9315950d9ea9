#include "diskcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cachekey.h"
#include "safefile.h"

/* CC3: the checksum runs in four lanes (a CC2 file is remade once). */
#define MAGIC        "COACHCC3"
#define BYTE_ORDER_MARK 0x01020304u
#define HEADER_SIZE  32
/* A key longer than this is refused: texts are sentences. */
#define MAX_KEY      (64 * 1024)
/* The payload starts at a multiple of this, so that a mapped file's
 * samples can be read in place. */
#define PAYLOAD_ALIGN 16
/* The checksum runs over blocks of this size, so that a file can be checked
 * a block at a time without holding it all. */
#define SUM_BLOCK    (64 * 1024)
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
 * length, checksum of key and payload.  Then the key, zeros up to the next
 * multiple of PAYLOAD_ALIGN, and the payload. */
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

static uint64_t payload_at(size_t key_len)
{
	return HEADER_SIZE + (((uint64_t)key_len + PAYLOAD_ALIGN - 1) & ~(uint64_t)(PAYLOAD_ALIGN - 1));
}

/* The checksum of N bytes at DATA continuing from H, a SUM_BLOCK at a time
 * (what check() computes while reading the file block by block). */
static uint64_t sum_blocks(const void *data, size_t n, uint64_t h)
{
	const char *p = data;

	for (size_t at = 0; at < n; at += SUM_BLOCK)
		h = cachekey_checksum(p + at, n - at < SUM_BLOCK ? n - at : SUM_BLOCK, h);
	return h;
}

/* Opens the file at PATH and checks it holds KEY whole: its header, its
 * length, its key and its checksum, reading it a block at a time.  Returns
 * the open descriptor with *H filled; -ENOENT when there is no file; -EBADMSG
 * when it is bad (torn, damaged, another key); another -errno when it cannot
 * be read. */
static int check(const char *path, const char *key, struct header *h)
{
	struct stat st;
	size_t key_len = strlen(key);
	char *buf = NULL;
	uint64_t sum, at;
	int fd, rc = -EBADMSG;

	/* The loader's thread reads it: never through a link, never a FIFO it
	 * would wait on for ever (see safefile.h). */
	fd = safefile_open(path, O_RDONLY, 0, NULL);
	if (fd < 0)
		return fd == -ENOENT ? -ENOENT : -EIO;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if ((uint64_t)st.st_size < HEADER_SIZE || !read_all(fd, h, sizeof(*h), 0) ||
	    memcmp(h->magic, MAGIC, sizeof(h->magic)) || h->mark != BYTE_ORDER_MARK ||
	    h->key_len != key_len || h->len > (uint64_t)st.st_size ||
	    (uint64_t)st.st_size != payload_at(key_len) + h->len)
		goto out;
	buf = malloc(key_len > SUM_BLOCK ? key_len : SUM_BLOCK);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	if (!read_all(fd, buf, key_len, HEADER_SIZE) || memcmp(buf, key, key_len))
		goto out;
	sum = cachekey_checksum(key, key_len, CACHEKEY_SEED);
	for (at = 0; at < h->len; at += SUM_BLOCK) {
		size_t n = h->len - at < SUM_BLOCK ? (size_t)(h->len - at) : SUM_BLOCK;

		if (!read_all(fd, buf, n, (off_t)(payload_at(key_len) + at)))
			goto out;
		sum = cachekey_checksum(buf, n, sum);
	}
	if (sum != h->sum)
		goto out;
	/* Its use, for the least-recently-used order (atime is often off). */
	futimens(fd, NULL);
	free(buf);
	return fd;
out:
	free(buf);
	close(fd);
	return rc;
}

/* Counts a miss: a bad file is removed (made again by the caller). */
static int missed(struct diskcache *c, const char *path, int rc)
{
	if (rc == -EBADMSG && unlink(path) == 0)
		c->stats.remade++;
	else if (rc != -ENOENT && rc != -EBADMSG)
		c->stats.failed++;
	c->stats.misses++;
	c->scanned = rc == -EBADMSG ? false : c->scanned;   /* the total changed */
	return -1;
}

int diskcache_get(struct diskcache *c, const char *key, void **data, size_t *len)
{
	char path[PATH_MAX + 32];
	struct header h;
	void *payload;
	int fd;

	file_path(c, key, path, sizeof(path));
	fd = check(path, key, &h);
	if (fd < 0)
		return missed(c, path, fd);
	payload = h.len ? malloc(h.len) : NULL;
	if ((h.len && !payload) ||
	    !read_all(fd, payload, h.len, (off_t)payload_at(strlen(key)))) {
		free(payload);
		close(fd);
		return missed(c, path, -EIO);
	}
	close(fd);
	c->stats.hits++;
	*data = payload;
	*len = h.len;
	return 0;
}

int diskcache_map(struct diskcache *c, const char *key, struct diskcache_mapping *out)
{
	char path[PATH_MAX + 32];
	struct header h;
	uint64_t size;
	void *map;
	int fd;

	file_path(c, key, path, sizeof(path));
	fd = check(path, key, &h);
	if (fd < 0)
		return missed(c, path, fd);
	size = payload_at(strlen(key)) + h.len;
	/* Private and read-only: the file is never written after its rename,
	 * and removing it (past the limit, by hand) leaves the mapping whole. */
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return missed(c, path, -EIO);
	c->stats.hits++;
	*out = (struct diskcache_mapping){
		.data = (const char *)map + payload_at(strlen(key)), .len = (size_t)h.len,
		.map = map, .map_len = (size_t)size,
	};
	return 0;
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
	static const char zeros[PAYLOAD_ALIGN];
	int fd, e;

	if (key_len > MAX_KEY)
		return -ENAMETOOLONG;
	memcpy(h.magic, MAGIC, sizeof(h.magic));
	h.key_len = (uint32_t)key_len;
	h.len = len;
	h.sum = sum_blocks(data, len, cachekey_checksum(key, key_len, CACHEKEY_SEED));
	file_path(c, key, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", c->dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto err;
	/* Synced before the rename: after a power cut the name never points at
	 * blocks that were not written yet. */
	if (!write_all(fd, &h, sizeof(h)) || !write_all(fd, key, key_len) ||
	    !write_all(fd, zeros, (size_t)(payload_at(key_len) - HEADER_SIZE - key_len)) ||
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
		c->total += payload_at(key_len) + len;
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

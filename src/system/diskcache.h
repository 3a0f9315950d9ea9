/* A folder of files, each a payload found by a key string: the speech cache
 * on disk.  Each file holds a header (length and checksum), the full key and
 * the payload (aligned, so that it can be mapped and used in place).  Written to a temporary file, synced and renamed into place, so
 * a power cut leaves the whole file, no file, or a stray temporary file
 * (removed later), never a half-written file under a key's name; and a file
 * that is short, damaged or holds another key all the same (a file system
 * that lies about syncs) is removed and counts as missing.  Bounded: when
 * the files pass the size limit, the least recently used ones (oldest
 * modification time; a hit touches its file) are removed.
 *
 * Errors never stop the caller: a cache that cannot be read or written works
 * as an empty one, and its counters say what happened. */
#ifndef COACH_DISKCACHE_H
#define COACH_DISKCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define DISKCACHE_DEFAULT_MAX (128ull << 20)

struct diskcache_stats {
	unsigned hits;        /* payloads returned */
	unsigned misses;      /* no file for the key */
	unsigned remade;      /* files removed as torn, damaged or of another key */
	unsigned stored;      /* files written */
	unsigned failed;      /* reads or writes that failed (disk full, read-only) */
	unsigned evicted;     /* files removed past the size limit */
};

struct diskcache;

/* Opens the cache in DIR (created, with its parents, when missing), holding at
 * most MAX_BYTES of files.  Returns NULL with ERR filled when DIR cannot be
 * made or is not a folder. */
struct diskcache *diskcache_open(const char *dir, uint64_t max_bytes, struct diag *err);

/* Where the cache goes: $CACHE_DIRECTORY (systemd's CacheDirectory=, the
 * first when it lists several), else $XDG_CACHE_HOME/coach, else
 * $HOME/.cache/coach.  Returns 0, or -1 when none is known. */
int diskcache_dir(char *buf, size_t size);

/* The size limit: $COACH_CACHE_MIB (mebibytes, 0 for no cache) when set to a
 * number, else DISKCACHE_DEFAULT_MAX.  Returns -1 for a value that is not a
 * number. */
int64_t diskcache_max_from_env(void);

/* Opens the cache where diskcache_dir says, with the limit
 * diskcache_max_from_env says.  Returns NULL when the cache is off
 * (COACH_CACHE_MIB=0: ERR's text then empty), or when it cannot be opened
 * (ERR filled: run without it). */
struct diskcache *diskcache_open_default(struct diag *err);

/* Finds KEY.  Returns 0 with *DATA (malloc'd, free it; NULL when *LEN is 0)
 * and *LEN, or -1 when it is not there (or its file was bad, now removed). */
int diskcache_get(struct diskcache *c, const char *key, void **data, size_t *len);

/* A payload mapped read-only from its file, in place. */
struct diskcache_mapping {
	const void *data;     /* the payload, aligned for any sample type */
	size_t len;
	void *map;            /* the whole mapping: munmap(map, map_len) */
	size_t map_len;
};

/* Finds KEY as diskcache_get does (the file checked whole, a block at a
 * time), but maps its payload instead of copying it: the pages cost memory
 * only while they are touched, and they are the page cache's.  Returns 0
 * with *OUT filled, or -1 when it is not there (or its file was bad). */
int diskcache_map(struct diskcache *c, const char *key, struct diskcache_mapping *out);

/* Stores LEN bytes of DATA under KEY, replacing any file it had, then removes
 * the least recently used files while the total passes the limit.  Returns 0,
 * or -errno (the cache is then unchanged). */
int diskcache_put(struct diskcache *c, const char *key, const void *data, size_t len);

const char *diskcache_path(const struct diskcache *c);
void diskcache_stats(const struct diskcache *c, struct diskcache_stats *out);

void diskcache_free(struct diskcache *c);

#endif

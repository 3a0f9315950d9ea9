#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"

#define HEADER "# coach: choices remembered across restarts (written by coachd)\n"

/* One `key=value` line of the file, pointing into its text. */
struct kv {
	const char *key, *value;
	size_t klen, vlen;
};

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       c == '-';
}

static bool valid_key(const char *k, size_t len)
{
	if (len == 0 || len > STATE_MAX_KEY)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!key_char(k[i]))
			return false;
	return true;
}

static bool valid_value(const char *v, size_t len)
{
	if (len > STATE_MAX_VALUE)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return false;
	return true;
}

/* Finds the next valid line in [*P, END); lines without their '\n' (a file
 * cut short) never count.  Returns true with OUT filled, false at the end. */
static bool next_kv(const char **p, const char *end, struct kv *out)
{
	while (*p < end) {
		const char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line)), *eq;
		size_t len;

		if (!nl)
			break;
		*p = nl + 1;
		len = (size_t)(nl - line);
		if (len > 0 && line[len - 1] == '\r')
			len--;
		eq = memchr(line, '=', len);
		if (!eq || line[0] == '#')
			continue;
		out->key = line;
		out->klen = (size_t)(eq - line);
		out->value = eq + 1;
		out->vlen = len - out->klen - 1;
		if (valid_key(out->key, out->klen) && valid_value(out->value, out->vlen))
			return true;
	}
	*p = end;
	return false;
}

/* Reads the file at PATH into BUF (CAP bytes).  Returns 0 with *LEN set,
 * -EFBIG when it does not fit, or -errno with *WHY (when given) saying why
 * it could not be opened. */
static int read_small(const char *path, char *buf, size_t cap, size_t *len, const char **why)
{
	/* Never through a link, never a FIFO (it would block the main loop). */
	int fd = safefile_open(path, O_RDONLY, 0, why);
	size_t n = 0;
	int rc = 0;

	*len = 0;
	if (fd < 0)
		return fd;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			rc = -EFBIG;
			break;
		}
	}
	close(fd);
	*len = n;
	return rc;
}

int state_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int state_path(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("STATE_DIRECTORY");
	int n;

	if (dir && dir[0] == '/') {
		n = snprintf(buf, size, "%.*s/%s", (int)strcspn(dir, ":"), dir, name);
	} else if ((dir = getenv("XDG_STATE_HOME")) && dir[0] == '/') {
		n = snprintf(buf, size, "%s/coach/%s", dir, name);
	} else if ((dir = getenv("HOME")) && dir[0] == '/') {
		n = snprintf(buf, size, "%s/.local/state/coach/%s", dir, name);
	} else {
		if (size > 0)
			buf[0] = '\0';
		return -ENOENT;
	}
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int state_make_parent(const char *path)
{
	char dir[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, len + 1);
	for (char *s = strchr(dir + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

int state_sync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	int fd, rc = 0;

	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	if (!slash)
		memcpy(dir, ".", 2);
	else if (len == 0)
		memcpy(dir, "/", 2);
	else {
		memcpy(dir, path, len);
		dir[len] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Some file systems cannot sync a directory; nothing more can be done. */
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -errno;
	close(fd);
	return rc;
}

int state_load(const char *path, const char *key, char *buf, size_t size)
{
	char *text = malloc(STATE_MAX_SIZE);
	const char *p;
	struct kv kv;
	size_t len, klen = strlen(key);
	int rc;

	if (size > 0)
		buf[0] = '\0';
	if (!text)
		return -ENOMEM;
	rc = read_small(path, text, STATE_MAX_SIZE, &len, NULL);
	if (rc < 0) {
		free(text);
		return rc == -ENOENT ? 0 : rc;
	}
	for (p = text; next_kv(&p, text + len, &kv);) {
		if (kv.klen != klen || memcmp(kv.key, key, klen) != 0)
			continue;
		rc = kv.vlen < size ? 1 : -ENOBUFS;
		if (rc > 0) {
			memcpy(buf, kv.value, kv.vlen);
			buf[kv.vlen] = '\0';
		}
		break;
	}
	free(text);
	return rc;
}

/* Appends S (LEN bytes) to OUT, which holds *N of CAP bytes. */
static bool add(char *out, size_t *n, size_t cap, const char *s, size_t len)
{
	if (len > cap - *n)
		return false;
	memcpy(out + *n, s, len);
	*n += len;
	return true;
}

static bool add_kv(char *out, size_t *n, size_t cap, const char *key, size_t klen,
		   const char *value, size_t vlen)
{
	return add(out, n, cap, key, klen) && add(out, n, cap, "=", 1) &&
	       add(out, n, cap, value, vlen) && add(out, n, cap, "\n", 1);
}

/* The new contents of the file: OLD (LEN bytes) with KEY set to VALUE.
 * Returns 1 with *N set, 0 when KEY already has VALUE, -EFBIG. */
static int rewrite(const char *old, size_t len, const char *key, const char *value,
		   char *out, size_t cap, size_t *n)
{
	size_t klen = strlen(key), vlen = strlen(value);
	bool done = false;
	const char *p;
	struct kv kv;

	*n = 0;
	if (!add(out, n, cap, HEADER, strlen(HEADER)))
		return -EFBIG;
	for (p = old; next_kv(&p, old + len, &kv);) {
		bool ours = kv.klen == klen && memcmp(kv.key, key, klen) == 0;

		if (ours && done)
			continue;               /* a duplicate: the first one counted */
		if (ours && kv.vlen == vlen && memcmp(kv.value, value, vlen) == 0)
			return 0;
		if (ours) {
			kv.value = value;
			kv.vlen = vlen;
			done = true;
		}
		if (!add_kv(out, n, cap, kv.key, kv.klen, kv.value, kv.vlen))
			return -EFBIG;
	}
	if (!done && !add_kv(out, n, cap, key, klen, value, vlen))
		return -EFBIG;
	return 1;
}

/* Writes TEXT to PATH through PATH.tmp, fsync, rename, fsync of the folder. */
static int replace(const char *path, const char *text, size_t len, struct diag *err)
{
	char tmp[PATH_MAX];
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		diag_set(err, path, 0, 0, "path too long");
		return -ENAMETOOLONG;
	}
	rc = state_make_parent(path);
	if (rc < 0) {
		diag_set(err, path, 0, 0, "cannot create its folder: %s", strerror(-rc));
		return rc;
	}
	/* A fresh file of our own: whatever was left at PATH.tmp (a link, a
	 * hard link to another file) is removed, never written through. */
	if (unlink(tmp) < 0 && errno != ENOENT) {
		rc = -errno;
		diag_set(err, tmp, 0, 0, "cannot remove: %s", strerror(-rc));
		return rc;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		rc = -errno;
		diag_set(err, tmp, 0, 0, "cannot create: %s", strerror(-rc));
		return rc;
	}
	rc = state_write_all(fd, text, len);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0) {
		diag_set(err, tmp, 0, 0, "cannot write: %s", strerror(-rc));
		goto err_unlink;
	}
	if (rename(tmp, path) < 0) {
		rc = -errno;
		diag_set(err, path, 0, 0, "cannot replace: %s", strerror(-rc));
		goto err_unlink;
	}
	rc = state_sync_parent(path);
	if (rc < 0)
		diag_set(err, path, 0, 0, "cannot flush its folder: %s", strerror(-rc));
	return rc;

err_unlink:
	unlink(tmp);
	return rc;
}

int state_save(const char *path, const char *key, const char *value, struct diag *err)
{
	const char *why = "";
	char *old, *text;
	size_t len = 0, n;
	int rc;

	if (!valid_key(key, strlen(key))) {
		diag_set(err, path, 0, 0, "invalid key '%.*s' (expected 1 to %d of a-z, 0-9, '_', '.', '-')",
			 STATE_MAX_KEY, key, STATE_MAX_KEY);
		return -EINVAL;
	}
	if (!valid_value(value, strlen(value))) {
		diag_set(err, path, 0, 0, "invalid value for '%s' (expected at most %d bytes, no control characters)",
			 key, STATE_MAX_VALUE);
		return -EINVAL;
	}
	old = malloc(STATE_MAX_SIZE);
	text = malloc(STATE_MAX_SIZE);
	if (!old || !text) {
		diag_set(err, path, 0, 0, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	/* A missing file, or one too big to be ours, is started afresh. */
	rc = read_small(path, old, STATE_MAX_SIZE, &len, &why);
	if (rc == -ENOENT || rc == -EFBIG)
		len = 0;
	else if (rc < 0) {
		diag_set(err, path, 0, 0, "cannot read: %s", *why ? why : strerror(-rc));
		goto out;
	}
	rc = rewrite(old, len, key, value, text, STATE_MAX_SIZE, &n);
	if (rc == -EFBIG)
		diag_set(err, path, 0, 0, "too many choices (more than %d bytes)", STATE_MAX_SIZE);
	else if (rc > 0)
		rc = replace(path, text, n, err);
out:
	free(old);
	free(text);
	return rc;
}

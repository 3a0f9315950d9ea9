#include "espeaklib.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
	{ "espeak_ng_InitializePath", offsetof(struct espeaklib, ng_InitializePath) },
	{ "espeak_ng_Initialize", offsetof(struct espeaklib, ng_Initialize) },
	{ "espeak_ng_ClearErrorContext", offsetof(struct espeaklib, ng_ClearErrorContext) },
	{ "espeak_ng_InitializeOutput", offsetof(struct espeaklib, ng_InitializeOutput) },
	{ "espeak_ng_GetStatusCodeMessage", offsetof(struct espeaklib, ng_GetStatusCodeMessage) },
	{ "espeak_ng_GetSampleRate", offsetof(struct espeaklib, ng_GetSampleRate) },
	{ "espeak_ng_SetVoiceByName", offsetof(struct espeaklib, ng_SetVoiceByName) },
	{ "espeak_ng_SetParameter", offsetof(struct espeaklib, ng_SetParameter) },
	{ "espeak_ng_Synthesize", offsetof(struct espeaklib, ng_Synthesize) },
	{ "espeak_SetSynthCallback", offsetof(struct espeaklib, SetSynthCallback) },
	{ "espeak_Info", offsetof(struct espeaklib, Info) },
};

/* The library once loaded, and its identity then.  The loader thread
 * speaks, but --check and the tests may load it from another: a lock. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct espeaklib lib;
static bool loaded;
static char loaded_id[512];
static char loaded_stamp[ESPEAKLIB_STAMP_MAX];

static int load_locked(struct diag *err)
{
	struct link_map *map = NULL;
	const char *data = NULL, *version;
	void *handle;

	if (loaded)
		return 0;
	handle = dlopen(ESPEAKLIB_SONAME, RTLD_LAZY | RTLD_LOCAL);
	if (!handle)
		return diag_set(err, "espeak-ng", 0, 0, "cannot load %s: %s", ESPEAKLIB_SONAME,
				dlerror());
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *sym = dlsym(handle, symbols[i].name);

		if (!sym) {
			diag_set(err, "espeak-ng", 0, 0, "%s has no %s", ESPEAKLIB_SONAME,
				 symbols[i].name);
			dlclose(handle);
			return -1;
		}
		/* POSIX's way from an object pointer to a function's. */
		memcpy((char *)&lib + symbols[i].offset, &sym, sizeof(sym));
	}
	/* Where its data is, which its identity includes. */
	lib.ng_InitializePath(NULL);
	version = lib.Info(&data);
	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) < 0 || !map || !map->l_name[0] ||
	    espeaklib_stamp_make(version ? version : "?", map->l_name, data ? data : "",
				 loaded_stamp, sizeof(loaded_stamp)) < 0 ||
	    espeaklib_stamp_check(loaded_stamp, strlen(loaded_stamp), loaded_id,
				  sizeof(loaded_id)) < 0) {
		/* Its files cannot be looked at: still usable, its clips
		 * then keyed by its version alone. */
		snprintf(loaded_id, sizeof(loaded_id), "espeak-ng %s", version ? version : "?");
		loaded_stamp[0] = '\0';
	}
	loaded = true;
	return 0;
}

const struct espeaklib *espeaklib_load(struct diag *err)
{
	int rc;

	pthread_mutex_lock(&lock);
	rc = load_locked(err);
	pthread_mutex_unlock(&lock);
	return rc < 0 ? NULL : &lib;
}

/* "D:I:S:T" of PATH (device, inode, size, modification time) into BUF. */
static int file_id(const char *path, char *buf, size_t size)
{
	struct stat st;
	int n;

	if (stat(path, &st) < 0)
		return -1;
	n = snprintf(buf, size, "%ju:%ju:%jd:%jd.%09ld", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
		     (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int espeaklib_identity_of(const char *version, const char *lib_path, const char *data,
			  char *buf, size_t size)
{
	char l[96], d[96], p[96], phondata[1024];
	int n;

	n = snprintf(phondata, sizeof(phondata), "%s/phondata", data);
	if (n < 0 || (size_t)n >= sizeof(phondata) || file_id(lib_path, l, sizeof(l)) < 0 ||
	    file_id(data, d, sizeof(d)) < 0 || file_id(phondata, p, sizeof(p)) < 0)
		return -1;
	n = snprintf(buf, size, "espeak-ng %s lib %s data %s phondata %s", version, l, d, p);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Which data folder the environment makes libespeak-ng choose, into BUF:
 * espeak_ng_InitializePath(NULL) takes $ESPEAK_DATA_PATH/espeak-ng-data
 * when it is a folder, else $HOME/espeak-ng-data when readable, else its
 * own (then BUF is "-").  A stamp holds only while this is unchanged. */
static void data_choice(char *buf, size_t size)
{
	const char *env = getenv("ESPEAK_DATA_PATH"), *home = getenv("HOME");
	struct stat st;

	if (env) {
		snprintf(buf, size, "%s/espeak-ng-data", env);
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return;
	}
	if (home) {
		snprintf(buf, size, "%s/espeak-ng-data", home);
		if (access(buf, R_OK) == 0)
			return;
	}
	snprintf(buf, size, "-");
}

int espeaklib_stamp_make(const char *version, const char *lib_path, const char *data,
			 char *buf, size_t size)
{
	char id[512], choice[1024];
	int n;

	data_choice(choice, sizeof(choice));
	/* One line each: none may hold a line break. */
	if (strchr(version, '\n') || strchr(lib_path, '\n') || strchr(data, '\n') ||
	    strchr(choice, '\n') ||
	    espeaklib_identity_of(version, lib_path, data, id, sizeof(id)) < 0)
		return -1;
	n = snprintf(buf, size, "%s\n%s\n%s\n%s\n%s\n", lib_path, data, choice, version, id);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int espeaklib_stamp_check(const char *stamp, size_t len, char *id, size_t size)
{
	char text[ESPEAKLIB_STAMP_MAX], *line[5], *at, now[512], choice[1024];
	unsigned n = 0;

	if (len == 0 || len >= sizeof(text) || memchr(stamp, '\0', len))
		return -1;
	memcpy(text, stamp, len);
	text[len] = '\0';
	for (at = text; n < 5; n++) {
		char *end = strchr(at, '\n');

		if (!end)
			return -1;
		*end = '\0';
		line[n] = at;
		at = end + 1;
	}
	data_choice(choice, sizeof(choice));
	if (*at || strcmp(choice, line[2]) ||
	    espeaklib_identity_of(line[3], line[0], line[1], now, sizeof(now)) < 0 ||
	    strcmp(now, line[4]) || strlen(now) >= size)
		return -1;
	memcpy(id, now, strlen(now) + 1);
	return 0;
}

int espeaklib_identity(struct diskcache *cache, char *buf, size_t size, struct diag *err)
{
	void *stamp = NULL;
	size_t len = 0;
	bool stale = false;
	int rc;

	pthread_mutex_lock(&lock);
	if (!loaded && cache) {
		if (diskcache_get(cache, ESPEAKLIB_STAMP_KEY, &stamp, &len) == 0 &&
		    espeaklib_stamp_check(stamp, len, buf, size) == 0) {
			rc = 0;
			goto out;
		}
		stale = true;
	}
	rc = load_locked(err);
	if (rc == 0 && snprintf(buf, size, "%s", loaded_id) >= (int)size)
		rc = diag_set(err, "espeak-ng", 0, 0, "identity too long");
	/* Written when it was not there or no longer held, so that the next
	 * start need not load the library. */
	if (rc == 0 && stale && loaded_stamp[0])
		diskcache_put(cache, ESPEAKLIB_STAMP_KEY, loaded_stamp, strlen(loaded_stamp));
out:
	pthread_mutex_unlock(&lock);
	free(stamp);
	return rc;
}

#include "paths.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef COACH_SYSCONFDIR
#define COACH_SYSCONFDIR "/etc"
#endif
#ifndef COACH_DATADIR
#define COACH_DATADIR "/usr/local/share"
#endif

static void from_tree(struct paths *p, const char *top)
{
	snprintf(p->config, sizeof(p->config), "%s/config/coach.yaml", top);
	snprintf(p->routines, sizeof(p->routines), "%s/config/routines", top);
	snprintf(p->voices, sizeof(p->voices), "%s/voices", top);
	snprintf(p->sounds, sizeof(p->sounds), "%s/sounds", top);
}

/* The checkout that holds the running executable (build/coachd, or a deeper
 * build folder such as build/asan/coachd or CI's build/ci-cross/arm64/coachd),
 * if there is one. */
static bool find_checkout(char *top, size_t size)
{
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	for (int up = 0; up < 4; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash || slash == exe)
			return false;
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/voices/en.yaml", exe);
		if (access(probe, F_OK) == 0) {
			snprintf(probe, sizeof(probe), "%s/config/routines", exe);
			if (access(probe, F_OK) == 0 && strlen(exe) < size) {
				memcpy(top, exe, strlen(exe) + 1);
				return true;
			}
		}
	}
	return false;
}

void paths_find(struct paths *p, const char *data_dir)
{
	char top[PATH_MAX];

	memset(p, 0, sizeof(*p));
	if (data_dir) {
		from_tree(p, data_dir);
		p->checkout = true;
	} else if (find_checkout(top, sizeof(top))) {
		from_tree(p, top);
		p->checkout = true;
	} else {
		snprintf(p->config, sizeof(p->config), "%s/coach/coach.yaml", COACH_SYSCONFDIR);
		snprintf(p->routines, sizeof(p->routines), "%s/coach/routines", COACH_SYSCONFDIR);
		snprintf(p->voices, sizeof(p->voices), "%s/coach/voices", COACH_DATADIR);
		snprintf(p->sounds, sizeof(p->sounds), "%s/coach/sounds", COACH_DATADIR);
	}
}

void paths_routine(const struct paths *p, const char *name, char *buf, size_t size)
{
	size_t n = strlen(name);
	const char *ext = n > 5 && strcmp(name + n - 5, ".yaml") == 0 ? "" : ".yaml";

	if (strchr(name, '/'))
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s/%s%s", p->routines, name, ext);
}

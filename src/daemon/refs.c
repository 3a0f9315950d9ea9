/* Checks across files: what a config names must exist. */
#include "refs.h"

#include <stdio.h>
#include <unistd.h>

#include "bundle.h"
#include "voice.h"

/* The routine at PATH parses, and so does the voice profile it uses. */
static int check_routine(const char *path, const struct config *cfg, const struct paths *p,
			 struct diag *err)
{
	struct bundle b;
	struct bundle_files f = { .routine = path, .voices_dir = p->voices, .voice = cfg->voice };

	if (bundle_check(&b, &f, err) < 0)
		return -1;
	bundle_free(&b);
	return 0;
}

/* What the config names besides the routine: its voice and the routines of
 * its schedule entries must exist.  Returns 0, or -1 with ERR filled. */
int config_check_refs(const struct config *cfg, const char *config, const struct paths *p,
			     struct diag *err)
{
	char path[PATH_MAX + 64];
	struct voice v;

	snprintf(path, sizeof(path), "%s/%s.yaml", p->voices, cfg->voice);
	if (access(path, R_OK) < 0)
		return diag_set(err, config, cfg->voice_line, cfg->voice_column,
				"no voice profile '%s' (expected a file %s)", cfg->voice, path);
	if (voice_load(path, &v, err) < 0)
		return -1;
	voice_free(&v);
	for (size_t i = 0; i < cfg->nschedule; i++) {
		const struct schedule_entry *e = &cfg->schedule[i];

		if (!e->routine)
			continue;
		paths_routine(p, e->routine, path, sizeof(path));
		if (access(path, R_OK) < 0)
			return diag_set(err, config, e->routine_line, e->routine_column,
					"no routine '%s' (expected a file %s; see coachctl list)",
					e->routine, path);
		/* Present is not enough: a start at 07:00 that cannot load would
		 * do nothing, and say nothing. */
		if (check_routine(path, cfg, p, err) < 0)
			return -1;
	}
	return 0;
}


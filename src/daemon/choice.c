#include "choice.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "paths.h"
#include "state.h"

void choice_list(const char *dir, const char *current, char *reply, size_t size)
{
	struct routines r;

	if (routines_scan(dir, &r) < 0) {
		control_reply_error(reply, size, "cannot read %s: %s", dir, strerror(errno));
		return;
	}
	/* One line per routine, each whole (control_reply_line): a name from a
	 * file can neither end its line nor hide the ones after it. */
	reply[0] = '\0';
	for (size_t i = 0; i < r.n; i++) {
		bool marked = (int)i == routines_index_of(&r, current);

		if (control_reply_line(reply, size, "%.*s%s  %s", (int)strlen(r.entry[i].file) - 5,
				       r.entry[i].file, marked ? " *" : "",
				       r.entry[i].name[0] ? r.entry[i].name
							  : "(has an error: coachd --check)") < 0)
			break;
	}
	/* Never a silent cut: what is not listed is counted. */
	if (r.more) {
		control_reply_line(reply, size, "(%zu more not listed: at most %d per folder; "
				   "start one by its file name)", r.more, ROUTINES_MAX);
		log_warn("%s: %zu routines past the first %d are not listed", dir, r.more,
			 ROUTINES_MAX);
	}
	if (r.n == 0)
		control_reply_error(reply, size, "no routines in %s", dir);
}

const struct routines_entry *choice_find(const char *dir, const char *name, struct routines *r,
					 char *reply, size_t size)
{
	int i;

	if (routines_scan(dir, r) < 0)
		i = -1;
	else if ((i = routines_find(r, name)) < 0 && routines_find_file(dir, name, &r->entry[0]) == 0)
		i = 0;    /* past the listed ones, named by its file */
	if (i < 0) {
		control_reply_error(reply, size, "no routine called '%s' (see coachctl list)", name);
		return NULL;
	}
	return &r->entry[i];
}

const struct routines_entry *choice_next(const char *dir, const char *current, struct routines *r)
{
	int start;

	if (routines_scan(dir, r) < 0 || r->n == 0)
		return NULL;
	/* Each other entry once, from the one after CURRENT (from the first
	 * when CURRENT is not in the folder): none that parses, none at all. */
	start = routines_index_of(r, current);
	for (size_t k = 1; k <= r->n; k++) {
		size_t i = (size_t)((long)start + (long)k) % r->n;

		if ((int)i != start && r->entry[i].name[0])
			return &r->entry[i];
	}
	return NULL;
}

void choice_remember(const char *state_path, const char *file, const char *config_routine)
{
	struct diag err;

	if (state_path[0] &&
	    (state_save(state_path, "routine", file, &err) < 0 ||
	     state_save(state_path, "config_routine", config_routine, &err) < 0))
		log_warn("%s", err.text);
}

void choice_resolve(const struct paths *paths, const char *state_path, const char *config_routine,
		    char *out, size_t size)
{
	char chosen[STATE_MAX_VALUE + 1], under[STATE_MAX_VALUE + 1];

	paths_routine(paths, config_routine, out, size);
	if (!state_path[0] || state_load(state_path, "routine", chosen, sizeof(chosen)) != 1 ||
	    state_load(state_path, "config_routine", under, sizeof(under)) != 1 ||
	    strcmp(under, config_routine) != 0)
		return;
	paths_routine(paths, chosen, out, size);
	if (access(out, R_OK) < 0) {
		log_warn("the chosen routine %s is gone; using %s", chosen, config_routine);
		paths_routine(paths, config_routine, out, size);
	}
}

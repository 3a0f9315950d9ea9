#include "rlimits.h"

#include <stdio.h>
#include <sys/resource.h>

/* Raises RES's soft limit towards NEED (up to the hard limit).  Returns the
 * soft limit now in force, or RLIM_INFINITY when there is none (or it cannot
 * be read: nothing to say then). */
static rlim_t raise_to(int res, rlim_t need)
{
	struct rlimit rl;

	if (getrlimit(res, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return RLIM_INFINITY;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(res, &rl) < 0 && getrlimit(res, &rl) < 0)
		return RLIM_INFINITY;
	return rl.rlim_cur >= need ? RLIM_INFINITY : rl.rlim_cur;
}

int rlimits_check(struct rlimits_need need, struct diag *err)
{
	static const struct {
		int res;
		const char *ulimit, *unit;
	} space[] = {
		{ RLIMIT_AS, "ulimit -v", "LimitAS=" },
		{ RLIMIT_DATA, "ulimit -d", "LimitDATA=" },
	};
	rlim_t have = raise_to(RLIMIT_NOFILE, need.files);

	*err = (struct diag){ .line = 0 };
	if (have != RLIM_INFINITY) {
		snprintf(err->text, sizeof(err->text),
			 "the limit on open files is %lu, and coachd needs %lu: raise it (ulimit -n, or "
			 "LimitNOFILE= in the service)", (unsigned long)have, need.files);
		return -1;
	}
	for (size_t i = 0; i < sizeof(space) / sizeof(space[0]); i++) {
		have = raise_to(space[i].res, (rlim_t)need.bytes);
		if (have == RLIM_INFINITY)
			continue;
		snprintf(err->text, sizeof(err->text),
			 "the limit on memory (%s) is %llu MiB, and coachd needs %llu MiB: raise it "
			 "(%s, or %s in the service)", space[i].ulimit, (unsigned long long)have >> 20,
			 need.bytes >> 20, space[i].ulimit, space[i].unit);
		return -1;
	}
	return 0;
}

/* The resource limits coachd checks before it starts (issue 16, finding 20):
 * a soft limit below the need is raised to the hard one; a hard limit below
 * it is refused, naming the limit and where it is set.  Each case runs in a
 * child, whose limits die with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rlimits.h"

/* Runs rlimits_check(NEED) in a child after setting RES to SOFT/HARD; returns
 * its result (0, 1 for -1) with the message in WHY and the soft limit after
 * the check in *AFTER. */
static int check_in_child(int res, rlim_t soft, rlim_t hard, struct rlimits_need need,
			  char *why, size_t size, rlim_t *after)
{
	int pipefd[2], status;
	struct {
		int rc;
		rlim_t after;
		char text[512];
	} out = { 0 };
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { soft, hard };
		struct diag err = { .text = "" };

		close(pipefd[0]);
		if (setrlimit(res, &rl) < 0)
			_exit(2);
		out.rc = rlimits_check(need, &err) < 0;
		getrlimit(res, &rl);
		out.after = rl.rlim_cur;
		snprintf(out.text, sizeof(out.text), "%s", err.text);
		_exit(write(pipefd[1], &out, sizeof(out)) == (ssize_t)sizeof(out) ? 0 : 3);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &out, sizeof(out)), sizeof(out));
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(why, size, "%s", out.text);
	*after = out.after;
	return out.rc;
}

/* Whether a limit set on RES reads back as set: not under qemu-user, which
 * keeps the memory limits to itself (they would bound the emulator). */
static int limit_takes(int res, rlim_t value)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { value, value };

		_exit(setrlimit(res, &rl) == 0 && getrlimit(res, &rl) == 0 &&
		      rl.rlim_cur == value ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void files(void **state)
{
	struct rlimits_need need = { 64, 1 << 20 };
	char why[512];
	rlim_t after;

	(void)state;
	/* ulimit -n 12: coachd aborted in alsa-lib or said a voice was missing. */
	assert_int_equal(check_in_child(RLIMIT_NOFILE, 12, 12, need, why, sizeof(why), &after), 1);
	assert_string_equal(why, "the limit on open files is 12, and coachd needs 64: raise it "
				 "(ulimit -n, or LimitNOFILE= in the service)");
	/* A soft limit is raised as far as the hard one allows. */
	assert_int_equal(check_in_child(RLIMIT_NOFILE, 12, 40, need, why, sizeof(why), &after), 1);
	assert_int_equal(after, 40);
	assert_int_equal(check_in_child(RLIMIT_NOFILE, 12, 4096, need, why, sizeof(why), &after), 0);
	assert_int_equal(after, 64);
	assert_int_equal(check_in_child(RLIMIT_NOFILE, 1024, 4096, need, why, sizeof(why), &after), 0);
	assert_int_equal(after, 1024);
}

static void address_space(void **state)
{
	char why[512];
	rlim_t after;

	(void)state;
	if (!limit_takes(RLIMIT_AS, 40000 << 10) || !limit_takes(RLIMIT_DATA, 100 << 20)) {
		print_message("the memory limits do not take here (qemu-user): not tested\n");
		skip();
	}
	/* ulimit -v 40000: espeak-ng asserted, libsoxr crashed. */
	assert_int_equal(check_in_child(RLIMIT_AS, 40000 << 10, 40000 << 10, RLIMITS_DAEMON, why,
					sizeof(why), &after), 1);
	assert_non_null(strstr(why, "the limit on memory (ulimit -v) is 39 MiB, and coachd needs "));
	assert_non_null(strstr(why, "LimitAS= in the service"));
	assert_int_equal(check_in_child(RLIMIT_DATA, 100 << 20, 100 << 20, RLIMITS_OFFLINE, why,
					sizeof(why), &after), 1);
	assert_string_equal(why, "the limit on memory (ulimit -d) is 100 MiB, and coachd needs 256 MiB: "
				 "raise it (ulimit -d, or LimitDATA= in the service)");
	assert_int_equal(check_in_child(RLIMIT_AS, 100 << 20, RLIM_INFINITY, RLIMITS_OFFLINE, why,
					sizeof(why), &after), 0);
	assert_int_equal(after, 256 << 20);
	assert_int_equal(check_in_child(RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY, RLIMITS_DAEMON, why,
					sizeof(why), &after), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files),
		cmocka_unit_test(address_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

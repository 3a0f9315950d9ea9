/* Log lines: one line each, on a terminal and for journald, whatever the
 * text in them came from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* What log_msg writes to stderr while FN runs, NUL-terminated. */
static const char *captured(void (*fn)(void))
{
	static char buf[2048];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	fn();
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void log_a_routine(void)
{
	log_info("routine \"%s\": 3 steps", "Back\n<0>coachd: forged emergency\033[2J");
}

/* Issue 16, finding 16: names reached the journal raw; under journald a line
 * break starts an entry of its own, with the priority the name gives it. */
static void journal_lines_stay_one_line(void **state)
{
	const char *out;

	(void)state;
	setenv("JOURNAL_STREAM", "8:1234", 1);
	log_init("coachd", 0);
	out = captured(log_a_routine);
	assert_string_equal(out, "<6>routine \"Back <0>coachd: forged emergency [2J\": 3 steps\n");
	unsetenv("JOURNAL_STREAM");
	log_init("coachd", 0);
	out = captured(log_a_routine);
	assert_string_equal(out, "coachd: info: routine \"Back <0>coachd: forged emergency [2J\": 3 steps\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(journal_lines_stay_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The control protocol parser: every command, every error message word for
 * word, line endings and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "control.h"

#define EXPECTED "(expected status, play, pause, resume, next, stop, reload, list, history [csv], start NAME, hurt, report, snooze, not-today, checkin N)"

static struct control_request req;
static char why[CONTROL_MAX_ERROR];

/* Parses the NUL-terminated TEXT. */
static int parse(const char *text)
{
	memset(why, 0, sizeof(why));
	return control_parse(text, strlen(text), &req, why, sizeof(why));
}

static void assert_ok(const char *text, enum control_cmd cmd, const char *arg)
{
	if (parse(text) != 0)
		fail_msg("'%s' rejected: %s", text, why);
	assert_int_equal(req.cmd, cmd);
	assert_string_equal(req.arg, arg);
}

static void assert_error_n(const char *text, size_t len, const char *expected)
{
	memset(why, 0, sizeof(why));
	assert_int_equal(control_parse(text, len, &req, why, sizeof(why)), -1);
	assert_string_equal(why, expected);
	assert_int_equal(req.cmd, CONTROL_CMD_MAX);
}

static void assert_error(const char *text, const char *expected)
{
	assert_error_n(text, strlen(text), expected);
}

static void every_command(void **state)
{
	static const char *const names[] = { "status", "play", "pause", "resume", "next",
					     "stop", "reload", "list", "history" };
	char line[32];

	(void)state;
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		snprintf(line, sizeof(line), "%s\n", names[i]);
		assert_ok(line, (enum control_cmd)i, "");
		assert_string_equal(control_cmd_name((enum control_cmd)i), names[i]);
		if (i != CONTROL_HISTORY)
			assert_string_equal(control_cmd_usage((enum control_cmd)i), names[i]);
		assert_true(strlen(control_cmd_help((enum control_cmd)i)) > 0);
	}
	assert_ok("start Morning back\n", CONTROL_START, "Morning back");
	assert_string_equal(control_cmd_name(CONTROL_START), "start");
	assert_string_equal(control_cmd_usage(CONTROL_START), "start NAME");
	assert_string_equal(control_cmd_name(CONTROL_CMD_MAX), "?");
	assert_string_equal(control_cmd_name((enum control_cmd)-1), "?");
	assert_string_equal(control_cmd_usage(CONTROL_CMD_MAX), "?");
	assert_string_equal(control_cmd_help(CONTROL_CMD_MAX), "");
}

static void line_endings_and_spaces(void **state)
{
	(void)state;
	assert_ok("status", CONTROL_STATUS, "");
	assert_ok("status\n", CONTROL_STATUS, "");
	assert_ok("status\r\n", CONTROL_STATUS, "");
	assert_ok("status\r", CONTROL_STATUS, "");
	assert_ok("  pause  \r\n", CONTROL_PAUSE, "");
	assert_ok("start   Neck rolls  \r\n", CONTROL_START, "Neck rolls");
	assert_ok("start a  b\n", CONTROL_START, "a  b");
	assert_ok("start -x\n", CONTROL_START, "-x");
	/* Only the last '\n' ends the line; one '\r' before it is tolerated. */
	assert_error("status\r\r\n", "control character 0x0d at column 7");
	assert_error("status\n\n", "control character 0x0a at column 7");
	assert_error("sta\rtus\n", "control character 0x0d at column 4");
}

static void unknown_commands(void **state)
{
	(void)state;
	assert_error("foo\n", "unknown command 'foo' " EXPECTED);
	assert_error("Status\n", "unknown command 'Status' " EXPECTED);
	assert_error("statuses\n", "unknown command 'statuses' " EXPECTED);
	assert_error("stat\n", "unknown command 'stat' " EXPECTED);
	assert_error("startx y\n", "unknown command 'startx' " EXPECTED);
	assert_error("café\n", "unknown command 'café' " EXPECTED);
	/* A long word is shortened, on a character boundary. */
	assert_error("abcdefghijklmnopqrstuvwxyz0123456789\n",
		     "unknown command 'abcdefghijklmnopqrstuvwxyz012345...' " EXPECTED);
	assert_error("abcdefghijklmnopqrstuvwxyz01234é\n",
		     "unknown command 'abcdefghijklmnopqrstuvwxyz01234...' " EXPECTED);
}

static void empty_requests(void **state)
{
	(void)state;
	assert_error("", "empty request " EXPECTED);
	assert_error("\n", "empty request " EXPECTED);
	assert_error("\r\n", "empty request " EXPECTED);
	assert_error("    \n", "empty request " EXPECTED);
}

static void arguments(void **state)
{
	(void)state;
	assert_error("status now\n", "'status' takes no argument (got 'now')");
	assert_error("play  1 2\n", "'play' takes no argument (got '1 2')");
	/* history's argument is optional. */
	assert_ok("history csv\n", CONTROL_HISTORY, "csv");
	assert_string_equal(control_cmd_usage(CONTROL_HISTORY), "history [csv]");
	assert_error("start\n", "'start' needs a routine name (usage: start NAME)");
	assert_error("start   \r\n", "'start' needs a routine name (usage: start NAME)");
}

static void name_limits(void **state)
{
	char line[CONTROL_MAX_LINE + 8], name[CONTROL_MAX_ARG + 8];

	(void)state;
	memset(name, 'n', CONTROL_MAX_ARG);
	name[CONTROL_MAX_ARG] = '\0';
	snprintf(line, sizeof(line), "start %s\n", name);
	assert_ok(line, CONTROL_START, name);
	snprintf(line, sizeof(line), "start %sn\n", name);
	assert_error(line, "routine name too long (129 bytes, at most 128)");
	/* 128 bytes of two-byte characters. */
	for (int i = 0; i < CONTROL_MAX_ARG; i += 2)
		memcpy(name + i, "\xc3\xa9", 2);
	name[CONTROL_MAX_ARG] = '\0';
	snprintf(line, sizeof(line), "start %s\n", name);
	assert_ok(line, CONTROL_START, name);
	assert_ok("start \xf0\x9f\x8f\x83 run\n", CONTROL_START, "\xf0\x9f\x8f\x83 run");
}

static void line_limits(void **state)
{
	char line[CONTROL_MAX_LINE + 8];

	(void)state;
	/* 256 bytes with the '\n': as long as a request may be (then unknown). */
	memset(line, 'x', sizeof(line));
	line[CONTROL_MAX_LINE - 1] = '\n';
	memset(why, 0, sizeof(why));
	assert_int_equal(control_parse(line, CONTROL_MAX_LINE, &req, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "unknown command"));
	/* 257 with the '\n'. */
	line[CONTROL_MAX_LINE - 1] = 'x';
	line[CONTROL_MAX_LINE] = '\n';
	assert_error_n(line, CONTROL_MAX_LINE + 1, "request too long (at most 256 bytes)");
	/* Without a '\n' the line counts as if it had one. */
	assert_error_n(line, CONTROL_MAX_LINE, "request too long (at most 256 bytes)");
	assert_int_equal(control_parse(line, CONTROL_MAX_LINE - 1, &req, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "unknown command"));
	/* The '\r' of a CRLF counts too. */
	line[CONTROL_MAX_LINE - 1] = '\r';
	assert_error_n(line, CONTROL_MAX_LINE + 1, "request too long (at most 256 bytes)");
	/* Spaces are trimmed only after the limit applies. */
	memset(line, ' ', sizeof(line));
	memcpy(line, "status", 6);
	line[CONTROL_MAX_LINE] = '\n';
	assert_error_n(line, CONTROL_MAX_LINE + 1, "request too long (at most 256 bytes)");
	line[CONTROL_MAX_LINE - 1] = '\n';
	assert_int_equal(control_parse(line, CONTROL_MAX_LINE, &req, why, sizeof(why)), 0);
	assert_int_equal(req.cmd, CONTROL_STATUS);
}

static void binary_bytes(void **state)
{
	(void)state;
	assert_error_n("sta\0tus\n", 8, "NUL byte at column 4");
	assert_error_n("\0", 1, "NUL byte at column 1");
	assert_error("status\t\n", "control character 0x09 at column 7");
	assert_error("\x1b[A\n", "control character 0x1b at column 1");
	assert_error("start a\x7f\n", "control character 0x7f at column 8");
	assert_error("start \xc2\x85x\n", "control character U+0085 at column 7");
	assert_error("start \xc2\x9f\n", "control character U+009F at column 7");
	assert_ok("start \xc2\xa0x\n", CONTROL_START, "\xc2\xa0x");  /* NBSP is printable */
	assert_error("start \xff\n", "invalid UTF-8 (byte 0xff) at column 7");
	assert_error("start \x80\n", "invalid UTF-8 (byte 0x80) at column 7");
	assert_error("start \xc0\xaf\n", "invalid UTF-8 (byte 0xc0) at column 7");     /* overlong */
	assert_error("start \xe0\x80\xaf\n", "invalid UTF-8 (byte 0xe0) at column 7"); /* overlong */
	assert_error("start \xed\xa0\x80\n", "invalid UTF-8 (byte 0xed) at column 7"); /* surrogate */
	assert_error("start \xf4\x90\x80\x80\n", "invalid UTF-8 (byte 0xf4) at column 7");
	assert_error("start \xf5\x80\x80\x80\n", "invalid UTF-8 (byte 0xf5) at column 7");
	assert_error("start ab\xe2\x82\n", "invalid UTF-8 (byte 0xe2) at column 9");  /* cut */
	assert_error("start \xe2\x82x\n", "invalid UTF-8 (byte 0xe2) at column 7");
	assert_error("start é\xff\n", "invalid UTF-8 (byte 0xff) at column 9");
	/* The first problem is the one reported, wherever it is. */
	assert_error("foo\x01 \xff\n", "control character 0x01 at column 4");
}

static void small_reason_buffer(void **state)
{
	char small[8];

	(void)state;
	assert_int_equal(control_parse("foo\n", 4, &req, small, sizeof(small)), -1);
	assert_string_equal(small, "unknown");
	assert_int_equal(control_parse("foo\n", 4, &req, NULL, 0), -1);
}

static void replies(void **state)
{
	char buf[32], tiny[8];

	(void)state;
	assert_int_equal(control_reply(buf, sizeof(buf), "ok %s", "paused"), 0);
	assert_string_equal(buf, "ok paused");
	assert_int_equal(control_reply(buf, sizeof(buf), "a\nb\r\tc"), 0);
	assert_string_equal(buf, "a b  c");
	assert_int_equal(control_reply_error(buf, sizeof(buf), "no routine '%s'", "x"), 0);
	assert_string_equal(buf, "error: no routine 'x'");
	assert_int_equal(control_reply(tiny, sizeof(tiny), "%s", "abcdefghij"), -1);
	assert_string_equal(tiny, "abcdefg");
	/* A character that does not fit whole is left out. */
	assert_int_equal(control_reply(tiny, sizeof(tiny), "abcde\xc3\xa9"), 0);
	assert_int_equal(control_reply(tiny, sizeof(tiny), "abcdef\xc3\xa9"), -1);
	assert_string_equal(tiny, "abcdef");
	assert_int_equal(control_reply(tiny, sizeof(tiny), "abcd\xf0\x9f\x8f\x83"), -1);
	assert_string_equal(tiny, "abcd");
	assert_int_equal(control_reply_error(tiny, sizeof(tiny), "x"), -1);
	assert_string_equal(tiny, "error: ");
	assert_int_equal(control_reply(tiny, 0, "x"), -1);
	assert_true(control_is_error("error: busy"));
	assert_true(control_is_error("error"));
	assert_false(control_is_error("ok running"));
	assert_false(control_is_error(""));
	assert_false(control_is_error("running step=1/2 name=\"error\""));
}

/* Names from routine files in a multi-line reply (coachctl list): a line
 * break, a literal backslash-n or an escape sequence in a name can neither
 * end its line, hide the lines after it, nor reach the terminal. */
static void reply_lines_from_files(void **state)
{
	static const char *const names[] = {
		"Stretch\nWATCHDOG=trigger", "Back\\nfake line", "\033[2J\033]0;pwned\a",
		"C1 \xc2\x9b" "31m", "bidi \xe2\x80\xae" "txt.exe", "bad \xff byte", "Last",
	};
	char reply[512], text[512], *line;
	int lines = 0;

	(void)state;
	reply[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(control_reply_line(reply, sizeof(reply), "r%zu  %s", i, names[i]), 0);
	/* On the wire: one line, no control characters. */
	assert_null(strpbrk(reply, "\n\r\033\a"));
	assert_null(strstr(reply, "\xc2\x9b"));
	assert_null(strstr(reply, "\xe2\x80\xae"));
	/* As printed: one line per routine, each as the rule leaves it. */
	control_reply_text(reply, text, sizeof(text));
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		lines++;
	assert_int_equal(lines, 7);
	control_reply_text(reply, text, sizeof(text));
	assert_string_equal(text,
			    "r0  Stretch WATCHDOG=trigger\n"
			    "r1  Back\\nfake line\n"
			    "r2   [2J ]0;pwned \n"
			    "r3  C1  31m\n"
			    "r4  bidi  txt.exe\n"
			    "r5  bad ? byte\n"
			    "r6  Last");
	/* A line that does not fit leaves no dangling break. */
	assert_int_equal(control_reply(reply, 12, "%s", "first"), 0);
	assert_int_equal(control_reply_line(reply, 12, "%s", "second"), -1);
	assert_string_equal(reply, "first");
	/* What an impostor or an older coachd sends raw is cleaned too. */
	control_reply_text("ok \033[31mred\x85", text, sizeof(text));
	assert_string_equal(text, "ok  [31mred?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_command),
		cmocka_unit_test(line_endings_and_spaces),
		cmocka_unit_test(unknown_commands),
		cmocka_unit_test(empty_requests),
		cmocka_unit_test(arguments),
		cmocka_unit_test(name_limits),
		cmocka_unit_test(line_limits),
		cmocka_unit_test(binary_bytes),
		cmocka_unit_test(small_reason_buffer),
		cmocka_unit_test(replies),
		cmocka_unit_test(reply_lines_from_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

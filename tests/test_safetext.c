/* The one rule for text from files on its way to systemd, the journal, the
 * control protocol and terminals: what it replaces, what it keeps, in place
 * and into small buffers, and the line printer built on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"

static const char *clean(const char *s)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s", s);
	safetext_clean(buf);
	return buf;
}

static void control_characters_become_spaces(void **state)
{
	(void)state;
	assert_string_equal(clean("Stretch\nWATCHDOG=trigger"), "Stretch WATCHDOG=trigger");
	assert_string_equal(clean("a\r\nb\tc"), "a  b c");
	assert_string_equal(clean("\033[2J\033]0;title\a"), " [2J ]0;title ");
	assert_string_equal(clean("del\x7f"), "del ");
	/* C1 controls (CSI U+009B, NEL U+0085), encoded in UTF-8. */
	assert_string_equal(clean("\xc2\x9b" "31m\xc2\x85"), " 31m ");
	/* Line and paragraph separators, bidi overrides and isolates. */
	assert_string_equal(clean("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c"), "a b c");
	assert_string_equal(clean("x\xe2\x80\xae" "y\xe2\x81\xa6" "z\xe2\x81\xa9"), "x y z ");
}

static void invalid_bytes_become_question_marks(void **state)
{
	(void)state;
	assert_string_equal(clean("bad \xff byte"), "bad ? byte");
	assert_string_equal(clean("\xc0\xaf"), "??");              /* overlong '/' */
	assert_string_equal(clean("\xed\xa0\x80"), "???");         /* a surrogate */
	assert_string_equal(clean("cut \xe2\x80"), "cut ??");       /* truncated */
	assert_string_equal(clean("\xf4\x90\x80\x80"), "????");     /* past U+10FFFF */
}

static void text_is_kept(void **state)
{
	static const char *const ok[] = {
		"Hip flexor stretch", "Étirement du psoas", "Dehnung \xe2\x80\x93 links",
		"\xf0\x9f\x8f\x83 run", "back\\slash \"quotes\" 100%", "",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(safetext_is_clean(ok[i]));
		assert_string_equal(clean(ok[i]), ok[i]);
	}
	assert_false(safetext_is_clean("a\nb"));
	assert_false(safetext_is_clean("\xc2\x9b"));
	assert_false(safetext_is_clean("\xff"));
}

static void copies_cut_on_characters(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(safetext_copy(buf, sizeof(buf), "abcdefghij"), 7);
	assert_string_equal(buf, "abcdefg");
	/* "abcde" and an é of two bytes fit in 8 with the NUL; one more does not. */
	assert_int_equal(safetext_copy(buf, sizeof(buf), "abcde\xc3\xa9"), 7);
	assert_int_equal(safetext_copy(buf, sizeof(buf), "abcdef\xc3\xa9"), 6);
	assert_string_equal(buf, "abcdef");
	/* A control character of two bytes takes one. */
	assert_int_equal(safetext_copy(buf, sizeof(buf), "abcde\xc2\x9b" "f"), 7);
	assert_string_equal(buf, "abcde f");
	assert_int_equal(safetext_copy(buf, 1, "x"), 0);
	assert_string_equal(buf, "");
	assert_int_equal(safetext_copy(buf, 0, "x"), 0);
	/* In place: never longer than what it replaces. */
	assert_int_equal(safetext_clean(strcpy(buf, "\xc2\x85\xc2\x85")), 2);
	assert_string_equal(buf, "  ");
}

/* One call, one line, whatever the arguments hold; long lines too. */
static void print_writes_one_line(void **state)
{
	char *out = NULL, *big = malloc(5000);
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_non_null(f);
	assert_non_null(big);
	memset(big, 'x', 4999);
	big[4999] = '\0';
	big[2000] = '\n';
	assert_int_equal(safetext_print(f, "name: %s (%d)", "a\nb\033c", 3), 0);
	assert_int_equal(safetext_print(f, "%s", big), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(len, strlen("name: a b c (3)\n") + 5000);
	assert_memory_equal(out, "name: a b c (3)\n", 16);
	assert_null(memchr(out + 16, '\n', 4999));
	assert_int_equal(out[len - 1], '\n');
	free(out);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_characters_become_spaces),
		cmocka_unit_test(invalid_bytes_become_question_marks),
		cmocka_unit_test(text_is_kept),
		cmocka_unit_test(copies_cut_on_characters),
		cmocka_unit_test(print_writes_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

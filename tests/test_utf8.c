/* The one UTF-8 decoder: what it accepts (each length, the edges of each
 * range) and what it refuses (overlong forms, surrogates, past U+10FFFF,
 * bad lead or continuation bytes, a sequence cut short). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "utf8.h"

/* Decodes the string S whole: the code point, or -1 when refused or when the
 * decoder did not take exactly all of S. */
static long decode(const char *s)
{
	uint32_t cp = 0;
	size_t n = strlen(s), len = utf8_decode((const unsigned char *)s, n, &cp);

	return len == n ? (long)cp : -1;
}

static void accepts_each_length_and_range_edge(void **state)
{
	(void)state;
	assert_int_equal(decode("A"), 0x41);
	assert_int_equal(decode("\x7f"), 0x7f);
	assert_int_equal(decode("\xc2\x80"), 0x80);
	assert_int_equal(decode("\xc3\xa9"), 0xe9);            /* é */
	assert_int_equal(decode("\xdf\xbf"), 0x7ff);
	assert_int_equal(decode("\xe0\xa0\x80"), 0x800);
	assert_int_equal(decode("\xe2\x80\xa8"), 0x2028);
	assert_int_equal(decode("\xed\x9f\xbf"), 0xd7ff);
	assert_int_equal(decode("\xee\x80\x80"), 0xe000);
	assert_int_equal(decode("\xef\xbf\xbf"), 0xffff);
	assert_int_equal(decode("\xf0\x90\x80\x80"), 0x10000);
	assert_int_equal(decode("\xf4\x8f\xbf\xbf"), 0x10ffff);
}

static void refuses_what_is_not_utf8(void **state)
{
	(void)state;
	assert_int_equal(decode("\x80"), -1);                  /* continuation first */
	assert_int_equal(decode("\xc0\xaf"), -1);              /* overlong '/' */
	assert_int_equal(decode("\xc1\xbf"), -1);
	assert_int_equal(decode("\xe0\x80\xaf"), -1);          /* overlong, 3 bytes */
	assert_int_equal(decode("\xf0\x80\x80\xaf"), -1);      /* overlong, 4 bytes */
	assert_int_equal(decode("\xed\xa0\x80"), -1);          /* surrogate U+D800 */
	assert_int_equal(decode("\xed\xbf\xbf"), -1);          /* surrogate U+DFFF */
	assert_int_equal(decode("\xf4\x90\x80\x80"), -1);      /* U+110000 */
	assert_int_equal(decode("\xf5\x80\x80\x80"), -1);
	assert_int_equal(decode("\xff"), -1);
	assert_int_equal(decode("\xc3("), -1);                 /* bad continuation */
	assert_int_equal(decode("\xe2\x80"), -1);              /* cut short */
	assert_int_equal(decode("\xf0\x90\x80"), -1);
}

static void reads_one_character_of_many(void **state)
{
	const unsigned char s[] = "\xc3\xa9t\xc3\xa9";
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utf8_decode(s, sizeof(s) - 1, &cp), 2);
	assert_int_equal(cp, 0xe9);
	/* Only the bytes said to be there are read. */
	assert_int_equal(utf8_decode(s, 1, &cp), 0);
	assert_int_equal(utf8_lead_len(0xc3), 2);
	assert_int_equal(utf8_lead_len(0xe2), 3);
	assert_int_equal(utf8_lead_len(0xf4), 4);
	assert_int_equal(utf8_lead_len(0xa9), 0);
	assert_int_equal(utf8_lead_len(0xc1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_each_length_and_range_edge),
		cmocka_unit_test(refuses_what_is_not_utf8),
		cmocka_unit_test(reads_one_character_of_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

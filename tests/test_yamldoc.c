/* The shared YAML layer: what it accepts, and the exact located message for
 * each way a hand-edited file goes wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "yamldoc.h"

#define EXPECTED "a mapping with a and b"

static const char *const known[] = { "name", "time", "reps", "rest", "wait", NULL };

/* Loads TEXT as "t.yaml" and returns the error, or fails if it loads. */
static const char *load_error(const char *text, size_t len)
{
	static struct diag err;
	struct yamldoc yd;

	memset(&err, 0, sizeof(err));
	if (yamldoc_load_buffer(&yd, "t.yaml", text, len, EXPECTED, &err) == 0) {
		yamldoc_free(&yd);
		fail_msg("loaded: %s", text);
	}
	return err.text;
}

#define assert_load_error(text, want) \
	assert_string_equal(load_error(text, strlen(text)), want)

static void load_ok(struct yamldoc *yd, const char *text)
{
	struct diag err = { .text = "" };

	if (yamldoc_load_buffer(yd, "t.yaml", text, strlen(text), EXPECTED, &err))
		fail_msg("%s", err.text);
}

static void loads_a_mapping(void **state)
{
	struct yamldoc yd;
	yaml_node_t *root, *list;

	(void)state;
	load_ok(&yd, "name: Stretch\nlist: [a, b]\n# trailing comment\n");
	root = yamldoc_root(&yd);
	assert_non_null(root);
	assert_int_equal(root->type, YAML_MAPPING_NODE);
	assert_string_equal(yamldoc_text(yamldoc_get(&yd, root, "name")), "Stretch");
	assert_null(yamldoc_get(&yd, root, "nope"));
	list = yamldoc_get(&yd, root, "list");
	assert_int_equal(yamldoc_seq_len(list), 2);
	assert_string_equal(yamldoc_text(yamldoc_seq_item(&yd, list, 1)), "b");
	assert_null(yamldoc_seq_item(&yd, list, 2));
	assert_null(yamldoc_text(list));
	assert_int_equal(yamldoc_seq_len(root), 0);
	yamldoc_free(&yd);
	yamldoc_free(&yd);      /* twice is harmless */
}

static void accepts_bom_and_crlf(void **state)
{
	struct yamldoc yd;
	struct diag err;

	(void)state;
	load_ok(&yd, "\xef\xbb\xbfname: A\r\ntime: 3s\r\n");
	assert_string_equal(yamldoc_text(yamldoc_get(&yd, yamldoc_root(&yd), "time")), "3s");
	yamldoc_free(&yd);
	/* Lines and columns still count from the first real character. */
	load_ok(&yd, "\xef\xbb\xbfname: A\r\n\r\ntme: 3s\r\n");
	assert_int_equal(yamldoc_check_keys(&yd, yamldoc_root(&yd), known, &err), -1);
	assert_string_equal(err.text, "t.yaml:3:1: error: unknown key 'tme' (did you mean 'time'?)");
	yamldoc_free(&yd);
	load_ok(&yd, "name: A\rtme: 1\r");         /* old Mac line ends */
	assert_int_equal(yamldoc_check_keys(&yd, yamldoc_root(&yd), known, &err), -1);
	assert_string_equal(err.text, "t.yaml:2:1: error: unknown key 'tme' (did you mean 'time'?)");
	yamldoc_free(&yd);
}

static void reports_invalid_utf8_where_it_is(void **state)
{
	(void)state;
	assert_load_error("a: ok\nb: caf\xe9\n",
			  "t.yaml:2:7: error: invalid UTF-8 byte 0xe9 (expected UTF-8 text; save the file as UTF-8)");
	/* Columns count characters, not bytes. */
	assert_load_error("a: \xc3\xa9\xe2\x82\xac \xff\n",
			  "t.yaml:1:7: error: invalid UTF-8 byte 0xff (expected UTF-8 text; save the file as UTF-8)");
	assert_load_error("a: \xc0\xaf\n",          /* overlong '/' */
			  "t.yaml:1:4: error: invalid UTF-8 byte 0xc0 (expected UTF-8 text; save the file as UTF-8)");
	assert_load_error("a: \xed\xa0\x80\n",      /* a UTF-16 surrogate */
			  "t.yaml:1:4: error: invalid UTF-8 byte 0xed (expected UTF-8 text; save the file as UTF-8)");
	assert_load_error("a: \xe2\x82",            /* cut off at the end */
			  "t.yaml:1:4: error: invalid UTF-8 byte 0xe2 (expected UTF-8 text; save the file as UTF-8)");
	assert_load_error("\xff\xfe" "a\0:\0",      /* UTF-16 */
			  "t.yaml:1:1: error: invalid UTF-8 byte 0xff (expected UTF-8 text; save the file as UTF-8)");
}

static void reports_control_characters(void **state)
{
	(void)state;
	assert_load_error("a: x\x01y\n", "t.yaml:1:5: error: control character U+0001 (expected printable text)");
	assert_load_error("a: x\x7f\n", "t.yaml:1:5: error: control character U+007F (expected printable text)");
	assert_load_error("a: \xc2\x80\n", "t.yaml:1:4: error: control character U+0080 (expected printable text)");
	assert_string_equal(load_error("a: x\0y\n", 7),
			    "t.yaml:1:5: error: control character U+0000 (expected printable text)");
}

static void reports_tabs_in_indentation(void **state)
{
	static const char msg2[] = "t.yaml:2:1: error: tab character in indentation (expected spaces)";

	(void)state;
	assert_load_error("a:\n\tb: 2\n", msg2);
	assert_load_error("a: 1\n\tb: 2\n", msg2);
	assert_load_error("a: 1\n\t\nb: 2\n", msg2);
	assert_load_error("a: 1\n\t# note\nb: 2\n", msg2);
	assert_load_error("a: |\n\ttext\n", msg2);
	assert_load_error("a:\n  - x: 1\n  \t y: 2\n",
			  "t.yaml:3:3: error: tab character in indentation (expected spaces)");
	assert_load_error("a:\n  -\tb\n",
			  "t.yaml:2:4: error: tab character in indentation (expected spaces)");
}

static void tabs_elsewhere_are_fine(void **state)
{
	struct yamldoc yd;

	(void)state;
	load_ok(&yd, "a:\tb\t# comment\nc: \"x\ty\"\n");
	assert_string_equal(yamldoc_text(yamldoc_get(&yd, yamldoc_root(&yd), "c")), "x\ty");
	yamldoc_free(&yd);
}

static void reports_empty_files(void **state)
{
	static const char msg[] = "t.yaml: error: empty file (expected " EXPECTED ")";

	(void)state;
	assert_load_error("", msg);
	assert_load_error("\n\n   \n", msg);
	assert_load_error("# nothing\n  # here\n", msg);
	assert_load_error("\xef\xbb\xbf", msg);
	assert_load_error("---\n", msg);
	assert_load_error("~\n", msg);
	assert_string_equal(load_error(NULL, 0), msg);
}

static void top_level_must_be_a_mapping(void **state)
{
	(void)state;
	assert_load_error("- a\n- b\n", "t.yaml:1:1: error: the file is a list (expected " EXPECTED ")");
	assert_load_error("hello\n", "t.yaml:1:1: error: the file is a string (expected " EXPECTED ")");
	assert_load_error("# intro\n42\n", "t.yaml:2:1: error: the file is a number (expected " EXPECTED ")");
}

static void refuses_a_second_document(void **state)
{
	(void)state;
	assert_load_error("a: 1\n---\nb: 2\n",
			  "t.yaml:2:1: error: a second document (expected one document per file; remove this '---')");
	assert_load_error("a: 1\n---\nb: [\n",
			  "t.yaml:4:1: error: did not find expected node content (expected valid YAML)");
}

static void explains_syntax_errors(void **state)
{
	(void)state;
	assert_load_error("name: x\nsay: Kneel: hold\n",
			  "t.yaml:2:11: error: mapping values are not allowed in this context (expected quotes around text that contains ': ', or a key at the indentation of its siblings)");
	assert_load_error("a: 1\n b: 2\n",
			  "t.yaml:2:3: error: mapping values are not allowed in this context (expected quotes around text that contains ': ', or a key at the indentation of its siblings)");
	assert_load_error("a: b\nc\n",
			  "t.yaml:3:1: error: could not find expected ':' while scanning a simple key started at line 2, column 1 (expected 'key: value' with a space after the colon)");
	assert_load_error("a: \"abc\n",
			  "t.yaml:2:1: error: found unexpected end of stream while scanning a quoted scalar started at line 1, column 4 (expected a closing quote or bracket)");
	assert_load_error("a: [1, 2\n",
			  "t.yaml:2:1: error: did not find expected ',' or ']' while parsing a flow sequence started at line 1, column 4 (expected ',' between list items and a closing ']')");
	assert_load_error("a: *nowhere\n",
			  "t.yaml:1:4: error: found undefined alias (expected an anchor (&name) before its alias (*name))");
	assert_load_error("a: @x\n",
			  "t.yaml:1:4: error: found character that cannot start any token (expected a key, a value or '- '; quote text that starts with @ or `)");
	assert_load_error("a:\n  - x\n  y: 1\n",
			  "t.yaml:3:3: error: did not find expected '-' indicator while parsing a block collection started at line 2, column 3 (expected every item of a list to start with '- ' at the same indentation)");
}

static void caps_size_depth_and_anchors(void **state)
{
	size_t n = YAMLDOC_MAX_SIZE + 1, i;
	char *big = malloc(n);
	struct yamldoc yd;
	struct diag err;

	(void)state;
	assert_non_null(big);
	memset(big, '#', n);
	memcpy(big, "a: 1\n", 5);
	assert_string_equal(load_error(big, n),
			    "t.yaml: error: file is too large: 1048577 bytes (expected at most 1024 KiB)");
	big[n - 2] = '\n';      /* exactly the cap still loads */
	assert_int_equal(yamldoc_load_buffer(&yd, "t.yaml", big, n - 1, EXPECTED, &err), 0);
	yamldoc_free(&yd);

	/* 33 levels: the root mapping and 32 lists. */
	memset(big, 0, n);
	strcpy(big, "a: ");
	for (i = 0; i < 32; i++)
		strcat(big, "[");
	assert_load_error(big, "t.yaml:1:35: error: nested more than 32 levels deep (expected a simpler structure)");
	big[strlen(big) - 1] = '\0';
	for (i = 0; i < 31; i++)
		strcat(big, "]");
	load_ok(&yd, big);
	yamldoc_free(&yd);

	strcpy(big, "a: [");
	for (i = 0; i < YAMLDOC_MAX_ANCHORS + 1; i++)
		sprintf(big + strlen(big), "&a%zu x, ", i);
	strcat(big, "]\n");
	assert_load_error(big, "t.yaml:1:2199: error: more than 256 anchors (expected fewer &names)");
	free(big);
}

static void load_file_reports_unreadable_files(void **state)
{
	char path[] = "/tmp/coach-yamldoc-XXXXXX";
	struct yamldoc yd;
	struct diag err;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(yamldoc_load_file(&yd, "tests/no-such-file.yaml", EXPECTED, &err), -1);
	assert_string_equal(err.text, "tests/no-such-file.yaml: error: cannot read: No such file or directory");
	yamldoc_free(&yd);
	assert_int_equal(yamldoc_load_file(&yd, "tests", EXPECTED, &err), -1);
	assert_string_equal(err.text, "tests: error: cannot read: Is a directory");
	assert_int_equal(yamldoc_load_file(&yd, "/dev/null", EXPECTED, &err), -1);
	assert_string_equal(err.text, "/dev/null: error: cannot read: not a regular file");

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("a: 1\n", f);
	for (int i = 0; i < YAMLDOC_MAX_SIZE / 8; i++)
		fputs("# 45678\n", f);
	fclose(f);
	assert_int_equal(yamldoc_load_file(&yd, path, EXPECTED, &err), -1);
	assert_non_null(strstr(err.text, ": error: file is too large: 1048581 bytes (expected at most 1024 KiB)"));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("\xef\xbb\xbf" "a: 1\r\nb:\r\n  - x\r\n", f);
	fclose(f);
	assert_int_equal(yamldoc_load_file(&yd, path, EXPECTED, &err), 0);
	assert_int_equal(yamldoc_seq_len(yamldoc_get(&yd, yamldoc_root(&yd), "b")), 1);
	yamldoc_free(&yd);
	unlink(path);
}

static const char *keys_error(const char *text)
{
	static struct diag err;
	struct yamldoc yd;

	load_ok(&yd, text);
	memset(&err, 0, sizeof(err));
	if (yamldoc_check_keys(&yd, yamldoc_root(&yd), known, &err) == 0)
		fail_msg("keys accepted: %s", text);
	yamldoc_free(&yd);
	return err.text;
}

static void checks_keys(void **state)
{
	struct yamldoc yd;
	struct diag err;

	(void)state;
	load_ok(&yd, "name: a\ntime: 1\nreps: 2\nrest: 3\nwait: no\n");
	assert_int_equal(yamldoc_check_keys(&yd, yamldoc_root(&yd), known, &err), 0);
	yamldoc_free(&yd);
	assert_string_equal(keys_error("name: a\n  # c\ntme: 1\n"),
			    "t.yaml:3:1: error: unknown key 'tme' (did you mean 'time'?)");
	assert_string_equal(keys_error("Time: 1\n"),
			    "t.yaml:1:1: error: unknown key 'Time' (did you mean 'time'?)");
	assert_string_equal(keys_error("name: a\nresst: 1\n"),
			    "t.yaml:2:1: error: unknown key 'resst' (did you mean 'rest'?)");
	assert_string_equal(keys_error("colour: red\n"),
			    "t.yaml:1:1: error: unknown key 'colour' (expected one of: name, time, reps, rest, wait)");
	assert_string_equal(keys_error("x: 1\n"),
			    "t.yaml:1:1: error: unknown key 'x' (expected one of: name, time, reps, rest, wait)");
	assert_string_equal(keys_error("name: a\ntime: 1\nname: b\n"),
			    "t.yaml:3:1: error: duplicate key 'name', first at line 1 (expected each key once)");
	assert_string_equal(keys_error("[a]: 1\n"),
			    "t.yaml:1:1: error: a key is a list (expected one of: name, time, reps, rest, wait)");
	assert_string_equal(keys_error("name: a\n~: 1\n"),
			    "t.yaml:2:1: error: a key is empty (expected one of: name, time, reps, rest, wait)");
	assert_string_equal(keys_error("\"bad\\ekey\\n\": 1\n"),
			    "t.yaml:1:1: error: unknown key 'bad?key?' (expected one of: name, time, reps, rest, wait)");
}

static void suggests_close_words_only(void **state)
{
	char word[200];

	(void)state;
	assert_string_equal(yamldoc_suggest("tiem", known), "time");
	assert_string_equal(yamldoc_suggest("nmae", known), "name");
	assert_string_equal(yamldoc_suggest("REPS", known), "reps");
	assert_string_equal(yamldoc_suggest("wai", known), "wait");
	assert_null(yamldoc_suggest("ab", known));
	assert_null(yamldoc_suggest("sides", known));
	assert_null(yamldoc_suggest("time", NULL));
	memset(word, 'a', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	assert_null(yamldoc_suggest(word, known));
}

static void snippets_are_short_and_printable(void **state)
{
	char buf[YAMLDOC_SNIPPET], tiny[8];

	(void)state;
	assert_string_equal(yamldoc_snippet("30s", buf, sizeof(buf)), "30s");
	assert_string_equal(yamldoc_snippet("a\x1b[31mb\n", buf, sizeof(buf)), "a?[31mb?");
	assert_string_equal(yamldoc_snippet("\xc2\x85x", buf, sizeof(buf)), "?x");
	assert_string_equal(yamldoc_snippet("0123456789012345678901234567890123456789MORE", buf,
					    sizeof(buf)),
			    "0123456789012345678901234567890123456789...");
	assert_string_equal(yamldoc_snippet("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", tiny, sizeof(tiny)),
			    "\xc3\xa9\xc3\xa9...");
	assert_string_equal(yamldoc_snippet(NULL, buf, sizeof(buf)), "");
}

static void describes_nodes(void **state)
{
	struct yamldoc yd;
	yaml_node_t *root;

	(void)state;
	load_ok(&yd, "a: 12\nb: -1.5\nc: \"12\"\nd: text\ne:\nf: ~\ng: []\nh: {}\n");
	root = yamldoc_root(&yd);
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "a")), "a number");
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "b")), "a number");
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "c")), "a string");
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "d")), "a string");
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "e")), "empty");
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "f")), "empty");
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "g")), "a list");
	assert_string_equal(yamldoc_describe(yamldoc_get(&yd, root, "h")), "a mapping");
	assert_string_equal(yamldoc_describe(NULL), "missing");
	assert_true(yamldoc_is_null(yamldoc_get(&yd, root, "e")));
	assert_false(yamldoc_is_null(yamldoc_get(&yd, root, "c")));
	yamldoc_free(&yd);
}

/* Loads TEXT and hands back the root for a getter test. */
static yaml_node_t *doc(struct yamldoc *yd, const char *text)
{
	load_ok(yd, text);
	return yamldoc_root(yd);
}

static void gets_strings(void **state)
{
	struct yamldoc yd;
	struct diag err;
	yaml_node_t *m = doc(&yd, "a: plain\nb: \"\"\nc: \"  \"\nd: [x]\ne: \"\\0\"\n"
			     "f: \xc3\xa9\xc3\xa9\xc3\xa9\ng:\nh: |\n  two\n  lines\n\n");
	char *s = strdup("old");

	(void)state;
	assert_int_equal(yamldoc_string(&yd, m, "zzz", 10, &s, &err), 0);
	assert_string_equal(s, "old");
	assert_int_equal(yamldoc_string(&yd, m, "a", 10, &s, &err), 1);
	assert_string_equal(s, "plain");       /* and "old" was freed */
	assert_int_equal(yamldoc_string(&yd, m, "b", 10, &s, &err), -1);
	assert_string_equal(err.text, "t.yaml:2:4: error: 'b' is blank (expected some text)");
	assert_int_equal(yamldoc_string(&yd, m, "c", 10, &s, &err), -1);
	assert_string_equal(err.text, "t.yaml:3:4: error: 'c' is blank (expected some text)");
	assert_int_equal(yamldoc_string(&yd, m, "d", 10, &s, &err), -1);
	assert_string_equal(err.text, "t.yaml:4:4: error: 'd' is a list (expected some text)");
	assert_int_equal(yamldoc_string(&yd, m, "e", 10, &s, &err), -1);
	assert_string_equal(err.text, "t.yaml:5:4: error: 'e' contains a NUL character (expected text)");
	assert_int_equal(yamldoc_string(&yd, m, "f", 3, &s, &err), 1);   /* characters, not bytes */
	assert_string_equal(s, "\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_int_equal(yamldoc_string(&yd, m, "f", 2, &s, &err), -1);
	assert_string_equal(err.text, "t.yaml:6:4: error: 'f' is too long: 3 characters (expected at most 2)");
	assert_int_equal(yamldoc_string(&yd, m, "g", 2, &s, &err), -1);
	assert_string_equal(err.text, "t.yaml:7:3: error: 'g' is empty (expected some text)");
	assert_int_equal(yamldoc_string(&yd, m, "h", 20, &s, &err), 1);
	assert_string_equal(s, "two\nlines");
	free(s);
	yamldoc_free(&yd);
}

static void gets_bools(void **state)
{
	struct yamldoc yd;
	struct diag err;
	yaml_node_t *m = doc(&yd, "a: true\nb: No\nc: YES\nd: false\ne: maybe\nf: 1\n");
	bool b = false;

	(void)state;
	assert_int_equal(yamldoc_bool(&yd, m, "a", false, &b, &err), 1);
	assert_true(b);
	assert_int_equal(yamldoc_bool(&yd, m, "b", true, &b, &err), 1);
	assert_false(b);
	assert_int_equal(yamldoc_bool(&yd, m, "c", false, &b, &err), 1);
	assert_true(b);
	assert_int_equal(yamldoc_bool(&yd, m, "d", true, &b, &err), 1);
	assert_false(b);
	assert_int_equal(yamldoc_bool(&yd, m, "zz", true, &b, &err), 0);
	assert_true(b);
	assert_int_equal(yamldoc_bool(&yd, m, "e", true, &b, &err), -1);
	assert_string_equal(err.text, "t.yaml:5:4: error: invalid value 'maybe' for 'e' (expected true or false)");
	assert_int_equal(yamldoc_bool(&yd, m, "f", true, &b, &err), -1);
	assert_string_equal(err.text, "t.yaml:6:4: error: invalid value '1' for 'f' (expected true or false)");
	yamldoc_free(&yd);
}

static void gets_numbers_in_range(void **state)
{
	struct yamldoc yd;
	struct diag err;
	yaml_node_t *m = doc(&yd, "a: 8\nb: 0\nc: 11\nd: -1\ne: 1.5\nf: 99999999999999\ng: \"7\"\nh: [1]\n");
	uint32_t n = 42;

	(void)state;
	assert_int_equal(yamldoc_uint(&yd, m, "a", 1, 10, 3, &n, &err), 1);
	assert_int_equal(n, 8);
	assert_int_equal(yamldoc_uint(&yd, m, "b", 0, 10, 3, &n, &err), 1);
	assert_int_equal(n, 0);
	assert_int_equal(yamldoc_uint(&yd, m, "g", 0, 10, 3, &n, &err), 1);
	assert_int_equal(n, 7);
	assert_int_equal(yamldoc_uint(&yd, m, "zz", 0, 10, 3, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(yamldoc_uint(&yd, m, "zz", 0, 10, YAMLDOC_NO_DEFAULT, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(yamldoc_uint(&yd, m, "c", 0, 10, 3, &n, &err), -1);
	assert_string_equal(err.text, "t.yaml:3:4: error: invalid value '11' for 'c' (expected a whole number from 0 to 10, default 3)");
	assert_int_equal(yamldoc_uint(&yd, m, "b", 1, 10, YAMLDOC_NO_DEFAULT, &n, &err), -1);
	assert_string_equal(err.text, "t.yaml:2:4: error: invalid value '0' for 'b' (expected a whole number from 1 to 10)");
	assert_int_equal(yamldoc_uint(&yd, m, "d", 0, 10, 3, &n, &err), -1);
	assert_string_equal(err.text, "t.yaml:4:4: error: invalid value '-1' for 'd' (expected a whole number from 0 to 10, default 3)");
	assert_int_equal(yamldoc_uint(&yd, m, "e", 0, 10, 3, &n, &err), -1);
	assert_string_equal(err.text, "t.yaml:5:4: error: invalid value '1.5' for 'e' (expected a whole number from 0 to 10, default 3)");
	assert_int_equal(yamldoc_uint(&yd, m, "f", 0, UINT32_MAX - 1, 3, &n, &err), -1);
	assert_string_equal(err.text, "t.yaml:6:4: error: invalid value '99999999999999' for 'f' (expected a whole number from 0 to 4294967294, default 3)");
	assert_int_equal(yamldoc_uint(&yd, m, "h", 0, 10, 3, &n, &err), -1);
	assert_string_equal(err.text, "t.yaml:8:4: error: 'h' is a list (expected a whole number from 0 to 10, default 3)");
	assert_int_equal(n, 3);
	yamldoc_free(&yd);
}

static void gets_durations(void **state)
{
	struct yamldoc yd;
	struct diag err;
	yaml_node_t *m = doc(&yd, "a: 1m30s\nb: 10h\nc: 600m\nd: 0s\ne: 2000m\nf: 30\n");
	uint32_t ms = 1;

	(void)state;
	assert_int_equal(yamldoc_duration(&yd, m, "a", 0, 600000, 5000, &ms, &err), 1);
	assert_int_equal(ms, 90000);
	assert_int_equal(yamldoc_duration(&yd, m, "f", 0, 600000, 5000, &ms, &err), 1);
	assert_int_equal(ms, 30000);
	assert_int_equal(yamldoc_duration(&yd, m, "zz", 0, 600000, 5000, &ms, &err), 0);
	assert_int_equal(ms, 5000);
	assert_int_equal(yamldoc_duration(&yd, m, "b", 0, 600000, 5000, &ms, &err), -1);
	assert_string_equal(err.text, "t.yaml:2:4: error: invalid duration '10h' for 'b' (expected a duration such as 30s, 1m30s or 500ms)");
	assert_int_equal(yamldoc_duration(&yd, m, "c", 0, 1800000, YAMLDOC_NO_DEFAULT, &ms, &err), -1);
	assert_string_equal(err.text, "t.yaml:3:4: error: 'c' is too long: 600m (expected at most 30m)");
	assert_int_equal(yamldoc_duration(&yd, m, "e", 0, 600000, 5000, &ms, &err), -1);
	assert_string_equal(err.text, "t.yaml:5:4: error: 'e' is too long: 2000m (expected at most 10m, default 5s)");
	assert_int_equal(yamldoc_duration(&yd, m, "d", 1000, 600000, 4000, &ms, &err), -1);
	assert_string_equal(err.text, "t.yaml:4:4: error: 'd' is too short: 0s (expected at least 1s, default 4s)");
	assert_int_equal(ms, 5000);
	yamldoc_free(&yd);
}

static void requires_and_expects(void **state)
{
	struct yamldoc yd;
	struct diag err;
	yaml_node_t *m = doc(&yd, "# header\n\nname: x\nsteps: text\n");

	(void)state;
	assert_int_equal(yamldoc_require(&yd, m, "name", "a name", &err), 0);
	assert_int_equal(yamldoc_require(&yd, m, "voice", "a voice name", &err), -1);
	assert_string_equal(err.text, "t.yaml:3:1: error: missing key 'voice' (expected a voice name)");
	assert_int_equal(yamldoc_expect(&yd, yamldoc_get(&yd, m, "steps"), YAML_SEQUENCE_NODE,
					"'steps'", "a list of steps", &err), -1);
	assert_string_equal(err.text, "t.yaml:4:8: error: 'steps' is a string (expected a list of steps)");
	assert_int_equal(yamldoc_error(&yd, NULL, &err, "odd %d", 1), -1);
	assert_string_equal(err.text, "t.yaml: error: odd 1");
	yamldoc_free(&yd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_a_mapping),
		cmocka_unit_test(accepts_bom_and_crlf),
		cmocka_unit_test(reports_invalid_utf8_where_it_is),
		cmocka_unit_test(reports_control_characters),
		cmocka_unit_test(reports_tabs_in_indentation),
		cmocka_unit_test(tabs_elsewhere_are_fine),
		cmocka_unit_test(reports_empty_files),
		cmocka_unit_test(top_level_must_be_a_mapping),
		cmocka_unit_test(refuses_a_second_document),
		cmocka_unit_test(explains_syntax_errors),
		cmocka_unit_test(caps_size_depth_and_anchors),
		cmocka_unit_test(load_file_reports_unreadable_files),
		cmocka_unit_test(checks_keys),
		cmocka_unit_test(suggests_close_words_only),
		cmocka_unit_test(snippets_are_short_and_printable),
		cmocka_unit_test(describes_nodes),
		cmocka_unit_test(gets_strings),
		cmocka_unit_test(gets_bools),
		cmocka_unit_test(gets_numbers_in_range),
		cmocka_unit_test(gets_durations),
		cmocka_unit_test(requires_and_expects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

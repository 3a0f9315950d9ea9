/* Voice profiles: the shipped English profile, every required phrase, the
 * messages for broken profiles, and phrase expansion that never overflows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "voice.h"

/* A complete profile, with one line replaceable: the phrases below. */
static const char phrases[] =
	"phrases:\n"
	"  left_side: Left side.\n"
	"  right_side: Right side.\n"
	"  switch_sides: Switch sides.\n"
	"  rest: Rest.\n"
	"  next_up: \"Next up: {name}.\"\n"
	"  rep: Rep {n} of {total}.\n"
	"  count_rep: \"{n}.\"\n"
	"  halfway: Halfway.\n"
	"  wait: Press play when you are ready.\n"
	"  complete: Routine complete. Well done.\n"
	"  paused: Paused.\n"
	"  resuming: Resuming.\n"
	"  next: \"Next: {name}.\"\n"
	"  stopped: Stopped.\n"
	"  good_morning: Good morning.\n"
	"  file_error: Error on line {n}.\n"
	"  settings_error: Settings error on line {n}.\n"
	"  voice_error: Voice error on line {n}.\n"
	"  streak_one: Day one.\n"
	"  streak: \"{n} in a row.\"\n"
	"  progress: \"Step {n} of {total}: {name}.\"\n"
	"  minutes_left: \"{n} minutes.\"\n"
	"  minute_left: One minute.\n"
	"  seconds_left: \"{n} seconds.\"\n"
	"  begin: Begin.\n"
	"  relax: Relax.\n"
	"  safety: Go gently.\n"
	"  hurt: Skip it today.\n"
	"  snoozed: \"Again in {n} minutes.\"\n"
	"  not_today: Not today.\n"
	"  checkin: How is your back?\n"
	"  checkin_answer: \"{n} of 10.\"\n"
	"  today: \"Today: {name}.\"\n";

static const char *parse_error(const char *path, const char *text)
{
	static struct diag err;
	struct voice v;

	memset(&err, 0, sizeof(err));
	if (voice_parse(path, text, strlen(text), &v, &err) == 0) {
		voice_free(&v);
		fail_msg("parsed: %s", text);
	}
	assert_null(v.name);
	assert_null(v.espeak);
	assert_null(v.phrase[0]);
	return err.text;
}

static void loads_the_shipped_english_profile(void **state)
{
	struct voice v;
	struct diag err;
	int i;

	(void)state;
	if (voice_load("voices/en.yaml", &v, &err))
		fail_msg("%s", err.text);
	assert_string_equal(v.name, "en");
	assert_string_equal(v.espeak, "en-us");
	assert_true(v.rate >= 110 && v.rate <= 165);  /* measured in test_speech */
	assert_int_equal(v.pitch, 45);
	for (i = 0; i < PHRASE_MAX; i++)
		assert_non_null(v.phrase[i]);
	assert_string_equal(v.phrase[PHRASE_NEXT_UP], "Next up: {name}.");
	assert_string_equal(v.phrase[PHRASE_REP], "Hold {n} of {total}.");
	assert_string_equal(v.phrase[PHRASE_COUNT_REP], "{n}.");
	voice_free(&v);
	voice_free(&v);
}

static void parses_a_profile_with_defaults(void **state)
{
	char text[2048];
	struct voice v;
	struct diag err;

	(void)state;
	snprintf(text, sizeof(text), "espeak: de+f3\n%s", phrases);
	if (voice_parse("profiles/de.yml", text, strlen(text), &v, &err))
		fail_msg("%s", err.text);
	assert_string_equal(v.name, "de");
	assert_string_equal(v.espeak, "de+f3");
	assert_int_equal(v.rate, 160);
	assert_int_equal(v.pitch, 50);
	assert_string_equal(v.phrase[PHRASE_GOOD_MORNING], "Good morning.");
	assert_string_equal(v.phrase[PHRASE_FILE_ERROR], "Error on line {n}.");
	voice_free(&v);
	if (voice_parse("fr", text, strlen(text), &v, &err))
		fail_msg("%s", err.text);
	assert_string_equal(v.name, "fr");
	voice_free(&v);
}

static void phrase_keys_name_every_phrase(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(phrase_key(PHRASE_LEFT_SIDE), "left_side");
	assert_string_equal(phrase_key(PHRASE_GOOD_MORNING), "good_morning");
	assert_string_equal(phrase_key(PHRASE_FILE_ERROR), "file_error");
	assert_string_equal(phrase_key(PHRASE_STREAK_ONE), "streak_one");
	assert_string_equal(phrase_key(PHRASE_STREAK), "streak");
	assert_string_equal(phrase_key(PHRASE_MAX), "");
	for (i = 0; i < PHRASE_MAX; i++) {
		assert_true(strlen(phrase_key(i)) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(phrase_key(i), phrase_key(j));
	}
}

/* Parses TEXT (without phrases) followed by the complete phrase list. */
static const char *head_error(const char *head)
{
	static char text[2048];

	snprintf(text, sizeof(text), "%s%s", head, phrases);
	return parse_error("voices/xx.yaml", text);
}

/* Parses a profile whose phrases list has line LINE (1-based, after
 * "phrases:") replaced by REPLACEMENT ("" drops it). */
static const char *phrase_error(int line, const char *replacement)
{
	static char text[2048];
	const char *p = phrases;
	char *out = text + sprintf(text, "espeak: en\n");
	int n = 0;

	for (; *p; n++) {
		const char *end = strchr(p, '\n') + 1;

		if (n == line)
			out += sprintf(out, "%s", replacement);
		else
			out += sprintf(out, "%.*s", (int)(end - p), p);
		p = end;
	}
	return parse_error("voices/xx.yaml", text);
}

static void reports_broken_profiles(void **state)
{
	(void)state;
	assert_string_equal(parse_error("voices/xx.yaml", ""),
			    "voices/xx.yaml: error: empty file (expected a mapping with espeak and phrases)");
	assert_string_equal(head_error(""),
			    "voices/xx.yaml:1:1: error: missing key 'espeak' (expected an espeak-ng voice, e.g. espeak: en-us)");
	assert_string_equal(parse_error("voices/xx.yaml", "espeak: en\n"),
			    "voices/xx.yaml:1:1: error: missing key 'phrases' (expected every phrase under phrases:)");
	assert_string_equal(parse_error("voices/xx.yaml", "espeak: en\nphrases: [a]\n"),
			    "voices/xx.yaml:2:10: error: 'phrases' is a list (expected a mapping from phrase names to text)");
	assert_string_equal(head_error("espeak: en us\n"),
			    "voices/xx.yaml:1:9: error: invalid espeak-ng voice 'en us' (expected a name such as en-us or en-us+f3)");
	assert_string_equal(head_error("espeak: en\nrate: 500\n"),
			    "voices/xx.yaml:2:7: error: invalid value '500' for 'rate' (expected a whole number from 80 to 450, default 160)");
	assert_string_equal(head_error("espeak: en\npitch: 100\n"),
			    "voices/xx.yaml:2:8: error: invalid value '100' for 'pitch' (expected a whole number from 0 to 99, default 50)");
	assert_string_equal(head_error("espeak: en\nspeed: 150\n"),
			    "voices/xx.yaml:2:1: error: unknown key 'speed' (expected one of: espeak, rate, pitch, pack, phrases)");
	assert_string_equal(head_error("espeak: en\nrte: 150\n"),
			    "voices/xx.yaml:2:1: error: unknown key 'rte' (did you mean 'rate'?)");
	/* Phrases: each one required, no strays, no blanks. */
	assert_string_equal(phrase_error(4, ""),
			    "voices/xx.yaml:3:3: error: missing phrase 'rest' (expected all 33 phrases, as in voices/en.yaml)");
	assert_string_equal(phrase_error(16, ""),
			    "voices/xx.yaml:3:3: error: missing phrase 'file_error' (expected all 33 phrases, as in voices/en.yaml)");
	assert_string_equal(phrase_error(20, ""),
			    "voices/xx.yaml:3:3: error: missing phrase 'streak' (expected all 33 phrases, as in voices/en.yaml)");
	assert_string_equal(phrase_error(4, "  rets: Rest.\n"),
			    "voices/xx.yaml:6:3: error: unknown key 'rets' (did you mean 'rest'?)");
	assert_string_equal(phrase_error(4, "  rest:\n"),
			    "voices/xx.yaml:6:8: error: 'rest' is empty (expected some text)");
	assert_string_equal(phrase_error(4, "  rest: Rest.\n  rest: Relax.\n"),
			    "voices/xx.yaml:7:3: error: duplicate key 'rest', first at line 6 (expected each key once)");
	assert_string_equal(phrase_error(4, "  rest: Rest: now.\n"),
			    "voices/xx.yaml:6:13: error: mapping values are not allowed in this context (expected quotes around text that contains ': ', or a key at the indentation of its siblings)");
}

static void say_substitutes_placeholders(void **state)
{
	struct voice v;
	struct diag err;
	char buf[128];

	(void)state;
	assert_int_equal(voice_load("voices/en.yaml", &v, &err), 0);
	assert_string_equal(voice_say(&v, PHRASE_NEXT_UP, "Cat and camel", 0, 0, buf, sizeof(buf)),
			    "Next up: Cat and camel.");
	assert_string_equal(voice_say(&v, PHRASE_REP, NULL, 3, 8, buf, sizeof(buf)), "Hold 3 of 8.");
	assert_string_equal(voice_say(&v, PHRASE_COUNT_REP, NULL, 7, 10, buf, sizeof(buf)), "7.");
	assert_string_equal(voice_say(&v, PHRASE_FILE_ERROR, NULL, 12, 0, buf, sizeof(buf)),
			    "The routine file has an error on line 12.");
	assert_string_equal(voice_say(&v, PHRASE_STREAK, NULL, 5, 0, buf, sizeof(buf)),
			    "5 mornings in a row.");
	assert_string_equal(voice_say(&v, PHRASE_NEXT, NULL, 0, 0, buf, sizeof(buf)), "Next: .");
	assert_string_equal(voice_say(&v, PHRASE_REST, "x", 1, 2, buf, sizeof(buf)), "Rest.");
	/* Names are inserted as they are, braces and all. */
	assert_string_equal(voice_say(&v, PHRASE_NEXT, "{n} {total}", 5, 6, buf, sizeof(buf)),
			    "Next: {n} {total}.");
	voice_free(&v);
}

static void say_keeps_unknown_placeholders(void **state)
{
	struct voice v;
	char buf[128];

	(void)state;
	memset(&v, 0, sizeof(v));
	v.phrase[PHRASE_REST] = (char *)"{x} {name {n}{total}{} {{n}} {nam}{name}";
	assert_string_equal(voice_say(&v, PHRASE_REST, "A", 1, 2, buf, sizeof(buf)),
			    "{x} {name 12{} {1} {nam}A");
}

static void say_falls_back_to_english(void **state)
{
	struct voice v;
	char buf[128];

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_string_equal(voice_say(&v, PHRASE_REP, NULL, 1, 2, buf, sizeof(buf)), "Rep 1 of 2.");
	assert_string_equal(voice_say(NULL, PHRASE_SWITCH_SIDES, NULL, 0, 0, buf, sizeof(buf)),
			    "Switch sides.");
	assert_string_equal(voice_say(NULL, PHRASE_MAX, NULL, 0, 0, buf, sizeof(buf)), "");
	assert_string_equal(voice_say(NULL, (enum phrase)-1, NULL, 0, 0, buf, sizeof(buf)), "");
}

static void say_truncates_safely(void **state)
{
	struct voice v;
	char buf[16];
	char big[8] = "unused";

	(void)state;
	memset(&v, 0, sizeof(v));
	memset(buf, 'z', sizeof(buf));
	assert_string_equal(voice_say(NULL, PHRASE_NEXT_UP, "Hip flexor stretch", 0, 0, buf, 12),
			    "Next up: Hi");
	assert_int_equal(buf[12], 'z');        /* nothing past SIZE written */
	assert_string_equal(voice_say(NULL, PHRASE_REST, NULL, 0, 0, buf, 1), "");
	assert_ptr_equal(voice_say(NULL, PHRASE_REST, NULL, 0, 0, big, 0), big);
	assert_string_equal(big, "unused");
	assert_null(voice_say(NULL, PHRASE_REST, NULL, 0, 0, NULL, 10));
	/* A cut never leaves half a UTF-8 character. */
	v.phrase[PHRASE_REST] = (char *)"Ruhe \xe2\x80\x93 gut";
	assert_string_equal(voice_say(&v, PHRASE_REST, NULL, 0, 0, buf, 7), "Ruhe ");
	assert_string_equal(voice_say(&v, PHRASE_REST, NULL, 0, 0, buf, 8), "Ruhe ");
	assert_string_equal(voice_say(&v, PHRASE_REST, NULL, 0, 0, buf, 9), "Ruhe \xe2\x80\x93");
	assert_string_equal(voice_say(&v, PHRASE_REP, "\xc3\xa9\xc3\xa9", 0, 0, buf, 4), "Rep");
	v.phrase[PHRASE_NEXT] = (char *)"{name}";
	assert_string_equal(voice_say(&v, PHRASE_NEXT, "\xc3\xa9\xc3\xa9", 0, 0, buf, 4), "\xc3\xa9");
	assert_string_equal(voice_say(&v, PHRASE_NEXT, "a\xf0\x9f\x98\x80", 0, 0, buf, 5), "a");
}

/* A reload's error is said with the right file's words, and its line is the
 * error's, even when the path holds ':' (issue 16.19, issue 14.6). */
static void file_error_names_the_file(void **state)
{
	const char *config = "/tmp/a:15:b/coach.yaml", *routine = "/etc/coach/routines/r.yaml";
	struct voice v;
	struct diag err;
	char buf[128];

	(void)state;
	assert_int_equal(voice_load("voices/en.yaml", &v, &err), 0);
	diag_set(&err, config, 39, 3, "'volume' must be a number");
	assert_string_equal(err.text, "/tmp/a:15:b/coach.yaml:39:3: error: 'volume' must be a number");
	assert_int_equal(err.line, 39);
	assert_int_equal(voice_file_error(&err, config, routine), PHRASE_SETTINGS_ERROR);
	assert_string_equal(voice_say(&v, voice_file_error(&err, config, routine), NULL,
				      (unsigned)err.line, 0, buf, sizeof(buf)),
			    "The settings file has an error on line 39.");
	diag_set(&err, routine, 7, 1, "x");
	assert_int_equal(voice_file_error(&err, config, routine), PHRASE_FILE_ERROR);
	diag_set(&err, "/usr/share/coach/voices/en.yaml", 3, 1, "x");
	assert_int_equal(voice_file_error(&err, config, routine), PHRASE_VOICE_ERROR);
	assert_string_equal(voice_say(&v, PHRASE_VOICE_ERROR, NULL, 3, 0, buf, sizeof(buf)),
			    "The voice file has an error on line 3.");
	/* A path that is only a prefix of the config's is not the config. */
	diag_set(&err, "/tmp/a:15:b/coach.yam", 2, 1, "x");
	assert_int_equal(voice_file_error(&err, config, routine), PHRASE_VOICE_ERROR);
	diag_set(&err, config, 0, 0, "unreadable");
	assert_int_equal(err.line, 0);
	voice_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_the_shipped_english_profile),
		cmocka_unit_test(parses_a_profile_with_defaults),
		cmocka_unit_test(phrase_keys_name_every_phrase),
		cmocka_unit_test(reports_broken_profiles),
		cmocka_unit_test(say_substitutes_placeholders),
		cmocka_unit_test(say_keeps_unknown_placeholders),
		cmocka_unit_test(say_falls_back_to_english),
		cmocka_unit_test(say_truncates_safely),
		cmocka_unit_test(file_error_names_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

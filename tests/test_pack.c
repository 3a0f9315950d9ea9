/* Voice packs: the file name a sentence has in a pack (readable, one per
 * sentence, the same every time), the profile's pack: key, and the lookup: a
 * recording in the pack replaces espeak-ng for its sentence with its own
 * length, at espeak-ng's loudness; a sentence without one, or with a file
 * that cannot be used (reported), is synthesized; a recording added later is
 * seen. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sndfile.h>

#include "loudness.h"
#include "packname.h"
#include "speech.h"
#include "voice.h"

/* --- names --------------------------------------------------------------- */

static void name_is_slug_and_hash(void **state)
{
	char a[PACKNAME_MAX], b[PACKNAME_MAX];
	size_t n;

	(void)state;
	packname_of("Left side.", a, sizeof(a));
	n = strlen(a);
	/* "left-side-" + 8 hex digits + ".wav" */
	assert_int_equal(n, strlen("left-side-") + 8 + 4);
	assert_memory_equal(a, "left-side-", 10);
	assert_string_equal(a + n - 4, ".wav");
	for (size_t i = 10; i < 18; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	/* The same every time. */
	assert_string_equal(packname_of("Left side.", b, sizeof(b)), a);
	/* A run of spaces and punctuation is one '-', none at either end; digits kept. */
	packname_of("  Rep 2 of 3!  ", a, sizeof(a));
	assert_memory_equal(a, "rep-2-of-3-", 11);
	assert_int_equal(strlen(a), 11 + 8 + 4);
}

static void different_sentences_differ(void **state)
{
	static const char *const texts[] = {
		"Rest.", "Rest!", "rest.", "Rest", "Rest. ", "Left side.", "Right side.",
		"Rep 1 of 3.", "Rep 1 of 4.", "Rep 11 of 3.", "1.", "2.", "",
	};
	char names[sizeof(texts) / sizeof(texts[0])][PACKNAME_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		packname_of(texts[i], names[i], sizeof(names[i]));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(names[i], names[j]);
	}
	/* Same slug, told apart by the hash alone. */
	assert_memory_equal(names[0], "rest-", 5);
	assert_memory_equal(names[1], "rest-", 5);
}

static void other_letters_kept_and_long_text_cut(void **state)
{
	char a[PACKNAME_MAX], longer[600];

	(void)state;
	packname_of("Als Nächstes: Katze und Kamel.", a, sizeof(a));
	assert_memory_equal(a, "als-nächstes-katze-und-kamel-", strlen("als-nächstes-katze-und-kamel-"));
	/* Cut on a character boundary: "ä" is two bytes and never split. */
	memset(longer, 0, sizeof(longer));
	for (size_t i = 0; i + 2 < sizeof(longer) - 1; i += 2)
		memcpy(longer + i, "ä", 2);
	packname_of(longer, a, sizeof(a));
	assert_true(strlen(a) <= PACKNAME_SLUG + 1 + 8 + 4);
	assert_int_equal((strlen(a) - 13) % 2, 0);
	/* Nothing readable at all: the hash alone. */
	packname_of("...", a, sizeof(a));
	assert_int_equal(strlen(a), 8 + 4);
	packname_of("", a, sizeof(a));
	assert_int_equal(strlen(a), 8 + 4);
}

/* --- the profile's pack: key -------------------------------------------- */

static const char profile_head[] = "espeak: en-us\nrate: 134\n";

static int parse_with(const char *path, const char *extra, struct voice *v, struct diag *err)
{
	struct voice en;
	struct diag e;
	char text[8192];
	size_t n;

	/* Every phrase, from the shipped English profile. */
	assert_int_equal(voice_load("voices/en.yaml", &en, &e), 0);
	n = (size_t)snprintf(text, sizeof(text), "%s%sphrases:\n", profile_head, extra);
	for (int p = 0; p < PHRASE_MAX; p++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "  %s: \"%s\"\n",
				      phrase_key((enum phrase)p), en.phrase[p]);
	voice_free(&en);
	return voice_parse(path, text, n, v, err);
}

static void pack_key_is_relative_to_the_profile(void **state)
{
	struct voice v;
	struct diag err;

	(void)state;
	assert_int_equal(parse_with("/etc/coach/voices/en.yaml", "pack: packs/en\n", &v, &err), 0);
	assert_string_equal(v.pack, "/etc/coach/voices/packs/en");
	assert_int_equal(v.pack_line, 3);
	assert_int_equal(v.pack_column, 7);
	voice_free(&v);
	assert_int_equal(parse_with("en.yaml", "pack: p\n", &v, &err), 0);
	assert_string_equal(v.pack, "./p");
	voice_free(&v);
	assert_int_equal(parse_with("voices/en.yaml", "pack: /srv/pack\n", &v, &err), 0);
	assert_string_equal(v.pack, "/srv/pack");
	voice_free(&v);
	assert_int_equal(parse_with("voices/en.yaml", "", &v, &err), 0);
	assert_null(v.pack);
	voice_free(&v);
}

static void bad_pack_key_is_located(void **state)
{
	struct voice v;
	struct diag err;

	(void)state;
	assert_int_equal(parse_with("voices/en.yaml", "pack: [a, b]\n", &v, &err), -1);
	assert_non_null(strstr(err.text, "voices/en.yaml:3:7:"));
	assert_non_null(strstr(err.text, "pack"));
	assert_int_equal(parse_with("voices/en.yaml", "pack: \"a\\nb\"\n", &v, &err), -1);
	assert_non_null(strstr(err.text, "voices/en.yaml:3:7:"));
	assert_non_null(strstr(err.text, "one line"));
}

/* --- the lookup ---------------------------------------------------------- */

#define RATE 48000

struct fx {
	char dir[64];
	struct voice v;
	struct speech *s;
	char warned[8192];
	unsigned nwarned;
};

static struct fx *current;

static void on_warn(const char *message)
{
	snprintf(current->warned, sizeof(current->warned), "%s", message);
	current->nwarned++;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct diag err;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/coach-pack.XXXXXX");
	if (!mkdtemp(fx->dir) || voice_load("voices/en.yaml", &fx->v, &err) < 0)
		return -1;
	fx->v.pack = strdup(fx->dir);
	fx->s = speech_new(&fx->v, RATE, &err);
	if (!fx->s)
		return -1;
	speech_set_warn(fx->s, on_warn);
	current = fx;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	struct dirent *de;
	DIR *d;

	speech_free(fx->s);
	voice_free(&fx->v);
	d = opendir(fx->dir);
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* The path TEXT's file has in FX's pack. */
static const char *pack_path(const struct fx *fx, const char *text, char *buf, size_t size)
{
	char name[PACKNAME_MAX];

	snprintf(buf, size, "%s/%s", fx->dir, packname_of(text, name, sizeof(name)));
	return buf;
}

/* Writes a sine of FREQ Hz, SECONDS long, at AMP of full scale, as a
 * 16-bit WAV of CHANNELS channels at FILE_RATE. */
static void write_sine(const char *path, int file_rate, int channels, double freq,
		       double seconds, double amp)
{
	SF_INFO info = { .samplerate = file_rate, .channels = channels,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	sf_count_t n = (sf_count_t)(seconds * file_rate);
	float *x = malloc((size_t)n * (size_t)channels * sizeof(*x));

	assert_non_null(f);
	assert_non_null(x);
	for (sf_count_t i = 0; i < n; i++)
		for (int c = 0; c < channels; c++)
			x[i * channels + c] = (float)(amp * sin(2 * M_PI * freq * (double)i / file_rate));
	assert_int_equal(sf_writef_float(f, x, n), n);
	sf_close(f);
	free(x);
}

/* Upward zero crossings a second: the frequency of a sine. */
static double frequency(const struct clip *c)
{
	unsigned up = 0;

	for (uint32_t i = 1; i < c->frames; i++)
		up += c->pcm[i - 1] < 0 && c->pcm[i] >= 0;
	return up * (double)RATE / c->frames;
}

static void recording_replaces_its_sentence_with_its_own_length(void **state)
{
	struct fx *fx = *state;
	char path[4096];
	const struct clip *c, *other;
	unsigned synth, cached;

	/* 22050 Hz stereo, quiet (-30 dBFS): resampled, mixed down, made louder. */
	write_sine(pack_path(fx, "Left side.", path, sizeof(path)), 22050, 2, 440, 1.5, 0.0316);
	c = speech_get(fx->s, "Left side.");
	assert_non_null(c);
	/* Its own length: 1.5 s at 48 kHz (nothing to trim from a steady tone). */
	assert_in_range(c->frames, 72000 - 4, 72000 + 4);
	assert_in_range((int)lround(frequency(c)), 438, 442);
	/* As loud as espeak-ng's sentences (a sine's peak allows it). */
	assert_true(fabs(loudness_max(c, RATE) - SPEECH_LUFS) < 0.2);
	/* Asked again: the same clip, nothing read twice. */
	assert_ptr_equal(speech_get(fx->s, "Left side."), c);
	assert_int_equal(speech_pack_count(fx->s), 1);
	/* A sentence the pack lacks: espeak-ng's voice. */
	other = speech_get(fx->s, "Right side.");
	assert_non_null(other);
	assert_true(other->frames > RATE / 4);
	assert_int_not_equal(other->frames, 72000);
	speech_counts(fx->s, &synth, &cached);
	assert_int_equal(synth, 1);
	assert_int_equal(speech_pack_count(fx->s), 1);
	assert_int_equal(fx->nwarned, 0);
}

static void recording_added_later_is_seen(void **state)
{
	struct fx *fx = *state;
	char path[4096];
	const struct clip *before, *after;

	before = speech_get(fx->s, "Halfway.");
	assert_non_null(before);
	write_sine(pack_path(fx, "Halfway.", path, sizeof(path)), 16000, 1, 300, 0.5, 0.5);
	after = speech_get(fx->s, "Halfway.");
	assert_non_null(after);
	assert_ptr_not_equal(after, before);
	assert_in_range(after->frames, 24000 - 4, 24000 + 4);
	/* Removed again: espeak-ng's, the same as before. */
	unlink(path);
	assert_int_equal(speech_get(fx->s, "Halfway.")->frames, before->frames);
}

static void unusable_file_is_reported_and_synthesized(void **state)
{
	struct fx *fx = *state;
	char path[4096];
	const struct clip *c;
	FILE *f;
	unsigned synth, cached;

	f = fopen(pack_path(fx, "Rest.", path, sizeof(path)), "w");
	assert_non_null(f);
	fputs("this is not a sound file, only text in a .wav file\n", f);
	fclose(f);
	c = speech_get(fx->s, "Rest.");
	assert_non_null(c);
	assert_true(c->frames > RATE / 10);
	speech_counts(fx->s, &synth, &cached);
	assert_int_equal(synth, 1);
	assert_int_equal(speech_pack_count(fx->s), 0);
	assert_int_equal(fx->nwarned, 1);
	print_message("warned: %s\n", fx->warned);
	assert_true(strncmp(fx->warned, path, strlen(path)) == 0);
	assert_non_null(strstr(fx->warned, "not a sound file"));
	assert_non_null(strstr(fx->warned, "espeak-ng says \"Rest.\" instead"));
	/* Told once, not at every use. */
	speech_get(fx->s, "Rest.");
	assert_int_equal(fx->nwarned, 1);

	/* A file of silence: no sound to play. */
	write_sine(pack_path(fx, "Paused.", path, sizeof(path)), 22050, 1, 440, 0.5, 0.0);
	assert_non_null(speech_get(fx->s, "Paused."));
	assert_int_equal(fx->nwarned, 2);
	assert_non_null(strstr(fx->warned, "no sound in it"));
}

/* The loudness recordings are matched to is espeak-ng's own: its sentences'
 * loudest windows measure SPEECH_LUFS, within 1.5 LU (median). */
static void target_is_espeak_ngs_loudness(void **state)
{
	static const enum phrase some[] = { PHRASE_LEFT_SIDE, PHRASE_HALFWAY, PHRASE_WAIT,
					    PHRASE_COMPLETE, PHRASE_SAFETY, PHRASE_REST,
					    PHRASE_GOOD_MORNING };
	struct fx *fx = *state;
	double lu[sizeof(some) / sizeof(some[0])];
	size_t n = sizeof(some) / sizeof(some[0]);

	for (size_t i = 0; i < n; i++) {
		const struct clip *c = speech_get(fx->s, fx->v.phrase[some[i]]);

		assert_non_null(c);
		lu[i] = loudness_max(c, RATE);
	}
	for (size_t i = 1; i < n; i++)   /* insertion sort for the median */
		for (size_t j = i; j > 0 && lu[j - 1] > lu[j]; j--) {
			double t = lu[j];

			lu[j] = lu[j - 1];
			lu[j - 1] = t;
		}
	print_message("espeak-ng's sentences: median %.1f LUFS (%.1f to %.1f)\n", lu[n / 2],
		      lu[0], lu[n - 1]);
	assert_true(fabs(lu[n / 2] - SPEECH_LUFS) < 1.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_is_slug_and_hash),
		cmocka_unit_test(different_sentences_differ),
		cmocka_unit_test(other_letters_kept_and_long_text_cut),
		cmocka_unit_test(pack_key_is_relative_to_the_profile),
		cmocka_unit_test(bad_pack_key_is_located),
		cmocka_unit_test_setup_teardown(recording_replaces_its_sentence_with_its_own_length,
						setup, teardown),
		cmocka_unit_test_setup_teardown(recording_added_later_is_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(unusable_file_is_reported_and_synthesized, setup,
						teardown),
		cmocka_unit_test_setup_teardown(target_is_espeak_ngs_loudness, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

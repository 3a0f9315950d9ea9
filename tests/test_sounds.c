/* Sounds: the shipped tones load at 48 and 44.1 kHz with the right lengths,
 * any WAV is mixed down and resampled, and a missing, broken or overlong file
 * falls back to the synthesized tone with exactly one warning naming it. */
#include <errno.h>
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

#include "sounds.h"
#include "wavfile.h"

#define SHIPPED "sounds"
#define MINUS_3_DB 23197    /* 0.708 of full scale */
#define NEAR_ZERO 328       /* 1% of full scale */

/* Lengths of the tones in ms: each lasts until its last note has rung out
 * (60 dB down). */
static const unsigned length_ms[SOUND_MAX] = {
	[SOUND_START] = 732, [SOUND_TICK] = 208, [SOUND_END] = 821,
	[SOUND_FINISH] = 2658, [SOUND_REMINDER] = 1494,
};

static int warnings;
static char last_warning[8192];

static void on_warn(const char *message)
{
	warnings++;
	snprintf(last_warning, sizeof(last_warning), "%s", message);
	assert_null(strchr(message, '\n'));
}

static void reset_warnings(void)
{
	warnings = 0;
	last_warning[0] = '\0';
}

/* A fresh directory under /tmp, removed by remove_dir. */
static void make_dir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/coach-test-sounds-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

static void remove_dir(const char *dir)
{
	char path[512];

	for (int s = 0; s < SOUND_MAX; s++) {
		snprintf(path, sizeof(path), "%s/%s.wav", dir, sound_name((enum sound)s));
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Writes FRAMES frames of CHANNELS interleaved floats at RATE to PATH. */
static void write_wav(const char *path, int rate, int channels, int format,
		      const float *x, sf_count_t frames)
{
	SF_INFO info = { .samplerate = rate, .channels = channels, .format = format };
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);

	assert_non_null(f);
	assert_int_equal(sf_writef_float(f, x, frames), frames);
	assert_int_equal(sf_close(f), 0);
}

static void copy_shipped(const char *dir, enum sound s)
{
	char from[512], to[512];
	FILE *f;
	static char buf[1 << 20];
	size_t n;

	snprintf(from, sizeof(from), "%s/%s.wav", SHIPPED, sound_name(s));
	snprintf(to, sizeof(to), "%s/%s.wav", dir, sound_name(s));
	f = fopen(from, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	write_file(to, buf, n);
}

static int peak(const struct clip *c)
{
	int p = 0;

	for (uint32_t i = 0; i < c->frames; i++)
		if (abs(c->pcm[i]) > p)
			p = abs(c->pcm[i]);
	return p;
}

/* The loudest sample in [FROM, TO). */
static int peak_in(const struct clip *c, uint32_t from, uint32_t to)
{
	int p = 0;

	for (uint32_t i = from; i < to && i < c->frames; i++)
		if (abs(c->pcm[i]) > p)
			p = abs(c->pcm[i]);
	return p;
}

/* What every usable tone must be: the expected length, audible, no louder
 * than -3 dBFS, and silent at both ends so it never clicks. */
static void check_tone(const struct clip *c, enum sound s, unsigned rate)
{
	uint32_t want = (uint32_t)lrint(length_ms[s] * (double)rate / 1000.0);

	assert_non_null(c->pcm);
	if (c->frames + 1 < want || c->frames > want + 1)
		fail_msg("%s at %u Hz: %u frames, expected %u", sound_name(s), rate,
			 c->frames, want);
	assert_true(peak(c) <= MINUS_3_DB);
	assert_true(peak(c) > 1000);
	assert_true(abs(c->pcm[0]) <= NEAR_ZERO);
	assert_true(abs(c->pcm[c->frames - 1]) <= NEAR_ZERO);
}

static void loads_shipped_tones(void **state)
{
	const unsigned rates[] = { 48000, 44100 };
	struct clip c[SOUND_MAX];

	(void)state;
	for (size_t r = 0; r < 2; r++) {
		reset_warnings();
		assert_int_equal(sounds_load(c, SHIPPED, rates[r], on_warn), 0);
		if (warnings)
			fail_msg("unexpected warning: %s", last_warning);
		for (int s = 0; s < SOUND_MAX; s++)
			check_tone(&c[s], (enum sound)s, rates[r]);
		sounds_free(c);
		assert_null(c[0].pcm);
	}
}

static void shipped_tones_are_the_synthesized_ones(void **state)
{
	struct clip c[SOUND_MAX], syn;

	(void)state;
	assert_int_equal(sounds_load(c, SHIPPED, 48000, NULL), 0);
	for (int s = 0; s < SOUND_MAX; s++) {
		uint32_t edge = 48000 * 2 / 1000;   /* the load fade */

		assert_int_equal(sounds_synthesize(&syn, (enum sound)s, 48000), 0);
		assert_int_equal(c[s].frames, syn.frames);
		/* Identical but for the 2 ms edge fades applied on loading. */
		for (uint32_t i = edge; i < syn.frames - edge; i++)
			if (c[s].pcm[i] != syn.pcm[i])
				fail_msg("%s differs at frame %u", sound_name((enum sound)s), i);
		free(syn.pcm);
	}
	sounds_free(c);
}

/* A tone ends by ringing out, not by being cut: in the 50 ms before its
 * 10 ms release it is already 40 dB under its peak (a cut bell was 10 to
 * 18 dB under). */
static void synthesized_tones_ring_out(void **state)
{
	(void)state;
	for (int s = 0; s < SOUND_MAX; s++) {
		struct clip c;
		uint32_t release = 48000 / 100, tail = 48000 / 20;
		int last;

		assert_int_equal(sounds_synthesize(&c, (enum sound)s, 48000), 0);
		last = peak_in(&c, c.frames - release - tail, c.frames - release);
		if (last * 100 > peak(&c))
			fail_msg("%s is cut: %.1f dB under its peak before the release",
				 sound_name((enum sound)s), 20 * log10((double)peak(&c) / last));
		free(c.pcm);
	}
}

static void synthesized_tones_are_distinct_and_safe(void **state)
{
	const unsigned rates[] = { 8000, 22050, 44100, 48000, 96000 };
	struct clip c[SOUND_MAX];

	(void)state;
	for (size_t r = 0; r < sizeof(rates) / sizeof(*rates); r++) {
		for (int s = 0; s < SOUND_MAX; s++) {
			assert_int_equal(sounds_synthesize(&c[s], (enum sound)s, rates[r]), 0);
			check_tone(&c[s], (enum sound)s, rates[r]);
		}
		/* start and end share a length class but not a shape. */
		for (int a = 0; a < SOUND_MAX; a++)
			for (int b = a + 1; b < SOUND_MAX; b++)
				assert_false(c[a].frames == c[b].frames &&
					     !memcmp(c[a].pcm, c[b].pcm, c[a].frames * 2));
		sounds_free(c);
	}
	assert_int_equal(sounds_synthesize(&c[0], SOUND_MAX, 48000), -EINVAL);
	assert_int_equal(sounds_synthesize(&c[0], SOUND_START, 0), -EINVAL);
	assert_null(c[0].pcm);
}

static void mixes_down_and_resamples_any_wav(void **state)
{
	enum { RATE = 22050, FRAMES = RATE / 2 };
	char dir[64], path[128];
	float *x = malloc(FRAMES * 2 * sizeof(*x));
	struct clip c[SOUND_MAX];
	int p;

	(void)state;
	assert_non_null(x);
	make_dir(dir, sizeof(dir));
	/* Half a second of 440 Hz in the left channel only, as 32-bit float at
	 * 22050 Hz: averaged to mono it is half as loud. */
	for (int i = 0; i < FRAMES; i++) {
		x[2 * i] = (float)(0.6 * sin(2 * M_PI * 440 * i / RATE));
		x[2 * i + 1] = 0.0f;
	}
	snprintf(path, sizeof(path), "%s/start.wav", dir);
	write_wav(path, RATE, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT, x, FRAMES);
	for (int s = SOUND_TICK; s < SOUND_MAX; s++)
		copy_shipped(dir, (enum sound)s);

	reset_warnings();
	assert_int_equal(sounds_load(c, dir, 48000, on_warn), 0);
	assert_int_equal(warnings, 0);
	assert_true(c[SOUND_START].frames >= 23999 && c[SOUND_START].frames <= 24001);
	p = peak(&c[SOUND_START]);
	assert_true(p > 0.28 * 32768 && p < 0.32 * 32768);
	/* Faded at the edges even though the file starts and ends mid-wave. */
	assert_true(abs(c[SOUND_START].pcm[0]) <= NEAR_ZERO);
	sounds_free(c);

	assert_int_equal(sounds_load(c, dir, 44100, on_warn), 0);
	assert_true(c[SOUND_START].frames >= 22049 && c[SOUND_START].frames <= 22051);
	sounds_free(c);
	remove_dir(dir);
	free(x);
}

static void missing_dir_falls_back_with_a_warning_each(void **state)
{
	struct clip c[SOUND_MAX], syn;

	(void)state;
	reset_warnings();
	assert_int_equal(sounds_load(c, "/nonexistent/coach-sounds", 48000, on_warn), 0);
	assert_int_equal(warnings, SOUND_MAX);
	assert_non_null(strstr(last_warning, "/nonexistent/coach-sounds/reminder.wav"));
	assert_non_null(strstr(last_warning, "No such file or directory"));
	for (int s = 0; s < SOUND_MAX; s++) {
		assert_int_equal(sounds_synthesize(&syn, (enum sound)s, 48000), 0);
		assert_int_equal(c[s].frames, syn.frames);
		assert_memory_equal(c[s].pcm, syn.pcm, syn.frames * sizeof(int16_t));
		free(syn.pcm);
	}
	sounds_free(c);
	/* Without a callback the fallback is silent. */
	assert_int_equal(sounds_load(c, "/nonexistent/coach-sounds", 48000, NULL), 0);
	check_tone(&c[SOUND_TICK], SOUND_TICK, 48000);
	sounds_free(c);
}

/* Copies the shipped tones to a fresh directory with tick.wav replaced by
 * DATA (removed if NULL), loads them, and expects exactly one warning, about tick.wav. */
static void expect_tick_rejected(const void *data, size_t n, const char *why)
{
	char dir[64], path[128];
	struct clip c[SOUND_MAX];

	make_dir(dir, sizeof(dir));
	for (int s = 0; s < SOUND_MAX; s++)
		copy_shipped(dir, (enum sound)s);
	snprintf(path, sizeof(path), "%s/tick.wav", dir);
	if (data)
		write_file(path, data, n);
	else
		assert_int_equal(unlink(path), 0);
	reset_warnings();
	assert_int_equal(sounds_load(c, dir, 48000, on_warn), 0);
	assert_int_equal(warnings, 1);
	assert_non_null(strstr(last_warning, path));
	if (!strstr(last_warning, why))
		fail_msg("warning '%s' does not say '%s'", last_warning, why);
	check_tone(&c[SOUND_TICK], SOUND_TICK, 48000);
	sounds_free(c);
	remove_dir(dir);
}

static void missing_or_broken_file_falls_back(void **state)
{
	static const char garbage[] = "RIFF\x10\x00\x00\x00WAVEjunkjunkjunk this is not audio";
	static const char empty[1];

	(void)state;
	expect_tick_rejected(garbage, sizeof(garbage), "not a sound file");
	expect_tick_rejected(empty, 0, "empty file");
	expect_tick_rejected(NULL, 0, "No such file or directory");
}

static void overlong_warning_says_so(void **state)
{
	enum { RATE = 8000, FRAMES = RATE * 11 };
	float *x = calloc(FRAMES, sizeof(*x));
	char dir[64], path[128];
	struct clip c[SOUND_MAX];

	(void)state;
	assert_non_null(x);
	make_dir(dir, sizeof(dir));
	for (int s = 0; s < SOUND_MAX; s++)
		copy_shipped(dir, (enum sound)s);
	snprintf(path, sizeof(path), "%s/tick.wav", dir);
	write_wav(path, RATE, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, x, FRAMES);
	free(x);
	reset_warnings();
	assert_int_equal(sounds_load(c, dir, 48000, on_warn), 0);
	assert_int_equal(warnings, 1);
	assert_non_null(strstr(last_warning, "tick.wav: too long (11.0 s"));
	sounds_free(c);
	remove_dir(dir);
}

/* A mono 16-bit file at the output rate (the shipped tones) is read as it
 * is: the same samples as the same sound through floats, extremes included. */
static void pcm16_at_the_rate_loads_as_is(void **state)
{
	static const short samples[] = { -32768, -32767, -1, 0, 1, 12345, -12345, 32767 };
	enum { N = sizeof(samples) / sizeof(samples[0]) };
	SF_INFO info = { .samplerate = 48000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	float x[N];
	char dir[64], pcm16[128], floats[128], why[256];
	struct clip a, b;
	SNDFILE *f;

	(void)state;
	make_dir(dir, sizeof(dir));
	snprintf(pcm16, sizeof(pcm16), "%s/pcm16.wav", dir);
	snprintf(floats, sizeof(floats), "%s/float.wav", dir);
	f = sf_open(pcm16, SFM_WRITE, &info);
	assert_non_null(f);
	assert_int_equal(sf_writef_short(f, samples, N), N);
	assert_int_equal(sf_close(f), 0);
	for (int i = 0; i < N; i++)
		x[i] = samples[i] / 32768.0f;
	write_wav(floats, 48000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT, x, N);
	assert_int_equal(wavfile_load(pcm16, 48000, 10, "a tone", &a, why, sizeof(why)), 0);
	assert_int_equal(wavfile_load(floats, 48000, 10, "a tone", &b, why, sizeof(why)), 0);
	assert_int_equal(a.frames, N);
	assert_int_equal(b.frames, N);
	assert_memory_equal(a.pcm, samples, sizeof(samples));
	assert_memory_equal(b.pcm, samples, sizeof(samples));
	clip_free(&a);
	clip_free(&b);
	unlink(pcm16);
	unlink(floats);
	remove_dir(dir);
}

static void names_and_bad_rates(void **state)
{
	struct clip c[SOUND_MAX];

	(void)state;
	assert_string_equal(sound_name(SOUND_START), "start");
	assert_string_equal(sound_name(SOUND_TICK), "tick");
	assert_string_equal(sound_name(SOUND_END), "end");
	assert_string_equal(sound_name(SOUND_FINISH), "finish");
	assert_string_equal(sound_name(SOUND_REMINDER), "reminder");
	assert_string_equal(sound_name(SOUND_MAX), "unknown");
	assert_int_equal(sounds_load(c, SHIPPED, 0, NULL), -EINVAL);
	assert_null(c[0].pcm);
	sounds_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_shipped_tones),
		cmocka_unit_test(shipped_tones_are_the_synthesized_ones),
		cmocka_unit_test(synthesized_tones_are_distinct_and_safe),
		cmocka_unit_test(synthesized_tones_ring_out),
		cmocka_unit_test(mixes_down_and_resamples_any_wav),
		cmocka_unit_test(missing_dir_falls_back_with_a_warning_each),
		cmocka_unit_test(missing_or_broken_file_falls_back),
		cmocka_unit_test(overlong_warning_says_so),
		cmocka_unit_test(pcm16_at_the_rate_loads_as_is),
		cmocka_unit_test(names_and_bad_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

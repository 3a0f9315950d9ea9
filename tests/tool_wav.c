/*
 * tool_wav: measures WAV recordings for the end-to-end tests.
 *
 *   tool_wav info REC.wav
 *       "key value" lines: frames, rate, channels, duration_s, peak_dbfs,
 *       rms_dbfs (over all samples of all channels; digital silence reads
 *       -200 dBFS).
 *   tool_wav onsets REC.wav TONE.wav [MIN_SCORE]
 *       One line "TIME_S SCORE" per occurrence of TONE in REC: TIME_S is where
 *       frame 0 of TONE.wav lies in REC, SCORE the normalized cross-correlation
 *       of the tone's first 20 ms there (1.0 = identical up to gain).
 *       MIN_SCORE defaults to 0.9.  A TONE at another rate is resampled
 *       (linearly) to REC's.  Frame-accurate for a tone that starts over
 *       quiet; over other sound, a score drops (0.7 over sound as loud as the
 *       tone) and the position of a steady tone may be off by whole periods.
 *       Occurrences less than 20 ms apart count as one.  See find_onsets().
 *   tool_wav gaps REC.wav MIN_MS [THRESH_DBFS]
 *       One line "START_S LENGTH_S" per stretch of at least MIN_MS in which no
 *       sample reaches THRESH_DBFS (default -60), including stretches at the
 *       start and the end of the recording.
 *   tool_wav first-sound REC.wav [THRESH_DBFS]
 *   tool_wav last-sound REC.wav [THRESH_DBFS]
 *       The time of the first (last) sample at or above THRESH_DBFS (default
 *       -60); exits 1 if there is none.  last-sound gives the sample's end,
 *       so a file whose last sample is loud reports its duration.
 *   tool_wav tone OUT.wav FREQ_HZ MS [RATE]
 *       Writes a test tone: mono 16-bit, -6 dBFS sine, 5 ms fade-in, 20 ms
 *       fade-out, RATE default 48000.  For harness tests that need a sound
 *       file without sox.
 *
 * Channels are averaged to mono for all but info.
 * Exit status: 0 done, 1 unreadable input or nothing found where a result is
 * required, 2 bad usage.  Deterministic: same input, same output.
 */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMPLATE_MS 20.0  /* how much of the tone is matched */
#define PREROLL_MS 10.0   /* the stretch before it, compared with it */
#define RISE 1.5          /* power rise that makes a candidate onset */
#define FLOOR_DBFS -200.0 /* what digital silence reads */

struct audio {
	float *mono;      /* channels averaged */
	float *raw;       /* interleaved, as in the file */
	long frames;
	int rate;
	int channels;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: tool_wav info REC.wav\n"
		"       tool_wav onsets REC.wav TONE.wav [MIN_SCORE]\n"
		"       tool_wav gaps REC.wav MIN_MS [THRESH_DBFS]\n"
		"       tool_wav first-sound REC.wav [THRESH_DBFS]\n"
		"       tool_wav last-sound REC.wav [THRESH_DBFS]\n"
		"       tool_wav tone OUT.wav FREQ_HZ MS [RATE]\n");
}

static void audio_free(struct audio *a)
{
	free(a->mono);
	free(a->raw);
	a->mono = a->raw = NULL;
}

/* Reads a whole file.  Returns 0, or -1 after saying why on stderr. */
static int audio_load(const char *path, struct audio *a)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	size_t n;

	memset(a, 0, sizeof(*a));
	if (!f) {
		fprintf(stderr, "tool_wav: %s: %s\n", path, sf_strerror(NULL));
		return -1;
	}
	if (info.frames < 0 || info.channels <= 0 || info.samplerate <= 0 ||
	    info.frames > 48000L * 3600 * 4) {
		fprintf(stderr, "tool_wav: %s: %lld frames, %d channels, %d Hz: not usable\n",
			path, (long long)info.frames, info.channels, info.samplerate);
		sf_close(f);
		return -1;
	}
	n = (size_t)info.frames;
	a->raw = malloc((n ? n : 1) * (size_t)info.channels * sizeof(float));
	a->mono = malloc((n ? n : 1) * sizeof(float));
	if (!a->raw || !a->mono) {
		fprintf(stderr, "tool_wav: %s: out of memory\n", path);
		sf_close(f);
		audio_free(a);
		return -1;
	}
	a->frames = (long)sf_readf_float(f, a->raw, info.frames);
	a->rate = info.samplerate;
	a->channels = info.channels;
	sf_close(f);
	for (long i = 0; i < a->frames; i++) {
		float s = 0;

		for (int c = 0; c < a->channels; c++)
			s += a->raw[i * a->channels + c];
		a->mono[i] = s / (float)a->channels;
	}
	return 0;
}

static double to_dbfs(double amplitude)
{
	return amplitude > 0 ? fmax(20.0 * log10(amplitude), FLOOR_DBFS) : FLOOR_DBFS;
}

/* Parses a number in [lo, hi]; says what was wrong and returns -1 if not. */
static int parse_num(const char *s, const char *what, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !isfinite(v) || v < lo || v > hi) {
		fprintf(stderr, "tool_wav: %s '%s' is not a number in [%g, %g]\n", what, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int cmd_info(const char *path)
{
	struct audio a;
	double peak = 0, sum = 0;
	long n;

	if (audio_load(path, &a) < 0)
		return 1;
	n = a.frames * a.channels;
	for (long i = 0; i < n; i++) {
		double v = a.raw[i];

		peak = fmax(peak, fabs(v));
		sum += v * v;
	}
	printf("frames %ld\nrate %d\nchannels %d\nduration_s %.6f\npeak_dbfs %.2f\nrms_dbfs %.2f\n",
	       a.frames, a.rate, a.channels, (double)a.frames / a.rate, to_dbfs(peak),
	       to_dbfs(n ? sqrt(sum / (double)n) : 0));
	audio_free(&a);
	return 0;
}

static int cmd_gaps(const char *path, double min_ms, double thresh_dbfs)
{
	struct audio a;
	float lin = (float)pow(10.0, thresh_dbfs / 20.0);
	long min_len, start = 0;

	if (audio_load(path, &a) < 0)
		return 1;
	min_len = lround(min_ms * a.rate / 1000.0);
	if (min_len < 1)
		min_len = 1;
	for (long i = 0; i <= a.frames; i++) {
		if (i < a.frames && fabsf(a.mono[i]) < lin)
			continue;
		if (i - start >= min_len)
			printf("%.6f %.6f\n", (double)start / a.rate, (double)(i - start) / a.rate);
		start = i + 1;
	}
	audio_free(&a);
	return 0;
}

static int cmd_sound(const char *path, double thresh_dbfs, int last)
{
	struct audio a;
	float lin = (float)pow(10.0, thresh_dbfs / 20.0);
	int rc = 1;

	if (audio_load(path, &a) < 0)
		return 1;
	for (long k = 0; k < a.frames; k++) {
		long i = last ? a.frames - 1 - k : k;

		if (fabsf(a.mono[i]) >= lin) {
			printf("%.6f\n", (double)(i + last) / a.rate);
			rc = 0;
			break;
		}
	}
	if (rc)
		fprintf(stderr, "tool_wav: %s: no sample reaches %.1f dBFS\n", path, thresh_dbfs);
	audio_free(&a);
	return rc;
}

/* Resamples a's mono signal to rate by linear interpolation (good enough for
 * matching a tone recorded at another rate).  Returns 0 or -1. */
static int resample_mono(struct audio *a, int rate)
{
	long n = (long)floor((double)a->frames * rate / a->rate);
	float *y;

	if (rate == a->rate)
		return 0;
	y = malloc((size_t)(n > 0 ? n : 1) * sizeof(*y));
	if (!y)
		return -1;
	for (long i = 0; i < n; i++) {
		double pos = (double)i * a->rate / rate;
		long k = (long)pos;
		double frac = pos - (double)k;
		float x1 = k + 1 < a->frames ? a->mono[k + 1] : 0.0f;

		y[i] = (float)((1.0 - frac) * a->mono[k] + frac * x1);
	}
	free(a->mono);
	a->mono = y;
	a->frames = n;
	a->rate = rate;
	return 0;
}

/* Dot product with four partial sums (fixed order, so deterministic). */
static double dot(const float *x, const float *y, long n)
{
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	long i = 0;

	for (; i + 4 <= n; i += 4) {
		s0 += (double)x[i] * y[i];
		s1 += (double)x[i + 1] * y[i + 1];
		s2 += (double)x[i + 2] * y[i + 2];
		s3 += (double)x[i + 3] * y[i + 3];
	}
	for (; i < n; i++)
		s0 += (double)x[i] * y[i];
	return (s0 + s1) + (s2 + s3);
}

/*
 * Finds the occurrences of a tone in a recording (both mono, same rate).
 *
 * The template is the tone's first TEMPLATE_MS from its first audible sample
 * (-40 dB below its peak).  At a position t of the recording, with E_win the
 * recording's energy under the template and E_pre its energy in the
 * PREROLL_MS before t:
 *
 *   score(t) = sum(rec[t+i] * tpl[i]) / sqrt(sum(tpl^2) * E_win)
 *
 * is the normalized cross-correlation (1.0: identical up to gain).
 *
 * 1. Energy pre-screen: t is a candidate only if the mean power under the
 *    template is at least RISE times that of the pre-roll, i.e. where sound
 *    starts or grows (a tone starting over other sound of the same level
 *    still doubles the power), and not silent (mean power above -80 dBFS).
 *    E_win and E_pre come from prefix sums, so the correlation runs only at
 *    candidates: a 2-minute recording takes a fraction of a second.
 * 2. Candidates scoring at least min_score are grouped: a group ends once a
 *    candidate lies more than one template length after the group's first.
 *    So two occurrences must be at least TEMPLATE_MS apart to be told apart.
 * 3. In a steady tone, a whole number of periods later matches about as well
 *    as the start, so the score alone is not frame-accurate.  Each group's
 *    position is the one that maximizes the score with the pre-roll counted
 *    in the denominator, sum(rec*tpl) / sqrt(sum(tpl^2) * (E_win + E_pre)),
 *    which is highest where the tone really starts: earlier, the window
 *    misses part of the tone; later, the pre-roll holds some of it.
 *
 * Reported time: where frame 0 of the tone file lies, and the score there.
 */
static int find_onsets(const struct audio *rec, const struct audio *tone, double min_score)
{
	const float *x = rec->mono;
	const float *tpl;
	long n = rec->frames, a0 = -1, len, pre;
	double *energy = NULL, peak = 0, e_tpl, floor_e;
	long group_first = -1, best_t = -1;
	double best = -1, best_score = 0;

	for (long i = 0; i < tone->frames; i++)
		peak = fmax(peak, fabs(tone->mono[i]));
	for (long i = 0; i < tone->frames && a0 < 0; i++)
		if (peak > 0 && fabs(tone->mono[i]) >= 0.01 * peak)
			a0 = i;
	if (a0 < 0) {
		fprintf(stderr, "tool_wav: the tone is silent\n");
		return 1;
	}
	tpl = tone->mono + a0;
	len = lround(TEMPLATE_MS * rec->rate / 1000.0);
	if (len > tone->frames - a0)
		len = tone->frames - a0;
	pre = lround(PREROLL_MS * rec->rate / 1000.0);
	e_tpl = dot(tpl, tpl, len);
	floor_e = (double)len * 1e-8;
	if (n < len)
		return 0;
	energy = malloc((size_t)(n + 1) * sizeof(*energy));
	if (!energy) {
		fprintf(stderr, "tool_wav: out of memory\n");
		return 1;
	}
	energy[0] = 0;
	for (long i = 0; i < n; i++)
		energy[i + 1] = energy[i] + (double)x[i] * x[i];
	for (long t = 0; t + len <= n; t++) {
		long p0 = t > pre ? t - pre : 0;
		double e_win = energy[t + len] - energy[t];
		double e_pre = energy[t] - energy[p0];
		double num, score, sharp;

		/* mean power under the template >= RISE * mean power before */
		if (e_win <= floor_e || e_win * (double)(t - p0) < RISE * e_pre * (double)len)
			continue;
		num = dot(x + t, tpl, len);
		score = num / sqrt(e_tpl * e_win);
		if (score < min_score)
			continue;
		if (group_first >= 0 && t - group_first > len) {
			printf("%.6f %.4f\n", (double)(best_t - a0) / rec->rate, best_score);
			group_first = -1;
		}
		if (group_first < 0) {
			group_first = t;
			best = -1;
		}
		sharp = num / sqrt(e_tpl * (e_win + e_pre));
		if (sharp > best) {
			best = sharp;
			best_t = t;
			best_score = score;
		}
	}
	if (group_first >= 0)
		printf("%.6f %.4f\n", (double)(best_t - a0) / rec->rate, best_score);
	free(energy);
	return 0;
}

static int cmd_onsets(const char *rec_path, const char *tone_path, double min_score)
{
	struct audio rec, tone;
	int rc = 1;

	if (audio_load(rec_path, &rec) < 0)
		return 1;
	if (audio_load(tone_path, &tone) < 0) {
		audio_free(&rec);
		return 1;
	}
	if (resample_mono(&tone, rec.rate) < 0)
		fprintf(stderr, "tool_wav: out of memory\n");
	else
		rc = find_onsets(&rec, &tone, min_score);
	audio_free(&rec);
	audio_free(&tone);
	return rc;
}

static int cmd_tone(const char *path, double freq, double ms, int rate)
{
	SF_INFO info = { .samplerate = rate, .channels = 1,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	long n = lround(ms * rate / 1000.0);
	long fade_in = lround(0.005 * rate), fade_out = lround(0.020 * rate);
	const double pi = 3.14159265358979323846;
	SNDFILE *f;
	float *y;
	int rc = 0;

	y = malloc((size_t)(n > 0 ? n : 1) * sizeof(*y));
	if (!y) {
		fprintf(stderr, "tool_wav: out of memory\n");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		double g = 0.5;

		if (i < fade_in)
			g *= 0.5 - 0.5 * cos(pi * (double)i / (double)fade_in);
		if (n - 1 - i < fade_out)
			g *= 0.5 - 0.5 * cos(pi * (double)(n - 1 - i) / (double)fade_out);
		y[i] = (float)(g * sin(2.0 * pi * freq * (double)i / rate));
	}
	f = sf_open(path, SFM_WRITE, &info);
	if (!f || sf_writef_float(f, y, n) != n) {
		fprintf(stderr, "tool_wav: %s: %s\n", path, sf_strerror(f));
		rc = 1;
	}
	if (f && sf_close(f) != 0)
		rc = 1;
	free(y);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	double v = 0, w = 0, r = 48000;

	if (strcmp(cmd, "info") == 0 && argc == 3)
		return cmd_info(argv[2]);
	if (strcmp(cmd, "onsets") == 0 && (argc == 4 || argc == 5)) {
		v = 0.9;
		if (argc == 5 && parse_num(argv[4], "MIN_SCORE", 0.01, 1.0, &v) < 0)
			return 2;
		return cmd_onsets(argv[2], argv[3], v);
	}
	if (strcmp(cmd, "gaps") == 0 && (argc == 4 || argc == 5)) {
		w = -60;
		if (parse_num(argv[3], "MIN_MS", 0, 1e9, &v) < 0 ||
		    (argc == 5 && parse_num(argv[4], "THRESH_DBFS", -200, 0, &w) < 0))
			return 2;
		return cmd_gaps(argv[2], v, w);
	}
	if ((strcmp(cmd, "first-sound") == 0 || strcmp(cmd, "last-sound") == 0) &&
	    (argc == 3 || argc == 4)) {
		v = -60;
		if (argc == 4 && parse_num(argv[3], "THRESH_DBFS", -200, 0, &v) < 0)
			return 2;
		return cmd_sound(argv[2], v, cmd[0] == 'l');
	}
	if (strcmp(cmd, "tone") == 0 && (argc == 5 || argc == 6)) {
		if (parse_num(argv[3], "FREQ_HZ", 1, 96000, &v) < 0 ||
		    parse_num(argv[4], "MS", 1, 600000, &w) < 0 ||
		    (argc == 6 && parse_num(argv[5], "RATE", 8000, 192000, &r) < 0))
			return 2;
		return cmd_tone(argv[2], v, w, (int)r);
	}
	usage();
	return 2;
}

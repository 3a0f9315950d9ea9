#include "sounds.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "pcm.h"
#include "wavfile.h"

/* A tone file longer than this is a mistake (a song dropped in by accident),
 * not an interval marker. */
#define MAX_SECONDS   10
#define MIN_RATE      8000
#define MAX_RATE      192000
/* Edge fades on loaded files, so one cut mid-wave does not click. */
#define LOAD_FADE_MS  2

/* One note of a tone: a sine with two soft overtones (a small bell rather
 * than a beep), a quick half-cosine attack and an exponential decay. */
struct note {
	double at;          /* start, seconds */
	double freq;        /* Hz */
	double gain;        /* relative to the tone's other notes */
	double decay;       /* time constant, seconds */
};

struct tone {
	double peak;        /* absolute peak, full scale 1.0 */
	double attack;      /* seconds */
	unsigned nnotes;
	struct note notes[4];
};

/* A tone lasts until its last note has decayed by this much (-60 dB: the
 * bell has rung out), so it ends by itself rather than being cut. */
#define RING_OUT_DB 60.0

/* Levels are set against speech by momentary loudness (EBU R 128, 400 ms
 * windows), which is what the ear follows, not by RMS over the tone: espeak-ng's
 * sentences measure about -21 LUFS momentary at their loudest.  Start and end
 * tones sit a few LU under that; the tick, short and heard every second, has a
 * high peak and a 30 ms ring so that it comes within 6 LU of speech and is not
 * lost under breathing (it was 15 LU under as a 60 ms click); no tone peaks
 * above -3 dBFS. */
static const struct tone tones[SOUND_MAX] = {
	/* A rising fourth, E5 then A5: "go".  The first note still sounds when
	 * the second comes, so the second's onset is never taken for the tone's. */
	[SOUND_START] = { 0.40, 0.006, 2, {
		{ 0.000, 659.26, 1.0, 0.10 },
		{ 0.110, 880.00, 1.0, 0.09 } } },
	/* One short C6, a wood block rather than a click. */
	[SOUND_TICK] = { 0.60, 0.003, 1, {
		{ 0.000, 1046.50, 1.0, 0.030 } } },
	/* A falling fourth, D6 then A5: "stop".  Its first note is no other
	 * tone's, so a recording's tones are told apart by their onsets. */
	[SOUND_END] = { 0.40, 0.006, 2, {
		{ 0.000, 1174.66, 1.0, 0.10 },
		{ 0.130, 880.00, 1.0, 0.10 } } },
	/* C5 E5 G5 C6 rising and left to ring out: the routine is done. */
	[SOUND_FINISH] = { 0.32, 0.008, 4, {
		{ 0.000, 523.25, 1.0, 0.35 },
		{ 0.120, 659.26, 0.9, 0.35 },
		{ 0.240, 783.99, 0.8, 0.35 },
		{ 0.360, 1046.50, 0.7, 0.30 } } },
	/* A doorbell's two tones, G5 then D5, unhurried. */
	[SOUND_REMINDER] = { 0.30, 0.010, 2, {
		{ 0.000, 783.99, 1.0, 0.15 },
		{ 0.250, 587.33, 1.0, 0.18 } } },
};

/* Seconds until the last note to fade has decayed by RING_OUT_DB, to the ms. */
static double tone_seconds(const struct tone *t)
{
	double end = 0.0;

	for (unsigned k = 0; k < t->nnotes; k++) {
		double e = t->notes[k].at + t->notes[k].decay * RING_OUT_DB / 20.0 * log(10.0);

		if (e > end)
			end = e;
	}
	return ceil(end * 1000.0) / 1000.0;
}

static double note_value(const struct note *n, double attack, double t)
{
	double env, w = 2.0 * M_PI * n->freq * t;

	if (t < 0.0)
		return 0.0;
	env = exp(-t / n->decay);
	if (t < attack)
		env *= 0.5 - 0.5 * cos(M_PI * t / attack);
	return n->gain * env * (sin(w) + 0.25 * sin(2.0 * w) + 0.08 * sin(3.0 * w));
}

int sounds_synthesize(struct clip *out, enum sound s, unsigned rate)
{
	const struct tone *tone;
	uint32_t frames, release;
	double *x, peak = 0.0;

	*out = (struct clip){ 0 };
	if ((unsigned)s >= SOUND_MAX || rate < MIN_RATE || rate > MAX_RATE)
		return -EINVAL;
	tone = &tones[s];
	frames = (uint32_t)lrint(tone_seconds(tone) * rate);
	x = malloc(frames * sizeof(*x));
	out->pcm = malloc(frames * sizeof(*out->pcm));
	if (!x || !out->pcm) {
		free(x);
		free(out->pcm);
		out->pcm = NULL;
		return -ENOMEM;
	}
	/* Every note rings to the end, by then 60 dB down; a 10 ms half-cosine
	 * release brings what is left to exactly zero. */
	release = rate / 100;
	for (uint32_t i = 0; i < frames; i++) {
		double t = (double)i / rate, v = 0.0;

		for (unsigned k = 0; k < tone->nnotes; k++)
			v += note_value(&tone->notes[k], tone->attack, t - tone->notes[k].at);
		if (frames - i <= release)
			v *= 0.5 - 0.5 * cos(M_PI * (frames - 1 - i) / release);
		x[i] = v;
		if (fabs(v) > peak)
			peak = fabs(v);
	}
	/* Normalized to the tone's peak, so levels are set in one table. */
	for (uint32_t i = 0; i < frames; i++)
		out->pcm[i] = pcm_from_float(peak > 0.0 ? x[i] * tone->peak / peak : 0.0);
	out->frames = frames;
	free(x);
	return 0;
}

/* Keeps the warning on one line whatever the file name or library says. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ')
			*s = ' ';
}

int sounds_load(struct clip out[SOUND_MAX], const char *dir, unsigned rate,
		sounds_warn_fn *warn)
{
	char path[4096], why[256], msg[4096 + 512];
	int rc = 0;

	memset(out, 0, SOUND_MAX * sizeof(*out));
	if (rate < MIN_RATE || rate > MAX_RATE)
		return -EINVAL;
	for (int s = 0; s < SOUND_MAX; s++) {
		int w = snprintf(path, sizeof(path), "%s/%s.wav", dir ? dir : ".", sound_name((enum sound)s));

		why[0] = '\0';
		if (w < 0 || (size_t)w >= sizeof(path)) {
			snprintf(why, sizeof(why), "path too long");
			rc = -1;
		} else {
			rc = wavfile_load(path, rate, MAX_SECONDS, "a tone", &out[s], why, sizeof(why));
			if (rc == 0)
				pcm_fade(&out[s], rate * LOAD_FADE_MS / 1000);
		}
		if (rc == -ENOMEM)
			break;
		if (rc < 0) {
			rc = sounds_synthesize(&out[s], (enum sound)s, rate);
			if (rc < 0)
				break;
			if (warn) {
				snprintf(msg, sizeof(msg), "%s: %s; using the built-in %s tone",
					 path, why, sound_name((enum sound)s));
				one_line(msg);
				warn(msg);
			}
		}
	}
	if (rc < 0) {
		sounds_free(out);
		return -ENOMEM;
	}
	return 0;
}

void sounds_free(struct clip sounds[SOUND_MAX])
{
	for (int s = 0; s < SOUND_MAX; s++) {
		free(sounds[s].pcm);
		sounds[s].pcm = NULL;
		sounds[s].frames = 0;
	}
}

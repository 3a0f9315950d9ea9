/* gensounds DIR: writes the shipped tones, DIR/<name>.wav for every sound, as
 * 48 kHz mono 16-bit WAV.  They are exactly what sounds_synthesize makes, so a
 * broken or missing file falls back to the same sound, and the bytes are the
 * same on every run (`make sounds` regenerates them). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "sounds.h"

#define RATE 48000

static double dbfs(double x)
{
	return x > 0.0 ? 20.0 * log10(x) : -INFINITY;
}

/* Writes C to PATH through a temporary file, so an interrupted run never
 * leaves a truncated tone behind.  Returns 0 or -1 with a message printed. */
static int write_wav(const char *path, const struct clip *c)
{
	SF_INFO info = { .samplerate = RATE, .channels = 1,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	char tmp[4096];
	SNDFILE *f;
	sf_count_t n;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		fprintf(stderr, "gensounds: %s: path too long\n", path);
		return -1;
	}
	f = sf_open(tmp, SFM_WRITE, &info);
	if (!f) {
		fprintf(stderr, "gensounds: %s: %s\n", tmp, sf_strerror(NULL));
		return -1;
	}
	n = sf_writef_short(f, c->pcm, c->frames);
	if (n != (sf_count_t)c->frames) {
		fprintf(stderr, "gensounds: %s: %s\n", tmp, sf_strerror(f));
		sf_close(f);
		remove(tmp);
		return -1;
	}
	if (sf_close(f) != 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "gensounds: %s: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char path[4000];
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: gensounds DIR\n");
		return 2;
	}
	for (int s = 0; s < SOUND_MAX && rc == 0; s++) {
		struct clip c;
		double sum = 0.0, peak = 0.0;

		if (sounds_synthesize(&c, (enum sound)s, RATE) < 0) {
			fprintf(stderr, "gensounds: out of memory\n");
			return 1;
		}
		for (uint32_t i = 0; i < c.frames; i++) {
			double x = c.pcm[i] / 32768.0;

			sum += x * x;
			if (fabs(x) > peak)
				peak = fabs(x);
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.wav", argv[1],
				     sound_name((enum sound)s)) >= sizeof(path)) {
			fprintf(stderr, "gensounds: %s: path too long\n", argv[1]);
			rc = -1;
		} else {
			rc = write_wav(path, &c);
		}
		if (rc == 0)
			printf("%-24s %5.3f s  peak %5.1f dBFS  rms %5.1f dBFS\n", path,
			       (double)c.frames / RATE, dbfs(peak), dbfs(sqrt(sum / c.frames)));
		free(c.pcm);
	}
	return rc == 0 ? 0 : 1;
}

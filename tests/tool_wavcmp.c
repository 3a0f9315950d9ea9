/*
 * tool_wavcmp: compares two 16-bit WAV files sample by sample, for the
 * cross-architecture render check (tests/run-cross).
 *
 *   tool_wavcmp A.wav B.wav [MAX_DIFF [MAX_PPM]]
 *
 * Prints "key value" lines on stdout:
 *
 *   frames       frames in A (and in B: a length or format mismatch is
 *                reported as "mismatch ..." and fails)
 *   differing    samples that differ
 *   ppm          the same per million samples
 *   max_diff     the largest difference, in steps of 16-bit PCM
 *   first_s, last_s   where the first and the last difference lie (-1: none)
 *
 * Exit status: 0 when A and B have the same rate, channels and length, no
 * sample differs by more than MAX_DIFF (default 0: identical) and at most
 * MAX_PPM samples per million differ (default 0); 1 when not; 2 for bad usage
 * or an unreadable file.
 */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCK 4096

static SNDFILE *open_wav(const char *path, SF_INFO *info)
{
	SNDFILE *f = sf_open(path, SFM_READ, info);

	if (!f)
		fprintf(stderr, "tool_wavcmp: %s: %s\n", path, sf_strerror(NULL));
	return f;
}

int main(int argc, char **argv)
{
	static short a[BLOCK], b[BLOCK];
	SF_INFO ia = { 0 }, ib = { 0 };
	SNDFILE *fa, *fb;
	long max_diff = 0, max_ppm = 0, worst = 0, first = -1, last = -1;
	unsigned long long differing = 0, samples = 0;
	double ppm;
	int ok;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: tool_wavcmp A.wav B.wav [MAX_DIFF [MAX_PPM]]\n");
		return 2;
	}
	if (argc > 3)
		max_diff = strtol(argv[3], NULL, 10);
	if (argc > 4)
		max_ppm = strtol(argv[4], NULL, 10);
	fa = open_wav(argv[1], &ia);
	fb = open_wav(argv[2], &ib);
	if (!fa || !fb)
		return 2;
	if (ia.samplerate != ib.samplerate || ia.channels != ib.channels ||
	    ia.frames != ib.frames || ia.format != ib.format) {
		printf("mismatch rate %d/%d channels %d/%d frames %lld/%lld format 0x%x/0x%x\n",
		       ia.samplerate, ib.samplerate, ia.channels, ib.channels,
		       (long long)ia.frames, (long long)ib.frames, (unsigned)ia.format,
		       (unsigned)ib.format);
		return 1;
	}
	for (;;) {
		sf_count_t na = sf_read_short(fa, a, BLOCK), nb = sf_read_short(fb, b, BLOCK);

		if (na != nb) {
			fprintf(stderr, "tool_wavcmp: short read\n");
			return 2;
		}
		if (na <= 0)
			break;
		for (sf_count_t i = 0; i < na; i++) {
			long d = labs((long)a[i] - (long)b[i]);

			if (d) {
				differing++;
				if (d > worst)
					worst = d;
				last = (long)((samples + (unsigned long long)i) / (unsigned)ia.channels);
				if (first < 0)
					first = last;
			}
		}
		samples += (unsigned long long)na;
	}
	sf_close(fa);
	sf_close(fb);
	ppm = samples ? 1e6 * (double)differing / (double)samples : 0.0;
	printf("frames %lld\ndiffering %llu\nppm %.1f\nmax_diff %ld\n", (long long)ia.frames,
	       differing, ppm, worst);
	printf("first_s %.3f\nlast_s %.3f\n", first < 0 ? -1.0 : (double)first / ia.samplerate,
	       last < 0 ? -1.0 : (double)last / ia.samplerate);
	ok = worst <= max_diff && ppm <= (double)max_ppm;
	return ok ? 0 : 1;
}

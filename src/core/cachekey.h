/* Keys of the speech cache, pure: what identifies a synthesized sentence (its
 * text and every setting that shapes its samples) written out as one string,
 * and the 64-bit hash that names its file and checks its contents.  The full
 * key is stored inside each file, so a hash collision is caught, not trusted. */
#ifndef COACH_CACHEKEY_H
#define COACH_CACHEKEY_H

#include <stddef.h>
#include <stdint.h>

/* Everything a sentence's samples depend on. */
struct speech_key {
	const char *text;
	const char *espeak;          /* espeak-ng voice name */
	int rate;                    /* words a minute */
	int pitch;                   /* 0..99 */
	unsigned out_rate;           /* Hz of the stored samples */
	const char *engine;          /* espeak-ng's version, e.g. "1.51" */
	const char *resampler;       /* libsoxr's version */
	const char *processing;      /* coach's trim and fade settings */
};

/* The full key of K, one "name value" line per setting and the text last;
 * malloc'd (free it), or NULL when out of memory. */
char *cachekey_speech(const struct speech_key *k);

/* FNV-1a (64 bits) of N bytes of DATA, continuing from H (start with
 * CACHEKEY_SEED).  For keys and file names. */
#define CACHEKEY_SEED 14695981039346656037ull
uint64_t cachekey_hash(const void *data, size_t n, uint64_t h);

/* A checksum of N bytes of DATA for detecting torn or damaged files: mixes
 * eight bytes at a time in four independent lanes (the default routine's
 * 27 MiB of speech in 2-4 ms on the development machine, 9-11 ms as one
 * chain).  Not for keys. */
uint64_t cachekey_checksum(const void *data, size_t n, uint64_t h);

/* The file name for KEY: its hash as 16 hex digits and ".clip". */
#define CACHEKEY_NAME_MAX 22
void cachekey_name(const char *key, char name[CACHEKEY_NAME_MAX]);

#endif

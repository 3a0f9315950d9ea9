#include "cachekey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bump the first line when the file's payload changes meaning. */
#define KEY_FORMAT "coach speech cache 1\nespeak-ng %s\nsoxr %s\nprocessing %s\n" \
		   "voice %s\nrate %d\npitch %d\nout %u\ntext %s"

char *cachekey_speech(const struct speech_key *k)
{
	int n;
	char *key;

	n = snprintf(NULL, 0, KEY_FORMAT, k->engine, k->resampler, k->processing, k->espeak,
		     k->rate, k->pitch, k->out_rate, k->text);
	if (n < 0)
		return NULL;
	key = malloc((size_t)n + 1);
	if (key)
		snprintf(key, (size_t)n + 1, KEY_FORMAT, k->engine, k->resampler, k->processing,
			 k->espeak, k->rate, k->pitch, k->out_rate, k->text);
	return key;
}

uint64_t cachekey_hash(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/* One step of a lane: FNV's prime multiplied in, the high bits folded down. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 1099511628211ull;
	return h ^ (h >> 29);
}

uint64_t cachekey_checksum(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;
	uint64_t a = h, b = h ^ 0x9e3779b97f4a7c15ull, c = h ^ 0xc2b2ae3d27d4eb4full,
		 d = h ^ 0x165667b19e3779f9ull, w[4];
	size_t i = 0;

	if (n == 0)             /* DATA may be NULL: no pointer arithmetic on it */
		return h;
	/* Four lanes side by side: each multiply waits only for its own lane's
	 * last, so the processor runs them together, several times quicker than
	 * one chain (this checks the whole speech cache at every start). */
	for (; i + 32 <= n; i += 32) {
		memcpy(w, p + i, sizeof(w));
		a = mix(a, w[0]);
		b = mix(b, w[1]);
		c = mix(c, w[2]);
		d = mix(d, w[3]);
	}
	h = mix(mix(mix(mix(h, a), b), c), d);
	for (; i + 8 <= n; i += 8) {
		memcpy(w, p + i, sizeof(w[0]));
		h = mix(h, w[0]);
	}
	return cachekey_hash(p + i, n - i, h ^ n);
}

void cachekey_name(const char *key, char name[CACHEKEY_NAME_MAX])
{
	snprintf(name, CACHEKEY_NAME_MAX, "%016llx.clip",
		 (unsigned long long)cachekey_hash(key, strlen(key), CACHEKEY_SEED));
}

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

uint64_t cachekey_checksum(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;
	size_t i = 0;

	if (n == 0)             /* DATA may be NULL: no pointer arithmetic on it */
		return h;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, sizeof(w));
		h = (h ^ w) * 1099511628211ull;
		h ^= h >> 29;
	}
	return cachekey_hash(p + i, n - i, h ^ n);
}

void cachekey_name(const char *key, char name[CACHEKEY_NAME_MAX])
{
	snprintf(name, CACHEKEY_NAME_MAX, "%016llx.clip",
		 (unsigned long long)cachekey_hash(key, strlen(key), CACHEKEY_SEED));
}

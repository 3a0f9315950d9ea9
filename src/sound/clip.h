/* A finished piece of audio ready to mix: mono 16-bit PCM at the output rate.
 *
 * Its samples are either its own memory (malloc'd) or a read-only mapping of
 * a speech cache file: mapped clips cost no anonymous memory, and the pages a
 * session has played can be handed back (clip_page) while the file stays in
 * the page cache. */
#ifndef COACH_CLIP_H
#define COACH_CLIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct clip {
	int16_t *pcm;
	uint32_t frames;
	void *map;          /* the mapping PCM lies in, or NULL when malloc'd */
	size_t map_len;
};

/* Frees C's samples (unmaps them when mapped) and empties it. */
void clip_free(struct clip *c);

/* For a mapped clip: NEEDED asks the kernel to read its pages ahead (into
 * the page cache, asynchronously); !NEEDED drops them from this process
 * (they stay in the page cache, and a later play maps them again).  Does
 * nothing to a malloc'd clip.  Never call it from the audio callback. */
void clip_page(const struct clip *c, bool needed);

#endif

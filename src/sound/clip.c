#include "clip.h"

#include <stdlib.h>
#include <sys/mman.h>

void clip_free(struct clip *c)
{
	if (c->map)
		munmap(c->map, c->map_len);
	else
		free(c->pcm);
	*c = (struct clip){ 0 };
}

void clip_page(const struct clip *c, bool needed)
{
	/* Only a hint either way: a failure costs memory or a page fault,
	 * never a sample. */
	if (c->map)
		(void)madvise(c->map, c->map_len, needed ? MADV_WILLNEED : MADV_DONTNEED);
}

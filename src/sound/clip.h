/* A finished piece of audio ready to mix: mono 16-bit PCM at the output rate. */
#ifndef COACH_CLIP_H
#define COACH_CLIP_H

#include <stdint.h>

struct clip {
	int16_t *pcm;
	uint32_t frames;
};

#endif

#include "tone.h"

static const char *const names[SOUND_MAX] = {
	[SOUND_START] = "start",
	[SOUND_TICK] = "tick",
	[SOUND_END] = "end",
	[SOUND_FINISH] = "finish",
	[SOUND_REMINDER] = "reminder",
};

const char *sound_name(enum sound s)
{
	return (unsigned)s < SOUND_MAX ? names[s] : "unknown";
}

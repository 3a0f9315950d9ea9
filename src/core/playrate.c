/* The rate the stream plays, kept apart from the configured one. */
#include "playrate.h"

void play_rate_init(struct play_rate *r, unsigned configured)
{
	*r = (struct play_rate){ .configured = configured };
}

void play_rate_configure(struct play_rate *r, unsigned configured, bool device_changed)
{
	if (configured == r->configured && !device_changed)
		return;
	r->configured = configured;
	r->instead = 0;
	r->look = true;
}

bool play_rate_found(struct play_rate *r, unsigned found)
{
	bool news;

	/* A failed stream says what the device plays instead of the rate it
	 * was opened at, which may be the configured one. */
	if (found == r->configured)
		found = 0;
	news = found && found != r->instead;
	r->instead = found;
	return news;
}

unsigned play_rate_current(const struct play_rate *r)
{
	return r->instead ? r->instead : r->configured;
}

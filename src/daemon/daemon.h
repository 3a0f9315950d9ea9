/* The live daemon: one event loop over the control socket, signals, the
 * terminal, the schedule and the buttons, driving the player. */
#ifndef COACH_DAEMON_H
#define COACH_DAEMON_H

#include <stdbool.h>

#include "paths.h"

struct daemon_options {
	const char *config;      /* coach.yaml; NULL: the one paths found */
	const char *routine;     /* overrides the config's routine */
	const char *socket;      /* overrides the default socket path */
	const struct paths *paths;
	bool keyboard;           /* terminal mode */
	bool play;               /* start a session as soon as the routine is ready */
	bool verbose;            /* debug lines, and audio libraries' own messages */
};

/* Runs until SIGTERM or SIGINT (or q in terminal mode).  Returns the exit
 * status: 0, or EX_CONFIG (78) for a bad config or routine at start-up, or
 * EX_UNAVAILABLE (69) when the socket or the loop cannot be set up. */
int daemon_run(const struct daemon_options *o);

#endif

/* The daemon's parts, shared between daemon.c (its life: config, loading,
 * housekeeping, schedule, signals) and daemon_act.c (what the user asks:
 * controls, keys, buttons, requests, routine choice, history).  Private. */
#ifndef COACH_DAEMON_INT_H
#define COACH_DAEMON_INT_H

#include <limits.h>
#include <stdbool.h>

#include "bundle.h"
#include "buttons.h"
#include "config.h"
#include "ctlsock.h"
#include "daemon.h"
#include "loader.h"
#include "loop.h"
#include "player.h"
#include "status.h"
#include "tracker.h"

struct daemon {
	const struct daemon_options *opt;
	char config_path[PATH_MAX];
	char routine_path[PATH_MAX];
	char socket_path[PATH_MAX];
	struct config config;
	struct loop *loop;
	struct loader *loader;
	struct player *player;
	struct ctlsock *sock;
	int sigfd, timerfd, keyfd;
	struct bundle *bundle;        /* the one the player plays */
	struct bundle *pending;       /* loaded, waiting for the session to end */
	bool play_when_loaded;
	bool reloading;
	bool ready_sent;
	int tick_id;                  /* player housekeeping, 0 when not armed */
	size_t next_entry;            /* the schedule entry the timer is armed for */
	const struct clip *idle_clip; /* said at the next idle moment (an error, the streak) */
	char history_path[PATH_MAX];  /* "" when there is no state directory */
	char state_path[PATH_MAX];    /* the remembered choices; "" likewise */
	struct tracker tracker;       /* follows sessions for the history */
	bool say_now;                 /* the next sentence said plays at once, not when idle */
	char summary[256];            /* last STATUS= sent to systemd */
	const char *buttons;          /* "off", "ok", "unavailable" */
	struct buttons *btn;          /* NULL when off or unavailable */
	int buttons_retry_id;         /* reopening unavailable buttons, 0 when not armed */
	char buttons_error[512];      /* why they are unavailable, logged once */
};

/* Runs the housekeeping tick in MS milliseconds (replacing a pending one). */
void daemon_arm_tick(struct daemon *d, int ms);

/* The player's state and the status input for it. */
void daemon_snapshot(struct daemon *d, struct player_status *ps, struct status_input *in);

/* True when no session runs and nothing is being said. */
bool daemon_is_idle(const struct player_status *ps);

/* Asks the loader for the current routine. */
void daemon_request_load(struct daemon *d);

/* Re-reads the config and the routine (SIGHUP, coachctl reload). */
void daemon_reload(struct daemon *d);

/* Redraws the progress line in terminal mode. */
void daemon_show_progress(struct daemon *d);

/* The volume for a session starting now: quiet hours, or the usual one. */
void daemon_set_volume_for_now(struct daemon *d);

/* Sends control C to the session (choosing the volume when it starts one). */
void daemon_control(struct daemon *d, enum session_control c);

/* Follows sessions from player snapshots; records each one that ends. */
void daemon_track(struct daemon *d, const struct player_status *ps);

/* Answers a control request (the socket's handler). */
void daemon_on_request(void *ctx, const struct control_request *req, char *reply, size_t size);

/* (Re)opens the buttons the config names, closing any open ones.  When they
 * cannot be opened, or go away later, retries every few seconds, logging
 * each new reason once: a chip that appears late at boot, or whose
 * permissions udev has not set yet, is picked up without a restart. */
void daemon_open_buttons(struct daemon *d);

/* After a reload: reopens the buttons when their settings CHANGED, or when
 * they are unavailable. */
void daemon_reload_buttons(struct daemon *d, bool changed);

/* Shows the session on the LED. */
void daemon_show_led(struct daemon *d, const struct player_status *ps);

/* A button gesture (the buttons' callback). */
void daemon_on_gesture(void *ctx, enum gesture g);

/* A key in terminal mode (the loop's handler for standard input). */
void daemon_on_key(void *ctx, int fd, uint32_t events);

#endif

/* The live daemon.  Everything happens in one event loop on the main thread:
 * requests, signals, keys, buttons, the schedule and housekeeping.  Slow work
 * (parsing, synthesis) runs on the loader's thread; sound runs in the audio
 * callback.  Neither ever blocks the loop.
 *
 * This file is the loop's handlers and the daemon's life; what a request, a
 * key or a gesture means is decided in core/intent.c, and the parts it uses
 * (choice.c: the routines folder, record.c: the history, buttons.c, alarm.c:
 * the schedule's timer) take what they need as arguments and never call
 * back: calls run one way, and only this file sees struct daemon. */
#include "daemon.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "alarm.h"
#include "bundle.h"
#include "button_watch.h"
#include "checkin_ask.h"
#include "choice.h"
#include "config.h"
#include "ctlsock.h"
#include "history.h"
#include "intent.h"
#include "keyboard.h"
#include "loader.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "player.h"
#include "record.h"
#include "refs.h"
#include "reminders.h"
#include "state.h"
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
	struct alarm *alarm;          /* the schedule's timer */
	int sigfd, keyfd;
	struct bundle *bundle;        /* the one the player plays */
	struct bundle *pending;       /* loaded, waiting for the session to end */
	bool play_when_loaded;        /* for the latest load request only */
	unsigned load_id;             /* the latest load request; older results are dropped */
	char load_path[PATH_MAX];     /* its routine */
	unsigned load_rate;           /* its rate: the one the device plays (player_rate) */
	char pending_path[PATH_MAX];  /* the routine of pending */
	char bundle_path[PATH_MAX];   /* the routine of bundle */
	char remember[256];           /* a chosen routine to remember once it has loaded */
	int exit_status;              /* set when the daemon must stop (EX_CONFIG) */
	bool reloading;
	bool ready_sent;
	int tick_id;                  /* player housekeeping, 0 when not armed */
	struct clip *idle_clip;       /* said at the next idle moment (an error, the streak) */
	struct clip **said;           /* messages handed to the player, freed once it is quiet */
	unsigned nsaid, said_cap;
	char history_path[PATH_MAX];  /* "" when there is no state directory */
	char state_path[PATH_MAX];    /* the remembered choices; "" likewise */
	struct tracker tracker;       /* follows sessions for the history */
	bool say_now;                 /* the next sentence said plays at once, not when idle */
	char summary[256];            /* last STATUS= sent to systemd */
	struct button_watch *buttons;
	struct reminders *reminders;  /* the schedule's reminder and its answers */
	struct checkin_ask ask;       /* the check-in after a session, holding its line */
	int ask_timer;                /* its deadline's timeout, 0 when not armed */
};

static void arm_tick(struct daemon *d, int ms);
static void request_load(struct daemon *d);
static int reload(struct daemon *d, struct diag *err);
static void on_gesture(void *ctx, enum gesture g);
static void arm_schedule(struct daemon *d);
static int control(struct daemon *d, enum session_control c);
static void arm_ask(struct daemon *d);
static void on_ask_timer(void *ctx);
static uint64_t now_ms(void);

static const char *default_config_path(const struct daemon *d)
{
	return d->opt->config ? d->opt->config : d->opt->paths->config;
}

/* True when the routine at PATH parses and has its voice profile (the
 * routine's, or C's). */
static bool routine_checks(const struct daemon *d, const struct config *c, const char *path,
			   struct diag *err)
{
	struct bundle b;
	struct bundle_files f = { .routine = path, .voices_dir = d->opt->paths->voices,
				  .voice = c->voice };

	if (bundle_check(&b, &f, err) < 0)
		return false;
	bundle_free(&b);
	return true;
}

/* The routine file: the --routine option, else the chosen one (choice.c).
 * A choice that no longer loads (its file or its voice profile changed) is
 * not the user's mistake in a file: it gives way to the config's routine
 * rather than refusing to start. */
static void resolve_routine(struct daemon *d, const struct config *c)
{
	char configured[PATH_MAX];
	struct diag err;

	if (d->opt->routine) {
		snprintf(d->routine_path, sizeof(d->routine_path), "%s", d->opt->routine);
		return;
	}
	choice_resolve(d->opt->paths, d->state_path, c->routine, d->routine_path,
		       sizeof(d->routine_path));
	paths_routine(d->opt->paths, c->routine, configured, sizeof(configured));
	if (strcmp(configured, d->routine_path) != 0 && !routine_checks(d, c, d->routine_path, &err)) {
		log_warn("%s", err.text);
		log_warn("the chosen routine %s has an error; using %s", d->routine_path, c->routine);
		memcpy(d->routine_path, configured, sizeof(d->routine_path));
	}
}

static struct bundle_files files(const struct daemon *d)
{
	return (struct bundle_files){
		.routine = d->routine_path,
		.voices_dir = d->opt->paths->voices,
		.sounds_dir = d->opt->paths->sounds,
		.voice = d->config.voice,
		.tone_percent = d->config.tones,
		.style = (enum plan_style)d->config.style,
		/* The first session of a routine explains each step. */
		.history = d->history_path[0] ? d->history_path : NULL,
		/* Each step's version for today, by the routine's rules. */
		.adapt = d->history_path[0] ? d->history_path : NULL,
	};
}

/* Reads the config into C, replacing it only when the whole of it (and the
 * routine and voice it names) is good.  *BUTTONS_CHANGED, when given, says
 * whether the new buttons settings differ from C's. */
static int read_config(struct daemon *d, struct config *c, bool *buttons_changed,
		       struct diag *err)
{
	struct bundle check;
	struct bundle_files f;
	struct config fresh;

	if (config_load(d->config_path, &fresh, err) < 0)
		return -1;
	if (config_check_refs(&fresh, d->config_path, d->opt->paths, err) < 0) {
		config_free(&fresh);
		return -1;
	}
	resolve_routine(d, &fresh);
	f = files(d);
	f.voice = fresh.voice;
	if (bundle_check(&check, &f, err) < 0) {
		config_free(&fresh);
		return -1;
	}
	bundle_free(&check);
	if (buttons_changed)
		*buttons_changed = !config_buttons_equal(&c->buttons, &fresh.buttons);
	config_free(c);
	*c = fresh;
	return 0;
}

static void free_bundle(struct bundle *b)
{
	if (b) {
		bundle_free(b);
		free(b);
	}
}

static void snapshot(struct daemon *d, struct player_status *ps, struct status_input *in)
{
	player_status(d->player, ps);
	*in = (struct status_input){
		.plan = d->bundle ? &d->bundle->plan : NULL,
		.routine = d->bundle ? &d->bundle->routine : NULL,
		.state = ps->state,
		.pos = ps->pos,
		.audio = ps->device_ok ? "ok" : "lost",
		.buttons = button_watch_state(d->buttons),
		.latency_us = ps->latency_us,
		.xruns = ps->xruns,
	};
}

static bool is_idle(const struct player_status *ps)
{
	return (ps->state == SESSION_IDLE || ps->state == SESSION_FINISHED) && !ps->sounding;
}

/* Installs the pending bundle if the player can take it now. */
static void install_pending(struct daemon *d)
{
	if (!d->pending || player_set_bundle(d->player, d->pending) < 0)
		return;
	free_bundle(d->bundle);
	d->bundle = d->pending;
	d->pending = NULL;
	memcpy(d->bundle_path, d->pending_path, sizeof(d->bundle_path));
	log_info("routine \"%s\": %zu steps, %.0f s, at %u Hz", d->bundle->routine.name,
		 d->bundle->routine.nsteps, (double)d->bundle->plan.total / d->bundle->plan.rate,
		 d->bundle->plan.rate);
	if (d->play_when_loaded) {
		d->play_when_loaded = false;
		control(d, SESSION_PLAY);
	}
}

static void update_systemd(struct daemon *d)
{
	struct player_status ps;
	struct status_input in;
	char text[256];

	snapshot(d, &ps, &in);
	status_summary(&in, text, sizeof(text));
	if (strcmp(text, d->summary) != 0) {
		snprintf(d->summary, sizeof(d->summary), "%s", text);
		notify_send("STATUS=%s", text);
	}
}

static void show_progress(struct daemon *d)
{
	struct player_status ps;
	struct status_input in;
	char text[256];

	if (!d->opt->keyboard)
		return;
	snapshot(d, &ps, &in);
	keyboard_progress(status_progress_line(&in, text, sizeof(text)));
}

/* The LED shows the session: off idle, on running, slow blink paused, fast
 * blink when the audio device is missing. */
static void show_led(struct daemon *d, const struct player_status *ps)
{
	button_watch_set_led(d->buttons, !ps->device_ok ? LED_ERROR :
			ps->state == SESSION_RUNNING ? LED_RUNNING :
			ps->state == SESSION_PAUSED ? LED_PAUSED : LED_IDLE);
}

/* The volume for a session starting now: quiet hours, or the usual one. */
static void set_volume_for_now(struct daemon *d)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	player_set_volume(d->player, config_volume_at(&d->config, (unsigned)tm.tm_hour,
						      (unsigned)tm.tm_min) / 100.0f);
}

/* Sends control C to the session (choosing the volume when it starts one).
 * Returns 0 (also when no device plays it yet: it waits for one), or
 * -EAGAIN when it was not sent: the ring to the audio thread is full. */
static int control(struct daemon *d, enum session_control c)
{
	struct player_status ps;
	int rc;

	player_status(d->player, &ps);
	if (c == SESSION_PLAY && (ps.state == SESSION_IDLE || ps.state == SESSION_FINISHED)) {
		/* A new session (coachctl, the schedule) ends a check-in still
		 * asked: unanswered, its session is written now. */
		if (checkin_ask_gesture(&d->ask, GESTURE_PLAY_LONG, now_ms()) != -2) {
			if (d->ask_timer)
				loop_cancel(d->loop, d->ask_timer);
			on_ask_timer(d);
		}
		set_volume_for_now(d);
		reminders_session_started(d->reminders);
	}
	rc = player_control(d->player, c);

	if (rc == -ENODEV)
		log_warn("audio: no device; the session waits for it");
	else if (rc < 0)
		log_warn("cannot send '%s': %s", c == SESSION_PLAY ? "play" : "control", strerror(-rc));
	arm_tick(d, 50);
	return rc == -ENODEV ? 0 : rc;
}

/* Makes routine FILE (a file in the routines folder) the one to play; loads
 * it, remembers it once it has loaded (a choice that cannot load is never
 * saved, so it cannot stop the next start), and starts it then if PLAY. */
static void choose_routine(struct daemon *d, const char *file, bool play)
{
	paths_routine(d->opt->paths, file, d->routine_path, sizeof(d->routine_path));
	snprintf(d->remember, sizeof(d->remember), "%s", file);
	d->play_when_loaded = play;
	request_load(d);
}

/* Long press of Next while idle: the next routine in the folder, said aloud. */
static void next_routine(struct daemon *d)
{
	struct routines r;
	const struct routines_entry *e = choice_next(d->opt->paths->routines, d->routine_path, &r);

	if (!e)
		return;
	log_info("chose the routine %s (\"%s\")", e->file, e->name);
	choose_routine(d, e->file, false);
	loader_say(d->loader, e->name);
}

static void start_routine(struct daemon *d, const char *name, const struct player_status *ps,
			  char *reply, size_t size)
{
	static struct routines r;
	const struct routines_entry *e = choice_find(d->opt->paths->routines, name, &r, reply, size);
	char path[PATH_MAX];
	struct diag err;

	if (!e)
		return;
	if (ps->state == SESSION_RUNNING || ps->state == SESSION_PAUSED) {
		control_reply_error(reply, size, "a session is %s; stop it first",
				    session_state_name(ps->state));
		return;
	}
	if (!e->name[0]) {
		control_reply_error(reply, size, "%s has an error (see coachd --check -r %s/%s)",
				    e->file, d->opt->paths->routines, e->file);
		return;
	}
	/* Parsing is not enough: the voice profile it names must be there too,
	 * or the start would be acknowledged and never happen. */
	paths_routine(d->opt->paths, e->file, path, sizeof(path));
	if (!routine_checks(d, &d->config, path, &err)) {
		control_reply_error(reply, size, "%s cannot be started: %s", e->file, err.text);
		return;
	}
	choose_routine(d, e->file, true);
	control_reply(reply, size, "ok starting %s", e->name);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Follows sessions from player snapshots; records each one that ends, and
 * says the streak after a finished one. */
static void track(struct daemon *d, const struct player_status *ps)
{
	struct timespec ts;
	struct tracker_record r;
	struct history_entry e;
	char say[256];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!d->bundle ||
	    !tracker_sample(&d->tracker, &d->bundle->plan, d->bundle->routine.nsteps, ps->state,
			    ps->pos, ps->sessions, (double)ts.tv_sec + ts.tv_nsec / 1e9, time(NULL), &r))
		return;
	/* Once per session: what was heard of the audio's troubles. */
	r.xruns = (int)ps->xruns;
	log_msg(ps->xruns ? LOG_WARNING : LOG_INFO,
		"audio: %u glitch%s in the session (underruns, late callbacks, stalls); "
		"the latest callback %.1f ms past its time", ps->xruns, ps->xruns == 1 ? "" : "es",
		ps->worst_late_us / 1000.0);
	if (!d->history_path[0])
		return;
	record_entry(&d->bundle->routine, &r, &e);
	/* The routine has been done once: the next session need not explain. */
	if (r.finished && d->bundle->first)
		request_load(d);
	if (checkin_ask_begin(&d->ask, (enum checkin_mode)d->config.checkin, d->history_path, &e,
			      now_ms())) {
		loader_say(d->loader, d->bundle->voice.phrase[PHRASE_CHECKIN]);
		arm_ask(d);
		return;
	}
	if (record_write(d->history_path, &e, &d->bundle->voice, &d->config.streak, say,
			 sizeof(say)) == 0 && say[0])
		loader_say(d->loader, say);
}

/* The check-in is over (answered, skipped): its line is written, and the
 * answer said back with the streak, as one sentence. */
static void on_ask_timer(void *ctx)
{
	struct daemon *d = ctx;
	char text[512];

	d->ask_timer = 0;
	if (!checkin_ask_finish(&d->ask, now_ms(), d->history_path,
				d->bundle ? &d->bundle->voice : NULL, &d->config.streak, text,
				sizeof(text))) {
		arm_ask(d);
		return;
	}
	if (text[0])
		loader_say(d->loader, text);
}

static void arm_ask(struct daemon *d)
{
	uint64_t at = checkin_ask_deadline(&d->ask), now = now_ms();

	if (d->ask_timer)
		loop_cancel(d->loop, d->ask_timer);
	d->ask_timer = 0;
	if (at == UINT64_MAX)
		return;
	d->ask_timer = loop_timeout(d->loop, at > now ? (unsigned)(at - now) : 0, on_ask_timer, d);
	if (d->ask_timer < 0)
		d->ask_timer = 0;
}

/* A press while the check-in is asked (RESULT from checkin_ask_gesture or
 * _key): the count said at once, the deadline moved.  Returns false when the
 * press is the session's. */
static bool took_for_checkin(struct daemon *d, int result)
{
	char text[64];

	if (result == -2)
		return false;
	if (result >= 0 && d->bundle) {
		voice_say(&d->bundle->voice, PHRASE_COUNT_REP, NULL, (unsigned)result, 0, text,
			  sizeof(text));
		d->say_now = true;   /* at once: the count is the answer being made */
		loader_say(d->loader, text);
	}
	arm_ask(d);
	return true;
}

/* Explains the current step, or says its cue again, over whatever plays:
 * the hold's timing does not change.  The clip was synthesized with the plan. */
static void say_cue_again(struct daemon *d)
{
	struct player_status ps;
	const struct plan *p;
	int text;

	player_status(d->player, &ps);
	if (!d->bundle || (ps.state != SESSION_RUNNING && ps.state != SESSION_PAUSED))
		return;
	p = &d->bundle->plan;
	/* The step's longer description, else its cue, else its name (none
	 * exists in the tones-only style, where no text is made). */
	text = p->ack.explain[p->phases[plan_phase_at(p, ps.pos)].step];
	if (text >= 0 && d->bundle->texts[text])
		player_say(d->player, d->bundle->texts[text]);
	arm_tick(d, 50);
}

/* "Step 4 of 12: Hip flexor stretch. 8 minutes to go.", said over the
 * session at once: the hold's timing does not change. */
static void say_where(struct daemon *d)
{
	struct player_status ps;
	struct status_input in;
	char text[512];

	snapshot(d, &ps, &in);
	if (!d->bundle || !status_progress_speech(&in, &d->bundle->voice, text, sizeof(text))[0])
		return;
	log_debug("saying: \"%s\"", text);
	d->say_now = true;
	loader_say(d->loader, text);
}

/* Carries out intent IN; a request's reply goes to REPLY (SIZE bytes). */
static void carry_out(struct daemon *d, const struct intent *in, const struct player_status *ps,
		      const struct status_input *si, char *reply, size_t size)
{
	switch (in->kind) {
	case INTENT_NONE:
		break;
	case INTENT_CONTROL:
		/* Acknowledged (by on_request) only when sent; a hurt or a skip is
		 * counted against the step it was sent in. */
		if (control(d, in->control) < 0)
			control_reply_error(reply, size, "busy: too many controls at once (try again)");
		else if (d->bundle)
			tracker_control(&d->tracker, &d->bundle->plan, ps->pos, in->control);
		break;
	case INTENT_PLAY_WHEN_LOADED:
		d->play_when_loaded = true;
		control_reply(reply, size, "ok starting when the routine is ready");
		break;
	case INTENT_STATUS: {
		char line[1024];

		control_reply(reply, size, "%s", status_line(si, line, sizeof(line)));
		break;
	}
	case INTENT_RELOAD: {
		struct diag err;

		if (reload(d, &err) < 0)
			control_reply_error(reply, size, "%s (kept the running config and routine)",
					    err.text);
		else
			control_reply(reply, size, "ok reloading");
		break;
	}
	case INTENT_LIST:
		choice_list(d->opt->paths->routines, d->routine_path, reply, size);
		break;
	case INTENT_START:
		start_routine(d, in->arg, ps, reply, size);
		break;
	case INTENT_HISTORY:
		/* coachctl reads the log itself: it can be longer than a reply. */
		if (!d->history_path[0])
			control_reply_error(reply, size, "no history: coachd has no state directory");
		else
			control_reply(reply, size, "ok %s", d->history_path);
		break;
	case INTENT_SAY_CUE:
		say_cue_again(d);
		break;
	case INTENT_NEXT_ROUTINE:
		next_routine(d);
		break;
	case INTENT_SAY_WHERE:
		say_where(d);
		break;
	case INTENT_QUIT:
		loop_quit(d->loop);
		break;
	case INTENT_SNOOZE:
	case INTENT_NOT_TODAY: {
		char say[256];

		if (!d->bundle) {
			control_reply_error(reply, size, "no routine loaded yet");
			break;
		}
		reminders_answer(d->reminders, in->kind == INTENT_SNOOZE, d->config.snooze_ms,
				 &d->bundle->voice, say, reply, size < sizeof(say) ? size : sizeof(say));
		loader_say(d->loader, say);
		break;
	}
	case INTENT_CHECKIN:
		if (!checkin_ask_answer(&d->ask, in->answer)) {
			control_reply_error(reply, size, "no check-in is being asked");
			break;
		}
		control_reply(reply, size, "ok checkin %d", in->answer);
		arm_ask(d);
		break;
	}
}

/* A control request (the socket's handler). */
static void on_request(void *ctx, const struct control_request *req, char *reply, size_t size)
{
	struct daemon *d = ctx;
	struct player_status ps;
	struct status_input si;
	struct intent in;

	snapshot(d, &ps, &si);
	/* Every request samples the session, so that sessions started and
	 * stopped between two housekeeping ticks are each recorded. */
	track(d, &ps);
	in = intent_for_request(req, &(struct intent_state){
		.state = ps.state, .loaded = d->bundle != NULL, .pending = ps.pending,
		.reminder = reminders_waiting(d->reminders) }, reply, size);
	carry_out(d, &in, &ps, &si, reply, size);
	if (in.kind == INTENT_CONTROL && !control_is_error(reply))
		control_reply(reply, size, "ok %s", control_cmd_name(req->cmd));
}

/* A key or a gesture: carried out like a request, with no one to reply to. */
static void act(struct daemon *d, struct intent (*decide)(int what, const struct intent_state *s),
		int what)
{
	struct player_status ps;
	struct status_input si;
	struct intent in;
	char unheard[CONTROL_MAX_ERROR];

	snapshot(d, &ps, &si);
	track(d, &ps);
	in = decide(what, &(struct intent_state){ .state = ps.state, .loaded = d->bundle != NULL,
						  .reminder = reminders_waiting(d->reminders) });
	carry_out(d, &in, &ps, &si, unheard, sizeof(unheard));
	show_progress(d);
}

static struct intent key_intent(int c, const struct intent_state *s)
{
	return intent_for_key((char)c, s);
}

static struct intent gesture_intent(int g, const struct intent_state *s)
{
	return intent_for_gesture((enum gesture)g, s);
}

/* A key in terminal mode (the loop's handler for standard input). */
static void on_key(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	char c;
	ssize_t n = read(fd, &c, 1);

	(void)events;
	if (n <= 0) {
		/* End of input: stop reading keys, keep running. */
		loop_remove(d->loop, fd);
		return;
	}
	if (!took_for_checkin(d, checkin_ask_key(&d->ask, c, now_ms())))
		act(d, key_intent, c);
}

/* A button gesture (the buttons' callback). */
static void on_gesture(void *ctx, enum gesture g)
{
	struct daemon *d = ctx;

	if (!took_for_checkin(d, checkin_ask_gesture(&d->ask, g, now_ms())))
		act(d, gesture_intent, (int)g);
}

/* The routine is prepared at a rate the device does not play, or no longer
 * the one configured (the player has looked at the device, and said so when
 * it plays another): prepare it at the one it plays.  The configured rate
 * stays in the config, to be asked for again when the device or the rate is
 * changed.  The speech cache keys on the rate. */
static void follow_device_rate(struct daemon *d)
{
	if (player_rate(d->player) != d->load_rate)
		request_load(d);
}

/* Hands CLIP, a message the loader spoke, to the player, and keeps it until
 * the player is done with it (free_said).  Returns the player's answer. */
static int say_clip(struct daemon *d, struct clip *clip)
{
	if (d->nsaid == d->said_cap) {
		unsigned cap = d->said_cap ? d->said_cap * 2 : 8;
		struct clip **grown = realloc(d->said, cap * sizeof(*grown));

		if (!grown) {
			log_warn("out of memory: a message is not said");
			loader_free_said(clip);
			return -ENOMEM;
		}
		d->said = grown;
		d->said_cap = cap;
	}
	d->said[d->nsaid++] = clip;
	return player_say(d->player, clip);
}

/* Frees the messages said so far once the player has applied every clip
 * handed to it and plays none (PS): on the loop, never in the audio
 * callback, so a day of "where am I" and counts costs no memory. */
static void free_said(struct daemon *d, const struct player_status *ps)
{
	if (ps->sounding || ps->pending)
		return;
	for (unsigned i = 0; i < d->nsaid; i++)
		loader_free_said(d->said[i]);
	d->nsaid = 0;
}

/* Housekeeping while the player has something to watch. */
static void on_tick(void *ctx)
{
	struct daemon *d = ctx;
	struct player_status ps;
	int next;

	d->tick_id = 0;
	next = player_tick(d->player);
	follow_device_rate(d);
	player_status(d->player, &ps);
	free_said(d, &ps);
	track(d, &ps);
	show_led(d, &ps);
	/* The speech the next seconds need read ahead, what was said handed
	 * back: the session's memory stays that of a few clips. */
	if (d->bundle)
		bundle_page(d->bundle, ps.state == SESSION_RUNNING || ps.state == SESSION_PAUSED
				       ? ps.pos : UINT64_MAX);
	if (is_idle(&ps)) {
		install_pending(d);
		if (d->idle_clip) {
			say_clip(d, d->idle_clip);
			d->idle_clip = NULL;
			next = 50;
		}
	}
	update_systemd(d);
	show_progress(d);
	if (next >= 0)
		arm_tick(d, next);
}

static void arm_tick(struct daemon *d, int ms)
{
	if (d->tick_id)
		loop_cancel(d->loop, d->tick_id);
	d->tick_id = loop_timeout(d->loop, (unsigned)ms, on_tick, d);
	if (d->tick_id < 0)
		d->tick_id = 0;
}

static void say_error(struct daemon *d, const struct diag *err);

/* The latest load failed: nothing it was asked for happens (a start, a
 * choice to remember), the routine that plays stays, and the user hears
 * why.  At start-up a remembered choice gives way to the config's routine;
 * the config's own routine failing is a bad file, as at --check (EX_CONFIG). */
static void load_failed(struct daemon *d, const struct diag *err)
{
	char configured[PATH_MAX];

	log_error("%s", err->text);
	if (d->play_when_loaded)
		log_warn("the session does not start: its routine did not load");
	d->play_when_loaded = false;
	d->remember[0] = '\0';
	if (!d->bundle && !d->pending) {
		paths_routine(d->opt->paths, d->config.routine, configured, sizeof(configured));
		if (!d->opt->routine && strcmp(d->routine_path, configured) != 0) {
			log_warn("the chosen routine cannot be loaded; using %s", d->config.routine);
			memcpy(d->routine_path, configured, sizeof(d->routine_path));
			request_load(d);
			return;
		}
		d->exit_status = EX_CONFIG;
		loop_quit(d->loop);
		return;
	}
	memcpy(d->routine_path, d->pending ? d->pending_path : d->bundle_path,
	       sizeof(d->routine_path));
	say_error(d, err);
}

static void on_loaded(void *ctx, unsigned id, struct bundle *b, const struct diag *err)
{
	struct daemon *d = ctx;

	/* Superseded: a later request (coachctl start, a reload) is in flight,
	 * and what it loads is what was asked for last. */
	if (id != d->load_id) {
		free_bundle(b);
		return;
	}
	if (d->reloading) {
		d->reloading = false;
		notify_send("READY=1");
	}
	if (!b) {
		load_failed(d, err);
		return;
	}
	free_bundle(d->pending);
	d->pending = b;
	memcpy(d->pending_path, d->load_path, sizeof(d->pending_path));
	if (d->remember[0]) {
		choice_remember(d->state_path, d->remember, d->config.routine);
		d->remember[0] = '\0';
	}
	install_pending(d);
	if (d->pending)
		log_info("routine reloaded; it takes over when the coach is idle");
	if (!d->ready_sent) {
		d->ready_sent = true;
		notify_send("READY=1");
	}
	update_systemd(d);
	show_progress(d);
}

static void on_said(void *ctx, struct clip *clip)
{
	struct daemon *d = ctx;

	if (d->say_now) {
		d->say_now = false;
		if (clip)
			say_clip(d, clip);
		arm_tick(d, 50);
		return;
	}
	/* A newer message replaces one still waiting (never handed over). */
	loader_free_said(d->idle_clip);
	d->idle_clip = clip;
	arm_tick(d, 0);
}

/* Tells the user about a bad file aloud, since the appliance has no screen:
 * "The settings file has an error on line 12." (or the routine or voice file). */
static void say_error(struct daemon *d, const struct diag *err)
{
	enum phrase p = voice_file_error(err, d->config_path, d->routine_path);
	char text[256];

	if (!d->bundle || err->line == 0 || err->line > 999999)
		return;
	voice_say(&d->bundle->voice, p, NULL, (unsigned)err->line, 0, text, sizeof(text));
	log_info("saying when idle: \"%s\"", text);
	loader_say(d->loader, text);
}

static void request_load(struct daemon *d)
{
	struct bundle_files f = files(d);

	memcpy(d->load_path, d->routine_path, sizeof(d->load_path));
	d->load_rate = player_rate(d->player);
	d->load_id = loader_request(d->loader, &f, d->load_rate);
	log_debug("preparing %s at %u Hz", d->load_path, d->load_rate);
}

/* Re-reads the config and the routine.  Returns 0, or -1 with ERR filled
 * when the files are bad (the running ones are kept). */
static int reload(struct daemon *d, struct diag *err)
{
	unsigned rate = d->config.rate;
	bool buttons_changed;

	notify_send("RELOADING=1");
	if (read_config(d, &d->config, &buttons_changed, err) < 0) {
		log_error("%s", err->text);
		log_error("reload failed; keeping the running config and routine");
		say_error(d, err);
		notify_send("READY=1");
		return -1;
	}
	/* A device, rate or latency applies when the stream next opens; the
	 * routine is prepared at the rate the device plays (a new device or
	 * rate is looked at once the session, if one plays, is over, and the
	 * routine prepared again if the device plays another: on_tick). */
	if (rate != d->config.rate)
		log_info("audio: rate %u Hz (was %u Hz): it plays from the next sound once no "
			 "session plays", d->config.rate, rate);
	player_set_output(d->player, d->config.device, d->config.latency_ms, d->config.rate);
	arm_tick(d, 0);
	player_set_gentle(d->player, d->config.gentle_ms);
	button_watch_configure(d->buttons, &d->config.buttons, buttons_changed);
	log_info("reloading %s and %s", d->config_path, d->routine_path);
	d->reloading = true;
	arm_schedule(d);
	request_load(d);
	return 0;
}

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			struct diag err;

			log_info("SIGHUP: reloading");
			reload(d, &err);
		} else {
			log_info("%s: shutting down", strsignal((int)si.ssi_signo));
			loop_quit(d->loop);
		}
	}
}

static void arm_schedule(struct daemon *d)
{
	alarm_arm(d->alarm, d->config.schedule, d->config.nschedule);
}

/* Makes ENTRY's routine (or the usual one) current; returns true when that
 * means loading another one first. */
static bool schedule_routine(struct daemon *d, const struct schedule_entry *entry)
{
	char before[sizeof(d->routine_path)];

	memcpy(before, d->routine_path, sizeof(before));
	if (entry->routine)
		paths_routine(d->opt->paths, entry->routine, d->routine_path, sizeof(d->routine_path));
	else
		resolve_routine(d, &d->config);
	if (strcmp(before, d->routine_path) == 0)
		return false;
	log_info("schedule: routine %s", d->routine_path);
	request_load(d);
	return true;
}

/* The reminder of the bundle playing now (a routine of another voice that
 * is still loading is reminded of in this one); it waits for an answer. */
static void sound_reminder(struct daemon *d)
{
	set_volume_for_now(d);
	player_say(d->player, &d->bundle->reminder);
	reminders_sounded(d->reminders);
	arm_tick(d, 50);
}

/* Entry E is due and the coach is idle: start, or remind (not on a day the
 * user said "not today"). */
static void fire(struct daemon *d, const struct schedule_entry *e)
{
	bool loading;

	if (reminders_quiet(d->reminders)) {
		log_info("schedule: %s left out: not today", schedule_action_name(e->action));
		return;
	}
	loading = schedule_routine(d, e);

	if (e->action == SCHEDULE_START) {
		log_info("schedule: starting the session");
		if (loading)
			d->play_when_loaded = true;
		else
			control(d, SESSION_PLAY);
		return;
	}
	log_info("schedule: reminder");
	sound_reminder(d);
}

/* A snoozed reminder's time: it sounds again unless a session plays. */
static void on_snooze_over(void *ctx)
{
	struct daemon *d = ctx;
	struct player_status ps;

	player_status(d->player, &ps);
	if (d->bundle && is_idle(&ps)) {
		log_info("reminder: again, after the snooze");
		sound_reminder(d);
	}
}

/* A schedule entry is due: acted on only while the coach is idle. */
static void on_schedule(void *ctx, const struct schedule_entry *due)
{
	struct daemon *d = ctx;
	struct player_status ps;

	player_status(d->player, &ps);
	if (d->bundle && is_idle(&ps))
		fire(d, due);
}

static void on_watchdog(void *ctx)
{
	struct daemon *d = ctx;

	notify_send("WATCHDOG=1");
	loop_timeout(d->loop, notify_watchdog_ms() / 2, on_watchdog, d);
}

static int setup_signals(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked before any thread starts, so only signalfd sees them. */
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	return loop_add(d->loop, d->sigfd, EPOLLIN, on_signal, d);
}

static int setup(struct daemon *d)
{
	struct diag err;
	struct player_config pc;
	int rc;

	d->loop = loop_new();
	if (!d->loop || setup_signals(d) < 0) {
		log_error("cannot set up the event loop: %s", strerror(errno));
		return EX_OSERR;
	}
	if (d->opt->socket)
		snprintf(d->socket_path, sizeof(d->socket_path), "%s", d->opt->socket);
	else if (ctlsock_default_path(d->socket_path, sizeof(d->socket_path)) < 0)
		return EX_SOFTWARE;
	/* The default's folder may be ours to make ($TMPDIR/coach-UID); one
	 * that someone else made is refused. */
	rc = d->opt->socket ? 0 : ctlsock_make_folder(d->socket_path, &err);
	if (rc == 0)
		rc = ctlsock_open(&d->sock, d->loop, d->socket_path, on_request, d, &err);
	if (rc < 0) {
		log_error("%s", err.text);
		return EX_UNAVAILABLE;
	}
	log_info("listening on %s", d->socket_path);
	pc = (struct player_config){
		.device = d->config.device, .rate = d->config.rate,
		.latency_ms = d->config.latency_ms, .volume = d->config.volume / 100.0f,
		.verbose = d->opt->verbose,
		.gentle_ms = d->config.gentle_ms,
	};
	d->player = player_new(&pc, &err);
	d->loader = loader_new(d->loop, on_loaded, on_said, d);
	d->buttons = button_watch_new(d->loop, on_gesture, d);
	if (!d->player || !d->loader || !d->buttons) {
		log_error("cannot start: %s", d->player ? strerror(errno) : err.text);
		return EX_OSERR;
	}
	button_watch_configure(d->buttons, &d->config.buttons, false);
	/* A device missing from the start is looked for from the start. */
	arm_tick(d, 0);
	d->alarm = alarm_new(d->loop, on_schedule, d);
	d->reminders = reminders_new(d->loop, d->state_path, on_snooze_over, d);
	if (!d->alarm || !d->reminders) {
		log_error("cannot create the schedule timer: %s", strerror(errno));
		return EX_OSERR;
	}
	arm_schedule(d);
	if (d->opt->keyboard) {
		d->keyfd = STDIN_FILENO;
		if (keyboard_open(d->keyfd) < 0 || loop_add(d->loop, d->keyfd, EPOLLIN, on_key, d) < 0)
			log_warn("terminal mode: cannot read keys from standard input");
		log_set_before_line(keyboard_newline);
	}
	if (notify_watchdog_ms())
		loop_timeout(d->loop, notify_watchdog_ms() / 2, on_watchdog, d);
	d->play_when_loaded = d->opt->play;
	request_load(d);
	return 0;
}

/* Leaving mid-session (SIGTERM: systemctl stop or restart, a shutdown, a
 * package upgrade; q in the terminal): the session so far is a stopped one
 * in the history, not lost. */
static void record_at_exit(struct daemon *d)
{
	struct player_status ps;
	struct tracker_record r;
	struct history_entry e;
	struct timespec ts;
	char unsaid[256];

	player_status(d->player, &ps);
	track(d, &ps);
	/* A check-in unanswered: the session it follows is still recorded. */
	if (checkin_ask_end(&d->ask, &e))
		record_write(d->history_path, &e, d->bundle ? &d->bundle->voice : NULL,
			     &d->config.streak, unsaid, sizeof(unsaid));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (d->bundle && d->history_path[0] &&
	    tracker_end(&d->tracker, d->bundle->routine.nsteps, (double)ts.tv_sec + ts.tv_nsec / 1e9, &r))
		record_session(d->history_path, &d->bundle->routine, &d->bundle->voice,
			       &d->config.streak, &r, unsaid, sizeof(unsaid));
}

static void teardown(struct daemon *d)
{
	notify_send("STOPPING=1");
	if (d->opt->keyboard)
		keyboard_close();
	button_watch_free(d->buttons);
	player_free(d->player);
	/* After the player, which may still have been playing them. */
	for (unsigned i = 0; i < d->nsaid; i++)
		loader_free_said(d->said[i]);
	free(d->said);
	loader_free_said(d->idle_clip);
	loader_free(d->loader);   /* after the player: the speech cache holds the clips */
	free_bundle(d->pending);
	free_bundle(d->bundle);
	ctlsock_close(d->sock);
	alarm_free(d->alarm);
	reminders_free(d->reminders);
	if (d->sigfd > 0)
		close(d->sigfd);
	loop_free(d->loop);
	config_free(&d->config);
}

int daemon_run(const struct daemon_options *o)
{
	struct daemon d = { .opt = o, .sigfd = -1, .keyfd = -1 };
	struct diag err;
	int rc;

	snprintf(d.config_path, sizeof(d.config_path), "%s", default_config_path(&d));
	if (history_default_path(d.history_path, sizeof(d.history_path)) < 0 ||
	    state_path(STATE_FILE, d.state_path, sizeof(d.state_path)) < 0) {
		log_warn("no state directory (STATE_DIRECTORY, XDG_STATE_HOME, HOME): "
			 "no history, and choices are not remembered");
		d.history_path[0] = d.state_path[0] = '\0';
	}
	config_defaults(&d.config);
	/* A bad config or routine at start-up: refuse to start (EX_CONFIG). */
	if (read_config(&d, &d.config, NULL, &err) < 0) {
		log_error("%s", err.text);
		config_free(&d.config);
		return EX_CONFIG;
	}
	log_info("config %s, routine %s", d.config_path, d.routine_path);
	rc = setup(&d);
	if (rc == 0 && loop_run(d.loop) < 0)
		rc = EX_OSERR;
	if (rc == 0)
		rc = d.exit_status;
	if (d.player)
		record_at_exit(&d);
	teardown(&d);
	return rc;
}

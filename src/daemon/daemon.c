/* The live daemon.  Everything happens in one event loop on the main thread:
 * requests, signals, keys, the schedule and housekeeping.  Slow work (parsing,
 * synthesis) runs on the loader's thread; sound runs in the audio callback.
 * Neither ever blocks the loop. */
#include "daemon.h"
#include "daemon_int.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "buttons.h"
#include "config.h"
#include "ctlsock.h"
#include "history.h"
#include "keyboard.h"
#include "loader.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "player.h"
#include "refs.h"
#include "routines.h"
#include "schedule.h"
#include "state.h"
#include "status.h"
#include "tracker.h"

static const char *default_config_path(const struct daemon *d)
{
	return d->opt->config ? d->opt->config : d->opt->paths->config;
}

/* The routine file: the --routine option, else the one the user chose with
 * the buttons or `coachctl start` (remembered, as long as the config still
 * names the routine it named then), else the config's. */
static void resolve_routine(struct daemon *d, const struct config *c)
{
	char chosen[STATE_MAX_VALUE + 1], under[STATE_MAX_VALUE + 1];

	if (d->opt->routine) {
		snprintf(d->routine_path, sizeof(d->routine_path), "%s", d->opt->routine);
		return;
	}
	paths_routine(d->opt->paths, c->routine, d->routine_path, sizeof(d->routine_path));
	if (!d->state_path[0] || state_load(d->state_path, "routine", chosen, sizeof(chosen)) != 1 ||
	    state_load(d->state_path, "config_routine", under, sizeof(under)) != 1 ||
	    strcmp(under, c->routine) != 0)
		return;
	paths_routine(d->opt->paths, chosen, d->routine_path, sizeof(d->routine_path));
	if (access(d->routine_path, R_OK) < 0) {
		log_warn("the chosen routine %s is gone; using %s", chosen, c->routine);
		paths_routine(d->opt->paths, c->routine, d->routine_path, sizeof(d->routine_path));
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
	};
}

/* Reads the config and checks the routine it names; C is untouched on error. */
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

void daemon_snapshot(struct daemon *d, struct player_status *ps, struct status_input *in)
{
	player_status(d->player, ps);
	*in = (struct status_input){
		.plan = d->bundle ? &d->bundle->plan : NULL,
		.routine = d->bundle ? &d->bundle->routine : NULL,
		.state = ps->state,
		.pos = ps->pos,
		.audio = ps->device_ok ? "ok" : "lost",
		.buttons = d->btn && !buttons_available(d->btn) ? "unavailable" : d->buttons,
		.latency_us = ps->latency_us,
	};
}

bool daemon_is_idle(const struct player_status *ps)
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
	log_info("routine \"%s\": %zu steps, %.0f s", d->bundle->routine.name,
		 d->bundle->routine.nsteps, (double)d->bundle->plan.total / d->bundle->plan.rate);
	if (d->play_when_loaded) {
		d->play_when_loaded = false;
		daemon_control(d, SESSION_PLAY);
	}
}

static void update_systemd(struct daemon *d)
{
	struct player_status ps;
	struct status_input in;
	char text[256];

	daemon_snapshot(d, &ps, &in);
	status_summary(&in, text, sizeof(text));
	if (strcmp(text, d->summary) != 0) {
		snprintf(d->summary, sizeof(d->summary), "%s", text);
		notify_send("STATUS=%s", text);
	}
}

void daemon_show_progress(struct daemon *d)
{
	struct player_status ps;
	struct status_input in;
	char text[256], bar[21];
	const struct plan_phase *ph;
	unsigned filled;

	if (!d->opt->keyboard)
		return;
	daemon_snapshot(d, &ps, &in);
	if (!in.plan || (ps.state != SESSION_RUNNING && ps.state != SESSION_PAUSED)) {
		keyboard_progress(ps.state == SESSION_FINISHED ? "Finished. Space starts again, q quits."
							      : "Idle. Space starts, q quits.");
		return;
	}
	ph = &in.plan->phases[plan_phase_at(in.plan, ps.pos)];
	filled = ph->length ? (unsigned)((ps.pos - ph->start) * 20 / ph->length) : 20;
	for (unsigned i = 0; i < 20; i++)
		bar[i] = i < filled ? '#' : '-';
	bar[20] = '\0';
	status_summary(&in, text, sizeof(text));
	snprintf(text + strlen(text), sizeof(text) - strlen(text), " [%s] %.0f s %s", bar,
		 (double)(ph->start + ph->length - ps.pos) / in.plan->rate, phase_kind_name(ph->kind));
	keyboard_progress(text);
}

/* The LED shows the session: off idle, on running, slow blink paused, fast
 * blink when the audio device is missing. */
void daemon_show_led(struct daemon *d, const struct player_status *ps)
{
	buttons_set_led(d->btn, !ps->device_ok ? LED_ERROR :
			ps->state == SESSION_RUNNING ? LED_RUNNING :
			ps->state == SESSION_PAUSED ? LED_PAUSED : LED_IDLE);
}

/* Housekeeping while the player has something to watch. */
static void on_tick(void *ctx)
{
	struct daemon *d = ctx;
	struct player_status ps;
	int next;

	d->tick_id = 0;
	next = player_tick(d->player);
	player_status(d->player, &ps);
	daemon_track(d, &ps);
	daemon_show_led(d, &ps);
	if (daemon_is_idle(&ps)) {
		install_pending(d);
		if (d->idle_clip) {
			player_say(d->player, d->idle_clip);
			d->idle_clip = NULL;
			next = 50;
		}
	}
	update_systemd(d);
	daemon_show_progress(d);
	if (next >= 0)
		daemon_arm_tick(d, next);
}

void daemon_arm_tick(struct daemon *d, int ms)
{
	if (d->tick_id)
		loop_cancel(d->loop, d->tick_id);
	d->tick_id = loop_timeout(d->loop, (unsigned)ms, on_tick, d);
	if (d->tick_id < 0)
		d->tick_id = 0;
}

static void on_loaded(void *ctx, struct bundle *b, const struct diag *err)
{
	struct daemon *d = ctx;

	if (d->reloading) {
		d->reloading = false;
		notify_send("READY=1");
	}
	if (!b) {
		log_error("%s", err->text);
		return;
	}
	free_bundle(d->pending);
	d->pending = b;
	install_pending(d);
	if (d->pending)
		log_info("routine reloaded; it takes over when the coach is idle");
	if (!d->ready_sent) {
		d->ready_sent = true;
		notify_send("READY=1");
	}
	update_systemd(d);
	daemon_show_progress(d);
}

static void on_said(void *ctx, const struct clip *clip)
{
	struct daemon *d = ctx;

	if (d->say_now) {
		d->say_now = false;
		if (clip)
			player_say(d->player, clip);
		daemon_arm_tick(d, 50);
		return;
	}
	d->idle_clip = clip;
	daemon_arm_tick(d, 0);
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

void daemon_request_load(struct daemon *d)
{
	struct bundle_files f = files(d);

	loader_request(d->loader, &f, d->config.rate);
}

static void arm_schedule(struct daemon *d);

void daemon_reload(struct daemon *d)
{
	struct diag err;

	unsigned rate = d->config.rate;
	bool buttons_changed;

	notify_send("RELOADING=1");
	if (read_config(d, &d->config, &buttons_changed, &err) < 0) {
		log_error("%s", err.text);
		log_error("reload failed; keeping the running config and routine");
		say_error(d, &err);
		notify_send("READY=1");
		return;
	}
	/* The routine is built at the rate the stream plays, which the player
	 * keeps until a restart; a device or latency applies when it next opens. */
	if (rate != d->config.rate)
		log_warn("an audio rate change takes effect after a restart");
	d->config.rate = rate;
	player_set_output(d->player, d->config.device, d->config.latency_ms);
	player_set_gentle(d->player, d->config.gentle_ms);
	daemon_reload_buttons(d, buttons_changed);
	log_info("reloading %s and %s", d->config_path, d->routine_path);
	d->reloading = true;
	arm_schedule(d);
	daemon_request_load(d);
}

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: reloading");
			daemon_reload(d);
		} else {
			log_info("%s: shutting down", strsignal((int)si.ssi_signo));
			loop_quit(d->loop);
		}
	}
}

/* Arms the timerfd for the next schedule entry.  CANCEL_ON_SET wakes it when
 * the clock is set, so a changed time or zone is recomputed, never missed. */
static void arm_schedule(struct daemon *d)
{
	size_t which = (size_t)-1;
	struct timespec now;
	time_t next;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	/* The clock the timer fires on, read precisely: time() reads a coarse
	 * copy that can lag the timer that just fired, and would find the same
	 * entry again (schedule_next looks after NOW). */
	clock_gettime(CLOCK_REALTIME, &now);
	next = schedule_next(d->config.schedule, d->config.nschedule, now.tv_sec, &which);
	its.it_value.tv_sec = next;

	if (next == (time_t)-1)
		its.it_value.tv_sec = 0;  /* disarm */
	if (timerfd_settime(d->timerfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0)
		log_error("schedule: cannot arm the timer: %s", strerror(errno));
	d->next_entry = which;
	if (next != (time_t)-1)
		log_debug("schedule: next %s at %s", schedule_action_name(d->config.schedule[which].action),
			  ctime(&next));
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
	daemon_request_load(d);
	return true;
}

/* Entry E is due and the coach is idle: start, or remind. */
static void fire(struct daemon *d, const struct schedule_entry *e)
{
	bool loading = schedule_routine(d, e);

	if (e->action == SCHEDULE_START) {
		log_info("schedule: starting the session");
		if (loading)
			d->play_when_loaded = true;
		else
			daemon_control(d, SESSION_PLAY);
		return;
	}
	/* The reminder of the bundle playing now: a routine of another voice
	 * that is still loading is reminded of in this one. */
	log_info("schedule: reminder");
	daemon_set_volume_for_now(d);
	player_say(d->player, &d->bundle->reminder);
	daemon_arm_tick(d, 50);
}

static void on_schedule(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	struct player_status ps;
	uint64_t n;

	(void)events;
	if (read(fd, &n, sizeof(n)) < 0 && errno == ECANCELED) {
		log_info("schedule: the clock changed; recomputing");
		arm_schedule(d);
		return;
	}
	player_status(d->player, &ps);
	if (d->next_entry < d->config.nschedule && d->bundle && daemon_is_idle(&ps))
		fire(d, &d->config.schedule[d->next_entry]);
	arm_schedule(d);
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
	rc = ctlsock_open(&d->sock, d->loop, d->socket_path, daemon_on_request, d, &err);
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
	if (!d->player || !d->loader) {
		log_error("cannot start: %s", d->player ? strerror(errno) : err.text);
		return EX_OSERR;
	}
	daemon_open_buttons(d);
	/* A device missing from the start is looked for from the start. */
	daemon_arm_tick(d, 0);
	d->timerfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->timerfd < 0 || loop_add(d->loop, d->timerfd, EPOLLIN, on_schedule, d) < 0) {
		log_error("cannot create the schedule timer: %s", strerror(errno));
		return EX_OSERR;
	}
	arm_schedule(d);
	if (d->opt->keyboard) {
		d->keyfd = STDIN_FILENO;
		if (keyboard_open(d->keyfd) < 0 || loop_add(d->loop, d->keyfd, EPOLLIN, daemon_on_key, d) < 0)
			log_warn("terminal mode: cannot read keys from standard input");
		log_set_before_line(keyboard_newline);
	}
	if (notify_watchdog_ms())
		loop_timeout(d->loop, notify_watchdog_ms() / 2, on_watchdog, d);
	d->play_when_loaded = d->opt->play;
	daemon_request_load(d);
	return 0;
}

static void teardown(struct daemon *d)
{
	notify_send("STOPPING=1");
	if (d->opt->keyboard)
		keyboard_close();
	buttons_close(d->btn);
	player_free(d->player);
	loader_free(d->loader);   /* after the player: the speech cache holds the clips */
	free_bundle(d->pending);
	free_bundle(d->bundle);
	ctlsock_close(d->sock);
	if (d->timerfd > 0)
		close(d->timerfd);
	if (d->sigfd > 0)
		close(d->sigfd);
	loop_free(d->loop);
	config_free(&d->config);
}

int daemon_run(const struct daemon_options *o)
{
	struct daemon d = { .opt = o, .sigfd = -1, .timerfd = -1, .keyfd = -1, .buttons = "off" };
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
	teardown(&d);
	return rc;
}

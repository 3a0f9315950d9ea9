/* What the user asks of the daemon: controls from coachctl, keys and
 * buttons; choosing routines; and the history of the sessions that result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon_int.h"
#include "history.h"
#include "history_report.h"
#include "log.h"
#include "routines.h"
#include "state.h"

/* The volume for a session starting now: quiet hours, or the usual one. */
void daemon_set_volume_for_now(struct daemon *d)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	player_set_volume(d->player, config_volume_at(&d->config, (unsigned)tm.tm_hour,
						      (unsigned)tm.tm_min) / 100.0f);
}

void daemon_control(struct daemon *d, enum session_control c)
{
	struct player_status ps;
	int rc;

	player_status(d->player, &ps);
	if (c == SESSION_PLAY && (ps.state == SESSION_IDLE || ps.state == SESSION_FINISHED))
		daemon_set_volume_for_now(d);
	rc = player_control(d->player, c);

	if (rc == -ENODEV)
		log_warn("audio: no device; the session waits for it");
	else if (rc < 0)
		log_warn("cannot send '%s': %s", c == SESSION_PLAY ? "play" : "control", strerror(-rc));
	daemon_arm_tick(d, 50);
}

/* Makes routine FILE (a file in the routines folder) the one to play and
 * remembers it; loads it, and starts it once loaded if PLAY. */
static void choose_routine(struct daemon *d, const char *file, bool play)
{
	struct diag err;

	paths_routine(d->opt->paths, file, d->routine_path, sizeof(d->routine_path));
	if (d->state_path[0] &&
	    (state_save(d->state_path, "routine", file, &err) < 0 ||
	     state_save(d->state_path, "config_routine", d->config.routine, &err) < 0))
		log_warn("%s", err.text);
	d->play_when_loaded = play;
	daemon_request_load(d);
}

/* Long press of Next while idle: the next routine in the folder, said aloud. */
static void cycle_routine(struct daemon *d)
{
	struct routines r;
	int i, start;

	if (routines_scan(d->opt->paths->routines, &r) < 0 || r.n == 0)
		return;
	start = routines_index_of(&r, d->routine_path);
	i = start;
	do {
		i = (i + 1) % (int)r.n;
	} while (!r.entry[i].name[0] && i != start);
	if (!r.entry[i].name[0] || i == start)
		return;
	log_info("chose the routine %s (\"%s\")", r.entry[i].file, r.entry[i].name);
	choose_routine(d, r.entry[i].file, false);
	loader_say(d->loader, r.entry[i].name);
}

/* "morning-back* (Morning back mobility)\n..." with newlines escaped: replies
 * are one line; coachctl turns "\\n" back into lines. */
static void list_routines(struct daemon *d, char *reply, size_t size)
{
	struct routines r;
	size_t o = 0;

	if (routines_scan(d->opt->paths->routines, &r) < 0) {
		control_reply_error(reply, size, "cannot read %s: %s", d->opt->paths->routines,
				    strerror(errno));
		return;
	}
	for (size_t i = 0; i < r.n && o < size; i++) {
		bool current = (int)i == routines_index_of(&r, d->routine_path);
		int w = snprintf(reply + o, size - o, "%s%.*s%s  %s", i ? "\\n" : "",
				 (int)strlen(r.entry[i].file) - 5, r.entry[i].file, current ? " *" : "",
				 r.entry[i].name[0] ? r.entry[i].name : "(has an error: coachd --check)");

		o += w > 0 ? (size_t)w : 0;
	}
	if (r.n == 0)
		control_reply_error(reply, size, "no routines in %s", d->opt->paths->routines);
}

static void start_routine(struct daemon *d, const char *name, const struct player_status *ps,
			  char *reply, size_t size)
{
	struct routines r;
	int i;

	if (routines_scan(d->opt->paths->routines, &r) < 0 || (i = routines_find(&r, name)) < 0) {
		control_reply_error(reply, size, "no routine called '%s' (see coachctl list)", name);
		return;
	}
	if (ps->state == SESSION_RUNNING || ps->state == SESSION_PAUSED) {
		control_reply_error(reply, size, "a session is %s; stop it first",
				    session_state_name(ps->state));
		return;
	}
	if (!r.entry[i].name[0]) {
		control_reply_error(reply, size, "%s has an error (see coachd --check -r %s/%s)",
				    r.entry[i].file, d->opt->paths->routines, r.entry[i].file);
		return;
	}
	choose_routine(d, r.entry[i].file, true);
	control_reply(reply, size, "ok starting %s", r.entry[i].name);
}

/* Writes a finished or stopped session to the history; after a finished one,
 * says the streak. */
static void record_session(struct daemon *d, const struct tracker_record *r)
{
	struct history_entry e;
	struct history h;
	struct diag err;
	unsigned current, best, n;
	enum phrase ph;
	char text[256];

	if (!d->history_path[0] || !d->bundle)
		return;
	history_entry_init(&e, r->started, d->bundle->routine.name,
			   r->finished ? HISTORY_FINISHED : HISTORY_STOPPED, r->seconds,
			   r->steps_done, r->steps_total);
	if (history_append(d->history_path, &e, &err) < 0) {
		log_warn("%s", err.text);
		return;
	}
	log_info("history: %s, %s, %u s, %u/%u steps", d->bundle->routine.name,
		 r->finished ? "finished" : "stopped", r->seconds, r->steps_done, r->steps_total);
	if (!r->finished)
		return;
	if (history_load(d->history_path, &h, &err) < 0) {
		log_warn("%s", err.text);
		return;
	}
	if (history_streak(&h, time(NULL), &current, &best) == 0 &&
	    (ph = history_streak_phrase(current, &n)) != PHRASE_MAX) {
		voice_say(&d->bundle->voice, ph, NULL, n, 0, text, sizeof(text));
		log_info("streak: %u (best %u): \"%s\"", current, best, text);
		loader_say(d->loader, text);
	}
	history_free(&h);
}

void daemon_track(struct daemon *d, const struct player_status *ps)
{
	struct timespec ts;
	struct tracker_record r;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (d->bundle &&
	    tracker_sample(&d->tracker, &d->bundle->plan, d->bundle->routine.nsteps, ps->state,
			   ps->pos, ps->sessions, (double)ts.tv_sec + ts.tv_nsec / 1e9, time(NULL), &r))
		record_session(d, &r);
}

/* Refuses controls that do not apply, so coachctl can say why. */
static bool applies(enum session_control c, const struct player_status *ps, char *reply,
		    size_t size)
{
	const char *state = session_state_name(ps->state);
	bool in_session = ps->state == SESSION_RUNNING || ps->state == SESSION_PAUSED;

	if ((c == SESSION_PAUSE && ps->state != SESSION_RUNNING) ||
	    (c == SESSION_RESUME && ps->state != SESSION_PAUSED) ||
	    ((c == SESSION_NEXT || c == SESSION_STOP) && !in_session)) {
		control_reply_error(reply, size, "nothing to %s (the session is %s)",
				    c == SESSION_PAUSE ? "pause" : c == SESSION_RESUME ? "resume" :
				    c == SESSION_NEXT ? "skip" : "stop", state);
		return false;
	}
	return true;
}

void daemon_on_request(void *ctx, const struct control_request *req, char *reply, size_t size)
{
	static const enum session_control controls[CONTROL_CMD_MAX] = {
		[CONTROL_PLAY] = SESSION_PLAY, [CONTROL_PAUSE] = SESSION_PAUSE,
		[CONTROL_RESUME] = SESSION_RESUME, [CONTROL_NEXT] = SESSION_NEXT,
		[CONTROL_STOP] = SESSION_STOP,
	};
	struct daemon *d = ctx;
	struct player_status ps;
	struct status_input in;

	daemon_snapshot(d, &ps, &in);
	switch (req->cmd) {
	case CONTROL_STATUS:
		status_line(&in, reply, size);
		return;
	case CONTROL_RELOAD:
		daemon_reload(d);
		control_reply(reply, size, "ok reloading");
		return;
	case CONTROL_PLAY:
		if (!d->bundle) {
			d->play_when_loaded = true;
			control_reply(reply, size, "ok starting when the routine is ready");
			return;
		}
		/* fall through */
	case CONTROL_PAUSE:
	case CONTROL_RESUME:
	case CONTROL_NEXT:
	case CONTROL_STOP:
		if (!d->bundle) {
			control_reply_error(reply, size, "no routine loaded yet");
			return;
		}
		if (!applies(controls[req->cmd], &ps, reply, size))
			return;
		daemon_control(d, controls[req->cmd]);
		control_reply(reply, size, "ok %s", control_cmd_name(req->cmd));
		return;
	case CONTROL_LIST:
		list_routines(d, reply, size);
		return;
	case CONTROL_START:
		start_routine(d, req->arg, &ps, reply, size);
		return;
	case CONTROL_HISTORY:
		/* coachctl reads the log itself: it can be longer than a reply. */
		if (req->arg[0] && strcmp(req->arg, "csv") != 0)
			control_reply_error(reply, size, "unknown history format '%s' (expected csv)", req->arg);
		else if (!d->history_path[0])
			control_reply_error(reply, size, "no history: coachd has no state directory");
		else
			control_reply(reply, size, "ok %s", d->history_path);
		return;
	default:
		control_reply_error(reply, size, "'%s' is not supported by this coachd",
				    control_cmd_name(req->cmd));
		return;
	}
}

/* Says the current step's cue again, over whatever plays: the hold's timing
 * does not change.  The clip was synthesized with the plan. */
static void say_cue_again(struct daemon *d)
{
	struct player_status ps;
	const struct plan *p;
	const struct step *st;
	int name;

	player_status(d->player, &ps);
	if (!d->bundle || (ps.state != SESSION_RUNNING && ps.state != SESSION_PAUSED))
		return;
	p = &d->bundle->plan;
	st = &d->bundle->routine.steps[p->phases[plan_phase_at(p, ps.pos)].step];
	for (size_t i = 0; st->say && i < p->ntexts; i++) {
		if (strcmp(p->texts[i], st->say) == 0 && d->bundle->texts[i]) {
			player_say(d->player, d->bundle->texts[i]);
			daemon_arm_tick(d, 50);
			return;
		}
	}
	/* A step without a cue: its name.  Neither exists in the tones-only
	 * style, where no text is made. */
	name = p->ack.name[st - d->bundle->routine.steps];
	if (name >= 0 && d->bundle->texts[name])
		player_say(d->player, d->bundle->texts[name]);
	daemon_arm_tick(d, 50);
}

/* "Step 4 of 12: Hip flexor stretch. 8 minutes to go.", said over the
 * session at once: the hold's timing does not change. */
static void say_where(struct daemon *d)
{
	struct player_status ps;
	struct status_input in;
	char text[512];

	daemon_snapshot(d, &ps, &in);
	if (!d->bundle || !status_progress_speech(&in, &d->bundle->voice, text, sizeof(text))[0])
		return;
	log_debug("saying: \"%s\"", text);
	d->say_now = true;
	loader_say(d->loader, text);
}

/* What a key or a button asks for. */
enum action { ACT_PLAY, ACT_NEXT, ACT_STOP, ACT_AGAIN, ACT_WHERE, ACT_QUIT, ACT_NONE };

/* Keys, buttons: the same actions, applied where they make sense. */
static void act(struct daemon *d, enum action a)
{
	struct player_status ps;
	bool in_session;

	player_status(d->player, &ps);
	in_session = ps.state == SESSION_RUNNING || ps.state == SESSION_PAUSED;
	switch (a) {
	case ACT_PLAY:
		if (d->bundle)
			daemon_control(d, SESSION_PLAY);
		else
			d->play_when_loaded = true;
		break;
	case ACT_NEXT:
		if (in_session)
			daemon_control(d, SESSION_NEXT);
		break;
	case ACT_STOP:
		if (in_session)
			daemon_control(d, SESSION_STOP);
		break;
	case ACT_AGAIN:
		if (in_session)
			say_cue_again(d);
		else
			cycle_routine(d);
		break;
	case ACT_WHERE:
		say_where(d);
		break;
	case ACT_QUIT:
		loop_quit(d->loop);
		break;
	case ACT_NONE:
		break;
	}
	daemon_show_progress(d);
}

/* Buttons that cannot be opened are tried again this often: a few seconds
 * of a boot race lost, no wake-ups to speak of while none are wired. */
#define BUTTONS_RETRY_MS 5000

static void on_buttons_retry(void *ctx)
{
	struct daemon *d = ctx;

	d->buttons_retry_id = 0;
	daemon_open_buttons(d);
}

static void cancel_buttons_retry(struct daemon *d)
{
	if (d->buttons_retry_id)
		loop_cancel(d->loop, d->buttons_retry_id);
	d->buttons_retry_id = 0;
}

static void retry_buttons(struct daemon *d)
{
	cancel_buttons_retry(d);
	d->buttons_retry_id = loop_timeout(d->loop, BUTTONS_RETRY_MS, on_buttons_retry, d);
	if (d->buttons_retry_id < 0)
		d->buttons_retry_id = 0;
}

void daemon_open_buttons(struct daemon *d)
{
	struct player_status ps;
	struct diag err;

	cancel_buttons_retry(d);
	buttons_close(d->btn);
	d->btn = NULL;
	d->buttons = "off";
	if (!d->config.buttons.enabled) {
		d->buttons_error[0] = '\0';
		return;
	}
	/* Without buttons the socket, terminal and schedule still work. */
	if (buttons_open(&d->btn, d->loop, &d->config.buttons, daemon_on_gesture, d, &err) < 0) {
		if (strcmp(err.text, d->buttons_error)) {
			log_error("%s", err.text);
			log_warn("buttons: unavailable, tried again every %d s; coachctl, the terminal "
				 "and the schedule still work", BUTTONS_RETRY_MS / 1000);
			snprintf(d->buttons_error, sizeof(d->buttons_error), "%s", err.text);
		}
		d->buttons = "unavailable";
		retry_buttons(d);
		return;
	}
	log_info("buttons: Play on GPIO%d, Next on GPIO%d", d->config.buttons.play,
		 d->config.buttons.next);
	d->buttons = "ok";
	d->buttons_error[0] = '\0';
	player_status(d->player, &ps);
	daemon_show_led(d, &ps);
}

void daemon_reload_buttons(struct daemon *d, bool changed)
{
	if (!changed && buttons_available(d->btn) == d->config.buttons.enabled)
		return;
	log_info("buttons: %s", changed ? "opening them with the new settings" : "opening them again");
	d->buttons_error[0] = '\0';   /* what this reload gives is logged */
	daemon_open_buttons(d);
}

/* The buttons (gesture table in gesture.h). */
void daemon_on_gesture(void *ctx, enum gesture g)
{
	static const enum action actions[] = {
		[GESTURE_PLAY_SHORT] = ACT_PLAY, [GESTURE_PLAY_LONG] = ACT_STOP,
		[GESTURE_NEXT_SHORT] = ACT_NEXT, [GESTURE_NEXT_LONG] = ACT_AGAIN,
		[GESTURE_BOTH] = ACT_WHERE,
	};

	struct daemon *d = ctx;

	if (g == GESTURE_NONE) {
		/* The device went away: reopened from a timer, not from here. */
		retry_buttons(d);
		return;
	}
	act(d, (unsigned)g < sizeof(actions) / sizeof(actions[0]) ? actions[g] : ACT_NONE);
}

void daemon_on_key(void *ctx, int fd, uint32_t events)
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
	act(d, c == ' ' || c == 'p' ? ACT_PLAY : c == 'n' ? ACT_NEXT : c == 's' ? ACT_STOP :
	       c == 'a' ? ACT_AGAIN : c == 'w' ? ACT_WHERE : c == 'q' ? ACT_QUIT : ACT_NONE);
}


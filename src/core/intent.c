#include "intent.h"

#include <stdlib.h>
#include <string.h>

#include "history_entry.h"

/* What a key or a button asks for, before the session's state is known. */
enum action { ACT_NONE, ACT_PLAY, ACT_NEXT, ACT_STOP, ACT_AGAIN, ACT_WHERE, ACT_HURT, ACT_QUIT };

static bool in_session(const struct intent_state *s)
{
	return s->state == SESSION_RUNNING || s->state == SESSION_PAUSED;
}

static struct intent control(enum session_control c)
{
	return (struct intent){ .kind = INTENT_CONTROL, .control = c };
}

static struct intent kind(enum intent_kind k)
{
	return (struct intent){ .kind = k };
}

/* Keys and buttons: the same actions, applied where they make sense; a
 * press that does not apply is ignored (there is no one to tell). */
static struct intent of_action(enum action a, const struct intent_state *s)
{
	switch (a) {
	case ACT_PLAY:
		return s->loaded ? control(SESSION_PLAY) : kind(INTENT_PLAY_WHEN_LOADED);
	/* While a reminder waits, Next is "later" and Stop "not today"; otherwise
	 * they mean nothing while idle, so neither can be given by accident. */
	case ACT_NEXT:
		return in_session(s) ? control(SESSION_NEXT) :
		       kind(s->reminder ? INTENT_SNOOZE : INTENT_NONE);
	case ACT_STOP:
		return in_session(s) ? control(SESSION_STOP) :
		       kind(s->reminder ? INTENT_NOT_TODAY : INTENT_NONE);
	case ACT_HURT:
		return in_session(s) ? control(SESSION_HURT) : kind(INTENT_NONE);
	case ACT_AGAIN:
		return kind(in_session(s) ? INTENT_SAY_CUE : INTENT_NEXT_ROUTINE);
	case ACT_WHERE:
		return kind(INTENT_SAY_WHERE);
	case ACT_QUIT:
		return kind(INTENT_QUIT);
	case ACT_NONE:
		break;
	}
	return kind(INTENT_NONE);
}

struct intent intent_for_gesture(enum gesture g, const struct intent_state *s)
{
	static const enum action actions[] = {
		[GESTURE_PLAY_SHORT] = ACT_PLAY, [GESTURE_PLAY_LONG] = ACT_STOP,
		[GESTURE_NEXT_SHORT] = ACT_NEXT, [GESTURE_NEXT_LONG] = ACT_AGAIN,
		[GESTURE_BOTH] = ACT_WHERE, [GESTURE_BOTH_LONG] = ACT_HURT,
	};

	return of_action((unsigned)g < sizeof(actions) / sizeof(actions[0]) ? actions[g] : ACT_NONE, s);
}

struct intent intent_for_key(char c, const struct intent_state *s)
{
	return of_action(c == ' ' || c == 'p' ? ACT_PLAY : c == 'n' ? ACT_NEXT : c == 's' ? ACT_STOP :
			 c == 'a' ? ACT_AGAIN : c == 'w' ? ACT_WHERE : c == 'h' ? ACT_HURT :
			 c == 'q' ? ACT_QUIT : ACT_NONE, s);
}

/* Refuses controls that do not apply, so coachctl can say why. */
static bool applies(enum session_control c, const struct intent_state *s, char *reply, size_t size)
{
	if ((c == SESSION_PAUSE && s->state != SESSION_RUNNING) ||
	    (c == SESSION_RESUME && s->state != SESSION_PAUSED) ||
	    ((c == SESSION_NEXT || c == SESSION_STOP || c == SESSION_HURT) && !in_session(s))) {
		control_reply_error(reply, size, "nothing to %s (the session is %s)",
				    c == SESSION_PAUSE ? "pause" : c == SESSION_RESUME ? "resume" :
				    c == SESSION_NEXT ? "skip" : c == SESSION_HURT ? "mark as hurting" :
				    "stop", session_state_name(s->state));
		return false;
	}
	return true;
}

struct intent intent_for_request(const struct control_request *req, const struct intent_state *s,
				 char *reply, size_t size)
{
	static const enum session_control controls[CONTROL_CMD_MAX] = {
		[CONTROL_PLAY] = SESSION_PLAY, [CONTROL_PAUSE] = SESSION_PAUSE,
		[CONTROL_RESUME] = SESSION_RESUME, [CONTROL_NEXT] = SESSION_NEXT,
		[CONTROL_STOP] = SESSION_STOP, [CONTROL_HURT] = SESSION_HURT,
	};
	struct intent in = kind(INTENT_NONE);

	switch (req->cmd) {
	case CONTROL_STATUS:
		return kind(INTENT_STATUS);
	case CONTROL_RELOAD:
		return kind(INTENT_RELOAD);
	case CONTROL_LIST:
		return kind(INTENT_LIST);
	case CONTROL_START:
		in = kind(INTENT_START);
		in.arg = req->arg;
		return in;
	case CONTROL_HISTORY:
		if (req->arg[0] && strcmp(req->arg, "csv") != 0) {
			control_reply_error(reply, size, "unknown history format '%s' (expected csv)",
					    req->arg);
			return in;
		}
		in = kind(INTENT_HISTORY);
		in.arg = req->arg;
		return in;
	case CONTROL_REPORT:
		/* coachctl reads the history itself, as for `history`. */
		in = kind(INTENT_HISTORY);
		in.arg = "";
		return in;
	case CONTROL_SNOOZE:
		if (in_session(s))
			control_reply_error(reply, size, "nothing to snooze (the session is %s)",
					    session_state_name(s->state));
		else if (!s->reminder)
			control_reply_error(reply, size, "nothing to snooze (no reminder is waiting)");
		else
			return kind(INTENT_SNOOZE);
		return in;
	case CONTROL_NOT_TODAY:
		/* Any time while idle: a day off can be known before the reminder. */
		if (in_session(s)) {
			control_reply_error(reply, size, "a session is %s; stop it first",
					    session_state_name(s->state));
			return in;
		}
		return kind(INTENT_NOT_TODAY);
	case CONTROL_CHECKIN: {
		char *end;
		long n = strtol(req->arg, &end, 10);

		if (end == req->arg || *end || n < 0 || n > HISTORY_CHECKIN_MAX ||
		    !(req->arg[0] >= '0' && req->arg[0] <= '9')) {
			control_reply_error(reply, size, "the check-in's answer is a number from 0 "
					    "(no pain) to %d (got '%s')", HISTORY_CHECKIN_MAX, req->arg);
			return in;
		}
		in = kind(INTENT_CHECKIN);
		in.answer = (int)n;
		return in;
	}
	case CONTROL_PLAY:
		if (!s->loaded)
			return kind(INTENT_PLAY_WHEN_LOADED);
		/* fall through */
	case CONTROL_PAUSE:
	case CONTROL_RESUME:
	case CONTROL_NEXT:
	case CONTROL_STOP:
	case CONTROL_HURT:
		if (!s->loaded)
			control_reply_error(reply, size, "no routine loaded yet");
		else if (s->pending)
			control_reply_error(reply, size,
					    "busy: the last control is still being applied (try again)");
		else if (applies(controls[req->cmd], s, reply, size))
			return control(controls[req->cmd]);
		return in;
	default:
		control_reply_error(reply, size, "'%s' is not supported by this coachd",
				    control_cmd_name(req->cmd));
		return in;
	}
}

/* What a request, a key or a button gesture asks of the daemon, decided from
 * the session's state alone.  Pure: the daemon's event loop carries out the
 * intent it gets back (it never decides in its handlers), so the rules of
 * "what does Next do while idle" live here, tested with data. */
#ifndef COACH_INTENT_H
#define COACH_INTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "control.h"
#include "gesture.h"
#include "session.h"

enum intent_kind {
	INTENT_NONE,             /* nothing to do (for a request, REPLY says why) */
	INTENT_CONTROL,          /* send .control to the session */
	INTENT_PLAY_WHEN_LOADED, /* start as soon as the routine is ready */
	INTENT_STATUS,           /* reply with the status line */
	INTENT_RELOAD,           /* re-read the config and the routine */
	INTENT_LIST,             /* reply with the routines */
	INTENT_START,            /* choose the routine named .arg and start it */
	INTENT_HISTORY,          /* reply with the history file's path (.arg: "" or "csv") */
	INTENT_SAY_CUE,          /* say the current step's cue again */
	INTENT_NEXT_ROUTINE,     /* choose the next routine in the folder, say its name */
	INTENT_SAY_WHERE,        /* say where the session is */
	INTENT_QUIT,             /* leave (terminal mode) */
	INTENT_SNOOZE,           /* the reminder: again in a while */
	INTENT_NOT_TODAY,        /* no reminder or scheduled start again today */
	INTENT_CHECKIN,          /* answer the check-in with .answer (0..10) */
};

struct intent {
	enum intent_kind kind;
	enum session_control control;   /* for INTENT_CONTROL */
	const char *arg;                /* for INTENT_START and INTENT_HISTORY: the request's */
	int answer;                     /* for INTENT_CHECKIN */
};

/* What the daemon knows when it decides. */
struct intent_state {
	enum session_state state;
	bool loaded;                    /* a routine is ready to play */
	unsigned pending;               /* controls sent that STATE does not show yet */
	bool reminder;                  /* a reminder sounded and waits for an answer */
};

/* The intent of request REQ.  INTENT_NONE comes with an "error: ..." reply in
 * REPLY (SIZE bytes): a control that does not apply ("nothing to pause (the
 * session is idle)"), or that cannot be judged yet because an earlier one is
 * still on its way to the session ("busy: ..."), no routine loaded yet, an
 * unknown history format.  A control is acknowledged only when it applies
 * to the state the session will really be in. */
struct intent intent_for_request(const struct control_request *req, const struct intent_state *s,
				 char *reply, size_t size);

/* The intent of a button gesture (see the controls table in the README);
 * GESTURE_NONE and controls that do not apply give INTENT_NONE. */
struct intent intent_for_gesture(enum gesture g, const struct intent_state *s);

/* The intent of key C in terminal mode: space or p, n, s, a, w, h, q. */
struct intent intent_for_key(char c, const struct intent_state *s);

#endif

/* libFuzzer harness for the control protocol's whole request path, as the
 * daemon runs it (issue 16, finding 7), over a live session model:
 *
 *   each input line is a request: control_parse, then intent_for_request
 *   judged on the session's snapshot, the tracker sampled as on_request does;
 *   an acknowledged control is queued for the "audio thread", which applies
 *   what is queued and lets frames pass when the line's first byte says so
 *   (a callback), then publishes a new snapshot.
 *
 * Invariants: every reply is one line of text; a control acknowledged "ok"
 * is one the session takes (session_control returns true) when the audio
 * thread applies it; and every session the session machine started is seen
 * by the tracker, so none is missing from the history. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../fixture.h"
#include "control.h"
#include "fuzz.h"
#include "intent.h"
#include "session.h"
#include "status.h"
#include "tracker.h"

#define MAX_QUEUE 64

static struct plan plan;
static struct routine routine;
static struct step steps[3];
static struct voice voice;

static void build_plan(void)
{
	struct plan_sources src = fx_sources();

	steps[0] = fx_step("One", "Breathe.", 3000);
	steps[1] = fx_sided(fx_step("Two", NULL, 2000));
	steps[2] = fx_reps(fx_step("Three\nWATCHDOG=1", NULL, 1000), 3, 1000);
	routine = (struct routine){ .name = (char *)"Fuzz", .nsteps = 3, .steps = steps };
	fx_voice(&voice);
	FUZZ_ASSERT(plan_build(&plan, &routine, &voice, FX_RATE, &src) == 0);
}

static void check_line(const char *s, size_t size)
{
	FUZZ_ASSERT(memchr(s, '\0', size));
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		FUZZ_ASSERT(*c >= 0x20 && *c != 0x7f);
}

/* The audio thread: applies the queued controls, then lets FRAMES pass. */
static void callback(struct session *s, enum session_control *queue, unsigned *n, uint32_t frames)
{
	struct session_actions acts;

	for (unsigned i = 0; i < *n; i++) {
		acts.n = 0;
		/* Acknowledged, so it must apply. */
		FUZZ_ASSERT(session_control(s, queue[i], &acts));
	}
	*n = 0;
	while (frames > 0) {
		uint32_t done;

		acts.n = 0;
		done = session_advance(s, frames, &acts);
		frames -= done;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct session s;
	struct tracker t = { 0 };
	struct tracker_record rec;
	enum session_control queue[MAX_QUEUE];
	unsigned queued = 0, records = 0;
	double now = 0;
	size_t at = 0;

	if (!ready) {
		build_plan();
		ready = true;
	}
	session_init(&s, &plan, false);
	while (at < size) {
		const uint8_t *line = data + at, *nl = memchr(line, '\n', size - at);
		size_t len = nl ? (size_t)(nl - line) : size - at;
		struct control_request req;
		struct intent in;
		struct status_input si;
		char why[CONTROL_MAX_ERROR], reply[1024] = "";
		struct session snap = s;    /* what the daemon sees: the last published */

		at += len + 1;
		/* A leading digit: the audio thread runs first, for that many
		 * tenths of a second (0: applies the queue only). */
		if (len > 0 && line[0] >= '0' && line[0] <= '9') {
			callback(&s, queue, &queued, (uint32_t)(line[0] - '0') * FX_RATE / 10);
			now += (line[0] - '0') / 10.0;
			line++;
			len--;
			snap = s;
		}
		if (tracker_sample(&t, &plan, routine.nsteps, snap.state, snap.pos, snap.sessions, now,
				   (time_t)now, &rec))
			records++;
		if (control_parse((const char *)line, len, &req, why, sizeof(why)) < 0) {
			check_line(why, sizeof(why));
			continue;
		}
		in = intent_for_request(&req, &(struct intent_state){ .state = snap.state, .loaded = true,
								    .pending = queued }, reply, sizeof(reply));
		si = (struct status_input){ .plan = &plan, .routine = &routine, .state = snap.state,
					    .pos = snap.pos, .audio = "ok", .buttons = "off" };
		switch (in.kind) {
		case INTENT_CONTROL:
			FUZZ_ASSERT(reply[0] == '\0');
			if (queued == MAX_QUEUE) {
				control_reply_error(reply, sizeof(reply), "busy");
				break;
			}
			queue[queued++] = in.control;
			control_reply(reply, sizeof(reply), "ok %s", control_cmd_name(req.cmd));
			break;
		case INTENT_STATUS: {
			char text[1024];

			control_reply(reply, sizeof(reply), "%s", status_line(&si, text, sizeof(text)));
			FUZZ_ASSERT(!strncmp(reply, session_state_name(snap.state),
					     strlen(session_state_name(snap.state))));
			break;
		}
		case INTENT_NONE:
			FUZZ_ASSERT(control_is_error(reply));
			break;
		default:
			control_reply(reply, sizeof(reply), "ok");
			break;
		}
		check_line(reply, sizeof(reply));
	}
	callback(&s, queue, &queued, 0);
	if (tracker_sample(&t, &plan, routine.nsteps, s.state, s.pos, s.sessions, now + 1,
			   (time_t)now, &rec))
		records++;
	/* Every session started is recorded, or still followed. */
	FUZZ_ASSERT(records + (t.active ? 1 : 0) == s.sessions);
	return 0;
}

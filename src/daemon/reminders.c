#include "reminders.h"

#include <stdlib.h>
#include <time.h>

#include "control.h"
#include "log.h"
#include "state.h"

#define STATE_KEY "not_today"

struct reminders {
	struct reminder r;
	struct loop *loop;
	const char *state_path;
	int timer;                   /* the snooze's, 0 when none */
	reminders_fn *on_again;
	void *ctx;
};

struct reminders *reminders_new(struct loop *l, const char *state_path, reminders_fn *on_again,
				void *ctx)
{
	struct reminders *r = calloc(1, sizeof(*r));
	char day[32];

	if (!r)
		return NULL;
	*r = (struct reminders){ .loop = l, .state_path = state_path, .on_again = on_again,
				 .ctx = ctx };
	reminder_init(&r->r);
	if (state_path[0] && state_load(state_path, STATE_KEY, day, sizeof(day)) == 1 && day[0] &&
	    !reminder_parse_day(&r->r, day))
		log_warn("%s: '%s=%s' is not a date; ignored", state_path, STATE_KEY, day);
	if (reminder_quiet(&r->r, time(NULL)))
		log_info("reminder: not today (said earlier today)");
	return r;
}

static void stop_timer(struct reminders *r)
{
	if (r->timer)
		loop_cancel(r->loop, r->timer);
	r->timer = 0;
}

void reminders_free(struct reminders *r)
{
	if (!r)
		return;
	stop_timer(r);
	free(r);
}

void reminders_sounded(struct reminders *r)
{
	reminder_sounded(&r->r, time(NULL));
}

bool reminders_waiting(const struct reminders *r)
{
	return reminder_waiting(&r->r, time(NULL));
}

bool reminders_quiet(const struct reminders *r)
{
	return reminder_quiet(&r->r, time(NULL));
}

void reminders_session_started(struct reminders *r)
{
	reminder_session_started(&r->r);
	stop_timer(r);
}

static void on_timer(void *ctx)
{
	struct reminders *r = ctx;

	r->timer = 0;
	if (reminder_snooze_due(&r->r, time(NULL)))
		r->on_again(r->ctx);
}

void reminders_answer(struct reminders *r, bool snooze, unsigned snooze_ms,
		      const struct voice *voice, char *say, char *reply, size_t size)
{
	char day[16];
	struct diag err;
	int id;

	stop_timer(r);
	if (snooze) {
		reminder_snooze(&r->r, time(NULL), snooze_ms / 1000);
		id = loop_timeout(r->loop, snooze_ms, on_timer, r);
		r->timer = id > 0 ? id : 0;
		voice_say(voice, PHRASE_SNOOZED, NULL, snooze_ms / 60000, 0, say, size);
		log_info("reminder: snoozed for %u minutes: \"%s\"", snooze_ms / 60000, say);
		control_reply(reply, size, "ok snoozed for %u minutes", snooze_ms / 60000);
		return;
	}
	reminder_not_today(&r->r, time(NULL));
	reminder_format_day(&r->r, day, sizeof(day));
	voice_say(voice, PHRASE_NOT_TODAY, NULL, 0, 0, say, size);
	log_info("reminder: not today (%s): \"%s\"", day, say);
	if (r->state_path[0] && state_save(r->state_path, STATE_KEY, day, &err) < 0)
		log_warn("%s (not today holds until a restart)", err.text);
	control_reply(reply, size, "ok not today: no reminder or scheduled start until tomorrow");
}

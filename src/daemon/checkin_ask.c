#include "checkin_ask.h"

#include <stdio.h>
#include <string.h>

#include "history.h"
#include "log.h"
#include "record.h"

bool checkin_ask_begin(struct checkin_ask *a, enum checkin_mode m, const char *history_path,
		       const struct history_entry *e, uint64_t now_ms)
{
	struct history h = { 0 };
	struct diag err;
	bool due;

	if (m == CHECKIN_OFF || e->result != HISTORY_FINISHED)
		return false;
	/* Weekly needs the last week's lines: the end of the file is enough. */
	if (m == CHECKIN_WEEKLY && history_load_recent(history_path, RECORD_STREAK_BYTES, &h,
						       &err) < 0) {
		log_warn("%s", err.text);
		return false;
	}
	due = checkin_due(m, &h, e->when);
	history_free(&h);
	if (!due)
		return false;
	a->e = *e;
	a->held = true;
	checkin_start(&a->c, now_ms);
	log_info("check-in: asking");
	return true;
}

bool checkin_ask_active(const struct checkin_ask *a)
{
	return a->held;
}

int checkin_ask_gesture(struct checkin_ask *a, enum gesture g, uint64_t now_ms)
{
	if (!a->held)
		return -2;
	switch (g) {
	case GESTURE_PLAY_SHORT:
		return checkin_press(&a->c, now_ms);
	case GESTURE_NEXT_SHORT:
		checkin_answer(&a->c, 0);
		return -1;
	case GESTURE_PLAY_LONG:
		checkin_skip(&a->c);
		return -1;
	default:
		/* Anything else does nothing: a fumble is not an answer. */
		return -1;
	}
}

int checkin_ask_key(struct checkin_ask *a, char c, uint64_t now_ms)
{
	if (!a->held)
		return -2;
	if (c >= '0' && c <= '9') {
		checkin_answer(&a->c, c - '0');
		return -1;
	}
	return checkin_ask_gesture(a, c == ' ' || c == 'p' ? GESTURE_PLAY_SHORT :
				      c == 'n' ? GESTURE_NEXT_SHORT :
				      c == 's' ? GESTURE_PLAY_LONG : GESTURE_NONE, now_ms);
}

bool checkin_ask_answer(struct checkin_ask *a, int n)
{
	return a->held && checkin_answer(&a->c, n);
}

bool checkin_ask_tick(struct checkin_ask *a, uint64_t now_ms, struct history_entry *e)
{
	int answer = -1;
	enum checkin_result r;

	if (!a->held)
		return false;
	r = checkin_tick(&a->c, now_ms, &answer);
	if (r == CHECKIN_WAITING)
		return false;
	a->held = false;
	*e = a->e;
	e->checkin = r == CHECKIN_ANSWERED ? answer : -1;
	if (r == CHECKIN_ANSWERED)
		log_info("check-in: answered %d", answer);
	else
		log_info("check-in: skipped");
	return true;
}

bool checkin_ask_finish(struct checkin_ask *a, uint64_t now_ms, const char *path,
			const struct voice *voice, const struct streak_grace *grace, char *say,
			size_t size)
{
	struct history_entry e;
	char streak[256];
	size_t n;

	if (size)
		say[0] = '\0';
	if (!checkin_ask_tick(a, now_ms, &e))
		return false;
	if (voice && e.checkin >= 0)
		voice_say(voice, PHRASE_CHECKIN_ANSWER, NULL, (unsigned)e.checkin, 0, say, size);
	/* One sentence: the idle moment plays one clip. */
	n = strlen(say);
	if (record_write(path, &e, voice, grace, streak, sizeof(streak)) == 0 && streak[0] &&
	    n + 1 < size)
		snprintf(say + n, size - n, "%s%s", n ? " " : "", streak);
	return true;
}

bool checkin_ask_end(struct checkin_ask *a, struct history_entry *e)
{
	checkin_skip(&a->c);
	return checkin_ask_tick(a, UINT64_MAX, e);
}

uint64_t checkin_ask_deadline(const struct checkin_ask *a)
{
	return a->held ? checkin_deadline(&a->c) : UINT64_MAX;
}

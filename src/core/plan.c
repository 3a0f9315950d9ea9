/* Lays a routine out as frames.
 *
 * The layout walks the routine once with a cursor `t` (a frame).  Every phase
 * starts where the previous one ended, so phases tile the timeline.  Speech is
 * followed by a gap before the next sound, and a phase that follows a hold
 * starts its speech only after the end tone and a gap: this is how the plan
 * "makes room", and why speech never overlaps a tone or other speech.  Inside
 * a hold, the spoken extras (halfway, form cues, paced counts) are placed only
 * where they fit between the tones and each other, and left out where they do
 * not. */
#include "plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	struct plan *p;
	const struct routine *r;
	const struct voice *v;
	const struct plan_sources *src;
	size_t cap_phases, cap_cues, cap_texts;
	uint32_t snd[SOUND_MAX];  /* what marks take: the tones, or their spoken stand-ins */
	uint64_t t;      /* the cursor: where the next phase starts */
	uint64_t lead;   /* frames the next phase waits before speaking (after an end tone) */
	int error;
};

static uint64_t ms_frames(const struct builder *b, uint32_t ms)
{
	return (uint64_t)ms * b->p->rate / 1000;
}

static void *grow(void *array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap * 2 : 32;
	void *a;

	if (need <= *cap)
		return array;
	while (n < need)
		n *= 2;
	a = realloc(array, n * size);
	if (a)
		*cap = n;
	return a;
}

/* Returns the index of TEXT in the plan's texts, adding it (and asking the
 * source for its length) the first time; -1 when out of memory. */
static int intern(struct builder *b, const char *text)
{
	struct plan *p = b->p;
	size_t cap = b->cap_texts;
	char **texts;
	uint32_t *frames;

	if (b->error || b->src->style == PLAN_TONES_ONLY)
		return -1;
	for (size_t i = 0; i < p->ntexts; i++)
		if (strcmp(p->texts[i], text) == 0)
			return (int)i;
	texts = grow(p->texts, &cap, p->ntexts + 1, sizeof(*texts));
	if (!texts)
		goto err_nomem;
	p->texts = texts;
	cap = b->cap_texts;
	frames = grow(p->text_frames, &cap, p->ntexts + 1, sizeof(*frames));
	if (!frames)
		goto err_nomem;
	p->text_frames = frames;
	b->cap_texts = cap;
	p->texts[p->ntexts] = strdup(text);
	if (!p->texts[p->ntexts])
		goto err_nomem;
	p->text_frames[p->ntexts] = b->src->speech_frames(b->src->ctx, text);
	return (int)p->ntexts++;

err_nomem:
	b->error = -ENOMEM;
	return -1;
}

/* Interns phrase P of the voice, expanded with NAME, N and TOTAL. */
static int intern_phrase(struct builder *b, enum phrase ph, const char *name,
			 unsigned n, unsigned total)
{
	char text[2 * ROUTINE_MAX_TEXT + 64];

	return intern(b, voice_say(b->v, ph, name, n, total, text, sizeof(text)));
}

/* What side K of step S is called: the step's own words for it ("Left knee
 * down, right foot forward."), else the voice's "Left side."; after the first
 * side, "Switch sides." comes first, in one sentence. */
static int intern_side(struct builder *b, const struct step *s, unsigned k)
{
	enum side side = s->sides[k];
	const char *words = s->side_say[side == SIDE_LEFT ? 0 : 1];
	char a[1024], c[ROUTINE_MAX_TEXT + 64], text[sizeof(a) + sizeof(c) + 1];

	if (!words)
		words = voice_say(b->v, side == SIDE_LEFT ? PHRASE_LEFT_SIDE : PHRASE_RIGHT_SIDE,
				  NULL, 0, 0, c, sizeof(c));
	if (k == 0)
		return intern(b, words);
	voice_say(b->v, PHRASE_SWITCH_SIDES, NULL, 0, 0, a, sizeof(a));
	snprintf(text, sizeof(text), "%s %s", a, words);
	return intern(b, text);
}

/* The step's name as a sentence, so espeak lowers its voice at the end. */
static int intern_name(struct builder *b, const char *name)
{
	char text[ROUTINE_MAX_TEXT + 2];
	size_t n = strlen(name);
	const char *stop = n && strchr(".!?", name[n - 1]) ? "" : ".";

	snprintf(text, sizeof(text), "%s%s", name, stop);
	return intern(b, text);
}

static unsigned add_phase(struct builder *b, enum phase_kind kind, unsigned step,
			  enum side side, unsigned rep)
{
	struct plan *p = b->p;
	struct plan_phase *ph;

	if (b->error)
		return 0;
	ph = grow(p->phases, &b->cap_phases, p->nphases + 1, sizeof(*ph));
	if (!ph) {
		b->error = -ENOMEM;
		return 0;
	}
	p->phases = ph;
	p->phases[p->nphases] = (struct plan_phase){
		.kind = kind, .step = step, .side = side, .rep = rep, .start = b->t,
	};
	return (unsigned)p->nphases++;
}

/* Ends phase PH at frame END (never before its start) and moves the cursor. */
static void end_phase(struct builder *b, unsigned ph, uint64_t end)
{
	if (b->error)
		return;
	if (end < b->t)
		end = b->t;
	b->p->phases[ph].length = end - b->p->phases[ph].start;
	b->t = end;
}

static void add_cue(struct builder *b, unsigned phase, uint64_t at, uint32_t length,
		    int text, int sound)
{
	struct plan *p = b->p;
	struct plan_cue *c;

	if (b->error)
		return;
	c = grow(p->cues, &b->cap_cues, p->ncues + 1, sizeof(*c));
	if (!c) {
		b->error = -ENOMEM;
		return;
	}
	p->cues = c;
	p->cues[p->ncues++] = (struct plan_cue){
		.at = at, .length = length, .phase = phase, .text = text, .sound = sound,
	};
}

/* Speaks TEXT at AT; returns where the next sound may start.  A text that
 * cannot be spoken (length 0) takes no time and is left out. */
static uint64_t say(struct builder *b, unsigned phase, uint64_t at, int text)
{
	uint32_t len;

	if (text < 0)
		return at;
	len = b->p->text_frames[text];
	if (len == 0)
		return at;
	add_cue(b, phase, at, len, text, -1);
	return at + len + ms_frames(b, PLAN_GAP_AFTER_SPEECH_MS);
}

static uint32_t text_len(const struct builder *b, int text)
{
	return text < 0 ? 0 : b->p->text_frames[text];
}

/* What speaks for tone SOUND in the voice-only style (K: the tick's second). */
static int stand_in(struct builder *b, enum sound sound, unsigned k)
{
	switch (sound) {
	case SOUND_START: return intern_phrase(b, PHRASE_BEGIN, NULL, 0, 0);
	case SOUND_TICK: return intern_phrase(b, PHRASE_COUNT_REP, NULL, k, 0);
	case SOUND_END: return intern_phrase(b, PHRASE_RELAX, NULL, 0, 0);
	default: return -1;  /* the finish chime: "Routine complete" is enough */
	}
}

/* Marks a moment with tone SOUND, or with its spoken stand-in. */
static void mark(struct builder *b, unsigned ph, uint64_t at, enum sound sound, unsigned k)
{
	int text;

	if (b->src->style != PLAN_VOICE_ONLY) {
		add_cue(b, ph, at, b->snd[sound], -1, (int)sound);
		return;
	}
	text = stand_in(b, sound, k);
	if (text_len(b, text) > 0)
		add_cue(b, ph, at, text_len(b, text), text, -1);
}

/* The lengths marks take: the tones', or in the voice-only style the longest
 * of their stand-ins, so that the layout leaves them room all the same. */
static void mark_lengths(struct builder *b)
{
	memcpy(b->snd, b->src->sound_frames, sizeof(b->snd));
	if (b->src->style != PLAN_VOICE_ONLY)
		return;
	for (int s = 0; s < SOUND_MAX; s++) {
		unsigned most = s == SOUND_TICK ? (b->r->countdown ? b->r->countdown : 1) : 1;

		b->snd[s] = 0;
		for (unsigned k = 1; k <= most; k++) {
			uint32_t len = text_len(b, stand_in(b, (enum sound)s, k));

			if (len > b->snd[s])
				b->snd[s] = len;
		}
	}
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* A phase that speaks FIRST as soon as it may, and LAST so that it ends just
 * before the phase does; the phase lasts at least MIN frames.  Either text may
 * be -1. */
static void speech_phase(struct builder *b, unsigned ph, int first, int last, uint64_t min)
{
	uint64_t gap = ms_frames(b, PLAN_GAP_AFTER_SPEECH_MS);
	uint64_t at = say(b, ph, b->t + b->lead, first);
	uint64_t end = max_u64(at, b->t + min);

	if (last >= 0 && text_len(b, last) > 0) {
		uint64_t want = b->t + min;
		uint64_t need = text_len(b, last) + gap;
		uint64_t last_at = want >= at + need ? want - need : at;

		end = say(b, ph, last_at, last);
	}
	b->lead = 0;
	end_phase(b, ph, end);
}

/* Something to say inside a hold, wanted at a frame. */
struct inside {
	uint64_t want;
	int text;
};

static int inside_order(const void *a, const void *b)
{
	const struct inside *x = a, *y = b;

	return x->want < y->want ? -1 : x->want > y->want;
}

/* Places the N sentences of IN inside a hold, in time order, within [LO, HI)
 * so that they touch no tone and no other sentence: each starts when wanted
 * or as soon as the one before it has ended; the last may move earlier to
 * fit before HI.  One that does not fit is left out. */
static void say_inside(struct builder *b, unsigned ph, struct inside *in, size_t n,
		       uint64_t lo, uint64_t hi)
{
	uint64_t gap = ms_frames(b, PLAN_GAP_AFTER_SPEECH_MS);
	uint64_t free_from = lo;

	qsort(in, n, sizeof(*in), inside_order);
	for (size_t i = 0; i < n; i++) {
		uint64_t len = text_len(b, in[i].text);
		uint64_t at = in[i].want > free_from ? in[i].want : free_from;

		if (len == 0 || hi < free_from || hi - free_from < len)
			continue;
		if (at + len > hi)
			at = hi - len;
		add_cue(b, ph, at, (uint32_t)len, in[i].text, -1);
		free_from = at + len + gap;
	}
}

/* One timed hold: start tone, countdown ticks, optional halfway, end tone. */
static void timed_hold(struct builder *b, unsigned step, enum side side, unsigned rep)
{
	const struct step *s = &b->r->steps[step];
	const uint32_t *snd = b->snd;
	uint64_t hold = ms_frames(b, s->time_ms);
	uint64_t start = b->t, end = start + hold;
	uint64_t free_from = start + snd[SOUND_START] + ms_frames(b, PLAN_GAP_AFTER_TONE_MS);
	uint64_t first_tick = end;
	unsigned ph = add_phase(b, PHASE_HOLD, step, side, rep);

	mark(b, ph, start, SOUND_START, 0);
	for (unsigned c = b->r->countdown; c > 0; c--) {
		uint64_t back = (uint64_t)c * b->p->rate;
		uint64_t at;

		if (back >= hold)
			continue;
		at = end - back;
		/* A tick must not sound over the start tone or run into the next one. */
		if (at < start + snd[SOUND_START] || at + snd[SOUND_TICK] > end)
			continue;
		if (at < first_tick)
			first_tick = at;
		mark(b, ph, at, SOUND_TICK, c);
	}
	if (s->halfway || s->ncues) {
		struct inside in[ROUTINE_MAX_CUES + 1];
		uint64_t gap = ms_frames(b, PLAN_GAP_AFTER_SPEECH_MS);
		uint64_t hi = first_tick > start + gap ? first_tick - gap : start;
		size_t n = 0;

		if (s->halfway)
			in[n++] = (struct inside){ start + hold / 2,
						   intern_phrase(b, PHRASE_HALFWAY, NULL, 0, 0) };
		for (unsigned c = 0; c < s->ncues && n < ROUTINE_MAX_CUES + 1; c++)
			in[n++] = (struct inside){ start + ms_frames(b, s->cues[c].at_ms),
						   intern(b, s->cues[c].say) };
		say_inside(b, ph, in, n, free_from, hi);
	}
	mark(b, ph, end, SOUND_END, 0);
	end_phase(b, ph, end);
	b->lead = snd[SOUND_END] + ms_frames(b, PLAN_GAP_AFTER_TONE_MS);
}

/* Paced reps: one hold of REPS paces, the start of each rep after the first
 * counted aloud ("Two."), where the count fits before the next sound. */
static void paced_hold(struct builder *b, unsigned step, enum side side)
{
	const struct step *s = &b->r->steps[step];
	const uint32_t *snd = b->snd;
	uint64_t pace = ms_frames(b, s->pace_ms);
	uint64_t start = b->t, end = start + pace * s->reps;
	uint64_t gap = ms_frames(b, PLAN_GAP_AFTER_SPEECH_MS);
	unsigned ph = add_phase(b, PHASE_HOLD, step, side, 0);

	mark(b, ph, start, SOUND_START, 0);
	for (unsigned n = 2; n <= s->reps; n++) {
		uint64_t at = start + pace * (n - 1);
		int text = intern_phrase(b, PHRASE_COUNT_REP, NULL, n, s->reps);

		if (at >= start + snd[SOUND_START] && at + text_len(b, text) + gap <= at + pace)
			say(b, ph, at, text);
	}
	mark(b, ph, end, SOUND_END, 0);
	end_phase(b, ph, end);
	b->lead = snd[SOUND_END] + ms_frames(b, PLAN_GAP_AFTER_TONE_MS);
}

/* The holds of one side (or of a step without sides): prepare, then each rep. */
static void lay_side(struct builder *b, unsigned step, enum side side)
{
	const struct step *s = &b->r->steps[step];
	unsigned reps = s->time_ms ? s->reps : 1;

	for (unsigned rep = 1; rep <= reps; rep++) {
		int label = reps > 1 ? intern_phrase(b, PHRASE_REP, NULL, rep, reps) : -1;

		if (rep == 1) {
			if (s->prepare_ms > 0 || label >= 0)
				speech_phase(b, add_phase(b, PHASE_PREPARE, step, side, reps > 1 ? rep : 0),
					     -1, label, ms_frames(b, s->prepare_ms));
		} else {
			speech_phase(b, add_phase(b, PHASE_REP_REST, step, side, rep - 1),
				     intern_phrase(b, PHRASE_REST, NULL, 0, 0), label,
				     ms_frames(b, s->rep_rest_ms));
		}
		if (s->time_ms)
			timed_hold(b, step, side, reps > 1 ? rep : 0);
		else
			paced_hold(b, step, side);
	}
}

/* The session opens with the chime, rising under the gentle start, and the
 * safety sentence at full level.  Returns where the next sound may start. */
static uint64_t open_session(struct builder *b, unsigned ph, uint64_t at)
{
	uint32_t chime = b->snd[SOUND_REMINDER];
	int safety;

	if (chime) {
		mark(b, ph, at, SOUND_REMINDER, 0);
		at += chime + ms_frames(b, PLAN_GAP_AFTER_TONE_MS);
	}
	safety = b->r->safety ? intern(b, b->r->safety)
			      : intern_phrase(b, PHRASE_SAFETY, NULL, 0, 0);
	return say(b, ph, at, safety);
}

/* A step: its announcement, which is also the rest after the step before (the
 * person moves while hearing what comes next and how to get into it), then
 * its sides and holds.  The name is said once, here. */
static void lay_step(struct builder *b, unsigned i)
{
	const struct step *s = &b->r->steps[i];
	unsigned ph = add_phase(b, PHASE_ANNOUNCE, i, SIDE_NONE, 0);
	uint64_t start = b->t, at = b->t + b->lead;
	uint64_t rest = i > 0 ? ms_frames(b, b->r->steps[i - 1].rest_ms) : 0;

	if (i == 0)
		at = open_session(b, ph, at);
	/* A version other than last time's is announced as today's, in the
	 * step's own words: "Today: Both knees to the chest." */
	at = say(b, ph, at, s->today ? intern_phrase(b, PHRASE_TODAY, s->name, 0, 0)
				     : b->p->ack.name[i]);
	if (s->say)
		at = say(b, ph, at, intern(b, s->say));
	if (s->explain && b->src->explain)
		at = say(b, ph, at, intern(b, s->explain));
	b->lead = 0;
	end_phase(b, ph, max_u64(at, start + rest));
	if (s->wait)
		speech_phase(b, add_phase(b, PHASE_WAIT, i, SIDE_NONE, 0),
			     b->p->ack.wait, -1, 0);
	if (s->nsides == 0)
		lay_side(b, i, SIDE_NONE);
	for (unsigned k = 0; k < s->nsides; k++) {
		speech_phase(b, add_phase(b, PHASE_SIDE, i, s->sides[k], 0), intern_side(b, s, k),
			     -1, k == 0 ? 0 : ms_frames(b, s->switch_ms));
		lay_side(b, i, s->sides[k]);
	}
}

static void lay_finish(struct builder *b)
{
	unsigned ph = add_phase(b, PHASE_FINISH, b->r->nsteps ? b->r->nsteps - 1 : 0,
				SIDE_NONE, 0);
	uint64_t at = say(b, ph, b->t + b->lead, intern_phrase(b, PHRASE_COMPLETE, NULL, 0, 0));
	uint32_t chime = b->snd[SOUND_FINISH];

	if (chime)
		mark(b, ph, at, SOUND_FINISH, 0);
	b->lead = 0;
	end_phase(b, ph, at + chime);
}

static int cue_order(const void *a, const void *b)
{
	const struct plan_cue *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->phase < y->phase ? -1 : x->phase > y->phase;
}

/* Acknowledgements are interned first so that they are ready before any step. */
static void intern_acks(struct builder *b)
{
	struct plan_acks *a = &b->p->ack;
	size_t n = b->r->nsteps ? b->r->nsteps : 1;

	a->next = calloc(n, sizeof(*a->next));
	a->name = calloc(n, sizeof(*a->name));
	a->explain = calloc(n, sizeof(*a->explain));
	if (!a->next || !a->name || !a->explain) {
		b->error = -ENOMEM;
		return;
	}
	a->paused = intern_phrase(b, PHRASE_PAUSED, NULL, 0, 0);
	a->resuming = intern_phrase(b, PHRASE_RESUMING, NULL, 0, 0);
	a->stopped = intern_phrase(b, PHRASE_STOPPED, NULL, 0, 0);
	a->wait = intern_phrase(b, PHRASE_WAIT, NULL, 0, 0);
	a->hurt = intern_phrase(b, PHRASE_HURT, NULL, 0, 0);
	for (size_t i = 0; i < b->r->nsteps; i++) {
		const struct step *s = &b->r->steps[i];

		a->next[i] = intern_phrase(b, PHRASE_NEXT, s->name, 0, 0);
		a->name[i] = i == 0 ? intern_name(b, s->name)
				    : intern_phrase(b, PHRASE_NEXT_UP, s->name, 0, 0);
		a->explain[i] = s->explain ? intern(b, s->explain)
				: s->say ? intern(b, s->say) : a->name[i];
	}
}

int plan_build(struct plan *p, const struct routine *r, const struct voice *v,
	       unsigned rate, const struct plan_sources *src)
{
	struct builder b = { .p = p, .r = r, .v = v, .src = src };

	memset(p, 0, sizeof(*p));
	p->rate = rate;
	intern_acks(&b);
	mark_lengths(&b);
	for (unsigned i = 0; i < r->nsteps && !b.error; i++)
		lay_step(&b, i);
	lay_finish(&b);
	if (b.error) {
		plan_free(p);
		return b.error;
	}
	p->total = b.t;
	qsort(p->cues, p->ncues, sizeof(*p->cues), cue_order);
	return 0;
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->ntexts; i++)
		free(p->texts[i]);
	free(p->texts);
	free(p->text_frames);
	free(p->phases);
	free(p->cues);
	free(p->ack.next);
	free(p->ack.name);
	free(p->ack.explain);
	memset(p, 0, sizeof(*p));
}

size_t plan_phase_at(const struct plan *p, uint64_t frame)
{
	size_t lo = 0, hi = p->nphases;

	if (p->nphases == 0)
		return 0;
	/* The last phase whose start is <= frame. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->phases[mid].start <= frame)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

uint64_t plan_first_speech(const struct plan *p)
{
	for (size_t i = 0; i < p->ncues; i++)
		if (p->cues[i].text >= 0)
			return p->cues[i].at;
	return p->total;
}

size_t plan_cue_from(const struct plan *p, uint64_t frame)
{
	size_t lo = 0, hi = p->ncues;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->cues[mid].at < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t plan_next_target(const struct plan *p, uint64_t frame, size_t *phase)
{
	size_t i = plan_phase_at(p, frame);
	const struct plan_phase *cur = &p->phases[i];

	for (size_t j = i + 1; j < p->nphases; j++) {
		const struct plan_phase *ph = &p->phases[j];

		/* The next side of this step. */
		if (ph->kind == PHASE_SIDE && ph->step == cur->step && ph->side != cur->side) {
			*phase = j;
			return ph->start;
		}
		if (ph->kind == PHASE_ANNOUNCE || ph->kind == PHASE_FINISH) {
			/* "Next: NAME." has said the name: go on with the cue after it.
			 * (The last hold's end tone may share the phase's first frame.) */
			size_t c = plan_cue_from(p, ph->start);

			while (c < p->ncues && p->cues[c].at == ph->start && p->cues[c].phase != j)
				c++;

			*phase = j;
			if (ph->kind == PHASE_ANNOUNCE && c < p->ncues && p->cues[c].phase == j &&
			    p->ack.name[ph->step] >= 0 && p->cues[c].text == p->ack.name[ph->step]) {
				if (c + 1 < p->ncues && p->cues[c + 1].phase == j)
					return p->cues[c + 1].at;
				return ph->start + ph->length;
			}
			return ph->start;
		}
	}
	*phase = p->nphases ? p->nphases - 1 : 0;
	return p->total;
}

uint64_t plan_next_step(const struct plan *p, uint64_t frame, size_t *phase)
{
	size_t i = plan_phase_at(p, frame);

	for (size_t j = i + 1; j < p->nphases; j++) {
		const struct plan_phase *ph = &p->phases[j];

		if ((ph->kind == PHASE_ANNOUNCE && ph->step != p->phases[i].step) ||
		    ph->kind == PHASE_FINISH) {
			*phase = j;
			return ph->start;
		}
	}
	*phase = p->nphases ? p->nphases - 1 : 0;
	return p->total;
}

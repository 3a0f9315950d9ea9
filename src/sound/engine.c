#include "engine.h"

void engine_init(struct engine *e, const struct plan *p, const struct clip *const *texts,
		 const struct clip sounds[SOUND_MAX], float volume, bool skip_waits)
{
	e->plan = p;
	e->texts = texts;
	e->sounds = sounds;
	session_init(&e->session, p, skip_waits);
	mixer_init(&e->mixer, volume, p->rate);
	e->fade_frames = p->rate * SESSION_FADE_MS / 1000;
	e->gentle_frames = 0;
}

static void apply(struct engine *e, const struct session_action *a)
{
	const struct plan_cue *q;

	switch (a->kind) {
	case SESSION_ACT_FADE:
		mixer_fade_all(&e->mixer, e->fade_frames);
		break;
	case SESSION_ACT_SAY:
		mixer_play(&e->mixer, e->texts[a->index], 0);
		break;
	case SESSION_ACT_CUE:
		q = &e->plan->cues[a->index];
		if (q->text >= 0)
			mixer_play(&e->mixer, e->texts[q->text], 0);
		else
			mixer_play(&e->mixer, &e->sounds[q->sound], 0);
		break;
	}
}

void engine_set_gentle(struct engine *e, unsigned ms)
{
	e->gentle_frames = (uint32_t)((uint64_t)ms * e->plan->rate / 1000);
}

bool engine_control(struct engine *e, enum session_control c)
{
	struct session_actions acts;
	unsigned before = e->session.sessions;
	bool ok = session_control(&e->session, c, &acts);

	/* A new session: its opening chime rises gently, and the ramp is over by
	 * the first words, which must be heard clearly (they say to move gently
	 * and stop at sharp pain). */
	if (e->session.sessions != before && e->gentle_frames) {
		uint64_t words = plan_first_speech(e->plan);
		uint32_t ramp = words < e->gentle_frames ? (uint32_t)words : e->gentle_frames;

		if (ramp)
			mixer_ramp(&e->mixer, ENGINE_GENTLE_FROM, ramp);
	}
	for (unsigned i = 0; i < acts.n; i++)
		apply(e, &acts.act[i]);
	return ok;
}

void engine_run(struct engine *e, float *out, uint32_t n)
{
	struct session_actions acts;

	while (n > 0) {
		uint32_t len = session_advance(&e->session, n, &acts);
		uint32_t at = 0;

		/* Mix up to each cue's offset, start it there: frame-exact onsets. */
		for (unsigned i = 0; i < acts.n; i++) {
			uint32_t off = acts.act[i].offset;

			if (off > at) {
				mixer_mix(&e->mixer, out + at, off - at);
				at = off;
			}
			apply(e, &acts.act[i]);
		}
		mixer_mix(&e->mixer, out + at, len - at);
		out += len;
		n -= len;
	}
}

#include "bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t speech_frames(void *ctx, const char *text)
{
	const struct clip *c = speech_get(ctx, text);

	return c ? c->frames : 0;
}

/* The schedule's reminder as one clip, so that the chime and the words can
 * never overlap or drift apart. */
static int make_reminder(struct bundle *b, struct speech *speech, unsigned rate)
{
	char text[512];
	const struct clip *words = speech_get(speech, voice_say(&b->voice, PHRASE_GOOD_MORNING,
								 NULL, 0, 0, text, sizeof(text)));
	const struct clip *chime = &b->sounds[SOUND_REMINDER];
	uint32_t gap = rate * PLAN_GAP_AFTER_TONE_MS / 1000;
	uint32_t n = chime->frames + gap + (words ? words->frames : 0);

	b->reminder.pcm = calloc(n ? n : 1, sizeof(int16_t));
	if (!b->reminder.pcm)
		return -ENOMEM;
	b->reminder.frames = n;
	memcpy(b->reminder.pcm, chime->pcm, chime->frames * sizeof(int16_t));
	if (words)
		memcpy(b->reminder.pcm + chime->frames + gap, words->pcm,
		       words->frames * sizeof(int16_t));
	return 0;
}

/* Scales the tones to PERCENT of their level (0 or 100: as they are). */
static void scale_tones(struct clip sounds[SOUND_MAX], unsigned percent)
{
	if (percent == 0 || percent >= 100)
		return;
	for (int s = 0; s < SOUND_MAX; s++)
		for (uint32_t i = 0; i < sounds[s].frames; i++)
			sounds[s].pcm[i] = (int16_t)(sounds[s].pcm[i] * (int)percent / 100);
}

int bundle_check(struct bundle *b, const struct bundle_files *f, struct diag *err)
{
	char path[4096];
	const char *name;

	memset(b, 0, sizeof(*b));
	if (routine_load(f->routine, &b->routine, err) < 0)
		return -1;
	name = b->routine.voice ? b->routine.voice : f->voice;
	snprintf(path, sizeof(path), "%s/%s.yaml", f->voices_dir, name);
	/* A voice the routine names but that is not there: say so at the name. */
	if (b->routine.voice && access(path, R_OK) < 0) {
		diag_set(err, f->routine, b->routine.voice_line, b->routine.voice_column,
			 "no voice profile '%s' (expected a file %s)", name, path);
		bundle_free(b);
		return -1;
	}
	if (voice_load(path, &b->voice, err) < 0) {
		bundle_free(b);
		return -1;
	}
	return 0;
}

int bundle_load(struct bundle *b, const struct bundle_files *f, unsigned rate,
		struct speech **speech, struct diag *err, sounds_warn_fn *warn)
{
	struct plan_sources src = { .speech_frames = speech_frames };
	int rc;

	if (bundle_check(b, f, err) < 0)
		return -1;
	if (!*speech)
		*speech = speech_new(&b->voice, rate, err);
	else if (speech_set_voice(*speech, &b->voice, rate, err) < 0)
		goto err_free;
	if (!*speech)
		goto err_free;
	if (sounds_load(b->sounds, f->sounds_dir, rate, warn) < 0) {
		diag_set(err, f->sounds_dir, 0, 0, "out of memory loading sounds");
		goto err_free;
	}
	scale_tones(b->sounds, f->tone_percent);
	src.ctx = *speech;
	src.style = f->style;
	for (int i = 0; i < SOUND_MAX; i++)
		src.sound_frames[i] = b->sounds[i].frames;
	rc = plan_build(&b->plan, &b->routine, &b->voice, rate, &src);
	if (rc < 0) {
		diag_set(err, f->routine, 0, 0, "cannot lay out the plan: %s", strerror(-rc));
		goto err_free;
	}
	b->texts = calloc(b->plan.ntexts ? b->plan.ntexts : 1, sizeof(*b->texts));
	if (!b->texts) {
		diag_set(err, f->routine, 0, 0, "out of memory");
		goto err_free;
	}
	/* Cached by plan_build's length queries: no text is synthesized twice. */
	for (size_t i = 0; i < b->plan.ntexts; i++)
		b->texts[i] = speech_get(*speech, b->plan.texts[i]);
	if (make_reminder(b, *speech, rate) < 0) {
		diag_set(err, f->routine, 0, 0, "out of memory");
		goto err_free;
	}
	return 0;

err_free:
	bundle_free(b);
	return -1;
}

void bundle_free(struct bundle *b)
{
	free(b->reminder.pcm);
	free(b->texts);
	plan_free(&b->plan);
	sounds_free(b->sounds);
	voice_free(&b->voice);
	routine_free(&b->routine);
	memset(b, 0, sizeof(*b));
}

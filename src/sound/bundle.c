#include "bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "progression.h"
#include "log.h"

/* The speech of one load, within its budget: each text the plan asks for
 * is spoken once (the plan interns them, asking in the order of its texts),
 * counted, and kept in CLIPS at the text's index. */
struct tally {
	struct speech *speech;
	struct clip *clips;    /* the bundle's, once the plan is laid out */
	size_t n, cap;
	uint64_t frames, max_frames;
	unsigned max_minutes;  /* max_frames said in minutes */
	char *failed;          /* the first text that could not be spoken, or NULL */
	int error;             /* why (speech_error), or -EFBIG past the budget */
};

static uint32_t speech_frames(void *ctx, const char *text)
{
	struct tally *t = ctx;
	struct clip *c;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct clip *grown = realloc(t->clips, cap * sizeof(*grown));

		if (!grown) {
			t->error = -ENOMEM;
			t->failed = t->failed ? t->failed : strdup(text);
			return 0;
		}
		t->clips = grown;
		t->cap = cap;
	}
	c = &t->clips[t->n++];
	*c = (struct clip){ 0 };
	/* Past a failure nothing more is synthesized: the load fails anyway. */
	if (t->failed)
		return 0;
	if (speech_take(t->speech, text, c) == 0)
		t->frames += c->frames;
	else
		t->error = speech_error(t->speech);
	if (t->error || t->frames > t->max_frames) {
		t->error = t->error ? t->error : -EFBIG;
		t->failed = strdup(text);
		if (!t->failed)
			t->error = -ENOMEM;
	}
	return c->frames;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		clip_free(&t->clips[i]);
	free(t->clips);
	free(t->failed);
}

/* Where TEXT comes from in R: the cue or say that it is, or the step whose
 * name it says ("Next up: {name}."); 0 when none (a stock phrase). */
static unsigned text_line(const struct routine *r, const char *text, unsigned *column)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct step *st = &r->steps[i];

		for (unsigned c = 0; c < st->ncues; c++)
			if (!strcmp(st->cues[c].say, text)) {
				*column = st->cues[c].column;
				return st->cues[c].line;
			}
		if ((st->say && !strcmp(st->say, text)) || strstr(text, st->name)) {
			*column = st->column;
			return st->line;
		}
	}
	return 0;
}

/* The tally's failure as a located error. */
static int speech_failed(const struct tally *t, const struct bundle *b, const char *path,
			 struct diag *err)
{
	char snip[48];
	unsigned column = 0, line = text_line(&b->routine, t->failed, &column);
	size_t n = strlen(t->failed);

	snprintf(snip, sizeof(snip), "%.*s%s", n > 40 ? 37 : (int)n, t->failed, n > 40 ? "..." : "");
	for (char *p = snip; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	if (t->error == -EFBIG && t->frames > t->max_frames)
		return diag_set(err, path, line, column,
				"the routine's speech runs past %d minutes at '%s' "
				"(expected shorter names and cues, or fewer)",
				t->max_minutes, snip);
	if (t->error == -EFBIG)
		return diag_set(err, path, line, column,
				"'%s' takes more than %d s to say (expected shorter sentences)",
				snip, SPEECH_MAX_SECONDS);
	/* espeak-ng started with the first sentence to synthesize, and could
	 * not, or has no such voice: said at the profile's espeak: line. */
	if (t->error == -EINVAL && speech_check_voice(&b->voice, err) < 0)
		return -1;
	return diag_set(err, path, line, column, "cannot say '%s': %s", snip,
			strerror(t->error < 0 ? -t->error : EIO));
}

/* The schedule's reminder as one clip, so that the chime and the words can
 * never overlap or drift apart. */
static int make_reminder(struct bundle *b, struct speech *speech, unsigned rate)
{
	char text[512];
	struct clip words = { 0 };
	const struct clip *chime = &b->sounds[SOUND_REMINDER];
	uint32_t gap = rate * PLAN_GAP_AFTER_TONE_MS / 1000;
	uint32_t n;

	/* Without its words the chime alone still reminds. */
	(void)speech_take(speech, voice_say(&b->voice, PHRASE_GOOD_MORNING, NULL, 0, 0, text,
					    sizeof(text)), &words);
	n = chime->frames + gap + words.frames;
	b->reminder.pcm = calloc(n ? n : 1, sizeof(int16_t));
	if (!b->reminder.pcm) {
		clip_free(&words);
		return -ENOMEM;
	}
	b->reminder.frames = n;
	memcpy(b->reminder.pcm, chime->pcm, chime->frames * sizeof(int16_t));
	if (words.frames)
		memcpy(b->reminder.pcm + chime->frames + gap, words.pcm,
		       words.frames * sizeof(int16_t));
	clip_free(&words);
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

int bundle_check_pack(const struct voice *v, struct diag *err)
{
	struct stat st;

	if (!v->pack)
		return 0;
	if (stat(v->pack, &st) < 0)
		return diag_set(err, v->path, v->pack_line, v->pack_column,
				"cannot use voice pack %s: %s (expected a folder of WAV files; "
				"coachd --phrases lists their names)", v->pack, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return diag_set(err, v->path, v->pack_line, v->pack_column,
				"voice pack %s is not a folder (expected a folder of WAV files; "
				"coachd --phrases lists their names)", v->pack);
	return 0;
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

/* True when the history at PATH has no finished session of routine NAME (a
 * history that cannot be read counts as one that has: explanations are for
 * the first time, and a broken file is no sign of it). */
static bool first_session(const char *path, const char *name)
{
	struct history h;
	struct diag err;
	bool first = true;

	if (history_load(path, &h, &err) < 0) {
		log_warn("%s", err.text);
		return false;
	}
	for (size_t i = 0; i < h.n && first; i++)
		first = !(h.entries[i].result == HISTORY_FINISHED &&
			  strncmp(h.entries[i].routine, name, sizeof(h.entries[i].routine) - 1) == 0);
	history_free(&h);
	return first;
}

/* Each step's version for today, from the history at PATH (progression.h).
 * A history that cannot be read leaves the routine as written.  Returns 0,
 * or -1 when out of memory. */
static int adapt_routine(struct routine *r, const char *path)
{
	struct progression_step *ps = calloc(r->nsteps ? r->nsteps : 1, sizeof(*ps));
	struct history h;
	struct diag err;
	int rc;

	if (!ps)
		return -1;
	if (history_load(path, &h, &err) < 0) {
		log_warn("%s", err.text);
		free(ps);
		return 0;
	}
	progression_compute(r, &h, ps);
	rc = progression_apply(r, ps);
	history_free(&h);
	free(ps);
	return rc;
}

int bundle_load(struct bundle *b, const struct bundle_files *f, unsigned rate,
		struct speech **speech, struct diag *err, sounds_warn_fn *warn)
{
	struct plan_sources src = { .speech_frames = speech_frames };
	unsigned minutes = f->max_speech_minutes ? f->max_speech_minutes : BUNDLE_MAX_SPEECH_S / 60;
	struct tally tally = { .max_frames = (uint64_t)rate * 60 * minutes, .max_minutes = minutes };
	int rc;

	if (bundle_check(b, f, err) < 0)
		return -1;
	if (f->adapt && adapt_routine(&b->routine, f->adapt) < 0) {
		diag_set(err, f->routine, 0, 0, "out of memory");
		goto err_free;
	}
	if (bundle_check_pack(&b->voice, err) < 0)
		goto err_free;
	if (!*speech)
		*speech = speech_new(&b->voice, rate, err);
	else if (speech_set_voice(*speech, &b->voice, rate, err) < 0)
		goto err_free;
	if (!*speech)
		goto err_free;
	speech_set_cache(*speech, f->cache);
	speech_set_warn(*speech, warn);
	if (sounds_load(b->sounds, f->sounds_dir, rate, warn) < 0) {
		diag_set(err, f->sounds_dir, 0, 0, "out of memory loading sounds");
		goto err_free;
	}
	scale_tones(b->sounds, f->tone_percent);
	tally.speech = *speech;
	src.ctx = &tally;
	src.style = f->style;
	src.explain = f->explain || (f->history && first_session(f->history, b->routine.name));
	b->first = src.explain;
	for (int i = 0; i < SOUND_MAX; i++)
		src.sound_frames[i] = b->sounds[i].frames;
	rc = plan_build(&b->plan, &b->routine, &b->voice, rate, &src);
	/* A text left out would be a cue the coach silently never says. */
	if (rc == 0 && tally.failed) {
		speech_failed(&tally, b, f->routine, err);
		goto err_free;
	}
	if (rc < 0) {
		diag_set(err, f->routine, 0, 0, "cannot lay out the plan: %s", strerror(-rc));
		goto err_free;
	}
	/* plan_build asked for each text once, in order: the tally's clips are
	 * the plan's texts, and now the bundle's. */
	if (tally.n != b->plan.ntexts) {
		diag_set(err, f->routine, 0, 0, "internal error: %zu texts spoken for %zu",
			 tally.n, b->plan.ntexts);
		goto err_free;
	}
	b->texts = calloc(b->plan.ntexts ? b->plan.ntexts : 1, sizeof(*b->texts));
	if (!b->texts) {
		diag_set(err, f->routine, 0, 0, "out of memory");
		goto err_free;
	}
	b->paging = calloc(tally.n ? tally.n : 1, sizeof(*b->paging));
	if (!b->paging) {
		diag_set(err, f->routine, 0, 0, "out of memory");
		goto err_free;
	}
	b->speech = tally.clips;
	b->nspeech = tally.n;
	tally.clips = NULL;
	tally.n = 0;
	for (size_t i = 0; i < b->plan.ntexts; i++)
		b->texts[i] = &b->speech[i];
	if (make_reminder(b, *speech, rate) < 0) {
		diag_set(err, f->routine, 0, 0, "out of memory");
		goto err_free;
	}
	tally_free(&tally);
	return 0;

err_free:
	tally_free(&tally);
	bundle_free(b);
	return -1;
}

void bundle_page(struct bundle *b, uint64_t pos)
{
	const struct plan *p = &b->plan;
	uint64_t until = pos == UINT64_MAX ? 0 : pos + (uint64_t)p->rate * BUNDLE_READ_AHEAD_S;
	/* Once after a session: what it said last is handed back too. */
	bool changed = pos == UINT64_MAX && !b->handed_back;
	size_t i;

	for (i = 0; i < b->nspeech; i++)
		b->paging[i] &= ~BUNDLE_WANTED;
	for (i = 0; i < p->ncues && p->cues[i].at < until; i++) {
		const struct plan_cue *q = &p->cues[i];

		if (q->text >= 0 && (size_t)q->text < b->nspeech && q->at + q->length > pos)
			b->paging[q->text] |= BUNDLE_WANTED;
	}
	for (i = 0; i < b->nspeech && !changed; i++)
		changed = !(b->paging[i] & BUNDLE_WANTED) != !(b->paging[i] & BUNDLE_PAGED);
	b->handed_back = pos == UINT64_MAX;
	if (!changed)
		return;
	/* Every clip told, not only those that changed: the ones not wanted
	 * may have been played meanwhile (acknowledgements, a control's jump). */
	for (i = 0; i < b->nspeech; i++) {
		bool wanted = b->paging[i] & BUNDLE_WANTED;

		clip_page(&b->speech[i], wanted);
		b->paging[i] = wanted ? BUNDLE_PAGED : 0;
	}
}

void bundle_free(struct bundle *b)
{
	free(b->reminder.pcm);
	free(b->texts);
	for (size_t i = 0; i < b->nspeech; i++)
		clip_free(&b->speech[i]);
	free(b->speech);
	free(b->paging);
	plan_free(&b->plan);
	sounds_free(b->sounds);
	voice_free(&b->voice);
	routine_free(&b->routine);
	memset(b, 0, sizeof(*b));
}

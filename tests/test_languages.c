/* German, French and Spanish: a routine in each language (tests/routines/lang/)
 * is loaded, synthesized and rendered, and nothing English is said.
 *
 *  - every text of the plan that has a letter in it contains no English stock
 *    phrase, expanded with the routine's own names and every small number
 *    (texts without letters, such as the count "2.", belong to no language:
 *    the voice says them in its own);
 *  - the plan says the language's own phrases ("Seitenwechsel. Rechte Seite.");
 *  - libespeak-ng speaks with that language's voice, and the same text spoken
 *    by the English voice sounds different;
 *  - the profiles translate every phrase, keeping its placeholders. */
#include <ctype.h>
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <espeak-ng/speak_lib.h>
#include <sndfile.h>

#include "bundle.h"
#include "engine.h"
#include "espeaklib.h"
#include "render.h"

#define RATE 16000
#define MAX_NUMBER 12     /* {n} and {total} tried from 0 to this */

struct lang {
	const char *code;
	const char *espeak_name;       /* libespeak-ng's name for the voice */
	const char *said[8];           /* texts the plan must hold, NULL-terminated */
};

static const struct lang langs[] = {
	{ "de", "German", {
		"Seitenwechsel. Rechte Seite.", "Linke Seite.", "Wiederholung 1 von 2.",
		"Als Nächstes: Hüftbeuger-Dehnung.", "Halbzeit.",
		"Drück auf Play, wenn du bereit bist.", "Alle Übungen geschafft. Gut gemacht.", NULL } },
	{ "fr", "French (France)", {
		"Changez de côté. Côté droit.", "Côté gauche.", "Répétition 1 sur 2.",
		"À suivre : Étirement des fléchisseurs de la hanche.", "À mi-chemin.",
		"Appuyez sur Play quand vous voulez.", "Séance terminée. Bravo.", NULL } },
	{ "es", "Spanish (Spain)", {
		"Cambia de lado. Lado derecho.", "Lado izquierdo.", "Repetición 1 de 2.",
		"A continuación: Estiramiento de flexores de cadera.", "Vas por la mitad.",
		"Pulsa Play cuando quieras.", "Rutina completada. Muy bien.", NULL } },
};

/* One per process: libespeak-ng is global.  Shared by the three loads. */
static struct speech *speech;
static struct voice en;

static int load_english(void **state)
{
	struct diag err;

	(void)state;
	return voice_load("voices/en.yaml", &en, &err);
}

static int free_all(void **state)
{
	(void)state;
	voice_free(&en);
	speech_free(speech);
	return 0;
}

/* A text with a letter belongs to a language; "2." does not. */
static bool has_letter(const char *s)
{
	for (; *s; s++)
		if (isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* The English stock phrase that TEXT contains, expanded with NAME and every
 * number up to MAX_NUMBER, or NULL. */
static const char *english_with_name(const char *text, const char *name)
{
	static char buf[1200];

	for (int p = 0; p < PHRASE_MAX; p++) {
		int max_n = strstr(en.phrase[p], "{n}") ? MAX_NUMBER : 0;
		int max_total = strstr(en.phrase[p], "{total}") ? MAX_NUMBER : 0;

		for (int n = 0; n <= max_n; n++) {
			for (int t = 0; t <= max_total; t++) {
				voice_say(&en, p, name, (unsigned)n, (unsigned)t, buf, sizeof(buf));
				if (has_letter(buf) && strstr(text, buf))
					return buf;
			}
		}
	}
	return NULL;
}

static const char *english_in(const char *text, const struct routine *r)
{
	const char *found = english_with_name(text, NULL);

	for (size_t i = 0; !found && i < r->nsteps; i++)
		found = english_with_name(text, r->steps[i].name);
	return found;
}

static int plan_text(const struct plan *p, const char *text)
{
	for (size_t i = 0; i < p->ntexts; i++)
		if (!strcmp(p->texts[i], text))
			return (int)i;
	return -1;
}

/* Renders B to a WAV file in /tmp and checks its length and that it sounds. */
static void render(struct bundle *b, const char *code)
{
	char path[64];
	SF_INFO info = { 0 };
	struct engine e;
	struct diag err;
	SNDFILE *f;
	float *x;
	double peak = 0;

	snprintf(path, sizeof(path), "/tmp/coach-test-lang-%s-%ld.wav", code, (long)getpid());
	engine_init(&e, &b->plan, b->texts, b->sounds, 1.0f, true);
	if (render_wav(&e, path, NULL, 0, b->plan.total, &err) != (int64_t)b->plan.total)
		fail_msg("%s", err.text);
	f = sf_open(path, SFM_READ, &info);
	assert_non_null(f);
	assert_int_equal(info.frames, (sf_count_t)b->plan.total);
	x = malloc((size_t)info.frames * sizeof(*x));
	assert_non_null(x);
	assert_int_equal(sf_readf_float(f, x, info.frames), info.frames);
	sf_close(f);
	/* Each spoken cue is heard where the plan puts it. */
	for (size_t i = 0; i < b->plan.ncues; i++) {
		const struct plan_cue *q = &b->plan.cues[i];

		peak = 0;
		for (uint64_t k = q->at; k < q->at + q->length && k < b->plan.total; k++)
			peak = fmax(peak, fabs(x[k]));
		if (q->text >= 0 && peak < 0.05)
			fail_msg("%s: \"%s\" is silent", code, b->plan.texts[q->text]);
	}
	free(x);
	unlink(path);
}

/* espeak_GetCurrentVoice of the library coach loaded, which coach does
 * not link: loaded by name, already there. */
static const espeak_VOICE *current_voice(void)
{
	void *handle = dlopen(ESPEAKLIB_SONAME, RTLD_LAZY | RTLD_NOLOAD);
	void *sym = handle ? dlsym(handle, "espeak_GetCurrentVoice") : NULL;
	__typeof__(espeak_GetCurrentVoice) *get;
	const espeak_VOICE *v;

	if (!sym)
		fail_msg("libespeak-ng not loaded: %s", dlerror());
	memcpy(&get, &sym, sizeof(sym));
	v = get();
	dlclose(handle);
	return v;
}

static void coaches_in(const struct lang *l)
{
	struct bundle_files files = {
		.voices_dir = "voices", .sounds_dir = "sounds", .voice = "en",
	};
	char routine[64];
	const struct clip *mine, *english;
	const espeak_VOICE *current;
	struct bundle b;
	struct diag err;
	int switch_text;

	snprintf(routine, sizeof(routine), "tests/routines/lang/%s.yaml", l->code);
	files.routine = routine;
	if (bundle_load(&b, &files, RATE, &speech, &err, NULL) < 0)
		fail_msg("%s", err.text);
	assert_string_equal(b.voice.name, l->code);
	assert_string_equal(b.voice.espeak, l->code);

	/* libespeak-ng synthesized the plan with the language's own voice
	 * (coach loaded it: espeaklib.h; this asks the same copy). */
	current = current_voice();
	assert_non_null(current);
	assert_string_equal(current->name, l->espeak_name);

	for (size_t i = 0; i < b.plan.ntexts; i++) {
		const char *text = b.plan.texts[i], *found;

		if (b.plan.text_frames[i] == 0)
			fail_msg("%s: \"%s\" is not spoken", l->code, text);
		if (!has_letter(text))
			continue;
		found = english_in(text, &b.routine);
		if (found)
			fail_msg("%s: \"%s\" says the English \"%s\"", l->code, text, found);
	}
	for (size_t i = 0; l->said[i]; i++)
		if (plan_text(&b.plan, l->said[i]) < 0)
			fail_msg("%s: the plan never says \"%s\"", l->code, l->said[i]);

	render(&b, l->code);

	/* The same words in the English voice sound different. */
	switch_text = plan_text(&b.plan, l->said[0]);
	mine = b.texts[switch_text];
	assert_int_equal(speech_set_voice(speech, &en, RATE, &err), 0);
	english = speech_get(speech, l->said[0]);
	assert_non_null(mine);
	assert_non_null(english);
	assert_ptr_not_equal(mine, english);
	assert_true(mine->frames != english->frames ||
		    memcmp(mine->pcm, english->pcm, mine->frames * sizeof(*mine->pcm)) != 0);
	bundle_free(&b);
}

static void coaches_in_german(void **state)
{
	(void)state;
	coaches_in(&langs[0]);
}

static void coaches_in_french(void **state)
{
	(void)state;
	coaches_in(&langs[1]);
}

static void coaches_in_spanish(void **state)
{
	(void)state;
	coaches_in(&langs[2]);
}

/* Every phrase translated (only the bare count "{n}." is the same in every
 * language), with the placeholders the English one has, no more, no fewer. */
static void profiles_translate_every_phrase(void **state)
{
	static const char *const holders[] = { "{name}", "{n}", "{total}" };

	(void)state;
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		char path[64];
		struct voice v;
		struct diag err;

		snprintf(path, sizeof(path), "voices/%s.yaml", langs[i].code);
		if (voice_load(path, &v, &err) < 0)
			fail_msg("%s", err.text);
		assert_string_equal(v.espeak, langs[i].code);
		/* The nominal rate; what it measures is held to 150 words a minute
		 * in test_speech. */
		assert_true(v.rate >= 110 && v.rate <= 170);
		for (int p = 0; p < PHRASE_MAX; p++) {
			if (p != PHRASE_COUNT_REP && !strcmp(v.phrase[p], en.phrase[p]))
				fail_msg("%s: '%s' is not translated", path, phrase_key(p));
			for (size_t h = 0; h < 3; h++)
				if (!strstr(v.phrase[p], holders[h]) != !strstr(en.phrase[p], holders[h]))
					fail_msg("%s: '%s' and the English one differ in %s", path,
						 phrase_key(p), holders[h]);
		}
		voice_free(&v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profiles_translate_every_phrase),
		cmocka_unit_test(coaches_in_german),
		cmocka_unit_test(coaches_in_french),
		cmocka_unit_test(coaches_in_spanish),
	};

	return cmocka_run_group_tests(tests, load_english, free_all);
}
